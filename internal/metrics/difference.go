package metrics

import (
	"fmt"
	"math"
)

// Difference is the comparison of a figure between two independent groups
// (two periods or two segments): A − B with its interval and a two-sided
// test of "no difference".
type Difference struct {
	// Estimate is A − B in the figure's units: NPS points, percentage
	// points, or answer-scale points.
	Estimate float64
	// SE is the standard error of Estimate used for the interval.
	SE float64
	// CI is the confidence interval of A − B.
	CI Interval
	// Level is the confidence level of CI.
	Level float64
	// Statistic is the test statistic: z for the NPS and proportion tests,
	// Welch's t for means.
	Statistic float64
	// DF is Welch's degrees of freedom; 0 for the z tests.
	DF float64
	// P is the two-sided p-value.
	P float64
	// Valid is false when the test could not be computed (a group with too
	// few answers, no variation in either group, or an invalid level); the
	// numbers are then NaN-free placeholders: Statistic 0 and P 1, except
	// that with no variation in either group P is the limit of the test,
	// 1 for equal groups and 0 for different ones.
	Valid bool
	// Reason says why the test is not valid; empty when it is.
	Reason string
}

// invalidDifference returns a placeholder Difference that says why.
func invalidDifference(estimate float64, level float64, why string) Difference {
	return Difference{Estimate: estimate, Level: level, P: 1, Reason: why}
}

// NPSDifference compares the NPS of two 0–10 distributions with the default
// Config; see Config.NPSDifference.
func NPSDifference(a, b Distribution) Difference { return Config{}.NPSDifference(a, b) }

// NPSDifference compares the NPS of two independent 0–10 distributions, A − B
// in points, under c's level.
func (c Config) NPSDifference(a, b Distribution) Difference {
	ka, errA := ClassifyNPS(a)
	kb, errB := ClassifyNPS(b)
	if err := firstErr(errA, errB); err != nil {
		return invalidDifference(0, c.withDefaults().Level, err.Error())
	}
	return c.NPSDifferenceCounts(ka, kb)
}

// NPSDifferenceCounts compares two groups' NPS, A − B in points, by a z test
// with unpooled variances: each group's NPS has variance
// (p₊ + p₋ − (p₊ − p₋)²)/n (Rocks 2016, The American Statistician 70(4), §2,
// the trinomial variance), and independent samples add variances, so
//
//	z = (NPS_A − NPS_B) / √(V_A/n_A + V_B/n_B),  CI = (NPS_A − NPS_B) ± z_{1−α/2}·SE.
//
// The observed proportions are used (no pseudo-counts), clamped to ±200.
func (c Config) NPSDifferenceCounts(a, b NPSCounts) Difference {
	c = c.withDefaults()
	na, nb := a.N(), b.N()
	switch {
	case !a.valid() || !b.valid():
		return invalidDifference(0, c.Level, "invalid counts")
	case na == 0 || nb == 0:
		return invalidDifference(0, c.Level, "no responses in one of the groups")
	}
	est := a.Score() - b.Score()
	if !validLevel(c.Level) {
		return invalidDifference(est, c.Level, badLevel(c.Level))
	}
	va := npsVariance(a) / float64(na)
	vb := npsVariance(b) / float64(nb)
	se := 100 * math.Sqrt(va+vb)
	return zDifference(est, se, se, c.Level, -200, 200)
}

// npsVariance is the per-answer variance of the trinomial NPS score.
func npsVariance(k NPSCounts) float64 {
	n := float64(k.N())
	pp, pd := float64(k.Promoters)/n, float64(k.Detractors)/n
	return max(0, pp+pd-(pp-pd)*(pp-pd))
}

// ProportionDifference compares count/n between two groups with the default
// Config; see Config.ProportionDifference.
func ProportionDifference(countA, nA, countB, nB int64) Difference {
	return Config{}.ProportionDifference(countA, nA, countB, nB)
}

// ProportionDifference compares two independent proportions, A − B in
// percentage points, exactly as R's prop.test(c(xA, xB), c(nA, nB),
// correct = FALSE) does (R src/library/stats/R/prop.test.R):
//
//   - the test uses the pooled proportion p̄ = (xA + xB)/(nA + nB):
//     z = (pA − pB)/√(p̄(1 − p̄)(1/nA + 1/nB)); prop.test reports X² = z², and
//     its p-value P(χ²₁ > z²) equals the two-sided normal p-value;
//   - the interval uses the unpooled standard error
//     √(pA(1 − pA)/nA + pB(1 − pB)/nB), clamped to [−100, 100].
func (c Config) ProportionDifference(countA, nA, countB, nB int64) Difference {
	c = c.withDefaults()
	switch {
	case nA <= 0 || nB <= 0:
		return invalidDifference(0, c.Level, "no responses in one of the groups")
	case countA < 0 || countA > nA || countB < 0 || countB > nB:
		return invalidDifference(0, c.Level, fmt.Sprintf("invalid counts %d/%d and %d/%d", countA, nA, countB, nB))
	}
	fa, fb := float64(nA), float64(nB)
	pa, pb := float64(countA)/fa, float64(countB)/fb
	est := 100 * (pa - pb)
	if !validLevel(c.Level) {
		return invalidDifference(est, c.Level, badLevel(c.Level))
	}
	pool := float64(countA+countB) / (fa + fb)
	seTest := 100 * math.Sqrt(pool*(1-pool)*(1/fa+1/fb))
	seCI := 100 * math.Sqrt(pa*(1-pa)/fa+pb*(1-pb)/fb)
	return zDifference(est, seTest, seCI, c.Level, -100, 100)
}

// zDifference builds a Difference from a normal test statistic est/seTest and
// an interval est ± z·seCI clamped to [lo, hi].
func zDifference(est, seTest, seCI, level, lo, hi float64) Difference {
	d := Difference{Estimate: est, SE: seCI, Level: level}
	half := zCritical(level) * seCI
	d.CI = Interval{est - half, est + half}.clamp(lo, hi)
	if seTest == 0 {
		// Both groups answered uniformly: z is 0/0 or ±∞. Report the limit
		// (P = 1 for equal groups, 0 otherwise) but flag it.
		d.P = 1
		if est != 0 {
			d.P = 0
		}
		d.Reason = "no variation within either group"
		return d
	}
	d.Statistic = est / seTest
	d.P = min(1, 2*NormalSurvival(math.Abs(d.Statistic)))
	d.Valid = true
	return d
}

// MeanDifference compares the mean answers of two distributions with the
// default Config; see Config.MeanDifference.
func MeanDifference(a, b Distribution) Difference { return Config{}.MeanDifference(a, b) }

// MeanDifference compares the mean answers of two distributions on the same
// scale, A − B in scale points, by Welch's t test (Config.WelchTTest).
func (c Config) MeanDifference(a, b Distribution) Difference {
	if a.Scale() != b.Scale() {
		return invalidDifference(0, c.withDefaults().Level,
			fmt.Sprintf("cannot compare means on scales %s and %s", a.Scale(), b.Scale()))
	}
	return c.WelchTTest(a.Summary(), b.Summary())
}

// CSATDifference compares two CSAT distributions on the same scale, A − B:
// the top-2-box share in percentage points (two-proportion z test) and the
// mean in scale points (Welch's t test).
func (c Config) CSATDifference(a, b Distribution) (topTwoBox, mean Difference) {
	s := a.Scale()
	if s != b.Scale() || s.Size() < 3 {
		why := fmt.Sprintf("cannot compare CSAT on scales %s and %s", a.Scale(), b.Scale())
		bad := invalidDifference(0, c.withDefaults().Level, why)
		return bad, bad
	}
	topTwoBox = c.ProportionDifference(a.CountBetween(s.Max-1, s.Max), a.N(), b.CountBetween(s.Max-1, s.Max), b.N())
	return topTwoBox, c.MeanDifference(a, b)
}

// CESDifference compares two 1–7 CES distributions, A − B: the share
// answering 5–7 in percentage points (two-proportion z test) and the mean in
// scale points (Welch's t test).
func (c Config) CESDifference(a, b Distribution) (easy, mean Difference) {
	if a.Scale() != CESScale || b.Scale() != CESScale {
		why := fmt.Sprintf("CES needs the %s scale, got %s and %s", CESScale, a.Scale(), b.Scale())
		bad := invalidDifference(0, c.withDefaults().Level, why)
		return bad, bad
	}
	easy = c.ProportionDifference(a.CountBetween(5, 7), a.N(), b.CountBetween(5, 7), b.N())
	return easy, c.MeanDifference(a, b)
}

// WelchTTest compares two independent means with the default Config; see
// Config.WelchTTest.
func WelchTTest(a, b Summary) Difference { return Config{}.WelchTTest(a, b) }

// WelchTTest compares two independent means, A − B, by Welch's unequal
// variances t test, as R's t.test(a, b) (var.equal = FALSE) does:
//
//	t = (m_A − m_B)/SE,  SE² = s²_A/n_A + s²_B/n_B,
//	ν = SE⁴ / ((s²_A/n_A)²/(n_A − 1) + (s²_B/n_B)²/(n_B − 1))   (Welch–Satterthwaite),
//	CI = (m_A − m_B) ± t_{1−α/2, ν}·SE,  P = 2·P(T_ν > |t|).
//
// (Welch 1947, Biometrika 34:28–35; Satterthwaite 1946, Biometrics Bulletin
// 2(6):110–114.) Each group needs at least two answers.
func (c Config) WelchTTest(a, b Summary) Difference {
	c = c.withDefaults()
	est := a.Mean - b.Mean
	switch {
	case a.N < 2 || b.N < 2:
		return invalidDifference(est, c.Level, "too few responses: each group needs at least 2")
	case !validLevel(c.Level):
		return invalidDifference(est, c.Level, badLevel(c.Level))
	}
	va, vb := a.Var/float64(a.N), b.Var/float64(b.N)
	se2 := va + vb
	d := Difference{Estimate: est, Level: c.Level, SE: math.Sqrt(se2)}
	if se2 == 0 {
		d.CI = Interval{est, est}
		d.P = 1
		if est != 0 {
			d.P = 0
		}
		d.Reason = "no variation within either group"
		return d
	}
	d.DF = se2 * se2 / (va*va/float64(a.N-1) + vb*vb/float64(b.N-1))
	half := TQuantile(0.5+c.Level/2, d.DF) * d.SE
	d.CI = Interval{est - half, est + half}
	d.Statistic = est / d.SE
	d.P = min(1, 2*TSurvival(math.Abs(d.Statistic), d.DF))
	d.Valid = true
	return d
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
