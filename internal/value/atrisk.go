package value

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
)

// Defaults of RiskOptions.
const (
	DefaultRiskWindowDays = 90
	// DefaultDetractorBoost is close to the excess yearly churn of detractors
	// over promoters in the demo workspace (README: 29.7% against 4.5%); set
	// it from ROIResult.RevenueAtRisk.ExcessChurn for a real workspace.
	DefaultDetractorBoost = 0.25
	DefaultLowCSATBoost   = 0.15
	DefaultLowCESBoost    = 0.15
	// DefaultLimit is the page size of the lists when none is given.
	DefaultLimit = 50
)

// MaxLimit is the largest page of the lists.
const MaxLimit = 1000

// Signal thresholds: a detractor answers 0–6, a low CSAT is 1–2 (of 5), a
// low CES 1–3 (of 7).
const (
	DetractorMax = 6
	LowCSATMax   = 2
	LowCESMax    = 3
)

// RiskOptions configure AtRisk. Zero fields take the defaults.
type RiskOptions struct {
	// AsOf is the date of the list (required).
	AsOf time.Time
	// WindowDays is how recent an answer must be to boost the risk: submitted
	// in [AsOf − WindowDays, AsOf).
	WindowDays int
	// NPSSurveys, CSATSurveys and CESSurveys are the survey keys; nil means
	// "nps", "csat" and "ces".
	NPSSurveys, CSATSurveys, CESSurveys []string
	// DetractorBoost, LowCSATBoost and LowCESBoost are the boosts b of the
	// signals, in [0, 1); 0 takes the default and a negative value turns the
	// signal off.
	DetractorBoost, LowCSATBoost, LowCESBoost float64
	// Active is the activity rule: only customers active at AsOf are listed
	// (nil: kpi.Subscription).
	Active kpi.ActiveFunc
	// Predict configures the predictions (its AsOf is set to AsOf).
	Predict PredictOptions
	// Limit and Offset page the list; Limit 0 means DefaultLimit, at most
	// MaxLimit.
	Limit, Offset int
}

// Reason is one reason a customer is on a list.
type Reason struct {
	// Code is p_alive, detractor, low_csat or low_ces (at-risk), or promoter
	// (advocates).
	Code   string `json:"code"`
	Detail string `json:"detail"`
	// Survey, Score and At name the answer behind a survey reason.
	Survey string     `json:"survey,omitempty"`
	Score  *int       `json:"score,omitempty"`
	At     *time.Time `json:"at,omitempty"`
	// Boost is the signal's b.
	Boost float64 `json:"boost,omitempty"`
}

// RiskEntry is one customer of the at-risk list.
type RiskEntry struct {
	Rank         int     `json:"rank"`
	Customer     string  `json:"customer"`
	PredictedCLV float64 `json:"predicted_clv"`
	PAlive       float64 `json:"p_alive"`
	// Risk is the boosted probability of being lost, 1 − P(alive) · Π(1 − b).
	Risk float64 `json:"risk"`
	// ValueAtRisk is PredictedCLV × Risk.
	ValueAtRisk float64  `json:"value_at_risk"`
	Revenue     float64  `json:"revenue"`
	Reasons     []Reason `json:"reasons"`
}

// Page is one page of a ranked list.
type Page[T any] struct {
	AsOf time.Time `json:"as_of"`
	// Total is the length of the whole list.
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
	Items  []T `json:"items"`
}

func boost(v, def float64) float64 {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}

func pageBounds(limit, offset, total int) (lo, hi, lim int, err error) {
	if limit == 0 {
		limit = DefaultLimit
	}
	if limit < 0 || limit > MaxLimit {
		return 0, 0, 0, cx.Invalid("limit", fmt.Sprintf("must be 1–%d", MaxLimit))
	}
	if offset < 0 {
		return 0, 0, 0, cx.Invalid("offset", "must not be negative")
	}
	lo, hi = min(offset, total), min(offset+limit, total)
	return lo, hi, limit, nil
}

// AtRisk ranks the customers of d active at o.AsOf by value at risk:
//
//	risk          = 1 − P(alive) · Π_s (1 − b_s)
//	value at risk = predicted CLV × risk
//
// where P(alive) is the BG/NBD probability (Predict) and s runs over the
// customer's recent signals, each of which is their latest answer to a
// survey of its kind within the window [AsOf − WindowDays, AsOf):
// a detractor NPS (0–6, b = DetractorBoost), a low CSAT (≤ 2,
// LowCSATBoost), a low CES (≤ 3, LowCESBoost). Without signals the risk is
// 1 − P(alive), the value at risk of the brief; each signal is read as an
// independent extra chance b of leaving that a purchase-only model cannot
// see, so the risk stays in [0, 1], rises with every signal, and a detractor
// whom BG/NBD deems alive (P(alive) = 1, as for every one-time buyer) still
// carries b × CLV. Customers with nothing at risk (no predicted CLV) are left
// out. Ties are broken by customer id, so the order is deterministic.
func AtRisk(d kpi.Data, o RiskOptions) (Page[RiskEntry], error) {
	if o.AsOf.IsZero() {
		return Page[RiskEntry]{}, fmt.Errorf("value: at risk: %w", cx.Invalid("as_of", "is required"))
	}
	if o.WindowDays == 0 {
		o.WindowDays = DefaultRiskWindowDays
	}
	if o.WindowDays < 0 {
		return Page[RiskEntry]{}, fmt.Errorf("value: at risk: %w", cx.Invalid("window_days", "must be positive"))
	}
	bs := [3]float64{boost(o.DetractorBoost, DefaultDetractorBoost), boost(o.LowCSATBoost, DefaultLowCSATBoost), boost(o.LowCESBoost, DefaultLowCESBoost)}
	for i, name := range []string{"detractor_boost", "low_csat_boost", "low_ces_boost"} {
		if bs[i] >= 1 || math.IsNaN(bs[i]) {
			return Page[RiskEntry]{}, fmt.Errorf("value: at risk: %w", cx.Invalid(name, "must be below 1"))
		}
	}
	if _, _, _, err := pageBounds(o.Limit, o.Offset, 0); err != nil {
		return Page[RiskEntry]{}, fmt.Errorf("value: at risk: %w", err)
	}
	o.Predict.AsOf = o.AsOf
	pred, err := Predict(d, o.Predict)
	if err != nil {
		return Page[RiskEntry]{}, fmt.Errorf("value: at risk: %w", err)
	}
	from := o.AsOf.AddDate(0, 0, -o.WindowDays)
	or := func(s []string, def string) []string {
		if s == nil {
			return []string{def}
		}
		return s
	}
	signals := []struct {
		code, kind string
		max        int
		boost      float64
		answers    map[string]answer
	}{
		{"detractor", "NPS", DetractorMax, bs[0], latestAnswers(d, or(o.NPSSurveys, "nps"), from, o.AsOf)},
		{"low_csat", "CSAT", LowCSATMax, bs[1], latestAnswers(d, or(o.CSATSurveys, "csat"), from, o.AsOf)},
		{"low_ces", "CES", LowCESMax, bs[2], latestAnswers(d, or(o.CESSurveys, "ces"), from, o.AsOf)},
	}
	h := newHistory(d)
	var list []RiskEntry
	for _, c := range d.Customers {
		p, ok := pred.Get(c.ExternalID)
		if !ok || p.PredictedCLV <= 0 || !activeAt(o.Active, c, h[c.ExternalID], o.AsOf) {
			continue
		}
		e := RiskEntry{Customer: c.ExternalID, PredictedCLV: p.PredictedCLV, PAlive: p.PAlive, Revenue: p.Revenue}
		var boosts []float64
		e.Reasons = append(e.Reasons, Reason{Code: "p_alive",
			Detail: fmt.Sprintf("P(alive) %.2f: %d purchases, the last %.1f %ss before as_of", p.PAlive, p.Purchases, p.Age-p.Recency, pred.Unit)})
		for _, s := range signals {
			a, ok := s.answers[c.ExternalID]
			if !ok || a.Score > s.max || s.boost == 0 {
				continue
			}
			boosts = append(boosts, s.boost)
			score, at := a.Score, a.At
			e.Reasons = append(e.Reasons, Reason{Code: s.code, Survey: a.Survey, Score: &score, At: &at, Boost: s.boost,
				Detail: fmt.Sprintf("%s %d on %s", s.kind, a.Score, a.At.Format("2006-01-02"))})
		}
		e.Risk = boostedRisk(p.PAlive, boosts...)
		e.ValueAtRisk = e.PredictedCLV * e.Risk
		if e.ValueAtRisk > 0 {
			list = append(list, e)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].ValueAtRisk != list[j].ValueAtRisk {
			return list[i].ValueAtRisk > list[j].ValueAtRisk
		}
		return list[i].Customer < list[j].Customer
	})
	for i := range list {
		list[i].Rank = i + 1
	}
	lo, hi, lim, _ := pageBounds(o.Limit, o.Offset, len(list))
	return Page[RiskEntry]{AsOf: o.AsOf, Total: len(list), Offset: o.Offset, Limit: lim, Items: append([]RiskEntry{}, list[lo:hi]...)}, nil
}

// boostedRisk is 1 − P(alive) · Π (1 − b): the chance of losing a customer
// who may have left already (1 − P(alive)) or may leave for any of the
// signals' independent reasons (b each).
func boostedRisk(pAlive float64, boosts ...float64) float64 {
	keep := pAlive
	for _, b := range boosts {
		keep *= 1 - b
	}
	return 1 - keep
}
