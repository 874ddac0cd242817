package clv

import (
	"errors"
	"math"
	"testing"
)

func cdnowSpends(t *testing.T) []Spend {
	t.Helper()
	var s []Summary
	for _, r := range cdnowSummary(t) {
		s = append(s, Summary{CustomerID: r.ID, X: r.X, Tx: r.Tx, T: r.T, Monetary: r.Zbar})
	}
	return Spends(s)
}

// TestGammaGammaFitCDNOW checks the published Gamma-Gamma estimates. Fader
// & Hardie and CLVTools fitted the exact mean spends of the 946 repeat
// buyers (from the log); the lifetimes summary file rounds z̄ to cents,
// which moves γ from 15.4435 to 15.4477, the "v: 15.45" lifetimes prints.
func TestGammaGammaFitCDNOW(t *testing.T) {
	t.Parallel()
	s, err := Summarize(cdnowLog(t), SummaryOptions{End: cdnowCalibrationEnd, Unit: Week, Merge: Day})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		sp   []Spend
		refs func(m GammaGamma, ll float64) []reference
	}{
		{"log", Spends(s), func(m GammaGamma, ll float64) []reference {
			return []reference{
				// Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary
				// Value", and FHL (2005) JMR: p = 6.25, q = 3.74, γ = 15.44.
				{"p", m.P, 6.25, 2, 0},
				{"q", m.Q, 3.74, 2, 0},
				{"gamma", m.Gamma, 15.44, 2, 0},
				// CLVTools tests/testthat/test_correctness_gg.R (citing
				// Fader & Hardie 2013): LL = −4055.9177.
				{"LL", ll, -4055.9177, 4, 0},
			}
		}},
		{"summary file", cdnowSpends(t), func(m GammaGamma, ll float64) []reference {
			return []reference{
				// lifetimes docs/Quickstart.md: "<lifetimes.GammaGammaFitter:
				// fitted with 946 subjects, p: 6.25, q: 3.74, v: 15.45>".
				{"p", m.P, 6.25, 2, 0},
				{"q", m.Q, 3.74, 2, 0},
				{"v", m.Gamma, 15.45, 2, 0},
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if len(c.sp) != 946 {
				t.Fatalf("repeat buyers = %d, want 946", len(c.sp))
			}
			m, res, err := FitGammaGamma(c.sp, FitOptions{})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("Gamma-Gamma: %+v LL=%.6f mean=%.6f evals=%d", m, res.LogLikelihood, m.Mean(), res.Evaluations)
			checkReferences(t, c.refs(m, res.LogLikelihood))
		})
	}
}

// TestGammaGammaConditionalMean checks E[Z | z̄, x] against the lifetimes
// Quickstart (docs/Quickstart.md, "Estimating customer lifetime value using
// the Gamma-Gamma model"), which prints 6 decimals for customers 1–10 at its
// fitted p, q, v (on the summary file). Its optimiser stops within about
// 1e-6 relative of ours, so values are checked to 1e-6 relative.
func TestGammaGammaConditionalMean(t *testing.T) {
	t.Parallel()
	m, _, err := FitGammaGamma(cdnowSpends(t), FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rows := cdnowSummary(t)
	for _, c := range []struct {
		id   int
		want float64
	}{
		{1, 24.658619}, {2, 18.911489}, {3, 35.170981}, {6, 71.462843}, {7, 18.911489}, {9, 27.282408},
	} {
		r := rows[c.id-1]
		if got := m.ConditionalMean(r.X, r.Zbar); math.Abs(got-c.want) > 1e-6*c.want {
			t.Errorf("customer %d: E[Z|z̄=%v, x=%d] = %.6f, want %.6f", c.id, r.Zbar, r.X, got, c.want)
		}
	}
	// Same page: "Expected conditional average profit: 35.2529588256"
	// (mean over all 2,357 customers), "Average profit: 35.078551797"
	// (mean z̄ of the 946 repeat buyers; pure data, exact).
	var sumE, sumZ float64
	n := 0
	for _, r := range rows {
		sumE += m.ConditionalMean(r.X, r.Zbar)
		if r.X > 0 {
			sumZ += r.Zbar
			n++
		}
	}
	checkReferences(t, []reference{
		{"mean E[Z|z̄,x]", sumE / float64(len(rows)), 35.2529588256, 0, 1e-6},
		{"mean z̄", sumZ / float64(n), 35.078551797, 9, 0},
	})
}

func TestFitGammaGammaInvalid(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		sp   []Spend
	}{
		{"empty", nil},
		{"zero x", []Spend{{X: 0, Mean: 10}}},
		{"zero mean", []Spend{{X: 1, Mean: 0}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, _, err := FitGammaGamma(c.sp, FitOptions{}); !errors.Is(err, ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

// TestSpendStatsLogLikelihood checks the precomputed evaluation used by
// the fit against the plain formula.
func TestSpendStatsLogLikelihood(t *testing.T) {
	sp := []Spend{{1, 10}, {1, 12.5}, {3, 7.25}, {2, 40}, {3, 0.5}, {7, 19.99}}
	st := newSpendStats(sp)
	for _, m := range []GammaGamma{{6.25, 3.74, 15.44}, {1, 2, 20}, {0.3, 9, 1.5}} {
		want := m.LogLikelihood(sp)
		if got := st.logLikelihood(m.P, m.Q, m.Gamma); math.Abs(got-want) > 1e-9*math.Abs(want) {
			t.Errorf("%+v: fast %v, plain %v", m, got, want)
		}
	}
	if got := st.logLikelihood(-1, 1, 1); !math.IsInf(got, -1) {
		t.Errorf("invalid parameters: %v", got)
	}
	if got := Spends([]Summary{{X: 2, Monetary: 0}, {X: 1, Monetary: 5}, {X: 0}}); len(got) != 1 || got[0].Mean != 5 {
		t.Errorf("Spends = %+v, want only the paying repeat buyer", got)
	}
}
