package churn

import (
	"fmt"
	"math"
	"slices"
)

// AUC returns the area under the ROC curve of scores for the binary labels
// (true = positive, e.g. churned): the probability that a random positive
// scores higher than a random negative, ties counting one half.
//
// Computed exactly through ranks, the Mann–Whitney relation (Hanley &
// McNeil 1982, "The meaning and use of the area under a receiver operating
// characteristic (ROC) curve", Radiology 143(1):29–36):
//
//	AUC = U / (n₁ n₀),   U = R₁ − n₁(n₁+1)/2,
//
// where R₁ is the sum of the positives' ranks among all scores, tied scores
// sharing their mid-rank. O(n log n).
func AUC(scores []float64, labels []bool) (float64, error) {
	u, n1, n0, err := MannWhitneyU(scores, labels)
	if err != nil {
		return 0, err
	}
	return u / (float64(n1) * float64(n0)), nil
}

// MannWhitneyU returns the Mann–Whitney U statistic of the positives'
// scores against the negatives' (the number of positive–negative pairs in
// which the positive scores higher, ties counting ½), with the group sizes.
// It fails when either group is empty or a score is NaN.
func MannWhitneyU(scores []float64, labels []bool) (u float64, nPos, nNeg int, err error) {
	if len(scores) != len(labels) {
		return 0, 0, 0, fmt.Errorf("churn: auc: %d scores, %d labels", len(scores), len(labels))
	}
	idx := make([]int, len(scores))
	for i, s := range scores {
		if math.IsNaN(s) {
			return 0, 0, 0, fmt.Errorf("churn: auc: score %d is NaN", i)
		}
		idx[i] = i
		if labels[i] {
			nPos++
		}
	}
	nNeg = len(scores) - nPos
	if nPos == 0 || nNeg == 0 {
		return 0, nPos, nNeg, fmt.Errorf("churn: auc: need positives and negatives (%d positive, %d negative)", nPos, nNeg)
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case scores[a] < scores[b]:
			return -1
		case scores[a] > scores[b]:
			return 1
		}
		return 0
	})
	// Sum the positives' ranks (1-based), giving a run of ties its mid-rank.
	var rankSum float64
	for i := 0; i < len(idx); {
		j := i
		var pos int
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			if labels[idx[j]] {
				pos++
			}
			j++
		}
		mid := float64(i+1+j) / 2 // mean of ranks i+1 … j
		rankSum += float64(pos) * mid
		i = j
	}
	n1 := float64(nPos)
	return rankSum - n1*(n1+1)/2, nPos, nNeg, nil
}
