package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/alert"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// alertsFired claims the whole outbox and counts alert.fired messages per
// workspace, checking each payload names an alert, rule and response.
func alertsFired(t *testing.T, db *store.DB) map[int64]int {
	t.Helper()
	msgs, err := db.ClaimOutbox(context.Background(), "test", 1000, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]int{}
	for _, m := range msgs {
		if m.Topic != store.TopicAlertFired {
			continue
		}
		var p struct {
			Alert    store.Alert `json:"alert"`
			Rule     alert.Rule  `json:"rule"`
			Response cx.Response `json:"response"`
		}
		if err := json.Unmarshal(m.Payload, &p); err != nil || p.Alert.ID == 0 || p.Rule.ID != p.Alert.RuleID || p.Response.ID != p.Alert.ResponseID {
			t.Errorf("alert.fired payload %s (%v)", m.Payload, err)
		}
		out[m.WorkspaceID]++
	}
	return out
}

func TestAlertsOnIngest(t *testing.T) {
	eachWithClock(t, func(t *testing.T, db *store.DB, clk *outboxClock) {
		ctx := context.Background()
		a, b := setup(t, db), setup(t, db)
		rule, err := db.CreateAlertRule(ctx, a, alert.Rule{Name: "Detractor", Survey: "nps", MaxScore: 6, CooldownSeconds: 7 * 24 * 3600,
			SLAHours: 48, Actions: []alert.Action{alert.ActionCreateCase, alert.ActionWebhook}})
		if err != nil {
			t.Fatal(err)
		}
		for _, ws := range []int64{a, b} {
			if _, err := db.CreateWebhook(ctx, ws, store.Webhook{URL: "https://example.com/hook", Events: []string{store.TopicAlertFired}}); err != nil {
				t.Fatal(err)
			}
		}
		at := clk.Now().Add(-time.Hour)
		insert := func(ws int64, customer string, score int, key string) {
			t.Helper()
			if _, err := db.InsertResponses(ctx, ws, []cx.Response{{Survey: "nps", Customer: customer, Score: intp(score), SubmittedAt: at,
				IdempotencyKey: key}}, store.BatchOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		insert(a, "dan", 2, "r1")   // a detractor: fires
		insert(a, "dan", 2, "r1")   // the same batch retried: a duplicate, no alert
		insert(a, "pia", 10, "r2")  // a promoter: no alert
		insert(b, "dan", 0, "r1")   // B has no rule
		clk.Advance(24 * time.Hour) // another day, a new dedup key, but within the cooldown
		at = at.Add(24 * time.Hour)
		insert(a, "dan", 3, "r3")

		alerts, err := db.Alerts(ctx, a, store.AlertFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(alerts.Items) != 1 || alerts.Items[0].Customer != "dan" || alerts.Items[0].RuleID != rule.ID || alerts.Items[0].CaseID == 0 {
			t.Fatalf("alerts of A = %+v, want one for dan with a case", alerts.Items)
		}
		if got, _ := db.Alerts(ctx, b, store.AlertFilter{}); len(got.Items) != 0 {
			t.Errorf("alerts of B = %+v, want none", got.Items)
		}
		cases, err := db.Cases(ctx, a, store.CaseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(cases.Items) != 1 {
			t.Fatalf("cases = %+v, want one", cases.Items)
		}
		k := cases.Items[0]
		if k.Status != store.CaseOpen || k.Customer != "dan" || k.DueAt == nil || !k.DueAt.Equal(k.CreatedAt.Add(48*time.Hour)) {
			t.Errorf("case = %+v, want open for dan due in 48 h", k)
		}
		if fired := alertsFired(t, db); fired[a] != 1 || fired[b] != 0 {
			t.Errorf("alert.fired messages per workspace = %v, want exactly one for A", fired)
		}

		// After the cooldown the rule fires again for dan.
		clk.Advance(7 * 24 * time.Hour)
		at = at.Add(7 * 24 * time.Hour)
		insert(a, "dan", 1, "r4")
		if got, _ := db.Alerts(ctx, a, store.AlertFilter{}); len(got.Items) != 2 {
			t.Errorf("after the cooldown: %d alerts, want 2", len(got.Items))
		}
	})
}

// TestAlertDedup checks that one customer's two detractor answers of one
// day raise one alert even without a cooldown, in one batch or two.
func TestAlertDedup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := setup(t, db)
		if _, err := db.CreateAlertRule(ctx, ws, alert.Rule{Name: "any low", MaxScore: 6}); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
		rs := []cx.Response{
			{Survey: "nps", Customer: "dan", Score: intp(1), SubmittedAt: at},
			{Survey: "nps", Customer: "dan", Score: intp(2), SubmittedAt: at.Add(time.Hour)},
			{Survey: "nps", Score: intp(0), SubmittedAt: at}, // anonymous: its own key
		}
		if _, err := db.InsertResponses(ctx, ws, rs, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.InsertResponses(ctx, ws, rs[1:2], store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Alerts(ctx, ws, store.AlertFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Items) != 2 {
			t.Errorf("alerts = %+v, want one for dan and one anonymous", got.Items)
		}
		if cases, _ := db.Cases(ctx, ws, store.CaseFilter{}); len(cases.Items) != 0 {
			t.Errorf("cases = %+v, want none (the rule has no create_case action)", cases.Items)
		}
	})
}

// TestAlertCustomerValue checks min_customer_value against the customer's
// "value" attribute.
func TestAlertCustomerValue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := setup(t, db)
		minValue := 1000.0
		if _, err := db.CreateAlertRule(ctx, ws, alert.Rule{Name: "big detractors", MaxScore: 6, MinCustomerValue: &minValue}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpsertCustomers(ctx, ws, []cx.Customer{{ExternalID: "big", Attributes: cx.Attributes{"value": 5000.0}},
			{ExternalID: "small", Attributes: cx.Attributes{"value": 10.0}}}, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
		if _, err := db.InsertResponses(ctx, ws, []cx.Response{
			{Survey: "nps", Customer: "big", Score: intp(1), SubmittedAt: at},
			{Survey: "nps", Customer: "small", Score: intp(1), SubmittedAt: at},
			{Survey: "nps", Customer: "unknown", Score: intp(1), SubmittedAt: at},
			{Survey: "nps", Score: intp(1), SubmittedAt: at},
		}, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Alerts(ctx, ws, store.AlertFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Items) != 1 || got.Items[0].Customer != "big" {
			t.Errorf("alerts = %+v, want one for big", got.Items)
		}
	})
}

// TestAlertBatch fires many rules in one batch (cases go through COPY on
// PostgreSQL from 20 rows), with two customers answering twice.
func TestAlertBatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := setup(t, db)
		if _, err := db.CreateAlertRule(ctx, ws, alert.Rule{Name: "Detractor", MaxScore: 6, CooldownSeconds: 3600,
			Actions: []alert.Action{alert.ActionCreateCase, alert.ActionWebhook}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateWebhook(ctx, ws, store.Webhook{URL: "https://example.com/hook", Events: []string{"*"}}); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
		var rs []cx.Response
		for i := range 40 {
			rs = append(rs, cx.Response{Survey: "nps", Customer: fmt.Sprintf("c%d", i%38), Score: intp(i % 7), SubmittedAt: at.Add(time.Duration(i) * 24 * time.Hour)})
		}
		if _, err := db.InsertResponses(ctx, ws, rs, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		alerts, _ := db.Alerts(ctx, ws, store.AlertFilter{})
		cases, _ := db.Cases(ctx, ws, store.CaseFilter{})
		if len(alerts.Items) != 38 || len(cases.Items) != 38 {
			t.Errorf("%d alerts and %d cases, want 38 of each (c0 and c1 answered twice within the cooldown)", len(alerts.Items), len(cases.Items))
		}
		for _, a := range alerts.Items {
			if a.CaseID == 0 {
				t.Errorf("alert %+v has no case", a)
			}
		}
		if fired := alertsFired(t, db); fired[ws] != 38 {
			t.Errorf("alert.fired messages = %d, want 38", fired[ws])
		}
	})
}

func TestAlertRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, b := setup(t, db), setup(t, db)
		r, err := db.CreateAlertRule(ctx, a, alert.Rule{Name: "x", MaxScore: 6, Actions: []alert.Action{alert.ActionWebhook, alert.ActionWebhook}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.AlertRule(ctx, a, r.ID)
		if err != nil || got.Name != "x" || len(got.Actions) != 1 || !got.Active || got.MinCustomerValue != nil {
			t.Fatalf("AlertRule = %+v, %v", got, err)
		}
		if _, err := db.AlertRule(ctx, b, r.ID); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("B reads A's rule: %v", err)
		}
		if err := db.DeleteAlertRule(ctx, b, r.ID); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("B deletes A's rule: %v", err)
		}
		if _, err := db.CreateAlertRule(ctx, a, alert.Rule{Name: ""}); !errors.Is(err, cx.ErrInvalid) {
			t.Errorf("nameless rule: %v", err)
		}
		if err := db.DeleteAlertRule(ctx, a, r.ID); err != nil {
			t.Fatal(err)
		}
		if list, _ := db.AlertRules(ctx, a); len(list) != 0 {
			t.Errorf("rules after delete = %+v", list)
		}
	})
}

// BenchmarkIngestWithAlertRules is BenchmarkInsertResponses with 50 active
// rules in the workspace: "quiet", 50 rules on another survey (loaded and
// matched, never firing); "firing", 49 of those and a detractor rule with
// create_case and webhook (and a subscriber), so about 7 responses in 11
// write an alert, a case and an alert.fired message — the worst case, every
// customer being new. Reports responses/s.
func BenchmarkIngestWithAlertRules(b *testing.B) {
	for _, variant := range []string{"quiet", "firing"} {
		for _, d := range storetest.Dialects {
			b.Run(variant+"/"+d, func(b *testing.B) {
				db := storetest.New(b, d, store.Options{})
				ctx := context.Background()
				w, err := db.CreateWorkspace(ctx, cx.Workspace{Name: "bench"})
				if err != nil {
					b.Fatal(err)
				}
				for _, s := range []cx.Survey{{Key: "nps", Kind: cx.NPS}, {Key: "csat", Kind: cx.CSAT}} {
					if _, err := db.CreateSurvey(ctx, w.ID, s); err != nil {
						b.Fatal(err)
					}
				}
				for i := range 50 {
					r := alert.Rule{Name: fmt.Sprintf("rule %d", i), Survey: "csat", MaxScore: 2, CooldownSeconds: 86400}
					if variant == "firing" && i == 0 {
						r = alert.Rule{Name: "detractor", Survey: "nps", MaxScore: 6, CooldownSeconds: 86400, SLAHours: 48,
							Actions: []alert.Action{alert.ActionCreateCase, alert.ActionWebhook}}
					}
					if _, err := db.CreateAlertRule(ctx, w.ID, r); err != nil {
						b.Fatal(err)
					}
				}
				if variant == "firing" {
					if _, err := db.CreateWebhook(ctx, w.ID, store.Webhook{URL: "https://example.com/hook", Events: []string{store.TopicAlertFired}}); err != nil {
						b.Fatal(err)
					}
				}
				benchInsertResponses(b, db, w.ID)
			})
		}
	}
}
