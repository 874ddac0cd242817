package value

import (
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/demo"
	"github.com/cxlens/cxlens/internal/kpi"
)

var demoEnd = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// demoData is the demo workspace (seed 1, 1,500 customers, 18 months to
// 2026-11-01) as kpi.Data.
func demoData() kpi.Data {
	ds := demo.Generate(demo.Options{Seed: 1, Customers: 1500, Now: demoEnd})
	return kpi.Data{Customers: ds.Customers, Events: ds.Events, Tickets: ds.Tickets, Responses: ds.Responses}
}

// TestDemoROI runs the say-vs-do analysis on the demo workspace, grouping
// the customers active on 2026-05-01 by their latest NPS answer (relationship
// and onboarding surveys) and following them for 3 and 6 months (12 would end
// after the data): the generator makes promoters spend more and churn less,
// and ROI must see it, significantly, at 6 months. The figures are logged
// (go test -v) for the README.
func TestDemoROI(t *testing.T) {
	t.Parallel()
	d := demoData()
	asOf := demoEnd.AddDate(0, -6, 0)
	res, err := ROI(d, ROIOptions{AsOf: asOf, End: demoEnd, Surveys: []string{"nps", "nps-onboarding"}})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Predictions
	t.Logf("as of %s: %d buyers (%d repeat), BG/NBD %.4v, spend %s %.4v", asOf.Format("2006-01-02"), p.Buyers, p.RepeatBuyers, p.BGNBD, p.SpendModel, p.GammaGamma)
	for i, e := range res.CLV {
		t.Logf("predicted 12-month CLV %-10s n %3d  %.0f [%.0f, %.0f]", res.Labels[i], e.N, e.Value, e.Low, e.High)
	}
	for _, h := range res.Horizons {
		for _, g := range h.Groups {
			t.Logf("%dm %-10s n %3d  retention %.3f [%.3f, %.3f]  revenue %.0f [%.0f, %.0f]  purchases %.2f  referrals %.3f",
				h.Months, g.Group, g.N, g.Retention.Value, g.Retention.Low, g.Retention.High, g.Revenue.Value, g.Revenue.Low, g.Revenue.High, g.Purchases.Value, g.Referrals.Value)
		}
		for _, df := range h.Differences {
			t.Logf("%dm %-9s %s − %s  %+.3f [%.3f, %.3f]  p %.2g", h.Months, df.Measure, df.A, df.B, df.Estimate, df.Low, df.High, df.P)
		}
	}
	if len(res.Horizons) != 2 || res.Horizons[1].Months != 6 || len(res.Skipped) != 1 {
		t.Fatalf("horizons %+v skipped %v", res.Horizons, res.Skipped)
	}
	six := res.Horizons[1]
	for _, df := range six.Differences {
		if df.B != "detractors" || (df.Measure != MeasureRetention && df.Measure != MeasureRevenue) {
			continue
		}
		if !(df.Estimate > 0 && df.Low > 0 && df.P < 0.01) {
			t.Errorf("6 months: promoters − detractors %s = %+v, want clearly positive", df.Measure, df)
		}
	}
	rar, wi := res.RevenueAtRisk, res.WhatIf
	t.Logf("revenue at risk: %d detractors' trailing revenue %.0f × excess churn %.3f [%.3f, %.3f] = %.0f [%.0f, %.0f]",
		rar.Customers, rar.Value, rar.ExcessChurn.Value, rar.ExcessChurn.Low, rar.ExcessChurn.High, rar.AtRisk.Value, rar.AtRisk.Low, rar.AtRisk.High)
	t.Logf("what-if %.0f%% of passives (%.1f customers) become promoters: revenue %+.0f [%.0f, %.0f] over %d months, retained %+.2f [%.2f, %.2f], CLV %+.0f [%.0f, %.0f]",
		100*wi.Share, wi.Moved, wi.Revenue.Value, wi.Revenue.Low, wi.Revenue.High, wi.HorizonMonths, wi.Retained.Value, wi.Retained.Low, wi.Retained.High, wi.CLV.Value, wi.CLV.Low, wi.CLV.High)
	if !(rar.AtRisk.Value > 0 && wi.Revenue.Value > 0 && wi.Revenue.Low > 0) {
		t.Errorf("revenue at risk %+v, what-if %+v", rar, wi)
	}
}

// TestDemoLists runs the at-risk and advocate lists on the demo workspace at
// its end: recent detractors must be among the boosted, and every advocate
// is a promoter who has not referred anyone.
func TestDemoLists(t *testing.T) {
	t.Parallel()
	d := demoData()
	risk, err := AtRisk(d, RiskOptions{AsOf: demoEnd, NPSSurveys: []string{"nps", "nps-onboarding"}, Limit: MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	boosted := 0
	for i, e := range risk.Items {
		if len(e.Reasons) > 1 {
			boosted++
		}
		if i < 5 {
			t.Logf("at risk #%d %s: CLV %.0f × risk %.2f = %.0f; %v", e.Rank, e.Customer, e.PredictedCLV, e.Risk, e.ValueAtRisk, reasons(e.Reasons))
		}
	}
	t.Logf("at risk: %d customers with value at risk, %d boosted by a recent survey answer", risk.Total, boosted)
	if risk.Total == 0 || boosted == 0 {
		t.Errorf("at risk %d, boosted %d", risk.Total, boosted)
	}
	adv, err := Advocates(d, AdvocateOptions{AsOf: demoEnd, NPSSurveys: []string{"nps", "nps-onboarding"}, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range adv.Items {
		t.Logf("advocate #%d %s: NPS %d on %s, CLV %.0f, revenue %.0f", a.Rank, a.Customer, a.Score, a.AnsweredAt.Format("2006-01-02"), a.PredictedCLV, a.Revenue)
		if a.Score < 9 {
			t.Errorf("advocate %+v", a)
		}
	}
	t.Logf("advocates: %d promoters who have not referred anyone", adv.Total)
	if adv.Total == 0 {
		t.Error("no advocates")
	}
}

func reasons(rs []Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Code + ": " + r.Detail
	}
	return out
}
