package kpi

import (
	"math"
	"testing"
)

// TestQuantileType7 checks against R's quantile(x, p) (type 7), worked by
// hand: h = (n − 1)p, Q = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]) (0-based).
func TestQuantileType7(t *testing.T) {
	t.Parallel()
	one := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	tests := []struct {
		name string
		xs   []float64
		p    float64
		want float64
	}{
		// quantile(1:10, .9): h = 9·0.9 = 8.1 → 9 + 0.1·(10 − 9) = 9.1
		{"1:10 p90", one, 0.9, 9.1},
		// quantile(1:10, .5): h = 4.5 → 5 + 0.5·1 = 5.5
		{"1:10 median", one, 0.5, 5.5},
		// quantile(1:10, .25): h = 2.25 → 3 + 0.25 = 3.25
		{"1:10 p25", one, 0.25, 3.25},
		// quantile(c(3,1,4,1,5), .9): sorted 1 1 3 4 5, h = 3.6 → 4 + 0.6·1 = 4.6
		{"unsorted p90", []float64{3, 1, 4, 1, 5}, 0.9, 4.6},
		// h = 0.4 → 1 + 0.4·(1 − 1) = 1
		{"ties p10", []float64{3, 1, 4, 1, 5}, 0.1, 1},
		// quantile(c(10,20,40), .9): h = 1.8 → 20 + 0.8·20 = 36
		{"three p90", []float64{10, 20, 40}, 0.9, 36},
		{"min", []float64{10, 20, 40}, 0, 10},
		{"max", []float64{10, 20, 40}, 1, 40},
		{"single", []float64{7}, 0.9, 7},
		// NaN is skipped, as na.rm = TRUE: quantile(c(1,3), .5) = 2
		{"NaN skipped", []float64{1, math.NaN(), 3}, 0.5, 2},
	}
	for _, tt := range tests {
		got, ok := Quantile(tt.xs, tt.p)
		if !ok || math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: Quantile = %v, %v; want %v", tt.name, got, ok, tt.want)
		}
	}
}

func TestQuantileNoData(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		xs   []float64
		p    float64
	}{
		{"empty", nil, 0.5},
		{"only NaN", []float64{math.NaN()}, 0.5},
		{"p below 0", []float64{1, 2}, -0.1},
		{"p above 1", []float64{1, 2}, 1.1},
		{"p NaN", []float64{1, 2}, math.NaN()},
	}
	for _, tt := range tests {
		if got, ok := Quantile(tt.xs, tt.p); ok || got != 0 {
			t.Errorf("%s: Quantile = %v, %v; want 0, false", tt.name, got, ok)
		}
	}
	xs := []float64{3, 1, 2}
	Median(xs)
	if xs[0] != 3 || xs[1] != 1 {
		t.Errorf("Median modified its input: %v", xs)
	}
}
