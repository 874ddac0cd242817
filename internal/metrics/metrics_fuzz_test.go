package metrics

import (
	"math"
	"testing"
)

// FuzzFigures feeds arbitrary counts and levels through every figure and
// comparison and checks the zero-safety promise: no panic, no NaN or Inf in
// any result. `go test` runs the seeds; `go test -fuzz FuzzFigures` explores.
func FuzzFigures(f *testing.F) {
	f.Add(int64(0), int64(0), int64(0), int64(0), int64(0), int64(0), 0.95)
	f.Add(int64(1), int64(0), int64(0), int64(0), int64(0), int64(1), 0.95)
	f.Add(int64(50), int64(30), int64(20), int64(40), int64(30), int64(30), 0.9)
	f.Add(int64(-1), int64(5), int64(5), int64(5), int64(5), int64(5), 95.0)
	f.Add(int64(1e12), int64(0), int64(1), int64(3), int64(0), int64(0), 0.999999)
	f.Add(int64(7), int64(0), int64(0), int64(7), int64(0), int64(0), math.NaN())
	f.Fuzz(func(t *testing.T, p1, pa1, d1, p2, pa2, d2 int64, level float64) {
		cfg := Config{Level: level}
		a, b := NPSCounts{p1, pa1, d1}, NPSCounts{p2, pa2, d2}
		r := cfg.NPSFromCounts(a)
		finite(t, "NPS", r.Score, r.SE, r.CI.Lower, r.CI.Upper, r.PromoterPercent, r.PassivePercent, r.DetractorPercent)
		if r.Readable && r.Reason != "" || !r.Readable && r.Reason == "" {
			t.Fatalf("Readable %v with Reason %q", r.Readable, r.Reason)
		}
		d := cfg.NPSDifferenceCounts(a, b)
		finite(t, "NPS difference", d.Estimate, d.SE, d.CI.Lower, d.CI.Upper, d.Statistic, d.P)
		pr := cfg.ProportionDifference(p1, p1+pa1, p2, p2+pa2)
		finite(t, "proportion difference", pr.Estimate, pr.SE, pr.CI.Lower, pr.CI.Upper, pr.Statistic, pr.P)
		pp := cfg.Proportion(p1, p1+d1)
		finite(t, "proportion", pp.Percent, pp.CI.Lower, pp.CI.Upper)

		// CSAT/CES from small non-negative counts (large ones would only
		// slow the fuzzer down in DistributionFromCounts).
		counts := []int64{p1 % 1000, pa1 % 1000, d1 % 1000, p2 % 1000, pa2 % 1000, 3, 1}
		for i := range counts {
			counts[i] = max(counts[i], 0)
		}
		ces, err := DistributionFromCounts(CESScale, counts)
		if err != nil {
			t.Fatal(err)
		}
		cr := cfg.CES(ces)
		finite(t, "CES", cr.Easy.Percent, cr.Easy.CI.Lower, cr.Easy.CI.Upper, cr.Mean.Mean, cr.Mean.Var, cr.Mean.CI.Lower, cr.Mean.CI.Upper)
		csat, err := DistributionFromCounts(CSATScale, counts[:5])
		if err != nil {
			t.Fatal(err)
		}
		sr := cfg.CSAT(csat)
		finite(t, "CSAT", sr.TopTwoBox.Percent, sr.TopTwoBox.CI.Lower, sr.TopTwoBox.CI.Upper, sr.Mean.Mean, sr.Mean.CI.Lower, sr.Mean.CI.Upper)
		w := cfg.WelchTTest(ces.Summary(), csat.Summary())
		finite(t, "Welch", w.Estimate, w.SE, w.CI.Lower, w.CI.Upper, w.Statistic, w.DF, w.P)
	})
}
