package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// TestScanResponses checks the analytics scan: every response of the
// workspace once, in id order, across pages (10,000 rows are exactly two
// pages, then one more row), after an id, with the customer's attributes
// joined, and nothing of another workspace.
func TestScanResponses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := setup(t, db)
		other := setup(t, db)
		if _, err := db.UpsertCustomers(ctx, ws, []cx.Customer{{ExternalID: "c1", Attributes: cx.Attributes{"plan": "pro"}}}, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC)
		batch := make([]cx.Response, 10000)
		for i := range batch {
			batch[i] = cx.Response{Survey: "nps", Score: intp(i % 11), SubmittedAt: at, Channel: "web",
				Attributes: cx.Attributes{"n": fmt.Sprint(i)}}
			if i%2 == 0 {
				batch[i].Customer = "c1"
			}
		}
		if _, err := db.InsertResponses(ctx, ws, batch, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.InsertResponses(ctx, other, batch[:3], store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		scan := func(after int64) []store.ResponseRow {
			var out []store.ResponseRow
			if err := db.ScanResponses(ctx, ws, after, func(r store.ResponseRow) error {
				out = append(out, r)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			return out
		}
		rows := scan(0)
		if len(rows) != 10000 {
			t.Fatalf("scanned %d rows, want 10000", len(rows))
		}
		for i, r := range rows {
			if i > 0 && r.ID <= rows[i-1].ID {
				t.Fatalf("row %d: id %d after %d", i, r.ID, rows[i-1].ID)
			}
			if r.Score != i%11 || r.Attributes.String("n") != fmt.Sprint(i) || r.Channel != "web" || !r.SubmittedAt.Equal(at) {
				t.Fatalf("row %d: %+v", i, r)
			}
			if (i%2 == 0) != (r.CustomerAttributes.String("plan") == "pro") || (i%2 == 0) != (r.CustomerID != 0) {
				t.Fatalf("row %d: customer %d %v", i, r.CustomerID, r.CustomerAttributes)
			}
		}
		res, err := db.InsertResponses(ctx, ws, batch[:1], store.BatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		last := rows[len(rows)-1].ID
		if more := scan(last); len(more) != 1 || more[0].ID != res.Items[0].ID {
			t.Errorf("after %d: %+v", last, more)
		}
		got, err := db.ResponseRows(ctx, ws, []int64{rows[5].ID, res.Items[0].ID, 1 << 40})
		if err != nil || len(got) != 2 || got[0].ID != rows[5].ID || got[1].Attributes.String("n") != "0" {
			t.Errorf("ResponseRows: %+v, %v", got, err)
		}
		if got, err := db.ResponseRows(ctx, other, []int64{rows[5].ID}); err != nil || len(got) != 0 {
			t.Errorf("another workspace's row: %+v, %v", got, err)
		}
		stop := fmt.Errorf("stop")
		n := 0
		if err := db.ScanResponses(ctx, ws, 0, func(store.ResponseRow) error { n++; return stop }); err == nil || n != 1 {
			t.Errorf("stop: n=%d err=%v", n, err)
		}
	})
}

// TestResponseRowsFromIngest checks that the rows InsertResponsesRows hands
// the analytics index are what ResponseRows reads back for the same ids:
// known and new customers, anonymous responses, attributes, duplicates
// left out, and a retried batch that creates nothing.
func TestResponseRowsFromIngest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := setup(t, db)
		if _, err := db.UpsertCustomers(ctx, ws, []cx.Customer{{ExternalID: "known", Attributes: cx.Attributes{"plan": "pro", "seats": 12}}}, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 3, 4, 5, 6, 7, 891234567, time.UTC)
		batch := make([]cx.Response, 60)
		for i := range batch {
			batch[i] = cx.Response{Survey: "nps", Score: intp(i % 11), SubmittedAt: at.Add(time.Duration(i) * time.Minute),
				Channel: "web", Touchpoint: "checkout", Language: "en", Comment: "The app keeps logging me out.",
				IdempotencyKey: fmt.Sprint("k", i%50)}
			switch i % 3 {
			case 0:
				batch[i].Customer = "known"
			case 1:
				batch[i].Customer = fmt.Sprint("new-", i)
			}
			if i%4 == 0 {
				batch[i].Attributes = cx.Attributes{"region": "eu", "n": i}
			}
		}
		res, rows, err := db.InsertResponsesRows(ctx, ws, batch, store.BatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Inserted != 50 || len(rows) != 50 {
			t.Fatalf("inserted %d, %d rows; want 50 and 50", res.Inserted, len(rows))
		}
		var ids []int64
		for _, it := range res.Items {
			if it.Status == store.Created {
				ids = append(ids, it.ID)
			}
		}
		want, err := db.ResponseRows(ctx, ws, ids)
		if err != nil {
			t.Fatal(err)
		}
		if got, w := fmt.Sprintf("%+v", rows), fmt.Sprintf("%+v", want); got != w {
			t.Fatalf("rows from ingest differ from ResponseRows:\n got %s\nwant %s", got, w)
		}
		if rows[0].CustomerAttributes.String("plan") != "pro" {
			t.Fatalf("known customer's attributes missing: %+v", rows[0])
		}
		_, again, err := db.InsertResponsesRows(ctx, ws, batch, store.BatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(again) != 0 {
			t.Fatalf("a replayed batch returned %d rows, want none", len(again))
		}
	})
}

// TestResponseRowsProbesOnYoungTables checks that on PostgreSQL, on tables
// never analysed, ResponseRows of 500 ids probes the primary keys per id
// instead of hashing or sorting the whole workspace (the plan that made
// bench/ingest -no-comments crawl; see ResponseRows).
func TestResponseRowsProbesOnYoungTables(t *testing.T) {
	db := storetest.New(t, store.Postgres, store.Options{})
	ctx := context.Background()
	ws := setup(t, db)
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var ids []int64
	for b := range 3 {
		batch := make([]cx.Response, 10000)
		for i := range batch {
			n := b*10000 + i
			batch[i] = cx.Response{Survey: "nps", Customer: fmt.Sprint("c", n%15000), Score: intp(n % 11), SubmittedAt: at, Channel: "web"}
		}
		res, err := db.InsertResponses(ctx, ws, batch, store.BatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range res.Items[len(res.Items)-500:] {
			ids = append(ids, it.ID)
		}
	}
	plan, err := store.ResponseRowsPlanForTest(ctx, db, ws, ids[len(ids)-500:])
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"Hash", "Merge", "Seq Scan"} {
		if strings.Contains(plan, bad) {
			t.Fatalf("plan has %q, want a primary-key probe per id:\n%s", bad, plan)
		}
	}
	if !strings.Contains(plan, "responses_pkey") {
		t.Fatalf("plan does not probe responses_pkey:\n%s", plan)
	}
}
