package drivers

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// TestAnalyzeOrthogonalData is a hand-worked case with raw data: x1 and x2
// are orthogonal contrasts and y = 1.5 + x1 + 0.5·x2 + 0.5·x3 with x3 a
// third, omitted contrast. Centred y = (2, −1, 0, −1), |y|² = 6, so
// r1² = (x1·y)²/(|x1|²|y|²) = 16/24 = 2/3 and r2² = 4/24 = 1/6; with
// orthogonal predictors these are the raw weights, R² = 5/6, and the
// rescaled weights are 80 % and 20 %.
func TestAnalyzeOrthogonalData(t *testing.T) {
	t.Parallel()
	y := []float64{3.5, 0.5, 1.5, 0.5}
	x1 := []float64{1, -1, 1, -1}
	x2 := []float64{1, 1, -1, -1}
	res, err := Analyze(y, []Predictor{{Name: "x1", Values: x1}, {Name: "x2", Values: x2}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ raw, rescaled float64 }{{2.0 / 3, 80}, {1.0 / 6, 20}}
	for j, d := range res.Drivers {
		if math.Abs(d.RawWeight-want[j].raw) > 1e-12 || math.Abs(d.RescaledWeight-want[j].rescaled) > 1e-9 {
			t.Errorf("%s: raw %v rescaled %v, want %v %v", d.Name, d.RawWeight, d.RescaledWeight, want[j].raw, want[j].rescaled)
		}
	}
	if math.Abs(res.RSquared-5.0/6) > 1e-12 {
		t.Errorf("R² = %v, want 5/6", res.RSquared)
	}
}

// TestAnalyzeListwiseDeletion checks that a respondent with any missing
// value is left out of the weights (equal to the analysis of the complete
// rows alone), while each driver's current score uses all its ratings.
func TestAnalyzeListwiseDeletion(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	y := append(mtcarsColumn(0), 20, nan, 25)
	cyl := append(mtcarsColumn(1), nan, 4, 4)
	hp := append(mtcarsColumn(3), 100, 100, math.Inf(1))
	got, err := Analyze(y, []Predictor{{Name: "cyl", Values: cyl}, {Name: "hp", Values: hp}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := Analyze(mtcarsColumn(0), []Predictor{{Name: "cyl", Values: mtcarsColumn(1)}, {Name: "hp", Values: mtcarsColumn(3)}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got.N != 32 || got.Incomplete != 3 {
		t.Errorf("N, Incomplete = %d, %d, want 32, 3", got.N, got.Incomplete)
	}
	for j := range want.Drivers {
		if math.Abs(got.Drivers[j].RawWeight-want.Drivers[j].RawWeight) > 1e-12 {
			t.Errorf("%s raw weight %v, want %v", want.Drivers[j].Name, got.Drivers[j].RawWeight, want.Drivers[j].RawWeight)
		}
	}
	// cyl has 34 ratings (32 + two 4s), hp 34 (32 + two 100s; +Inf is missing).
	if d := got.Drivers[0]; d.N != 34 || math.Abs(d.Mean-(6.1875*32+8)/34) > 1e-12 {
		t.Errorf("cyl N %d mean %v", d.N, d.Mean)
	}
	if d := got.Drivers[1]; d.N != 34 {
		t.Errorf("hp N = %d, want 34", d.N)
	}
}

func TestAnalyzeTopBoxAndDropped(t *testing.T) {
	t.Parallel()
	y := []float64{9, 10, 6, 8, 3, 7, 9, 5}
	price := []float64{4, 5, 2, 4, 1, 3, 5, 2}
	support := []float64{5, 4, 3, 3, 2, 4, 4, 1}
	region := []float64{1, 1, 1, 1, 1, 1, 1, 1}
	res, err := Analyze(y, []Predictor{
		{Name: "price", Values: price, TopBox: 4},
		{Name: "region=EU", Values: region, TopBox: 1},
		{Name: "support", Values: support, TopBox: 4},
	}, Options{Performance: PerformanceTopBox, Split: SplitMedian})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Dropped) != 1 || res.Dropped[0].Name != "region=EU" || !strings.Contains(res.Dropped[0].Reason, "constant") {
		t.Errorf("dropped = %+v", res.Dropped)
	}
	if len(res.Drivers) != 2 {
		t.Fatalf("drivers = %+v", res.Drivers)
	}
	// price: 4,5,4,5 of 8 are ≥ 4; support: 5,4,4,4 of 8.
	for _, d := range res.Drivers {
		if d.TopBoxShare == nil || *d.TopBoxShare != 0.5 {
			t.Errorf("%s top box = %v, want 0.5", d.Name, d.TopBoxShare)
		}
	}
	var sum float64
	for _, d := range res.Drivers {
		sum += d.RawWeight
	}
	if math.Abs(sum-res.RSquared) > 1e-12 {
		t.Errorf("Σ raw = %v, R² = %v", sum, res.RSquared)
	}
	if r := res.Ranked(); r[0].RawWeight < r[1].RawWeight {
		t.Errorf("Ranked not descending: %+v", r)
	}
}

func TestAnalyzeErrors(t *testing.T) {
	t.Parallel()
	y := []float64{1, 2, 3, 4, 5}
	a := []float64{2, 1, 4, 3, 5}
	b := []float64{1, 1, 2, 2, 3}
	tests := []struct {
		name  string
		y     []float64
		preds []Predictor
		opts  Options
		want  string
		is    error
	}{
		{name: "no predictors", y: y, want: "no predictors"},
		{name: "length", y: y, preds: []Predictor{{Name: "a", Values: a[:4]}}, want: `"a" has 4 values`},
		{name: "duplicate", y: y, preds: []Predictor{{Name: "a", Values: a}, {Name: "a", Values: b}}, want: "used twice"},
		{name: "top box missing", y: y, preds: []Predictor{{Name: "a", Values: a}}, opts: Options{Performance: PerformanceTopBox}, want: "TopBox"},
		{name: "constant outcome", y: []float64{3, 3, 3, 3, 3}, preds: []Predictor{{Name: "a", Values: a}}, want: "outcome is constant"},
		{name: "all constant", y: y, preds: []Predictor{{Name: "a", Values: []float64{1, 1, 1, 1, 1}}}, want: "every predictor is constant"},
		{
			name:  "too few cases",
			y:     []float64{1, 2, 3, 4, math.NaN()},
			preds: []Predictor{{Name: "a", Values: a}, {Name: "b", Values: b}, {Name: "c", Values: []float64{5, 3, 1, 2, 4}}},
			want:  "4 complete cases for 3 predictors; need at least k+2 = 5",
		},
		{
			name:  "collinear",
			y:     y,
			preds: []Predictor{{Name: "a", Values: a}, {Name: "2a", Values: []float64{4, 2, 8, 6, 10}}},
			want:  "collinear",
			is:    ErrCollinear,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Analyze(tt.y, tt.preds, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want errors.Is %v", err, tt.is)
			}
		})
	}
}

func TestAnalyzeSinglePredictor(t *testing.T) {
	t.Parallel()
	res, err := Analyze(mtcarsColumn(0), []Predictor{{Name: "wt", Values: mtcarsColumn(4)}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := res.Drivers[0]
	// With one predictor the raw weight is r²; cor(mpg, wt) = −0.8676594
	// (a standard mtcars figure, R: cor(mtcars$mpg, mtcars$wt)).
	if math.Abs(d.RawWeight-d.Correlation*d.Correlation) > 1e-12 || math.Abs(d.Correlation+0.8676594) > 5e-8 {
		t.Errorf("raw %v, r %v", d.RawWeight, d.Correlation)
	}
	if d.RescaledWeight != 100 {
		t.Errorf("rescaled = %v, want 100", d.RescaledWeight)
	}
}
