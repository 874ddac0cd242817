package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// TestWorkspaceIsolation writes the same external ids into two workspaces
// and checks that no read or write of one reaches the other's rows.
func TestWorkspaceIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, b := setup(t, db), setup(t, db)
		at := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
		ra, err := db.InsertResponses(ctx, a, []cx.Response{{Survey: "nps", Customer: "same", Score: intp(10), SubmittedAt: at, Comment: "A's", IdempotencyKey: "k"}}, store.BatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// The same idempotency key in B is a different item, not a duplicate.
		rb, err := db.InsertResponses(ctx, b, []cx.Response{{Survey: "nps", Customer: "same", Score: intp(0), SubmittedAt: at, Comment: "B's", IdempotencyKey: "k"}}, store.BatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if rb.Inserted != 1 {
			t.Fatalf("B's insert was taken for A's duplicate: %+v", rb)
		}
		if _, err := db.InsertEvents(ctx, a, []cx.Event{{Customer: "only-a", Type: cx.Purchase, Value: 10, OccurredAt: at}}, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		ev, _ := db.Events(ctx, a, store.EventFilter{})
		tk, err := db.InsertTickets(ctx, a, []cx.Ticket{{Customer: "only-a", OpenedAt: at, Agent: "ann"}}, store.BatchOptions{})
		if err != nil {
			t.Fatal(err)
		}

		// Ids are unique within a workspace only (SQLite numbers them per
		// workspace), so B asking for A's id gets B's own row or nothing.
		if r, err := db.Response(ctx, b, ra.Items[0].ID); err == nil && r.Comment == "A's" {
			t.Errorf("B read A's response")
		}
		if r, err := db.Response(ctx, b, rb.Items[0].ID); err != nil || r.Comment != "B's" {
			t.Errorf("B's response = %+v, %v", r, err)
		}
		if _, err := db.Event(ctx, b, ev.Items[0].ID); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("B read A's event: %v", err)
		}
		if _, err := db.Ticket(ctx, b, tk.Items[0].ID); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("B read A's ticket: %v", err)
		}
		if _, err := db.Customer(ctx, b, "only-a"); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("B read A's customer: %v", err)
		}
		if err := db.EraseCustomer(ctx, b, "only-a"); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("B erased A's customer: %v", err)
		}
		if _, err := db.ExportCustomer(ctx, b, "only-a"); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("B exported A's customer: %v", err)
		}
		for name, n := range map[string]func() int{
			"responses": func() int { p, _ := db.Responses(ctx, b, store.ResponseFilter{}); return len(p.Items) },
			"events":    func() int { p, _ := db.Events(ctx, b, store.EventFilter{}); return len(p.Items) },
			"tickets":   func() int { p, _ := db.Tickets(ctx, b, store.TicketFilter{}); return len(p.Items) },
			"customers": func() int { p, _ := db.Customers(ctx, b, store.CustomerFilter{}); return len(p.Items) },
		} {
			want := 0
			if name == "responses" || name == "customers" {
				want = 1 // B's own
			}
			if got := n(); got != want {
				t.Errorf("B lists %d %s, want %d", got, name, want)
			}
		}
		// Erasing in B leaves A's customer of the same external id alone.
		if err := db.EraseCustomer(ctx, b, "same"); err != nil {
			t.Fatal(err)
		}
		if c, err := db.Customer(ctx, a, "same"); err != nil || c.ErasedAt != nil {
			t.Errorf("A's customer after B's erase: %+v, %v", c, err)
		}
		if r, _ := db.Response(ctx, a, ra.Items[0].ID); r.Comment != "A's" {
			t.Errorf("A's comment after B's erase: %q", r.Comment)
		}
	})
}

func TestAPIKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := setup(t, db)
		key, k, err := db.CreateAPIKey(ctx, ws, "ci", []string{"read"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.AuthenticateAPIKey(ctx, key)
		if err != nil || got.WorkspaceID != ws || got.HasScope(cx.ScopeWrite) || !got.HasScope(cx.ScopeRead) {
			t.Fatalf("authenticate = %+v, %v", got, err)
		}
		keys, _ := db.APIKeys(ctx, ws)
		if len(keys) != 1 || keys[0].Hash == key || keys[0].Prefix != key[:12] {
			t.Fatalf("stored keys %+v", keys)
		}
		if _, err := db.AuthenticateAPIKey(ctx, key+"x"); !errors.Is(err, cx.ErrUnauthorized) {
			t.Errorf("wrong key: %v", err)
		}
		if err := db.RevokeAPIKey(ctx, ws, k.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AuthenticateAPIKey(ctx, key); !errors.Is(err, cx.ErrUnauthorized) {
			t.Errorf("revoked key: %v", err)
		}
		if _, _, err := db.CreateAPIKey(ctx, ws, "bad", []string{"admin"}); !errors.Is(err, cx.ErrInvalid) {
			t.Errorf("bad scope: %v", err)
		}
	})
}

func TestEraseAndExportCustomer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := setup(t, db)
		at := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
		if _, err := db.UpsertCustomers(ctx, ws, []cx.Customer{{ExternalID: "u1", Email: "ana@example.com", Name: "Ana", Attributes: cx.Attributes{"plan": "pro", "phone": "+40 700"}}}, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.InsertResponses(ctx, ws, []cx.Response{{Survey: "nps", Customer: "u1", Score: intp(4), SubmittedAt: at, Comment: "call me at +40 700", Attributes: cx.Attributes{"email": "ana@example.com", "region": "EU"}}}, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.InsertEvents(ctx, ws, []cx.Event{{Customer: "u1", Type: cx.Purchase, Value: 99, OccurredAt: at}}, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		exp, err := db.ExportCustomer(ctx, ws, "u1")
		if err != nil {
			t.Fatal(err)
		}
		if exp.Customer.Email != "ana@example.com" || len(exp.Responses) != 1 || len(exp.Events) != 1 || len(exp.Tickets) != 0 {
			t.Fatalf("export = %+v", exp)
		}
		if err := db.EraseCustomer(ctx, ws, "u1"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Customer(ctx, ws, "u1"); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("erased customer still found by external id: %v", err)
		}
		rs, _ := db.Responses(ctx, ws, store.ResponseFilter{})
		if len(rs.Items) != 1 || *rs.Items[0].Score != 4 || rs.Items[0].Comment != "" || rs.Items[0].Attributes["email"] != nil || rs.Items[0].Attributes.String("region") != "EU" {
			t.Errorf("response after erase = %+v", rs.Items)
		}
		cs, _ := db.Customers(ctx, ws, store.CustomerFilter{})
		c := cs.Items[0]
		if c.Email != "" || c.Name != "" || c.ErasedAt == nil || c.Attributes["phone"] != nil || c.Attributes.String("plan") != "pro" {
			t.Errorf("customer after erase = %+v", c)
		}
		ev, _ := db.Events(ctx, ws, store.EventFilter{})
		if len(ev.Items) != 1 || ev.Items[0].Value != 99 {
			t.Errorf("events after erase = %+v", ev.Items)
		}
	})
}

func TestUpsertCustomers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := setup(t, db)
		res, err := db.UpsertCustomers(ctx, ws, []cx.Customer{
			{ExternalID: "u1", Email: "a@example.com", Attributes: cx.Attributes{"plan": "basic", "region": "EU"}},
			{ExternalID: "u2", Name: "Bo"},
		}, store.BatchOptions{})
		if err != nil || res.Inserted != 2 {
			t.Fatalf("create: %+v, %v", res, err)
		}
		res, err = db.UpsertCustomers(ctx, ws, []cx.Customer{{ExternalID: "u1", Name: "Ana", Attributes: cx.Attributes{"plan": "pro", "region": nil}}}, store.BatchOptions{})
		if err != nil || res.Updated != 1 {
			t.Fatalf("update: %+v, %v", res, err)
		}
		c, err := db.Customer(ctx, ws, "u1")
		if err != nil || c.Email != "a@example.com" || c.Name != "Ana" || c.Attributes.String("plan") != "pro" || c.Attributes["region"] != nil {
			t.Errorf("merged customer = %+v, %v", c, err)
		}
		_, err = db.UpsertCustomers(ctx, ws, []cx.Customer{{ExternalID: "u3", Email: "not-an-email"}}, store.BatchOptions{})
		var ve *cx.ValidationError
		if !errors.As(err, &ve) || ve.Fields[0].Field != "email" {
			t.Errorf("bad email: %v", err)
		}
	})
}

func TestSurveys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := setup(t, db)
		if _, err := db.CreateSurvey(ctx, ws, cx.Survey{Key: "nps", Kind: cx.NPS}); !errors.Is(err, cx.ErrConflict) {
			t.Errorf("duplicate key: %v", err)
		}
		s, err := db.CreateSurvey(ctx, ws, cx.Survey{Key: "support-ces", Kind: cx.CES, Name: "After support"})
		if err != nil || s.ScaleMin != 1 || s.ScaleMax != 7 {
			t.Fatalf("ces survey = %+v, %v", s, err)
		}
		if _, err := db.CreateSurvey(ctx, ws, cx.Survey{Key: "Bad Key", Kind: cx.CSAT}); !errors.Is(err, cx.ErrInvalid) {
			t.Errorf("bad key: %v", err)
		}
		got, err := db.Survey(ctx, ws, "support-ces")
		if err != nil || got.Name != "After support" || got.Kind != cx.CES {
			t.Errorf("survey = %+v, %v", got, err)
		}
		if _, err := db.InsertResponses(ctx, ws, []cx.Response{{Survey: "support-ces", Customer: "c", Score: intp(0), SubmittedAt: time.Now()}}, store.BatchOptions{}); !errors.Is(err, cx.ErrInvalid) {
			t.Errorf("CES score 0 accepted: %v", err)
		}
	})
}
