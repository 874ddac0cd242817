package schedule

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/httpapi"
	"github.com/cxlens/cxlens/internal/mail"
	"github.com/cxlens/cxlens/internal/mail/mailtest"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
	"github.com/cxlens/cxlens/internal/webhook"
)

// TestDetractorClosesTheLoop is the end-to-end path through real servers:
// rules and a webhook are set up through the HTTP API, a detractor
// response is posted to it, and then the case exists (assigned to its
// owner), the webhook worker delivers a signed alert.fired to an httptest
// receiver that verifies the signature, and the mail worker sends the
// owner an email through the SMTP test server.
func TestDetractorClosesTheLoop(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			db := storetest.New(t, d, store.Options{})
			w, err := db.CreateWorkspace(ctx, cx.Workspace{Name: "Acme"})
			if err != nil {
				t.Fatal(err)
			}
			key, _, err := db.CreateAPIKey(ctx, w.ID, "e2e", []string{cx.ScopeRead, cx.ScopeWrite})
			if err != nil {
				t.Fatal(err)
			}
			api := httptest.NewServer(httpapi.NewServer(db, slog.New(slog.DiscardHandler), httpapi.Options{}))
			defer api.Close()
			call := func(method, path string, body any, want int) []byte {
				t.Helper()
				var rd io.Reader
				if body != nil {
					b, _ := json.Marshal(body)
					rd = bytes.NewReader(b)
				}
				req, _ := http.NewRequestWithContext(ctx, method, api.URL+path, rd)
				req.Header.Set("Authorization", "Bearer "+key)
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != want {
					t.Fatalf("%s %s = %d %s, want %d", method, path, resp.StatusCode, b, want)
				}
				return b
			}

			// The receiver verifies every request's signature.
			var mu sync.Mutex
			var secret string
			var got []webhook.Envelope
			var sigErrs []error
			recv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				defer mu.Unlock()
				if err := webhook.Verify(secret, r.Header.Get(webhook.HeaderTimestamp), b, r.Header.Get(webhook.HeaderSignature), time.Minute); err != nil {
					sigErrs = append(sigErrs, err)
					rw.WriteHeader(http.StatusUnauthorized)
					return
				}
				var env webhook.Envelope
				if err := json.Unmarshal(b, &env); err != nil {
					sigErrs = append(sigErrs, err)
				}
				got = append(got, env)
			}))
			defer recv.Close()
			smtp := mailtest.Start(t, mailtest.Options{})

			call("POST", "/api/v1/surveys", map[string]any{"key": "nps", "kind": "nps"}, http.StatusCreated)
			call("PUT", "/api/v1/loop-settings", map[string]any{"dashboard_url": "https://cx.example.com"}, http.StatusOK)
			call("POST", "/api/v1/case-assignment-rules", map[string]any{"owners": []string{"ana@example.com"}}, http.StatusCreated)
			var hook store.Webhook
			if err := json.Unmarshal(call("POST", "/api/v1/webhooks", map[string]any{"url": recv.URL, "events": []string{"alert.fired"}}, http.StatusCreated), &hook); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			secret = hook.Secret
			mu.Unlock()
			call("POST", "/api/v1/alert-rules", map[string]any{"name": "Detractor", "survey": "nps", "max_score": 6, "sla_hours": 24,
				"actions": []string{"create_case", "webhook", "email"}}, http.StatusCreated)
			// Bad input names the field.
			if b := call("POST", "/api/v1/alert-rules", map[string]any{"name": "x", "kind": "sla_breach"}, http.StatusUnprocessableEntity); !strings.Contains(string(b), "first_response_minutes") {
				t.Errorf("422 body %s", b)
			}

			call("POST", "/api/v1/responses", map[string]any{"survey": "nps", "customer": "dan", "score": 3, "comment": "Slow refund",
				"submitted_at": time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)}, http.StatusCreated)

			var cases struct {
				Items []store.Case `json:"items"`
			}
			if err := json.Unmarshal(call("GET", "/api/v1/cases?status=open", nil, http.StatusOK), &cases); err != nil {
				t.Fatal(err)
			}
			if len(cases.Items) != 1 || cases.Items[0].Customer != "dan" || cases.Items[0].Owner != "ana@example.com" || cases.Items[0].DueAt == nil {
				t.Fatalf("cases = %+v", cases.Items)
			}
			caseID := cases.Items[0].ID

			// The workers, as cxlens serve runs them.
			hooks := webhook.NewWorker(db, webhook.Options{PollInterval: 20 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
			sender, err := mail.NewSMTP(mail.Config{Host: smtp.Host(), Port: smtp.Port(), TLS: mail.TLSNone, From: "cx@example.com"})
			if err != nil {
				t.Fatal(err)
			}
			mails := mail.NewWorker(db, sender, mail.Options{PollInterval: 20 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
			var wg sync.WaitGroup
			wg.Go(func() { hooks.Run(ctx) })
			wg.Go(func() { mails.Run(ctx) })
			defer func() { cancel(); wg.Wait() }()

			msgs, err := smtp.Wait(1, 10*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			m := msgs[0]
			if len(m.To) != 1 || m.To[0] != "ana@example.com" || !strings.Contains(m.Subject(), "dan scored 3 on nps") {
				t.Errorf("mail to %v, subject %q", m.To, m.Subject())
			}
			if text, err := m.Part("text/plain"); err != nil || !strings.Contains(text, "Slow refund") || !strings.Contains(text, fmt.Sprintf("https://cx.example.com/app/cases/%d", caseID)) {
				t.Errorf("mail text %q (%v)", text, err)
			}

			deadline := time.Now().Add(10 * time.Second)
			for {
				mu.Lock()
				n := len(got)
				mu.Unlock()
				if n > 0 || time.Now().After(deadline) {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(sigErrs) > 0 || len(got) != 1 {
				t.Fatalf("webhooks: %d delivered, errors %v", len(got), sigErrs)
			}
			var ev store.AlertFired
			if err := json.Unmarshal(got[0].Data, &ev); err != nil {
				t.Fatal(err)
			}
			if got[0].Type != "alert.fired" || ev.Alert.CaseID != caseID || ev.Response == nil || *ev.Response.Score != 3 ||
				ev.CaseURL != fmt.Sprintf("https://cx.example.com/app/cases/%d", caseID) {
				t.Errorf("alert.fired = %+v / %+v", got[0], ev)
			}
		})
	}
}
