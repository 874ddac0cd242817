package kpi

import (
	"math"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/metrics"
)

// outlierData: agents A, B and C handle five January tickets each; each
// ticket gets one CSAT answer joined by attributes.ticket, and a first
// response time chosen so that ln(1 + seconds) is a whole number.
//
//	      CSAT        ln(1 + FRT seconds)
//	A     1 2 1 2 1   5 6 5 6 5
//	B     5 4 5 4 5   3 4 3 4 3
//	C     4 5 4 5 4   4 3 4 3 4
//
// Agent W has two tickets with handle times only; a ticket without agent and
// one in February (with a CSAT 5 for A) are left out.
func outlierData() ([]cx.Ticket, []cx.Response) {
	csat := map[string][]int{"A": {1, 2, 1, 2, 1}, "B": {5, 4, 5, 4, 5}, "C": {4, 5, 4, 5, 4}}
	lnFRT := map[string][]float64{"A": {5, 6, 5, 6, 5}, "B": {3, 4, 3, 4, 3}, "C": {4, 3, 4, 3, 4}}
	open := at(2026, 1, 10)
	var ts []cx.Ticket
	var rs []cx.Response
	for _, a := range []string{"A", "B", "C"} {
		for i := range 5 {
			id := a + string(rune('0'+i))
			frt := time.Duration(math.Expm1(lnFRT[a][i]) * float64(time.Second))
			ts = append(ts, cx.Ticket{ExternalID: id, Customer: "c" + id, Agent: a, OpenedAt: open, FirstResponseAt: ptr(open.Add(frt))})
			rs = append(rs, cx.Response{Survey: "csat", Customer: "c" + id, SubmittedAt: open.Add(48 * time.Hour),
				Score: ptr(csat[a][i]), Attributes: cx.Attributes{"ticket": id}})
		}
	}
	ts = append(ts,
		cx.Ticket{ExternalID: "w1", Agent: "W", OpenedAt: open, HandleSeconds: ptr(100.0)},
		cx.Ticket{ExternalID: "w2", Agent: "W", OpenedAt: open, HandleSeconds: ptr(300.0)},
		cx.Ticket{ExternalID: "n1", OpenedAt: open, FirstResponseAt: ptr(open)},
		cx.Ticket{ExternalID: "f1", Agent: "A", OpenedAt: at(2026, 2, 2), FirstResponseAt: ptr(at(2026, 2, 2))},
	)
	rs = append(rs, cx.Response{Survey: "csat", Customer: "x", SubmittedAt: at(2026, 2, 3), Score: ptr(5), Attributes: cx.Attributes{"ticket": "f1"}})
	return ts, rs
}

// TestOutliersHandWorked. Each agent against the other two together
// (Welch: SE² = s²_a/n_a + s²_r/n_r, ν = SE⁴/((s²_a/n_a)²/(n_a − 1) +
// (s²_r/n_r)²/(n_r − 1)); Cohen's d with the pooled SD):
//
// CSAT, A vs B∪C: means 1.4 vs 4.5, variances 0.3 (1.2/4) and 0.27778
// (2.5/9); SE² = 0.06 + 0.027778 = 0.087778, t = −3.1/0.296273 = −10.4633,
// ν = 0.0077049/(0.0009 + 0.00008573) = 7.8165; pooled var (1.2 + 2.5)/13 =
// 0.284615, d = −3.1/0.533494 = −5.8108.
// CSAT, B vs A∪C: 4.6 vs 2.9, rest var 24.9/9 = 2.76667; SE² = 0.336667,
// t = 1.7/0.580230 = 2.92987, ν = 0.113344/(0.0009 + 0.0085049) = 12.0516.
// CSAT, C vs A∪B: 4.4 vs 3.0, rest var 28/9 = 3.11111; SE² = 0.371111,
// t = 1.4/0.609189 = 2.29814, ν = 0.137723/(0.0009 + 0.0107545) = 11.8173.
// BH over the three: p_A < p_B < p_C, so adj_C = p_C, adj_B =
// min(p_C, 3/2·p_B), adj_A = min(adj_B, 3·p_A).
//
// FRT on ln(1 + s), A vs B∪C: 5.4 vs 3.5, the same variances as CSAT A, so
// t = 1.9/0.296273 = 6.41300, ν = 7.8165; ratio of geometric means
// e^1.9 = 6.68589; d = 1.9/0.533494 = 3.56143.
func TestOutliersHandWorked(t *testing.T) {
	t.Parallel()
	ts, rs := outlierData()
	res := Outliers(ts, rs, month(2026, 1), OutlierOptions{Join: DefaultJoin()})
	if res.Definition != Definition(AgentOutliers) {
		t.Error("definition missing")
	}
	get := func(m AgentMetric, agent string) AgentComparison {
		for _, c := range res.Comparisons {
			if c.Metric == m && c.Agent == agent {
				return c
			}
		}
		t.Fatalf("no %s comparison for %s", m, agent)
		return AgentComparison{}
	}
	pOf := func(tstat, df float64) float64 { return 2 * metrics.TSurvival(math.Abs(tstat), df) }
	pA, pB, pC := pOf(-10.4633, 7.8165), pOf(2.92987, 12.0516), pOf(2.29814, 11.8173)

	a := get(AgentCSAT, "A")
	if a.N != 5 || a.RestN != 10 || !a.Valid {
		t.Fatalf("CSAT A: %+v", a)
	}
	near(t, "CSAT A mean", a.Mean, 1.4, 1e-12)
	near(t, "CSAT A rest mean", a.RestMean, 4.5, 1e-12)
	near(t, "CSAT A effect", a.Effect, -3.1, 1e-12)
	near(t, "CSAT A d", a.D, -5.8108, 1e-4)
	near(t, "CSAT A p", a.P/pA, 1, 1e-3)
	if !a.Outlier || !a.Worse {
		t.Errorf("CSAT A should be a worse outlier: %+v", a)
	}
	b, c := get(AgentCSAT, "B"), get(AgentCSAT, "C")
	near(t, "CSAT B p", b.P/pB, 1, 1e-3)
	near(t, "CSAT C p", c.P/pC, 1, 1e-3)
	near(t, "CSAT C adjusted", c.AdjustedP, c.P, 1e-15)
	near(t, "CSAT B adjusted", b.AdjustedP, math.Min(c.P, 1.5*b.P), 1e-15)
	near(t, "CSAT A adjusted", a.AdjustedP, math.Min(b.AdjustedP, 3*a.P), 1e-15)
	if b.Worse || c.Worse {
		t.Errorf("B and C score above the rest, so not worse: %+v %+v", b, c)
	}
	if ci := a.EffectCI; !(ci.Lower < -3.1 && ci.Upper > -3.1 && ci.Upper < 0) {
		t.Errorf("CSAT A effect CI %+v", ci)
	}

	f := get(AgentFRT, "A")
	near(t, "FRT A ratio", f.Effect, math.Exp(1.9), 1e-6)
	near(t, "FRT A geometric mean", f.Mean, math.Expm1(5.4), 1e-4)
	near(t, "FRT A d", f.D, 3.56143, 1e-4)
	near(t, "FRT A p", f.P/pOf(6.41300, 7.8165), 1, 1e-3)
	near(t, "FRT A median", f.Median, math.Expm1(5), 1e-4)
	if !f.Outlier || !f.Worse || !(f.EffectCI.Lower > 1 && f.EffectCI.Upper > f.Effect) {
		t.Errorf("FRT A should be a slow outlier: %+v", f)
	}
	if _, err := marshal(f); err != nil { // no NaN or Inf in the result
		t.Error(err)
	}

	w := get(AgentAHT, "W")
	if w.Valid || w.P != 1 || w.AdjustedP != 1 || w.Outlier || w.Reason == "" || w.N != 2 || w.RestN != 0 {
		t.Errorf("AHT W with 2 values and no rest: %+v", w)
	}
	for _, cmp := range res.Comparisons {
		if cmp.Agent == "" {
			t.Errorf("a ticket without agent made a comparison: %+v", cmp)
		}
		if cmp.Metric == AgentCSAT && cmp.Agent == "A" && cmp.N != 5 {
			t.Errorf("February's CSAT counted for A: %+v", cmp)
		}
	}
}

func TestOutliersNoData(t *testing.T) {
	t.Parallel()
	ts, rs := outlierData()
	tests := []struct {
		name string
		ts   []cx.Ticket
		rs   []cx.Response
		p    Period
	}{
		{"no tickets", nil, nil, month(2026, 1)},
		{"empty period", ts, rs, month(2026, 5)},
	}
	for _, tt := range tests {
		res := Outliers(tt.ts, tt.rs, tt.p, OutlierOptions{Join: DefaultJoin()})
		if len(res.Comparisons) != 0 {
			t.Errorf("%s: %+v", tt.name, res.Comparisons)
		}
	}
	// Without a join rule no CSAT is credited, the times are still compared.
	res := Outliers(ts, rs, month(2026, 1), OutlierOptions{})
	for _, c := range res.Comparisons {
		if c.Metric == AgentCSAT || c.Metric == AgentCES {
			t.Errorf("CSAT credited without a join: %+v", c)
		}
	}
	// A MinN above everyone's n leaves every test invalid, without NaN.
	for _, c := range Outliers(ts, rs, month(2026, 1), OutlierOptions{Join: DefaultJoin(), MinN: 50}).Comparisons {
		if c.Valid || c.Outlier || math.IsNaN(c.AdjustedP) || math.IsNaN(c.D) || math.IsNaN(c.Effect) {
			t.Errorf("MinN 50: %+v", c)
		}
	}
}

// TestOutliersPeers puts A and B in team "t1" and C alone in "t2", so A is
// compared with B only. CSAT A vs B: 1.4 vs 4.6, variances 0.3 and 0.3;
// SE² = 0.06 + 0.06 = 0.12, t = −3.2/0.346410 = −9.23760,
// ν = 0.12²/(2·0.06²/4) = 0.0144/0.0018 = 8. B vs A has the same |t| and
// p, so BH over the two valid tests leaves p unchanged; C has no peers and
// is not tested.
func TestOutliersPeers(t *testing.T) {
	t.Parallel()
	ts, rs := outlierData()
	for i := range ts {
		team := "t1"
		if ts[i].Agent == "C" {
			team = "t2"
		}
		ts[i].Attributes = cx.Attributes{"team": team}
	}
	team := func(t cx.Ticket) string { return t.Attributes.String("team") }
	res := Outliers(ts, rs, month(2026, 1), OutlierOptions{Join: DefaultJoin(), Peers: team})
	want := 2 * metrics.TSurvival(9.23760, 8)
	var seen int
	for _, c := range res.Comparisons {
		if c.Metric != AgentCSAT {
			continue
		}
		seen++
		switch c.Agent {
		case "A", "B":
			if c.Peers != "t1" || c.N != 5 || c.RestN != 5 || !c.Valid {
				t.Errorf("CSAT %s: %+v", c.Agent, c)
			}
			near(t, c.Agent+" p", c.P/want, 1, 1e-5)
			near(t, c.Agent+" adjusted p", c.AdjustedP, c.P, 1e-15)
		case "C":
			if c.Peers != "t2" || c.Valid || c.RestN != 0 {
				t.Errorf("CSAT C alone in t2: %+v", c)
			}
		}
	}
	if seen != 3 {
		t.Errorf("%d CSAT comparisons, want 3", seen)
	}
}
