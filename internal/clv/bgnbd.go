package clv

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// BGNBD holds the parameters of the beta-geometric/NBD model of Fader,
// Hardie & Lee (2005), "Counting Your Customers the Easy Way: An Alternative
// to the Pareto/NBD Model", Marketing Science 24(2):275–284. While active, a
// customer buys at Poisson rate λ ~ Gamma(R, Alpha); after each purchase they
// become inactive with probability p ~ Beta(A, B).
type BGNBD struct {
	R, Alpha, A, B float64
}

// Params returns the parameters as a slice in the order r, α, a, b.
func (m BGNBD) Params() []float64 { return []float64{m.R, m.Alpha, m.A, m.B} }

// LogLikelihood returns the BG/NBD log-likelihood of the groups, each group
// counted Count times (FHL 2005, eq. 6, in the overflow-safe form of Fader &
// Hardie's note "Implementing the BG/NBD Model for Customer Base Analysis in
// Excel", 2005: LL = A1 + A2 + ln(e^A3 + δ(x>0) e^A4)).
func (m BGNBD) LogLikelihood(gs []Group) float64 {
	r, alpha, a, b := m.R, m.Alpha, m.A, m.B
	if !(r > 0 && alpha > 0 && a > 0 && b > 0) {
		return math.Inf(-1)
	}
	maxX := 0
	for _, g := range gs {
		maxX = max(maxX, g.X)
	}
	// Terms that depend on x only are computed once per distinct x, so a
	// compressed million-customer log costs a few logs per group.
	a12 := make([]float64, maxX+1)
	lnA := make([]float64, maxX+1) // ln a − ln(b+x−1)
	lgR, lgB, lgAB := lgamma(r), lgamma(b), lgamma(a+b)
	rLnAlpha := r * math.Log(alpha)
	for x := 0; x <= maxX; x++ {
		fx := float64(x)
		a12[x] = lgamma(r+fx) - lgR + rLnAlpha + lgAB + lgamma(b+fx) - lgB - lgamma(a+b+fx)
		if x > 0 {
			lnA[x] = math.Log(a) - math.Log(b+fx-1)
		}
	}
	var ll float64
	for _, g := range gs {
		rx := r + float64(g.X)
		v := -rx * math.Log(alpha+g.T) // A3
		if g.X > 0 {
			v = logAddExp(v, lnA[g.X]-rx*math.Log(alpha+g.Tx)) // A4
		}
		ll += float64(g.Count) * (a12[g.X] + v)
	}
	return ll
}

// FitBGNBD returns the maximum likelihood BG/NBD parameters for the groups.
func FitBGNBD(gs []Group, o FitOptions) (BGNBD, FitResult, error) {
	if err := validateGroups(gs); err != nil {
		return BGNBD{}, FitResult{}, fmt.Errorf("clv: fit bg/nbd: %w", err)
	}
	t, x := meanT(gs)
	start := []float64{1, max(t/(1+x), 1e-3), 1, 1}
	p, res, err := maximize(func(p []float64) float64 {
		return BGNBD{p[0], p[1], p[2], p[3]}.LogLikelihood(gs)
	}, start, customers(gs), o)
	if err != nil {
		return BGNBD{}, res, fmt.Errorf("clv: fit bg/nbd: %w", err)
	}
	return BGNBD{p[0], p[1], p[2], p[3]}, res, nil
}

// PAlive returns the probability that a customer with x repeat purchases,
// the last at t_x, is still active at age T (FHL 2005, appendix, derived
// from eq. 6 by Bayes' rule; Fader, Hardie & Lee 2008 note "Computing
// P(alive) Using the BG/NBD Model"):
//
//	P = 1 / (1 + δ(x>0) a/(b+x−1) ((α+T)/(α+t_x))^(r+x)).
func (m BGNBD) PAlive(x int, tx, T float64) float64 {
	if x == 0 {
		return 1
	}
	fx := float64(x)
	lnOdds := math.Log(m.A) - math.Log(m.B+fx-1) + (m.R+fx)*(math.Log(m.Alpha+T)-math.Log(m.Alpha+tx))
	return 1 / (1 + math.Exp(lnOdds))
}

// Expected returns E[X(t)], the expected number of repeat purchases in
// (0, t] of a customer who made a first purchase at 0 (FHL 2005, eq. 7):
//
//	(a+b−1)/(a−1) [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))].
//
// It needs a ≠ 1.
func (m BGNBD) Expected(t float64) float64 {
	r, alpha, a, b := m.R, m.Alpha, m.A, m.B
	h := math.Exp(r*math.Log(alpha/(alpha+t)) + log2F1(r, b, a+b-1, t/(alpha+t)))
	return (a + b - 1) / (a - 1) * (1 - h)
}

// ConditionalExpected returns E[Y(t) | x, t_x, T], the expected number of
// purchases in (T, T+t] of a customer with history (x, t_x, T) (FHL 2005,
// eq. 10):
//
//	(a+b+x−1)/(a−1) [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
//	/ [1 + δ(x>0) a/(b+x−1) ((α+T)/(α+t_x))^(r+x)].
//
// It needs a ≠ 1.
func (m BGNBD) ConditionalExpected(t float64, x int, tx, T float64) float64 {
	r, alpha, a, b := m.R, m.Alpha, m.A, m.B
	fx := float64(x)
	h := math.Exp((r+fx)*math.Log((alpha+T)/(alpha+T+t)) + log2F1(r+fx, b+fx, a+b+fx-1, t/(alpha+T+t)))
	return (a + b + fx - 1) / (a - 1) * (1 - h) * m.PAlive(x, tx, T)
}

// Simulate draws one customer's calibration history from the model: a first
// purchase at 0, then purchases while active, observed up to age T. It
// returns the repeat purchase times (FHL 2005, §3 assumptions i–v).
// rng must not be shared between goroutines.
func (m BGNBD) Simulate(rng *rand.Rand, T float64) []float64 {
	lambda := gammaRand(rng, m.R) / m.Alpha
	p := betaRand(rng, m.A, m.B)
	var times []float64
	t := 0.0
	for {
		t += rng.ExpFloat64() / lambda
		if t > T {
			return times
		}
		times = append(times, t)
		// Dropout follows repeat purchases only: the likelihood's
		// P(alive after x repeat purchases) is (1−p)^x (FHL 2005 eq. 3).
		if rng.Float64() < p {
			return times
		}
	}
}

// gammaRand draws from Gamma(shape, 1) (Marsaglia & Tsang 2000, with the
// U^(1/k) boost for shape < 1).
func gammaRand(rng *rand.Rand, k float64) float64 {
	if k < 1 {
		return gammaRand(rng, k+1) * math.Pow(rng.Float64(), 1/k)
	}
	d := k - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		z := rng.NormFloat64()
		v := 1 + c*z
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if math.Log(u) < 0.5*z*z+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

// betaRand draws from Beta(a, b) as a ratio of gamma draws.
func betaRand(rng *rand.Rand, a, b float64) float64 {
	x := gammaRand(rng, a)
	y := gammaRand(rng, b)
	return x / (x + y)
}
