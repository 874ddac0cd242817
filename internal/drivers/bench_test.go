package drivers

import (
	"math"
	"math/rand/v2"
	"testing"
)

// BenchmarkAnalyze measures a key-driver analysis of 10,000 respondents with
// six rating questions (1–5, about 5% of ratings missing): listwise
// deletion, the correlation matrix, Johnson's relative weights and the
// quadrants.
// Run: go test ./internal/drivers -run '^$' -bench Analyze
func BenchmarkAnalyze(b *testing.B) {
	const n, k = 10_000, 6
	r := rand.New(rand.NewPCG(1, 2))
	outcome := make([]float64, n)
	preds := make([]Predictor, k)
	for j := range preds {
		preds[j] = Predictor{Name: string(rune('a' + j)), Values: make([]float64, n), TopBox: 4}
	}
	for i := range n {
		base := r.NormFloat64()
		var sum float64
		for j := range preds {
			v := math.Round(max(1, min(5, 3+0.8*base+r.NormFloat64())))
			sum += float64(j+1) * v
			if r.IntN(20) == 0 {
				v = math.NaN()
			}
			preds[j].Values[i] = v
		}
		outcome[i] = math.Round(max(0, min(10, sum/7+r.NormFloat64())))
	}
	for b.Loop() {
		if _, err := Analyze(outcome, preds, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
