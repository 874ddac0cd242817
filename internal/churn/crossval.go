package churn

import (
	"fmt"
	"math"
)

// CVResult is the cross-validated score of one penalty strength.
type CVResult struct {
	// Lambda is the L2 penalty tried.
	Lambda float64 `json:"lambda"`
	// MeanAUC is the mean of the held-out folds' ROC AUCs.
	MeanAUC float64 `json:"mean_auc"`
}

// SelectLambda chooses the L2 penalty by k-fold cross-validation on the
// given (training) rows: row i is held out in fold i mod k, so the split
// is deterministic and, for data in no particular order, balanced. Each
// λ is scored by the mean held-out ROC AUC; the best λ is returned with
// every score. Ties go to the larger λ (the simpler model).
func SelectLambda(rows []Row, churned []bool, lambdas []float64, k int, opts FitOptions) (float64, []CVResult, error) {
	if k < 2 {
		return 0, nil, fmt.Errorf("churn: select lambda: k = %d folds, want ≥ 2", k)
	}
	if len(lambdas) == 0 {
		return 0, nil, fmt.Errorf("churn: select lambda: no lambdas")
	}
	results := make([]CVResult, len(lambdas))
	best := -1
	for li, lambda := range lambdas {
		var sum float64
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
			o := opts
			o.Lambda = lambda
			m, err := Fit(trR, trY, o)
			if err != nil {
				return 0, nil, fmt.Errorf("churn: select lambda: λ=%v fold %d: %w", lambda, f, err)
			}
			auc, err := AUC(m.PredictAll(teR), teY)
			if err != nil {
				return 0, nil, fmt.Errorf("churn: select lambda: λ=%v fold %d: %w", lambda, f, err)
			}
			sum += auc
		}
		results[li] = CVResult{Lambda: lambda, MeanAUC: sum / float64(k)}
		if best < 0 || results[li].MeanAUC > results[best].MeanAUC ||
			(results[li].MeanAUC == results[best].MeanAUC && lambda > results[best].Lambda) {
			best = li
		}
	}
	if math.IsNaN(results[best].MeanAUC) {
		return 0, results, fmt.Errorf("churn: select lambda: no finite score")
	}
	return results[best].Lambda, results, nil
}
