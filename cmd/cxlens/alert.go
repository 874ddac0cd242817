package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/cxlens/cxlens/internal/alert"
)

// alertRules prints a workspace's alert rules.
func (a *app) alertRules(ctx context.Context, args []string) error {
	db, id, asJSON, err := a.openListing(ctx, "alert rules", "List a workspace's alert rules.", args)
	if err != nil {
		return err
	}
	defer db.Close()
	rules, err := db.AlertRules(ctx, id)
	if err != nil {
		return err
	}
	if asJSON {
		return printJSON(a.stdout, rules)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tKIND\tSURVEY\tCONDITION\tCOOLDOWN\tSLA\tACTIONS")
	for _, r := range rules {
		acts := make([]string, len(r.Actions))
		for i, x := range r.Actions {
			acts[i] = string(x)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%ds\t%dh\t%s\n", r.ID, r.Name, r.Kind, r.Survey, condition(r), r.CooldownSeconds, r.SLAHours, strings.Join(acts, ","))
	}
	return tw.Flush()
}

// condition summarises when a rule fires.
func condition(r alert.Rule) string {
	switch r.Kind {
	case alert.KindScore:
		return fmt.Sprintf("score <= %d", r.MaxScore)
	case alert.KindMetricChange:
		seg := ""
		if r.SegmentKey != "" {
			seg = " " + r.SegmentKey + "=" + r.SegmentValue
		}
		return fmt.Sprintf("%s drop p<%g n>=%d%s", alert.MetricFor(r, ""), r.Alpha, r.MinResponses, seg)
	case alert.KindEmergingTheme, alert.KindThemeSentiment:
		t := r.Theme
		if t == "" {
			t = "any theme"
		}
		return fmt.Sprintf("%s q<=%g n>=%d", t, r.Alpha, r.MinResponses)
	case alert.KindAtRisk:
		return fmt.Sprintf("top %g%% CLV, P(alive) -%g or detractor", r.TopPercent, r.PAliveDrop)
	case alert.KindSLABreach:
		return fmt.Sprintf("first response > %d min", r.FirstResponseMinutes)
	}
	return ""
}

// listFlag collects a repeatable or comma-separated flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set adds the comma-separated values of v.
func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// alertRuleCreate creates an alert rule and prints its id.
func (a *app) alertRuleCreate(ctx context.Context, args []string) error {
	fs := a.newFlagSet("alert rule create", "--workspace ID --name NAME [--kind KIND] [flags]",
		"Create an alert rule and print its id on stdout. score rules fire on ingest for responses scored at or below\n"+
			"--max-score; metric_change, emerging_theme, theme_sentiment, at_risk and sla_breach rules run on the\n"+
			"server's schedule (cxlens serve --evaluate-every). See POST /api/v1/alert-rules in the OpenAPI document.")
	var ws, name, kind, survey, metric, segment, theme string
	var maxScore, cooldown, sla, minResponses, frt, every int
	var minValue, alpha, top, drop float64
	var actions, subscribers listFlag
	a.workspaceVar(fs, &ws)
	fs.StringVar(&name, "name", "", "rule `name`")
	fs.StringVar(&kind, "kind", "score", "rule `kind`: score, metric_change, emerging_theme, theme_sentiment, at_risk or sla_breach")
	fs.StringVar(&survey, "survey", "", "survey `key` (required for metric_change; empty for every survey)")
	fs.IntVar(&maxScore, "max-score", -1000, "score rules: fire at or below this `score` (required)")
	fs.Float64Var(&minValue, "min-customer-value", -1, "score rules: only customers whose attribute value exceeds this `amount`")
	fs.IntVar(&cooldown, "cooldown", 0, "`seconds` the rule stays quiet on a customer or subject after firing")
	fs.IntVar(&sla, "sla-hours", 0, "due date of the cases it opens, in `hours` (0: none)")
	fs.Var(&actions, "action", "`action` to take: create_case, webhook or email (repeatable or comma-separated)")
	fs.StringVar(&metric, "metric", "", "metric_change: `metric` nps, csat or ces (default: the survey's kind)")
	fs.StringVar(&segment, "segment", "", "metric_change: only customers with this attribute, as `key=value`")
	fs.Float64Var(&alpha, "alpha", 0, "significance `level` (default 0.05)")
	fs.IntVar(&minResponses, "min-responses", 0, "fewest answers per period (default 30)")
	fs.StringVar(&theme, "theme", "", "theme kinds: only this theme `id`")
	fs.Float64Var(&top, "top-percent", 0, "at_risk: high-value share by predicted CLV, in `percent` (default 10)")
	fs.Float64Var(&drop, "p-alive-drop", 0, "at_risk: fall of P(alive) in a week that fires, a `probability` (default 0.1)")
	fs.IntVar(&frt, "first-response-minutes", 0, "sla_breach: the first-response SLA in `minutes` (required)")
	fs.IntVar(&every, "every", 0, "scheduled kinds: run every `minutes` (default 60)")
	fs.Var(&subscribers, "subscriber", "email action: `address` told of every alert (repeatable or comma-separated)")
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	id, err := workspaceID(ws)
	if err != nil {
		return err
	}
	if name == "" {
		return usageErrorf("--name is required")
	}
	k := alert.Kind(kind)
	if !slices.Contains(alert.Kinds, k) {
		return usageErrorf("--kind: must be score, metric_change, emerging_theme, theme_sentiment, at_risk or sla_breach")
	}
	r := alert.Rule{Name: name, Kind: k, Survey: survey, CooldownSeconds: cooldown, SLAHours: sla,
		Params: alert.Params{Metric: metric, Alpha: alpha, MinResponses: minResponses, Theme: theme, TopPercent: top,
			PAliveDrop: drop, FirstResponseMinutes: frt, EveryMinutes: every, Subscribers: subscribers}}
	for _, x := range actions {
		r.Actions = append(r.Actions, alert.Action(x))
	}
	switch {
	case k == alert.KindScore && maxScore == -1000:
		return usageErrorf("--max-score is required for a score rule")
	case k == alert.KindScore:
		r.MaxScore = maxScore
	}
	if minValue >= 0 {
		r.MinCustomerValue = &minValue
	}
	if segment != "" {
		key, value, ok := strings.Cut(segment, "=")
		if !ok || strings.TrimSpace(key) == "" {
			return usageErrorf("--segment: %q is not key=value", segment)
		}
		r.SegmentKey, r.SegmentValue = key, value
	}
	if err := r.Validate(); err != nil {
		return usageErrorf("alert rule create: %v", err)
	}
	db, err := a.openDB(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	r, err = db.CreateAlertRule(ctx, id, r)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "created %s rule %q (id %d)\n", r.Kind, r.Name, r.ID)
	fmt.Fprintln(a.stdout, r.ID)
	return nil
}

// alertRuleDelete deletes an alert rule.
func (a *app) alertRuleDelete(ctx context.Context, args []string) error {
	fs := a.newFlagSet("alert rule delete", "--workspace ID RULE_ID", "Delete an alert rule; the alerts and cases it raised stay.")
	var ws string
	a.workspaceVar(fs, &ws)
	rest, err := a.parse(fs, args, false)
	if err != nil {
		return err
	}
	ruleID, err := oneID(rest, "RULE_ID")
	if err != nil {
		return err
	}
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.DeleteAlertRule(ctx, id, ruleID); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "deleted alert rule %d\n", ruleID)
	return nil
}

// oneID reads the single positional id argument.
func oneID(rest []string, what string) (int64, error) {
	if len(rest) != 1 {
		return 0, usageErrorf("expected one %s argument, got %d", what, len(rest))
	}
	n, err := strconv.ParseInt(rest[0], 10, 64)
	if err != nil || n <= 0 {
		return 0, usageErrorf("%s: %q is not an id (a positive number)", what, rest[0])
	}
	return n, nil
}
