package kpi

import (
	"testing"

	"github.com/cxlens/cxlens/internal/cx"
)

// mrrData is January 2026 for seven subscribers (MRR from
// subscription_change values):
//
//	a  100 since Dec 1, 150 on Jan 15            expansion 50
//	b  200 since Dec 1, 120 on Jan 10            contraction 80
//	c   50 since Dec 1, churns Jan 20            churned 50
//	d   80 since Dec 1, cancels (0) Jan 5        churned 80
//	e  300 from Jan 10                           new: not in the cohort
//	f   60 since Nov 1, 90 Jan 5, 60 Jan 25      net 0: neither
//	g   40 Dec 1, churn Dec 20, back Jan 3, 40 Jan 4   MRR 0 at start: not in the cohort
//
// start MRR = 100 + 200 + 50 + 80 + 60 = 490 over 5 customers,
// end MRR = 150 + 120 + 0 + 0 + 60 = 330,
// NRR = (490 + 50 − 80 − 130)/490 = 330/490 = 0.6734693877,
// GRR = (490 − 80 − 130)/490 = 280/490 = 0.5714285714.
func mrrData() Data {
	dec1 := at(2025, 12, 1)
	var cs []cx.Customer
	for _, id := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		cs = append(cs, cust(id, at(2025, 11, 1)))
	}
	return Data{Customers: cs, Events: []cx.Event{
		ev("a", cx.SubscriptionChange, dec1, 100), ev("a", cx.SubscriptionChange, at(2026, 1, 15), 150),
		ev("b", cx.SubscriptionChange, dec1, 200), ev("b", cx.SubscriptionChange, at(2026, 1, 10), 120),
		ev("c", cx.SubscriptionChange, dec1, 50), ev("c", cx.Churn, at(2026, 1, 20), 0),
		ev("d", cx.SubscriptionChange, dec1, 80), ev("d", cx.SubscriptionChange, at(2026, 1, 5), 0),
		ev("e", cx.SubscriptionChange, at(2026, 1, 10), 300),
		ev("f", cx.SubscriptionChange, at(2025, 11, 1), 60), ev("f", cx.SubscriptionChange, at(2026, 1, 5), 90),
		ev("f", cx.SubscriptionChange, at(2026, 1, 25), 60),
		ev("g", cx.SubscriptionChange, dec1, 40), ev("g", cx.Churn, at(2025, 12, 20), 0),
		ev("g", cx.Reactivate, at(2026, 1, 3), 0), ev("g", cx.SubscriptionChange, at(2026, 1, 4), 40),
		ev("a", cx.Purchase, at(2026, 1, 2), 999), // not MRR
	}}
}

func TestRevenueRetentionHandWorked(t *testing.T) {
	t.Parallel()
	r := RevenueRetention(mrrData(), month(2026, 1), Options{})
	if r.Customers != 5 {
		t.Errorf("customers = %d, want 5", r.Customers)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"start MRR", r.StartMRR, 490}, {"end MRR", r.EndMRR, 330},
		{"expansion", r.Expansion, 50}, {"contraction", r.Contraction, 80}, {"churned", r.Churned, 130},
		{"NRR", r.NRR.Value, 330.0 / 490}, {"GRR", r.GRR.Value, 280.0 / 490},
	} {
		near(t, c.name, c.got, c.want, 1e-12)
	}
	if r.NRR.N != 5 || r.NRR.Definition != Definition(NRR) || r.GRR.Definition != Definition(GRR) {
		t.Errorf("NRR meta: %+v", r.NRR)
	}
}

func TestRevenueRetentionNoData(t *testing.T) {
	t.Parallel()
	for name, d := range map[string]Data{
		"empty":          {},
		"no subscribers": retentionData(),
	} {
		r := RevenueRetention(d, month(2026, 1), Options{})
		for _, rate := range []Rate{r.NRR, r.GRR} {
			noNaN(t, name, rate)
			if !rate.NoData || rate.Value != 0 {
				t.Errorf("%s: %+v, want NoData", name, rate)
			}
		}
	}
}

func TestMRRAt(t *testing.T) {
	t.Parallel()
	got := MRRAt(mrrData().Events, at(2026, 2, 1))
	want := map[string]float64{"a": 150, "b": 120, "c": 0, "d": 0, "e": 300, "f": 60, "g": 40}
	if len(got) != len(want) {
		t.Errorf("MRRAt has %d customers, want %d: %v", len(got), len(want), got)
	}
	for c, v := range want {
		if got[c] != v {
			t.Errorf("MRR of %s = %v, want %v", c, got[c], v)
		}
	}
	// At Jan 20 exactly, c's churn at Jan 20 is not yet applied (strictly before).
	if v := MRRAt(mrrData().Events, at(2026, 1, 20))["c"]; v != 50 {
		t.Errorf("MRR of c at its churn instant = %v, want 50", v)
	}
}

// TestNCVGHandWorked uses retentionData (new = {d, e}, lost = {b, i}) with
// January purchases: d 100; e 30 less a refund of 10 = 20; b 40; a 500 (a is
// neither new nor lost).
//
// Counts: 2 − 2 = 0. Revenue: new 100 + 20 = 120, lost 40 + 0 = 40, net 80.
// With the value map {d: 1000, e: 10, b: 300}: new 1010, lost 300, net 710.
func TestNCVGHandWorked(t *testing.T) {
	t.Parallel()
	d := retentionData()
	d.Events = append(d.Events,
		ev("d", cx.Purchase, at(2026, 1, 20), 100),
		ev("e", cx.Purchase, at(2026, 1, 4), 30), ev("e", cx.Refund, at(2026, 1, 6), 10),
		ev("b", cx.Purchase, at(2026, 1, 2), 40),
		ev("a", cx.Purchase, at(2026, 1, 2), 500),
		ev("d", cx.Purchase, at(2026, 2, 2), 777), // next period
	)
	tests := []struct {
		name              string
		value             map[string]float64
		newV, lostV, netV float64
	}{
		{"revenue in period", nil, 120, 40, 80},
		{"value map", map[string]float64{"d": 1000, "e": 10, "b": 300}, 1010, 300, 710},
	}
	for _, tt := range tests {
		r := NetCustomerValueGrowth(d, month(2026, 1), Options{}, tt.value)
		if r.New != 2 || r.Lost != 2 || r.Net != 0 || r.N != 6 || r.NoData {
			t.Errorf("%s: counts %+v", tt.name, r)
		}
		near(t, tt.name+" new value", r.NewValue, tt.newV, 1e-12)
		near(t, tt.name+" lost value", r.LostValue, tt.lostV, 1e-12)
		near(t, tt.name+" net value", r.NetValue, tt.netV, 1e-12)
		if r.Definition != Definition(NCVG) {
			t.Errorf("%s: definition %q", tt.name, r.Definition)
		}
	}
	if r := NetCustomerValueGrowth(Data{}, month(2026, 1), Options{}, nil); !r.NoData || r.Reason == "" {
		t.Errorf("empty: %+v, want NoData", r)
	}
}
