package kpi

import (
	"github.com/cxlens/cxlens/internal/metrics"
)

// Options are the choices shared by the customer KPIs. The zero value means:
// the Subscription activity rule and metrics' default confidence level and
// readability thresholds.
type Options struct {
	// Active decides who is an active customer at an instant; nil means
	// Subscription. Use Inactivity or AliveRule for businesses without
	// subscriptions.
	Active ActiveFunc
	// Stats sets the confidence level, the readability thresholds and the
	// minimum sample size (metrics.Config).
	Stats metrics.Config
}

func (o Options) active() ActiveFunc {
	if o.Active == nil {
		return Subscription
	}
	return o.Active
}

// Rate is a ratio KPI for one period: Numerator / Denominator, with its
// definition and sample size. When the denominator is empty, NoData is true,
// Value is 0 and Reason says why: never NaN.
type Rate struct {
	Metric     Metric
	Definition string
	Period     Period
	// Numerator and Denominator are in the KPI's units (customers, MRR,
	// points, tickets).
	Numerator   float64
	Denominator float64
	// Value is Numerator / Denominator as a fraction (0.05 is 5%).
	Value float64
	// N is the number of units behind the denominator: customers, tickets,
	// or events.
	N int
	// CI is the Wilson interval of Value (fractions) when the KPI is a
	// proportion of counts (churn rate, referral rate, reopen rate); nil
	// otherwise.
	CI *metrics.Interval
	// Readable is false when there is no data, N is under Stats.MinN, or a
	// proportion's interval is wider than Stats.MaxPercentHalfWidth.
	Readable bool
	// NoData is true when there is nothing to compute the figure from
	// (an empty denominator); Reason then says why, and the figures are 0,
	// never NaN.
	NoData bool
	// Reason says why the figure is NoData or not Readable; empty otherwise.
	Reason string
}

// ratio builds a non-proportion Rate.
func ratio(m Metric, p Period, num, den float64, n int, cfg metrics.Config) Rate {
	r := Rate{Metric: m, Definition: Definition(m), Period: p, Numerator: num, Denominator: den, N: n}
	switch {
	case n == 0 || den == 0:
		r.NoData, r.Reason = true, "no data: the denominator is 0"
		return r
	case cfg.MinN > 0 && int64(n) < cfg.MinN:
		r.Reason = "fewer than the minimum sample size"
	default:
		r.Readable = true
	}
	r.Value = num / den
	return r
}

// proportion builds a Rate that is a share of counts, with its Wilson
// interval and metrics' readability verdict.
func proportion(m Metric, p Period, count, n int, cfg metrics.Config) Rate {
	r := ratio(m, p, float64(count), float64(n), n, cfg)
	if r.NoData {
		return r
	}
	pr := cfg.Proportion(int64(count), int64(n))
	ci := metrics.Interval{Lower: pr.CI.Lower / 100, Upper: pr.CI.Upper / 100}
	r.CI = &ci
	r.Readable, r.Reason = pr.Readable, pr.Reason
	return r
}
