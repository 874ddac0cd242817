package kpi

import (
	"strings"
	"testing"
)

// TestDefinitions checks that every KPI has one definition and that the
// definitions taken from DESIGN.md's KPI table start with its wording.
func TestDefinitions(t *testing.T) {
	t.Parallel()
	all := []Metric{ChurnRate, CRR, NRR, GRR, NCVG, ReferralRate, ReferredRevenue, SayVsDo, RedemptionRate,
		FRT, AHT, ResolutionTime, ReopenRate, AgentOutliers, ActivityRule}
	defs := Definitions()
	if len(defs) != len(all) {
		t.Errorf("%d definitions for %d metrics", len(defs), len(all))
	}
	seen := map[Metric]bool{}
	for _, d := range defs {
		if seen[d.Metric] {
			t.Errorf("%s defined twice", d.Metric)
		}
		seen[d.Metric] = true
		if d.Name == "" || d.Definition == "" {
			t.Errorf("%s: empty name or definition", d.Metric)
		}
	}
	for _, m := range all {
		if !seen[m] || Definition(m) == "" {
			t.Errorf("%s has no definition", m)
		}
	}
	design := []struct {
		m      Metric
		prefix string
	}{
		{ChurnRate, "customers lost in period / customers at start"},
		{CRR, "(customers at end − new in period) / customers at start"},
		{NRR, "(start revenue + expansion − contraction − churned) / start revenue"},
		{GRR, "(start revenue − contraction − churned) / start revenue"},
		{NCVG, "net customer value growth = (new customers − lost customers) as counts and as value (new customers' value − lost customers' value), absolute, per period"},
		{ReferralRate, "customers who actually referred someone / active customers"},
		{RedemptionRate, "points redeemed / points issued, per period"},
		{FRT, "first response time per ticket: median, p90, % within SLA"},
		{AHT, "average handle time (talk+hold+after-work or handling seconds) per ticket, per agent, per channel"},
	}
	for _, d := range design {
		if !strings.HasPrefix(Definition(d.m), d.prefix) {
			t.Errorf("%s: %q does not start with DESIGN.md's %q", d.m, Definition(d.m), d.prefix)
		}
	}
	if Definition("nps") != "" {
		t.Error("unknown metric has a definition")
	}
	defs[0].Definition = "changed"
	if Definition(defs[0].Metric) == "changed" {
		t.Error("Definitions returned the table itself")
	}
}
