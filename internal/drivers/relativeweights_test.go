package drivers

import (
	"errors"
	"math"
	"testing"
)

// TestAnalyzeMtcarsPublished reproduces the relative weights published by
// the R package rwa (Martin Chan, github.com/martinctc/rwa) for R's mtcars
// data, to the digits printed there:
//
//   - "readme": README.md at commit 029a5687c50e7ea99a4c46230695e63a2a0d2a3f,
//     section "Basic example", lines 79–87: rwa(mtcars, outcome = "mpg",
//     predictors = c("cyl", "disp", "hp", "gear")) → $rsquare 0.7791896 and
//     the Raw.RelWeight / Rescaled.RelWeight / Sign columns below.
//   - "vignette": articles/regression-methods.md at commit
//     16a2f82df8eb65bb56e02903144ce01a3dca086d, "Basic Example with mtcars",
//     lines 52–56: rwa_multiregress(mtcars, "mpg", c("cyl", "disp", "hp",
//     "wt")); the same page prints R-squared 0.8486.
//
// Printed values have 7 significant digits, so the tolerance is half a unit
// in the last printed place.
func TestAnalyzeMtcarsPublished(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		cols     []int
		names    []string
		rsq      float64
		rsqTol   float64
		raw      []float64
		rescaled []float64
		sign     []float64
	}{
		{
			name:     "readme",
			cols:     []int{1, 2, 3, 5},
			names:    []string{"cyl", "disp", "hp", "gear"},
			rsq:      0.7791896,
			rsqTol:   5e-8,
			raw:      []float64{0.2284797, 0.2221469, 0.2321744, 0.0963886},
			rescaled: []float64{29.32274, 28.50999, 29.79691, 12.37037},
			sign:     []float64{-1, -1, -1, +1},
		},
		{
			name:     "vignette",
			cols:     []int{1, 2, 3, 4},
			names:    []string{"cyl", "disp", "hp", "wt"},
			rsq:      0.8486,
			rsqTol:   5e-5,
			raw:      []float64{0.2096904, 0.1883043, 0.1799590, 0.2706812},
			rescaled: []float64{24.70914, 22.18908, 21.20570, 31.89607},
			sign:     []float64{-1, -1, -1, -1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var preds []Predictor
			for i, c := range tt.cols {
				preds = append(preds, Predictor{Name: tt.names[i], Values: mtcarsColumn(c)})
			}
			res, err := Analyze(mtcarsColumn(0), preds, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.N != 32 || res.Incomplete != 0 {
				t.Errorf("N, Incomplete = %d, %d, want 32, 0", res.N, res.Incomplete)
			}
			if math.Abs(res.RSquared-tt.rsq) > tt.rsqTol {
				t.Errorf("R² = %.9f, want %v", res.RSquared, tt.rsq)
			}
			for j, d := range res.Drivers {
				if d.Name != tt.names[j] {
					t.Fatalf("driver %d = %q, want %q", j, d.Name, tt.names[j])
				}
				if math.Abs(d.RawWeight-tt.raw[j]) > 5e-8 {
					t.Errorf("%s raw weight = %.9f, want %v", d.Name, d.RawWeight, tt.raw[j])
				}
				if math.Abs(d.RescaledWeight-tt.rescaled[j]) > 5e-6 {
					t.Errorf("%s rescaled weight = %.7f, want %v", d.Name, d.RescaledWeight, tt.rescaled[j])
				}
				// rwa's Sign column is the sign of the correlation with mpg.
				if math.Copysign(1, d.Correlation) != tt.sign[j] {
					t.Errorf("%s correlation %v has the wrong sign", d.Name, d.Correlation)
				}
			}
		})
	}
}

// TestRelativeWeightsHandWorked checks cases whose weights follow from the
// definition without a computer.
func TestRelativeWeightsHandWorked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rxx  [][]float64
		rxy  []float64
		raw  []float64
		rsq  float64
	}{
		{
			// Orthogonal predictors: Rxx = I, so Λ = I, β = rxy and the
			// weights are the squared correlations.
			name: "orthogonal",
			rxx:  [][]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
			rxy:  []float64{0.5, -0.3, 0.1},
			raw:  []float64{0.25, 0.09, 0.01},
			rsq:  0.35,
		},
		{
			name: "single predictor",
			rxx:  [][]float64{{1}},
			rxy:  []float64{-0.6},
			raw:  []float64{0.36},
			rsq:  0.36,
		},
		{
			// Two predictors with r12 = ρ and equal validity r: by symmetry
			// each gets half of R² = 2r²/(1+ρ).
			name: "symmetric pair",
			rxx:  [][]float64{{1, 0.5}, {0.5, 1}},
			rxy:  []float64{0.6, 0.6},
			raw:  []float64{0.24, 0.24},
			rsq:  0.48,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, err := RelativeWeights(tt.rxx, tt.rxy)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(w.RSquared-tt.rsq) > 1e-12 {
				t.Errorf("R² = %v, want %v", w.RSquared, tt.rsq)
			}
			var sum float64
			for j := range tt.raw {
				if math.Abs(w.Raw[j]-tt.raw[j]) > 1e-12 {
					t.Errorf("raw[%d] = %v, want %v", j, w.Raw[j], tt.raw[j])
				}
				sum += w.Rescaled[j]
			}
			if math.Abs(sum-100) > 1e-9 {
				t.Errorf("rescaled weights sum to %v, want 100", sum)
			}
		})
	}
}

// TestRelativeWeightsRSquaredIsOLS checks Σε = R² of ordinary least squares,
// R² = rxy' Rxx⁻¹ rxy, worked by hand for a 2×2 case:
// Rxx⁻¹ = 1/(1−ρ²)·[[1, −ρ], [−ρ, 1]], so R² = (r1² + r2² − 2ρ r1 r2)/(1−ρ²).
func TestRelativeWeightsRSquaredIsOLS(t *testing.T) {
	t.Parallel()
	rho, r1, r2 := 0.3, 0.5, 0.2
	want := (r1*r1 + r2*r2 - 2*rho*r1*r2) / (1 - rho*rho)
	w, err := RelativeWeights([][]float64{{1, rho}, {rho, 1}}, []float64{r1, r2})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(w.RSquared-want) > 1e-12 {
		t.Errorf("R² = %v, want %v", w.RSquared, want)
	}
	beta1 := (r1 - rho*r2) / (1 - rho*rho)
	beta2 := (r2 - rho*r1) / (1 - rho*rho)
	if math.Abs(w.Beta[0]-beta1) > 1e-12 || math.Abs(w.Beta[1]-beta2) > 1e-12 {
		t.Errorf("beta = %v, want [%v %v]", w.Beta, beta1, beta2)
	}
}

func TestRelativeWeightsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rxx  [][]float64
		rxy  []float64
		is   error
	}{
		{name: "empty", rxx: nil, rxy: nil},
		{name: "shape", rxx: [][]float64{{1}}, rxy: []float64{0.1, 0.2}},
		{name: "ragged", rxx: [][]float64{{1, 0}, {0}}, rxy: []float64{0.1, 0.2}},
		{name: "asymmetric", rxx: [][]float64{{1, 0.2}, {0.3, 1}}, rxy: []float64{0.1, 0.2}},
		{name: "diagonal", rxx: [][]float64{{2}}, rxy: []float64{0.1}},
		{name: "nan", rxx: [][]float64{{1}}, rxy: []float64{math.NaN()}},
		{name: "collinear", rxx: [][]float64{{1, 1}, {1, 1}}, rxy: []float64{0.5, 0.5}, is: ErrCollinear},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := RelativeWeights(tt.rxx, tt.rxy)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want %v", err, tt.is)
			}
		})
	}
}
