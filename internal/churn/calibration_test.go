package churn

import (
	"math"
	"testing"
)

func TestCalibrateHandWorked(t *testing.T) {
	t.Parallel()
	probs := []float64{0.05, 0.15, 0.45, 0.55, 0.95, 1}
	labels := []bool{false, false, true, false, true, true}
	c, err := Calibrate(probs, labels, 2)
	if err != nil {
		t.Fatal(err)
	}
	// Brier: (0.0025 + 0.0225 + 0.3025 + 0.3025 + 0.0025 + 0)/6 = 0.6325/6.
	if want := 0.6325 / 6; math.Abs(c.Brier-want) > 1e-12 {
		t.Errorf("Brier = %v, want %v", c.Brier, want)
	}
	// Bin [0, 0.5): 0.05, 0.15, 0.45, mean 0.65/3, observed 1/3.
	// Bin [0.5, 1]: 0.55, 0.95, 1, mean 2.5/3, observed 2/3.
	want := []Bin{
		{Lo: 0, Hi: 0.5, N: 3, MeanPredicted: 0.65 / 3, Observed: 1.0 / 3},
		{Lo: 0.5, Hi: 1, N: 3, MeanPredicted: 2.5 / 3, Observed: 2.0 / 3},
	}
	for b, w := range want {
		g := c.Bins[b]
		if g.Lo != w.Lo || g.Hi != w.Hi || g.N != w.N || math.Abs(g.MeanPredicted-w.MeanPredicted) > 1e-12 || math.Abs(g.Observed-w.Observed) > 1e-12 {
			t.Errorf("bin %d = %+v, want %+v", b, g, w)
		}
	}
	// ECE = ½|1/3 − 0.65/3| + ½|2/3 − 2.5/3| = ½(0.35/3) + ½(0.5/3) = 0.85/6.
	if want := 0.85 / 6; math.Abs(c.ECE-want) > 1e-12 {
		t.Errorf("ECE = %v, want %v", c.ECE, want)
	}
	if c.N != 6 {
		t.Errorf("N = %d", c.N)
	}
}

func TestCalibrateEmptyBinsKept(t *testing.T) {
	t.Parallel()
	c, err := Calibrate([]float64{0.01, 0.02}, []bool{false, true}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Bins) != 10 || c.Bins[0].N != 2 || c.Bins[9].N != 0 || c.Bins[9].Hi != 1 {
		t.Errorf("bins = %+v", c.Bins)
	}
}

func TestCalibrateErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		probs  []float64
		labels []bool
		bins   int
	}{
		{name: "length", probs: []float64{0.5}, labels: nil, bins: 10},
		{name: "empty", bins: 10},
		{name: "bins", probs: []float64{0.5}, labels: []bool{true}, bins: 0},
		{name: "above one", probs: []float64{1.5}, labels: []bool{true}, bins: 10},
		{name: "nan", probs: []float64{math.NaN()}, labels: []bool{true}, bins: 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := Calibrate(tt.probs, tt.labels, tt.bins); err == nil {
				t.Error("no error")
			}
		})
	}
}
