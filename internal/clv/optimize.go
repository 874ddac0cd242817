package clv

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/optimize"
)

// FitOptions control maximum likelihood estimation. The zero value is ready
// to use.
type FitOptions struct {
	// Initial, when set, is the starting point, in the order of the model's
	// parameters (e.g. r, α, a, b); every value must be positive.
	Initial []float64
	// MaxIterations caps the Nelder–Mead iterations; 0 means 10,000.
	MaxIterations int
}

// FitResult reports a maximum likelihood fit.
type FitResult struct {
	// LogLikelihood is the maximised log-likelihood over all customers.
	LogLikelihood float64
	// Customers is the number of customers (sum of group counts).
	Customers int
	// Evaluations is the number of log-likelihood evaluations.
	Evaluations int
}

// ErrNoConvergence is returned when the optimiser cannot find a finite
// maximum of the likelihood.
var ErrNoConvergence = errors.New("clv: fit did not converge")

// maximize finds the parameters (all positive) that maximise ll, working on
// their logarithms so the search is unconstrained. Nelder–Mead gets close
// without derivatives, then BFGS with central-difference gradients polishes
// the optimum; on flat ridges (b in BG/NBD on CDNOW) the polish is what
// gets the published digits.
func maximize(ll func(p []float64) float64, start []float64, n int, o FitOptions) ([]float64, FitResult, error) {
	if o.Initial != nil {
		if len(o.Initial) != len(start) {
			return nil, FitResult{}, fmt.Errorf("%w: initial: want %d parameters, got %d", ErrInvalid, len(start), len(o.Initial))
		}
		for i, v := range o.Initial {
			if !(v > 0) || math.IsInf(v, 0) {
				return nil, FitResult{}, fmt.Errorf("%w: initial[%d] must be positive and finite", ErrInvalid, i)
			}
		}
		start = o.Initial
	}
	maxIter := o.MaxIterations
	if maxIter <= 0 {
		maxIter = 10000
	}
	scale := float64(n)
	evals := 0
	p := make([]float64, len(start))
	obj := func(theta []float64) float64 {
		evals++
		for i, t := range theta {
			p[i] = math.Exp(t)
		}
		v := -ll(p) / scale
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return math.Inf(1)
		}
		return v
	}
	theta := make([]float64, len(start))
	for i, v := range start {
		theta[i] = math.Log(v)
	}
	nm, err := optimize.Minimize(optimize.Problem{Func: obj}, theta, &optimize.Settings{
		MajorIterations: maxIter,
		Converger:       &optimize.FunctionConverge{Absolute: 1e-13, Relative: 1e-13, Iterations: 50},
	}, &optimize.NelderMead{})
	if err != nil && nm == nil {
		return nil, FitResult{}, fmt.Errorf("%w: nelder-mead: %v", ErrNoConvergence, err)
	}
	best, bestF := nm.X, nm.F
	grad := func(dst, x []float64) {
		fd.Gradient(dst, obj, x, &fd.Settings{Formula: fd.Central, Step: 1e-6})
	}
	bf, err := optimize.Minimize(optimize.Problem{Func: obj, Grad: grad}, best, &optimize.Settings{
		GradientThreshold: 1e-10,
		MajorIterations:   500,
		Converger:         &optimize.FunctionConverge{Absolute: 1e-15, Relative: 1e-15, Iterations: 20},
	}, &optimize.BFGS{})
	if bf != nil && bf.F <= bestF && !math.IsInf(bf.F, 0) {
		best, bestF = bf.X, bf.F
	}
	if math.IsInf(bestF, 0) || math.IsNaN(bestF) {
		return nil, FitResult{}, ErrNoConvergence
	}
	out := make([]float64, len(best))
	for i, t := range best {
		out[i] = math.Exp(t)
	}
	return out, FitResult{LogLikelihood: ll(out), Customers: n, Evaluations: evals}, nil
}

// customers returns the number of customers in groups.
func customers(gs []Group) int {
	n := 0
	for _, g := range gs {
		n += g.Count
	}
	return n
}

// meanT returns the customer-weighted mean of T and of x, used to scale the
// starting values so fits start sensibly in weeks and in days alike.
func meanT(gs []Group) (t, x float64) {
	n := 0.0
	for _, g := range gs {
		c := float64(g.Count)
		t += c * g.T
		x += c * float64(g.X)
		n += c
	}
	return t / n, x / n
}
