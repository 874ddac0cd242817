package kpi

import (
	"testing"

	"github.com/cxlens/cxlens/internal/cx"
)

// TestRedemptionHandWorked: January 2026, a on plan "pro", b on "basic".
// Issued in January: a 100 + b 300 = 400; redeemed: a 50 (b's 100 on Feb 2
// and a's 30 on Dec 31 fall outside; z is not a customer).
// Rate = 50/400 = 0.125, N = 2 earn events; pro 50/100 = 0.5, basic 0/300 = 0.
func TestRedemptionHandWorked(t *testing.T) {
	t.Parallel()
	a, b := cust("a", at(2025, 1, 1)), cust("b", at(2025, 1, 1))
	a.Attributes = cx.Attributes{"plan": "pro"}
	b.Attributes = cx.Attributes{"plan": "basic"}
	d := Data{Customers: []cx.Customer{a, b}, Events: []cx.Event{
		ev("a", cx.LoyaltyEarn, at(2026, 1, 3), 100), ev("b", cx.LoyaltyEarn, at(2026, 1, 10), 300),
		ev("a", cx.LoyaltyRedeem, at(2026, 1, 20), 50), ev("b", cx.LoyaltyRedeem, at(2026, 2, 2), 100),
		ev("a", cx.LoyaltyEarn, at(2025, 12, 30), 200), ev("a", cx.LoyaltyRedeem, at(2025, 12, 31), 30),
		ev("z", cx.LoyaltyEarn, at(2026, 1, 5), 1000),
	}}
	r := Redemption(d, month(2026, 1), Options{})
	near(t, "rate", r.Value, 0.125, 1e-12)
	if r.N != 2 || r.Numerator != 50 || r.Denominator != 400 || r.Definition != Definition(RedemptionRate) {
		t.Errorf("rate: %+v", r)
	}
	cells := Table(d, []Period{month(2026, 1), month(2026, 3)}, ByAttribute("plan"),
		func(d Data, p Period) Rate { return Redemption(d, p, Options{}) })
	want := []struct {
		seg    string
		value  float64
		noData bool
	}{{"basic", 0, false}, {"basic", 0, true}, {"pro", 0.5, false}, {"pro", 0, true}}
	if len(cells) != len(want) {
		t.Fatalf("%d cells, want %d", len(cells), len(want))
	}
	for i, w := range want {
		c := cells[i]
		noNaN(t, c.Segment, c.Result)
		if c.Segment != w.seg || c.Result.Value != w.value || c.Result.NoData != w.noData {
			t.Errorf("cell %d: %s %v = %+v, want %+v", i, c.Segment, c.Period, c.Result, w)
		}
	}
}
