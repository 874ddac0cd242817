package drivers

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// ErrCollinear is returned when the predictors are (nearly) linearly
// dependent, so the predictor correlation matrix has no inverse square root
// and relative weights are undefined. Remove one of the redundant predictors
// (for one-hot attributes: leave one category out).
var ErrCollinear = errors.New("drivers: predictors are perfectly collinear")

// collinearTol is the smallest eigenvalue of Rxx, relative to the largest,
// below which the predictors are treated as linearly dependent. A condition
// number past 1e10 leaves fewer than ~6 trustworthy digits in Λ⁻¹.
const collinearTol = 1e-10

// Weights holds the result of a relative-weight decomposition.
type Weights struct {
	// Raw is the raw relative weight ε_j of each predictor, in input order.
	// The raw weights are non-negative and sum to RSquared.
	Raw []float64
	// Rescaled is 100·ε_j/R², each predictor's percentage of R²; the values
	// sum to 100. All zero when R² is zero.
	Rescaled []float64
	// Beta is the standardised multiple-regression coefficient of each
	// predictor, Rxx⁻¹·rxy; its sign tells whether the predictor pushes the
	// outcome up or down when the others are held fixed.
	Beta []float64
	// RSquared is the R² of the regression of the outcome on all predictors.
	RSquared float64
}

// RelativeWeights computes Johnson's (2000) relative weights from the
// k×k predictor correlation matrix rxx (symmetric, unit diagonal) and the
// k correlations rxy of the predictors with the outcome.
//
// Johnson (2000), section "A heuristic method" (restated in Tonidandel &
// LeBreton 2011, J Bus Psychol 26:1–9): with the eigendecomposition Rxx = P Δ P',
//
//	Λ = P Δ^{1/2} P'           correlations of the predictors X with their
//	                           best orthonormal approximation Z
//	β = Λ⁻¹ rxy = P Δ^{-1/2} P' rxy   regression of the outcome on Z
//	ε_j = Σ_k λ_jk² β_k²       raw weight of predictor j
//
// and Σ_j ε_j = Σ_k β_k² = R² because the columns of Λ have unit length.
func RelativeWeights(rxx [][]float64, rxy []float64) (Weights, error) {
	k := len(rxy)
	if k == 0 {
		return Weights{}, fmt.Errorf("drivers: relative weights: no predictors")
	}
	if len(rxx) != k {
		return Weights{}, fmt.Errorf("drivers: relative weights: rxx has %d rows, rxy has %d entries", len(rxx), k)
	}
	sym := mat.NewSymDense(k, nil)
	for i := range k {
		if len(rxx[i]) != k {
			return Weights{}, fmt.Errorf("drivers: relative weights: rxx row %d has %d entries, want %d", i, len(rxx[i]), k)
		}
		for j := range k {
			v := rxx[i][j]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return Weights{}, fmt.Errorf("drivers: relative weights: rxx[%d][%d] is %v", i, j, v)
			}
			if math.Abs(v-rxx[j][i]) > 1e-9 {
				return Weights{}, fmt.Errorf("drivers: relative weights: rxx is not symmetric at [%d][%d]", i, j)
			}
		}
		if math.Abs(rxx[i][i]-1) > 1e-9 {
			return Weights{}, fmt.Errorf("drivers: relative weights: rxx[%d][%d] = %v, want 1", i, i, rxx[i][i])
		}
		if v := rxy[i]; math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1+1e-9 {
			return Weights{}, fmt.Errorf("drivers: relative weights: rxy[%d] = %v is not a correlation", i, v)
		}
		for j := i; j < k; j++ {
			sym.SetSym(i, j, rxx[i][j])
		}
	}

	var eig mat.EigenSym
	if !eig.Factorize(sym, true) {
		return Weights{}, fmt.Errorf("drivers: relative weights: eigendecomposition of rxx did not converge")
	}
	delta := eig.Values(nil) // ascending
	var p mat.Dense
	eig.VectorsTo(&p)
	if delta[0] <= collinearTol*delta[k-1] {
		return Weights{}, fmt.Errorf("%w (smallest eigenvalue of the correlation matrix %.3g, largest %.3g)", ErrCollinear, delta[0], delta[k-1])
	}

	// Λ = P Δ^{1/2} P' and Λ⁻¹ = P Δ^{-1/2} P' (Johnson 2000).
	sqrtD := make([]float64, k)
	invSqrtD := make([]float64, k)
	for i, d := range delta {
		sqrtD[i] = math.Sqrt(d)
		invSqrtD[i] = 1 / sqrtD[i]
	}
	var lambda, lambdaInv, tmp mat.Dense
	tmp.Mul(&p, mat.NewDiagDense(k, sqrtD))
	lambda.Mul(&tmp, p.T())
	tmp.Reset()
	tmp.Mul(&p, mat.NewDiagDense(k, invSqrtD))
	lambdaInv.Mul(&tmp, p.T())

	// β = Λ⁻¹ rxy: the outcome regressed on the orthonormal Z.
	var beta mat.VecDense
	beta.MulVec(&lambdaInv, mat.NewVecDense(k, append([]float64(nil), rxy...)))

	w := Weights{
		Raw:      make([]float64, k),
		Rescaled: make([]float64, k),
		Beta:     make([]float64, k),
	}
	// ε_j = Σ_k λ_jk² β_k² (Johnson 2000).
	for j := range k {
		var e float64
		for c := range k {
			l := lambda.At(j, c)
			b := beta.AtVec(c)
			e += l * l * b * b
		}
		w.Raw[j] = e
		w.RSquared += e
	}
	if w.RSquared > 0 {
		for j := range k {
			w.Rescaled[j] = 100 * w.Raw[j] / w.RSquared
		}
	}

	// Standardised regression coefficients Rxx⁻¹ rxy = Λ⁻¹ Λ⁻¹ rxy.
	var b mat.VecDense
	b.MulVec(&lambdaInv, &beta)
	for j := range k {
		w.Beta[j] = b.AtVec(j)
	}
	return w, nil
}
