package clv

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mathext"
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
// counted Count times (FHL 2005, eq. 6, in the overflow-safe form of Fader,
// Hardie & Lee's note "Implementing the BG/NBD Model for Customer Base
// Analysis in Excel", 2005: LL = A1 + A2 + ln(e^A3 + δ(x>0) e^A4)).
func (m BGNBD) LogLikelihood(gs []Group) float64 {
	return prepareBGNBD(gs).eval(m, nil)
}

// bgnbdData is a compressed log laid out for repeated likelihood
// evaluations: T and t_x are replaced by indices into their distinct values,
// so each evaluation takes one logarithm per distinct value rather than two
// per group.
type bgnbdData struct {
	x      []int
	count  []float64
	iT     []int32
	iTx    []int32
	values []float64
	maxX   int
}

func prepareBGNBD(gs []Group) *bgnbdData {
	d := &bgnbdData{
		x:     make([]int, len(gs)),
		count: make([]float64, len(gs)),
		iT:    make([]int32, len(gs)),
		iTx:   make([]int32, len(gs)),
	}
	index := make(map[float64]int32)
	at := func(v float64) int32 {
		i, ok := index[v]
		if !ok {
			i = int32(len(d.values))
			index[v] = i
			d.values = append(d.values, v)
		}
		return i
	}
	for i, g := range gs {
		d.x[i] = g.X
		d.count[i] = float64(g.Count)
		d.iT[i] = at(g.T)
		d.iTx[i] = at(g.Tx)
		d.maxX = max(d.maxX, g.X)
	}
	return d
}

// eval returns the log-likelihood and, when grad is not nil, stores its
// gradient with respect to (r, α, a, b) in grad. With
// w = e^A4 / (e^A3 + e^A4) the weight of the "dropped out after t_x" term:
//
//	∂/∂r = ψ(r+x) − ψ(r) + ln α − (1−w) ln(α+T) − w ln(α+t_x)
//	∂/∂α = r/α − (r+x) [(1−w)/(α+T) + w/(α+t_x)]
//	∂/∂a = ψ(a+b) − ψ(a+b+x) + w/a
//	∂/∂b = ψ(a+b) + ψ(b+x) − ψ(b) − ψ(a+b+x) − w/(b+x−1)
func (d *bgnbdData) eval(m BGNBD, grad []float64) float64 {
	r, alpha, a, b := m.R, m.Alpha, m.A, m.B
	if !(r > 0 && alpha > 0 && a > 0 && b > 0) {
		return math.Inf(-1)
	}
	lnv := make([]float64, len(d.values))
	for i, v := range d.values {
		lnv[i] = math.Log(alpha + v)
	}
	// Terms that depend on x only are computed once per distinct x.
	n := d.maxX + 1
	head := make([]float64, n) // A1 + A2
	lnA := make([]float64, n)  // ln a − ln(b+x−1)
	lgR, lgB, lgAB := lgamma(r), lgamma(b), lgamma(a+b)
	lnAlpha := math.Log(alpha)
	for x := range n {
		fx := float64(x)
		head[x] = lgamma(r+fx) - lgR + r*lnAlpha + lgAB + lgamma(b+fx) - lgB - lgamma(a+b+fx)
		if x > 0 {
			lnA[x] = math.Log(a) - math.Log(b+fx-1)
		}
	}
	var dr, db, dab []float64
	var inv []float64
	if grad != nil {
		dr, db, dab = make([]float64, n), make([]float64, n), make([]float64, n)
		psiR, psiB, psiAB := mathext.Digamma(r), mathext.Digamma(b), mathext.Digamma(a+b)
		for x := range n {
			fx := float64(x)
			psiABX := mathext.Digamma(a + b + fx)
			dr[x] = mathext.Digamma(r+fx) - psiR + lnAlpha
			dab[x] = psiAB - psiABX
			db[x] = psiAB + mathext.Digamma(b+fx) - psiB - psiABX
		}
		inv = make([]float64, len(d.values))
		for i, v := range d.values {
			inv[i] = 1 / (alpha + v)
		}
	}
	var ll, gr, gal, ga, gb float64
	for i, x := range d.x {
		c := d.count[i]
		rx := r + float64(x)
		a3 := -rx * lnv[d.iT[i]]
		l, w := a3, 0.0
		if x > 0 {
			a4 := lnA[x] - rx*lnv[d.iTx[i]]
			// ln(e^A3 + e^A4) and w = e^A4/(e^A3 + e^A4) from one exp.
			if diff := a4 - a3; diff > 0 {
				e := math.Exp(-diff)
				l, w = a4+math.Log1p(e), 1/(1+e)
			} else {
				e := math.Exp(diff)
				l, w = a3+math.Log1p(e), e/(1+e)
			}
		}
		ll += c * (head[x] + l)
		if grad != nil {
			iT, iTx := d.iT[i], d.iTx[i]
			gr += c * (dr[x] - (1-w)*lnv[iT] - w*lnv[iTx])
			gal += c * (r/alpha - rx*((1-w)*inv[iT]+w*inv[iTx]))
			ga += c * (dab[x] + w/a)
			if x > 0 {
				gb += c * (db[x] - w/(b+float64(x)-1))
			} else {
				gb += c * db[x]
			}
		}
	}
	if grad != nil {
		grad[0], grad[1], grad[2], grad[3] = gr, gal, ga, gb
	}
	return ll
}

// FitBGNBD returns the maximum likelihood BG/NBD parameters for the groups.
// It uses the analytic gradient, so a million customers compressed to a
// few hundred thousand groups fit in about a second.
func FitBGNBD(gs []Group, o FitOptions) (BGNBD, FitResult, error) {
	if err := validateGroups(gs); err != nil {
		return BGNBD{}, FitResult{}, fmt.Errorf("clv: fit bg/nbd: %w", err)
	}
	d := prepareBGNBD(gs)
	t, x := meanT(gs)
	start := []float64{1, max(t/(1+x), 1e-3), 1, 1}
	p, res, err := maximize(objective{
		ll: func(p []float64) float64 { return d.eval(BGNBD{p[0], p[1], p[2], p[3]}, nil) },
		grad: func(p, g []float64) float64 {
			return d.eval(BGNBD{p[0], p[1], p[2], p[3]}, g)
		},
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
		// P(alive after x repeat purchases) is (1−p)^x (FHL 2005 §3, iv).
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
