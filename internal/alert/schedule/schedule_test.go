package schedule

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/alert"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/mail"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
	"github.com/cxlens/cxlens/internal/text/themes"
)

// now is the scheduler's clock in these tests: a Wednesday.
var now = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

type fixture struct {
	db *store.DB
	ws int64
}

func newFixture(t *testing.T, dialect string) fixture {
	t.Helper()
	db := storetest.New(t, dialect, store.Options{Now: func() time.Time { return now }})
	w, err := db.CreateWorkspace(context.Background(), cx.Workspace{Name: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []cx.Survey{{Key: "nps", Kind: cx.NPS}, {Key: "csat", Kind: cx.CSAT}} {
		if _, err := db.CreateSurvey(context.Background(), w.ID, s); err != nil {
			t.Fatal(err)
		}
	}
	return fixture{db: db, ws: w.ID}
}

func (f fixture) rule(t *testing.T, r alert.Rule) alert.Rule {
	t.Helper()
	r, err := f.db.CreateAlertRule(context.Background(), f.ws, r)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (f fixture) responses(t *testing.T, rs []cx.Response) {
	t.Helper()
	for start := 0; start < len(rs); start += 1000 {
		if _, err := f.db.InsertResponses(context.Background(), f.ws, rs[start:min(start+1000, len(rs))], store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

func score(n int) *int { return &n }

// TestRunScheduled seeds a workspace where every scheduled kind has an
// incident, runs the scheduler, and checks each rule fired once, and
// that a second run (or a second instance) fires nothing more.
func TestRunScheduled(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, d)
			// The "pro" segment's NPS: +60 over the 4 weeks before (80 answers),
			// −40 in the last 7 days (40 answers). "free" customers stay at +60.
			var rs []cx.Response
			var cs []cx.Customer
			for i := range 120 {
				for _, plan := range []string{"pro", "free"} {
					c := fmt.Sprintf("%s%d", plan, i)
					cs = append(cs, cx.Customer{ExternalID: c, Attributes: cx.Attributes{"plan": plan}})
					at := now.Add(-time.Duration(8*24+(i-40)*4) * time.Hour) // baseline, 8 to 22 days ago
					s := []int{10, 10, 10, 10, 8, 8, 8, 0, 10, 10}[i%10]
					if i < 40 {
						at = now.Add(-time.Duration(1+i*3) * time.Hour) // the last 7 days
						if plan == "pro" {
							s = []int{10, 10, 8, 0, 0, 0, 0, 8, 0, 3}[i%10]
						}
					}
					r := cx.Response{Survey: "nps", Customer: c, Score: score(s), SubmittedAt: at}
					// Comments: "delivery" in 5% of the week before, 40% of this week.
					switch {
					case at.After(now.Add(-7*24*time.Hour)) && i%5 < 2:
						r.Comment = "the delivery was late"
					case at.After(now.Add(-14*24*time.Hour)) && i%20 == 0:
						r.Comment = "delivery ok"
					case at.After(now.Add(-14 * 24 * time.Hour)):
						r.Comment = "fine, thanks"
					}
					rs = append(rs, r)
				}
			}
			if _, err := f.db.UpsertCustomers(ctx, f.ws, cs, store.BatchOptions{}); err != nil {
				t.Fatal(err)
			}
			f.responses(t, rs)
			// Tickets: one unanswered for 3 h, one answered in 10 min.
			answered := now.Add(-170 * time.Minute)
			if _, err := f.db.InsertTickets(ctx, f.ws, []cx.Ticket{
				{ExternalID: "T-1", Customer: "pro1", OpenedAt: now.Add(-3 * time.Hour)},
				{ExternalID: "T-2", Customer: "pro2", OpenedAt: now.Add(-3 * time.Hour), FirstResponseAt: &answered},
			}, store.BatchOptions{}); err != nil {
				t.Fatal(err)
			}
			case_ := []alert.Action{alert.ActionCreateCase}
			pro := f.rule(t, alert.Rule{Name: "pro NPS", Kind: alert.KindMetricChange, Survey: "nps", Actions: case_,
				Params: alert.Params{SegmentKey: "plan", SegmentValue: "pro", MinResponses: 30}})
			free := f.rule(t, alert.Rule{Name: "free NPS", Kind: alert.KindMetricChange, Survey: "nps",
				Params: alert.Params{SegmentKey: "plan", SegmentValue: "free", MinResponses: 30}})
			theme := f.rule(t, alert.Rule{Name: "themes", Kind: alert.KindEmergingTheme, Params: alert.Params{MinResponses: 30}})
			sla := f.rule(t, alert.Rule{Name: "FRT", Kind: alert.KindSLABreach, Actions: case_, SLAHours: 4, Params: alert.Params{FirstResponseMinutes: 60}})

			s := New(f.db, nil)
			var mu sync.Mutex
			var total Result
			var wg sync.WaitGroup
			for range 2 { // two instances at once
				wg.Go(func() {
					res, err := s.RunScheduled(ctx, now)
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					total.Rules += res.Rules
					total.Alerts += res.Alerts
					mu.Unlock()
				})
			}
			wg.Wait()
			if total.Rules != 4 {
				t.Errorf("ran %d rules, want each of the 4 once", total.Rules)
			}
			byRule := map[int64][]store.Alert{}
			alerts, err := f.db.Alerts(ctx, f.ws, store.AlertFilter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range alerts.Items {
				byRule[a.RuleID] = append(byRule[a.RuleID], a)
			}
			if got := byRule[pro.ID]; len(got) != 1 || got[0].Subject != "metric:nps:plan=pro" || got[0].CaseID == 0 {
				t.Errorf("pro segment alerts = %+v", got)
			} else if p, _ := got[0].Detail["p"].(float64); !(p < 0.05) {
				t.Errorf("pro alert p = %v", got[0].Detail["p"])
			}
			if got := byRule[free.ID]; len(got) != 0 {
				t.Errorf("free segment alerts = %+v (its NPS did not drop)", got)
			}
			if got := byRule[theme.ID]; len(got) != 1 || got[0].Subject != "theme:delivery" {
				t.Errorf("theme alerts = %+v", got)
			}
			if got := byRule[sla.ID]; len(got) != 1 || got[0].Customer != "pro1" || !strings.Contains(got[0].Title, "T-1") {
				t.Errorf("SLA alerts = %+v", got)
			}
			if total.Alerts != 3 {
				t.Errorf("RunScheduled reported %d alerts, want 3", total.Alerts)
			}
			// Later runs: the rules are due again after every_minutes, but the
			// incidents have alerted already.
			res, err := s.RunScheduled(ctx, now.Add(2*time.Hour))
			if err != nil || res.Rules != 4 || res.Alerts != 0 {
				t.Errorf("second run = %+v, %v; want 4 rules, no alert", res, err)
			}
		})
	}
}

// TestAtRisk: the customer with the largest predicted CLV answers as a
// detractor this week and is alerted; a small customer doing the same is not.
func TestAtRisk(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, d)
			var es []cx.Event
			for i := range 40 {
				c := fmt.Sprintf("c%02d", i)
				n := 2 + i%6
				value := 20.0
				if i == 7 {
					c, n, value = "whale", 12, 900
				}
				for k := range n {
					es = append(es, cx.Event{Customer: c, Type: cx.Purchase, Value: value + float64(k),
						OccurredAt: now.Add(-time.Duration(300-k*20-i) * 24 * time.Hour)})
				}
			}
			if _, err := f.db.InsertEvents(ctx, f.ws, es, store.BatchOptions{}); err != nil {
				t.Fatal(err)
			}
			f.responses(t, []cx.Response{
				{Survey: "nps", Customer: "whale", Score: score(2), SubmittedAt: now.Add(-24 * time.Hour)},
				{Survey: "nps", Customer: "c01", Score: score(1), SubmittedAt: now.Add(-24 * time.Hour)},
				{Survey: "nps", Customer: "c03", Score: score(9), SubmittedAt: now.Add(-24 * time.Hour)},
			})
			if _, err := f.db.CreateWebhook(ctx, f.ws, store.Webhook{URL: "https://example.com/hook", Events: []string{store.TopicCustomerAtRisk}}); err != nil {
				t.Fatal(err)
			}
			r := f.rule(t, alert.Rule{Name: "VIP at risk", Kind: alert.KindAtRisk, Actions: []alert.Action{alert.ActionWebhook}, Params: alert.Params{TopPercent: 5}})
			n, err := New(f.db, nil).RunRule(ctx, f.ws, r, now)
			if err != nil {
				t.Fatal(err)
			}
			alerts, err := f.db.Alerts(ctx, f.ws, store.AlertFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var who []string
			for _, a := range alerts.Items {
				who = append(who, a.Customer)
			}
			sort.Strings(who)
			if n != len(who) || len(who) == 0 || who[0] != "whale" || strings.Contains(fmt.Sprint(who), "c01") {
				t.Errorf("at-risk alerts for %v (n = %d), want the whale and not c01", who, n)
			}
			msgs, err := f.db.ClaimOutbox(ctx, "t", 100, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			atRisk := 0
			for _, m := range msgs {
				if m.Topic == store.TopicCustomerAtRisk {
					atRisk++
					var a store.Alert
					if err := json.Unmarshal(m.Payload, &a); err != nil || a.Detail["predicted_clv"] == nil {
						t.Errorf("customer.at_risk payload %s (%v)", m.Payload, err)
					}
				}
			}
			if atRisk != n {
				t.Errorf("%d customer.at_risk messages for %d alerts", atRisk, n)
			}
		})
	}
}

// TestDigest sends the weekly digest once per ISO week.
func TestDigest(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, d)
			from, _ := alert.WeekBounds(now)
			var rs []cx.Response
			for i := range 60 {
				rs = append(rs, cx.Response{Survey: "nps", Customer: fmt.Sprintf("c%d", i), Score: score(10 - i%3*5), SubmittedAt: from.Add(time.Duration(i) * time.Hour),
					Comment: "delivery was slow"})
				rs = append(rs, cx.Response{Survey: "nps", Customer: fmt.Sprintf("c%d", i), Score: score(10), SubmittedAt: from.Add(-time.Duration(i+1) * time.Hour)})
			}
			f.responses(t, rs)
			s := New(f.db, nil)
			if n, err := s.SendDigests(ctx, now); err != nil || n != 0 {
				t.Fatalf("without subscribers: %d, %v", n, err)
			}
			if _, err := f.db.SetLoopSettings(ctx, f.ws, store.LoopSettings{DashboardURL: "https://cx.example.com", DigestSubscribers: []string{"lead@example.com"}}); err != nil {
				t.Fatal(err)
			}
			if n, err := s.SendDigests(ctx, now); err != nil || n != 1 {
				t.Fatalf("first send: %d, %v", n, err)
			}
			if n, err := s.SendDigests(ctx, now.Add(24*time.Hour)); err != nil || n != 0 {
				t.Fatalf("same week again: %d, %v", n, err)
			}
			msgs, err := f.db.ClaimOutbox(ctx, "t", 100, time.Hour)
			if err != nil || len(msgs) != 1 || msgs[0].Topic != mail.TopicSend {
				t.Fatalf("outbox = %+v, %v", msgs, err)
			}
			var env mail.Envelope
			if err := json.Unmarshal(msgs[0].Payload, &env); err != nil {
				t.Fatal(err)
			}
			if err := env.Validate(); err != nil {
				t.Fatalf("digest envelope invalid: %v", err)
			}
			// This week: 20 × 10, 20 × 5, 20 × 0 → NPS −33.3; the week before all 10s (+100).
			for _, want := range []string{"2026-W09", "nps: NPS -33.3 (n = 60), -133.3 (p = ", "delivery: 60 comments", "Open cases: 0"} {
				if !strings.Contains(env.Text, want) {
					t.Errorf("digest lacks %q:\n%s", want, env.Text)
				}
			}
			if env.To != "lead@example.com" || !strings.Contains(env.HTML, "<h1>Weekly CX digest: Acme</h1>") || env.Kind != "digest" {
				t.Errorf("envelope = %+v", env)
			}
			// The next ISO week sends again.
			if n, err := s.SendDigests(ctx, now.Add(7*24*time.Hour)); err != nil || n != 1 {
				t.Errorf("next week: %d, %v", n, err)
			}
		})
	}
}

// TestEmailIsMailEnvelope: the store's email payload is a mail.Envelope.
func TestEmailIsMailEnvelope(t *testing.T) {
	e, err := alert.AlertEmail("ana@example.com", alert.Notice{AlertID: 1, Rule: "r", Title: "t", FiredAt: now})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(e)
	var env mail.Envelope
	if err := json.Unmarshal(b, &env); err != nil {
		t.Fatal(err)
	}
	if env.To != e.To || env.Subject != e.Subject || env.Text != e.Text || env.HTML != e.HTML || env.Kind != e.Kind || env.Ref != e.Ref {
		t.Errorf("envelope %+v from %+v", env, e)
	}
	if err := env.Validate(); err != nil {
		t.Error(err)
	}
	if store.TopicMailSend != mail.TopicSend {
		t.Errorf("topics differ: %q, %q", store.TopicMailSend, mail.TopicSend)
	}
}

func TestRunRuleRejectsScore(t *testing.T) {
	f := newFixture(t, storetest.Dialects[0])
	_, err := New(f.db, nil).RunRule(context.Background(), f.ws, alert.Rule{ID: 1, Kind: alert.KindScore}, now)
	if err == nil || errors.Is(err, context.Canceled) {
		t.Errorf("RunRule(score) = %v", err)
	}
}

// TestThemeRuleUsesWorkspaceCodeframe: an emerging-theme rule reads the
// themes stored for each comment, so a workspace's own codeframe (here a
// "lateness" theme the starter codeframe does not have) is what it watches.
func TestThemeRuleUsesWorkspaceCodeframe(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, d)
			cf, err := themes.New("ours", []themes.Theme{
				{ID: "lateness", Name: "Lateness", Terms: map[string][]string{"en": {"late", "slow"}}},
				{ID: "staff", Name: "Staff", Terms: map[string][]string{"en": {"staff"}}},
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.db.SaveCodeframe(ctx, f.ws, store.CodeframeChange{Codeframe: cf}); err != nil {
				t.Fatal(err)
			}
			// "late" in 2 of 40 comments the week before, 20 of 40 this week.
			var rs []cx.Response
			for i := range 80 {
				at := now.Add(-time.Duration(1+i*4) * time.Hour)
				comment := "the staff were fine"
				if (i < 40 && i%2 == 0) || (i >= 40 && i%20 == 0) {
					comment = "it was late again"
				}
				rs = append(rs, cx.Response{Survey: "nps", Customer: fmt.Sprintf("c%d", i), Score: score(6), SubmittedAt: at, Comment: comment})
			}
			f.responses(t, rs)
			r := f.rule(t, alert.Rule{Name: "themes", Kind: alert.KindEmergingTheme, Params: alert.Params{MinResponses: 30}})
			if _, err := New(f.db, nil).RunScheduled(ctx, now); err != nil {
				t.Fatal(err)
			}
			alerts, err := f.db.Alerts(ctx, f.ws, store.AlertFilter{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(alerts.Items) != 1 || alerts.Items[0].RuleID != r.ID || alerts.Items[0].Subject != "theme:lateness" {
				t.Errorf("alerts = %+v, want one for theme:lateness", alerts.Items)
			}
		})
	}
}
