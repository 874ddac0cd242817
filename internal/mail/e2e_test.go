package mail_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/httpapi"
	"github.com/cxlens/cxlens/internal/mail"
	"github.com/cxlens/cxlens/internal/mail/mailtest"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
	"github.com/cxlens/cxlens/internal/web"
)

// TestInvitationEndToEnd sends an invitation through the API, the
// dispatcher, the outbox, the mail worker and a real SMTP server (STARTTLS
// and AUTH PLAIN), reads the received message, follows its one-click score
// link twice and adds a comment through the hosted page (httpapi + web, as
// serve composes them), and checks one response was stored, with the
// invitation's touchpoint and agent. Then the unsubscribe link suppresses
// the address and the next invitation to it is not sent.
func TestInvitationEndToEnd(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.New(t, d, store.Options{})
			logger := slog.New(slog.DiscardHandler)
			w, err := db.CreateWorkspace(ctx, cx.Workspace{Name: "Acme"})
			if err != nil {
				t.Fatal(err)
			}
			ws := w.ID
			apiKey, _, err := db.CreateAPIKey(ctx, ws, "test", []string{cx.ScopeRead, cx.ScopeWrite})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.CreateSurvey(ctx, ws, cx.Survey{Key: "nps", Name: "NPS", Kind: cx.NPS}); err != nil {
				t.Fatal(err)
			}

			ts := httptest.NewUnstartedServer(nil)
			ts.Start()
			defer ts.Close()
			pages := web.New(db, logger, web.Options{Now: time.Now, BaseURL: ts.URL})
			ts.Config.Handler = httpapi.NewServer(db, logger, httpapi.Options{Now: time.Now, Web: pages})

			smtpd := mailtest.Start(t, mailtest.Options{TLS: mailtest.TLSStartTLS, User: "cx", Password: "s3cret"})
			sender, err := mail.NewSMTP(mail.Config{Host: smtpd.Host(), Port: smtpd.Port(), TLS: mail.TLSStartTLS, User: "cx", Password: "s3cret",
				From: "Acme CX <cx@acme.example>", RootCAs: smtpd.RootCAs()})
			if err != nil {
				t.Fatal(err)
			}
			render, err := mail.NewInvitations(ctx, db, ts.URL)
			if err != nil {
				t.Fatal(err)
			}
			worker := mail.NewWorker(db, sender, mail.Options{Logger: logger})

			api := func(method, path, body string) (int, []byte) {
				t.Helper()
				req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+apiKey)
				req.Header.Set("Content-Type", "application/json")
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				b, _ := io.ReadAll(res.Body)
				return res.StatusCode, b
			}
			status, body := api("POST", "/api/v1/surveys/nps/invitations", `[{"customer": "c1", "email": "ana@example.com", "language": "en",
				"touchpoint": "support", "touchpoint_ref": "T-1", "attributes": {"agent": "mihai"}, "idempotency_key": "inv-1"}]`)
			if status != http.StatusCreated {
				t.Fatalf("create invitation: %d %s", status, body)
			}
			var created struct{ Items []cx.Invitation }
			json.Unmarshal(body, &created)
			if len(created.Items) != 1 || created.Items[0].Status != cx.InvitationScheduled {
				t.Fatalf("created %s", body)
			}
			inv := created.Items[0]

			res, err := db.DispatchDue(ctx, time.Now(), 100, render.Render)
			if err != nil || res.Sent != 1 {
				t.Fatalf("dispatch %+v %v", res, err)
			}
			if n, err := worker.RunOnce(ctx); err != nil || n != 1 {
				t.Fatalf("mail worker claimed %d (%v)", n, err)
			}
			msgs, err := smtpd.Wait(1, 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			m := msgs[0]
			if m.To[0] != "ana@example.com" || !m.TLS || m.Auth != "cx" || m.Subject() != "Acme would like your feedback" {
				t.Errorf("received to %v tls %v auth %q subject %q", m.To, m.TLS, m.Auth, m.Subject())
			}
			text, err := m.Part("text/plain")
			if err != nil {
				t.Fatal(err)
			}
			htmlPart, err := m.Part("text/html")
			if err != nil {
				t.Fatal(err)
			}
			link := regexp.MustCompile(regexp.QuoteMeta(ts.URL) + `/s/[A-Za-z0-9_.-]+\?score=9`).FindString(text)
			if link == "" || !strings.Contains(htmlPart, html.EscapeString(link)) {
				t.Fatalf("no score=9 link in the mail:\n%s", text)
			}
			unsub := regexp.MustCompile(regexp.QuoteMeta(ts.URL) + `/u/[A-Za-z0-9_.-]+`).FindString(text)
			if h, _ := m.Header(); unsub == "" || h.Get("List-Unsubscribe") != "<"+unsub+">" {
				t.Fatalf("unsubscribe link %q, header %q", unsub, h.Get("List-Unsubscribe"))
			}
			got, _ := db.Invitation(ctx, ws, inv.ID)
			if got.Status != cx.InvitationSent || got.SentAt == nil {
				t.Errorf("after sending: %+v", got)
			}

			// Click the score link twice (a double click, or a mail
			// scanner then the customer).
			var page string
			for range 2 {
				res, err := http.Get(link)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					t.Fatalf("score link: %d %s", res.StatusCode, b)
				}
				page = string(b)
			}
			ft := regexp.MustCompile(`name="ft" value="([^"]+)"`).FindStringSubmatch(page)
			if ft == nil || !strings.Contains(page, `name="comment"`) {
				t.Fatalf("the score link did not open the comment step:\n%s", page)
			}
			form := url.Values{"ft": {html.UnescapeString(ft[1])}, "lang": {"en"}, "step": {"comment"}, "comment": {"Quick and friendly."}}
			action := strings.SplitN(link, "?", 2)[0]
			req, _ := http.NewRequest("POST", action, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", ts.URL)
			post, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			pb, _ := io.ReadAll(post.Body)
			post.Body.Close()
			if post.StatusCode != http.StatusOK {
				t.Fatalf("comment: %d %s", post.StatusCode, pb)
			}

			status, body = api("GET", "/api/v1/responses?survey=nps", "")
			var list struct{ Items []cx.Response }
			if err := json.Unmarshal(body, &list); err != nil || status != 200 {
				t.Fatalf("responses: %d %s", status, body)
			}
			if len(list.Items) != 1 {
				t.Fatalf("%d responses after two clicks and a comment, want 1: %s", len(list.Items), body)
			}
			r := list.Items[0]
			if r.Score == nil || *r.Score != 9 || r.Comment != "Quick and friendly." || r.Customer != "c1" || r.Touchpoint != "support" ||
				r.Attributes["agent"] != "mihai" || r.Attributes["touchpoint_ref"] != "T-1" || r.Channel != cx.ChannelEmail {
				t.Errorf("response %+v", r)
			}
			got, _ = db.Invitation(ctx, ws, inv.ID)
			if got.OpenedAt == nil || got.AnsweredAt == nil || got.ResponseID != r.ID {
				t.Errorf("invitation after answering: %+v", got)
			}
			// Funnel and response rate see it.
			status, body = api("GET", "/api/v1/metrics/response_rate?survey=nps", "")
			var rr struct {
				Value *float64 `json:"value"`
				N     int      `json:"n"`
			}
			if json.Unmarshal(body, &rr); status != 200 || rr.Value == nil || *rr.Value != 1 || rr.N != 1 {
				t.Errorf("response_rate: %d %s", status, body)
			}
			status, body = api("GET", "/api/v1/surveys/nps/funnel", "")
			if status != 200 || !strings.Contains(string(body), `"delivered":1`) || !strings.Contains(string(body), `"answered":1`) {
				t.Errorf("funnel: %d %s", status, body)
			}

			// Unsubscribe: GET confirms only, POST suppresses.
			res2, err := http.Get(unsub)
			if err != nil {
				t.Fatal(err)
			}
			ub, _ := io.ReadAll(res2.Body)
			res2.Body.Close()
			if res2.StatusCode != 200 || !strings.Contains(string(ub), "<form") {
				t.Fatalf("unsubscribe page: %d %s", res2.StatusCode, ub)
			}
			if sup, _ := db.Suppressed(ctx, ws, "ana@example.com"); sup {
				t.Fatal("a GET unsubscribed")
			}
			res3, err := http.Post(unsub, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
			if err != nil {
				t.Fatal(err)
			}
			res3.Body.Close()
			if sup, _ := db.Suppressed(ctx, ws, "ana@example.com"); res3.StatusCode != 200 || !sup {
				t.Fatalf("one-click unsubscribe: %d, suppressed %v", res3.StatusCode, sup)
			}
			status, body = api("POST", "/api/v1/surveys/nps/invitations", `{"customer": "c1", "email": "ana@example.com"}`)
			if status != http.StatusCreated || !strings.Contains(string(body), `"status":"suppressed"`) {
				t.Errorf("invitation to an unsubscribed address: %d %s", status, body)
			}
			if _, err := db.DispatchDue(ctx, time.Now(), 100, render.Render); err != nil {
				t.Fatal(err)
			}
			worker.RunOnce(ctx)
			if n := len(smtpd.Messages()); n != 1 {
				t.Errorf("%d messages after unsubscribing, want still 1", n)
			}
			res4, _ := http.Get(ts.URL + "/u/forged.token")
			if res4.StatusCode != http.StatusNotFound {
				t.Errorf("forged unsubscribe token: %d", res4.StatusCode)
			}
			res4.Body.Close()
		})
	}
}
