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

// benchDist tallies n answers on scale s drawn with weights per answer
// (lowest first), for the per-metric benchmarks below.
func benchDist(b *testing.B, s Scale, n int, weights []int, seed uint64) Distribution {
	b.Helper()
	r := rand.New(rand.NewPCG(seed, seed+1))
	var table []int
	for v, w := range weights {
		for range w {
			table = append(table, s.Min+v)
		}
	}
	scores := make([]int, n)
	for i := range scores {
		scores[i] = table[r.IntN(len(table))]
	}
	d, err := Tally(s, scores)
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkCSAT measures CSAT (top-two-box share with its Wilson interval,
// mean with its t interval) from a counted 1–5 distribution.
func BenchmarkCSAT(b *testing.B) {
	d := benchDist(b, CSATScale, 100_000, []int{5, 7, 15, 38, 35}, 1)
	for b.Loop() {
		CSAT(d)
	}
}

// BenchmarkCES measures CES (share answering 5–7 with its Wilson interval,
// mean with its t interval) from a counted 1–7 distribution.
func BenchmarkCES(b *testing.B) {
	d := benchDist(b, CESScale, 100_000, []int{3, 5, 8, 14, 25, 27, 18}, 2)
	for b.Loop() {
		CES(d)
	}
}

// BenchmarkNPSDifference measures the two-period NPS z test.
func BenchmarkNPSDifference(b *testing.B) {
	weights := []int{2, 1, 1, 2, 2, 5, 6, 10, 18, 22, 31}
	x, y := benchDist(b, NPSScale, 50_000, weights, 3), benchDist(b, NPSScale, 50_000, weights, 4)
	for b.Loop() {
		NPSDifference(x, y)
	}
}

// BenchmarkProportionDifference measures the two-proportion z test with
// Newcombe's interval of the difference.
func BenchmarkProportionDifference(b *testing.B) {
	for b.Loop() {
		ProportionDifference(3120, 4000, 2950, 3900)
	}
}

// BenchmarkWelchTTest measures Welch's t test from two summaries
// (Welch–Satterthwaite df, t quantile and tail).
func BenchmarkWelchTTest(b *testing.B) {
	x := benchDist(b, CSATScale, 20_000, []int{5, 7, 15, 38, 35}, 5).Summary()
	y := benchDist(b, CSATScale, 15_000, []int{6, 8, 16, 37, 33}, 6).Summary()
	for b.Loop() {
		WelchTTest(x, y)
	}
}

// BenchmarkMeanDifference measures the same test from two CSAT
// distributions, summaries included.
func BenchmarkMeanDifference(b *testing.B) {
	x := benchDist(b, CSATScale, 20_000, []int{5, 7, 15, 38, 35}, 5)
	y := benchDist(b, CSATScale, 15_000, []int{6, 8, 16, 37, 33}, 6)
	for b.Loop() {
		MeanDifference(x, y)
	}
}

// BenchmarkWilsonInterval measures one Wilson score interval.
func BenchmarkWilsonInterval(b *testing.B) {
	for b.Loop() {
		WilsonInterval(731, 1000, 0.95)
	}
}

// BenchmarkTInterval measures one t interval for a mean at n = 30, where
// the t quantile is not the normal one.
func BenchmarkTInterval(b *testing.B) {
	s := Summary{N: 30, Mean: 3.9, Var: 1.2}
	for b.Loop() {
		TInterval(s, 0.95)
	}
}

// BenchmarkAdjustBH measures Benjamini–Hochberg over 200 p-values, the
// widest segment comparison the dashboard makes (the 200-value attribute).
func BenchmarkAdjustBH(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	p := make([]float64, 200)
	for i := range p {
		p[i] = r.Float64()
	}
	for b.Loop() {
		AdjustBH(p)
	}
}
