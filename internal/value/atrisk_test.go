package value

import (
	"errors"
	"fmt"
	"testing"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
)

func TestBoostedRisk(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		pAlive float64
		boosts []float64
		want   float64
	}{
		{"no signal", 0.8, nil, 0.2},                                 // 1 − 0.8
		{"detractor", 0.8, []float64{0.25}, 0.4},                     // 1 − 0.8·0.75
		{"detractor and low CSAT", 0.8, []float64{0.25, 0.15}, 0.49}, // 1 − 0.8·0.75·0.85 = 1 − 0.51
		{"all three", 0.8, []float64{0.25, 0.15, 0.15}, 1 - 0.43350}, // 0.51·0.85 = 0.4335
		{"alive for sure, detractor", 1, []float64{0.25}, 0.25},      // b alone
		{"gone for sure", 0, []float64{0.25}, 1},                     // nothing to keep
		{"boost off", 0.5, []float64{0}, 0.5},                        // b = 0 changes nothing
	}
	for _, tc := range tests {
		if got := boostedRisk(tc.pAlive, tc.boosts...); !near(got, tc.want, 1e-12) {
			t.Errorf("%s: %g, want %g", tc.name, got, tc.want)
		}
	}
}

// riskData adds to the simulated population five customers with the same
// purchases (so the same P(alive) and CLV) and different signals, as of
// 2026-04-06 with the default 90-day window [2026-01-06, 2026-04-06):
//
//	r1: NPS 3 on 2026-03-01, CSAT 2 on 2026-03-15, CES 5 (not low): boosted
//	    by the detractor and the low CSAT;
//	r2: no answers;
//	r3: NPS 2 on 2025-12-01, outside the window: not boosted;
//	r4: NPS 4 on 2026-02-01 then 9 on 2026-03-01: the latest counts, not boosted;
//	r5: churned on 2026-03-01: not listed; b never bought: not listed.
func riskData() kpi.Data {
	d := handMade(population(300))
	for _, id := range []string{"r1", "r2", "r3", "r4", "r5"} {
		d.Customers = append(d.Customers, customer(id, day(2025, 9, 1)))
		d.Events = append(d.Events, event(id, cx.Purchase, day(2025, 10, 6), 200), event(id, cx.Purchase, day(2025, 11, 3), 300))
	}
	d.Events = append(d.Events, event("r5", cx.Churn, day(2026, 3, 1), 0))
	d.Responses = append(d.Responses,
		answerOf("r1", "nps", 3, day(2026, 3, 1)), answerOf("r1", "csat", 2, day(2026, 3, 15)), answerOf("r1", "ces", 5, day(2026, 3, 15)),
		answerOf("r3", "nps", 2, day(2025, 12, 1)),
		answerOf("r4", "nps", 4, day(2026, 2, 1)), answerOf("r4", "nps", 9, day(2026, 3, 1)),
	)
	return d
}

func TestAtRisk(t *testing.T) {
	t.Parallel()
	d := riskData()
	all, err := AtRisk(d, RiskOptions{AsOf: predictAsOf, Limit: MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]RiskEntry{}
	for i, e := range all.Items {
		pos[e.Customer] = e
		if e.Rank != i+1 || (i > 0 && (all.Items[i-1].ValueAtRisk < e.ValueAtRisk ||
			all.Items[i-1].ValueAtRisk == e.ValueAtRisk && all.Items[i-1].Customer > e.Customer)) {
			t.Fatalf("item %d out of order: %+v after %+v", i, e, all.Items[i-1])
		}
	}
	if _, ok := pos["r5"]; ok {
		t.Error("r5 churned but is listed")
	}
	if _, ok := pos["b"]; ok {
		t.Error("b never bought but is listed")
	}
	r1, r2, r3, r4 := pos["r1"], pos["r2"], pos["r3"], pos["r4"]
	pa := r2.PAlive
	if !(pa > 0 && pa < 1) || r1.PAlive != pa || r3.PAlive != pa || r1.PredictedCLV != r2.PredictedCLV {
		t.Fatalf("the r customers should share P(alive) and CLV: %+v %+v", r1, r2)
	}
	// r1: 1 − P(alive)·0.75·0.85; the others 1 − P(alive).
	if !near(r1.Risk, 1-pa*0.75*0.85, 1e-12) || !near(r1.ValueAtRisk, r1.PredictedCLV*r1.Risk, 1e-9) {
		t.Errorf("r1 = %+v", r1)
	}
	for _, e := range []RiskEntry{r2, r3, r4} {
		if !near(e.Risk, 1-pa, 1e-12) || len(e.Reasons) != 1 || e.Reasons[0].Code != "p_alive" {
			t.Errorf("%s = %+v, want no boost", e.Customer, e)
		}
	}
	codes := ""
	for _, r := range r1.Reasons {
		codes += r.Code + " "
	}
	if codes != "p_alive detractor low_csat " || *r1.Reasons[1].Score != 3 || r1.Reasons[1].Boost != DefaultDetractorBoost {
		t.Errorf("r1 reasons %q %+v", codes, r1.Reasons)
	}
	if !(r1.Rank < r2.Rank && r2.Rank+1 == r3.Rank && r3.Rank+1 == r4.Rank) {
		t.Errorf("ranks r1 %d r2 %d r3 %d r4 %d: want r1 first, then r2, r3, r4 by id", r1.Rank, r2.Rank, r3.Rank, r4.Rank)
	}

	// A page is a slice of the whole list.
	page, err := AtRisk(d, RiskOptions{AsOf: predictAsOf, Limit: 3, Offset: 2})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != all.Total || len(page.Items) != 3 || fmt.Sprint(page.Items) != fmt.Sprint(all.Items[2:5]) {
		t.Errorf("page %+v", page)
	}
	past, err := AtRisk(d, RiskOptions{AsOf: predictAsOf, Offset: all.Total + 5})
	if err != nil || len(past.Items) != 0 || past.Limit != DefaultLimit {
		t.Errorf("past the end: %+v, %v", past, err)
	}

	// Turning the detractor signal off leaves only the CSAT boost.
	off, err := AtRisk(d, RiskOptions{AsOf: predictAsOf, Limit: MaxLimit, DetractorBoost: -1, LowCSATBoost: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range off.Items {
		if e.Customer == "r1" && !near(e.Risk, 1-pa*0.5, 1e-12) {
			t.Errorf("r1 with only a 0.5 CSAT boost: %+v", e)
		}
	}
}

func TestAtRiskInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		o     RiskOptions
		field string
	}{
		{"no date", RiskOptions{}, "as_of"},
		{"limit", RiskOptions{AsOf: predictAsOf, Limit: MaxLimit + 1}, "limit"},
		{"offset", RiskOptions{AsOf: predictAsOf, Offset: -1}, "offset"},
		{"boost", RiskOptions{AsOf: predictAsOf, LowCESBoost: 1}, "low_ces_boost"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := AtRisk(kpi.Data{}, tc.o)
			if !errors.Is(err, cx.ErrInvalid) || !containsField(err, tc.field) {
				t.Errorf("err = %v, want invalid %s", err, tc.field)
			}
		})
	}
}
