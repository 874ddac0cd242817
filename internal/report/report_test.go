package report

import (
	"errors"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/demo"
	"github.com/cxlens/cxlens/internal/kpi"
)

func day(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }

// data: four subscribers from January (a, b on pro; c, d on basic); b
// churns on 10 February, d on 5 March. Tickets: ann answers in 1 h and 3 h,
// bo in 10 h.
func data() kpi.Data {
	var d kpi.Data
	for _, c := range []struct{ id, plan string }{{"a", "pro"}, {"b", "pro"}, {"c", "basic"}, {"d", "basic"}} {
		d.Customers = append(d.Customers, cx.Customer{ExternalID: c.id, FirstSeen: day(1, 1), Attributes: cx.Attributes{"plan": c.plan}})
		d.Events = append(d.Events, cx.Event{Customer: c.id, Type: cx.SubscriptionChange, Value: 10, OccurredAt: day(1, 1)})
	}
	d.Events = append(d.Events,
		cx.Event{Customer: "b", Type: cx.Churn, OccurredAt: day(2, 10)},
		cx.Event{Customer: "d", Type: cx.Churn, OccurredAt: day(3, 5)})
	for _, t := range []struct {
		agent string
		h     int
	}{{"ann", 1}, {"ann", 3}, {"bo", 10}} {
		first := day(2, 2).Add(time.Duration(t.h) * time.Hour)
		d.Tickets = append(d.Tickets, cx.Ticket{Customer: "a", Agent: t.agent, OpenedAt: day(2, 2), FirstResponseAt: &first})
	}
	return d
}

func TestChurnRateByMonthAndPlan(t *testing.T) {
	rep, err := Compute(data(), Request{Metric: kpi.ChurnRate, From: day(2, 1), To: day(4, 1), Interval: kpi.Month})
	if err != nil {
		t.Fatal(err)
	}
	// Over February–March: 4 customers at the start, 2 lost → 0.5.
	if rep.Value == nil || *rep.Value != 0.5 || rep.N != 4 || rep.CILow == nil || rep.Definition == "" {
		t.Fatalf("overall = %+v", rep.Figure)
	}
	// February: 1 of 4 lost; March: 1 of the 3 left.
	want := []float64{0.25, 1.0 / 3}
	if len(rep.Rows) != 2 {
		t.Fatalf("rows = %+v", rep.Rows)
	}
	for i, r := range rep.Rows {
		if r.Value == nil || *r.Value != want[i] {
			t.Errorf("row %s = %v, want %v", r.Period, r.Value, want[i])
		}
	}
	pro, err := Compute(data(), Request{Metric: kpi.ChurnRate, From: day(2, 1), To: day(4, 1), Filters: []string{"plan=pro"}})
	if err != nil || pro.N != 2 || *pro.Value != 0.5 {
		t.Errorf("plan=pro: %+v, %v", pro.Figure, err)
	}
	if _, err := Compute(data(), Request{Metric: kpi.ChurnRate, From: day(2, 1), To: day(4, 1), Filters: []string{"plan"}}); !errors.Is(err, cx.ErrInvalid) {
		t.Errorf("bad filter: %v", err)
	}
	ann, err := Compute(data(), Request{Metric: kpi.FRT, From: day(2, 1), To: day(3, 1), Filters: []string{"agent=ann"}})
	if err != nil || ann.N != 2 || *ann.Value != 2*3600 {
		t.Errorf("agent=ann: %+v, %v", ann.Figure, err)
	}
	byPlan, err := Compute(data(), Request{Metric: kpi.ChurnRate, From: day(2, 1), To: day(4, 1), GroupBy: "plan"})
	if err != nil {
		t.Fatal(err)
	}
	// basic: d of {c, d} lost; pro: b of {a, b}.
	if len(byPlan.Rows) != 2 || byPlan.Rows[0].Group != "basic" || *byPlan.Rows[0].Value != 0.5 || *byPlan.Rows[1].Value != 0.5 {
		t.Errorf("by plan = %+v", byPlan.Rows)
	}
}

func TestFRTByAgent(t *testing.T) {
	rep, err := Compute(data(), Request{Metric: kpi.FRT, From: day(2, 1), To: day(3, 1), GroupBy: "agent", SLA: 2 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	// All three: median of 1 h, 3 h, 10 h = 3 h; one of three within 2 h.
	if rep.Value == nil || *rep.Value != 3*3600 || rep.N != 3 || rep.Extra["within_sla"] != 1.0/3 {
		t.Fatalf("overall = %+v", rep.Figure)
	}
	// ann: median of 1 h and 3 h = 2 h (type 7); bo: 10 h.
	if len(rep.Rows) != 2 || rep.Rows[0].Group != "ann" || *rep.Rows[0].Value != 2*3600 || *rep.Rows[1].Value != 10*3600 {
		t.Errorf("by agent = %+v", rep.Rows)
	}
}

func TestBadRequest(t *testing.T) {
	for _, r := range []Request{
		{Metric: "nps_of_cats", From: day(1, 1), To: day(2, 1)},
		{Metric: kpi.ChurnRate},
		{Metric: kpi.ChurnRate, From: day(2, 1), To: day(1, 1)},
		{Metric: kpi.ChurnRate, From: day(1, 1), To: day(2, 1), Interval: "fortnight"},
	} {
		if _, err := Compute(kpi.Data{}, r); !errors.Is(err, cx.ErrInvalid) {
			t.Errorf("%+v: err = %v, want invalid", r, err)
		}
	}
	// No data is a figure without a value, not an error or a NaN.
	rep, err := Compute(kpi.Data{}, Request{Metric: kpi.ChurnRate, From: day(1, 1), To: day(2, 1)})
	if err != nil || rep.Value != nil || rep.Readable || rep.Reason == "" {
		t.Errorf("empty = %+v, %v", rep.Figure, err)
	}
}

// TestActivityAndOutliers checks the inactivity rule by hand, and the agent
// outliers on the demo data, whose generator makes Marcus Reed slow and
// poorly rated (internal/demo).
func TestActivityAndOutliers(t *testing.T) {
	var d kpi.Data
	// a buys monthly; b buys once in January and lapses after 60 days.
	for _, id := range []string{"a", "b"} {
		d.Customers = append(d.Customers, cx.Customer{ExternalID: id, FirstSeen: day(1, 1)})
	}
	for m := time.January; m <= time.June; m++ {
		d.Events = append(d.Events, cx.Event{Customer: "a", Type: cx.Purchase, Value: 10, OccurredAt: day(m, 2)})
	}
	d.Events = append(d.Events, cx.Event{Customer: "b", Type: cx.Purchase, Value: 10, OccurredAt: day(1, 2)})
	rep, err := Compute(d, Request{Metric: kpi.ChurnRate, From: day(2, 1), To: day(5, 1), Activity: "inactivity", InactivityDays: 60})
	if err != nil {
		t.Fatal(err)
	}
	// Both active on 1 February; b lapses on 3 March (60 days after 2 January).
	if rep.Value == nil || *rep.Value != 0.5 || rep.N != 2 {
		t.Errorf("inactivity churn = %+v", rep.Figure)
	}
	if _, err := Compute(d, Request{Metric: kpi.ChurnRate, From: day(2, 1), To: day(5, 1), Activity: "vibes"}); !errors.Is(err, cx.ErrInvalid) {
		t.Errorf("bad activity: %v", err)
	}

	ds := demo.Generate(demo.Options{Seed: 1, Customers: 2000, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	dd := kpi.Data{Customers: ds.Customers, Events: ds.Events, Tickets: ds.Tickets, Responses: ds.Responses}
	out, err := Compute(dd, Request{Metric: kpi.AgentOutliers, From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	flagged := map[string]bool{}
	for _, r := range out.Rows {
		if r.Significant && r.Extra["worse"] == 1 {
			flagged[r.Group] = true
		}
	}
	if !flagged["Marcus Reed/csat"] || !flagged["Marcus Reed/frt"] || flagged["Priya Shah/csat"] {
		t.Errorf("outliers flagged %v", flagged)
	}
	clvRep, err := Compute(dd, Request{Metric: kpi.NCVG, From: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), Value: "clv"})
	if err != nil || clvRep.Extra["new_value"] <= 0 {
		t.Errorf("ncvg by clv = %+v, %v", clvRep.Figure, err)
	}
}
