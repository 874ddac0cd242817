package kpi

import (
	"math"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// supportTickets are five January tickets and one in February:
//
//	t1 A email  FRT 1800 s  resolved 7200 s   handle 600
//	t2 A chat   FRT 7200 s  resolved 36000 s  handle 1200  reopened
//	t3 B email  FRT 600 s   resolved 3600 s   handle —
//	t4 B email  FRT —       resolved —        handle 300
//	t5 A email  FRT 3600 s  resolved 14400 s  handle 900
//	t6 A email  (February)
func supportTickets() []cx.Ticket {
	open := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	tk := func(agent, ch string, frt, res, handle float64, reopened bool) cx.Ticket {
		t := cx.Ticket{Customer: "c", Agent: agent, Channel: ch, OpenedAt: open, Reopened: reopened}
		if frt >= 0 {
			t.FirstResponseAt = ptr(open.Add(time.Duration(frt) * time.Second))
		}
		if res >= 0 {
			t.ResolvedAt = ptr(open.Add(time.Duration(res) * time.Second))
		}
		if handle >= 0 {
			t.HandleSeconds = ptr(handle)
		}
		return t
	}
	feb := tk("A", "email", 99999, 99999, 99999, true)
	feb.OpenedAt = at(2026, 2, 3)
	return []cx.Ticket{
		tk("A", "email", 1800, 7200, 600, false),
		tk("A", "chat", 7200, 36000, 1200, true),
		tk("B", "email", 600, 3600, -1, false),
		tk("B", "email", -1, -1, 300, false),
		tk("A", "email", 3600, 14400, 900, false),
		feb,
	}
}

// TestSupportHandWorked, all January tickets, SLA 1 h:
//
//	FRT sorted 600 1800 3600 7200: median h = 1.5 → 1800 + 0.5·1800 = 2700;
//	  p90 h = 2.7 → 3600 + 0.7·3600 = 6120; mean 13200/4 = 3300;
//	  within 1 h (≤ 3600 s): 3/4; unanswered 1.
//	AHT sorted 300 600 900 1200: mean 750; median 600 + 0.5·300 = 750.
//	Resolution sorted 3600 7200 14400 36000: median 7200 + 0.5·7200 = 10800;
//	  unresolved 1.
//	Reopen 1/5 = 0.2.
//
// Agent A (t1, t2, t5): FRT 1800 3600 7200 → median 3600, p90 h = 1.8 →
// 3600 + 0.8·3600 = 6480; within SLA 2/3; AHT mean 2700/3 = 900.
// Agent B (t3, t4): FRT 600 → median = p90 = 600; within 1/1; AHT 300.
// Channel email (t1, t3, t4, t5): FRT 600 1800 3600 → median 1800.
func TestSupportHandWorked(t *testing.T) {
	t.Parallel()
	opt := SupportOptions{SLA: time.Hour}
	jan := month(2026, 1)
	r := Support(supportTickets(), jan, opt)
	if r.Tickets != 5 || r.Unanswered != 1 || r.Unresolved != 1 || r.FRT.N != 4 || r.AHT.N != 4 || r.Resolution.N != 4 {
		t.Errorf("counts: %+v", r)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"FRT median", r.FRT.Median, 2700}, {"FRT p90", r.FRT.P90, 6120}, {"FRT mean", r.FRT.Mean, 3300},
		{"within SLA", r.WithinSLA.Value, 0.75},
		{"AHT mean", r.AHT.Mean, 750}, {"AHT median", r.AHT.Median, 750},
		{"resolution median", r.Resolution.Median, 10800},
		{"reopen rate", r.Reopen.Value, 0.2},
	} {
		near(t, c.name, c.got, c.want, 1e-9)
	}
	if r.FRT.Definition != Definition(FRT) || r.AHT.Definition != Definition(AHT) || r.Reopen.Definition != Definition(ReopenRate) {
		t.Error("definitions missing")
	}

	byAgent := SupportBy(supportTickets(), []Period{jan}, ByAgent, opt)
	want := map[string][4]float64{ // FRT median, FRT p90, within SLA, AHT mean
		"A": {3600, 6480, 2.0 / 3, 900},
		"B": {600, 600, 1, 300},
	}
	if len(byAgent) != 2 || byAgent[0].Segment != "A" || byAgent[1].Segment != "B" {
		t.Fatalf("by agent: %+v", byAgent)
	}
	for _, c := range byAgent {
		w := want[c.Segment]
		near(t, c.Segment+" FRT median", c.Result.FRT.Median, w[0], 1e-9)
		near(t, c.Segment+" FRT p90", c.Result.FRT.P90, w[1], 1e-9)
		near(t, c.Segment+" within SLA", c.Result.WithinSLA.Value, w[2], 1e-12)
		near(t, c.Segment+" AHT mean", c.Result.AHT.Mean, w[3], 1e-9)
	}
	byChannel := SupportBy(supportTickets(), []Period{jan}, ByChannel, opt)
	if len(byChannel) != 2 || byChannel[1].Segment != "email" {
		t.Fatalf("by channel: %+v", byChannel)
	}
	near(t, "email FRT median", byChannel[1].Result.FRT.Median, 1800, 1e-9)
}

func TestSupportNoData(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		tickets []cx.Ticket
		opt     SupportOptions
	}{
		{"no tickets", nil, SupportOptions{SLA: time.Hour}},
		{"empty period", supportTickets(), SupportOptions{SLA: time.Hour}},
	}
	for _, tt := range tests {
		r := Support(tt.tickets, month(2026, 3), tt.opt)
		for _, ts := range []TimeStats{r.FRT, r.AHT, r.Resolution} {
			if !ts.NoData || ts.Readable || ts.Reason == "" || math.IsNaN(ts.Mean) || ts.Median != 0 {
				t.Errorf("%s: %+v, want NoData", tt.name, ts)
			}
		}
		for _, rate := range []Rate{r.WithinSLA, r.Reopen} {
			noNaN(t, tt.name, rate)
			if !rate.NoData {
				t.Errorf("%s: %+v, want NoData", tt.name, rate)
			}
		}
	}
	// Without an SLA the share within it is not computed.
	if r := Support(supportTickets(), month(2026, 1), SupportOptions{}); !r.WithinSLA.NoData || r.FRT.NoData {
		t.Errorf("no SLA: %+v", r.WithinSLA)
	}
	// MinN marks small samples unreadable but still computes them.
	if r := Support(supportTickets(), month(2026, 1), SupportOptions{SLA: time.Hour, Stats: statsMinN(10)}); r.FRT.Readable || r.FRT.Median != 2700 {
		t.Errorf("MinN 10: %+v", r.FRT)
	}
}
