package report

import (
	"fmt"
	"time"

	"github.com/cxlens/cxlens/internal/clv"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
	"github.com/cxlens/cxlens/internal/value"
)

// aliveFunc fits BG/NBD to the workspace's purchases (as of the end of the
// data) and returns the probability that a customer, given the purchases
// before t, is still alive at t: P(alive | x, t_x, T) of Fader, Hardie &
// Lee (2005), eq. 11, with same-day purchases merged and times in weeks. A
// customer who never bought is not alive by this rule.
func aliveFunc(d kpi.Data) (kpi.AliveFunc, error) {
	p, err := value.Predict(d, value.PredictOptions{AsOf: dataEnd(d)})
	if err != nil {
		return nil, err
	}
	if p.BGNBD == nil || p.Reason != "" {
		return nil, cx.Invalid("activity", fmt.Sprintf("p_alive needs a BG/NBD fit of the workspace's purchases: %s", p.Reason))
	}
	m := clv.BGNBD{R: p.BGNBD["r"], Alpha: p.BGNBD["alpha"], A: p.BGNBD["a"], B: p.BGNBD["b"]}
	return func(_ cx.Customer, past []cx.Event, t time.Time) float64 {
		var first, last time.Time
		days := map[time.Time]bool{}
		for _, e := range past {
			if e.Type != cx.Purchase {
				continue
			}
			day := e.OccurredAt.UTC().Truncate(24 * time.Hour)
			days[day] = true
			if first.IsZero() || day.Before(first) {
				first = day
			}
			if day.After(last) {
				last = day
			}
		}
		if len(days) == 0 {
			return 0
		}
		week := float64(clv.Week)
		return m.PAlive(len(days)-1, float64(last.Sub(first))/week, float64(t.Sub(first))/week)
	}, nil
}

// clvValues returns each customer's predicted 12-month CLV as of t.
func clvValues(d kpi.Data, t time.Time) (map[string]float64, error) {
	p, err := value.Predict(d, value.PredictOptions{AsOf: t})
	if err != nil {
		return nil, err
	}
	out := make(map[string]float64, len(p.Customers))
	for _, c := range p.Customers {
		out[c.Customer] = c.PredictedCLV
	}
	return out, nil
}

// dataEnd is the day after the latest event, ticket or response.
func dataEnd(d kpi.Data) time.Time {
	var end time.Time
	for _, e := range d.Events {
		end = later(end, e.OccurredAt)
	}
	for _, t := range d.Tickets {
		end = later(end, t.OpenedAt)
	}
	for _, r := range d.Responses {
		end = later(end, r.SubmittedAt)
	}
	return end.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// outliers reports each agent against the rest of the team on CSAT, CES
// (responses credited to the ticket named by attributes.ticket, else the
// customer's latest ticket in the 7 days before) and FRT and AHT: one row
// per agent and figure, the agent's mean as the value, the effect (agent −
// rest, or agent / rest for times) as the change and the Benjamini–Hochberg
// adjusted p-value, flagged significant at a 5% false discovery rate.
func outliers(d kpi.Data, p kpi.Period, r Request, rep Report) Report {
	res := kpi.Outliers(d.Tickets, d.Responses, p, kpi.OutlierOptions{Join: kpi.DefaultJoin()})
	worse := 0
	for _, c := range res.Comparisons {
		row := Row{Start: p.Start, Group: c.Agent + "/" + string(c.Metric)}
		row.N, row.Readable, row.Reason = c.N, c.Valid, c.Reason
		row.Extra = map[string]float64{"rest_mean": c.RestMean, "median": c.Median, "rest_median": c.RestMedian, "rest_n": float64(c.RestN), "cohens_d": c.D}
		if c.Valid {
			row.Value = ptr(c.Mean)
			row.CILow, row.CIHigh = ptr(c.EffectCI.Lower), ptr(c.EffectCI.Upper)
			row.Change, row.ChangeP, row.Significant = ptr(c.Effect), ptr(c.AdjustedP), c.Outlier
			if c.Worse {
				worse++
				row.Extra["worse"] = 1
			}
		}
		rep.Rows = append(rep.Rows, row)
	}
	// The headline is how many agents need help: outliers on the bad side.
	rep.Figure = Figure{Value: ptr(float64(worse)), N: len(res.Comparisons), Readable: true}
	return rep
}
