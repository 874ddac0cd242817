package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cxlens/cxlens/internal/kpi"
	"github.com/cxlens/cxlens/internal/report"
)

const reportHelp = `Compute a behavioural KPI of a workspace over a time range, overall and by
period (--interval) or segment (--group-by: a customer attribute such as plan or
region; agent or channel for the support metrics), with its sample size and,
for proportions, a 95% Wilson interval. --explain prints every metric's
definition. Metrics: churn_rate, crr, nrr, grr, ncvg, referral_rate, say_vs_do,
redemption_rate, frt, aht, resolution_time, reopen_rate (times in seconds).`

// report prints a KPI report; see reportHelp.
func (a *app) report(ctx context.Context, args []string) error {
	fs := a.newFlagSet("report", "--workspace ID --metric METRIC [flags]", reportHelp)
	var ws, metric, from, to, interval, groupBy, format, tz string
	var sla time.Duration
	var explain bool
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
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	if explain {
		tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
		for _, m := range report.Metrics {
			fmt.Fprintf(tw, "%s\t%s\n", m, kpi.Definition(m))
		}
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
	req := report.Request{Metric: kpi.Metric(metric), Interval: kpi.Interval(interval), GroupBy: groupBy, SLA: sla}
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
		return usageErrorf("--%s", strings.TrimPrefix(err.Error(), "invalid input: item 0: "))
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
	switch format {
	case "json":
		return printJSON(a.stdout, rep)
	case "csv":
		return writeReportCSV(a.stdout, rep)
	}
	return writeReportTable(a.stdout, rep)
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
	fmt.Fprintln(tw, "PERIOD\tGROUP\tVALUE\tN\t95% CI\tNOTE")
	line := func(period, group string, f report.Figure) {
		ci := ""
		if f.CILow != nil {
			ci = show(f.CILow) + " – " + show(f.CIHigh)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", period, group, show(f.Value), f.N, ci, f.Reason)
	}
	line("all", "all", rep.Figure)
	for _, r := range rep.Rows {
		line(r.Period, r.Group, r.Figure)
	}
	return tw.Flush()
}
