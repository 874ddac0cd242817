package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

func intp(n int) *int { return &n }

// setup returns a database with a workspace and an NPS survey "nps".
func setup(t *testing.T, db *store.DB) int64 {
	t.Helper()
	ctx := context.Background()
	w, err := db.CreateWorkspace(ctx, cx.Workspace{Name: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateSurvey(ctx, w.ID, cx.Survey{Key: "nps", Kind: cx.NPS}); err != nil {
		t.Fatal(err)
	}
	return w.ID
}

func TestMigrateTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		applied, err := db.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("second migrate applied %v, want nothing", applied)
		}
	})
}

func TestInsertResponsesIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := setup(t, db)
		at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		batch := func() []cx.Response {
			return []cx.Response{
				{Survey: "nps", Customer: "c1", Score: intp(9), SubmittedAt: at, Comment: "great", IdempotencyKey: "k1"},
				{Survey: "nps", Customer: "c2", Score: intp(3), SubmittedAt: at, IdempotencyKey: "k2", Attributes: cx.Attributes{"plan": "pro"}},
				{Survey: "nps", Customer: "c1", Score: intp(9), SubmittedAt: at, IdempotencyKey: "k1"},
			}
		}
		res, err := db.InsertResponses(ctx, ws, batch(), store.BatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Inserted != 2 || res.Duplicates != 1 || res.Items[2].ID != res.Items[0].ID {
			t.Fatalf("first insert: %+v", res)
		}
		res2, err := db.InsertResponses(ctx, ws, batch(), store.BatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res2.Inserted != 0 || res2.Duplicates != 3 || res2.Items[1].ID != res.Items[1].ID {
			t.Fatalf("retry: %+v", res2)
		}
		page, err := db.Responses(ctx, ws, store.ResponseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 2 {
			t.Fatalf("stored %d responses, want 2", len(page.Items))
		}
		got := page.Items[1]
		if got.Customer != "c2" || *got.Score != 3 || got.Survey != "nps" || got.Attributes.String("plan") != "pro" || !got.SubmittedAt.Equal(at) {
			t.Errorf("stored %+v", got)
		}
	})
}

func TestAtomicBatchStoresNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := setup(t, db)
		at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		rs := []cx.Response{
			{Survey: "nps", Customer: "c1", Score: intp(9), SubmittedAt: at},
			{Survey: "nps", Customer: "c2", Score: intp(11), SubmittedAt: at},
		}
		_, err := db.InsertResponses(ctx, ws, rs, store.BatchOptions{})
		var ve *cx.ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Index != 1 || ve.Fields[0].Field != "score" {
			t.Fatalf("err = %v, want score error on item 1", err)
		}
		page, _ := db.Responses(ctx, ws, store.ResponseFilter{})
		cs, _ := db.Customers(ctx, ws, store.CustomerFilter{})
		if len(page.Items) != 0 || len(cs.Items) != 0 {
			t.Fatalf("atomic batch wrote %d responses, %d customers", len(page.Items), len(cs.Items))
		}
		res, err := db.InsertResponses(ctx, ws, rs, store.BatchOptions{Partial: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Inserted != 1 || res.Rejected != 1 || res.Items[1].Status != store.Rejected {
			t.Fatalf("partial: %+v", res)
		}
	})
}

func TestPagination(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := setup(t, db)
		var es []cx.Event
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range 25 {
			es = append(es, cx.Event{Customer: fmt.Sprintf("c%d", i%4), Type: cx.Purchase, Value: float64(i), OccurredAt: base.Add(time.Duration(i) * time.Hour),
				Currency: "EUR", Attributes: cx.Attributes{"sku": fmt.Sprintf("sku-%d", i), "qty": 2}})
		}
		if _, err := db.InsertEvents(ctx, ws, es, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		var all []cx.Event
		f := store.EventFilter{ListFilter: store.ListFilter{Limit: 10}}
		for pages := 0; ; pages++ {
			p, err := db.Events(ctx, ws, f)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, p.Items...)
			if p.NextCursor == "" {
				if pages != 2 {
					t.Errorf("got %d pages, want 3", pages+1)
				}
				break
			}
			f.Cursor = p.NextCursor
		}
		// 25 rows go through COPY on PostgreSQL: check every column came back.
		if last := all[24]; last.Attributes.String("sku") != "sku-24" || last.Attributes.String("qty") != "2" || last.Currency != "EUR" || last.Customer != "c0" {
			t.Errorf("last event = %+v", last)
		}
		if len(all) != 25 || all[24].Value != 24 {
			t.Fatalf("paged %d events", len(all))
		}
		p, err := db.Events(ctx, ws, store.EventFilter{ListFilter: store.ListFilter{Customer: "c1", From: base.Add(5 * time.Hour), To: base.Add(20 * time.Hour)}})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 4 { // hours 5, 9, 13, 17
			t.Errorf("filtered %d events, want 4", len(p.Items))
		}
	})
}

func TestChurnedAtFollowsEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := setup(t, db)
		day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
		churned := func(ext string) *time.Time {
			c, err := db.Customer(ctx, ws, ext)
			if err != nil {
				t.Fatal(err)
			}
			return c.ChurnedAt
		}
		// Out of order in one batch: the reactivation after the churn wins.
		_, err := db.InsertEvents(ctx, ws, []cx.Event{
			{Customer: "a", Type: cx.Reactivate, OccurredAt: day(9)},
			{Customer: "a", Type: cx.Churn, OccurredAt: day(5)},
			{Customer: "b", Type: cx.Churn, OccurredAt: day(5)},
		}, store.BatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := churned("a"); got != nil {
			t.Errorf("a churned at %v after reactivating", got)
		}
		if got := churned("b"); got == nil || !got.Equal(day(5)) {
			t.Errorf("b churned at %v, want %v", got, day(5))
		}
		// A late-arriving older churn of b does not move churned_at back.
		if _, err := db.InsertEvents(ctx, ws, []cx.Event{{Customer: "b", Type: cx.Churn, OccurredAt: day(2)}}, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		if got := churned("b"); got == nil || !got.Equal(day(5)) {
			t.Errorf("b churned at %v after an older churn, want %v", got, day(5))
		}
		if _, err := db.InsertEvents(ctx, ws, []cx.Event{{Customer: "b", Type: cx.Reactivate, OccurredAt: day(7)}}, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		if got := churned("b"); got != nil {
			t.Errorf("b churned at %v after reactivating", got)
		}
	})
}

func TestTargets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, b := setup(t, db), setup(t, db)
		f := func(v float64) *float64 { return &v }
		if _, err := db.SetTarget(ctx, a, cx.Target{Metric: "nps", Target: f(40)}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetTarget(ctx, a, cx.Target{Metric: "nps", Survey: "onboarding", Target: f(50), Benchmark: f(35), BenchmarkSource: "our 2025 survey"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetTarget(ctx, a, cx.Target{Metric: "nps", Target: f(45)}); err != nil { // replaces 40
			t.Fatal(err)
		}
		if got, err := db.Target(ctx, a, "nps", "onboarding"); err != nil || *got.Target != 50 || *got.Benchmark != 35 {
			t.Errorf("onboarding target = %+v, %v", got, err)
		}
		if got, err := db.Target(ctx, a, "nps", "relationship"); err != nil || *got.Target != 45 || got.Benchmark != nil {
			t.Errorf("fallback target = %+v, %v", got, err)
		}
		if list, _ := db.Targets(ctx, a); len(list) != 2 {
			t.Errorf("targets = %+v", list)
		}
		if _, err := db.Target(ctx, b, "nps", ""); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("B sees A's target: %v", err)
		}
		if _, err := db.SetTarget(ctx, a, cx.Target{Metric: "csat", Benchmark: f(80)}); !errors.Is(err, cx.ErrInvalid) {
			t.Errorf("benchmark without a source: %v", err)
		}
		if err := db.DeleteTarget(ctx, a, "nps", ""); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteTarget(ctx, a, "nps", ""); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("second delete: %v", err)
		}
	})
}
