package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/alert"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// openCase makes a rule that opens cases and a detractor response that
// fires it, and returns the case.
func openCase(t *testing.T, db *store.DB, ws int64, customer string) store.Case {
	t.Helper()
	ctx := context.Background()
	rules, err := db.AlertRules(ctx, ws)
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) == 0 {
		if _, err := db.CreateAlertRule(ctx, ws, alert.Rule{Name: "Detractor", MaxScore: 6, SLAHours: 24,
			Actions: []alert.Action{alert.ActionCreateCase}}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := db.InsertResponses(ctx, ws, []cx.Response{{Survey: "nps", Customer: customer, Score: intp(1),
		SubmittedAt: time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC), Comment: "slow"}}, store.BatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	page, err := db.Cases(ctx, ws, store.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range page.Items {
		if k.ResponseID == res.Items[0].ID {
			return k
		}
	}
	t.Fatalf("no case for response %d in %+v", res.Items[0].ID, page.Items)
	return store.Case{}
}

func strp(s string) *string { return &s }

func TestCases(t *testing.T) {
	eachWithClock(t, func(t *testing.T, db *store.DB, clk *outboxClock) {
		ctx := context.Background()
		a, b := setup(t, db), setup(t, db)
		if _, err := db.CreateWebhook(ctx, a, store.Webhook{URL: "https://example.com/hook", Events: []string{store.TopicCaseUpdated}}); err != nil {
			t.Fatal(err)
		}
		k := openCase(t, db, a, "dan")
		openCase(t, db, a, "eve")
		if k.Title == "" || k.Status != store.CaseOpen || k.ClosedAt != nil {
			t.Fatalf("case = %+v", k)
		}

		clk.Advance(2 * time.Hour)
		got, err := db.UpdateCase(ctx, a, k.ID, store.CasePatch{Status: strp(store.CaseInProgress), Owner: strp("ann")})
		if err != nil || got.Status != store.CaseInProgress || got.Owner != "ann" || got.ClosedAt != nil {
			t.Fatalf("UpdateCase = %+v, %v", got, err)
		}
		if _, err := db.AddCaseNote(ctx, a, k.ID, store.CaseNote{Author: "ann", Body: "called, refund offered"}); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Hour)
		got, err = db.UpdateCase(ctx, a, k.ID, store.CasePatch{Status: strp(store.CaseClosed), ResolutionCode: strp("refunded")})
		if err != nil || got.ClosedAt == nil || !got.ClosedAt.Equal(clk.Now()) || got.ResolutionCode != "refunded" || got.Owner != "ann" {
			t.Fatalf("close = %+v, %v", got, err)
		}
		if len(got.Notes) != 1 || got.Notes[0].Body != "called, refund offered" {
			t.Errorf("notes = %+v", got.Notes)
		}

		for _, c := range []struct {
			name string
			f    store.CaseFilter
			want int
		}{
			{"all", store.CaseFilter{}, 2},
			{"closed", store.CaseFilter{Status: store.CaseClosed}, 1},
			{"open", store.CaseFilter{Status: store.CaseOpen}, 1},
			{"ann's", store.CaseFilter{Owner: "ann"}, 1},
			{"bob's", store.CaseFilter{Owner: "bob"}, 0},
			{"customer dan", store.CaseFilter{Customer: "dan"}, 1},
			{"customer zed", store.CaseFilter{Customer: "zed"}, 0},
		} {
			page, err := db.Cases(ctx, a, c.f)
			if err != nil || len(page.Items) != c.want {
				t.Errorf("%s: %d cases (%v), want %d", c.name, len(page.Items), err, c.want)
			}
		}
		if _, err := db.Cases(ctx, a, store.CaseFilter{Status: "done"}); !errors.Is(err, cx.ErrInvalid) {
			t.Errorf("bad status filter: %v", err)
		}
		if _, err := db.UpdateCase(ctx, a, k.ID, store.CasePatch{Status: strp("done")}); !errors.Is(err, cx.ErrInvalid) {
			t.Errorf("bad status: %v", err)
		}
		if _, err := db.AddCaseNote(ctx, a, k.ID, store.CaseNote{}); !errors.Is(err, cx.ErrInvalid) {
			t.Errorf("empty note: %v", err)
		}

		// Workspace B can neither read nor change A's case.
		if _, err := db.Case(ctx, b, k.ID); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("B reads A's case: %v", err)
		}
		if _, err := db.UpdateCase(ctx, b, k.ID, store.CasePatch{Owner: strp("mallory")}); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("B updates A's case: %v", err)
		}
		if _, err := db.AddCaseNote(ctx, b, k.ID, store.CaseNote{Body: "hi"}); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("B notes A's case: %v", err)
		}
		if page, _ := db.Cases(ctx, b, store.CaseFilter{}); len(page.Items) != 0 {
			t.Errorf("B lists %d cases", len(page.Items))
		}

		// Reopening clears closed_at.
		got, err = db.UpdateCase(ctx, a, k.ID, store.CasePatch{Status: strp(store.CaseOpen)})
		if err != nil || got.ClosedAt != nil {
			t.Errorf("reopen = %+v, %v", got, err)
		}

		// Three changes of A's case, each with one case.updated message;
		// the failed ones (invalid, or B's) wrote none.
		msgs, err := db.ClaimOutbox(ctx, "test", 100, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		updated := 0
		for _, m := range msgs {
			if m.Topic == store.TopicCaseUpdated && m.WorkspaceID == a {
				updated++
			} else {
				t.Errorf("unexpected message %s in workspace %d", m.Topic, m.WorkspaceID)
			}
		}
		if updated != 3 {
			t.Errorf("case.updated messages = %d, want 3", updated)
		}
	})
}
