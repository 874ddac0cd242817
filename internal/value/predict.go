package value

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/cxlens/cxlens/internal/clv"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
)

// Defaults of PredictOptions.
const (
	DefaultHorizonDays     = 90   // expected purchases over the next 90 days
	DefaultCLVMonths       = 12   // predicted CLV over 12 months
	DefaultMonthlyDiscount = 0.01 // ≈ 12.7% a year
	DefaultMargin          = 1.0  // CLV in revenue until the workspace sets its margin
	DefaultMinRepeatBuyers = 30   // fewest repeat buyers to fit Gamma-Gamma
)

// PredictOptions say how Predict fits and uses the models. Zero fields take
// the defaults above; Unit defaults to weeks.
type PredictOptions struct {
	// AsOf is the date of the prediction: the models see the purchases
	// strictly before it (required).
	AsOf time.Time
	// Unit is the model's time unit for frequency, recency and age
	// (clv.Week or clv.Day); 0 means clv.Week.
	Unit time.Duration
	// HorizonDays is the window of ExpectedPurchases, in days.
	HorizonDays int
	// Months is the horizon of the predicted CLV.
	Months int
	// MonthlyDiscount is the discount rate per month of the predicted CLV;
	// 0 means DefaultMonthlyDiscount and a negative value no discounting.
	MonthlyDiscount float64
	// Margin is the share of revenue kept as profit, in (0, 1], applied to
	// both CLVs; 0 means 1 (CLV in revenue).
	Margin float64
	// MinRepeatBuyers is the fewest customers with a repeat purchase for
	// which the Gamma-Gamma spend model is fitted; below it, and when the
	// fit fails or has no finite mean (q ≤ 1), the spend is empirical (see
	// Predict).
	MinRepeatBuyers int
}

func (o PredictOptions) withDefaults() (PredictOptions, error) {
	if o.AsOf.IsZero() {
		return o, cx.Invalid("as_of", "is required")
	}
	if o.Unit == 0 {
		o.Unit = clv.Week
	}
	if o.HorizonDays == 0 {
		o.HorizonDays = DefaultHorizonDays
	}
	if o.Months == 0 {
		o.Months = DefaultCLVMonths
	}
	switch {
	case o.MonthlyDiscount == 0:
		o.MonthlyDiscount = DefaultMonthlyDiscount
	case o.MonthlyDiscount < 0:
		o.MonthlyDiscount = 0
	}
	if o.Margin == 0 {
		o.Margin = DefaultMargin
	}
	if o.MinRepeatBuyers == 0 {
		o.MinRepeatBuyers = DefaultMinRepeatBuyers
	}
	switch {
	case o.Unit < 0:
		return o, cx.Invalid("unit", "must be positive")
	case o.HorizonDays < 0:
		return o, cx.Invalid("horizon_days", "must be positive")
	case o.Months < 0 || o.Months > 120:
		return o, cx.Invalid("months", "must be 1–120")
	case math.IsNaN(o.MonthlyDiscount) || o.MonthlyDiscount > 1:
		return o, cx.Invalid("monthly_discount", "must be at most 1")
	case !(o.Margin > 0 && o.Margin <= 1):
		return o, cx.Invalid("margin", "must be in (0, 1]")
	}
	return o, nil
}

// unitName names a model time unit.
func unitName(u time.Duration) string {
	switch u {
	case clv.Week:
		return "week"
	case clv.Day:
		return "day"
	}
	return u.String()
}

// Prediction is one customer's history summary and predictions as of a date.
// Frequency, Recency and Age are in the model's unit (Predictions.Unit).
type Prediction struct {
	Customer string `json:"customer"`
	// Modelled is false for a customer with no purchase before the date:
	// BG/NBD describes repeat buying after a first purchase and says nothing
	// about when a non-buyer makes one, so their PAlive, ExpectedPurchases,
	// ExpectedSpend and PredictedCLV are 0. It is false for everyone when the
	// model could not be fitted (Predictions.Reason).
	Modelled bool `json:"modelled"`
	// Purchases counts the purchases before the date, same-day purchases
	// merged into one (as Fader, Hardie & Lee 2005 do for CDNOW).
	Purchases int `json:"purchases"`
	// Frequency is x, the number of repeat purchases (Purchases − 1).
	Frequency int `json:"frequency"`
	// Recency is t_x, the time from the first to the last purchase.
	Recency float64 `json:"recency"`
	// Age is T, the time from the first purchase to the date.
	Age float64 `json:"age"`
	// PAlive is the BG/NBD probability that the customer is still active.
	PAlive float64 `json:"p_alive"`
	// ExpectedPurchases is E[Y(t) | x, t_x, T] over the next HorizonDays.
	ExpectedPurchases float64 `json:"expected_purchases"`
	// ExpectedSpend is the expected value of one future purchase.
	ExpectedSpend float64 `json:"expected_spend"`
	// PredictedCLV is the discounted margin over the next Months months
	// (clv.DiscountedCLV).
	PredictedCLV float64 `json:"predicted_clv"`
	// Revenue is purchases minus refunds before the date.
	Revenue float64 `json:"revenue"`
	// HistoricalCLV is Revenue × margin.
	HistoricalCLV float64 `json:"historical_clv"`
}

// Predictions is the result of Predict: the fitted models and one
// Prediction per customer, in customer id order.
type Predictions struct {
	AsOf            time.Time `json:"as_of"`
	Unit            string    `json:"unit"`
	HorizonDays     int       `json:"horizon_days"`
	Months          int       `json:"months"`
	MonthlyDiscount float64   `json:"monthly_discount"`
	Margin          float64   `json:"margin"`
	// BGNBD holds the fitted r, alpha, a, b and the log-likelihood
	// ("loglik"); nil when no customer had bought.
	BGNBD map[string]float64 `json:"bgnbd"`
	// GammaGamma holds the fitted p, q, gamma and loglik; nil when the spend
	// is empirical.
	GammaGamma map[string]float64 `json:"gamma_gamma,omitempty"`
	// Reason says why customers who bought are not modelled (no purchases,
	// no BG/NBD fit, or a fit that gives no finite prediction, as with
	// a = 1 from two one-time buyers); empty otherwise.
	Reason string `json:"reason,omitempty"`
	// SpendModel is "gamma-gamma" or "empirical".
	SpendModel string `json:"spend_model"`
	// Buyers and RepeatBuyers count customers with one and with two or more
	// purchases.
	Buyers       int          `json:"buyers"`
	RepeatBuyers int          `json:"repeat_buyers"`
	Customers    []Prediction `json:"customers,omitempty"`

	byID map[string]int
}

// Get returns the prediction of one customer.
func (p Predictions) Get(customer string) (Prediction, bool) {
	if p.byID == nil {
		for _, c := range p.Customers {
			if c.Customer == customer {
				return c, true
			}
		}
		return Prediction{}, false
	}
	i, ok := p.byID[customer]
	if !ok {
		return Prediction{}, false
	}
	return p.Customers[i], true
}

// Predict fits BG/NBD (Fader, Hardie & Lee 2005, Marketing Science 24(2))
// to the purchase events of d's customers before o.AsOf, and Gamma-Gamma
// (Fader, Hardie & Lee 2005, JMR 42(4); Fader & Hardie 2013) to the repeat
// buyers' spend when there are at least MinRepeatBuyers of them, and returns
// every customer of d with:
//
//	P(alive)            = BGNBD.PAlive(x, t_x, T)
//	expected purchases  = BGNBD.ConditionalExpected(HorizonDays in units, x, t_x, T)
//	expected spend      = GammaGamma.ConditionalMean(x, z̄)            (Gamma-Gamma)
//	                    = the customer's mean purchase value             (empirical)
//	predicted CLV       = clv.DiscountedCLV(BG/NBD, summary, spend, {Months, discount, margin})
//	historical CLV      = margin × (purchases − refunds before AsOf)
//
// The empirical spend is used when Gamma-Gamma is not fitted: each buyer's
// mean value per (merged) purchase, the first included. Same-day
// purchases are merged (clv.Day), as cxlens clv fit does. Customers with
// no purchase are listed with Modelled false and zero predictions; so is
// everyone, with Reason set, when the BG/NBD fit fails (too few buyers, or
// none who came back: the likelihood then has no finite maximum).
func Predict(d kpi.Data, o PredictOptions) (Predictions, error) {
	o, err := o.withDefaults()
	if err != nil {
		return Predictions{}, fmt.Errorf("value: predict: %w", err)
	}
	res := Predictions{AsOf: o.AsOf, Unit: unitName(o.Unit), HorizonDays: o.HorizonDays, Months: o.Months,
		MonthlyDiscount: o.MonthlyDiscount, Margin: o.Margin, SpendModel: "empirical"}
	known := make(map[string]bool, len(d.Customers))
	for _, c := range d.Customers {
		known[c.ExternalID] = true
	}
	var txs []clv.Transaction
	revenue := make(map[string]float64)
	spent := make(map[string]float64)
	for _, e := range d.Events {
		if !known[e.Customer] || !e.OccurredAt.Before(o.AsOf) {
			continue
		}
		switch e.Type {
		case cx.Purchase:
			txs = append(txs, clv.Transaction{CustomerID: e.Customer, Time: e.OccurredAt, Value: e.Value})
			revenue[e.Customer] += e.Value
			spent[e.Customer] += e.Value
		case cx.Refund:
			revenue[e.Customer] -= e.Value
		}
	}
	sums := map[string]clv.Summary{}
	var model clv.BGNBD
	var gg *clv.GammaGamma
	fitted := false
	if len(txs) > 0 {
		ss, err := clv.Summarize(txs, clv.SummaryOptions{End: o.AsOf, Unit: o.Unit, Merge: clv.Day})
		if err != nil {
			return Predictions{}, fmt.Errorf("value: predict: %w", err)
		}
		for _, s := range ss {
			sums[s.CustomerID] = s
			if s.X > 0 {
				res.RepeatBuyers++
			}
		}
		res.Buyers = len(ss)
		var fit clv.FitResult
		if model, fit, err = clv.FitBGNBD(clv.Compress(ss), clv.FitOptions{}); err != nil {
			// Too few or too uniform buyers (a handful of one-time buyers
			// has no finite maximum): list everyone unmodelled, saying why,
			// rather than fail every report of a young workspace.
			res.Reason = "no model: " + err.Error()
		} else {
			fitted = true
			res.BGNBD = map[string]float64{"r": model.R, "alpha": model.Alpha, "a": model.A, "b": model.B, "loglik": fit.LogLikelihood}
			if sp := clv.Spends(ss); len(sp) >= o.MinRepeatBuyers {
				m, fit, err := clv.FitGammaGamma(sp, clv.FitOptions{})
				if err == nil && m.Q > 1 && !math.IsInf(m.Mean(), 0) {
					gg = &m
					res.SpendModel = "gamma-gamma"
					res.GammaGamma = map[string]float64{"p": m.P, "q": m.Q, "gamma": m.Gamma, "loglik": fit.LogLikelihood}
				}
			}
		}
	} else {
		res.Reason = "no model: no purchases before as_of"
	}
	horizon := float64(o.HorizonDays) * float64(24*time.Hour) / float64(o.Unit)
	copt := clv.CLVOptions{Months: o.Months, MonthlyDiscount: o.MonthlyDiscount, Margin: o.Margin,
		UnitsPerMonth: 365.25 / 12 * float64(24*time.Hour) / float64(o.Unit)}
	// Customers with the same (x, t_x, T) share the model's figures.
	type key struct {
		x     int
		tx, t float64
	}
	type figures struct{ alive, expected float64 }
	cache := map[key]figures{}
	failed := 0
	res.Customers = make([]Prediction, 0, len(d.Customers))
	for _, c := range d.Customers {
		id := c.ExternalID
		p := Prediction{Customer: id, Revenue: revenue[id], HistoricalCLV: o.Margin * revenue[id]}
		if s, ok := sums[id]; ok {
			p.Purchases, p.Frequency, p.Recency, p.Age = s.X+1, s.X, s.Tx, s.T
		}
		if s, ok := sums[id]; ok && fitted {
			k := key{s.X, s.Tx, s.T}
			f, ok := cache[k]
			if !ok {
				f = figures{model.PAlive(s.X, s.Tx, s.T), model.ConditionalExpected(horizon, s.X, s.Tx, s.T)}
				cache[k] = f
			}
			p.Modelled = true
			p.PAlive, p.ExpectedPurchases = f.alive, f.expected
			if gg != nil {
				p.ExpectedSpend = gg.ConditionalMean(s.X, s.Monetary)
			} else {
				p.ExpectedSpend = spent[id] / float64(s.X+1)
			}
			if p.PredictedCLV, err = clv.DiscountedCLV(model, s, p.ExpectedSpend, copt); err != nil {
				return Predictions{}, fmt.Errorf("value: predict %s: %w", id, err)
			}
			if !finite(p.PAlive, p.ExpectedPurchases, p.ExpectedSpend, p.PredictedCLV) {
				// A numerical failure at extreme parameters: say nothing
				// rather than put a NaN in a JSON answer.
				p.Modelled, p.PAlive, p.ExpectedPurchases, p.ExpectedSpend, p.PredictedCLV = false, 0, 0, 0, 0
				failed++
			}
		}
		res.Customers = append(res.Customers, p)
	}
	if failed > 0 && res.Reason == "" {
		res.Reason = fmt.Sprintf("no model for %d customers: the fitted model gives no finite prediction", failed)
	}
	sort.Slice(res.Customers, func(i, j int) bool { return res.Customers[i].Customer < res.Customers[j].Customer })
	res.byID = make(map[string]int, len(res.Customers))
	for i, p := range res.Customers {
		res.byID[p.Customer] = i
	}
	return res, nil
}

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
