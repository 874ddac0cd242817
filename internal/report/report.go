// Package report answers "what is metric M from D to T, by interval and
// segment" for the behavioural KPIs of internal/kpi, in one JSON shape
// shared by `cxlens report` and GET /api/v1/metrics/{metric}: the overall
// figure at the top level (value, n, ci_low, ci_high) and one row per
// period and group.
package report

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
)

// Request says what to compute.
type Request struct {
	Metric   kpi.Metric
	From, To time.Time // [From, To); both required
	Interval kpi.Interval
	GroupBy  string // customer attribute, or agent/channel for support metrics
	Location *time.Location
	SLA      time.Duration // first-response SLA for frt (default 24 h)
	// Activity says who counts as an active customer: "subscription" (the
	// default: until a churn event), "inactivity" (until InactivityDays pass
	// without a purchase), or "p_alive" (while the BG/NBD probability of
	// being alive, fitted to the workspace's purchases, stays at or above
	// AliveThreshold, default 0.5).
	Activity       string
	InactivityDays int
	AliveThreshold float64
	// Value is what NCVG weighs customers by: "revenue" in the period (the
	// default) or "clv", predicted 12-month CLV (BG/NBD + Gamma-Gamma).
	Value string
	// Filters keep the customers whose attribute has one of the values,
	// "attr=v1,v2" (all filters must hold), with their events, tickets and
	// responses; "agent=…" and "channel=…" keep tickets instead.
	Filters []string
}

// Figure is one number with its sample size and interval.
type Figure struct {
	Value    *float64           `json:"value"` // null when there is no data
	N        int                `json:"n"`
	CILow    *float64           `json:"ci_low,omitempty"`
	CIHigh   *float64           `json:"ci_high,omitempty"`
	Readable bool               `json:"readable"`
	Reason   string             `json:"reason,omitempty"`
	Extra    map[string]float64 `json:"extra,omitempty"`
	Counts   []int64            `json:"counts,omitempty"` // survey metrics: answers per scale value
}

// Row is the figure of one period and group.
type Row struct {
	Period string    `json:"period,omitempty"` // the period's first day
	Start  time.Time `json:"start"`
	Group  string    `json:"group,omitempty"`
	Figure
	// Change is, for a period, the difference from the previous period
	// and, for a group, from all other responses, with its p-value
	// (Benjamini–Hochberg adjusted across groups); survey metrics only.
	Change      *float64 `json:"change,omitempty"`
	ChangeP     *float64 `json:"change_p,omitempty"`
	Significant bool     `json:"significant,omitempty"`
}

// Report is the answer: the overall figure for the whole range, inline, and
// the rows.
type Report struct {
	Metric     string    `json:"metric"`
	Definition string    `json:"definition"`
	From       time.Time `json:"from"`
	To         time.Time `json:"to"`
	Interval   string    `json:"interval,omitempty"`
	GroupBy    string    `json:"group_by,omitempty"`
	Surveys    []string  `json:"surveys,omitempty"`
	Figure
	// Compared is the figure of the period before, with the change and its
	// test, when the request asked to compare with it.
	Compared *Comparison `json:"compared,omitempty"`
	// Target is the workspace's target and benchmark for the metric, when
	// set (PUT /api/v1/targets/{metric}).
	Target *TargetGap `json:"target,omitempty"`
	Rows   []Row      `json:"rows"`
}

// Metrics lists the metrics Compute answers, in help order.
var Metrics = []kpi.Metric{kpi.ChurnRate, kpi.CRR, kpi.NRR, kpi.GRR, kpi.NCVG, kpi.ReferralRate, kpi.SayVsDo,
	kpi.RedemptionRate, kpi.FRT, kpi.AHT, kpi.ResolutionTime, kpi.ReopenRate, kpi.AgentOutliers}

// Validate checks a request and fills in defaults.
func (r *Request) Validate() error {
	if !slices.Contains(Metrics, r.Metric) {
		names := make([]string, len(Metrics))
		for i, m := range Metrics {
			names[i] = string(m)
		}
		return cx.Invalid("metric", fmt.Sprintf("unknown metric %q (one of %s)", r.Metric, strings.Join(names, ", ")))
	}
	if r.From.IsZero() || r.To.IsZero() || !r.To.After(r.From) {
		return cx.Invalid("from", "from and to are required, with from before to")
	}
	switch r.Interval {
	case "", kpi.Day, kpi.Week, kpi.Month, kpi.Quarter:
	default:
		return cx.Invalid("interval", "must be day, week, month or quarter")
	}
	if r.Location == nil {
		r.Location = time.UTC
	}
	if r.SLA <= 0 {
		r.SLA = 24 * time.Hour
	}
	switch r.Activity {
	case "", "subscription", "p_alive":
	case "inactivity":
		if r.InactivityDays == 0 {
			r.InactivityDays = 180
		}
	default:
		return cx.Invalid("activity", "must be subscription, inactivity or p_alive")
	}
	if r.InactivityDays < 0 || r.AliveThreshold < 0 || r.AliveThreshold > 1 {
		return cx.Invalid("activity", "inactivity_days must be positive and alive_threshold within 0–1")
	}
	if r.AliveThreshold == 0 {
		r.AliveThreshold = 0.5
	}
	switch r.Value {
	case "", "revenue", "clv":
	default:
		return cx.Invalid("value", "must be revenue or clv")
	}
	return nil
}

// Compute computes the report from a workspace's data.
func Compute(d kpi.Data, r Request) (Report, error) {
	if err := r.Validate(); err != nil {
		return Report{}, err
	}
	d, err := filter(d, r.Filters)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Metric: string(r.Metric), Definition: kpi.Definition(r.Metric), From: r.From, To: r.To, Interval: string(r.Interval), GroupBy: r.GroupBy, Rows: []Row{}}
	whole := kpi.Period{Start: r.From, End: r.To}
	if r.Metric == kpi.AgentOutliers {
		return outliers(d, whole, r, rep), nil
	}
	c, err := newCalc(d, r)
	if err != nil {
		return Report{}, err
	}
	rep.Figure = c.figure(d, whole)
	periods := []kpi.Period{whole}
	if r.Interval != "" {
		var err error
		if periods, err = kpi.Periods(r.Interval, r.From, r.To, r.Location); err != nil {
			return Report{}, cx.Invalid("interval", err.Error())
		}
	}
	if r.Interval == "" && r.GroupBy == "" {
		return rep, nil
	}
	groups := map[string]kpi.Data{"": d}
	if r.GroupBy != "" {
		groups = split(d, r)
	}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	for _, g := range names {
		for _, p := range periods {
			row := Row{Start: p.Start, Group: g, Figure: c.figure(groups[g], p)}
			if r.Interval != "" {
				row.Period = p.Start.In(r.Location).Format("2006-01-02")
			}
			rep.Rows = append(rep.Rows, row)
		}
	}
	return rep, nil
}

// filter applies a request's filters to the data.
func filter(d kpi.Data, filters []string) (kpi.Data, error) {
	for _, f := range filters {
		attr, list, ok := strings.Cut(f, "=")
		attr = strings.TrimPrefix(strings.TrimSpace(attr), "customer.")
		if !ok || attr == "" || list == "" {
			return d, cx.Invalid("filter", fmt.Sprintf("%q is not attr=value or attr=v1,v2", f))
		}
		values := map[string]bool{}
		for _, v := range strings.Split(list, ",") {
			values[v] = true
		}
		if attr == "agent" || attr == "channel" {
			var ts []cx.Ticket
			for _, t := range d.Tickets {
				if (attr == "agent" && values[t.Agent]) || (attr == "channel" && values[t.Channel]) {
					ts = append(ts, t)
				}
			}
			d.Tickets = ts
			continue
		}
		keep := map[string]bool{}
		var cs []cx.Customer
		for _, c := range d.Customers {
			if values[c.Attributes.String(attr)] {
				keep[c.ExternalID] = true
				cs = append(cs, c)
			}
		}
		out := kpi.Data{Customers: cs}
		for _, e := range d.Events {
			if keep[e.Customer] {
				out.Events = append(out.Events, e)
			}
		}
		for _, t := range d.Tickets {
			if keep[t.Customer] {
				out.Tickets = append(out.Tickets, t)
			}
		}
		for _, r := range d.Responses {
			if keep[r.Customer] {
				out.Responses = append(out.Responses, r)
			}
		}
		d = out
	}
	return d, nil
}

// split groups the data by a customer attribute, or for the support metrics
// by the tickets' agent or channel.
func split(d kpi.Data, r Request) map[string]kpi.Data {
	if support(r.Metric) && (r.GroupBy == "agent" || r.GroupBy == "channel") {
		out := map[string]kpi.Data{}
		for _, t := range d.Tickets {
			key := t.Agent
			if r.GroupBy == "channel" {
				key = t.Channel
			}
			g := out[key]
			g.Tickets = append(g.Tickets, t)
			out[key] = g
		}
		return out
	}
	return d.Segments(kpi.ByAttribute(strings.TrimPrefix(r.GroupBy, "customer.")))
}

func support(m kpi.Metric) bool {
	return m == kpi.FRT || m == kpi.AHT || m == kpi.ResolutionTime || m == kpi.ReopenRate
}

// calc is what every figure of a report shares: the request, the
// activity rule, and the customer values NCVG weighs by.
type calc struct {
	r     Request
	opt   kpi.Options
	value map[string]float64 // nil: revenue in the period
}

// newCalc builds the activity rule and values of a request, fitting the
// CLV models once when the rule or the values need them.
func newCalc(d kpi.Data, r Request) (*calc, error) {
	c := &calc{r: r}
	switch r.Activity {
	case "inactivity":
		c.opt.Active = kpi.Inactivity(time.Duration(r.InactivityDays)*24*time.Hour, cx.Purchase)
	case "p_alive":
		alive, err := aliveFunc(d)
		if err != nil {
			return nil, err
		}
		c.opt.Active = kpi.AliveRule(alive, r.AliveThreshold)
	}
	if r.Value == "clv" {
		v, err := clvValues(d, r.To)
		if err != nil {
			return nil, err
		}
		c.value = v
	}
	return c, nil
}

// figure computes the metric for one period of one group.
func (c *calc) figure(d kpi.Data, p kpi.Period) Figure {
	r, opt := c.r, c.opt
	switch r.Metric {
	case kpi.ChurnRate:
		return rate(kpi.Retention(d, p, opt).ChurnRate)
	case kpi.CRR:
		return rate(kpi.Retention(d, p, opt).CRR)
	case kpi.NRR, kpi.GRR:
		rr := kpi.RevenueRetention(d, p, opt)
		f := rate(rr.NRR)
		if r.Metric == kpi.GRR {
			f = rate(rr.GRR)
		}
		f.Extra = map[string]float64{"start_mrr": rr.StartMRR, "end_mrr": rr.EndMRR, "expansion": rr.Expansion, "contraction": rr.Contraction, "churned_mrr": rr.Churned}
		return f
	case kpi.NCVG:
		g := kpi.NetCustomerValueGrowth(d, p, opt, c.value)
		f := Figure{N: g.N, Readable: !g.NoData, Reason: g.Reason,
			Extra: map[string]float64{"new": float64(g.New), "lost": float64(g.Lost), "new_value": g.NewValue, "lost_value": g.LostValue, "net_value": g.NetValue}}
		if !g.NoData {
			f.Value = ptr(float64(g.Net))
		}
		return f
	case kpi.ReferralRate:
		rr := kpi.Referrals(d, p, opt, c.value)
		f := rate(rr.Rate)
		f.Extra = map[string]float64{"referred": float64(len(rr.Referred)), "referred_revenue": rr.ReferredRevenue.Numerator}
		return f
	case kpi.SayVsDo:
		s := kpi.ReferralsByNPS(d, p, kpi.SayVsDoOptions{Options: opt})
		f := rate(s.Promoters)
		f.Extra = map[string]float64{"promoters": s.Promoters.Value, "passives": s.Passives.Value, "detractors": s.Detractors.Value,
			"promoters_vs_detractors_p": s.PromotersVsDetractors.P}
		return f
	case kpi.RedemptionRate:
		return rate(kpi.Redemption(d, p, opt))
	}
	s := kpi.Support(d.Tickets, p, kpi.SupportOptions{SLA: r.SLA})
	switch r.Metric {
	case kpi.FRT:
		f := times(s.FRT)
		f.Extra["within_sla"] = s.WithinSLA.Value
		f.Extra["unanswered"] = float64(s.Unanswered)
		return f
	case kpi.AHT:
		// Average handle time is a mean, by definition.
		f := times(s.AHT)
		if f.Value != nil {
			f.Value, f.Extra["median"] = ptr(s.AHT.Mean), s.AHT.Median
			delete(f.Extra, "mean")
		}
		return f
	case kpi.ResolutionTime:
		return times(s.Resolution)
	}
	return rate(s.Reopen)
}

func rate(r kpi.Rate) Figure {
	f := Figure{N: r.N, Readable: r.Readable, Reason: r.Reason}
	if r.NoData {
		return f
	}
	f.Value = ptr(r.Value)
	if r.CI != nil {
		f.CILow, f.CIHigh = ptr(r.CI.Lower), ptr(r.CI.Upper)
	}
	return f
}

// times reports durations in seconds: the median as the value (the mean
// and p90 as extras), as support leads read response and resolution times.
func times(t kpi.TimeStats) Figure {
	f := Figure{N: t.N, Readable: t.Readable, Reason: t.Reason, Extra: map[string]float64{}}
	if t.NoData {
		return f
	}
	f.Value = ptr(t.Median)
	f.Extra["mean"], f.Extra["p90"] = t.Mean, t.P90
	return f
}

func ptr(v float64) *float64 { return &v }
