package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cxlens/cxlens/internal/analytics"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
	"github.com/cxlens/cxlens/internal/report"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/value"
)

const reportHelp = `Compute a survey figure or a behavioural KPI of a workspace over a time range,
overall and by period (--interval) or segment (--group-by), with its sample size
and 95% interval. --explain prints every metric's definition.

Survey metrics: nps, csat, ces (--survey, --filter, --ci, --top, --rolling; group
by survey, language, channel, touchpoint, a response attribute, or
customer.ATTRIBUTE). Periods show the change from the previous one and groups
the difference from the rest, marked * when significant (groups: Benjamini–
Hochberg adjusted).
Behavioural KPIs: churn_rate, crr, nrr, grr, ncvg, referral_rate, say_vs_do,
redemption_rate, frt, aht, resolution_time, reopen_rate (times in seconds; group
by a customer attribute, or agent or channel for the support metrics), and
agent_outliers (each agent against the rest of the team on CSAT, CES, FRT, AHT).
Value: roi (what promoters, passives and detractors did after answering: retention,
revenue, referrals, CLV, revenue at risk, a what-if) and at_risk (customers ranked by
predicted CLV × risk, with reasons) and churn_risk (active customers ranked by their
probability of being lost within --horizon-days, from a model trained on the workspace).`

// report prints a KPI report; see reportHelp.
func (a *app) report(ctx context.Context, args []string) error {
	fs := a.newFlagSet("report", "--workspace ID --metric METRIC [flags]", reportHelp)
	var ws, metric, from, to, interval, groupBy, format, tz string
	var sla time.Duration
	var explain bool
	var survey, ci, compare string
	var top, rolling int
	var filters stringList
	var asOf, basis, surveys, horizons, whatIf string
	var limit, offset, horizonDays, inactivityDays int
	var activity, valueBasis string
	var aliveThreshold float64
	a.workspaceVar(fs, &ws)
	fs.StringVar(&metric, "metric", "", "`metric` to compute (see above)")
	fs.StringVar(&from, "from", "", "start `time`, inclusive (RFC 3339 or 2006-01-02; default: 12 months before --to)")
	fs.StringVar(&to, "to", "", "end `time`, exclusive (default: tomorrow)")
	fs.StringVar(&interval, "interval", "", "one row per `period`: day, week, month or quarter")
	fs.StringVar(&groupBy, "group-by", "", "one row per value of this `attribute`")
	fs.StringVar(&format, "format", "table", "output `format`: table, json or csv")
	fs.StringVar(&tz, "time-zone", "", "time `zone` of the periods (default: the workspace's)")
	fs.DurationVar(&sla, "sla", 24*time.Hour, "first-response `SLA` for frt's within_sla share")
	fs.BoolVar(&explain, "explain", false, "print the definitions of the metrics and exit")
	fs.StringVar(&survey, "survey", "", "survey metrics: only this survey `key` (default: every survey of the kind)")
	fs.Var(&filters, "filter", "keep responses (survey metrics) or customers (KPIs; agent= and channel= keep tickets) with `attr=v1,v2`; repeat to combine")
	fs.StringVar(&ci, "ci", "adjusted-wald", "NPS interval `method`: adjusted-wald or wald")
	fs.IntVar(&top, "top", 0, "survey metrics: keep the `N` largest groups, the rest as other")
	fs.StringVar(&compare, "compare", "", "survey metrics: previous (the period of equal length before, with the change and its test) or segment (groups against the rest)")
	fs.StringVar(&asOf, "as-of", "", "roi, at_risk: the `date` that splits say from do (roi) or of the list")
	fs.StringVar(&basis, "basis", "nps", "roi: group customers by their latest nps, csat or ces `answer`")
	fs.StringVar(&surveys, "surveys", "", "roi, at_risk: comma-separated survey `keys` whose answers count (default: the basis)")
	fs.StringVar(&horizons, "horizons", "3,6,12", "roi: comma-separated `months` after --as-of to measure")
	fs.StringVar(&whatIf, "what-if-share", "0.1", "roi: `share` of passives turned promoters for the what-if")
	fs.IntVar(&limit, "limit", 50, "at_risk, churn_risk: list `length`")
	fs.IntVar(&offset, "offset", 0, "at_risk, churn_risk: skip this many `entries`")
	fs.StringVar(&activity, "activity", "subscription", "behavioural KPIs: who is active — subscription, inactivity (no purchase for --inactivity-days) or p_alive (BG/NBD P(alive) ≥ --alive-threshold)")
	fs.IntVar(&inactivityDays, "inactivity-days", 180, "with --activity inactivity: `days` without a purchase after which a customer lapses")
	fs.Float64Var(&aliveThreshold, "alive-threshold", 0.5, "with --activity p_alive: the lowest P(alive) of an active customer")
	fs.StringVar(&valueBasis, "value", "revenue", "ncvg: weigh customers by revenue in the period or predicted clv")
	fs.IntVar(&horizonDays, "horizon-days", 90, "churn_risk: predict churn within this many `days`")
	fs.IntVar(&rolling, "rolling", 0, "survey metrics with --interval: each period over the `days` ending with it")
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	if explain {
		tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
		for _, m := range []string{"nps", "csat", "ces"} {
			fmt.Fprintf(tw, "%s\t%s\n", m, report.SurveyDefinition(m))
		}
		for _, m := range report.Metrics {
			fmt.Fprintf(tw, "%s\t%s\n", m, kpi.Definition(m))
		}
		for _, m := range []string{report.MetricROI, report.MetricAtRisk} {
			fmt.Fprintf(tw, "%s\t%s\n", m, report.ValueDefinition(m))
		}
		fmt.Fprintf(tw, "%s\t%s\n", report.MetricResponseRate, report.ResponseRateDefinition)
		return tw.Flush()
	}
	if _, err := workspaceID(ws); err != nil {
		return err
	}
	if metric == "" {
		return usageErrorf("--metric is required (see cxlens report -h)")
	}
	if format != "table" && format != "json" && format != "csv" {
		return usageErrorf("--format: %q is not table, json or csv", format)
	}
	if metric == report.MetricResponseRate {
		return a.responseRateReport(ctx, ws, survey, groupBy, from, to, format)
	}
	if metric == "churn_risk" {
		o := value.ChurnRiskOptions{HorizonDays: horizonDays, Limit: limit, Offset: offset}
		var err error
		if o.AsOf, err = timeFlag("as-of", asOf); err != nil {
			return err
		}
		return a.churnRisk(ctx, ws, format, o)
	}
	if metric == report.MetricROI || metric == report.MetricAtRisk {
		q := url.Values{"basis": {basis}, "horizons": {horizons}, "what_if_share": {whatIf},
			"limit": {strconv.Itoa(limit)}, "offset": {strconv.Itoa(offset)}}
		for name, v := range map[string]string{"as_of": asOf, "end": to, "surveys": surveys} {
			if v != "" {
				q.Set(name, v)
			}
		}
		req, err := report.ParseValueQuery(q, time.Now())
		if err != nil {
			return flagError(err)
		}
		return a.valueReport(ctx, ws, metric, format, req)
	}
	if compare != "" && !report.IsSurveyMetric(metric) {
		return usageErrorf("--compare is for nps, csat and ces; use --interval for a behavioural KPI's periods")
	}
	if report.IsSurveyMetric(metric) {
		return a.surveyReport(ctx, ws, format, report.SurveyRequest{Metric: metric, Survey: survey, Interval: analytics.Interval(interval),
			GroupBy: groupBy, Filters: filters, CI: ci, TopN: top, Rolling: rolling, Compare: compare}, from, to)
	}
	req := report.Request{Metric: kpi.Metric(metric), Interval: kpi.Interval(interval), GroupBy: groupBy, SLA: sla,
		Activity: activity, InactivityDays: inactivityDays, AliveThreshold: aliveThreshold, Value: valueBasis, Filters: filters}
	var err error
	if req.To, err = timeFlag("to", to); err != nil {
		return err
	}
	if req.To.IsZero() {
		req.To = time.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	}
	if req.From, err = timeFlag("from", from); err != nil {
		return err
	}
	if req.From.IsZero() {
		req.From = req.To.AddDate(-1, 0, 0)
	}
	if err := req.Validate(); err != nil {
		return flagError(err)
	}
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	w, err := db.Workspace(ctx, id)
	if err != nil {
		return err
	}
	if tz == "" {
		tz = w.TimeZone
	}
	if req.Location, err = time.LoadLocation(tz); err != nil {
		return usageErrorf("--time-zone: unknown time zone %q", tz)
	}
	data, err := report.Load(ctx, db, id)
	if err != nil {
		return err
	}
	rep, err := report.Compute(data, req)
	if err != nil {
		return err
	}
	if err := withTarget(ctx, db, id, &rep, ""); err != nil {
		return err
	}
	return a.printReport(format, rep)
}

// flagError turns a validation error naming a field into a usage error
// naming the flag.
func flagError(err error) error {
	return usageErrorf("--%s", strings.ReplaceAll(strings.TrimPrefix(err.Error(), "invalid input: item 0: "), "_", "-"))
}

// surveyReport answers nps, csat and ces from an index built for the call.
func (a *app) surveyReport(ctx context.Context, ws, format string, req report.SurveyRequest, from, to string) error {
	var err error
	if req.From, err = timeFlag("from", from); err != nil {
		return err
	}
	if req.To, err = timeFlag("to", to); err != nil {
		return err
	}
	if _, err := req.Query(); err != nil {
		return flagError(err)
	}
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	ix, err := analytics.New(ctx, db, id, analytics.Options{Logger: a.logger})
	if err != nil {
		return err
	}
	rep, err := report.Survey(ix, req)
	if err != nil {
		return err
	}
	if err := withTarget(ctx, db, id, &rep, req.Survey); err != nil {
		return err
	}
	return a.printReport(format, rep)
}

// valueReport prints the say-vs-do ROI analysis or the at-risk list.
func (a *app) valueReport(ctx context.Context, ws, metric, format string, req report.ValueRequest) error {
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	data, err := report.Load(ctx, db, id)
	if err != nil {
		return err
	}
	if metric == report.MetricROI {
		rep, err := report.ROI(data, req)
		if err != nil {
			return err
		}
		if format == "json" {
			return printJSON(a.stdout, rep)
		}
		return a.printReport(format, rep.Report)
	}
	list, err := report.AtRisk(data, req)
	if err != nil {
		return err
	}
	if format == "json" {
		return printJSON(a.stdout, list)
	}
	if format == "csv" {
		cw := csv.NewWriter(a.stdout)
		cw.Write([]string{"rank", "customer", "value_at_risk", "predicted_clv", "p_alive", "risk", "reasons"})
		for _, e := range list.Items {
			cw.Write([]string{strconv.Itoa(e.Rank), e.Customer, strconv.FormatFloat(e.ValueAtRisk, 'f', 2, 64), strconv.FormatFloat(e.PredictedCLV, 'f', 2, 64),
				strconv.FormatFloat(e.PAlive, 'f', 4, 64), strconv.FormatFloat(e.Risk, 'f', 4, 64), reasons(e.Reasons)})
		}
		cw.Flush()
		return cw.Error()
	}
	fmt.Fprintf(a.stdout, "%s as of %s: %d customers\n%s\n\n", list.Metric, list.AsOf.Format("2006-01-02"), list.Total, list.Definition)
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RANK\tCUSTOMER\tVALUE AT RISK\tCLV\tP(ALIVE)\tRISK\tREASONS")
	for _, e := range list.Items {
		fmt.Fprintf(tw, "%d\t%s\t%.0f\t%.0f\t%.2f\t%.2f\t%s\n", e.Rank, e.Customer, e.ValueAtRisk, e.PredictedCLV, e.PAlive, e.Risk, reasons(e.Reasons))
	}
	return tw.Flush()
}

// churnRisk prints active customers ranked by their churn probability.
func (a *app) churnRisk(ctx context.Context, ws, format string, o value.ChurnRiskOptions) error {
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	data, err := report.Load(ctx, db, id)
	if err != nil {
		return err
	}
	res, err := value.ChurnRisk(data, o)
	if err != nil {
		return flagError(err)
	}
	if format == "json" {
		return printJSON(a.stdout, res)
	}
	fmt.Fprintf(a.stdout, "churn within %d days, as of %s: %d active customers\nmodel trained on the %d customers active on %s (%d lost since); cross-validated AUC %.3f\n\n",
		res.HorizonDays, res.AsOf.Format("2006-01-02"), res.Total, res.Trained, res.TrainedAt.Format("2006-01-02"), res.Churned, res.CrossValidatedAUC)
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RANK\tCUSTOMER\tP(CHURN)\tWHAT PUSHES IT UP")
	for _, e := range res.Items {
		var why []string
		for _, r := range e.Reasons {
			why = append(why, r.Attribute+" "+r.Value)
		}
		fmt.Fprintf(tw, "%d\t%s\t%.2f\t%s\n", e.Rank, e.Customer, e.Probability, strings.Join(why, ", "))
	}
	return tw.Flush()
}

func reasons(rs []value.Reason) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Detail
	}
	return strings.Join(out, "; ")
}

// withTarget adds the workspace's target for the metric, if set.
func withTarget(ctx context.Context, db *store.DB, ws int64, rep *report.Report, survey string) error {
	t, err := db.Target(ctx, ws, rep.Metric, survey)
	if errors.Is(err, cx.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	rep.WithTarget(t)
	return nil
}

// printReport writes a report as table, json or csv.
func (a *app) printReport(format string, rep report.Report) error {
	switch format {
	case "json":
		return printJSON(a.stdout, rep)
	case "csv":
		return writeReportCSV(a.stdout, rep)
	}
	return writeReportTable(a.stdout, rep)
}

func gapText(gap *float64) string {
	if gap == nil {
		return ""
	}
	return fmt.Sprintf("gap %+.3g", *gap)
}

func num(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

func writeReportCSV(w interface{ Write([]byte) (int, error) }, rep report.Report) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"period", "group", "value", "n", "ci_low", "ci_high", "readable"})
	rows := rep.Rows
	if len(rows) == 0 {
		rows = []report.Row{{Figure: rep.Figure}}
	}
	for _, r := range rows {
		cw.Write([]string{r.Period, r.Group, num(r.Value), strconv.Itoa(r.N), num(r.CILow), num(r.CIHigh), strconv.FormatBool(r.Readable)})
	}
	cw.Flush()
	return cw.Error()
}

func writeReportTable(w interface{ Write([]byte) (int, error) }, rep report.Report) error {
	show := func(v *float64) string {
		if v == nil {
			return "–"
		}
		if *v >= 1000 || *v <= -1000 {
			return strconv.FormatFloat(*v, 'f', 0, 64)
		}
		return strconv.FormatFloat(*v, 'g', 4, 64)
	}
	fmt.Fprintf(w, "%s from %s to %s\n%s\n\n", rep.Metric, rep.From.Format("2006-01-02"), rep.To.Format("2006-01-02"), rep.Definition)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PERIOD\tGROUP\tVALUE\tN\t95% CI\tCHANGE\tNOTE")
	line := func(period, group string, f report.Figure, change string) {
		ci := ""
		if f.CILow != nil {
			ci = show(f.CILow) + " – " + show(f.CIHigh)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", period, group, show(f.Value), f.N, ci, change, f.Reason)
	}
	line("all", "all", rep.Figure, "")
	if t := rep.Target; t != nil && t.Target != nil {
		line("target", "", report.Figure{Value: t.Target}, gapText(t.Gap))
	}
	if t := rep.Target; t != nil && t.Benchmark != nil {
		line("benchmark", t.BenchmarkSource, report.Figure{Value: t.Benchmark}, gapText(t.BenchmarkGap))
	}
	if c := rep.Compared; c != nil {
		change := c.Reason
		if c.Change != nil {
			change = fmt.Sprintf("%+.3g (p %.2g)", *c.Change, *c.P)
			if c.Significant {
				change += " *"
			}
		}
		line("previous", "all", c.Figure, change)
	}
	for _, r := range rep.Rows {
		change := ""
		if r.Change != nil {
			change = fmt.Sprintf("%+.3g", *r.Change)
			if r.Significant {
				change += " *"
			}
		}
		line(r.Period, r.Group, r.Figure, change)
	}
	return tw.Flush()
}
