package churn

import (
	"math/rand/v2"
	"testing"
)

func TestSelectLambda(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	var rows []Row
	var y []bool
	for range 300 {
		a := rng.NormFloat64()
		rows = append(rows, Row{Numeric: map[string]float64{"a": a, "noise": rng.NormFloat64()}})
		y = append(y, rng.Float64() < sigmoid(2*a))
	}
	cv := CVOptions{Lambdas: []float64{0.01, 1, 1e4}, Folds: 4, Criterion: ByLogLoss}
	best, res, err := SelectLambda(rows, y, cv)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 {
		t.Fatalf("results = %+v", res)
	}
	// A huge penalty shrinks the probabilities towards the base rate, which
	// costs log-loss on a strong signal (the ranking, and so the AUC, can
	// survive shrinkage, which is why ByLogLoss is tested here).
	if best == 1e4 || res[2].MeanLogLoss <= res[0].MeanLogLoss {
		t.Errorf("chose λ = %v; results %+v", best, res)
	}
	// Deterministic: the same call gives the same scores.
	_, again, err := SelectLambda(rows, y, cv)
	if err != nil {
		t.Fatal(err)
	}
	for i := range res {
		if res[i] != again[i] {
			t.Errorf("run 2 differs: %+v vs %+v", res[i], again[i])
		}
	}
}

func TestSelectLambdaErrors(t *testing.T) {
	t.Parallel()
	rows := []Row{{Numeric: map[string]float64{"a": 1}}, {Numeric: map[string]float64{"a": 2}}, {Numeric: map[string]float64{"a": 3}}, {Numeric: map[string]float64{"a": 4}}}
	y := []bool{true, false, true, false}
	tests := []struct {
		name    string
		lambdas []float64
		k       int
	}{
		{name: "one fold", lambdas: []float64{1}, k: 1},
		{name: "no lambdas", k: 2},
		{name: "bad lambda", lambdas: []float64{-1}, k: 2},
		{name: "fold with one class", lambdas: []float64{1}, k: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, _, err := SelectLambda(rows, y, CVOptions{Lambdas: tt.lambdas, Folds: tt.k}); err == nil {
				t.Error("no error")
			}
		})
	}
}
