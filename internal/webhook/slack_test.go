package webhook

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/alert"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// TestSlackDelivery: a detractor response fires a rule with the webhook
// action; a Slack subscription receives an incoming-webhook message whose
// blocks carry the score, customer, comment (escaped) and the case link,
// while a JSON subscription of the same workspace gets the signed envelope.
func TestSlackDelivery(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, d)
			var mu sync.Mutex
			var slackBodies [][]byte
			var contentType string
			slack := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				slackBodies = append(slackBodies, b)
				contentType = r.Header.Get("Content-Type")
				mu.Unlock()
				io.WriteString(w, "ok")
			}))
			defer slack.Close()
			jsonRecv := newReceiver(t, e.clk, 200)

			if _, err := e.db.CreateSurvey(ctx, e.ws, cx.Survey{Key: "nps", Kind: cx.NPS}); err != nil {
				t.Fatal(err)
			}
			if _, err := e.db.SetLoopSettings(ctx, e.ws, store.LoopSettings{DashboardURL: "https://cx.example.com"}); err != nil {
				t.Fatal(err)
			}
			if _, err := e.db.CreateWebhook(ctx, e.ws, store.Webhook{URL: slack.URL, Events: []string{AlertFired}, Format: store.WebhookSlack}); err != nil {
				t.Fatal(err)
			}
			h := e.hook(t, e.ws, jsonRecv.srv.URL, AlertFired)
			jsonRecv.setSecret(h.Secret)
			if _, err := e.db.CreateWebhook(ctx, e.ws, store.Webhook{URL: slack.URL, Events: []string{AlertFired}, Format: "teams"}); err == nil {
				t.Error("format teams accepted")
			}
			if _, err := e.db.CreateAlertRule(ctx, e.ws, alert.Rule{Name: "Detractor", Survey: "nps", MaxScore: 6,
				Actions: []alert.Action{alert.ActionCreateCase, alert.ActionWebhook}}); err != nil {
				t.Fatal(err)
			}
			score := 2
			if _, err := e.db.InsertResponses(ctx, e.ws, []cx.Response{{Survey: "nps", Customer: "dan", Score: &score,
				Comment: "Late <@channel> & rude", SubmittedAt: e.clk.Now().Add(-time.Minute)}}, store.BatchOptions{}); err != nil {
				t.Fatal(err)
			}
			w := e.worker("w1", Options{})
			if n, err := w.RunOnce(ctx); err != nil || n != 1 {
				t.Fatalf("RunOnce = %d, %v", n, err)
			}

			mu.Lock()
			defer mu.Unlock()
			if len(slackBodies) != 1 || contentType != "application/json" {
				t.Fatalf("Slack got %d requests (%s)", len(slackBodies), contentType)
			}
			var msg struct {
				Text   string `json:"text"`
				Blocks []struct {
					Type    string `json:"type"`
					BlockID string `json:"block_id"`
					Text    *struct {
						Type string `json:"type"`
						Text string `json:"text"`
					} `json:"text"`
					Fields []struct {
						Type string `json:"type"`
						Text string `json:"text"`
					} `json:"fields"`
				} `json:"blocks"`
			}
			if err := json.Unmarshal(slackBodies[0], &msg); err != nil {
				t.Fatalf("Slack body %s: %v", slackBodies[0], err)
			}
			blocks := map[string]int{}
			for i, b := range msg.Blocks {
				blocks[b.BlockID] = i
			}
			for _, id := range []string{"title", "facts", "comment", "case"} {
				if _, ok := blocks[id]; !ok {
					t.Fatalf("no %s block in %s", id, slackBodies[0])
				}
			}
			if b := msg.Blocks[blocks["title"]]; b.Type != "header" || b.Text.Type != "plain_text" || !strings.Contains(b.Text.Text, "dan scored 2 on nps") {
				t.Errorf("title block = %+v", b)
			}
			facts := msg.Blocks[blocks["facts"]].Fields
			if len(facts) != 3 || facts[0].Text != "*Score*\n2 (nps)" || facts[1].Text != "*Customer*\ndan" || facts[2].Text != "*Rule*\nDetractor" {
				t.Errorf("facts = %+v", facts)
			}
			if c := msg.Blocks[blocks["comment"]].Text.Text; c != "*Comment*\n>Late &lt;@channel&gt; &amp; rude" {
				t.Errorf("comment = %q (must be escaped)", c)
			}
			cases, err := e.db.Cases(ctx, e.ws, store.CaseFilter{})
			if err != nil || len(cases.Items) != 1 {
				t.Fatalf("cases = %+v, %v", cases.Items, err)
			}
			wantLink := "<https://cx.example.com/app/cases/" + itoa(cases.Items[0].ID) + "|Open case #" + itoa(cases.Items[0].ID) + ">"
			if l := msg.Blocks[blocks["case"]].Text.Text; l != wantLink {
				t.Errorf("case link = %q, want %q", l, wantLink)
			}
			if msg.Text == "" {
				t.Error("no fallback text")
			}
			// The JSON endpoint got the signed envelope, not the Slack message.
			reqs := jsonRecv.requests()
			if len(reqs) != 1 || reqs[0].sigErr != nil || reqs[0].env.Type != AlertFired {
				t.Fatalf("JSON endpoint got %+v", reqs)
			}
		})
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
