package report

import (
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/analytics"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/metrics"
)

// SurveyMetrics are the survey figures, answered by the analytics index.
var SurveyMetrics = map[string]cx.SurveyKind{"nps": cx.NPS, "csat": cx.CSAT, "ces": cx.CES}

// surveyDefinitions are the survey KPIs' definitions (DESIGN.md).
var surveyDefinitions = map[cx.SurveyKind]string{
	cx.NPS:  "NPS = %promoters (9–10) − %detractors (0–6) of 0–10 answers to \"how likely to recommend\", in points from −100 to 100; interval: adjusted Wald (Rocks 2016) unless ci=wald.",
	cx.CSAT: "CSAT = % of answers in the scale's top two boxes (4–5 on 1–5), with a Wilson interval; the mean answer is in extra.",
	cx.CES:  "CES = mean answer on the 1–7 \"easy to resolve\" scale, with a t interval; the % of 5–7 answers is in extra.",
}

// SurveyRequest asks for a survey figure.
type SurveyRequest struct {
	Metric   string // nps, csat or ces
	Survey   string // survey key; empty means every survey of the kind
	From, To time.Time
	Interval analytics.Interval
	Rolling  int // days
	GroupBy  string
	TopN     int
	Filters  []string // "attr=v1,v2"
	CI       string   // "adjusted-wald" (default) or "wald"
	// Compare is "previous" (the same figure over the period of equal
	// length just before, with the difference and its test) or "segment"
	// (each group against all other responses; needs GroupBy).
	Compare string
}

// Comparison is the difference of the report's figure from another one.
type Comparison struct {
	Against     string   `json:"against"` // "previous"
	From        string   `json:"from"`
	To          string   `json:"to"`
	Figure      Figure   `json:"figure"`
	Change      *float64 `json:"change,omitempty"`
	CILow       *float64 `json:"ci_low,omitempty"`
	CIHigh      *float64 `json:"ci_high,omitempty"`
	P           *float64 `json:"p,omitempty"`
	Significant bool     `json:"significant"`
	Reason      string   `json:"reason,omitempty"`
}

// Query turns the request into an index query, naming the bad field.
func (r SurveyRequest) Query() (analytics.Query, error) {
	kind, ok := SurveyMetrics[r.Metric]
	if !ok {
		return analytics.Query{}, cx.Invalid("metric", "unknown survey metric "+r.Metric+" (nps, csat or ces)")
	}
	q := analytics.Query{Survey: r.Survey, Kind: kind, From: r.From, To: r.To, Interval: r.Interval, Rolling: r.Rolling, GroupBy: r.GroupBy, TopN: r.TopN}
	switch r.CI {
	case "", "adjusted-wald":
	case "wald":
		q.Config.NPSMethod = metrics.Wald
	default:
		return q, cx.Invalid("ci", "must be wald or adjusted-wald")
	}
	switch r.Compare {
	case "", "previous":
	case "segment":
		if r.GroupBy == "" {
			return q, cx.Invalid("compare", "segment needs group_by (each group is compared with the rest)")
		}
	default:
		return q, cx.Invalid("compare", "must be previous or segment")
	}
	for _, f := range r.Filters {
		pf, err := analytics.ParseFilter(f)
		if err != nil {
			return q, cx.Invalid("filter", err.Error())
		}
		q.Filters = append(q.Filters, pf)
	}
	return q, q.Validate()
}

// Survey answers a survey request from a workspace's index.
func Survey(ix *analytics.Index, r SurveyRequest) (Report, error) {
	q, err := r.Query()
	if err != nil {
		return Report{}, err
	}
	res, err := ix.Query(q)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Metric: r.Metric, Definition: surveyDefinitions[q.Kind], From: res.From, To: res.To,
		Interval: string(r.Interval), GroupBy: r.GroupBy, Surveys: res.Surveys, Figure: surveyFigure(res.Overall), Rows: []Row{}}
	for _, b := range res.Buckets {
		row := Row{Period: b.Label, Start: b.Start, Figure: surveyFigure(b.Figures)}
		if b.Change != nil && b.Change.Valid {
			row.Change, row.ChangeP = ptr(b.Change.Estimate), ptr(b.Change.P)
			row.Significant = b.Significant
		}
		rep.Rows = append(rep.Rows, row)
	}
	if r.Compare == "previous" {
		prev := q
		prev.From, prev.To = res.From.Add(-res.To.Sub(res.From)), res.From
		prev.Interval, prev.Rolling, prev.GroupBy, prev.TopN = "", 0, "", 0
		pres, err := ix.Query(prev)
		if err != nil {
			return Report{}, err
		}
		rep.Compared = compare(q.Config, res.Kind, res.Overall, pres.Overall)
		rep.Compared.From, rep.Compared.To = prev.From.Format(time.RFC3339), prev.To.Format(time.RFC3339)
	}
	for _, g := range res.Groups {
		name := g.Value
		if g.Missing {
			name = "(none)"
		}
		row := Row{Group: name, Figure: surveyFigure(g.Figures)}
		if g.VsRest.Valid {
			row.Change, row.ChangeP = ptr(g.VsRest.Estimate), ptr(g.PAdjusted)
			row.Significant = g.Significant
		}
		rep.Rows = append(rep.Rows, row)
	}
	return rep, nil
}

// compare tests the main figure of the kind between this period (a) and
// the previous one (b): NPS points (z test on the NPS variance), CSAT
// top-2-box percentage points and CES % easy (two-proportion z tests), or
// the mean (Welch) for custom surveys.
func compare(cfg metrics.Config, kind cx.SurveyKind, a, b analytics.Figures) *Comparison {
	c := &Comparison{Against: "previous", Figure: surveyFigure(b)}
	var d metrics.Difference
	da, db := a.Distribution(), b.Distribution()
	switch kind {
	case cx.NPS:
		d = cfg.NPSDifference(da, db)
	case cx.CSAT:
		d, _ = cfg.CSATDifference(da, db)
	case cx.CES:
		_, d = cfg.CESDifference(da, db)
	default:
		d = cfg.MeanDifference(da, db)
	}
	if !d.Valid {
		c.Reason = d.Reason
		return c
	}
	level := d.Level
	c.Change, c.CILow, c.CIHigh, c.P = ptr(d.Estimate), ptr(d.CI.Lower), ptr(d.CI.Upper), ptr(d.P)
	c.Significant = d.P < 1-level
	return c
}

// surveyFigure picks the main figure of the kind, with its interval, and
// puts the rest in extra.
func surveyFigure(f analytics.Figures) Figure {
	out := Figure{N: int(f.N), Counts: f.Counts, Extra: map[string]float64{}}
	set := func(value float64, ci metrics.Interval, readable bool, reason string) {
		out.Readable, out.Reason = readable, reason
		if f.N > 0 {
			out.Value, out.CILow, out.CIHigh = ptr(value), ptr(ci.Lower), ptr(ci.Upper)
		}
	}
	switch {
	case f.NPS != nil:
		set(f.NPS.Score, f.NPS.CI, f.NPS.Readable, f.NPS.Reason)
		out.Extra["promoters_pct"], out.Extra["passives_pct"], out.Extra["detractors_pct"] = f.NPS.PromoterPercent, f.NPS.PassivePercent, f.NPS.DetractorPercent
	case f.CSAT != nil:
		set(f.CSAT.TopTwoBox.Percent, f.CSAT.TopTwoBox.CI, f.CSAT.Readable, f.CSAT.Reason)
		out.Extra["mean"] = f.CSAT.Mean.Mean
	case f.CES != nil:
		set(f.CES.Mean.Mean, f.CES.Mean.CI, f.CES.Readable, f.CES.Reason)
		out.Extra["easy_pct"] = f.CES.Easy.Percent
	case f.Mean != nil:
		set(f.Mean.Mean, f.Mean.CI, f.Mean.Readable, f.Mean.Reason)
	}
	if len(out.Extra) == 0 {
		out.Extra = nil
	}
	if out.Reason == "" && f.N == 0 {
		out.Reason = "no responses"
	}
	return out
}

// SurveyDefinition returns the definition of a survey metric.
func SurveyDefinition(metric string) string { return surveyDefinitions[SurveyMetrics[metric]] }

// IsSurveyMetric reports whether metric is answered by Survey.
func IsSurveyMetric(metric string) bool {
	_, ok := SurveyMetrics[strings.ToLower(metric)]
	return ok
}
