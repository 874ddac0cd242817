package churn

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestAUCHandWorked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		scores []float64
		labels []bool
		want   float64
	}{
		{
			name:   "perfect",
			scores: []float64{0.1, 0.2, 0.8, 0.9},
			labels: []bool{false, false, true, true},
			want:   1,
		},
		{
			name:   "reversed",
			scores: []float64{0.9, 0.8, 0.2, 0.1},
			labels: []bool{false, false, true, true},
			want:   0,
		},
		{
			// Positives 0.35, 0.8; negatives 0.1, 0.4, 0.7. Pairs won by the
			// positive: 0.35>0.1; 0.8>0.1, 0.8>0.4, 0.8>0.7 → 4 of 6.
			name:   "no ties",
			scores: []float64{0.1, 0.4, 0.35, 0.8, 0.7},
			labels: []bool{false, false, true, true, false},
			want:   4.0 / 6,
		},
		{
			// Positives 0.5, 0.5, 0.9; negatives 0.5, 0.2. Pairs: 0.5 vs 0.5
			// tie (½) twice, 0.5>0.2 twice, 0.9 beats both: 2·½ + 2 + 2 = 5
			// of 6. By ranks: sorted 0.2(1) 0.5,0.5,0.5 (mid-rank 3) 0.9(5);
			// R₁ = 3+3+5 = 11, U = 11 − 3·4/2 = 5.
			name:   "ties across groups",
			scores: []float64{0.5, 0.5, 0.9, 0.5, 0.2},
			labels: []bool{true, true, true, false, false},
			want:   5.0 / 6,
		},
		{
			name:   "all tied",
			scores: []float64{0.3, 0.3, 0.3, 0.3},
			labels: []bool{true, false, true, false},
			want:   0.5,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := AUC(tt.scores, tt.labels)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-tt.want) > 1e-15 {
				t.Errorf("AUC = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestAUCMannWhitney checks AUC = U/(n₁n₀) against U counted pair by pair
// (U = #{pos > neg} + ½ #{pos = neg}, Mann & Whitney 1947), on data with
// many ties.
func TestAUCMannWhitney(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 20 {
		n := 5 + rng.IntN(200)
		scores := make([]float64, n)
		labels := make([]bool, n)
		for i := range n {
			scores[i] = float64(rng.IntN(10)) / 10 // coarse: lots of ties
			labels[i] = rng.Float64() < 0.3
		}
		labels[0], labels[1] = true, false
		var pairs float64
		var n1, n0 int
		for i := range n {
			if !labels[i] {
				n0++
				continue
			}
			n1++
			for j := range n {
				if labels[j] {
					continue
				}
				switch {
				case scores[i] > scores[j]:
					pairs++
				case scores[i] == scores[j]:
					pairs += 0.5
				}
			}
		}
		u, gotPos, gotNeg, err := MannWhitneyU(scores, labels)
		if err != nil {
			t.Fatal(err)
		}
		if gotPos != n1 || gotNeg != n0 || math.Abs(u-pairs) > 1e-9 {
			t.Errorf("trial %d: U = %v (%d, %d), want %v (%d, %d)", trial, u, gotPos, gotNeg, pairs, n1, n0)
		}
		auc, _ := AUC(scores, labels)
		if want := pairs / float64(n1*n0); math.Abs(auc-want) > 1e-12 {
			t.Errorf("trial %d: AUC = %v, want %v", trial, auc, want)
		}
	}
}

func TestAUCErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		scores []float64
		labels []bool
	}{
		{name: "length", scores: []float64{1, 2}, labels: []bool{true}},
		{name: "no negatives", scores: []float64{1, 2}, labels: []bool{true, true}},
		{name: "no positives", scores: []float64{1, 2}, labels: []bool{false, false}},
		{name: "empty"},
		{name: "nan", scores: []float64{math.NaN(), 2}, labels: []bool{true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := AUC(tt.scores, tt.labels); err == nil {
				t.Error("no error")
			}
		})
	}
}
