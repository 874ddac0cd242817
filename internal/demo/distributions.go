package demo

import (
	"math"
	"math/rand/v2"
	"time"
)

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// logNormal draws a log-normal value with the given median and log-sd.
func logNormal(r *rand.Rand, median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

// poisson draws a Poisson count (Knuth's method; lambda is small here).
func poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// weighted returns an index drawn with probability proportional to w.
func weighted(r *rand.Rand, w []float64) int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	u := r.Float64() * total
	for i, x := range w {
		if u < x {
			return i
		}
		u -= x
	}
	return len(w) - 1
}

// choice is one option of a weighted table.
type choice[T any] struct {
	value  T
	weight float64
}

// choose draws from a weighted table.
func choose[T any](r *rand.Rand, table []choice[T]) T {
	w := make([]float64, len(table))
	for i, c := range table {
		w[i] = c.weight
	}
	return table[weighted(r, w)].value
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

func clampInt(x, lo, hi int) int { return max(lo, min(hi, x)) }

// seconds converts a float number of seconds to a duration of whole seconds.
func seconds(s float64) time.Duration { return time.Duration(math.Round(s)) * time.Second }

// between returns a time uniformly in [from, to), to the second.
func between(r *rand.Rand, from, to time.Time) time.Time {
	d := to.Sub(from)
	if d <= time.Second {
		return from
	}
	return from.Add(time.Duration(r.Int64N(int64(d/time.Second))) * time.Second)
}

// hazard turns an annual probability into one for a step of the given
// length in weeks, assuming a constant rate.
func hazard(annual, weeks float64) float64 {
	return 1 - math.Pow(1-clamp(annual, 0, 0.999), weeks/52)
}

// round2 rounds money to cents.
func round2(x float64) float64 { return math.Round(x*100) / 100 }
