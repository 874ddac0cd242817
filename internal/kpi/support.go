package kpi

import (
	"slices"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/metrics"
)

// TicketKey names the group a ticket belongs to (agent, channel...).
type TicketKey func(t cx.Ticket) string

// ByAgent groups tickets by agent; ByChannel by channel. Tickets without
// one fall in the group "".
func ByAgent(t cx.Ticket) string { return t.Agent }

// ByChannel groups tickets by channel; see ByAgent.
func ByChannel(t cx.Ticket) string { return t.Channel }

// SupportOptions set the first-response SLA and the statistics config.
type SupportOptions struct {
	// SLA is the first-response target; 0 means no SLA figure (WithinSLA is
	// NoData).
	SLA time.Duration
	// Stats sets the confidence level and readability thresholds.
	Stats metrics.Config
}

// TimeStats summarises durations in seconds. Mean, Median and P90 (type 7
// quantiles, see Quantile) are 0 when NoData.
type TimeStats struct {
	Metric     Metric
	Definition string
	// N is the number of tickets with the duration.
	N                 int
	Mean, Median, P90 float64
	// Readable is false when there is no data or N is under Stats.MinN.
	Readable bool
	// NoData is true when there is nothing to compute the figure from
	// (an empty denominator); Reason then says why, and the figures are 0,
	// never NaN.
	NoData bool
	// Reason says why the figure is NoData or not Readable; empty otherwise.
	Reason string
}

func timeStats(m Metric, xs []float64, cfg metrics.Config) TimeStats {
	r := TimeStats{Metric: m, Definition: Definition(m), N: len(xs)}
	s := sortedFinite(xs)
	if len(s) == 0 {
		r.NoData, r.Reason = true, "no data: no tickets with this duration"
		return r
	}
	r.Mean = metrics.Summarize(s).Mean
	r.Median, _ = quantileSorted(s, 0.5)
	r.P90, _ = quantileSorted(s, 0.9)
	if cfg.MinN > 0 && int64(len(s)) < cfg.MinN {
		r.Reason = "fewer than the minimum sample size"
	} else {
		r.Readable = true
	}
	return r
}

// SupportResult holds the support KPIs of the tickets opened in one period.
type SupportResult struct {
	Period Period
	// Tickets is the number of tickets opened in the period.
	Tickets int
	// FRT is first response time in seconds (FirstResponseAt − OpenedAt)
	// over the tickets with a first response; Unanswered counts the others.
	FRT        TimeStats
	Unanswered int
	// WithinSLA is the share of answered tickets whose FRT is at most the
	// SLA, with its Wilson interval. Unanswered tickets are left out, as
	// their FRT is not known yet: read it with Unanswered.
	WithinSLA Rate
	// AHT is handle time in seconds (HandleSeconds) over the tickets that
	// report it; DESIGN's AHT is AHT.Mean.
	AHT TimeStats
	// Resolution is resolution time in seconds (ResolvedAt − OpenedAt) over
	// the resolved tickets; Unresolved counts the others.
	Resolution TimeStats
	Unresolved int
	// Reopen is the share of tickets marked reopened.
	Reopen Rate
}

// Support returns the support KPIs of the tickets opened in period p
// (OpenedAt in p), whatever their customer.
func Support(tickets []cx.Ticket, p Period, opt SupportOptions) SupportResult {
	var frt, aht, res []float64
	r := SupportResult{Period: p}
	within, reopened := 0, 0
	for _, t := range tickets {
		if !p.Contains(t.OpenedAt) {
			continue
		}
		r.Tickets++
		if t.Reopened {
			reopened++
		}
		if t.FirstResponseAt != nil {
			d := t.FirstResponseAt.Sub(t.OpenedAt)
			frt = append(frt, d.Seconds())
			if d <= opt.SLA {
				within++
			}
		} else {
			r.Unanswered++
		}
		if t.ResolvedAt != nil {
			res = append(res, t.ResolvedAt.Sub(t.OpenedAt).Seconds())
		} else {
			r.Unresolved++
		}
		if t.HandleSeconds != nil {
			aht = append(aht, *t.HandleSeconds)
		}
	}
	r.FRT = timeStats(FRT, frt, opt.Stats)
	r.AHT = timeStats(AHT, aht, opt.Stats)
	r.Resolution = timeStats(ResolutionTime, res, opt.Stats)
	if opt.SLA > 0 {
		r.WithinSLA = proportion(FRT, p, within, len(frt), opt.Stats)
	} else {
		r.WithinSLA = Rate{Metric: FRT, Definition: Definition(FRT), Period: p, NoData: true, Reason: "no SLA set"}
	}
	r.Reopen = proportion(ReopenRate, p, reopened, r.Tickets, opt.Stats)
	return r
}

// SupportBy returns the support KPIs per group of key (in group name
// order) and per period (in the given order). A nil key puts every ticket
// in the group "". Every group appears in every period, with NoData
// figures where it had no tickets.
func SupportBy(tickets []cx.Ticket, periods []Period, key TicketKey, opt SupportOptions) []Cell[SupportResult] {
	if key == nil {
		key = func(cx.Ticket) string { return "" }
	}
	groups := make(map[string][]cx.Ticket)
	for _, t := range tickets {
		k := key(t)
		groups[k] = append(groups[k], t)
	}
	names := make([]string, 0, len(groups))
	for k := range groups {
		names = append(names, k)
	}
	slices.Sort(names)
	var out []Cell[SupportResult]
	for _, k := range names {
		for _, p := range periods {
			out = append(out, Cell[SupportResult]{Segment: k, Period: p, Result: Support(groups[k], p, opt)})
		}
	}
	return out
}
