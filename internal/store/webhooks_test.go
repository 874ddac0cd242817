package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

func TestWebhookValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := outboxWorkspace(t, db, "Acme")
		tests := []struct {
			name  string
			hook  store.Webhook
			field string // "" when valid
		}{
			{"valid", store.Webhook{URL: "https://example.com/hook", Events: []string{"response.created"}}, ""},
			{"every event", store.Webhook{URL: "http://10.0.0.1:8080/x", Events: []string{"*"}}, ""},
			{"no url", store.Webhook{Events: []string{"response.created"}}, "url"},
			{"relative url", store.Webhook{URL: "/hook", Events: []string{"response.created"}}, "url"},
			{"ftp url", store.Webhook{URL: "ftp://example.com/", Events: []string{"response.created"}}, "url"},
			{"credentials in url", store.Webhook{URL: "https://u:p@example.com/", Events: []string{"response.created"}}, "url"},
			{"no events", store.Webhook{URL: "https://example.com/"}, "events"},
			{"bad event", store.Webhook{URL: "https://example.com/", Events: []string{"Response"}}, "events"},
			{"short secret", store.Webhook{URL: "https://example.com/", Events: []string{"alert.fired"}, Secret: "abc"}, "secret"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				w, err := db.CreateWebhook(ctx, ws, tt.hook)
				if tt.field == "" {
					if err != nil || w.ID == 0 || !strings.HasPrefix(w.Secret, "whsec_") || !w.Active {
						t.Fatalf("CreateWebhook = %+v, %v", w, err)
					}
					return
				}
				var ve *cx.ValidationError
				if !errors.As(err, &ve) || ve.Fields[0].Field != tt.field {
					t.Fatalf("CreateWebhook error = %v, want a validation error on %s", err, tt.field)
				}
			})
		}
	})
}

func TestWebhookCRUD(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, b := outboxWorkspace(t, db, "A"), outboxWorkspace(t, db, "B")
		w, err := db.CreateWebhook(ctx, a, store.Webhook{URL: " https://example.com/a ", Events: []string{"response.created", "alert.fired", "alert.fired"}, Secret: "0123456789abcdef0123"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.Webhook(ctx, a, w.ID)
		if err != nil || got.URL != "https://example.com/a" || got.Secret != "0123456789abcdef0123" ||
			strings.Join(got.Events, ",") != "response.created,alert.fired" || !got.Active || !got.CreatedAt.Equal(w.CreatedAt) {
			t.Fatalf("Webhook = %+v, %v; created %+v", got, err, w)
		}
		if !got.Subscribes("alert.fired") || got.Subscribes("case.updated") {
			t.Errorf("Subscribes is wrong for %v", got.Events)
		}
		if list, err := db.Webhooks(ctx, a); err != nil || len(list) != 1 {
			t.Errorf("Webhooks(A) = %+v, %v", list, err)
		}
		for _, c := range []struct {
			ws    int64
			topic string
			want  bool
		}{{a, "alert.fired", true}, {a, "case.updated", false}, {b, "alert.fired", false}} {
			if got, err := db.HasSubscribers(ctx, c.ws, c.topic); got != c.want || err != nil {
				t.Errorf("HasSubscribers(%d, %s) = %v, %v; want %v", c.ws, c.topic, got, err, c.want)
			}
		}

		// B sees nothing of A's, and cannot change or delete it.
		if list, err := db.Webhooks(ctx, b); err != nil || len(list) != 0 {
			t.Errorf("Webhooks(B) = %+v, %v", list, err)
		}
		if _, err := db.Webhook(ctx, b, w.ID); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("B reads A's webhook: %v", err)
		}
		if err := db.SetWebhookActive(ctx, b, w.ID, false); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("B pauses A's webhook: %v", err)
		}
		if err := db.DeleteWebhook(ctx, b, w.ID); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("B deletes A's webhook: %v", err)
		}
		if _, err := db.CreateWebhook(ctx, 9999, store.Webhook{URL: "https://example.com/", Events: []string{"*"}}); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("webhook in a missing workspace: %v", err)
		}

		if err := db.SetWebhookActive(ctx, a, w.ID, false); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Webhook(ctx, a, w.ID); got.Active {
			t.Errorf("still active after pausing")
		}
		if got, _ := db.HasSubscribers(ctx, a, "alert.fired"); got {
			t.Errorf("a paused webhook counts as a subscriber")
		}
		if err := db.DeleteWebhook(ctx, a, w.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Webhook(ctx, a, w.ID); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("deleted webhook still there: %v", err)
		}
	})
}

// TestWebhookTargets: a message goes to the active subscriptions of its
// workspace and topic that existed when it was created, and a retry skips
// those that already accepted it.
func TestWebhookTargets(t *testing.T) {
	eachWithClock(t, func(t *testing.T, db *store.DB, clk *outboxClock) {
		ctx := context.Background()
		a, b := outboxWorkspace(t, db, "A"), outboxWorkspace(t, db, "B")
		hook := func(ws int64, events ...string) store.Webhook {
			w, err := db.CreateWebhook(ctx, ws, store.Webhook{URL: "https://example.com/", Events: events})
			if err != nil {
				t.Fatal(err)
			}
			return w
		}
		h1, h2 := hook(a, "response.created"), hook(a, "*")
		hook(a, "alert.fired")
		paused := hook(a, "response.created")
		if err := db.SetWebhookActive(ctx, a, paused.ID, false); err != nil {
			t.Fatal(err)
		}
		hook(b, "*")
		clk.Advance(time.Second)
		m := enqueueN(t, db, a, 1)[0]
		clk.Advance(time.Second)
		hook(a, "response.created") // too late for m

		ids := func() []int64 {
			ws, err := db.WebhookTargets(ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, w := range ws {
				if w.WorkspaceID != a {
					t.Errorf("target %+v of another workspace", w)
				}
				out = append(out, w.ID)
			}
			return out
		}
		if got := ids(); len(got) != 2 || got[0] != h1.ID || got[1] != h2.ID {
			t.Fatalf("targets = %v, want [%d %d]", got, h1.ID, h2.ID)
		}
		log := []store.Delivery{
			{WorkspaceID: a, MessageID: m.ID, WebhookID: h1.ID, Attempt: 1, StatusCode: 500, Error: "HTTP 500", Duration: 12 * time.Millisecond},
			{WorkspaceID: a, MessageID: m.ID, WebhookID: h2.ID, Attempt: 1, StatusCode: 204, Duration: 3 * time.Millisecond},
		}
		for _, d := range log {
			if _, err := db.LogDelivery(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		if got := ids(); len(got) != 1 || got[0] != h1.ID {
			t.Fatalf("targets after h2 accepted = %v, want [%d]", got, h1.ID)
		}

		page, err := db.Deliveries(ctx, a, store.DeliveryFilter{WebhookID: h1.ID})
		if err != nil || len(page.Items) != 1 || page.Items[0].StatusCode != 500 || page.Items[0].Duration != 12*time.Millisecond ||
			page.Items[0].OK() || !page.Items[0].At.Equal(clk.Now()) {
			t.Fatalf("deliveries of h1 = %+v, %v", page, err)
		}
		page, err = db.Deliveries(ctx, a, store.DeliveryFilter{MessageID: m.ID, Limit: 1})
		if err != nil || len(page.Items) != 1 || page.NextCursor == "" {
			t.Fatalf("first page = %+v, %v", page, err)
		}
		page, err = db.Deliveries(ctx, a, store.DeliveryFilter{MessageID: m.ID, Limit: 1, Cursor: page.NextCursor})
		if err != nil || len(page.Items) != 1 || !page.Items[0].OK() || page.NextCursor != "" {
			t.Fatalf("second page = %+v, %v", page, err)
		}
		if page, _ := db.Deliveries(ctx, b, store.DeliveryFilter{}); len(page.Items) != 0 {
			t.Errorf("B lists A's deliveries: %+v", page.Items)
		}
		// Deleting a webhook deletes its log.
		if err := db.DeleteWebhook(ctx, a, h1.ID); err != nil {
			t.Fatal(err)
		}
		if page, _ := db.Deliveries(ctx, a, store.DeliveryFilter{WebhookID: h1.ID}); len(page.Items) != 0 {
			t.Errorf("log of a deleted webhook: %+v", page.Items)
		}
	})
}
