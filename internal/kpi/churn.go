package kpi

import (
	"github.com/cxlens/cxlens/internal/cx"
)

// Movement is who was a customer at the start and end of a period and who
// came and went in between, by the activity rule of Options.Active.
type Movement struct {
	Period Period
	// Start are the customers active at Period.Start; End those active at
	// Period.End.
	Start []string
	End   []string
	// New are the customers first seen during the period (Start ≤
	// FirstSeen < End), whether or not they are still active at its end.
	New []string
	// Lost are the customers of Start that are not active at the end.
	Lost []string
}

// Move returns the customer movement of d in period p.
func Move(d Data, p Period, opt Options) Movement {
	active := opt.active()
	h := newHistory(d.Events)
	m := Movement{Period: p}
	for _, c := range d.Customers {
		es := h[c.ExternalID]
		atStart := active(c, before(es, p.Start), p.Start)
		atEnd := active(c, before(es, p.End), p.End)
		if atStart {
			m.Start = append(m.Start, c.ExternalID)
			if !atEnd {
				m.Lost = append(m.Lost, c.ExternalID)
			}
		}
		if atEnd {
			m.End = append(m.End, c.ExternalID)
		}
		if p.Contains(c.FirstSeen) {
			m.New = append(m.New, c.ExternalID)
		}
	}
	return m
}

// RetentionResult holds the churn rate and CRR of one period, with the
// counts behind them.
type RetentionResult struct {
	Period Period
	// StartN, EndN, NewN and LostN count the customers of Movement's Start,
	// End, New and Lost.
	StartN, EndN, NewN, LostN int
	ChurnRate                 Rate
	CRR                       Rate
}

// Retention returns the churn rate and the customer retention rate of d in
// period p:
//
//	churn rate = lost / start,   CRR = (end − new) / start
//
// with start, end, new and lost as in Movement. The two do not add up to 1
// in general: CRR also subtracts new customers who left within the period
// and adds back customers who came back (reactivated) during it — that is
// the usual CRR formula, kept as defined; it is even negative when fewer
// customers remain at the end than arrived during the period. With no
// customers at the start both rates are NoData.
func Retention(d Data, p Period, opt Options) RetentionResult {
	m := Move(d, p, opt)
	s, e, n, l := len(m.Start), len(m.End), len(m.New), len(m.Lost)
	return RetentionResult{
		Period: p, StartN: s, EndN: e, NewN: n, LostN: l,
		ChurnRate: proportion(ChurnRate, p, l, s, opt.Stats),
		CRR:       ratio(CRR, p, float64(e-n), float64(s), s, opt.Stats),
	}
}

// customerSet indexes customers by external id.
func customerSet(cs []cx.Customer) map[string]bool {
	out := make(map[string]bool, len(cs))
	for _, c := range cs {
		out[c.ExternalID] = true
	}
	return out
}
