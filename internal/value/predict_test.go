package value

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/clv"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
)

var predictAsOf = day(2026, 4, 6)

// population simulates n BG/NBD customers (r 0.25, α 4, a 0.8, b 2.5 per
// week, close to CDNOW) who first bought between 2025-01-06 and 2026-01-05,
// so the fits have something to fit.
func population(n int) kpi.Data {
	m := clv.BGNBD{R: 0.25, Alpha: 4, A: 0.8, B: 2.5}
	rng := rand.New(rand.NewPCG(1, 2))
	var d kpi.Data
	for i := range n {
		id := fmt.Sprintf("sim-%04d", i)
		first := day(2025, 1, 6).AddDate(0, 0, 7*rng.IntN(53))
		d.Customers = append(d.Customers, customer(id, first))
		T := predictAsOf.Sub(first).Hours() / (7 * 24)
		d.Events = append(d.Events, event(id, cx.Purchase, first, 20+80*rng.Float64()))
		for _, t := range m.Simulate(rng, T) {
			at := first.Add(time.Duration(t * float64(clv.Week)))
			d.Events = append(d.Events, event(id, cx.Purchase, at, 20+80*rng.Float64()))
		}
	}
	return d
}

// handMade adds two customers whose summaries are worked out by hand:
//
//	a: purchases 2026-01-05 100 + 50 (same day, merged: 150), 2026-02-02 80,
//	   2026-03-02 120, a refund of 30 on 2026-03-10, and 999 after the date.
//	   x = 2; t_x = Jan 5 → Mar 2 = 56 days = 8 weeks; T = Jan 5 → Apr 6 =
//	   91 days = 13 weeks; repeat mean z̄ = (80+120)/2 = 100;
//	   revenue = 150 + 80 + 120 − 30 = 320; historical CLV at margin 0.5 = 160;
//	   empirical spend = 350 / 3 merged purchases = 116.67.
//	b: a customer who never bought.
func handMade(d kpi.Data) kpi.Data {
	d.Customers = append(d.Customers, customer("a", day(2025, 12, 1)), customer("b", day(2025, 12, 1)))
	d.Events = append(d.Events,
		event("a", cx.Purchase, day(2026, 1, 5), 100), event("a", cx.Purchase, day(2026, 1, 5).Add(time.Hour), 50),
		event("a", cx.Purchase, day(2026, 2, 2), 80), event("a", cx.Purchase, day(2026, 3, 2), 120),
		event("a", cx.Refund, day(2026, 3, 10), 30), event("a", cx.Purchase, day(2026, 6, 1), 999),
		event("a", cx.Referral, day(2026, 3, 1), 0),
	)
	return d
}

func TestPredict(t *testing.T) {
	t.Parallel()
	d := handMade(population(400))
	tests := []struct {
		name       string
		minRepeat  int
		spendModel string
	}{
		{"gamma-gamma", 0, "gamma-gamma"},
		{"empirical below min repeat buyers", 10_000, "empirical"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := Predict(d, PredictOptions{AsOf: predictAsOf, Margin: 0.5, MinRepeatBuyers: tc.minRepeat})
			if err != nil {
				t.Fatal(err)
			}
			if res.SpendModel != tc.spendModel || res.Unit != "week" || res.HorizonDays != 90 || res.Months != 12 || res.MonthlyDiscount != 0.01 {
				t.Fatalf("options: %+v", res)
			}
			if len(res.Customers) != 402 || !sort.SliceIsSorted(res.Customers, func(i, j int) bool { return res.Customers[i].Customer < res.Customers[j].Customer }) {
				t.Fatalf("want 402 customers in id order")
			}
			a, _ := res.Get("a")
			if !a.Modelled || a.Purchases != 3 || a.Frequency != 2 || a.Recency != 8 || a.Age != 13 || a.Revenue != 320 || a.HistoricalCLV != 160 {
				t.Errorf("a = %+v", a)
			}
			m := clv.BGNBD{R: res.BGNBD["r"], Alpha: res.BGNBD["alpha"], A: res.BGNBD["a"], B: res.BGNBD["b"]}
			if !near(m.R, 0.25, 0.1) || !near(m.A, 0.8, 0.5) {
				t.Logf("fitted %v (simulated from r 0.25, α 4, a 0.8, b 2.5)", res.BGNBD)
			}
			spend := 350.0 / 3
			if tc.spendModel == "gamma-gamma" {
				gg := clv.GammaGamma{P: res.GammaGamma["p"], Q: res.GammaGamma["q"], Gamma: res.GammaGamma["gamma"]}
				spend = gg.ConditionalMean(2, 100)
			}
			s := clv.Summary{CustomerID: "a", X: 2, Tx: 8, T: 13, Monetary: 100}
			want, err := clv.DiscountedCLV(m, s, spend, clv.CLVOptions{Months: 12, MonthlyDiscount: 0.01, Margin: 0.5, UnitsPerMonth: 365.25 / 12 / 7})
			if err != nil {
				t.Fatal(err)
			}
			if !near(a.PAlive, m.PAlive(2, 8, 13), 1e-12) || !near(a.ExpectedPurchases, m.ConditionalExpected(90.0/7, 2, 8, 13), 1e-12) ||
				!near(a.ExpectedSpend, spend, 1e-9) || !near(a.PredictedCLV, want, 1e-9) || a.PredictedCLV <= 0 {
				t.Errorf("a = %+v, want P(alive) %g, E[Y] %g, spend %g, CLV %g", a, m.PAlive(2, 8, 13), m.ConditionalExpected(90.0/7, 2, 8, 13), spend, want)
			}
			b, _ := res.Get("b")
			if b != (Prediction{Customer: "b"}) {
				t.Errorf("b = %+v, want an unmodelled zero prediction", b)
			}
		})
	}
}

func TestPredictDays(t *testing.T) {
	t.Parallel()
	res, err := Predict(handMade(population(300)), PredictOptions{AsOf: predictAsOf, Unit: clv.Day})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := res.Get("a")
	if res.Unit != "day" || a.Recency != 56 || a.Age != 91 || a.HistoricalCLV != 320 {
		t.Errorf("unit %s, a = %+v", res.Unit, a)
	}
}

func TestPredictNoModel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		d    kpi.Data
	}{
		{"no purchases", kpi.Data{Customers: []cx.Customer{customer("b", day(2025, 1, 1))}}},
		{"empty", kpi.Data{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := Predict(tc.d, PredictOptions{AsOf: predictAsOf})
			if err != nil {
				t.Fatal(err)
			}
			if res.Reason == "" || res.BGNBD != nil || len(res.Customers) != len(tc.d.Customers) {
				t.Errorf("got %+v", res)
			}
		})
	}
}

func TestPredictInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		o     PredictOptions
		field string
	}{
		{"no date", PredictOptions{}, "as_of"},
		{"margin", PredictOptions{AsOf: predictAsOf, Margin: 1.5}, "margin"},
		{"months", PredictOptions{AsOf: predictAsOf, Months: -1}, "months"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Predict(kpi.Data{}, tc.o)
			if !errors.Is(err, cx.ErrInvalid) || !containsField(err, tc.field) {
				t.Errorf("err = %v, want invalid %s", err, tc.field)
			}
		})
	}
}
