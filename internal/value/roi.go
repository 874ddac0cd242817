package value

import (
	"fmt"
	"math"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
	"github.com/cxlens/cxlens/internal/metrics"
)

// The measures of the say-vs-do analysis, as named in Difference.Measure.
const (
	MeasureRetention = "retention"
	MeasureRevenue   = "revenue"
	MeasurePurchases = "purchases"
	MeasureReferrals = "referrals"
	MeasureCLV       = "predicted_clv"
)

// Risk bases of RevenueAtRisk.
const (
	RiskTrailingRevenue = "trailing_revenue" // revenue in the 12 months before AsOf
	RiskPredictedCLV    = "predicted_clv"    // predicted CLV at AsOf
)

// DefaultWhatIfShare is the share of passives the what-if moves to promoters.
const DefaultWhatIfShare = 0.10

// ROIOptions say whom ROI groups and what it measures. Zero fields take
// defaults.
type ROIOptions struct {
	// AsOf splits say from do: customers are grouped by their latest answer
	// before it and followed after it (required).
	AsOf time.Time
	// Basis is nps (default), csat or ces.
	Basis Basis
	// Surveys are the survey keys of the basis; nil means Basis.Surveys().
	Surveys []string
	// Lookback, when positive, ignores answers older than Lookback before
	// AsOf.
	Lookback time.Duration
	// Horizons are the follow-up windows in months; nil means 3, 6 and 12.
	Horizons []int
	// End is the end of the data; horizons ending after it are left out
	// (their outcomes are not known yet). Zero means the latest event or
	// response in the data.
	End time.Time
	// Options choose the activity rule (nil: kpi.Subscription) and the
	// confidence level (metrics.Config).
	kpi.Options
	// Predict configures the predicted CLV (its AsOf is set to AsOf).
	Predict PredictOptions
	// RiskBasis is RiskTrailingRevenue (default) or RiskPredictedCLV.
	RiskBasis string
	// WhatIfShare is the share X of passives moved to promoters, in (0, 1];
	// 0 means DefaultWhatIfShare.
	WhatIfShare float64
}

// Estimate is a figure with its sample size and confidence interval.
type Estimate struct {
	Value float64 `json:"value"`
	N     int     `json:"n"`
	Low   float64 `json:"ci_low"`
	High  float64 `json:"ci_high"`
	// Valid is false when the interval could not be computed (fewer than two
	// values); Low and High then equal Value.
	Valid bool `json:"valid"`
}

// Outcome is what one band's customers did over one horizon.
type Outcome struct {
	Group string `json:"group"`
	N     int    `json:"n"`
	// Retention is the share still active at the end of the horizon by the
	// activity rule, with its Wilson interval (a fraction).
	Retention Estimate `json:"retention"`
	// Revenue, Purchases and Referrals are per customer over the horizon:
	// purchases − refunds, purchase events and referral events, with t
	// intervals.
	Revenue   Estimate `json:"revenue"`
	Purchases Estimate `json:"purchases"`
	Referrals Estimate `json:"referrals"`
}

// Difference compares one measure between two bands, A − B.
type Difference struct {
	Measure string `json:"measure"`
	A       string `json:"a"`
	B       string `json:"b"`
	// Estimate, SE, Low and High are in the measure's units (a fraction for
	// retention).
	Estimate float64 `json:"estimate"`
	SE       float64 `json:"se"`
	Low      float64 `json:"ci_low"`
	High     float64 `json:"ci_high"`
	// P is the two-sided p-value: the two-proportion z test for retention
	// (metrics.ProportionDifference, R's prop.test), Welch's t test for the
	// means (metrics.WelchTTest).
	P      float64 `json:"p"`
	Valid  bool    `json:"valid"`
	Reason string  `json:"reason,omitempty"`
}

// Horizon holds the outcomes of every band over one follow-up window
// [AsOf, AsOf + Months).
type Horizon struct {
	Months int       `json:"months"`
	End    time.Time `json:"end"`
	// Groups are in the order High, Middle, Low (promoters, passives,
	// detractors).
	Groups []Outcome `json:"groups"`
	// Differences are High − Low and High − Middle for every measure.
	Differences []Difference `json:"differences"`
}

// RevenueAtRisk is the low band's value expected to be lost to its excess
// churn over the high band.
type RevenueAtRisk struct {
	Basis string `json:"basis"`
	// HorizonMonths is the horizon whose retention gives the churn.
	HorizonMonths int `json:"horizon_months"`
	// Customers and Value are the low band's size and summed value.
	Customers int     `json:"customers"`
	Value     float64 `json:"value"`
	// LowChurn and HighChurn are 1 − retention of the low and high bands.
	LowChurn  float64 `json:"low_churn"`
	HighChurn float64 `json:"high_churn"`
	// ExcessChurn is max(0, LowChurn − HighChurn) with its interval.
	ExcessChurn Estimate `json:"excess_churn"`
	// AtRisk is Value × ExcessChurn, with the interval Value × the
	// interval of the excess.
	AtRisk Estimate `json:"at_risk"`
}

// Uplift is a what-if gain with its standard error and interval.
type Uplift struct {
	Value float64 `json:"value"`
	SE    float64 `json:"se"`
	Low   float64 `json:"ci_low"`
	High  float64 `json:"ci_high"`
	Valid bool    `json:"valid"`
}

// WhatIf is the expected gain from moving a share of the middle band to the
// high band (passives to promoters).
type WhatIf struct {
	Share         float64 `json:"share"`
	HorizonMonths int     `json:"horizon_months"`
	// Moved is Share × the middle band's size.
	Moved float64 `json:"moved"`
	// Revenue is the extra revenue over the horizon, Retained the extra
	// customers still active at its end, CLV the extra predicted CLV.
	Revenue  Uplift `json:"revenue"`
	Retained Uplift `json:"retained"`
	CLV      Uplift `json:"predicted_clv"`
}

// ROIResult is the say-vs-do analysis.
type ROIResult struct {
	AsOf    time.Time `json:"as_of"`
	Basis   Basis     `json:"basis"`
	Surveys []string  `json:"surveys"`
	// Labels name the bands High, Middle, Low.
	Labels [3]string `json:"labels"`
	// N is the number of customers grouped: answered before AsOf and active
	// at AsOf.
	N int `json:"n"`
	// CLV is each band's predicted CLV at AsOf (order High, Middle, Low),
	// and CLVDifferences High − Low and High − Middle.
	CLV            []Estimate   `json:"predicted_clv"`
	CLVDifferences []Difference `json:"predicted_clv_differences"`
	Horizons       []Horizon    `json:"horizons"`
	// Skipped are the horizons (months) ending after the data.
	Skipped       []int          `json:"skipped,omitempty"`
	RevenueAtRisk *RevenueAtRisk `json:"revenue_at_risk,omitempty"`
	WhatIf        *WhatIf        `json:"what_if,omitempty"`
	Predictions   Predictions    `json:"-"`
}

// ROI groups the customers of d who answered a survey of the basis before
// o.AsOf and are active at o.AsOf (by o.Active) into the basis' three bands
// by their latest answer, and measures what each band did over each horizon
// after AsOf: retention (active at the horizon's end), revenue per customer
// (kpi.RevenueIn: purchases − refunds), purchases and referrals per customer,
// and predicted CLV at AsOf (Predict), each with n and a 95% interval (Wilson
// for retention, t for means), and the differences High − Low and High −
// Middle (metrics.ProportionDifference, metrics.WelchTTest).
//
// Revenue at risk, over the longest horizon that the data covers:
//
//	at risk = V_low × max(0, churn_low − churn_high),   churn = 1 − retention,
//
// with V_low the low band's summed trailing-12-month revenue before AsOf (or
// predicted CLV, RiskBasis): the value the detractors would keep if they
// churned like the promoters. Its interval is V_low times the interval of the
// retention difference High − Low, clamped at 0 (V_low is observed, not
// estimated).
//
// What-if, over the same horizon: moving a share X of the n_mid passives to
// promoters gains
//
//	uplift = X · n_mid · (m_high − m_mid),   SE = X · n_mid · SE(m_high − m_mid),
//
// for revenue per customer, retention (in customers) and predicted CLV; the
// interval is X · n_mid times the interval of the difference — a linear
// transformation, so the difference's uncertainty is the only one (X and
// n_mid are fixed). It assumes the observed difference is caused by the
// category, which observational data cannot prove: read it as an upper bound
// of what better CX is worth (Reichheld 2003, HBR 81(12), makes the same
// leap).
func ROI(d kpi.Data, o ROIOptions) (ROIResult, error) {
	if o.AsOf.IsZero() {
		return ROIResult{}, fmt.Errorf("value: roi: %w", cx.Invalid("as_of", "is required"))
	}
	if o.Basis == "" {
		o.Basis = BasisNPS
	}
	if !o.Basis.Valid() {
		return ROIResult{}, fmt.Errorf("value: roi: %w", cx.Invalid("basis", "must be nps, csat or ces"))
	}
	if o.Surveys == nil {
		o.Surveys = o.Basis.Surveys()
	}
	if o.Horizons == nil {
		o.Horizons = []int{3, 6, 12}
	}
	for _, h := range o.Horizons {
		if h <= 0 || h > 120 {
			return ROIResult{}, fmt.Errorf("value: roi: %w", cx.Invalid("horizons", "must be 1–120 months"))
		}
	}
	switch o.RiskBasis {
	case "":
		o.RiskBasis = RiskTrailingRevenue
	case RiskTrailingRevenue, RiskPredictedCLV:
	default:
		return ROIResult{}, fmt.Errorf("value: roi: %w", cx.Invalid("risk_basis", "must be trailing_revenue or predicted_clv"))
	}
	if o.WhatIfShare == 0 {
		o.WhatIfShare = DefaultWhatIfShare
	}
	if !(o.WhatIfShare > 0 && o.WhatIfShare <= 1) {
		return ROIResult{}, fmt.Errorf("value: roi: %w", cx.Invalid("what_if_share", "must be in (0, 1]"))
	}
	if err := o.Stats.Validate(); err != nil {
		return ROIResult{}, fmt.Errorf("value: roi: %w", err)
	}
	if o.End.IsZero() {
		o.End = dataEnd(d)
	}
	o.Predict.AsOf = o.AsOf
	pred, err := Predict(d, o.Predict)
	if err != nil {
		return ROIResult{}, fmt.Errorf("value: roi: %w", err)
	}
	res := ROIResult{AsOf: o.AsOf, Basis: o.Basis, Surveys: o.Surveys, Predictions: pred,
		Labels: [3]string{o.Basis.Label(High), o.Basis.Label(Middle), o.Basis.Label(Low)}}

	var from time.Time
	if o.Lookback > 0 {
		from = o.AsOf.Add(-o.Lookback)
	}
	answers := latestAnswers(d, o.Surveys, from, o.AsOf)
	h := newHistory(d)
	var members [3][]cx.Customer // by Band
	for _, c := range d.Customers {
		a, ok := answers[c.ExternalID]
		if !ok {
			continue
		}
		b, ok := o.Basis.Band(a.Score)
		if !ok || !activeAt(o.Active, c, h[c.ExternalID], o.AsOf) {
			continue
		}
		members[b] = append(members[b], c)
		res.N++
	}

	cfg := o.Stats
	pairs := [][2]Band{{High, Low}, {High, Middle}}
	var clvs [3]metrics.Summary
	for _, b := range bands {
		xs := make([]float64, len(members[b]))
		for i, c := range members[b] {
			p, _ := pred.Get(c.ExternalID)
			xs[i] = p.PredictedCLV
		}
		clvs[b] = metrics.Summarize(xs)
		res.CLV = append(res.CLV, meanEstimate(clvs[b], cfg))
	}
	for _, pr := range pairs {
		res.CLVDifferences = append(res.CLVDifferences, meanDifference(MeasureCLV, o.Basis, pr, clvs, cfg))
	}

	var last *Horizon
	var lastRet [3][2]int64 // retained, n per band at the last horizon
	var lastRev [3]metrics.Summary
	for _, months := range o.Horizons {
		end := o.AsOf.AddDate(0, months, 0)
		if end.After(o.End) {
			res.Skipped = append(res.Skipped, months)
			continue
		}
		win := kpi.Period{Start: o.AsOf, End: end}
		rev := kpi.RevenueIn(d.Events, win)
		hz := Horizon{Months: months, End: end}
		var ret [3][2]int64
		var revs, buys, refs [3]metrics.Summary
		for _, b := range bands {
			n := len(members[b])
			rv, by, rf := make([]float64, n), make([]float64, n), make([]float64, n)
			for i, c := range members[b] {
				es := h[c.ExternalID]
				if activeAt(o.Active, c, es, end) {
					ret[b][0]++
				}
				rv[i] = rev[c.ExternalID]
				for _, e := range before(es, end) {
					if e.OccurredAt.Before(o.AsOf) {
						continue
					}
					switch e.Type {
					case cx.Purchase:
						by[i]++
					case cx.Referral:
						rf[i]++
					}
				}
			}
			ret[b][1] = int64(n)
			revs[b], buys[b], refs[b] = metrics.Summarize(rv), metrics.Summarize(by), metrics.Summarize(rf)
			hz.Groups = append(hz.Groups, Outcome{Group: o.Basis.Label(b), N: n,
				Retention: proportionEstimate(ret[b][0], ret[b][1], cfg),
				Revenue:   meanEstimate(revs[b], cfg), Purchases: meanEstimate(buys[b], cfg), Referrals: meanEstimate(refs[b], cfg)})
		}
		for _, pr := range pairs {
			hz.Differences = append(hz.Differences, proportionDifference(o.Basis, pr, ret, cfg))
		}
		for _, m := range []struct {
			name string
			s    [3]metrics.Summary
		}{{MeasureRevenue, revs}, {MeasurePurchases, buys}, {MeasureReferrals, refs}} {
			for _, pr := range pairs {
				hz.Differences = append(hz.Differences, meanDifference(m.name, o.Basis, pr, m.s, cfg))
			}
		}
		res.Horizons = append(res.Horizons, hz)
		last, lastRet, lastRev = &res.Horizons[len(res.Horizons)-1], ret, revs
	}
	if last == nil {
		return res, nil
	}

	// Revenue at risk: V_low × max(0, churn_low − churn_high).
	rar := &RevenueAtRisk{Basis: o.RiskBasis, HorizonMonths: last.Months, Customers: len(members[Low])}
	trailing := kpi.RevenueIn(d.Events, kpi.Period{Start: o.AsOf.AddDate(-1, 0, 0), End: o.AsOf})
	for _, c := range members[Low] {
		if o.RiskBasis == RiskPredictedCLV {
			p, _ := pred.Get(c.ExternalID)
			rar.Value += p.PredictedCLV
		} else {
			rar.Value += trailing[c.ExternalID]
		}
	}
	rar.LowChurn = 1 - share(lastRet[Low])
	rar.HighChurn = 1 - share(lastRet[High])
	hl := last.Differences[0] // retention High − Low = churn_low − churn_high
	rar.ExcessChurn = Estimate{Value: math.Max(0, hl.Estimate), N: int(lastRet[High][1] + lastRet[Low][1]),
		Low: math.Max(0, hl.Low), High: math.Max(0, hl.High), Valid: hl.Valid}
	rar.AtRisk = Estimate{Value: rar.Value * rar.ExcessChurn.Value, N: rar.Customers,
		Low: rar.Value * rar.ExcessChurn.Low, High: rar.Value * rar.ExcessChurn.High, Valid: hl.Valid}
	if rar.Value < 0 { // net refunds: keep the interval ordered
		rar.AtRisk.Low, rar.AtRisk.High = rar.AtRisk.High, rar.AtRisk.Low
	}
	res.RevenueAtRisk = rar

	// What-if: X · n_mid · (high − mid), for revenue, retention and CLV.
	scale := o.WhatIfShare * float64(len(members[Middle]))
	wi := &WhatIf{Share: o.WhatIfShare, HorizonMonths: last.Months, Moved: scale,
		Retained: uplift(scale, last.Differences[1]),
		Revenue:  uplift(scale, meanDifference(MeasureRevenue, o.Basis, [2]Band{High, Middle}, lastRev, cfg)),
		CLV:      uplift(scale, res.CLVDifferences[1])}
	res.WhatIf = wi
	return res, nil
}

func share(k [2]int64) float64 {
	if k[1] == 0 {
		return 0
	}
	return float64(k[0]) / float64(k[1])
}

func uplift(scale float64, d Difference) Uplift {
	return Uplift{Value: scale * d.Estimate, SE: scale * d.SE, Low: scale * d.Low, High: scale * d.High, Valid: d.Valid}
}

// proportionEstimate is count/n as a fraction with its Wilson interval.
func proportionEstimate(count, n int64, cfg metrics.Config) Estimate {
	e := Estimate{N: int(n)}
	if n == 0 {
		return e
	}
	e.Value = float64(count) / float64(n)
	iv := metrics.WilsonInterval(count, n, level(cfg))
	e.Low, e.High, e.Valid = iv.Lower, iv.Upper, true
	return e
}

// meanEstimate is a mean with its t interval.
func meanEstimate(s metrics.Summary, cfg metrics.Config) Estimate {
	e := Estimate{Value: s.Mean, N: int(s.N), Low: s.Mean, High: s.Mean}
	if iv, ok := metrics.TInterval(s, level(cfg)); ok {
		e.Low, e.High, e.Valid = iv.Lower, iv.Upper, true
	}
	return e
}

func level(cfg metrics.Config) float64 {
	if cfg.Level == 0 {
		return metrics.DefaultLevel
	}
	return cfg.Level
}

// proportionDifference compares retention between two bands, converting
// metrics' percentage points to fractions.
func proportionDifference(basis Basis, pr [2]Band, k [3][2]int64, cfg metrics.Config) Difference {
	a, b := pr[0], pr[1]
	md := cfg.ProportionDifference(k[a][0], k[a][1], k[b][0], k[b][1])
	return Difference{Measure: MeasureRetention, A: basis.Label(a), B: basis.Label(b),
		Estimate: md.Estimate / 100, SE: md.SE / 100, Low: md.CI.Lower / 100, High: md.CI.Upper / 100,
		P: md.P, Valid: md.Valid, Reason: md.Reason}
}

// meanDifference compares a mean between two bands by Welch's t test.
func meanDifference(measure string, basis Basis, pr [2]Band, s [3]metrics.Summary, cfg metrics.Config) Difference {
	a, b := pr[0], pr[1]
	md := cfg.WelchTTest(s[a], s[b])
	return Difference{Measure: measure, A: basis.Label(a), B: basis.Label(b),
		Estimate: md.Estimate, SE: md.SE, Low: md.CI.Lower, High: md.CI.Upper, P: md.P, Valid: md.Valid, Reason: md.Reason}
}
