package value

import (
	"fmt"
	"sort"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
)

// Rankings of the advocate list.
const (
	RankByCLV     = "predicted_clv"
	RankByRevenue = "revenue"
)

// AdvocateOptions configure Advocates. Zero fields take defaults.
type AdvocateOptions struct {
	// AsOf is the date of the list (required).
	AsOf time.Time
	// NPSSurveys are the NPS survey keys; nil means "nps".
	NPSSurveys []string
	// Lookback, when positive, ignores NPS answers older than Lookback
	// before AsOf.
	Lookback time.Duration
	// RankBy is RankByCLV (default) or RankByRevenue.
	RankBy string
	// Active is the activity rule: only customers active at AsOf are listed
	// (nil: kpi.Subscription).
	Active kpi.ActiveFunc
	// Predict configures the predictions (its AsOf is set to AsOf).
	Predict PredictOptions
	// Limit and Offset page the list; Limit 0 means DefaultLimit, at most
	// MaxLimit.
	Limit, Offset int
}

// Advocate is one customer of the advocate list.
type Advocate struct {
	Rank         int       `json:"rank"`
	Customer     string    `json:"customer"`
	Score        int       `json:"score"`
	Survey       string    `json:"survey"`
	AnsweredAt   time.Time `json:"answered_at"`
	PredictedCLV float64   `json:"predicted_clv"`
	PAlive       float64   `json:"p_alive"`
	Revenue      float64   `json:"revenue"`
	Reasons      []Reason  `json:"reasons"`
}

// Advocates lists the promoters of d — customers whose latest NPS answer
// before o.AsOf is 9 or 10 — who are active at AsOf and have made no
// referral (no referral event before AsOf), for referral and upsell asks.
// They are ranked by predicted CLV (or revenue to date, RankBy), then by
// the other of the two, then by customer id, all descending but the id.
func Advocates(d kpi.Data, o AdvocateOptions) (Page[Advocate], error) {
	if o.AsOf.IsZero() {
		return Page[Advocate]{}, fmt.Errorf("value: advocates: %w", cx.Invalid("as_of", "is required"))
	}
	switch o.RankBy {
	case "":
		o.RankBy = RankByCLV
	case RankByCLV, RankByRevenue:
	default:
		return Page[Advocate]{}, fmt.Errorf("value: advocates: %w", cx.Invalid("rank_by", "must be predicted_clv or revenue"))
	}
	if _, _, _, err := pageBounds(o.Limit, o.Offset, 0); err != nil {
		return Page[Advocate]{}, fmt.Errorf("value: advocates: %w", err)
	}
	if o.NPSSurveys == nil {
		o.NPSSurveys = BasisNPS.Surveys()
	}
	o.Predict.AsOf = o.AsOf
	pred, err := Predict(d, o.Predict)
	if err != nil {
		return Page[Advocate]{}, fmt.Errorf("value: advocates: %w", err)
	}
	var from time.Time
	if o.Lookback > 0 {
		from = o.AsOf.Add(-o.Lookback)
	}
	answers := latestAnswers(d, o.NPSSurveys, from, o.AsOf)
	h := newHistory(d)
	var list []Advocate
	for _, c := range d.Customers {
		a, ok := answers[c.ExternalID]
		if !ok || a.Score < 9 || a.Score > 10 {
			continue
		}
		es := h[c.ExternalID]
		if !activeAt(o.Active, c, es, o.AsOf) || referred(before(es, o.AsOf)) {
			continue
		}
		p, _ := pred.Get(c.ExternalID)
		score, at := a.Score, a.At
		list = append(list, Advocate{Customer: c.ExternalID, Score: a.Score, Survey: a.Survey, AnsweredAt: a.At,
			PredictedCLV: p.PredictedCLV, PAlive: p.PAlive, Revenue: p.Revenue,
			Reasons: []Reason{
				{Code: "promoter", Survey: a.Survey, Score: &score, At: &at, Detail: fmt.Sprintf("NPS %d on %s", a.Score, a.At.Format("2006-01-02"))},
				{Code: "no_referral", Detail: "has not referred anyone yet"},
			}})
	}
	key := func(a Advocate) (float64, float64) {
		if o.RankBy == RankByRevenue {
			return a.Revenue, a.PredictedCLV
		}
		return a.PredictedCLV, a.Revenue
	}
	sort.Slice(list, func(i, j int) bool {
		a1, a2 := key(list[i])
		b1, b2 := key(list[j])
		switch {
		case a1 != b1:
			return a1 > b1
		case a2 != b2:
			return a2 > b2
		}
		return list[i].Customer < list[j].Customer
	})
	for i := range list {
		list[i].Rank = i + 1
	}
	lo, hi, lim, _ := pageBounds(o.Limit, o.Offset, len(list))
	return Page[Advocate]{AsOf: o.AsOf, Total: len(list), Offset: o.Offset, Limit: lim, Items: append([]Advocate{}, list[lo:hi]...)}, nil
}

// referred reports whether the events include a referral.
func referred(es []cx.Event) bool {
	for _, e := range es {
		if e.Type == cx.Referral {
			return true
		}
	}
	return false
}
