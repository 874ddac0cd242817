package churn

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// FitOptions tunes Fit.
type FitOptions struct {
	// Lambda is the L2 penalty strength λ > 0 (see Fit). Larger values
	// shrink the coefficients harder. λ = 1 matches scikit-learn's
	// LogisticRegression default (C = 1/λ = 1).
	Lambda float64
	// Interactions are passed to FitEncoder.
	Interactions []Interaction
	// MaxIter caps the Newton iterations; 0 means 100.
	MaxIter int
}

// Model is a fitted churn model: P(churn | x) = 1/(1 + exp(−(b₀ + β·x)))
// with x the Encoder's design vector.
type Model struct {
	// Encoder maps a Row to the design vector.
	Encoder *Encoder
	// Intercept is b₀.
	Intercept float64
	// Coef holds β, one per Encoder column.
	Coef []float64
	// Lambda is the L2 penalty the model was fitted with.
	Lambda float64
	// Iterations is the number of Newton steps taken.
	Iterations int
	// ColumnMeans holds each encoded column's training mean, the reference
	// customer of Reasons (0 for standardised numerics, the level's share
	// for one-hot columns).
	ColumnMeans []float64
}

// ErrNotConverged is returned when Newton's method does not reach the
// optimum within MaxIter steps.
var ErrNotConverged = errors.New("churn: logistic regression did not converge")

// Fit fits an L2-regularised logistic regression of churned on the rows by
// Newton's method (iteratively reweighted least squares), minimising
//
//	−Σ_i [y_i log p_i + (1−y_i) log(1−p_i)] + (λ/2)·‖β‖²
//
// with the intercept unpenalised (Hastie, Tibshirani & Friedman, The
// Elements of Statistical Learning, 2nd ed., §4.4.1 for the Newton/IRLS
// step and §4.4.4 for the penalty). The objective is strictly convex for
// λ > 0, so the optimum is unique even when one-hot columns are collinear
// with the intercept; each Newton step solves
//
//	(X'WX + λI₀) Δ = X'(y − p) − λβ₀,   W = diag(p_i(1−p_i))
//
// by Cholesky, halving the step while the objective does not decrease.
func Fit(rows []Row, churned []bool, opts FitOptions) (*Model, error) {
	if len(rows) != len(churned) {
		return nil, fmt.Errorf("churn: fit: %d rows, %d labels", len(rows), len(churned))
	}
	if !(opts.Lambda > 0) || math.IsInf(opts.Lambda, 0) {
		return nil, fmt.Errorf("churn: fit: lambda = %v, want a finite value > 0", opts.Lambda)
	}
	var pos int
	for _, c := range churned {
		if c {
			pos++
		}
	}
	if pos == 0 || pos == len(churned) {
		return nil, fmt.Errorf("churn: fit: need both churned and retained customers (%d of %d churned)", pos, len(churned))
	}
	enc, err := FitEncoder(rows, opts.Interactions)
	if err != nil {
		return nil, fmt.Errorf("churn: fit: %w", err)
	}
	xs := make([][]float64, len(rows))
	for i, r := range rows {
		xs[i] = enc.Encode(r)
	}
	y := make([]float64, len(rows))
	for i, c := range churned {
		y[i] = indicator(c)
	}
	w, iters, err := newton(xs, y, opts.Lambda, opts.MaxIter)
	if errors.Is(err, ErrNotConverged) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("churn: fit: %w", err)
	}
	m := &Model{
		Encoder:     enc,
		Intercept:   w[0],
		Coef:        w[1:],
		Lambda:      opts.Lambda,
		Iterations:  iters,
		ColumnMeans: columnMeans(xs, enc.Width()),
	}
	return m, nil
}

// newton minimises the penalised negative log-likelihood over (b₀, β); the
// design rows xs exclude the intercept column.
func newton(xs [][]float64, y []float64, lambda float64, maxIter int) ([]float64, int, error) {
	if maxIter <= 0 {
		maxIter = 100
	}
	d := len(xs[0]) + 1
	w := make([]float64, d)
	// Start at the intercept of the null model, log(ȳ/(1−ȳ)).
	var ybar float64
	for _, v := range y {
		ybar += v
	}
	ybar /= float64(len(y))
	w[0] = math.Log(ybar / (1 - ybar))

	obj := objective(xs, y, w, lambda)
	h := mat.NewSymDense(d, nil)
	g := mat.NewVecDense(d, nil)
	xi := make([]float64, d)
	for it := 1; it <= maxIter; it++ {
		h.Zero()
		g.Zero()
		hd := h.RawSymmetric().Data
		gd := g.RawVector().Data
		for i, row := range xs {
			xi[0] = 1
			copy(xi[1:], row)
			p := sigmoid(dot(w, xi))
			r := y[i] - p
			wt := p * (1 - p)
			for a := range d {
				if xi[a] == 0 {
					continue
				}
				gd[a] += xi[a] * r
				s := wt * xi[a]
				base := a * d
				for b := a; b < d; b++ {
					hd[base+b] += s * xi[b]
				}
			}
		}
		for a := 1; a < d; a++ {
			gd[a] -= lambda * w[a]
			hd[a*d+a] += lambda
		}
		var chol mat.Cholesky
		if !chol.Factorize(h) {
			return nil, it, fmt.Errorf("penalised Hessian is not positive definite at step %d", it)
		}
		var step mat.VecDense
		if err := chol.SolveVecTo(&step, g); err != nil {
			return nil, it, fmt.Errorf("newton step %d: %w", it, err)
		}
		// Step halving keeps every step downhill (the full Newton step can
		// overshoot far from the optimum).
		t := 1.0
		next := make([]float64, d)
		var nextObj float64
		for range 30 {
			for a := range d {
				next[a] = w[a] + t*step.AtVec(a)
			}
			nextObj = objective(xs, y, next, lambda)
			if nextObj <= obj {
				break
			}
			t /= 2
		}
		var maxStep float64
		for a := range d {
			maxStep = math.Max(maxStep, math.Abs(next[a]-w[a]))
		}
		w, obj = next, nextObj
		if maxStep < 1e-9 {
			return w, it, nil
		}
	}
	return nil, maxIter, fmt.Errorf("%w within %d Newton steps (λ = %v)", ErrNotConverged, maxIter, lambda)
}

// objective is the penalised negative log-likelihood of Fit.
func objective(xs [][]float64, y, w []float64, lambda float64) float64 {
	var nll float64
	for i, row := range xs {
		eta := w[0] + dot(w[1:], row)
		// −[y log p + (1−y) log(1−p)] = log(1+e^η) − yη, computed stably.
		nll += softplus(eta) - y[i]*eta
	}
	var pen float64
	for _, b := range w[1:] {
		pen += b * b
	}
	return nll + lambda/2*pen
}

// Predict returns P(churn) for r.
func (m *Model) Predict(r Row) float64 {
	return sigmoid(m.Intercept + dot(m.Coef, m.Encoder.Encode(r)))
}

// PredictAll returns P(churn) for each row.
func (m *Model) PredictAll(rows []Row) []float64 {
	out := make([]float64, len(rows))
	for i, r := range rows {
		out[i] = m.Predict(r)
	}
	return out
}

func columnMeans(xs [][]float64, width int) []float64 {
	means := make([]float64, width)
	for _, row := range xs {
		for j, v := range row {
			means[j] += v
		}
	}
	for j := range means {
		means[j] /= float64(len(xs))
	}
	return means
}

func dot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// softplus is log(1 + e^z) without overflow.
func softplus(z float64) float64 {
	if z > 0 {
		return z + math.Log1p(math.Exp(-z))
	}
	return math.Log1p(math.Exp(z))
}
