package demo

import (
	"context"
	"testing"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// all pages through a store list.
func all[T any](t *testing.T, list func(cursor string) (store.Page[T], error)) []T {
	t.Helper()
	var out []T
	cursor := ""
	for {
		page, err := list(cursor)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			return out
		}
		cursor = page.NextCursor
	}
}

func TestCreateSQLite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.New(t, store.SQLite, store.Options{})
	opts := Options{Seed: 7, Customers: 300, Now: testNow, WorkspaceName: "Demo test"}
	ws, sum, err := Create(ctx, db, opts)
	if err != nil {
		t.Fatal(err)
	}
	if ws.ID == 0 || ws.Name != "Demo test" {
		t.Fatalf("workspace = %+v", ws)
	}
	want := Generate(opts).Summary()

	customers := all(t, func(c string) (store.Page[cx.Customer], error) {
		return db.Customers(ctx, ws.ID, store.CustomerFilter{Cursor: c, Limit: store.MaxLimit})
	})
	events := all(t, func(c string) (store.Page[cx.Event], error) {
		return db.Events(ctx, ws.ID, store.EventFilter{ListFilter: store.ListFilter{Cursor: c, Limit: store.MaxLimit}})
	})
	tickets := all(t, func(c string) (store.Page[cx.Ticket], error) {
		return db.Tickets(ctx, ws.ID, store.TicketFilter{ListFilter: store.ListFilter{Cursor: c, Limit: store.MaxLimit}})
	})
	responses := all(t, func(c string) (store.Page[cx.Response], error) {
		return db.Responses(ctx, ws.ID, store.ResponseFilter{ListFilter: store.ListFilter{Cursor: c, Limit: store.MaxLimit}})
	})
	surveys, err := db.Surveys(ctx, ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	stored := Dataset{Customers: customers, Events: events, Tickets: tickets, Responses: responses, Surveys: surveys}
	got := stored.Summary()

	for _, c := range []struct {
		name                  string
		returned, stored, gen int
	}{
		{"customers", sum.Customers, got.Customers, want.Customers},
		{"events", sum.TotalEvents(), got.TotalEvents(), want.TotalEvents()},
		{"tickets", sum.Tickets, got.Tickets, want.Tickets},
		{"responses", sum.TotalResponses(), got.TotalResponses(), want.TotalResponses()},
		{"surveys", sum.Surveys, got.Surveys, want.Surveys},
		{"agents", sum.Agents, got.Agents, want.Agents},
	} {
		if c.returned != c.stored || c.stored != c.gen || c.gen == 0 {
			t.Errorf("%s: summary %d, stored %d, generated %d", c.name, c.returned, c.stored, c.gen)
		}
	}
	for _, typ := range cx.EventTypes {
		if sum.Events[typ] != got.Events[typ] || got.Events[typ] != want.Events[typ] {
			t.Errorf("events %s: summary %d, stored %d, generated %d", typ, sum.Events[typ], got.Events[typ], want.Events[typ])
		}
	}
	for _, s := range surveys {
		if sum.Responses[s.Key] != got.Responses[s.Key] || got.Responses[s.Key] != want.Responses[s.Key] {
			t.Errorf("responses %s: summary %d, stored %d, generated %d", s.Key, sum.Responses[s.Key], got.Responses[s.Key], want.Responses[s.Key])
		}
	}
	// The store keeps what the generator made: spot-check a customer.
	c, err := db.Customer(ctx, ws.ID, "C00001")
	if err != nil {
		t.Fatal(err)
	}
	if c.Attributes.String("plan") == "" || c.Email == "" {
		t.Errorf("customer C00001 = %+v, want plan and email", c)
	}
}

// BenchmarkCreate measures generating and loading the default 5,000
// customers into SQLite:
//
//	go test -run '^$' -bench Create -benchtime 1x ./internal/demo/
func BenchmarkCreate(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		db := storetest.New(b, store.SQLite, store.Options{})
		_, sum, err := Create(ctx, db, Options{Now: testNow})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(sum.Customers+sum.TotalEvents()+sum.Tickets+sum.TotalResponses()), "rows")
	}
}

// BenchmarkGenerate measures generating the default data set alone.
func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		Generate(Options{Now: testNow})
	}
}
