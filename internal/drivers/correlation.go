package drivers

import "math"

// correlations returns the Pearson correlation matrix of the columns cols
// (all of the same length) and the correlations of each column with y.
// Two-pass (centre first) sums keep precision for ratings with a large mean.
func correlations(cols [][]float64, y []float64) (rxx [][]float64, rxy []float64) {
	k := len(cols)
	n := len(y)
	centred := make([][]float64, k+1)
	norm := make([]float64, k+1)
	for c, col := range append(append([][]float64(nil), cols...), y) {
		var mean float64
		for _, v := range col {
			mean += v
		}
		mean /= float64(n)
		d := make([]float64, n)
		var ss float64
		for i, v := range col {
			d[i] = v - mean
			ss += d[i] * d[i]
		}
		centred[c] = d
		norm[c] = math.Sqrt(ss)
	}
	r := func(a, b int) float64 {
		var s float64
		for i := range n {
			s += centred[a][i] * centred[b][i]
		}
		v := s / (norm[a] * norm[b])
		// Rounding can push |r| a hair past 1.
		return math.Max(-1, math.Min(1, v))
	}
	rxx = make([][]float64, k)
	rxy = make([]float64, k)
	for i := range k {
		rxx[i] = make([]float64, k)
		rxx[i][i] = 1
		for j := range i {
			rxx[i][j] = r(i, j)
			rxx[j][i] = rxx[i][j]
		}
		rxy[i] = r(i, k)
	}
	return rxx, rxy
}
