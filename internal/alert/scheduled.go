package alert

import (
	"cmp"
	"fmt"
	"math"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/metrics"
	"github.com/cxlens/cxlens/internal/text/themes"
)

// Week is the length of the current period of the scheduled kinds; the
// baseline of metric_change is the BaselineWeeks weeks before it.
const (
	Week          = 7 * 24 * time.Hour
	BaselineWeeks = 4
)

// Finding is one incident a scheduled rule found: what it is about
// (Subject, for the cooldown), its dedup key (one incident alerts once),
// a title for the case and the figures behind it.
type Finding struct {
	Subject    string         `json:"subject"`
	DedupKey   string         `json:"dedup_key"`
	Title      string         `json:"title"`
	Customer   string         `json:"customer,omitempty"` // external id, when about a customer
	CustomerID int64          `json:"-"`
	ResponseID int64          `json:"response_id,omitempty"`
	Detail     map[string]any `json:"detail,omitempty"`
}

// Periods returns the current period [now − 7 d, now) and the baseline
// [now − 35 d, now − 7 d) of the scheduled kinds.
func Periods(now time.Time) (curFrom, curTo, baseFrom, baseTo time.Time) {
	curTo, curFrom = now, now.Add(-Week)
	baseTo, baseFrom = curFrom, curFrom.Add(-BaselineWeeks*Week)
	return
}

// ISOWeek names the ISO week of t (UTC), e.g. "2026-W09": the window of
// the dedup keys of the weekly kinds, so an incident alerts once a week.
func ISOWeek(t time.Time) string {
	y, w := t.UTC().ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// validateParams checks the kind-specific settings and fills defaults.
func (r *Rule) validateParams() []cx.FieldError {
	var errs []cx.FieldError
	add := func(field, reason string) { errs = append(errs, cx.FieldError{Field: field, Reason: reason}) }
	p := &r.Params
	p.Metric = strings.TrimSpace(p.Metric)
	p.SegmentKey, p.SegmentValue = strings.TrimSpace(p.SegmentKey), strings.TrimSpace(p.SegmentValue)
	p.Theme = strings.TrimSpace(p.Theme)
	if p.Metric != "" && p.Metric != "nps" && p.Metric != "csat" && p.Metric != "ces" {
		add("metric", "must be nps, csat or ces")
	}
	if len(p.SegmentKey) > cx.MaxShortText || len(p.SegmentValue) > cx.MaxShortText {
		add("segment_key", fmt.Sprintf("segment key and value must be at most %d bytes", cx.MaxShortText))
	}
	if p.SegmentValue != "" && p.SegmentKey == "" {
		add("segment_key", "is required with segment_value")
	}
	if len(p.Theme) > cx.MaxShortText {
		add("theme", fmt.Sprintf("must be at most %d bytes", cx.MaxShortText))
	}
	stats := r.Kind == KindMetricChange || r.Kind == KindEmergingTheme || r.Kind == KindThemeSentiment
	switch {
	case p.Alpha == 0 && stats:
		p.Alpha = DefaultAlpha
	case p.Alpha == 0:
	case !(p.Alpha > 0 && p.Alpha <= 0.5):
		add("alpha", "must be in (0, 0.5]")
	}
	switch {
	case p.MinResponses == 0 && stats:
		p.MinResponses = DefaultMinResponses
	case p.MinResponses == 0:
	case p.MinResponses < 2 || p.MinResponses > 1_000_000:
		add("min_responses", "must be 2–1000000")
	}
	switch {
	case p.TopPercent == 0 && r.Kind == KindAtRisk:
		p.TopPercent = DefaultTopPercent
	case p.TopPercent == 0:
	case !(p.TopPercent > 0 && p.TopPercent <= 100):
		add("top_percent", "must be in (0, 100]")
	}
	switch {
	case p.PAliveDrop == 0 && r.Kind == KindAtRisk:
		p.PAliveDrop = DefaultPAliveDrop
	case p.PAliveDrop == 0:
	case !(p.PAliveDrop > 0 && p.PAliveDrop <= 1):
		add("p_alive_drop", "must be in (0, 1]")
	}
	switch {
	case p.EveryMinutes == 0 && r.Kind.Scheduled():
		p.EveryMinutes = DefaultEveryMinutes
	case p.EveryMinutes == 0:
	case p.EveryMinutes < 1 || p.EveryMinutes > 7*24*60:
		add("every_minutes", "must be 1–10080 (a week)")
	}
	if p.FirstResponseMinutes < 0 || p.FirstResponseMinutes > MaxSLAHours*60 {
		add("first_response_minutes", fmt.Sprintf("must be 0–%d", MaxSLAHours*60))
	}
	if len(p.Subscribers) > MaxSubscribers {
		add("subscribers", fmt.Sprintf("must list at most %d addresses", MaxSubscribers))
	}
	var subs []string
	for _, s := range p.Subscribers {
		s = strings.TrimSpace(s)
		if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
			add("subscribers", fmt.Sprintf("%q is not an email address like name@example.com", s))
			continue
		}
		if !slices.Contains(subs, s) {
			subs = append(subs, s)
		}
	}
	p.Subscribers = subs
	switch r.Kind {
	case KindMetricChange:
		if r.Survey == "" {
			add("survey", "is required for a metric_change rule")
		}
	case KindSLABreach:
		if p.FirstResponseMinutes == 0 {
			add("first_response_minutes", "is required for an sla_breach rule")
		}
	}
	return errs
}

// MetricFor returns the metric a metric_change rule watches on a survey of
// kind k: the rule's Metric, or the survey's kind (custom surveys: csat).
func MetricFor(r Rule, k cx.SurveyKind) string {
	if r.Metric != "" {
		return r.Metric
	}
	switch k {
	case cx.NPS:
		return "nps"
	case cx.CES:
		return "ces"
	}
	return "csat"
}

// MetricDrop tests whether a metric fell from baseline to current: NPS by
// the z test on the trinomial variance (metrics.NPSDifference), CSAT by
// the two-proportion test on the top-2-box share, CES on the share of
// 5–7 answers (metrics.Config.CSATDifference, CESDifference). The drop
// fires when both periods have at least MinResponses answers, the test is
// valid, the estimate is negative and P < Alpha.
func MetricDrop(r Rule, metric string, current, baseline metrics.Distribution) (d metrics.Difference, fires bool) {
	var cfg metrics.Config
	switch metric {
	case "nps":
		d = cfg.NPSDifference(current, baseline)
	case "ces":
		d, _ = cfg.CESDifference(current, baseline)
	default:
		d, _ = cfg.CSATDifference(current, baseline)
	}
	enough := current.N() >= int64(r.MinResponses) && baseline.N() >= int64(r.MinResponses)
	return d, enough && d.Valid && d.Estimate < 0 && d.P < r.Alpha
}

// MetricFinding is the finding of a metric drop at now.
func MetricFinding(r Rule, metric string, d metrics.Difference, current, baseline metrics.Distribution, now time.Time) Finding {
	seg := "all"
	if r.SegmentKey != "" {
		seg = r.SegmentKey + "=" + r.SegmentValue
	}
	return Finding{
		Subject:  "metric:" + metric + ":" + seg,
		DedupKey: fmt.Sprintf("r%d:metric:%s:%s:%s", r.ID, metric, seg, ISOWeek(now)),
		Title:    fmt.Sprintf("%s: %s of %s (%s) fell %.1f points in 7 days (p = %.3g)", r.Name, strings.ToUpper(metric), r.Survey, seg, -d.Estimate, d.P),
		Detail: map[string]any{"metric": metric, "segment": seg, "change": round(d.Estimate), "p": d.P,
			"current_n": current.N(), "baseline_n": baseline.N()},
	}
}

// ThemedAnswer is one comment's themes and whether its answer is negative
// (text.LabelFromScore of its score), for the theme kinds.
type ThemedAnswer struct {
	Themes   []string
	Negative bool
}

// ThemeFindings runs an emerging_theme or theme_sentiment rule over the
// comments of the previous and current periods, for themes ids (only
// r.Theme when set):
//
//   - emerging_theme: a theme's share of comments rose (themes.Emerging:
//     two-proportion z tests, BH-adjusted at false discovery rate Alpha);
//     each period needs MinResponses comments;
//   - theme_sentiment: the share of negative answers among the comments of
//     a theme rose (two-proportion z test, BH-adjusted over the themes
//     tested); each period needs MinResponses comments of the theme.
func ThemeFindings(r Rule, previous, current []ThemedAnswer, ids []string, now time.Time) []Finding {
	if r.Theme != "" {
		if !slices.Contains(ids, r.Theme) {
			return nil
		}
		ids = []string{r.Theme}
	}
	var out []Finding
	week := ISOWeek(now)
	var cfg metrics.Config
	if r.Kind == KindEmergingTheme {
		if len(previous) < r.MinResponses || len(current) < r.MinResponses {
			return nil
		}
		lists := func(as []ThemedAnswer) [][]string {
			l := make([][]string, len(as))
			for i, a := range as {
				l[i] = a.Themes
			}
			return l
		}
		for _, t := range themes.Emerging(cfg, lists(previous), lists(current), ids, r.Alpha) {
			if !t.Emerging {
				continue
			}
			out = append(out, Finding{
				Subject:  "theme:" + t.Theme,
				DedupKey: fmt.Sprintf("r%d:theme:%s:%s", r.ID, t.Theme, week),
				Title:    fmt.Sprintf("%s: theme %q rose from %.1f%% to %.1f%% of comments", r.Name, t.Theme, t.Previous.Percent, t.Current.Percent),
				Detail: map[string]any{"theme": t.Theme, "previous_pct": round(t.Previous.Percent), "current_pct": round(t.Current.Percent),
					"p": t.Change.P, "adjusted_p": t.AdjustedP},
			})
		}
		return out
	}
	type tally struct{ n, neg int64 }
	count := func(as []ThemedAnswer) map[string]tally {
		m := map[string]tally{}
		for _, a := range as {
			for j, id := range a.Themes {
				if slices.Contains(a.Themes[:j], id) {
					continue
				}
				t := m[id]
				t.n++
				if a.Negative {
					t.neg++
				}
				m[id] = t
			}
		}
		return m
	}
	pc, cc := count(previous), count(current)
	var tested []string
	var diffs []metrics.Difference
	var ps []float64
	for _, id := range ids {
		p, c := pc[id], cc[id]
		if p.n < int64(r.MinResponses) || c.n < int64(r.MinResponses) {
			continue
		}
		d := cfg.ProportionDifference(c.neg, c.n, p.neg, p.n)
		tested, diffs, ps = append(tested, id), append(diffs, d), append(ps, d.P)
	}
	for i, adj := range metrics.AdjustBH(ps) {
		d := diffs[i]
		if !d.Valid || d.Estimate <= 0 || adj > r.Alpha {
			continue
		}
		id := tested[i]
		out = append(out, Finding{
			Subject:  "theme_sentiment:" + id,
			DedupKey: fmt.Sprintf("r%d:theme_sentiment:%s:%s", r.ID, id, week),
			Title:    fmt.Sprintf("%s: negative answers about %q rose %.1f points", r.Name, id, d.Estimate),
			Detail: map[string]any{"theme": id, "change_points": round(d.Estimate), "p": d.P, "adjusted_p": adj,
				"current_n": cc[id].n, "previous_n": pc[id].n},
		})
	}
	return out
}

// ValuedCustomer is what an at_risk rule reads of a customer: the predicted
// CLV and P(alive) now and a week ago, and their latest detractor answer
// in the last week, if any.
type ValuedCustomer struct {
	Customer     string
	CustomerID   int64
	PredictedCLV float64
	PAlive       float64
	PAliveBefore float64 // P(alive) a week before
	// DetractorScore and DetractorResponse describe a detractor answer in
	// the current period; DetractorResponse is 0 when there is none.
	DetractorScore    int
	DetractorResponse int64
}

// AtRiskFindings runs an at_risk rule: among the customers with a positive
// predicted CLV, those in the top TopPercent (at least one) fire when
// their P(alive) fell by PAliveDrop or more over the week, or when they
// answered as detractors in it. One alert per customer and ISO week.
func AtRiskFindings(r Rule, customers []ValuedCustomer, now time.Time) []Finding {
	var valued []ValuedCustomer
	for _, c := range customers {
		if c.PredictedCLV > 0 {
			valued = append(valued, c)
		}
	}
	if len(valued) == 0 {
		return nil
	}
	slices.SortStableFunc(valued, func(a, b ValuedCustomer) int {
		if c := cmp.Compare(b.PredictedCLV, a.PredictedCLV); c != 0 {
			return c
		}
		return cmp.Compare(a.Customer, b.Customer)
	})
	top := max(1, int(math.Ceil(r.TopPercent/100*float64(len(valued))-1e-9)))
	week := ISOWeek(now)
	var out []Finding
	for rank, c := range valued[:min(top, len(valued))] {
		drop := c.PAliveBefore - c.PAlive
		falling := drop >= r.PAliveDrop-1e-12
		if !falling && c.DetractorResponse == 0 {
			continue
		}
		why := fmt.Sprintf("P(alive) fell from %.2f to %.2f", c.PAliveBefore, c.PAlive)
		if !falling {
			why = fmt.Sprintf("answered %d (detractor)", c.DetractorScore)
		}
		out = append(out, Finding{
			Subject:    "customer:" + c.Customer,
			DedupKey:   fmt.Sprintf("r%d:c%d:%s", r.ID, c.CustomerID, week),
			Title:      fmt.Sprintf("%s: high-value customer %s at risk: %s", r.Name, c.Customer, why),
			Customer:   c.Customer,
			CustomerID: c.CustomerID,
			ResponseID: c.DetractorResponse,
			Detail: map[string]any{"rank": rank + 1, "predicted_clv": round(c.PredictedCLV), "p_alive": round(c.PAlive),
				"p_alive_week_before": round(c.PAliveBefore), "detractor_response": c.DetractorResponse},
		})
	}
	return out
}

// SLALookback is how far back an sla_breach rule looks at tickets opened
// (beyond the SLA itself), so a first run does not alert on old history.
const SLALookback = Week

// SLAFindings runs an sla_breach rule at now: a ticket opened in the
// lookback whose SLA (opened_at + FirstResponseMinutes) has passed breaches
// it when it has no first response, or had it later than the SLA; a ticket
// resolved within the SLA without a recorded first response does not. One
// alert per ticket, ever.
func SLAFindings(r Rule, tickets []cx.Ticket, now time.Time) []Finding {
	sla := time.Duration(r.FirstResponseMinutes) * time.Minute
	if sla <= 0 {
		return nil
	}
	var out []Finding
	for _, t := range tickets {
		due := t.OpenedAt.Add(sla)
		if now.Before(due) || t.OpenedAt.Before(now.Add(-SLALookback-sla)) {
			continue
		}
		var late string
		switch {
		case t.FirstResponseAt != nil && t.FirstResponseAt.After(due):
			late = fmt.Sprintf("first response after %s", t.FirstResponseAt.Sub(t.OpenedAt).Round(time.Minute))
		case t.FirstResponseAt != nil:
			continue
		case t.ResolvedAt != nil && !t.ResolvedAt.After(due):
			continue
		default:
			late = fmt.Sprintf("no first response after %s", now.Sub(t.OpenedAt).Round(time.Minute))
		}
		name := t.ExternalID
		if name == "" {
			name = fmt.Sprint(t.ID)
		}
		out = append(out, Finding{
			Subject:    fmt.Sprintf("ticket:%d", t.ID),
			DedupKey:   fmt.Sprintf("r%d:t%d", r.ID, t.ID),
			Title:      fmt.Sprintf("%s: ticket %s breached the %d-minute first-response SLA (%s)", r.Name, name, r.FirstResponseMinutes, late),
			Customer:   t.Customer,
			CustomerID: t.CustomerID,
			Detail:     map[string]any{"ticket": t.ID, "external_id": t.ExternalID, "agent": t.Agent, "opened_at": t.OpenedAt.UTC()},
		})
	}
	return out
}

// round keeps two decimals for payloads.
func round(x float64) float64 { return math.Round(x*100) / 100 }
