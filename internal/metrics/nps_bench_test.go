package metrics

import (
	"math/rand/v2"
	"sync"
	"testing"
)

// benchScores is 10M NPS answers drawn with a realistic skew (more 8–10s),
// built once, on first use, so plain test runs do not pay for it.
var benchScores = sync.OnceValue(func() []int8 {
	r := rand.New(rand.NewPCG(5, 6))
	weights := []int{2, 1, 1, 2, 2, 5, 6, 10, 18, 22, 31} // per answer 0..10, sum 100
	var table []int8
	for v, w := range weights {
		for range w {
			table = append(table, int8(v))
		}
	}
	s := make([]int8, 10_000_000)
	for i := range s {
		s[i] = table[r.IntN(len(table))]
	}
	return s
})

// BenchmarkNPS measures building the distribution of 10M responses from
// their int8 scores and computing the NPS with its interval.
func BenchmarkNPS(b *testing.B) {
	scores := benchScores()
	b.SetBytes(int64(len(scores)))
	for b.Loop() {
		d, err := TallyInt8(NPSScale, scores)
		if err != nil {
			b.Fatal(err)
		}
		if r := NPS(d); r.N != int64(len(scores)) {
			b.Fatalf("N = %d", r.N)
		}
	}
}

// BenchmarkNPSFromDistribution measures the statistics alone, once counted.
func BenchmarkNPSFromDistribution(b *testing.B) {
	d, err := TallyInt8(NPSScale, benchScores())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		NPS(d)
	}
}

// BenchmarkTQuantile measures the Welch-path quantile at a fractional df.
func BenchmarkTQuantile(b *testing.B) {
	for b.Loop() {
		TQuantile(0.975, 17.776)
	}
}
