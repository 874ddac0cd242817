package clv

import (
	"fmt"
	"math"
)

// GammaGamma holds the parameters of the Gamma-Gamma model of average
// transaction value (Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value
// Curves for Customer Base Analysis", JMR 42(4):415–430, §"Adding monetary
// value"; Fader & Hardie 2013, "The Gamma-Gamma Model of Monetary Value").
// Each transaction's value is Gamma(P, ν) and ν ~ Gamma(Q, Gamma) across
// customers, so the mean of x transactions is Gamma(P x, ν x).
type GammaGamma struct {
	P, Q, Gamma float64
}

// Params returns the parameters as a slice in the order p, q, γ.
func (m GammaGamma) Params() []float64 { return []float64{m.P, m.Q, m.Gamma} }

// Spend is one repeat buyer's spend summary: X repeat transactions whose
// mean value is Mean.
type Spend struct {
	X    int
	Mean float64
}

// Spends returns the spend summaries of the customers with at least one
// repeat transaction, the only ones the Gamma-Gamma model is fitted on.
// Customers whose repeat transactions are all free (mean 0, as some CDNOW
// purchases are) are left out too: the gamma density has no mass at zero.
func Spends(s []Summary) []Spend {
	var out []Spend
	for _, c := range s {
		if c.X > 0 && c.Monetary > 0 {
			out = append(out, Spend{X: c.X, Mean: c.Monetary})
		}
	}
	return out
}

func validateSpends(sp []Spend) error {
	if len(sp) == 0 {
		return fmt.Errorf("%w: no repeat buyers", ErrInvalid)
	}
	for i, s := range sp {
		if s.X <= 0 {
			return fmt.Errorf("%w: spend %d: x must be positive", ErrInvalid, i)
		}
		if !(s.Mean > 0) || math.IsInf(s.Mean, 0) {
			return fmt.Errorf("%w: spend %d: mean must be positive and finite", ErrInvalid, i)
		}
	}
	return nil
}

// LogLikelihood returns the Gamma-Gamma log-likelihood of the spends (Fader
// & Hardie 2013 note, density of the mean z̄ of x values):
//
//	f(z̄ | p, q, γ, x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q z̄^(px−1) x^(px) / (γ + x z̄)^(px+q).
func (m GammaGamma) LogLikelihood(sp []Spend) float64 {
	p, q, g := m.P, m.Q, m.Gamma
	if !(p > 0 && q > 0 && g > 0) {
		return math.Inf(-1)
	}
	base := -lgamma(q) + q*math.Log(g)
	var ll float64
	for _, s := range sp {
		x := float64(s.X)
		px := p * x
		ll += lgamma(px+q) - lgamma(px) + base + (px-1)*math.Log(s.Mean) + px*math.Log(x) - (px+q)*math.Log(g+x*s.Mean)
	}
	return ll
}

// FitGammaGamma returns the maximum likelihood Gamma-Gamma parameters.
func FitGammaGamma(sp []Spend, o FitOptions) (GammaGamma, FitResult, error) {
	if err := validateSpends(sp); err != nil {
		return GammaGamma{}, FitResult{}, fmt.Errorf("clv: fit gamma-gamma: %w", err)
	}
	mean := 0.0
	for _, s := range sp {
		mean += s.Mean
	}
	mean /= float64(len(sp))
	// Start at p = 1, q = 2, γ = mean: E[Z] = pγ/(q−1) equals the sample mean.
	st := newSpendStats(sp)
	p, res, err := maximize(objective{ll: func(p []float64) float64 {
		return st.logLikelihood(p[0], p[1], p[2])
	}}, []float64{1, 2, mean}, len(sp), o)
	if err != nil {
		return GammaGamma{}, res, fmt.Errorf("clv: fit gamma-gamma: %w", err)
	}
	return GammaGamma{p[0], p[1], p[2]}, res, nil
}

// spendStats holds what the Gamma-Gamma log-likelihood needs of the data,
// precomputed once per fit: the terms that depend only on x are summed per
// distinct x, and Σ x log z̄ and Σ log z̄ are constants, so an evaluation
// costs one logarithm per customer instead of two lgammas and three logs
// (a 1,000,000-customer fit went from 13 s to under 2 s).
type spendStats struct {
	xs        []float64 // distinct x
	counts    []float64 // customers with that x
	xLogX     []float64 // x log x
	sumXLogM  float64   // Σ x_i log z̄_i
	sumLogM   float64   // Σ log z̄_i
	x, totals []float64 // per customer: x_i and x_i z̄_i
}

func newSpendStats(sp []Spend) *spendStats {
	st := &spendStats{x: make([]float64, len(sp)), totals: make([]float64, len(sp))}
	idx := map[int]int{}
	for i, s := range sp {
		x := float64(s.X)
		j, ok := idx[s.X]
		if !ok {
			j = len(st.xs)
			idx[s.X] = j
			st.xs = append(st.xs, x)
			st.counts = append(st.counts, 0)
			st.xLogX = append(st.xLogX, x*math.Log(x))
		}
		st.counts[j]++
		lm := math.Log(s.Mean)
		st.sumXLogM += x * lm
		st.sumLogM += lm
		st.x[i], st.totals[i] = x, x*s.Mean
	}
	return st
}

// logLikelihood equals GammaGamma{p, q, g}.LogLikelihood of the spends.
func (st *spendStats) logLikelihood(p, q, g float64) float64 {
	if !(p > 0 && q > 0 && g > 0) {
		return math.Inf(-1)
	}
	base := -lgamma(q) + q*math.Log(g)
	ll := p*st.sumXLogM - st.sumLogM
	for j, x := range st.xs {
		px := p * x
		ll += st.counts[j] * (lgamma(px+q) - lgamma(px) + base + p*st.xLogX[j])
	}
	for i, x := range st.x {
		ll -= (p*x + q) * math.Log(g+st.totals[i])
	}
	return ll
}

// Mean returns the population mean transaction value E[Z] = pγ/(q−1),
// infinite when q ≤ 1 (Fader & Hardie 2013 note).
func (m GammaGamma) Mean() float64 {
	if m.Q <= 1 {
		return math.Inf(1)
	}
	return m.P * m.Gamma / (m.Q - 1)
}

// ConditionalMean returns E[Z | z̄, x], the expected value of a customer's
// future transactions given x repeat transactions of mean z̄, a weighted
// average of the population mean and the customer's own mean (Fader & Hardie
// 2013 note; FHL 2005 JMR, "Adding monetary value"):
//
//	(q−1)/(px+q−1) · pγ/(q−1) + px/(px+q−1) · z̄ = p(γ + x z̄)/(px+q−1).
//
// With x = 0 it is the population mean.
func (m GammaGamma) ConditionalMean(x int, mean float64) float64 {
	px := m.P * float64(x)
	return m.P * (m.Gamma + float64(x)*mean) / (px + m.Q - 1)
}
