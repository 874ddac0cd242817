package text

import (
	"math"
	"sort"
)

// IsTestRow reports whether row i (0-based, data rows only) belongs to the
// evaluation test slice. The datasets cxlens is evaluated on are sorted by
// label, so the split is by index modulo 10, never head or tail.
func IsTestRow(i int) bool { return i%10 == 7 }

// Accuracy is the share of predictions equal to the truth.
func Accuracy(truth, pred []int) float64 {
	if len(truth) == 0 {
		return math.NaN()
	}
	ok := 0
	for i := range truth {
		if truth[i] == pred[i] {
			ok++
		}
	}
	return float64(ok) / float64(len(truth))
}

// MacroF1 is the unweighted mean over classes 0..k−1 of each class's F1
// (2·precision·recall / (precision + recall), 0 when undefined), as
// scikit-learn's f1_score(average="macro") computes it for classes present
// in truth or predictions.
func MacroF1(truth, pred []int, k int) float64 {
	tp := make([]float64, k)
	fp := make([]float64, k)
	fn := make([]float64, k)
	for i := range truth {
		if truth[i] == pred[i] {
			tp[truth[i]]++
		} else {
			fp[pred[i]]++
			fn[truth[i]]++
		}
	}
	sum, n := 0.0, 0
	for c := 0; c < k; c++ {
		if tp[c]+fp[c]+fn[c] == 0 {
			continue
		}
		n++
		if tp[c] > 0 {
			sum += 2 * tp[c] / (2*tp[c] + fp[c] + fn[c])
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// ROCAUC is the area under the ROC curve of scores for the positives:
// the probability that a random positive scores above a random negative,
// ties counting one half (the Mann–Whitney U statistic over n₊·n₋). It is
// NaN without both classes.
func ROCAUC(scores []float64, positive []bool) float64 {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return scores[idx[a]] < scores[idx[b]] })
	var nPos, nNeg, rankSum float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		avgRank := float64(i+j+1) / 2 // 1-based ranks i+1..j
		for t := i; t < j; t++ {
			if positive[idx[t]] {
				nPos++
				rankSum += avgRank
			} else {
				nNeg++
			}
		}
		i = j
	}
	if nPos == 0 || nNeg == 0 {
		return math.NaN()
	}
	return (rankSum - nPos*(nPos+1)/2) / (nPos * nNeg)
}

// MacroAUC is the mean one-vs-rest ROCAUC over the k classes, from
// per-example class probabilities.
func MacroAUC(probs [][]float64, truth []int, k int) float64 {
	sum, n := 0.0, 0
	s := make([]float64, len(probs))
	pos := make([]bool, len(probs))
	for c := 0; c < k; c++ {
		for i := range probs {
			s[i] = probs[i][c]
			pos[i] = truth[i] == c
		}
		if a := ROCAUC(s, pos); !math.IsNaN(a) {
			sum += a
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// ExpectedCalibrationError is the top-label ECE (Guo et al. 2017, §2 eq. 3)
// over equal-width confidence bins: Σ_b (n_b/n)·|accuracy_b − confidence_b|,
// where each example's confidence is its largest class probability.
func ExpectedCalibrationError(probs [][]float64, truth []int, bins int) float64 {
	count := make([]float64, bins)
	conf := make([]float64, bins)
	hit := make([]float64, bins)
	for i, p := range probs {
		best := 0
		for c := range p {
			if p[c] > p[best] {
				best = c
			}
		}
		b := min(int(p[best]*float64(bins)), bins-1)
		count[b]++
		conf[b] += p[best]
		if best == truth[i] {
			hit[b]++
		}
	}
	ece := 0.0
	for b := range count {
		if count[b] > 0 {
			ece += math.Abs(hit[b]-conf[b]) / float64(len(probs))
		}
	}
	return ece
}

// BrierScore is the mean squared error of the probabilities against the
// one-hot truth. For two classes it reports the usual binary Brier score
// (squared error of the second class's probability), half the multi-class
// sum.
func BrierScore(probs [][]float64, truth []int) float64 {
	if len(probs) == 0 {
		return math.NaN()
	}
	sum := 0.0
	for i, p := range probs {
		if len(p) == 2 {
			y := 0.0
			if truth[i] == 1 {
				y = 1
			}
			sum += (p[1] - y) * (p[1] - y)
			continue
		}
		for c := range p {
			y := 0.0
			if truth[i] == c {
				y = 1
			}
			sum += (p[c] - y) * (p[c] - y)
		}
	}
	return sum / float64(len(probs))
}
