package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/alert"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// outboxByTopic claims the whole outbox and groups the payloads by topic.
func outboxByTopic(t *testing.T, db *store.DB) map[string][][]byte {
	t.Helper()
	msgs, err := db.ClaimOutbox(context.Background(), "test", 1000, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][][]byte{}
	for _, m := range msgs {
		out[m.Topic] = append(out[m.Topic], m.Payload)
	}
	return out
}

func TestFireFindings(t *testing.T) {
	eachWithClock(t, func(t *testing.T, db *store.DB, clk *outboxClock) {
		ctx := context.Background()
		ws := setup(t, db)
		if _, err := db.SetLoopSettings(ctx, ws, store.LoopSettings{DashboardURL: "https://cx.example.com/"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateWebhook(ctx, ws, store.Webhook{URL: "https://example.com/hook", Events: []string{store.TopicAlertFired}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateAssignmentRule(ctx, ws, alert.AssignmentRule{Owners: []string{"ana@example.com", "bo@example.com"}}); err != nil {
			t.Fatal(err)
		}
		r, err := db.CreateAlertRule(ctx, ws, alert.Rule{Name: "themes", Kind: alert.KindEmergingTheme, CooldownSeconds: 3600, SLAHours: 24,
			Actions: []alert.Action{alert.ActionCreateCase, alert.ActionWebhook, alert.ActionEmail},
			Params:  alert.Params{Subscribers: []string{"lead@example.com"}}})
		if err != nil {
			t.Fatal(err)
		}
		if r.Alpha != alert.DefaultAlpha {
			t.Fatalf("params not stored: %+v", r.Params)
		}
		if got, err := db.AlertRule(ctx, ws, r.ID); err != nil || got.Subscribers[0] != "lead@example.com" || got.MinResponses != alert.DefaultMinResponses {
			t.Fatalf("AlertRule = %+v, %v", got, err)
		}
		find := func(theme, week string) alert.Finding {
			return alert.Finding{Subject: "theme:" + theme, DedupKey: fmt.Sprintf("r%d:theme:%s:%s", r.ID, theme, week), Title: theme + " rising",
				Detail: map[string]any{"theme": theme}}
		}
		now := clk.Now()
		fired, err := db.FireFindings(ctx, ws, r, []alert.Finding{find("delivery", "W1"), find("price", "W1"), find("delivery", "W1")}, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(fired) != 2 {
			t.Fatalf("fired %d, want 2 (a repeated key in one run fires once)", len(fired))
		}
		// The same incident again (another instance, or the next run): nothing.
		if again, err := db.FireFindings(ctx, ws, r, []alert.Finding{find("delivery", "W1")}, now.Add(2*time.Hour)); err != nil || len(again) != 0 {
			t.Fatalf("same dedup key fired again: %v, %v", again, err)
		}
		// A new key within the cooldown of its subject: quiet; after it: fires.
		if quiet, err := db.FireFindings(ctx, ws, r, []alert.Finding{find("price", "W2")}, now.Add(59*time.Minute)); err != nil || len(quiet) != 0 {
			t.Fatalf("fired within the cooldown: %v, %v", quiet, err)
		}
		if late, err := db.FireFindings(ctx, ws, r, []alert.Finding{find("price", "W2")}, now.Add(time.Hour)); err != nil || len(late) != 1 {
			t.Fatalf("after the cooldown: %v, %v", late, err)
		}

		alerts, err := db.Alerts(ctx, ws, store.AlertFilter{RuleID: r.ID})
		if err != nil || len(alerts.Items) != 3 {
			t.Fatalf("alerts = %+v, %v", alerts.Items, err)
		}
		first := alerts.Items[0]
		if first.Subject != "theme:delivery" || first.Title != "delivery rising" || first.Detail["theme"] != "delivery" || first.CaseID == 0 {
			t.Errorf("alert = %+v", first)
		}
		cases, err := db.Cases(ctx, ws, store.CaseFilter{})
		if err != nil || len(cases.Items) != 3 {
			t.Fatalf("cases = %+v, %v", cases.Items, err)
		}
		var owners []string
		for _, k := range cases.Items {
			owners = append(owners, k.Owner)
			if k.DueAt == nil || !k.DueAt.Equal(k.CreatedAt.Add(24*time.Hour)) {
				t.Errorf("case %d due %v, want created + 24 h", k.ID, k.DueAt)
			}
		}
		if fmt.Sprint(owners) != "[ana@example.com bo@example.com ana@example.com]" {
			t.Errorf("owners = %v, want round robin", owners)
		}

		out := outboxByTopic(t, db)
		if len(out[store.TopicAlertFired]) != 3 {
			t.Errorf("%d alert.fired, want 3", len(out[store.TopicAlertFired]))
		}
		titles := map[string]int{}
		for _, p := range out[store.TopicAlertFired] {
			var ev store.AlertFired
			if err := json.Unmarshal(p, &ev); err != nil || ev.Case == nil ||
				ev.CaseURL != fmt.Sprintf("https://cx.example.com/app/cases/%d", ev.Case.ID) || ev.Alert.CaseID != ev.Case.ID {
				t.Errorf("alert.fired = %s (%v)", p, err)
			}
			titles[ev.Alert.Title]++
		}
		if titles["delivery rising"] != 1 || titles["price rising"] != 2 {
			t.Errorf("alert.fired titles = %v", titles)
		}
		// Email: the owner (an address) and the subscriber, per alert.
		if n := len(out[store.TopicMailSend]); n != 6 {
			t.Errorf("%d mail.send, want 6", n)
		}
		to := map[string]int{}
		for _, p := range out[store.TopicMailSend] {
			var e alert.Email
			if err := json.Unmarshal(p, &e); err != nil || e.Kind != "alert" || e.Text == "" || e.HTML == "" {
				t.Errorf("email = %+v (%v)", e, err)
			}
			to[e.To]++
		}
		if to["ana@example.com"] != 2 || to["bo@example.com"] != 1 || to["lead@example.com"] != 3 {
			t.Errorf("emails to %v", to)
		}
	})
}

func TestClaimDueRules(t *testing.T) {
	eachWithClock(t, func(t *testing.T, db *store.DB, clk *outboxClock) {
		ctx := context.Background()
		ws := setup(t, db)
		if _, err := db.CreateAlertRule(ctx, ws, alert.Rule{Name: "score", MaxScore: 6}); err != nil {
			t.Fatal(err)
		}
		r, err := db.CreateAlertRule(ctx, ws, alert.Rule{Name: "sla", Kind: alert.KindSLABreach, Params: alert.Params{FirstResponseMinutes: 30, EveryMinutes: 10}})
		if err != nil {
			t.Fatal(err)
		}
		now := clk.Now()
		// Several claimers at once (goroutines standing for instances):
		// exactly one gets the rule.
		var mu sync.Mutex
		got := 0
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				due, err := db.ClaimDueRules(ctx, now, 10)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				got += len(due)
				mu.Unlock()
				for _, d := range due {
					if d.WorkspaceID != ws || d.Rule.ID != r.ID || d.Rule.FirstResponseMinutes != 30 {
						t.Errorf("claimed %+v", d)
					}
				}
			})
		}
		wg.Wait()
		if got != 1 {
			t.Fatalf("the rule was claimed %d times, want 1 (the score rule never)", got)
		}
		if due, _ := db.ClaimDueRules(ctx, now.Add(9*time.Minute), 10); len(due) != 0 {
			t.Errorf("due again before every_minutes: %+v", due)
		}
		if due, _ := db.ClaimDueRules(ctx, now.Add(10*time.Minute), 10); len(due) != 1 {
			t.Errorf("not due after every_minutes: %+v", due)
		}
		if _, err := db.ClaimDueRules(ctx, now, 0); err == nil {
			t.Error("n = 0 accepted")
		}
	})
}

// TestAssignmentUnderConcurrency ingests detractors from many goroutines;
// the round-robin must still share the cases evenly.
func TestAssignmentUnderConcurrency(t *testing.T) {
	eachWithClock(t, func(t *testing.T, db *store.DB, clk *outboxClock) {
		ctx := context.Background()
		ws := setup(t, db)
		if _, err := db.CreateAlertRule(ctx, ws, alert.Rule{Name: "detractor", Survey: "nps", MaxScore: 6, SLAHours: 4,
			Actions: []alert.Action{alert.ActionCreateCase}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpsertCustomers(ctx, ws, []cx.Customer{{ExternalID: "vip", Attributes: cx.Attributes{"plan": "enterprise"}}}, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateAssignmentRule(ctx, ws, alert.AssignmentRule{Position: 1, Owners: []string{"a", "b", "c"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateAssignmentRule(ctx, ws, alert.AssignmentRule{Position: 0, SegmentKey: "plan", SegmentValue: "enterprise", Owners: []string{"key-accounts"}}); err != nil {
			t.Fatal(err)
		}
		at := clk.Now().Add(-time.Hour)
		var wg sync.WaitGroup
		for g := range 6 {
			wg.Go(func() {
				for i := range 5 {
					_, err := db.InsertResponses(ctx, ws, []cx.Response{{Survey: "nps", Customer: fmt.Sprintf("c%d-%d", g, i), Score: intp(3), SubmittedAt: at}}, store.BatchOptions{})
					if err != nil {
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
		if _, err := db.InsertResponses(ctx, ws, []cx.Response{{Survey: "nps", Customer: "vip", Score: intp(0), SubmittedAt: at}}, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		cases, err := db.Cases(ctx, ws, store.CaseFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, k := range cases.Items {
			count[k.Owner]++
			if k.Customer == "vip" && k.Owner != "key-accounts" {
				t.Errorf("vip's case went to %q", k.Owner)
			}
		}
		if count["a"] != 10 || count["b"] != 10 || count["c"] != 10 || count["key-accounts"] != 1 {
			t.Errorf("owners = %v, want 10 each and the vip to key-accounts", count)
		}
		rules, err := db.AssignmentRules(ctx, ws)
		if err != nil || len(rules) != 2 || rules[0].SegmentKey != "plan" {
			t.Fatalf("rules = %+v, %v", rules, err)
		}
		if err := db.DeleteAssignmentRule(ctx, ws, rules[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteAssignmentRule(ctx, ws, rules[0].ID); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("second delete = %v", err)
		}
	})
}

func TestCaseLoop(t *testing.T) {
	eachWithClock(t, func(t *testing.T, db *store.DB, clk *outboxClock) {
		ctx := context.Background()
		ws := setup(t, db)
		other := setup(t, db)
		if _, err := db.CreateAlertRule(ctx, ws, alert.Rule{Name: "detractor", Survey: "nps", MaxScore: 6, SLAHours: 24,
			Actions: []alert.Action{alert.ActionCreateCase}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpsertCustomers(ctx, ws, []cx.Customer{{ExternalID: "dan", Email: "dan@example.com"}}, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		t0 := clk.Now()
		for _, c := range []string{"dan", "eve", "fay"} {
			if _, err := db.InsertResponses(ctx, ws, []cx.Response{{Survey: "nps", Customer: c, Score: intp(2), SubmittedAt: t0.Add(-time.Minute)}}, store.BatchOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		cases, err := db.Cases(ctx, ws, store.CaseFilter{})
		if err != nil || len(cases.Items) != 3 {
			t.Fatalf("cases = %+v, %v", cases.Items, err)
		}
		dan, eve := cases.Items[0], cases.Items[1]
		// Dan: a note after 2 h (first contact), closed with a re-survey after 10 h.
		clk.Advance(2 * time.Hour)
		if _, err := db.AddCaseNote(ctx, ws, dan.ID, store.CaseNote{Body: "called"}); err != nil {
			t.Fatal(err)
		}
		clk.Advance(8 * time.Hour)
		closed := store.CaseClosed
		k, err := db.UpdateCase(ctx, ws, dan.ID, store.CasePatch{Status: &closed, Resurvey: true})
		if err != nil {
			t.Fatal(err)
		}
		if k.ResurveyInvitation == 0 || k.FirstContactAt == nil || !k.FirstContactAt.Equal(t0.Add(2*time.Hour)) {
			t.Fatalf("closed case = %+v", k)
		}
		inv, err := db.Invitation(ctx, ws, k.ResurveyInvitation)
		if err != nil || inv.Customer != "dan" || inv.Survey != "nps" || inv.Email != "dan@example.com" || inv.Channel != cx.ChannelEmail {
			t.Fatalf("invitation = %+v, %v", inv, err)
		}
		// Closing again (after reopening) does not invite twice.
		open := store.CaseOpen
		if _, err := db.UpdateCase(ctx, ws, dan.ID, store.CasePatch{Status: &open}); err != nil {
			t.Fatal(err)
		}
		k2, err := db.UpdateCase(ctx, ws, dan.ID, store.CasePatch{Status: &closed, Resurvey: true})
		if err != nil || k2.ResurveyInvitation != k.ResurveyInvitation {
			t.Fatalf("second re-survey = %d, %v; want the same invitation %d", k2.ResurveyInvitation, err, k.ResurveyInvitation)
		}
		// Resurvey without closing is refused; so is a case of another workspace.
		if _, err := db.UpdateCase(ctx, ws, eve.ID, store.CasePatch{Resurvey: true}); !errors.Is(err, cx.ErrInvalid) {
			t.Errorf("resurvey without closing = %v", err)
		}
		if _, err := db.UpdateCase(ctx, other, dan.ID, store.CasePatch{Status: &closed}); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("another workspace's case = %v", err)
		}
		// Dan answers again, higher: recovered. Eve: closed after 30 h (late), never answers again.
		if _, err := db.InsertResponses(ctx, ws, []cx.Response{{Survey: "nps", Customer: "dan", Score: intp(9), SubmittedAt: clk.Now()}}, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		clk.Advance(20 * time.Hour) // t0 + 30 h
		inProgress := store.CaseInProgress
		if _, err := db.UpdateCase(ctx, ws, eve.ID, store.CasePatch{Status: &inProgress}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateCase(ctx, ws, eve.ID, store.CasePatch{Status: &closed}); err != nil {
			t.Fatal(err)
		}
		// Fay's case is open and past due: overdue.
		over, err := db.Cases(ctx, ws, store.CaseFilter{Overdue: true})
		if err != nil || len(over.Items) != 1 || over.Items[0].Customer != "fay" {
			t.Fatalf("overdue = %+v, %v", over.Items, err)
		}
		m, err := db.CaseMetrics(ctx, ws, store.CaseMetricsFilter{From: t0.Add(-time.Hour), To: t0.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		// Dan closed within SLA (10 h), Eve late (30 h), Fay open past due.
		if m.Cases != 3 || m.Closed != 2 || m.SLADecided != 3 || m.ClosedWithinSLA != 1 || m.Contacted != 2 ||
			m.MeanTimeToFirstContact != 16*time.Hour || m.DetractorsClosed != 2 || m.Recovered != 1 || m.RecoveryRatePct != 50 {
			t.Errorf("metrics = %+v", m)
		}
		if m, _ := db.CaseMetrics(ctx, ws, store.CaseMetricsFilter{From: t0.Add(time.Hour)}); m.Cases != 0 {
			t.Errorf("range after the cases: %+v", m)
		}
		if m, _ := db.CaseMetrics(ctx, other, store.CaseMetricsFilter{}); m.Cases != 0 {
			t.Errorf("another workspace sees %d cases", m.Cases)
		}
	})
}

func TestLoopSettingsAndDigest(t *testing.T) {
	eachWithClock(t, func(t *testing.T, db *store.DB, clk *outboxClock) {
		ctx := context.Background()
		ws := setup(t, db)
		for _, bad := range []store.LoopSettings{{DashboardURL: "cx.example.com"}, {DigestSubscribers: []string{"nope"}}} {
			if _, err := db.SetLoopSettings(ctx, ws, bad); !errors.Is(err, cx.ErrInvalid) {
				t.Errorf("SetLoopSettings(%+v) = %v", bad, err)
			}
		}
		s, err := db.SetLoopSettings(ctx, ws, store.LoopSettings{DashboardURL: "https://cx.example.com/", DigestSubscribers: []string{"b@example.com", "a@example.com", "a@example.com"}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.LoopSettings(ctx, ws)
		if err != nil || got.DashboardURL != "https://cx.example.com" || fmt.Sprint(got.DigestSubscribers) != "[a@example.com b@example.com]" {
			t.Fatalf("LoopSettings = %+v (set %+v), %v", got, s, err)
		}
		emails := []alert.Email{{To: "a@example.com", Subject: "d", Text: "t"}, {To: "b@example.com", Subject: "d", Text: "t"}}
		var mu sync.Mutex
		sent := 0
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() {
				ok, err := db.SendDigest(ctx, ws, "2026-W44", emails)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					sent++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if sent != 1 {
			t.Fatalf("digest sent %d times, want 1", sent)
		}
		if done, err := db.DigestSent(ctx, ws, "2026-W44"); err != nil || !done {
			t.Errorf("DigestSent = %v, %v", done, err)
		}
		out := outboxByTopic(t, db)
		var tos []string
		for _, p := range out[store.TopicMailSend] {
			var e alert.Email
			if err := json.Unmarshal(p, &e); err != nil {
				t.Fatal(err)
			}
			tos = append(tos, e.To)
		}
		sort.Strings(tos)
		if fmt.Sprint(tos) != "[a@example.com b@example.com]" {
			t.Errorf("digest mails to %v", tos)
		}
	})
}
