package metrics

import (
	"fmt"
	"strings"
	"testing"
)

// TestWelchTTest checks Welch's test against R's documented example,
// t.test(extra ~ group, data = sleep) on datasets::sleep (Cushny & Peebles
// 1905; the example in R's ?t.test), which prints:
//
//	Welch Two Sample t-test
//	t = -1.8608, df = 17.776, p-value = 0.07939
//	95 percent confidence interval: -3.3654832  0.2054832
//	mean in group 1 0.75, mean in group 2 2.33
//
// The 15-digit values are the same formulas in mpmath at 40 digits.
func TestWelchTTest(t *testing.T) {
	t.Parallel()
	g1 := Summarize([]float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0})
	g2 := Summarize([]float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4})
	d := Config{}.WelchTTest(g1, g2)
	if !d.Valid {
		t.Fatalf("not valid: %s", d.Reason)
	}
	near(t, "estimate", d.Estimate, 0.75-2.33, 1e-14)
	// As printed by R.
	near(t, "t (R)", d.Statistic, -1.8608, 5e-5)
	near(t, "df (R)", d.DF, 17.776, 5e-4)
	near(t, "p (R)", d.P, 0.07939, 5e-6)
	near(t, "lower (R)", d.CI.Lower, -3.3654832, 5e-8)
	near(t, "upper (R)", d.CI.Upper, 0.2054832, 5e-8)
	// mpmath.
	near(t, "t", d.Statistic, -1.86081346748685, 1e-12)
	near(t, "df", d.DF, 17.7764735161785, 1e-11)
	near(t, "p", d.P, 0.0793941401873581, 1e-13)
	near(t, "lower", d.CI.Lower, -3.36548323071171, 1e-12)
	near(t, "upper", d.CI.Upper, 0.205483230711711, 1e-12)
}

// TestProportionDifference checks the two-proportion z test and interval.
// The intervals are Newcombe (1998), "Interval estimation for the difference
// between independent proportions: comparison of eleven methods", Statistics
// in Medicine 17:873–890, Table II, method 1 (simple asymptotic, no
// continuity correction), printed to 4 decimals — the interval R's
// prop.test(correct = FALSE) reports. The test statistics follow prop.test's
// pooled X² = z², derived by hand:
//
//	56/70 vs 48/80: p̄ = 104/150; z² = .2²/(p̄(1−p̄)(1/70+1/80)) = 7.023411
//	9/10 vs 3/10:   p̄ = .6; z² = .6²/(.24·.2) = 7.5 exactly
//	6/7 vs 2/7:     p̄ = 4/7; z² = (4/7)²/((12/49)(2/7)) = 4.666667
//	5/56 vs 0/29:   p̄ = 5/85; z² = 2.751116
//
// and the p-values are P(χ²₁ > z²), evaluated in mpmath at 40 digits.
func TestProportionDifference(t *testing.T) {
	t.Parallel()
	tests := []struct {
		xa, na, xb, nb int64
		lo, hi         float64 // Newcombe 1998 Table II method 1, as fractions
		x2, p          float64
	}{
		{56, 70, 48, 80, 0.0575, 0.3425, 7.02341137123746, 0.00804508136819658},
		{9, 10, 3, 10, 0.2605, 0.9395, 7.5, 0.00616989932054416},
		{6, 7, 2, 7, 0.1481, 0.9947, 4.66666666666667, 0.0307535612592746},
		{5, 56, 0, 29, 0.0146, 0.1640, 2.75111607142857, 0.0971865681705797},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%d/%d-%d/%d", tc.xa, tc.na, tc.xb, tc.nb), func(t *testing.T) {
			t.Parallel()
			d := ProportionDifference(tc.xa, tc.na, tc.xb, tc.nb)
			if !d.Valid {
				t.Fatalf("not valid: %s", d.Reason)
			}
			near(t, "estimate", d.Estimate, 100*(float64(tc.xa)/float64(tc.na)-float64(tc.xb)/float64(tc.nb)), 1e-12)
			near(t, "lower", d.CI.Lower, 100*tc.lo, 5e-3)
			near(t, "upper", d.CI.Upper, 100*tc.hi, 5e-3)
			near(t, "X²", d.Statistic*d.Statistic, tc.x2, 1e-11)
			near(t, "p", d.P, tc.p, 1e-13)
			if d.Statistic <= 0 {
				t.Errorf("z = %v, want positive for A > B", d.Statistic)
			}
		})
	}
}

// TestNPSDifference checks the NPS z test against the two-sample branch of
// nps.test in the R package NPS by the author of Rocks (2016)
// (github.com/brendan-r/NPS, R/nps.R at commit 1443997, lines 227–236:
// se = √(var.x/n.x + var.y/n.y), p = 1 − (2Φ(δ/se) − 1)), run under R 4.2.2 on
// the x and y vectors of TestNPSIntervals: it prints se.hat
// 0.114017542509914, p.value 0.0794106259989422 and int −0.0234702769251956
// 0.4234702769251956. By hand:
//
//	A: 50 promoters, 30 passives, 20 detractors: NPS .30, V = .5+.2−.09 = .61
//	B: 40, 30, 30: NPS .10, V = .4+.3−.01 = .69
//	SE = √(.61/100 + .69/100) = √.013 = .114017543; z = .2/.114017543 =
//	1.754116039; p = 2Φ(−1.754116) = .0794106260;
//	CI = 20 ± 1.959964·11.4017543 = [−2.3470, 42.3470] points.
func TestNPSDifference(t *testing.T) {
	t.Parallel()
	d := NPSDifference(npsDist(t, 50, 30, 20), npsDist(t, 40, 30, 30))
	if !d.Valid {
		t.Fatalf("not valid: %s", d.Reason)
	}
	near(t, "estimate", d.Estimate, 20, 1e-12)
	near(t, "SE", d.SE, 11.4017542509914, 1e-11)
	near(t, "z", d.Statistic, 1.75411603861406, 1e-12)
	near(t, "p", d.P, 0.0794106259989422, 1e-13)
	near(t, "lower", d.CI.Lower, -2.34702769251957, 1e-11)
	near(t, "upper", d.CI.Upper, 42.3470276925196, 1e-11)
	if d.DF != 0 {
		t.Errorf("DF = %v, want 0 for a z test", d.DF)
	}
	// Swapping the groups flips the sign and keeps p.
	r := NPSDifference(npsDist(t, 40, 30, 30), npsDist(t, 50, 30, 20))
	near(t, "swapped estimate", r.Estimate, -20, 1e-12)
	near(t, "swapped p", r.P, d.P, 1e-15)
}

// TestDifferenceEdges checks the zero-safe paths: no NaN, Valid false and a
// reason whenever the test cannot be computed.
func TestDifferenceEdges(t *testing.T) {
	t.Parallel()
	emptyNPS := NewDistribution(NPSScale)
	tests := []struct {
		name       string
		d          Difference
		wantValid  bool
		wantReason string
		wantP      float64
	}{
		{"nps empty group", NPSDifference(emptyNPS, npsDist(t, 1, 1, 1)), false, "no responses", 1},
		{"nps wrong scale", NPSDifference(NewDistribution(CESScale), npsDist(t, 1, 1, 1)), false, "NPS needs", 1},
		{"nps all promoters both", NPSDifference(npsDist(t, 5, 0, 0), npsDist(t, 9, 0, 0)), false, "no variation", 1},
		{"nps promoters vs detractors", NPSDifference(npsDist(t, 5, 0, 0), npsDist(t, 0, 0, 9)), false, "no variation", 0},
		{"nps bad level", Config{Level: 2}.NPSDifference(npsDist(t, 5, 1, 0), npsDist(t, 1, 0, 9)), false, "confidence level", 1},
		{"nps n=1 each", NPSDifference(npsDist(t, 1, 0, 0), npsDist(t, 0, 1, 0)), false, "no variation", 0},
		{"prop empty", ProportionDifference(0, 0, 1, 2), false, "no responses", 1},
		{"prop invalid", ProportionDifference(3, 2, 1, 2), false, "invalid counts", 1},
		// Pooled p̄ = .5, so the test still works though each group is
		// uniform: z² = 1/(.25·.2) = 20, P(χ²₁ > 20) = 7.74421643104408e-06.
		{"prop all and none", ProportionDifference(10, 10, 0, 10), true, "", 7.74421643104408e-06},
		{"prop both all", ProportionDifference(10, 10, 7, 7), false, "no variation", 1},
		{"welch n=1", Config{}.WelchTTest(Summary{N: 1, Mean: 3}, Summary{N: 5, Mean: 2, Var: 1}), false, "at least 2", 1},
		{"welch zero var equal", Config{}.WelchTTest(Summary{N: 3, Mean: 3}, Summary{N: 5, Mean: 3}), false, "no variation", 1},
		{"welch zero var differ", Config{}.WelchTTest(Summary{N: 3, Mean: 3}, Summary{N: 5, Mean: 4}), false, "no variation", 0},
		{"welch bad level", Config{Level: -1}.WelchTTest(Summary{N: 3, Mean: 3, Var: 1}, Summary{N: 5, Mean: 4, Var: 1}), false, "confidence level", 1},
		{"mean difference empty", MeanDifference(NewDistribution(CSATScale), NewDistribution(CSATScale)), false, "at least 2", 1},
		{"mean difference scales", MeanDifference(NewDistribution(CSATScale), NewDistribution(CESScale)), false, "cannot compare means", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := tc.d
			finite(t, "Difference", d.Estimate, d.SE, d.CI.Lower, d.CI.Upper, d.Statistic, d.DF, d.P)
			if d.Valid != tc.wantValid || !strings.Contains(d.Reason, tc.wantReason) {
				t.Errorf("Valid %v Reason %q, want %v %q", d.Valid, d.Reason, tc.wantValid, tc.wantReason)
			}
			near(t, "P", d.P, tc.wantP, 1e-12)
		})
	}
}

// TestCSATAndCESDifference checks that the CSAT and CES comparisons pick the
// right boxes and delegate to the tests verified above: 56 of 70 versus 48 of
// 80 in the top boxes is Newcombe's first example (TestProportionDifference).
func TestCSATAndCESDifference(t *testing.T) {
	t.Parallel()
	a, err := DistributionFromCounts(CSATScale, []int64{4, 4, 6, 20, 36}) // 56/70 in 4–5
	if err != nil {
		t.Fatal(err)
	}
	b, err := DistributionFromCounts(CSATScale, []int64{10, 10, 12, 28, 20}) // 48/80
	if err != nil {
		t.Fatal(err)
	}
	top, mean := Config{}.CSATDifference(a, b)
	want := ProportionDifference(56, 70, 48, 80)
	if top != want {
		t.Errorf("top-2-box difference %+v, want %+v", top, want)
	}
	if wantMean := WelchTTest(a.Summary(), b.Summary()); mean != wantMean || !mean.Valid {
		t.Errorf("mean difference %+v, want %+v", mean, wantMean)
	}

	ca, err := DistributionFromCounts(CESScale, []int64{2, 4, 4, 4, 20, 20, 16}) // 56/70 in 5–7
	if err != nil {
		t.Fatal(err)
	}
	cb, err := DistributionFromCounts(CESScale, []int64{8, 8, 8, 8, 16, 16, 16}) // 48/80
	if err != nil {
		t.Fatal(err)
	}
	easy, _ := Config{}.CESDifference(ca, cb)
	if easy != want {
		t.Errorf("CES easy difference %+v, want %+v", easy, want)
	}
	if bad, _ := (Config{}).CESDifference(a, b); bad.Valid || !strings.Contains(bad.Reason, "CES needs") {
		t.Errorf("CES on 1–5: %+v", bad)
	}
	if bad, _ := (Config{}).CSATDifference(a, ca); bad.Valid || !strings.Contains(bad.Reason, "cannot compare CSAT") {
		t.Errorf("CSAT across scales: %+v", bad)
	}
}
