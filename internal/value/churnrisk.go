package value

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/cxlens/cxlens/internal/churn"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
)

// ChurnRiskOptions tune ChurnRisk; zero fields take the defaults.
type ChurnRiskOptions struct {
	// AsOf is when the active customers are scored (default: the day after
	// the data ends).
	AsOf time.Time
	// HorizonDays is how far ahead churn is predicted (default 90): the
	// model learns from the customers active HorizonDays before AsOf which
	// of them were lost by AsOf.
	HorizonDays int
	// Active is the activity rule (nil: kpi.Subscription).
	Active kpi.ActiveFunc
	// NPSSurveys, CSATSurveys and CESSurveys name the surveys whose latest
	// answer is a feature (defaults "nps", "csat", "ces").
	NPSSurveys, CSATSurveys, CESSurveys []string
	// Lambda is the L2 penalty (default 10: on the demo workspace, with
	// few churners per column, 5-fold cross-validated AUC was 0.636 at 1,
	// 0.644 at 3, 0.650 at 10 and 0.653 at 30).
	Lambda float64
	// Limit and Offset page the list (Limit 0: DefaultLimit, at most MaxLimit).
	Limit, Offset int
}

// ChurnRiskEntry is one active customer's churn probability over the
// horizon, with what pushes it up.
type ChurnRiskEntry struct {
	Rank        int            `json:"rank"`
	Customer    string         `json:"customer"`
	Probability float64        `json:"probability"`
	Reasons     []churn.Reason `json:"reasons"`
}

// ChurnRiskResult is the ranked list with how the model was trained and how
// well it ranked a held-out tenth of the training customers.
type ChurnRiskResult struct {
	HorizonDays int       `json:"horizon_days"`
	TrainedAt   time.Time `json:"trained_at"` // the snapshot the model learned from: AsOf − horizon
	Trained     int       `json:"trained"`    // customers active at TrainedAt
	Churned     int       `json:"churned"`    // of them, lost by AsOf
	// CrossValidatedAUC is the ROC AUC of out-of-fold predictions over the
	// training customers: 5 folds by index in external-id order (i mod 5),
	// each scored by a model fitted on the other four. Every churner counts,
	// which a single held-out slice of a small workspace would not allow.
	CrossValidatedAUC float64  `json:"cross_validated_auc"`
	Features          []string `json:"features"`
	Page[ChurnRiskEntry]
}

// ChurnRisk predicts, for every customer active at AsOf, the probability of
// being lost within the horizon, with an L2 logistic regression (internal/
// churn) trained on the same workspace one horizon earlier. Features, as of
// the snapshot: tenure (log days), purchases, revenue and tickets (reopened
// ones too) in the last 90 days, days since the last purchase, monthly
// recurring revenue, the latest NPS, CSAT and CES answers (missing answers
// imputed with the mean, and flagged), and the customer's categorical
// attributes with 2–30 levels.
func ChurnRisk(d kpi.Data, o ChurnRiskOptions) (ChurnRiskResult, error) {
	if o.HorizonDays == 0 {
		o.HorizonDays = 90
	}
	if o.HorizonDays < 1 || o.HorizonDays > 730 {
		return ChurnRiskResult{}, cx.Invalid("horizon_days", "must be 1–730")
	}
	if o.Lambda == 0 {
		o.Lambda = 10
	}
	if o.AsOf.IsZero() {
		o.AsOf = dataEnd(d).Truncate(24 * time.Hour).Add(24 * time.Hour)
	}
	if o.NPSSurveys == nil {
		o.NPSSurveys = []string{"nps"}
	}
	if o.CSATSurveys == nil {
		o.CSATSurveys = []string{"csat"}
	}
	if o.CESSurveys == nil {
		o.CESSurveys = []string{"ces"}
	}
	horizon := time.Duration(o.HorizonDays) * 24 * time.Hour
	t0 := o.AsOf.Add(-horizon)
	h := newHistory(d)
	tickets := map[string][]cx.Ticket{}
	for _, t := range d.Tickets {
		tickets[t.Customer] = append(tickets[t.Customer], t)
	}
	customers := append([]cx.Customer(nil), d.Customers...)
	sort.Slice(customers, func(i, j int) bool { return customers[i].ExternalID < customers[j].ExternalID })
	cats := categoricalAttributes(customers)

	snapshot := func(t time.Time) map[string]churn.Row {
		nps := latestAnswers(d, o.NPSSurveys, time.Time{}, t)
		csat := latestAnswers(d, o.CSATSurveys, time.Time{}, t)
		ces := latestAnswers(d, o.CESSurveys, time.Time{}, t)
		rows := map[string]churn.Row{}
		for _, c := range customers {
			es := h[c.ExternalID]
			if !activeAt(o.Active, c, es, t) {
				continue
			}
			rows[c.ExternalID] = features(c, before(es, t), tickets[c.ExternalID], t, cats, nps, csat, ces)
		}
		return rows
	}

	// Training: who was active one horizon ago, and who of them is gone now.
	train := snapshot(t0)
	var rows []churn.Row
	var labels []bool
	res := ChurnRiskResult{HorizonDays: o.HorizonDays, TrainedAt: t0}
	for _, c := range customers {
		row, ok := train[c.ExternalID]
		if !ok {
			continue
		}
		lost := !activeAt(o.Active, c, h[c.ExternalID], o.AsOf)
		rows, labels = append(rows, row), append(labels, lost)
		if lost {
			res.Churned++
		}
	}
	res.Trained = len(rows)
	if res.Churned < 10 || res.Trained-res.Churned < 10 {
		return res, cx.Invalid("as_of", fmt.Sprintf("too little history to learn from: %d customers active %d days before as_of, %d of them lost since (need at least 10 of each)",
			res.Trained, o.HorizonDays, res.Churned))
	}
	fit := churn.FitOptions{Lambda: o.Lambda}
	oof := make([]float64, len(rows))
	for k := range 5 {
		var fr []churn.Row
		var fl []bool
		for j := range rows {
			if j%5 != k {
				fr, fl = append(fr, rows[j]), append(fl, labels[j])
			}
		}
		m, err := churn.Fit(fr, fl, fit)
		if m == nil {
			return res, fmt.Errorf("value: churn model, fold %d: %w", k, err)
		}
		for j := k; j < len(rows); j += 5 {
			oof[j] = m.Predict(rows[j])
		}
	}
	if auc, err := churn.AUC(oof, labels); err == nil {
		res.CrossValidatedAUC = auc
	}
	model, err := churn.Fit(rows, labels, fit)
	if model == nil || (err != nil && !errors.Is(err, churn.ErrNotConverged)) {
		return res, fmt.Errorf("value: churn model: %w", err)
	}
	for _, col := range model.Encoder.Columns() {
		res.Features = append(res.Features, col.Name)
	}

	// Scoring: who is active now.
	now := snapshot(o.AsOf)
	var entries []ChurnRiskEntry
	for _, c := range customers {
		row, ok := now[c.ExternalID]
		if !ok {
			continue
		}
		entries = append(entries, ChurnRiskEntry{Customer: c.ExternalID, Probability: model.Predict(row), Reasons: model.Reasons(row, 3)})
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Probability > entries[j].Probability })
	lo, hi, lim, err := pageBounds(o.Limit, o.Offset, len(entries))
	if err != nil {
		return res, err
	}
	for k := range entries {
		entries[k].Rank = k + 1
	}
	res.Page = Page[ChurnRiskEntry]{AsOf: o.AsOf, Total: len(entries), Offset: o.Offset, Limit: lim, Items: entries[lo:hi]}
	return res, nil
}

// categoricalAttributes are the customer attributes with string values
// and 2–30 distinct levels: a plan or a region, not an id or a free text.
func categoricalAttributes(cs []cx.Customer) []string {
	levels := map[string]map[string]bool{}
	for _, c := range cs {
		for k, v := range c.Attributes {
			s, ok := v.(string)
			if !ok || cx.IsPII(k) {
				continue
			}
			if levels[k] == nil {
				levels[k] = map[string]bool{}
			}
			if len(levels[k]) <= 30 {
				levels[k][s] = true
			}
		}
	}
	var out []string
	for k, l := range levels {
		if len(l) >= 2 && len(l) <= 30 {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// features describes a customer as of t for the churn model.
func features(c cx.Customer, past []cx.Event, ts []cx.Ticket, t time.Time, cats []string, nps, csat, ces map[string]answer) churn.Row {
	since := t.Add(-90 * 24 * time.Hour)
	num := map[string]float64{"log_tenure_days": math.Log1p(math.Max(0, t.Sub(c.FirstSeen).Hours()/24))}
	var purchases, revenue, mrr float64
	lastPurchase := time.Time{}
	for _, e := range past {
		switch e.Type {
		case cx.Purchase:
			if !e.OccurredAt.Before(since) {
				purchases++
				revenue += e.Value
			}
			lastPurchase = e.OccurredAt
		case cx.Refund:
			if !e.OccurredAt.Before(since) {
				revenue -= e.Value
			}
		case cx.SubscriptionChange:
			mrr = e.Value
		case cx.Churn:
			mrr = 0
		}
	}
	num["purchases_90d"], num["revenue_90d"], num["mrr"] = purchases, revenue, mrr
	num["days_since_purchase"] = math.NaN()
	if !lastPurchase.IsZero() {
		num["days_since_purchase"] = t.Sub(lastPurchase).Hours() / 24
	}
	var tickets, reopened float64
	for _, tk := range ts {
		if tk.OpenedAt.Before(t) && !tk.OpenedAt.Before(since) {
			tickets++
			if tk.Reopened {
				reopened++
			}
		}
	}
	num["tickets_90d"], num["reopened_90d"] = tickets, reopened
	for name, m := range map[string]map[string]answer{"nps": nps, "csat": csat, "ces": ces} {
		if a, ok := m[c.ExternalID]; ok {
			num["last_"+name], num["has_"+name] = float64(a.Score), 1
		} else {
			num["last_"+name], num["has_"+name] = math.NaN(), 0
		}
	}
	cat := map[string]string{}
	for _, k := range cats {
		if s, ok := c.Attributes[k].(string); ok {
			cat[k] = s
		}
	}
	return churn.Row{Numeric: num, Categorical: cat}
}
