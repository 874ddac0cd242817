// Package churn predicts which subscription customers are about to leave:
// an L2-regularised logistic regression over customer attributes,
// behaviour and CX scores, with per-customer reasons, and the evaluation
// measures to trust it by (ROC AUC and calibration).
//
// The package is pure computation. A caller turns each customer into a Row
// of numeric and categorical attributes, fits a Model on customers whose
// outcome is known, and scores the active ones.
package churn
