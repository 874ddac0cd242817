package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/distribution"
	"github.com/cxlens/cxlens/internal/store"
)

// distEnv is a workspace with surveys nps and csat and customers c1..c4.
type distEnv struct {
	db  *store.DB
	clk *outboxClock
	ws  int64
	nps cx.Survey
}

func newDistEnv(t *testing.T, db *store.DB, clk *outboxClock) distEnv {
	t.Helper()
	ctx := context.Background()
	ws := outboxWorkspace(t, db, "Acme")
	nps, err := db.CreateSurvey(ctx, ws, cx.Survey{Key: "nps", Name: "NPS", Kind: cx.NPS})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateSurvey(ctx, ws, cx.Survey{Key: "csat", Name: "CSAT", Kind: cx.CSAT}); err != nil {
		t.Fatal(err)
	}
	cs := []cx.Customer{
		{ExternalID: "c1", Email: "c1@example.com"},
		{ExternalID: "c2", Email: "c2@example.com", Attributes: cx.Attributes{"do_not_survey": true}},
		{ExternalID: "c3", Email: "c3@example.com", Attributes: cx.Attributes{"time_zone": "Asia/Shanghai"}},
		{ExternalID: "c4", Email: "c4@example.com"},
	}
	if _, err := db.UpsertCustomers(ctx, ws, cs, store.BatchOptions{}); err != nil {
		t.Fatal(err)
	}
	return distEnv{db: db, clk: clk, ws: ws, nps: nps}
}

func (e distEnv) customerID(t *testing.T, ext string) int64 {
	t.Helper()
	c, err := e.db.Customer(context.Background(), e.ws, ext)
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func TestMaySurvey(t *testing.T) {
	eachWithClock(t, func(t *testing.T, db *store.DB, clk *outboxClock) {
		ctx := context.Background()
		e := newDistEnv(t, db, clk)
		day := 24 * time.Hour
		if err := db.SetThrottle(ctx, e.ws, distribution.Throttle{RecontactDays: 30, QuietStart: "22:00", QuietEnd: "07:00"}); err != nil {
			t.Fatal(err)
		}
		// c4 answered 30 days before "now".
		now := clk.Now() // 2026-11-01 12:00 UTC: 20:00 in Shanghai
		score := 4
		if _, err := db.InsertResponses(ctx, e.ws, []cx.Response{{Survey: "csat", Customer: "c4", SubmittedAt: now.Add(-30 * day), Score: &score}}, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddSuppressions(ctx, e.ws, []store.Suppression{{Email: "C1@Example.com"}}); err != nil {
			t.Fatal(err)
		}
		other := outboxWorkspace(t, db, "Other")
		if _, err := db.AddSuppressions(ctx, other, []store.Suppression{{Email: "c3@example.com"}}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			cust string
			at   time.Time
			want string
		}{
			{"suppressed (case-insensitive)", "c1", now, distribution.ReasonSuppressed},
			{"do not survey", "c2", now, distribution.ReasonDoNotSurvey},
			{"another workspace's suppression does not apply", "c3", now, ""},
			{"quiet hours in Shanghai (22:00 there)", "c3", now.Add(2 * time.Hour), distribution.ReasonQuietHours},
			{"quiet hours end at 07:00 Shanghai", "c3", time.Date(2026, 11, 1, 23, 0, 0, 0, time.UTC), ""},
			{"exactly 30 days after the last response", "c4", now, ""},
			{"1 ms short of 30 days", "c4", now.Add(-time.Millisecond), distribution.ReasonRecontact},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ok, reason, err := db.MaySurvey(ctx, e.ws, e.customerID(t, tt.cust), e.nps.ID, tt.at)
				if err != nil {
					t.Fatal(err)
				}
				if ok != (tt.want == "") || reason != tt.want {
					t.Errorf("MaySurvey = %v, %q; want %q", ok, reason, tt.want)
				}
			})
		}
		if err := db.SetSurveyPolicy(ctx, e.ws, "nps", distribution.SurveyPolicy{SamplePercent: 0, ReminderDays: 3}); err != nil {
			t.Fatal(err)
		}
		if ok, reason, _ := db.MaySurvey(ctx, e.ws, e.customerID(t, "c3"), e.nps.ID, now); ok || reason != distribution.ReasonSampledOut {
			t.Errorf("sample 0: %v %q", ok, reason)
		}
		if err := db.SetSurveyPolicy(ctx, e.ws, "nps", distribution.SurveyPolicy{SamplePercent: 101}); err == nil || !strings.Contains(err.Error(), "sample_percent") {
			t.Errorf("sample 101: %v", err)
		}
	})
}

// fakeRender renders a tiny mail.send message.
func fakeRender(_ context.Context, ws int64, in cx.Invitation, reminder bool) (store.Message, error) {
	b, _ := json.Marshal(map[string]any{"to": in.Email, "subject": fmt.Sprintf("invitation %d reminder %v", in.ID, reminder), "text": "x", "ref": fmt.Sprintf("invitation:%d", in.ID)})
	return store.Message{Topic: "mail.send", Payload: b}, nil
}

func mailCount(t *testing.T, db *store.DB) int {
	t.Helper()
	msgs, err := db.ClaimOutbox(context.Background(), "count", 1000, time.Hour, store.TopicPrefix("mail."))
	if err != nil {
		t.Fatal(err)
	}
	return len(msgs)
}

func TestDispatchDue(t *testing.T) {
	eachWithClock(t, func(t *testing.T, db *store.DB, clk *outboxClock) {
		ctx := context.Background()
		e := newDistEnv(t, db, clk)
		now := clk.Now()
		ins, err := db.CreateThrottledInvitations(ctx, e.ws, []cx.Invitation{
			{Survey: "nps", Customer: "c1", IdempotencyKey: "k1"},                                  // suppressed below, after creation
			{Survey: "nps", Customer: "c2", IdempotencyKey: "k2"},                                  // do_not_survey at creation
			{Survey: "nps", Customer: "c4", IdempotencyKey: "k4"},                                  // sent
			{Survey: "nps", Customer: "c3", IdempotencyKey: "k3", ScheduledAt: now.Add(time.Hour)}, // not due yet
		}, now)
		if err != nil {
			t.Fatal(err)
		}
		if ins[1].Status != cx.InvitationSuppressed || ins[1].Error != distribution.ReasonDoNotSurvey || ins[2].Email != "c4@example.com" {
			t.Fatalf("created %+v", ins)
		}
		if _, err := db.AddSuppressions(ctx, e.ws, []store.Suppression{{Email: "c1@example.com", Reason: store.SuppressUnsubscribe}}); err != nil {
			t.Fatal(err)
		}
		res, err := db.DispatchDue(ctx, now, 100, fakeRender)
		if err != nil {
			t.Fatal(err)
		}
		if res.Sent != 1 || res.Suppressed != 1 {
			t.Errorf("dispatch %+v, want 1 sent and 1 suppressed", res)
		}
		if n := mailCount(t, db); n != 1 {
			t.Errorf("%d mails enqueued, want 1", n)
		}
		again, _ := db.DispatchDue(ctx, now, 100, fakeRender)
		if again.Sent != 0 {
			t.Errorf("second dispatch sent %d", again.Sent)
		}
		sent, _ := db.Invitation(ctx, e.ws, ins[2].ID)
		if sent.Status != cx.InvitationSent || sent.SentAt == nil {
			t.Errorf("sent invitation %+v", sent)
		}
		sup, _ := db.Invitation(ctx, e.ws, ins[0].ID)
		if sup.Status != cx.InvitationSuppressed || sup.Error != distribution.ReasonSuppressed {
			t.Errorf("suppressed invitation %+v", sup)
		}
		// Quiet hours: c3 is due at 13:00 UTC = 21:00 Shanghai; quiet from
		// 21:00 to 08:00 postpones it to 00:00 UTC.
		if err := db.SetThrottle(ctx, e.ws, distribution.Throttle{QuietStart: "21:00", QuietEnd: "08:00"}); err != nil {
			t.Fatal(err)
		}
		res, _ = db.DispatchDue(ctx, now.Add(time.Hour), 100, fakeRender)
		if res.Postponed != 1 || res.Sent != 0 {
			t.Errorf("quiet dispatch %+v", res)
		}
		later, _ := db.Invitation(ctx, e.ws, ins[3].ID)
		if want := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC); !later.ScheduledAt.Equal(want) || later.Status != cx.InvitationScheduled {
			t.Errorf("postponed to %v (%s), want %v", later.ScheduledAt, later.Status, want)
		}
		// Reminder: exactly 3 days after sending, once.
		if res, _ := db.DispatchDue(ctx, now.Add(72*time.Hour-time.Millisecond), 100, fakeRender); res.Reminded != 0 {
			t.Errorf("reminded before 3 days: %+v", res)
		}
		mailCount(t, db)
		if res, _ := db.DispatchDue(ctx, now.Add(72*time.Hour), 100, fakeRender); res.Reminded != 1 {
			t.Errorf("not reminded at 3 days: %+v", res)
		}
		if res, _ := db.DispatchDue(ctx, now.Add(96*time.Hour), 100, fakeRender); res.Reminded != 0 {
			t.Errorf("reminded twice: %+v", res)
		}
		funnel, err := db.Funnel(ctx, e.ws, "nps", time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if len(funnel) != 1 || funnel[0].Invited != 4 || funnel[0].Sent != 2 || funnel[0].Suppressed != 2 {
			t.Errorf("funnel %+v", funnel)
		}
	})
}

func TestBouncedAndUnsubscribe(t *testing.T) {
	eachWithClock(t, func(t *testing.T, db *store.DB, clk *outboxClock) {
		ctx := context.Background()
		e := newDistEnv(t, db, clk)
		ins, err := db.CreateThrottledInvitations(ctx, e.ws, []cx.Invitation{{Survey: "nps", Customer: "c1"}, {Survey: "csat", Customer: "c1"}, {Survey: "nps", Customer: "c4"}}, clk.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Bounced(ctx, e.ws, "c4@example.com", fmt.Sprintf("invitation:%d", ins[2].ID), "bounce: 550 no such user"); err != nil {
			t.Fatal(err)
		}
		b, _ := db.Invitation(ctx, e.ws, ins[2].ID)
		if b.Status != cx.InvitationFailed || !strings.Contains(b.Error, "550") {
			t.Errorf("bounced invitation %+v", b)
		}
		addr, err := db.Unsubscribe(ctx, e.ws, ins[0].ID)
		if err != nil || addr != "c1@example.com" {
			t.Fatalf("unsubscribe %q %v", addr, err)
		}
		other, _ := db.Invitation(ctx, e.ws, ins[1].ID)
		if other.Status != cx.InvitationSuppressed {
			t.Errorf("the address's other scheduled invitation: %s", other.Status)
		}
		page, err := db.Suppressions(ctx, e.ws, "", 1)
		if err != nil || len(page.Items) != 1 || page.Items[0].Email != "c1@example.com" || page.NextCursor == "" {
			t.Fatalf("page 1: %+v %v", page, err)
		}
		page, _ = db.Suppressions(ctx, e.ws, page.NextCursor, 1)
		if len(page.Items) != 1 || page.Items[0].Email != "c4@example.com" || page.Items[0].Reason != store.SuppressBounce {
			t.Fatalf("page 2: %+v", page)
		}
		if err := db.DeleteSuppression(ctx, e.ws, "C4@example.com"); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteSuppression(ctx, e.ws, "C4@example.com"); err == nil {
			t.Error("deleted twice")
		}
		if _, err := db.AddSuppressions(ctx, e.ws, []store.Suppression{{Email: "ok@example.com"}, {Email: "nope"}}); err == nil || !strings.Contains(err.Error(), "email") {
			t.Errorf("bad address: %v", err)
		}
		if sup, _ := db.Suppressed(ctx, e.ws, "ok@example.com"); sup {
			t.Error("half a bad batch was stored")
		}
	})
}

func TestRunTriggers(t *testing.T) {
	eachWithClock(t, func(t *testing.T, db *store.DB, clk *outboxClock) {
		ctx := context.Background()
		e := newDistEnv(t, db, clk)
		now := clk.Now()
		old := []cx.Event{{Customer: "c1", Type: "purchase", OccurredAt: now.Add(-time.Hour)}}
		if _, err := db.InsertEvents(ctx, e.ws, old, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		buy, err := db.CreateTrigger(ctx, e.ws, distribution.Trigger{Survey: "csat", Source: distribution.SourceEvent, EventType: "purchase", DelaySeconds: 3 * 86400, Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		ces, err := db.CreateTrigger(ctx, e.ws, distribution.Trigger{Survey: "nps", Source: distribution.SourceTicketResolved, DelaySeconds: 3600, Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateTrigger(ctx, e.ws, distribution.Trigger{Survey: "nope", Source: distribution.SourcePeriodic, EveryDays: 90}); err == nil || !strings.Contains(err.Error(), "survey") {
			t.Errorf("unknown survey: %v", err)
		}
		clk.Advance(time.Minute)
		evs := []cx.Event{
			{Customer: "c4", Type: "purchase", OccurredAt: clk.Now(), Attributes: cx.Attributes{"order_id": "o-17", "channel": "web"}},
			{Customer: "c4", Type: "refund", OccurredAt: clk.Now()},
		}
		if _, err := db.InsertEvents(ctx, e.ws, evs, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		resolved := clk.Now()
		tks := []cx.Ticket{{ExternalID: "T-9", Customer: "c1", Agent: "ana", Channel: "chat", OpenedAt: now, ResolvedAt: &resolved}}
		if _, err := db.InsertTickets(ctx, e.ws, tks, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		for range 2 { // a second run finds nothing new
			if _, err := db.RunTriggers(ctx, clk.Now()); err != nil {
				t.Fatal(err)
			}
		}
		page, err := db.ListInvitations(ctx, e.ws, store.InvitationFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 2 {
			t.Fatalf("invitations %+v, want one per purchase after the trigger and one per ticket", page.Items)
		}
		for _, in := range page.Items {
			switch in.TriggerID {
			case buy.ID:
				if in.Customer != "c4" || in.TouchpointRef != "o-17" || in.Attributes["channel"] != "web" || !in.ScheduledAt.Equal(evs[0].OccurredAt.Add(72*time.Hour)) {
					t.Errorf("purchase invitation %+v", in)
				}
			case ces.ID:
				// c1 is not suppressed here; the ticket's agent and channel ride along.
				if in.Customer != "c1" || in.TouchpointRef != "T-9" || in.Attributes["agent"] != "ana" || in.Attributes["channel"] != "chat" || in.Touchpoint != "support" {
					t.Errorf("ticket invitation %+v", in)
				}
			default:
				t.Errorf("invitation from trigger %d", in.TriggerID)
			}
		}
		// Periodic: every customer with an email once per 90 days; c2's
		// invitation is stored suppressed (do_not_survey).
		if _, err := db.CreateTrigger(ctx, e.ws, distribution.Trigger{Survey: "nps", Source: distribution.SourcePeriodic, EveryDays: 90, Enabled: true}); err != nil {
			t.Fatal(err)
		}
		n1, _ := db.RunTriggers(ctx, clk.Now())
		n2, _ := db.RunTriggers(ctx, clk.Now())
		if n1 != 3 || n2 != 0 { // c1 has a ticket invitation to nps already
			t.Errorf("periodic runs made %d then %d, want 3 then 0", n1, n2)
		}
		page, _ = db.ListInvitations(ctx, e.ws, store.InvitationFilter{Status: string(cx.InvitationSuppressed)})
		if len(page.Items) != 1 || page.Items[0].Customer != "c2" {
			t.Errorf("suppressed %+v", page.Items)
		}
	})
}

// TestDispatchConcurrent: four dispatchers on the same due invitations
// enqueue exactly one mail each.
func TestDispatchConcurrent(t *testing.T) {
	eachWithClock(t, func(t *testing.T, db *store.DB, clk *outboxClock) {
		ctx := context.Background()
		e := newDistEnv(t, db, clk)
		var list []cx.Invitation
		for i := range 40 {
			list = append(list, cx.Invitation{Survey: "nps", Customer: fmt.Sprintf("x%d", i), Email: fmt.Sprintf("x%d@example.com", i)})
		}
		if _, err := db.CreateThrottledInvitations(ctx, e.ws, list, clk.Now()); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		sent := make([]int, 4)
		for w := range 4 {
			wg.Go(func() {
				res, err := db.DispatchDue(ctx, clk.Now(), 100, fakeRender)
				if err != nil {
					t.Error(err)
				}
				sent[w] = res.Sent
			})
		}
		wg.Wait()
		if total := sent[0] + sent[1] + sent[2] + sent[3]; total != 40 {
			t.Errorf("dispatchers sent %v, total %d, want 40", sent, total)
		}
		if n := mailCount(t, db); n != 40 {
			t.Errorf("%d mails enqueued, want 40", n)
		}
	})
}

// TestThrottleJudgedAtSendTime: at creation an invitation is judged as of
// when it is due, so a delayed one may clear a recontact limit that an
// immediate one does not.
func TestThrottleJudgedAtSendTime(t *testing.T) {
	eachWithClock(t, func(t *testing.T, db *store.DB, clk *outboxClock) {
		ctx := context.Background()
		e := newDistEnv(t, db, clk)
		now := clk.Now()
		if err := db.SetThrottle(ctx, e.ws, distribution.Throttle{RecontactDays: 30}); err != nil {
			t.Fatal(err)
		}
		score := 3
		if _, err := db.InsertResponses(ctx, e.ws, []cx.Response{{Survey: "csat", Customer: "c4", SubmittedAt: now.Add(-29 * 24 * time.Hour), Score: &score}}, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		ins, err := db.CreateThrottledInvitations(ctx, e.ws, []cx.Invitation{
			{Survey: "nps", Customer: "c4"},
			{Survey: "nps", Customer: "c4", ScheduledAt: now.Add(24 * time.Hour)},
		}, now)
		if err != nil {
			t.Fatal(err)
		}
		if ins[0].Status != cx.InvitationSuppressed || ins[0].Error != distribution.ReasonRecontact {
			t.Errorf("immediate: %s %q, want suppressed for recontact", ins[0].Status, ins[0].Error)
		}
		if ins[1].Status != cx.InvitationScheduled {
			t.Errorf("in a day (exactly 30 days after the answer): %s %q, want scheduled", ins[1].Status, ins[1].Error)
		}
	})
}

// TestFunnelTotal checks the total row and the zero-safe response rate.
func TestFunnelTotal(t *testing.T) {
	t.Parallel()
	var total store.FunnelRow
	total.Add(store.FunnelRow{Channel: "email", Invited: 10, Suppressed: 1, Sent: 9, Delivered: 8, Opened: 5, Answered: 3})
	total.Add(store.FunnelRow{Channel: "link", Invited: 4, Sent: 3, Opened: 3, Answered: 1})
	want := store.FunnelRow{Invited: 14, Suppressed: 1, Sent: 12, Delivered: 8, Opened: 8, Answered: 4}
	if total != want {
		t.Errorf("total %+v, want %+v", total, want)
	}
	if r := store.ResponseRate(total.Answered, total.Sent); r == nil || *r != 4.0/12 {
		t.Errorf("rate %v, want 1/3", r)
	}
	if r := store.ResponseRate(0, 0); r != nil {
		t.Errorf("rate with nothing sent = %v, want nil", *r)
	}
}
