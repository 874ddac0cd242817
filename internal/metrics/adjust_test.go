package metrics

import (
	"fmt"
	"math"
	"testing"
)

func TestAdjustBH(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    []float64
		want []float64
		tol  float64
	}{
		// stdlib-js @stdlib/stats/padjust documentation, examples
		// (https://stdlib.io/docs/api/latest/@stdlib/stats/padjust), which
		// follows R's p.adjust: padjust([0.008, 0.03, 0.123, 0.6, 0.2],
		// 'bh') returns [0.04, 0.075, ~0.205, 0.6, 0.25]. By hand: sorted
		// .008 .03 .123 .2 .6 times 5/i = .04 .075 .205 .25 .6, already
		// increasing, so the running minimum from the top changes nothing.
		{"stdlib example", []float64{0.008, 0.03, 0.123, 0.6, 0.2}, []float64{0.04, 0.075, 0.205, 0.6, 0.25}, 1e-15},
		// Same page: padjust([0.319, 0.201, 0.4, 0.374, 0.113], 'bh')
		// returns 0.4 for all. By hand: sorted .113 .201 .319 .374 .4 times
		// 5/i = .565 .5025 .531667 .4675 .4; running minimum from the top
		// gives .4 everywhere.
		{"stdlib all equal", []float64{0.319, 0.201, 0.4, 0.374, 0.113}, []float64{0.4, 0.4, 0.4, 0.4, 0.4}, 1e-15},
		// Benjamini & Hochberg (1995), JRSS B 57(1):289–300, worked example:
		// the 15 p-values of Neuhaus et al. (1992, thrombolysis trial); at
		// q = .05 the procedure rejects the 4 smallest. Adjusted by hand, 15/i·p(i): .0015 .003 .0095
		// .035625 .0603 .0695 .0638571 .0645 .0765 .486 .5811818 .714875
		// .7532308 .8132143 1, then the running minimum from the top turns
		// .0695 (i = 6) into .0638571 and .0603 stays; exactly four values
		// ≤ .05, matching the paper.
		{
			"BH 1995 example",
			[]float64{0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000},
			[]float64{0.0015, 0.003, 0.0095, 0.035625, 0.0603, 15 * 0.0298 / 7, 15 * 0.0298 / 7, 0.0645, 0.0765, 0.486, 15 * 0.4262 / 11, 15 * 0.5719 / 12, 15 * 0.6528 / 13, 15 * 0.7590 / 14, 1},
			1e-15,
		},
		// Input order is kept, ties get the same value, NaN stays NaN and is
		// not counted, as R does with NA (p.adjust.R drops NAs before taking
		// n). By hand, m = 3: .01·3/1 = .03, .04·3/2 = .06, .04·3/3 = .04;
		// running minimum from the top: .04 .04 .03.
		{"NaN and ties", []float64{0.04, math.NaN(), 0.01, 0.04}, []float64{0.04, math.NaN(), 0.03, 0.04}, 1e-15},
		{"capped at 1", []float64{0.9, 0.8}, []float64{0.9, 0.9}, 1e-15},
		{"single", []float64{0.3}, []float64{0.3}, 0},
		{"empty", nil, []float64{}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := append([]float64(nil), tc.p...)
			got := AdjustBH(tc.p)
			if len(got) != len(tc.want) {
				t.Fatalf("len %d, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if math.IsNaN(tc.want[i]) {
					if !math.IsNaN(got[i]) {
						t.Errorf("[%d] = %v, want NaN", i, got[i])
					}
					continue
				}
				near(t, fmt.Sprintf("[%d]", i), got[i], tc.want[i], tc.tol)
			}
			for i := range in {
				if in[i] != tc.p[i] && !(math.IsNaN(in[i]) && math.IsNaN(tc.p[i])) {
					t.Fatal("AdjustBH modified its input")
				}
			}
		})
	}
}

// TestAdjustBHRejections checks the BH 1995 example's conclusion directly:
// four rejections at FDR .05.
func TestAdjustBHRejections(t *testing.T) {
	t.Parallel()
	p := []float64{0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000}
	n := 0
	for _, q := range AdjustBH(p) {
		if q <= 0.05 {
			n++
		}
	}
	if n != 4 {
		t.Errorf("%d rejections at q = .05, want 4", n)
	}
}
