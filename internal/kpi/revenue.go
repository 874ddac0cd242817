package kpi

import (
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// mrr returns a customer's MRR at t from their events in time order: the
// value of the latest subscription_change before t, or 0 when a churn event
// came after it (or there is none). A reactivate event does not restore MRR:
// the next subscription_change does.
func mrr(es []cx.Event, t time.Time) float64 {
	v := 0.0
	for _, e := range before(es, t) {
		switch e.Type {
		case cx.SubscriptionChange:
			v = e.Value
		case cx.Churn:
			v = 0
		}
	}
	return v
}

// MRRAt returns the monthly recurring revenue of every customer with
// subscription events at instant t. A customer's MRR at t is the value of
// their latest subscription_change event strictly before t (cx: "value =
// recurring revenue per month after the change, 0 when cancelled"), or 0
// when a churn event came after it or there is none; a reactivate event
// leaves it at 0 until the next subscription_change.
func MRRAt(events []cx.Event, t time.Time) map[string]float64 {
	out := make(map[string]float64)
	for c, es := range newHistory(events) {
		for _, e := range es {
			if e.Type == cx.SubscriptionChange {
				out[c] = mrr(es, t)
				break
			}
		}
	}
	return out
}

// RevenueIn returns each customer's revenue in period p: the values of their
// purchase events minus those of their refund events with OccurredAt in p.
// Customers without either have no entry.
func RevenueIn(events []cx.Event, p Period) map[string]float64 {
	out := make(map[string]float64)
	for _, e := range events {
		if !p.Contains(e.OccurredAt) {
			continue
		}
		switch e.Type {
		case cx.Purchase:
			out[e.Customer] += e.Value
		case cx.Refund:
			out[e.Customer] -= e.Value
		}
	}
	return out
}

// RevenueRetentionResult is the MRR bridge of one period and the NRR and GRR
// derived from it.
type RevenueRetentionResult struct {
	Period Period
	// Customers is the number of customers paying at the start (MRR > 0).
	Customers int
	// StartMRR is their MRR at Period.Start and EndMRR at Period.End.
	StartMRR, EndMRR float64
	// Expansion, Contraction and Churned split EndMRR − StartMRR by
	// customer: Expansion sums the increases, Contraction the decreases of
	// customers still paying at the end, Churned the start MRR of those
	// paying nothing at the end. All three are non-negative.
	Expansion, Contraction, Churned float64
	NRR                             Rate
	GRR                             Rate
}

// RevenueRetention returns the net and gross revenue retention of d in
// period p, over the customers of d paying at the start (MRR at Start > 0,
// see MRRAt); customers who start paying during the period are new revenue
// and not part of either rate:
//
//	NRR = (start + expansion − contraction − churned) / start = EndMRR / StartMRR
//	GRR = (start − contraction − churned) / start = Σ min(MRR_end, MRR_start) / StartMRR
//
// Each customer's change is net over the period (an upgrade and a downgrade
// within it cancel out). With no MRR at the start both rates are NoData.
func RevenueRetention(d Data, p Period, opt Options) RevenueRetentionResult {
	h := newHistory(d.Events)
	r := RevenueRetentionResult{Period: p}
	for _, c := range d.Customers {
		es := h[c.ExternalID]
		s := mrr(es, p.Start)
		if s <= 0 {
			continue
		}
		e := mrr(es, p.End)
		r.Customers++
		r.StartMRR += s
		r.EndMRR += e
		switch {
		case e <= 0:
			r.Churned += s
		case e > s:
			r.Expansion += e - s
		default:
			r.Contraction += s - e
		}
	}
	r.NRR = ratio(NRR, p, r.StartMRR+r.Expansion-r.Contraction-r.Churned, r.StartMRR, r.Customers, opt.Stats)
	r.GRR = ratio(GRR, p, r.StartMRR-r.Contraction-r.Churned, r.StartMRR, r.Customers, opt.Stats)
	return r
}

// NCVGResult is the net customer value growth of one period.
type NCVGResult struct {
	Metric     Metric
	Definition string
	Period     Period
	// New, Lost and Net (= New − Lost) are customer counts (see Movement).
	New, Lost, Net int
	// NewValue and LostValue sum the value of the new and of the lost
	// customers; NetValue = NewValue − LostValue.
	NewValue, LostValue, NetValue float64
	// N is the number of customers at the start plus the new ones.
	N int
	// NoData is true when there is nothing to compute the figure from
	// (an empty denominator); Reason then says why, and the figures are 0,
	// never NaN.
	NoData bool
	// Reason says why the result is NoData; empty otherwise.
	Reason string
}

// NetCustomerValueGrowth returns the NCVG of d in period p: new − lost
// customers (Movement), as counts and as value, absolute. value gives each
// customer's value (e.g. CLV, or MRR×12); nil means each customer's revenue
// in the period (RevenueIn), so a lost customer counts with what they spent
// in the period before leaving. NoData is set when there are no customers
// at the start and none new.
func NetCustomerValueGrowth(d Data, p Period, opt Options, value map[string]float64) NCVGResult {
	if value == nil {
		value = RevenueIn(d.Events, p)
	}
	m := Move(d, p, opt)
	r := NCVGResult{Metric: NCVG, Definition: Definition(NCVG), Period: p,
		New: len(m.New), Lost: len(m.Lost), N: len(m.Start) + len(m.New)}
	r.Net = r.New - r.Lost
	for _, c := range m.New {
		r.NewValue += value[c]
	}
	for _, c := range m.Lost {
		r.LostValue += value[c]
	}
	r.NetValue = r.NewValue - r.LostValue
	if r.N == 0 {
		r.NoData, r.Reason = true, "no data: no customers at the start and none new"
	}
	return r
}
