package kpi

import (
	"math"
	"slices"
)

// Quantile returns the p-quantile (0 ≤ p ≤ 1) of xs by linear interpolation
// between order statistics, type 7 of Hyndman & Fan (1996), "Sample
// Quantiles in Statistical Packages", The American Statistician 50(4):
// 361–365, the default of R's quantile() and of NumPy:
//
//	h = (n − 1)·p,  Q(p) = x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎)
//
// with x₍₀₎ ≤ … ≤ x₍ₙ₋₁₎ the sorted values (0-based). NaNs are skipped. ok
// is false, and the result 0, when xs has no values or p is outside [0, 1].
// xs is not modified.
func Quantile(xs []float64, p float64) (q float64, ok bool) {
	s := sortedFinite(xs)
	return quantileSorted(s, p)
}

// Median returns the median of xs, Quantile(xs, 0.5).
func Median(xs []float64) (float64, bool) { return Quantile(xs, 0.5) }

func sortedFinite(xs []float64) []float64 {
	s := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			s = append(s, x)
		}
	}
	slices.Sort(s)
	return s
}

func quantileSorted(s []float64, p float64) (float64, bool) {
	if len(s) == 0 || !(p >= 0 && p <= 1) {
		return 0, false
	}
	h := float64(len(s)-1) * p
	lo := math.Floor(h)
	i := int(lo)
	if i >= len(s)-1 {
		return s[len(s)-1], true
	}
	return s[i] + (h-lo)*(s[i+1]-s[i]), true
}
