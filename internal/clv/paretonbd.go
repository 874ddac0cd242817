package clv

import (
	"fmt"
	"math"
)

// ParetoNBD holds the parameters of the Pareto/NBD model of Schmittlein,
// Morrison & Colombo (1987), "Counting Your Customers: Who Are They and What
// Will They Do Next?", Management Science 33(1):1–24. While active, a
// customer buys at Poisson rate λ ~ Gamma(R, Alpha); their lifetime is
// exponential with rate μ ~ Gamma(S, Beta).
type ParetoNBD struct {
	R, Alpha, S, Beta float64
}

// Params returns the parameters as a slice in the order r, α, s, β.
func (m ParetoNBD) Params() []float64 { return []float64{m.R, m.Alpha, m.S, m.Beta} }

// logA0 returns ln A0 of Fader & Hardie (2005), "A Note on Deriving the
// Pareto/NBD Model and Related Expressions", likelihood section):
//
//	α ≥ β: A0 = ₂F₁(r+s+x, s+1; r+s+x+1; (α−β)/(α+t_x)) / (α+t_x)^(r+s+x)
//	          − ₂F₁(r+s+x, s+1; r+s+x+1; (α−β)/(α+T))   / (α+T)^(r+s+x)
//	α < β: A0 = ₂F₁(r+s+x, r+x; r+s+x+1; (β−α)/(β+t_x)) / (β+t_x)^(r+s+x)
//	          − ₂F₁(r+s+x, r+x; r+s+x+1; (β−α)/(β+T))   / (β+T)^(r+s+x)
//
// The branch keeps the ₂F₁ argument in [0, 1), every series term positive,
// and the difference is taken in log space so large x neither overflows
// nor loses the smaller term. It is −Inf when t_x = T.
func (m ParetoNBD) logA0(x int, tx, T float64) float64 {
	fx := float64(x)
	rsx := m.R + m.S + fx
	hi, b, d := m.Alpha, m.S+1, m.Alpha-m.Beta
	if m.Alpha < m.Beta {
		hi, b, d = m.Beta, m.R+fx, m.Beta-m.Alpha
	}
	l1 := log2F1(rsx, b, rsx+1, d/(hi+tx)) - rsx*math.Log(hi+tx)
	l2 := log2F1(rsx, b, rsx+1, d/(hi+T)) - rsx*math.Log(hi+T)
	if l2 >= l1 {
		return math.Inf(-1)
	}
	return logSubExp(l1, l2)
}

// logRest returns ln[(s/(r+s+x)) A0 (α+T)^(r+x) (β+T)^s], the odds that a
// customer is inactive (Fader & Hardie 2005 note, P(alive) section).
func (m ParetoNBD) logRest(x int, tx, T float64) float64 {
	fx := float64(x)
	return math.Log(m.S/(m.R+m.S+fx)) + m.logA0(x, tx, T) + (m.R+fx)*math.Log(m.Alpha+T) + m.S*math.Log(m.Beta+T)
}

// LogLikelihood returns the Pareto/NBD log-likelihood of the groups, each
// counted Count times (Fader & Hardie 2005 note, likelihood section):
//
//	L = Γ(r+x) α^r β^s / Γ(r) · [1/((α+T)^(r+x) (β+T)^s) + s/(r+s+x) · A0].
func (m ParetoNBD) LogLikelihood(gs []Group) float64 {
	r, alpha, s, beta := m.R, m.Alpha, m.S, m.Beta
	if !(r > 0 && alpha > 0 && s > 0 && beta > 0) {
		return math.Inf(-1)
	}
	maxX := 0
	for _, g := range gs {
		maxX = max(maxX, g.X)
	}
	head := make([]float64, maxX+1)
	base := -lgamma(r) + r*math.Log(alpha) + s*math.Log(beta)
	for x := range head {
		head[x] = lgamma(r+float64(x)) + base
	}
	var ll float64
	for _, g := range gs {
		fx := float64(g.X)
		first := -(r+fx)*math.Log(alpha+g.T) - s*math.Log(beta+g.T)
		second := math.Log(s/(r+s+fx)) + m.logA0(g.X, g.Tx, g.T)
		ll += float64(g.Count) * (head[g.X] + logAddExp(first, second))
	}
	return ll
}

// FitParetoNBD returns the maximum likelihood Pareto/NBD parameters for the
// groups.
func FitParetoNBD(gs []Group, o FitOptions) (ParetoNBD, FitResult, error) {
	if err := validateGroups(gs); err != nil {
		return ParetoNBD{}, FitResult{}, fmt.Errorf("clv: fit pareto/nbd: %w", err)
	}
	t, x := meanT(gs)
	a0 := max(t/(1+x), 1e-3)
	p, res, err := maximize(objective{ll: func(p []float64) float64 {
		return ParetoNBD{p[0], p[1], p[2], p[3]}.LogLikelihood(gs)
	}}, []float64{1, a0, 1, a0}, customers(gs), o)
	if err != nil {
		return ParetoNBD{}, res, fmt.Errorf("clv: fit pareto/nbd: %w", err)
	}
	return ParetoNBD{p[0], p[1], p[2], p[3]}, res, nil
}

// PAlive returns the probability that a customer with history (x, t_x, T)
// is still active at T (Fader & Hardie 2005 note, P(alive) section):
//
//	P = 1 / [1 + s/(r+s+x) (α+T)^(r+x) (β+T)^s A0].
func (m ParetoNBD) PAlive(x int, tx, T float64) float64 {
	return 1 / (1 + math.Exp(m.logRest(x, tx, T)))
}

// Expected returns E[X(t)], the expected number of repeat purchases in
// (0, t] for a new customer (Fader & Hardie 2005 note, E[X(t)] section;
// Schmittlein, Morrison & Colombo 1987):
//
//	r β / (α (s−1)) [1 − (β/(β+t))^(s−1)],  and r β/α ln(1 + t/β) when s = 1.
func (m ParetoNBD) Expected(t float64) float64 {
	r, alpha, s, beta := m.R, m.Alpha, m.S, m.Beta
	if s == 1 {
		return r * beta / alpha * math.Log1p(t/beta)
	}
	return r * beta / (alpha * (s - 1)) * -math.Expm1((s-1)*math.Log(beta/(beta+t)))
}

// ConditionalExpected returns E[Y(t) | x, t_x, T], the expected number of
// purchases in (T, T+t] (Fader & Hardie 2005 note, conditional expectation
// section; Schmittlein, Morrison & Colombo 1987):
//
//	(r+x)(β+T) / ((α+T)(s−1)) [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive),
//
// with the s → 1 limit (r+x)(β+T)/(α+T) ln(1 + t/(β+T)) · P(alive).
func (m ParetoNBD) ConditionalExpected(t float64, x int, tx, T float64) float64 {
	r, alpha, s, beta := m.R, m.Alpha, m.S, m.Beta
	fx := float64(x)
	var e float64
	if s == 1 {
		e = (r + fx) * (beta + T) / (alpha + T) * math.Log1p(t/(beta+T))
	} else {
		e = (r + fx) * (beta + T) / ((alpha + T) * (s - 1)) * -math.Expm1((s-1)*math.Log((beta+T)/(beta+T+t)))
	}
	return e * m.PAlive(x, tx, T)
}
