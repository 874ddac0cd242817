package report

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/clv"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
	"github.com/cxlens/cxlens/internal/value"
)

// The value metrics: cxlens report --metric roi|at_risk and the routes
// GET /api/v1/metrics/roi, /customers/at-risk, /customers/advocates and
// /customers/predictions.
const (
	MetricROI         = "roi"
	MetricAtRisk      = "at_risk"
	MetricAdvocates   = "advocates"
	MetricPredictions = "predictions"
)

// ValueDefinition returns the product definition of a value metric (roi,
// at_risk, advocates, predictions), shown in API answers and by cxlens
// report --explain, or "" for another metric.
func ValueDefinition(metric string) string {
	switch metric {
	case MetricROI:
		return "Say vs do: customers active at as_of grouped by their latest answer before it (NPS promoters 9–10 / passives 7–8 / detractors 0–6; " +
			"CSAT 4–5 / 3 / 1–2; CES 5–7 / 4 / 1–3), and what each group did over the next 3/6/12 months: retention (still active), revenue " +
			"(purchases − refunds), purchases and referrals per customer, and predicted 12-month CLV at as_of, with 95% intervals and the " +
			"differences promoters − detractors and promoters − passives (two-proportion z test, Welch t test). Value = revenue at risk = " +
			"detractors' trailing 12-month revenue (or predicted CLV) × max(0, detractor churn − promoter churn) over the longest horizon. " +
			"What-if: moving X of the passives to promoters gains X × passives × (promoter − passive difference), interval scaled alike."
	case MetricAtRisk:
		return "Active customers ranked by value at risk = predicted CLV × (1 − P(alive) × Π(1 − b)), b per recent signal (latest answer " +
			"within window_days): detractor NPS 0–6 (b 0.25), CSAT ≤ 2 (b 0.15), CES ≤ 3 (b 0.15); P(alive) and CLV from BG/NBD + Gamma-Gamma on purchases."
	case MetricAdvocates:
		return "Active customers whose latest NPS answer is 9–10 and who have never referred anyone, ranked by predicted CLV (or revenue to date)."
	case MetricPredictions:
		return "Per customer, from BG/NBD (Fader, Hardie & Lee 2005) and Gamma-Gamma fitted to purchases before as_of: frequency, " +
			"recency and age (in unit), P(alive), expected purchases in horizon_days, expected spend, predicted CLV (discounted margin over months) " +
			"and historical CLV (margin × (purchases − refunds) to date). Customers who never bought are listed with modelled false."
	}
	return ""
}

// ValueRequest is what the value metrics need; the query parameters and
// CLI flags of the same names (ParseValueQuery) fill it. Zero fields take
// the defaults of internal/value.
type ValueRequest struct {
	// Now is the current time, for defaults: End and the lists' AsOf
	// default to the start of the next UTC day.
	Now time.Time
	// AsOf (as_of) is the date of the lists and predictions, and the date
	// that splits say from do for roi (default: End minus the longest
	// horizon, so that every horizon is complete).
	AsOf time.Time
	// End (end) is the end of the data for roi.
	End time.Time
	// Basis (basis) is nps, csat or ces (roi).
	Basis string
	// Surveys (surveys, comma-separated) are the survey keys of the basis
	// (roi, and the NPS surveys of the lists); default: the basis' name.
	Surveys []string
	// Horizons (horizons, months, comma-separated; roi): default 3,6,12.
	Horizons []int
	// Lookback (lookback_days) ignores answers older than that before AsOf
	// (roi, advocates).
	LookbackDays int
	// Activity (activity) is the activity rule: subscription (default) or
	// inactivity, with InactivityDays (inactivity_days, default 180).
	Activity       string
	InactivityDays int
	// Model options (predictions and everything using CLV): unit (week or
	// day), horizon_days, months, monthly_discount (negative: none),
	// margin.
	Unit            string
	HorizonDays     int
	Months          int
	MonthlyDiscount float64
	Margin          float64
	// RiskBasis (risk_basis: trailing_revenue or predicted_clv) and
	// WhatIfShare (what_if_share) configure roi.
	RiskBasis   string
	WhatIfShare float64
	// WindowDays (window_days) is the at-risk signal window, and
	// DetractorBoost, LowCSATBoost, LowCESBoost (detractor_boost,
	// low_csat_boost, low_ces_boost; negative: off) the signals' boosts.
	WindowDays                                int
	DetractorBoost, LowCSATBoost, LowCESBoost float64
	// RankBy (rank_by: predicted_clv or revenue) ranks advocates.
	RankBy string
	// Sort (sort: customer, predicted_clv or p_alive) orders predictions.
	Sort string
	// Limit and Offset (limit, offset) page the lists.
	Limit, Offset int
}

// ParseValueQuery reads a ValueRequest from query parameters of the names
// given in ValueRequest's comments. Times are RFC 3339 or 2006-01-02.
func ParseValueQuery(q url.Values, now time.Time) (ValueRequest, error) {
	r := ValueRequest{Now: now, Basis: q.Get("basis"), Activity: q.Get("activity"), Unit: q.Get("unit"),
		RiskBasis: q.Get("risk_basis"), RankBy: q.Get("rank_by"), Sort: q.Get("sort")}
	var errs []cx.FieldError
	bad := func(field, reason string) { errs = append(errs, cx.FieldError{Field: field, Reason: reason}) }
	tm := func(name string) time.Time {
		v := q.Get(name)
		if v == "" {
			return time.Time{}
		}
		for _, layout := range []string{time.RFC3339, "2006-01-02"} {
			if t, err := time.Parse(layout, v); err == nil {
				return t
			}
		}
		bad(name, "must be RFC 3339 or YYYY-MM-DD")
		return time.Time{}
	}
	integer := func(name string) int {
		v := q.Get(name)
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			bad(name, "must be an integer")
		}
		return n
	}
	float := func(name string) float64 {
		v := q.Get(name)
		if v == "" {
			return 0
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			bad(name, "must be a number")
		}
		return f
	}
	r.AsOf, r.End = tm("as_of"), tm("end")
	if v := q.Get("surveys"); v != "" {
		r.Surveys = strings.Split(v, ",")
	}
	if v := q.Get("horizons"); v != "" {
		for _, s := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil {
				bad("horizons", "must be comma-separated months, like 3,6,12")
				break
			}
			r.Horizons = append(r.Horizons, n)
		}
	}
	r.LookbackDays, r.InactivityDays = integer("lookback_days"), integer("inactivity_days")
	r.HorizonDays, r.Months, r.WindowDays = integer("horizon_days"), integer("months"), integer("window_days")
	r.Limit, r.Offset = integer("limit"), integer("offset")
	r.MonthlyDiscount, r.Margin, r.WhatIfShare = float("monthly_discount"), float("margin"), float("what_if_share")
	r.DetractorBoost, r.LowCSATBoost, r.LowCESBoost = float("detractor_boost"), float("low_csat_boost"), float("low_ces_boost")
	if len(errs) > 0 {
		return r, &cx.ValidationError{Fields: errs}
	}
	return r, nil
}

func (r ValueRequest) now() time.Time {
	if r.Now.IsZero() {
		r.Now = time.Now()
	}
	return r.Now.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
}

func (r ValueRequest) asOf() time.Time {
	if r.AsOf.IsZero() {
		return r.now()
	}
	return r.AsOf
}

func (r ValueRequest) active() (kpi.ActiveFunc, error) {
	switch r.Activity {
	case "", "subscription":
		return kpi.Subscription, nil
	case "inactivity":
		days := r.InactivityDays
		if days == 0 {
			days = 180
		}
		if days < 0 {
			return nil, cx.Invalid("inactivity_days", "must be positive")
		}
		return kpi.Inactivity(time.Duration(days) * 24 * time.Hour), nil
	}
	return nil, cx.Invalid("activity", "must be subscription or inactivity")
}

func (r ValueRequest) predict() (value.PredictOptions, error) {
	o := value.PredictOptions{AsOf: r.asOf(), HorizonDays: r.HorizonDays, Months: r.Months, MonthlyDiscount: r.MonthlyDiscount, Margin: r.Margin}
	switch r.Unit {
	case "", "week":
		o.Unit = clv.Week
	case "day":
		o.Unit = clv.Day
	default:
		return o, cx.Invalid("unit", "must be week or day")
	}
	return o, nil
}

func (r ValueRequest) lookback() time.Duration { return time.Duration(r.LookbackDays) * 24 * time.Hour }

// ROIReport is the answer of GET /api/v1/metrics/roi and cxlens report
// --metric roi: the Report shape (the top-level figure is the revenue at
// risk; one row per horizon and group or difference and measure) and the
// whole analysis as Detail.
type ROIReport struct {
	Report
	Detail value.ROIResult `json:"detail"`
}

// ROI computes the say-vs-do report. Rows have Period "3m", "6m"… (the
// horizon; empty for the predicted CLV, which is as of AsOf), Start AsOf
// and Group "<group>/<measure>" — e.g. "promoters/retention" — or
// "<a>-<b>/<measure>" for a difference, whose ChangeP is its p-value and
// Significant p < 0.05. Retention is a fraction, revenue and CLV in the
// workspace's currency, purchases and referrals counts per customer.
func ROI(d kpi.Data, r ValueRequest) (ROIReport, error) {
	active, err := r.active()
	if err != nil {
		return ROIReport{}, err
	}
	po, err := r.predict()
	if err != nil {
		return ROIReport{}, err
	}
	end := r.End
	if end.IsZero() {
		end = r.now()
	}
	horizons := r.Horizons
	if horizons == nil {
		horizons = []int{3, 6, 12}
	}
	asOf := r.AsOf
	if asOf.IsZero() {
		longest := 0
		for _, h := range horizons {
			longest = max(longest, h)
		}
		asOf = end.AddDate(0, -longest, 0)
	}
	o := value.ROIOptions{AsOf: asOf, End: end, Basis: value.Basis(r.Basis), Surveys: r.Surveys, Lookback: r.lookback(),
		Horizons: horizons, Options: kpi.Options{Active: active}, Predict: po, RiskBasis: r.RiskBasis, WhatIfShare: r.WhatIfShare}
	res, err := value.ROI(d, o)
	if err != nil {
		return ROIReport{}, err
	}
	rep := ROIReport{Report: Report{Metric: MetricROI, Definition: ValueDefinition(MetricROI), From: asOf, To: asOf, Surveys: res.Surveys, Rows: []Row{}}, Detail: res}
	rep.Figure = Figure{N: res.N, Readable: res.RevenueAtRisk != nil}
	if rar := res.RevenueAtRisk; rar != nil {
		wi := res.WhatIf
		rep.Figure = Figure{Value: ptr(rar.AtRisk.Value), N: rar.Customers, CILow: ptr(rar.AtRisk.Low), CIHigh: ptr(rar.AtRisk.High), Readable: rar.AtRisk.Valid,
			Extra: map[string]float64{
				"horizon_months": float64(rar.HorizonMonths), "low_value": rar.Value, "low_churn": rar.LowChurn, "high_churn": rar.HighChurn,
				"excess_churn": rar.ExcessChurn.Value, "excess_churn_ci_low": rar.ExcessChurn.Low, "excess_churn_ci_high": rar.ExcessChurn.High,
				"what_if_share": wi.Share, "what_if_moved": wi.Moved,
				"what_if_revenue": wi.Revenue.Value, "what_if_revenue_ci_low": wi.Revenue.Low, "what_if_revenue_ci_high": wi.Revenue.High,
				"what_if_retained": wi.Retained.Value, "what_if_retained_ci_low": wi.Retained.Low, "what_if_retained_ci_high": wi.Retained.High,
				"what_if_clv": wi.CLV.Value, "what_if_clv_ci_low": wi.CLV.Low, "what_if_clv_ci_high": wi.CLV.High,
			}}
	} else {
		rep.Reason = "no horizon ends before the end of the data"
	}
	estimate := func(period, group string, e value.Estimate) Row {
		row := Row{Period: period, Start: asOf, Group: group, Figure: Figure{Value: ptr(e.Value), N: e.N, Readable: e.Valid}}
		if e.Valid {
			row.CILow, row.CIHigh = ptr(e.Low), ptr(e.High)
		} else {
			row.Reason = "too few customers for an interval"
		}
		return row
	}
	difference := func(period string, df value.Difference) Row {
		row := Row{Period: period, Start: asOf, Group: df.A + "-" + df.B + "/" + df.Measure,
			Figure:  Figure{Value: ptr(df.Estimate), CILow: ptr(df.Low), CIHigh: ptr(df.High), Readable: df.Valid, Reason: df.Reason},
			ChangeP: ptr(df.P), Significant: df.Valid && df.P < 0.05}
		return row
	}
	for i, e := range res.CLV {
		rep.Rows = append(rep.Rows, estimate("", res.Labels[i]+"/"+value.MeasureCLV, e))
	}
	for _, df := range res.CLVDifferences {
		rep.Rows = append(rep.Rows, difference("", df))
	}
	for _, h := range res.Horizons {
		period := fmt.Sprintf("%dm", h.Months)
		rep.To = h.End
		for _, g := range h.Groups {
			rep.Rows = append(rep.Rows,
				estimate(period, g.Group+"/"+value.MeasureRetention, g.Retention),
				estimate(period, g.Group+"/"+value.MeasureRevenue, g.Revenue),
				estimate(period, g.Group+"/"+value.MeasurePurchases, g.Purchases),
				estimate(period, g.Group+"/"+value.MeasureReferrals, g.Referrals))
		}
		for _, df := range h.Differences {
			rep.Rows = append(rep.Rows, difference(period, df))
		}
	}
	return rep, nil
}

// List is the answer of the list routes: a page of a ranked list with the
// list's definition.
type List[T any] struct {
	Metric     string `json:"metric"`
	Definition string `json:"definition"`
	value.Page[T]
}

// AtRisk computes the at-risk list (GET /api/v1/customers/at-risk, cxlens
// report --metric at_risk).
func AtRisk(d kpi.Data, r ValueRequest) (List[value.RiskEntry], error) {
	active, err := r.active()
	if err != nil {
		return List[value.RiskEntry]{}, err
	}
	po, err := r.predict()
	if err != nil {
		return List[value.RiskEntry]{}, err
	}
	p, err := value.AtRisk(d, value.RiskOptions{AsOf: r.asOf(), WindowDays: r.WindowDays, NPSSurveys: r.Surveys,
		DetractorBoost: r.DetractorBoost, LowCSATBoost: r.LowCSATBoost, LowCESBoost: r.LowCESBoost,
		Active: active, Predict: po, Limit: r.Limit, Offset: r.Offset})
	if err != nil {
		return List[value.RiskEntry]{}, err
	}
	return List[value.RiskEntry]{Metric: MetricAtRisk, Definition: ValueDefinition(MetricAtRisk), Page: p}, nil
}

// Advocates computes the advocate list (GET /api/v1/customers/advocates).
func Advocates(d kpi.Data, r ValueRequest) (List[value.Advocate], error) {
	active, err := r.active()
	if err != nil {
		return List[value.Advocate]{}, err
	}
	po, err := r.predict()
	if err != nil {
		return List[value.Advocate]{}, err
	}
	p, err := value.Advocates(d, value.AdvocateOptions{AsOf: r.asOf(), NPSSurveys: r.Surveys, Lookback: r.lookback(),
		RankBy: r.RankBy, Active: active, Predict: po, Limit: r.Limit, Offset: r.Offset})
	if err != nil {
		return List[value.Advocate]{}, err
	}
	return List[value.Advocate]{Metric: MetricAdvocates, Definition: ValueDefinition(MetricAdvocates), Page: p}, nil
}

// PredictionList is the answer of GET /api/v1/customers/predictions: the
// fitted models and a page of customers.
type PredictionList struct {
	Metric     string `json:"metric"`
	Definition string `json:"definition"`
	// Model is everything of value.Predictions but the customers.
	Model value.Predictions `json:"model"`
	value.Page[value.Prediction]
}

// Predictions computes per-customer predictions, sorted by customer id
// (sort=customer, default), predicted CLV descending (predicted_clv) or
// P(alive) ascending (p_alive, the likeliest lost first), ties by id.
func Predictions(d kpi.Data, r ValueRequest) (PredictionList, error) {
	po, err := r.predict()
	if err != nil {
		return PredictionList{}, err
	}
	switch r.Sort {
	case "", "customer", "predicted_clv", "p_alive":
	default:
		return PredictionList{}, cx.Invalid("sort", "must be customer, predicted_clv or p_alive")
	}
	limit := r.Limit
	if limit == 0 {
		limit = value.DefaultLimit
	}
	if limit < 0 || limit > value.MaxLimit {
		return PredictionList{}, cx.Invalid("limit", fmt.Sprintf("must be 1–%d", value.MaxLimit))
	}
	if r.Offset < 0 {
		return PredictionList{}, cx.Invalid("offset", "must not be negative")
	}
	res, err := value.Predict(d, po)
	if err != nil {
		return PredictionList{}, err
	}
	cs := res.Customers
	res.Customers = nil
	switch r.Sort {
	case "predicted_clv":
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].PredictedCLV > cs[j].PredictedCLV })
	case "p_alive":
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].PAlive < cs[j].PAlive })
	}
	lo, hi := min(r.Offset, len(cs)), min(r.Offset+limit, len(cs))
	return PredictionList{Metric: MetricPredictions, Definition: ValueDefinition(MetricPredictions), Model: res,
		Page: value.Page[value.Prediction]{AsOf: res.AsOf, Total: len(cs), Offset: r.Offset, Limit: limit, Items: cs[lo:hi]}}, nil
}

// MeanPredictedCLV is the mean predicted CLV over every customer the model
// of r predicts, from one fit: the Overview's CLV tile.
func MeanPredictedCLV(d kpi.Data, r ValueRequest) (Figure, error) {
	po, err := r.predict()
	if err != nil {
		return Figure{}, err
	}
	res, err := value.Predict(d, po)
	if err != nil {
		return Figure{}, err
	}
	if len(res.Customers) == 0 {
		return Figure{}, nil
	}
	var sum float64
	for _, c := range res.Customers {
		sum += c.PredictedCLV
	}
	mean := sum / float64(len(res.Customers))
	return Figure{Value: &mean, N: len(res.Customers), Readable: true}, nil
}
