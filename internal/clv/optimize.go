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

// objective is a log-likelihood to maximise over positive parameters.
type objective struct {
	ll func(p []float64) float64
	// grad, when set, returns the log-likelihood and stores its gradient
	// with respect to p in g.
	grad func(p, g []float64) float64
}

// maximize finds the parameters (all positive) that maximise the
// log-likelihood, working on their logarithms so the search is
// unconstrained, and on the mean per customer so tolerances do not depend
// on the sample size. With an analytic gradient it runs BFGS directly.
// Without one, Nelder–Mead gets close and BFGS with central differences
// polishes the optimum: on flat ridges (b in BG/NBD on CDNOW) the polish is
// what gets the published digits.
func maximize(obj objective, start []float64, n int, o FitOptions) ([]float64, FitResult, error) {
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
	toP := func(theta []float64) {
		for i, t := range theta {
			p[i] = math.Exp(t)
		}
	}
	f := func(theta []float64) float64 {
		evals++
		toP(theta)
		v := -obj.ll(p) / scale
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return math.Inf(1)
		}
		return v
	}
	grad := func(dst, theta []float64) {
		fd.Gradient(dst, f, theta, &fd.Settings{Formula: fd.Central, Step: 1e-6})
	}
	if obj.grad != nil {
		grad = func(dst, theta []float64) {
			evals++
			toP(theta)
			obj.grad(p, dst)
			// d/dθ = p · d/dp, for the negated mean.
			for i := range dst {
				dst[i] *= -p[i] / scale
			}
		}
	}
	theta := make([]float64, len(start))
	for i, v := range start {
		theta[i] = math.Log(v)
	}
	polish := func(x []float64) *optimize.Result {
		r, _ := optimize.Minimize(optimize.Problem{Func: f, Grad: grad}, x, &optimize.Settings{
			GradientThreshold: 1e-10,
			MajorIterations:   1000,
			Converger:         &optimize.FunctionConverge{Absolute: 1e-15, Relative: 1e-15, Iterations: 20},
		}, &optimize.BFGS{})
		return r
	}
	var best []float64
	bestF := math.Inf(1)
	if obj.grad != nil {
		if r := polish(theta); r != nil && isConverged(r) {
			best, bestF = r.X, r.F
		}
	}
	if best == nil {
		nm, err := optimize.Minimize(optimize.Problem{Func: f}, theta, &optimize.Settings{
			MajorIterations: maxIter,
			Converger:       &optimize.FunctionConverge{Absolute: 1e-13, Relative: 1e-13, Iterations: 50},
		}, &optimize.NelderMead{})
		if nm == nil {
			return nil, FitResult{}, fmt.Errorf("%w: nelder-mead: %v", ErrNoConvergence, err)
		}
		best, bestF = nm.X, nm.F
		if r := polish(best); r != nil && r.F <= bestF {
			best, bestF = r.X, r.F
		}
	}
	if math.IsInf(bestF, 0) || math.IsNaN(bestF) {
		return nil, FitResult{}, ErrNoConvergence
	}
	out := make([]float64, len(best))
	for i, t := range best {
		out[i] = math.Exp(t)
	}
	return out, FitResult{LogLikelihood: obj.ll(out), Customers: n, Evaluations: evals}, nil
}

// isConverged reports whether BFGS stopped at a finite optimum: either a
// convergence test passed, or the line search gave up where the gradient of
// the mean log-likelihood is already below 1e-8 (summing a million terms
// leaves rounding noise that no step can improve on).
func isConverged(r *optimize.Result) bool {
	if math.IsInf(r.F, 0) || math.IsNaN(r.F) {
		return false
	}
	switch r.Status {
	case optimize.GradientThreshold, optimize.FunctionConvergence:
		return true
	}
	if r.Gradient == nil {
		return false
	}
	for _, g := range r.Gradient {
		if math.Abs(g) > 1e-8 {
			return false
		}
	}
	return true
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
