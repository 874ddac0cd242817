package kpi

import (
	"slices"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/metrics"
)

// ReferralResult is the referral rate of one period and what the referred
// customers brought.
type ReferralResult struct {
	Period Period
	// Rate is referrers / active customers, where active customers are
	// those active at the start or new during the period (Movement) and
	// referrers those of them with at least one referral event in the
	// period.
	Rate Rate
	// Referred are the distinct customers named by attributes.referred of
	// the period's referral events of d's customers, sorted.
	Referred []string
	// ReferredRevenue sums the value of the Referred customers.
	ReferredRevenue Rate
}

// Referrals returns the referral rate of d in period p and the referred
// customers' value. value gives each customer's value; nil means revenue in
// the period (RevenueIn over d.Events). When d is one segment of a larger
// Data, referred customers may sit in other segments: pass
// RevenueIn(all events, p) (or CLVs) as value to count their revenue.
// ReferredRevenue is a Rate whose Value is the mean value per referred
// customer (Numerator the sum, Denominator and N the number referred).
func Referrals(d Data, p Period, opt Options, value map[string]float64) ReferralResult {
	if value == nil {
		value = RevenueIn(d.Events, p)
	}
	m := Move(d, p, opt)
	activeSet := make(map[string]bool, len(m.Start)+len(m.New))
	for _, c := range m.Start {
		activeSet[c] = true
	}
	for _, c := range m.New {
		activeSet[c] = true
	}
	known := customerSet(d.Customers)
	referrers := make(map[string]bool)
	referred := make(map[string]bool)
	for _, e := range d.Events {
		if e.Type != cx.Referral || !p.Contains(e.OccurredAt) || !known[e.Customer] {
			continue
		}
		if activeSet[e.Customer] {
			referrers[e.Customer] = true
		}
		if r := e.Attributes.String("referred"); r != "" {
			referred[r] = true
		}
	}
	res := ReferralResult{Period: p, Rate: proportion(ReferralRate, p, len(referrers), len(activeSet), opt.Stats)}
	sum := 0.0
	for r := range referred {
		res.Referred = append(res.Referred, r)
		sum += value[r]
	}
	slices.Sort(res.Referred)
	res.ReferredRevenue = ratio(ReferredRevenue, p, sum, float64(len(referred)), len(referred), opt.Stats)
	return res
}

// SayVsDoOptions choose, for ReferralsByNPS, which answers count as NPS
// answers and how far back to look for them.
type SayVsDoOptions struct {
	Options
	// NPSSurveys are the survey keys of NPS surveys; nil means "nps".
	NPSSurveys []string
	// Lookback, when positive, ignores NPS answers older than Lookback
	// before the period starts.
	Lookback time.Duration
}

// SayVsDoResult compares what customers said (their NPS category) with
// what they did (referring someone during the period).
type SayVsDoResult struct {
	Metric     Metric
	Definition string
	Period     Period
	// Promoters, Passives and Detractors are each category's share of
	// customers who referred at least one customer during the period, with
	// Wilson intervals; N is the category's size.
	Promoters, Passives, Detractors Rate
	// PromotersVsDetractors and PromotersVsPassives compare the shares, in
	// percentage points (promoters − other), by the two-proportion z test
	// (metrics.ProportionDifference, as R's prop.test without continuity
	// correction).
	PromotersVsDetractors, PromotersVsPassives metrics.Difference
	// N is the number of customers with an NPS answer before the period.
	N int
	// NoData is true when there is nothing to compute the figure from
	// (an empty denominator); Reason then says why, and the figures are 0,
	// never NaN.
	NoData bool
	// Reason says why the result is NoData; empty otherwise.
	Reason string
}

// ReferralsByNPS classifies each customer of d by their latest NPS answer
// submitted before p.Start (promoter 9–10, passive 7–8, detractor 0–6) and
// returns the share of each category that referred at least one customer
// during p: the "say vs do" of referrals.
// Unlike Referrals it does not require the customer to be active: a
// detractor who left and so never refers is part of the "do".
func ReferralsByNPS(d Data, p Period, opt SayVsDoOptions) SayVsDoResult {
	surveys := opt.NPSSurveys
	if surveys == nil {
		surveys = []string{string(cx.NPS)}
	}
	known := customerSet(d.Customers)
	type answer struct {
		at    time.Time
		score int
	}
	latest := make(map[string]answer)
	for _, r := range d.Responses {
		if r.Score == nil || !known[r.Customer] || !slices.Contains(surveys, r.Survey) || !r.SubmittedAt.Before(p.Start) {
			continue
		}
		if opt.Lookback > 0 && r.SubmittedAt.Before(p.Start.Add(-opt.Lookback)) {
			continue
		}
		if a, ok := latest[r.Customer]; !ok || !r.SubmittedAt.Before(a.at) {
			latest[r.Customer] = answer{r.SubmittedAt, *r.Score}
		}
	}
	referred := make(map[string]bool)
	for _, e := range d.Events {
		if e.Type == cx.Referral && p.Contains(e.OccurredAt) {
			referred[e.Customer] = true
		}
	}
	var n, k [3]int // 0 detractors, 1 passives, 2 promoters
	for c, a := range latest {
		cat := 0
		switch {
		case a.score >= 9:
			cat = 2
		case a.score >= 7:
			cat = 1
		}
		n[cat]++
		if referred[c] {
			k[cat]++
		}
	}
	cfg := opt.Stats
	r := SayVsDoResult{Metric: SayVsDo, Definition: Definition(SayVsDo), Period: p,
		Detractors:            proportion(SayVsDo, p, k[0], n[0], cfg),
		Passives:              proportion(SayVsDo, p, k[1], n[1], cfg),
		Promoters:             proportion(SayVsDo, p, k[2], n[2], cfg),
		PromotersVsDetractors: cfg.ProportionDifference(int64(k[2]), int64(n[2]), int64(k[0]), int64(n[0])),
		PromotersVsPassives:   cfg.ProportionDifference(int64(k[2]), int64(n[2]), int64(k[1]), int64(n[1])),
		N:                     len(latest),
	}
	if r.N == 0 {
		r.NoData, r.Reason = true, "no data: no NPS answers before the period"
	}
	return r
}
