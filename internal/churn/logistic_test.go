package churn

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// TestFitGroupRates: with one categorical attribute, full one-hot coding and
// a vanishing penalty, the maximum-likelihood fit reproduces each group's
// observed churn rate (the score equations Σ_{i∈g}(y_i − p_i) = 0).
func TestFitGroupRates(t *testing.T) {
	t.Parallel()
	var rows []Row
	var y []bool
	for i := range 20 {
		plan, churned := "A", i < 3 // A: 3 of 10 churn
		if i >= 10 {
			plan, churned = "B", i < 17 // B: 7 of 10 churn
		}
		rows = append(rows, Row{Categorical: map[string]string{"plan": plan}})
		y = append(y, churned)
	}
	m, err := Fit(rows, y, FitOptions{Lambda: 1e-8})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		plan string
		want float64
	}{{"A", 0.3}, {"B", 0.7}} {
		if got := m.Predict(Row{Categorical: map[string]string{"plan": tt.plan}}); math.Abs(got-tt.want) > 1e-6 {
			t.Errorf("P(churn | %s) = %v, want %v", tt.plan, got, tt.want)
		}
	}
}

// TestFitOptimality checks the optimality conditions of the penalised
// objective at the fitted coefficients: Σ(y − p) = 0 for the intercept and
// Σ x_ij (y_i − p_i) = λ β_j for every other column.
func TestFitOptimality(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 8))
	var rows []Row
	var y []bool
	for range 500 {
		a, b := rng.NormFloat64(), rng.NormFloat64()*3+10
		plan := []string{"basic", "pro", "team"}[rng.IntN(3)]
		eta := -0.5 + 1.2*a - 0.3*(b-10)
		if plan == "pro" {
			eta += 0.8
		}
		rows = append(rows, Row{Numeric: map[string]float64{"a": a, "b": b}, Categorical: map[string]string{"plan": plan}})
		y = append(y, rng.Float64() < sigmoid(eta))
	}
	for _, lambda := range []float64{0.1, 2, 50} {
		opts := FitOptions{Lambda: lambda, Interactions: []Interaction{{Categorical: "plan", Numeric: "a"}}}
		m, err := Fit(rows, y, opts)
		if err != nil {
			t.Fatal(err)
		}
		grad := make([]float64, len(m.Coef)+1)
		for i, r := range rows {
			x := m.Encoder.Encode(r)
			res := indicator(y[i]) - m.Predict(r)
			grad[0] += res
			for j, v := range x {
				grad[j+1] += v * res
			}
		}
		if math.Abs(grad[0]) > 1e-7 {
			t.Errorf("λ=%v: intercept score %v, want 0", lambda, grad[0])
		}
		for j, b := range m.Coef {
			if math.Abs(grad[j+1]-lambda*b) > 1e-7 {
				t.Errorf("λ=%v column %d: score %v, λβ %v", lambda, j, grad[j+1], lambda*b)
			}
		}
	}
}

func TestFitErrors(t *testing.T) {
	t.Parallel()
	rows := []Row{{Numeric: map[string]float64{"x": 1}}, {Numeric: map[string]float64{"x": 2}}}
	tests := []struct {
		name   string
		rows   []Row
		y      []bool
		lambda float64
	}{
		{name: "length", rows: rows, y: []bool{true}, lambda: 1},
		{name: "lambda zero", rows: rows, y: []bool{true, false}, lambda: 0},
		{name: "lambda nan", rows: rows, y: []bool{true, false}, lambda: math.NaN()},
		{name: "one class", rows: rows, y: []bool{true, true}, lambda: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := Fit(tt.rows, tt.y, FitOptions{Lambda: tt.lambda}); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestFitNotConverged(t *testing.T) {
	t.Parallel()
	rows := []Row{{Numeric: map[string]float64{"x": 1}}, {Numeric: map[string]float64{"x": 2}}, {Numeric: map[string]float64{"x": 3}}}
	_, err := Fit(rows, []bool{false, true, true}, FitOptions{Lambda: 1, MaxIter: 1})
	if !errors.Is(err, ErrNotConverged) {
		t.Errorf("err = %v, want ErrNotConverged", err)
	}
}
