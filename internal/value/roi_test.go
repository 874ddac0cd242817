package value

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
)

var roiAsOf = day(2026, 1, 1)

// roiData is a hand-made say-vs-do case: every customer subscribed on
// 2025-01-01 and answered NPS on 2025-12-01; the horizon is 3 months,
// [2026-01-01, 2026-04-01).
//
//	promoters  p1 10, p2 9, p3 10: revenue 100, 300, 200 − 50 refund = 150;
//	           none churns; p1 refers once.
//	passives   m1 8, m2 7: revenue 50, 150; m2 churns 2026-02-01.
//	detractors d1 3, d2 6, d3 0: revenue 0, 60, 30; d1 and d2 churn
//	           2026-02-15. Trailing 12-month revenue: d1 400, d2 200 → 600.
//	x1 never answered; x2 (detractor) churned before the date: neither is
//	grouped. p1 answered 2 (detractor) before its 10: the latest counts.
func roiData() kpi.Data {
	start := day(2025, 1, 1)
	ask := day(2025, 12, 1)
	var d kpi.Data
	for _, id := range []string{"p1", "p2", "p3", "m1", "m2", "d1", "d2", "d3", "x1", "x2"} {
		d.Customers = append(d.Customers, customer(id, start))
	}
	scores := map[string]int{"p1": 10, "p2": 9, "p3": 10, "m1": 8, "m2": 7, "d1": 3, "d2": 6, "d3": 0, "x2": 2}
	for _, c := range d.Customers {
		if s, ok := scores[c.ExternalID]; ok {
			d.Responses = append(d.Responses, answerOf(c.ExternalID, "nps", s, ask))
		}
	}
	d.Responses = append(d.Responses, answerOf("p1", "nps", 2, day(2025, 6, 1)), answerOf("m1", "csat", 1, ask))
	in := day(2026, 2, 1)
	d.Events = append(d.Events,
		event("p1", cx.Purchase, in, 100), event("p2", cx.Purchase, in, 300), event("p3", cx.Purchase, in, 200),
		event("p3", cx.Refund, in.Add(time.Hour), 50), event("p1", cx.Referral, in, 0),
		event("m1", cx.Purchase, in, 50), event("m2", cx.Purchase, day(2026, 1, 15), 150), event("m2", cx.Churn, in, 0),
		event("d2", cx.Purchase, day(2026, 1, 10), 60), event("d3", cx.Purchase, in, 30),
		event("d1", cx.Churn, day(2026, 2, 15), 0), event("d2", cx.Churn, day(2026, 2, 15), 0),
		event("d1", cx.Purchase, day(2025, 6, 1), 400), event("d2", cx.Purchase, day(2025, 9, 1), 200),
		event("x2", cx.Churn, day(2025, 12, 15), 0),
		event("x1", cx.Purchase, day(2026, 12, 31), 1), // the end of the data
	)
	return d
}

func TestROIHandWorked(t *testing.T) {
	t.Parallel()
	res, err := ROI(roiData(), ROIOptions{AsOf: roiAsOf, Horizons: []int{3, 24}, WhatIfShare: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if res.N != 8 || len(res.Horizons) != 1 || len(res.Skipped) != 1 || res.Skipped[0] != 24 {
		t.Fatalf("n %d, horizons %+v, skipped %v", res.N, res.Horizons, res.Skipped)
	}
	h := res.Horizons[0]
	const tol = 1e-9
	// Retention 3/3, 1/2, 1/3; revenue means 550/3, 100, 30; purchases
	// 1, 1, 2/3; referrals 1/3, 0, 0.
	want := []struct {
		group                string
		n                    int
		ret, rev, buys, refs float64
	}{
		{"promoters", 3, 1, 550.0 / 3, 1, 1.0 / 3},
		{"passives", 2, 0.5, 100, 1, 0},
		{"detractors", 3, 1.0 / 3, 30, 2.0 / 3, 0},
	}
	for i, w := range want {
		g := h.Groups[i]
		if g.Group != w.group || g.N != w.n || !near(g.Retention.Value, w.ret, tol) || !near(g.Revenue.Value, w.rev, tol) ||
			!near(g.Purchases.Value, w.buys, tol) || !near(g.Referrals.Value, w.refs, tol) {
			t.Errorf("group %d = %+v, want %+v", i, g, w)
		}
		if !(g.Retention.Low <= g.Retention.Value && g.Retention.Value <= g.Retention.High) {
			t.Errorf("%s: retention CI %+v", g.Group, g.Retention)
		}
	}
	diff := func(measure, b string) Difference {
		for _, d := range h.Differences {
			if d.Measure == measure && d.B == b {
				return d
			}
		}
		t.Fatalf("no %s difference with %s", measure, b)
		return Difference{}
	}
	// Retention promoters − detractors = 1 − 1/3; revenue 550/3 − 30 =
	// 153.33 and 550/3 − 100 = 83.33.
	if d := diff(MeasureRetention, "detractors"); !near(d.Estimate, 2.0/3, tol) || d.A != "promoters" {
		t.Errorf("retention difference %+v", d)
	}
	if d := diff(MeasureRevenue, "detractors"); !near(d.Estimate, 550.0/3-30, tol) {
		t.Errorf("revenue difference %+v", d)
	}
	// Welch SE of promoters − passives revenue: promoters 100, 300, 150
	// (mean 183.33; squared deviations 6944.4 + 13611.1 + 1111.1 =
	// 21666.7, variance 10833.3, /3 = 3611.1); passives 50, 150 (variance
	// 5000, /2 = 2500): SE = √6111.1 = 78.174.
	pm := diff(MeasureRevenue, "passives")
	if !near(pm.Estimate, 250.0/3, tol) || !near(pm.SE, math.Sqrt(32500.0/3/3+2500), 1e-9) || !(pm.Low < pm.Estimate && pm.Estimate < pm.High) {
		t.Errorf("revenue promoters − passives %+v", pm)
	}

	// Revenue at risk: detractors' trailing revenue 400 + 200 + 0 = 600;
	// churn 2/3 vs 0, excess 2/3: 600 × 2/3 = 400.
	rar := res.RevenueAtRisk
	if rar == nil || rar.Customers != 3 || rar.Value != 600 || !near(rar.ExcessChurn.Value, 2.0/3, tol) || !near(rar.AtRisk.Value, 400, 1e-9) ||
		rar.HorizonMonths != 3 || !near(rar.AtRisk.High, 600*rar.ExcessChurn.High, 1e-9) || rar.AtRisk.Low < 0 {
		t.Errorf("revenue at risk %+v", rar)
	}

	// What-if, X = 0.5 of 2 passives = 1 customer moved: revenue uplift
	// 1 × 83.33 (SE 78.17), retention 1 × (1 − 0.5) = 0.5 customers.
	wi := res.WhatIf
	if wi == nil || wi.Moved != 1 || !near(wi.Revenue.Value, 250.0/3, tol) || !near(wi.Revenue.SE, pm.SE, tol) ||
		!near(wi.Revenue.Low, pm.Low, tol) || !near(wi.Retained.Value, 0.5, tol) {
		t.Errorf("what-if %+v", wi)
	}
}

func TestROIRiskBasisCLV(t *testing.T) {
	t.Parallel()
	// The hand-made buyers alone are too few to fit BG/NBD: add a
	// simulated population, who answered no survey and so join no group.
	d := roiData()
	pop := population(300)
	d.Customers, d.Events = append(d.Customers, pop.Customers...), append(d.Events, pop.Events...)
	res, err := ROI(d, ROIOptions{AsOf: roiAsOf, Horizons: []int{3}, RiskBasis: RiskPredictedCLV})
	if err != nil {
		t.Fatal(err)
	}
	// V_low = Σ of the detractors' predicted CLV; at risk = V_low × 2/3.
	v := 0.0
	for _, id := range []string{"d1", "d2", "d3"} {
		p, _ := res.Predictions.Get(id)
		v += p.PredictedCLV
	}
	rar := res.RevenueAtRisk
	t.Logf("detractors' predicted CLV %g (model: %v %s)", v, res.Predictions.BGNBD, res.Predictions.Reason)
	if res.N != 8 || rar.Basis != RiskPredictedCLV || v <= 0 || !near(rar.Value, v, 1e-9) || !near(rar.AtRisk.Value, v*2/3, 1e-9) {
		t.Errorf("revenue at risk %+v, want value %g", rar, v)
	}
}

func TestROIWhatIfScales(t *testing.T) {
	t.Parallel()
	// The uplift and its interval are linear in X: doubling X doubles them.
	a, err := ROI(roiData(), ROIOptions{AsOf: roiAsOf, Horizons: []int{3}, WhatIfShare: 0.25})
	if err != nil {
		t.Fatal(err)
	}
	b, err := ROI(roiData(), ROIOptions{AsOf: roiAsOf, Horizons: []int{3}, WhatIfShare: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if !near(2*a.WhatIf.Revenue.Value, b.WhatIf.Revenue.Value, 1e-9) || !near(2*a.WhatIf.Revenue.High, b.WhatIf.Revenue.High, 1e-9) ||
		!near(2*a.WhatIf.Retained.SE, b.WhatIf.Retained.SE, 1e-12) {
		t.Errorf("X 0.25 %+v, X 0.5 %+v", a.WhatIf, b.WhatIf)
	}
}

func TestROIBases(t *testing.T) {
	t.Parallel()
	d := roiData()
	res, err := ROI(d, ROIOptions{AsOf: roiAsOf, Basis: BasisCSAT, Horizons: []int{3}})
	if err != nil {
		t.Fatal(err)
	}
	// Only m1 answered CSAT (1: dissatisfied).
	if res.N != 1 || res.Labels != [3]string{"satisfied", "neutral", "dissatisfied"} || res.Horizons[0].Groups[2].N != 1 {
		t.Errorf("csat: %+v", res)
	}
	tests := []struct {
		basis Basis
		score int
		want  Band
		ok    bool
	}{
		{BasisNPS, 10, High, true}, {BasisNPS, 9, High, true}, {BasisNPS, 8, Middle, true}, {BasisNPS, 7, Middle, true},
		{BasisNPS, 6, Low, true}, {BasisNPS, 0, Low, true}, {BasisNPS, 11, 0, false},
		{BasisCSAT, 4, High, true}, {BasisCSAT, 3, Middle, true}, {BasisCSAT, 2, Low, true}, {BasisCSAT, 0, 0, false},
		{BasisCES, 5, High, true}, {BasisCES, 4, Middle, true}, {BasisCES, 3, Low, true}, {BasisCES, 8, 0, false},
	}
	for _, tc := range tests {
		if got, ok := tc.basis.Band(tc.score); got != tc.want || ok != tc.ok {
			t.Errorf("%s %d: %v %v, want %v %v", tc.basis, tc.score, got, ok, tc.want, tc.ok)
		}
	}
}

func TestROIInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		o     ROIOptions
		field string
	}{
		{"no date", ROIOptions{}, "as_of"},
		{"basis", ROIOptions{AsOf: roiAsOf, Basis: "ltv"}, "basis"},
		{"horizon", ROIOptions{AsOf: roiAsOf, Horizons: []int{0}}, "horizons"},
		{"share", ROIOptions{AsOf: roiAsOf, WhatIfShare: 2}, "what_if_share"},
		{"risk basis", ROIOptions{AsOf: roiAsOf, RiskBasis: "mrr"}, "risk_basis"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ROI(roiData(), tc.o)
			if !errors.Is(err, cx.ErrInvalid) || !containsField(err, tc.field) {
				t.Errorf("err = %v, want invalid %s", err, tc.field)
			}
		})
	}
}
