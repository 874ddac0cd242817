package clv

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// lgamma returns ln Γ(x) for x > 0.
func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// lbeta returns ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a+b).
func lbeta(a, b float64) float64 {
	return lgamma(a) + lgamma(b) - lgamma(a+b)
}

// logAddExp returns ln(e^x + e^y) without overflow.
func logAddExp(x, y float64) float64 {
	if math.IsInf(x, -1) {
		return y
	}
	if math.IsInf(y, -1) {
		return x
	}
	if x < y {
		x, y = y, x
	}
	return x + math.Log1p(math.Exp(y-x))
}

// logSubExp returns ln(e^x − e^y) for x ≥ y.
func logSubExp(x, y float64) float64 {
	if math.IsInf(y, -1) {
		return x
	}
	return x + math.Log(-math.Expm1(y-x))
}

// log2F1 returns ln ₂F₁(a, b; c; z) (Abramowitz & Stegun 15.1.1).
//
// For a, b, c > 0 and 0 ≤ z < 1, the case of every ₂F₁ in the Pareto/NBD
// and BG/NBD conditional expressions, every term of the Gauss series is
// positive, so the sum is accumulated without cancellation and rescaled to
// avoid overflow when a and b are large (hundreds of repeat purchases).
// The terms peak near k ≈ b z/(1−z), so absurd parameters an optimiser may
// try (b ~ 1e11) cannot converge in reasonable time; the result is then NaN,
// which the fitters treat as "not here". Other arguments use the
// Cephes-based mathext.Hypergeo.
func log2F1(a, b, c, z float64) float64 {
	if !(a > 0 && b > 0 && c > 0 && z >= 0 && z < 1) {
		return math.Log(mathext.Hypergeo(a, b, c, z))
	}
	const (
		big     = 1e280
		maxIter = 500_000
	)
	logScale := 0.0
	term, sum := 1.0, 1.0
	for k := 0; k < maxIter; k++ {
		fk := float64(k)
		term *= (a + fk) * (b + fk) / ((c + fk) * (fk + 1)) * z
		sum += term
		if term <= sum*1e-17 {
			return math.Log(sum) + logScale
		}
		if sum > big {
			sum /= big
			term /= big
			logScale += math.Log(big)
		}
	}
	return math.NaN()
}
