package metrics

import (
	"math"
	"slices"
)

// AdjustBH returns Benjamini–Hochberg adjusted p-values, in the order of p,
// for controlling the false discovery rate across many comparisons (e.g. NPS
// by every segment): reject the hypotheses whose adjusted p-value is at most
// the chosen FDR q.
//
// Benjamini & Hochberg (1995), JRSS B 57(1):289–300, step-up procedure; the
// adjusted values are those of R's p.adjust(p, method = "BH")
// (R src/library/stats/R/p.adjust.R): with the m non-NaN p-values sorted
// descending, p̃_(i) = min(1, min_{j ≥ i} m/j · p_(j)). NaN entries stay NaN
// and do not count towards m, as R does with NA. p is not modified.
func AdjustBH(p []float64) []float64 {
	out := make([]float64, len(p))
	idx := make([]int, 0, len(p))
	for i, v := range p {
		if math.IsNaN(v) {
			out[i] = math.NaN()
			continue
		}
		idx = append(idx, i)
	}
	// Sort by p-value, largest first; ties keep input order (stable), which
	// does not change the result since tied values get the same adjustment.
	slices.SortStableFunc(idx, func(x, y int) int {
		switch {
		case p[x] > p[y]:
			return -1
		case p[x] < p[y]:
			return 1
		}
		return 0
	})
	m := float64(len(idx))
	running := math.Inf(1)
	for k, i := range idx {
		rank := m - float64(k) // rank in ascending order, 1-based
		running = min(running, m/rank*p[i])
		out[i] = min(1, running)
	}
	return out
}
