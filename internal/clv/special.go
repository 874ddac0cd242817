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
// and BG/NBD expressions, every term of the Gauss series is positive, so the
// sum is accumulated without cancellation and rescaled against overflow
// when a and b are large (hundreds of repeat purchases). Near z = 1 with
// large b the terms only peak around k ≈ b z/(1−z); Euler's transformation
// (A&S 15.3.3)
//
//	₂F₁(a, b; c; z) = (1−z)^(c−a−b) ₂F₁(c−a, c−b; c; z)
//
// then gives a series whose terms fall like z^k k^(−b). Where neither
// settles (parameters an optimiser should not be at) the result is NaN,
// which the fitters treat as "not here". Other arguments use the
// Cephes-based mathext.Hypergeo.
func log2F1(a, b, c, z float64) float64 {
	if !(a > 0 && b > 0 && c > 0 && z >= 0 && z < 1) {
		return math.Log(mathext.Hypergeo(a, b, c, z))
	}
	if v, ok := log2F1Series(a, b, c, z); ok {
		return v
	}
	if c-a > 0 && c-b > 0 {
		if v, ok := log2F1Series(c-a, c-b, c, z); ok {
			return (c-a-b)*math.Log1p(-z) + v
		}
	}
	return math.NaN()
}

// log2F1Series sums the Gauss series of ln ₂F₁(a, b; c; z) for positive
// terms, giving up after a fixed number of terms.
func log2F1Series(a, b, c, z float64) (float64, bool) {
	const (
		big     = 1e280
		maxIter = 200_000
	)
	logScale := 0.0
	term, sum := 1.0, 1.0
	for k := 0; k < maxIter; k++ {
		fk := float64(k)
		term *= (a + fk) * (b + fk) / ((c + fk) * (fk + 1)) * z
		sum += term
		if term <= sum*1e-17 {
			return math.Log(sum) + logScale, true
		}
		if sum > big {
			sum /= big
			term /= big
			logScale += math.Log(big)
		}
	}
	return 0, false
}
