package value

import (
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/demo"
	"github.com/cxlens/cxlens/internal/kpi"
)

// demoData is the demo workspace (seed 1, 1,500 customers, 18 months to
// 2026-11-01) as kpi.Data.
func demoData() kpi.Data {
	ds := demo.Generate(demo.Options{Seed: 1, Customers: 1500, Now: demoEnd})
	return kpi.Data{Customers: ds.Customers, Events: ds.Events, Tickets: ds.Tickets, Responses: ds.Responses}
}

var demoEnd = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func TestDemoROI(t *testing.T) {
	d := demoData()
	asOf := demoEnd.AddDate(0, -6, 0)
	res, err := ROI(d, ROIOptions{AsOf: asOf, End: demoEnd, Surveys: []string{"nps", "nps-onboarding"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("bgnbd %v gg %v spend %s buyers %d repeat %d", res.Predictions.BGNBD, res.Predictions.GammaGamma, res.Predictions.SpendModel, res.Predictions.Buyers, res.Predictions.RepeatBuyers)
	t.Logf("n %d clv %+v", res.N, res.CLV)
	for _, h := range res.Horizons {
		for _, g := range h.Groups {
			t.Logf("%2dm %-10s n %4d ret %.3f [%.3f,%.3f] rev %.0f [%.0f,%.0f] buys %.2f refs %.3f", h.Months, g.Group, g.N, g.Retention.Value, g.Retention.Low, g.Retention.High, g.Revenue.Value, g.Revenue.Low, g.Revenue.High, g.Purchases.Value, g.Referrals.Value)
		}
		for _, df := range h.Differences {
			t.Logf("%2dm %-10s %s−%s %.3f [%.3f,%.3f] p %.2g", h.Months, df.Measure, df.A, df.B, df.Estimate, df.Low, df.High, df.P)
		}
	}
	t.Logf("rar %+v", *res.RevenueAtRisk)
	t.Logf("whatif %+v", *res.WhatIf)
}
