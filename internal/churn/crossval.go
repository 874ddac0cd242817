package churn

import (
	"fmt"
	"math"
)

// Criterion is the held-out score SelectLambda maximises or minimises.
type Criterion int

const (
	// ByAUC picks the λ with the highest mean held-out ROC AUC: best at
	// ranking customers, which is what a call list needs.
	ByAUC Criterion = iota
	// ByLogLoss picks the λ with the lowest mean held-out log-loss: best
	// probabilities, which matter when P(churn) is multiplied by value.
	ByLogLoss
)

// CVOptions tunes SelectLambda.
type CVOptions struct {
	// Lambdas are the L2 penalties to try (each > 0).
	Lambdas []float64
	// Folds is k, the number of folds (≥ 2).
	Folds int
	// Criterion chooses the score; the zero value is ByAUC.
	Criterion Criterion
	// Fit is passed to Fit for every fold; its Lambda is ignored.
	Fit FitOptions
}

// CVResult is the cross-validated score of one penalty strength.
type CVResult struct {
	// Lambda is the L2 penalty tried.
	Lambda float64 `json:"lambda"`
	// MeanAUC is the mean of the held-out folds' ROC AUCs.
	MeanAUC float64 `json:"mean_auc"`
	// MeanLogLoss is the mean of the held-out folds' mean log-loss,
	// −[y log p + (1−y) log(1−p)].
	MeanLogLoss float64 `json:"mean_log_loss"`
}

// SelectLambda chooses the L2 penalty by k-fold cross-validation on the
// given (training) rows: row i is held out in fold i mod k, so the split
// is deterministic and, for data in no particular order, balanced. Every λ
// is fitted on k−1 folds and scored on the held-out one; the best by the
// criterion is returned with every λ's scores. Ties go to the larger λ
// (the simpler model).
func SelectLambda(rows []Row, churned []bool, cv CVOptions) (float64, []CVResult, error) {
	k := cv.Folds
	if k < 2 {
		return 0, nil, fmt.Errorf("churn: select lambda: %d folds, want ≥ 2", k)
	}
	if len(cv.Lambdas) == 0 {
		return 0, nil, fmt.Errorf("churn: select lambda: no lambdas")
	}
	if len(rows) != len(churned) {
		return 0, nil, fmt.Errorf("churn: select lambda: %d rows, %d labels", len(rows), len(churned))
	}
	results := make([]CVResult, len(cv.Lambdas))
	best := -1
	for li, lambda := range cv.Lambdas {
		res := CVResult{Lambda: lambda}
		for f := range k {
			var trR, teR []Row
			var trY, teY []bool
			for i, r := range rows {
				if i%k == f {
					teR, teY = append(teR, r), append(teY, churned[i])
				} else {
					trR, trY = append(trR, r), append(trY, churned[i])
				}
			}
			o := cv.Fit
			o.Lambda = lambda
			m, err := Fit(trR, trY, o)
			if err != nil {
				return 0, nil, fmt.Errorf("churn: select lambda: λ=%v fold %d: %w", lambda, f, err)
			}
			probs := m.PredictAll(teR)
			auc, err := AUC(probs, teY)
			if err != nil {
				return 0, nil, fmt.Errorf("churn: select lambda: λ=%v fold %d: %w", lambda, f, err)
			}
			res.MeanAUC += auc / float64(k)
			res.MeanLogLoss += logLoss(probs, teY) / float64(k)
		}
		results[li] = res
		if best < 0 || better(res, results[best], cv.Criterion) {
			best = li
		}
	}
	if math.IsNaN(results[best].MeanAUC) || math.IsNaN(results[best].MeanLogLoss) {
		return 0, results, fmt.Errorf("churn: select lambda: no finite score")
	}
	return results[best].Lambda, results, nil
}

// better reports whether a beats b under c, ties going to the larger λ.
func better(a, b CVResult, c Criterion) bool {
	sa, sb := a.MeanAUC, b.MeanAUC
	if c == ByLogLoss {
		sa, sb = -a.MeanLogLoss, -b.MeanLogLoss
	}
	return sa > sb || (sa == sb && a.Lambda > b.Lambda)
}

// logLoss is the mean negative log-likelihood of the labels, with p clamped
// away from 0 and 1 so one confident miss is large but finite.
func logLoss(probs []float64, labels []bool) float64 {
	const eps = 1e-15
	var s float64
	for i, p := range probs {
		p = math.Min(math.Max(p, eps), 1-eps)
		if labels[i] {
			s -= math.Log(p)
		} else {
			s -= math.Log1p(-p)
		}
	}
	return s / float64(len(probs))
}
