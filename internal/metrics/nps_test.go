package metrics

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// npsDist builds a 0–10 distribution with the given numbers of promoters
// (answer 10), passives (8) and detractors (3).
func npsDist(t testing.TB, pro, pas, det int64) Distribution {
	t.Helper()
	d := NewDistribution(NPSScale)
	for _, a := range []struct {
		v int
		n int64
	}{{10, pro}, {8, pas}, {3, det}} {
		if err := d.AddN(a.v, a.n); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// TestNPSIntervals checks Wald and adjusted-Wald intervals (Rocks 2016, The
// American Statistician 70(4):365–372, §2–3) against the paper author's own
// reference implementation, the R package NPS (github.com/brendan-r/NPS,
// R/nps.R at commit 1443997): npvar (lines 133–136) gives the variance
// p₊ + p₋ − (p₊ − p₋)² from a vector of counts, and nps.test (from line 207;
// one-sample branch lines 219–225) the Wald interval nps ± qnorm(.975)·√(var/n).
// The adjusted Wald is that Wald interval on the counts plus the pseudo-
// observations c(0.75, 1.5, 0.75) (detractor, passive, promoter), the default
// of nps_test(test = "adjusted.wald") in the package's 2.x manual
// (man/nps_test.Rd: the pseudo-observations "will be added to the data,
// before a Wald interval is constructed"). The stored copies of the paper
// I could reach show only its opening pages, so the reference digits are
// what the author's functions print under R 4.2.2 with options(digits = 15),
// e.g. for the 50/30/20 case:
//
//	x <- c(rep(10, 30), rep(9, 20), rep(8, 18), rep(7, 12), rep(6, 8),
//	       rep(5, 5), rep(3, 4), rep(0, 3))     # 20 det, 30 pas, 50 pro
//	nps.test(x)$int     # 0.453078080750427 0.146921919249573
//	nps.test(x)$se.hat  # 0.0781024967590665
//	k <- as.vector(table(npc(x))) + c(0.75, 1.5, 0.75); s <- (k[3]-k[1])/sum(k)
//	sqrt(npvar(k)/sum(k))                       # 0.0769151042181476
//	s + c(-1, 1)*qnorm(.975)*sqrt(npvar(k)/sum(k)) # 0.140511301787616 0.442012970057044
//
// Each case also shows its arithmetic by hand (z = 1.959963984540054).
func TestNPSIntervals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		pro, pas, det int64
		method        NPSMethod
		score         float64 // observed NPS, points
		se            float64 // points
		lo, hi        float64 // points, before clamping to ±100
	}{
		// 50 promoters, 30 passives, 20 detractors, n = 100.
		// Wald: p₊ = .5, p₋ = .2, NPS = .3; var = .5 + .2 − .3² = .61;
		// SE = √(.61/100) = .0781024967590665; z·SE = .153078080750427;
		// CI = 30 ± 15.3078 = [14.6922, 45.3078].
		{"wald 50/30/20", 50, 30, 20, Wald, 30, 7.81024967590665, 14.6921919249573, 45.3078080750427},
		// Adjusted: n' = 103, p₊' = 50.75/103 = .492718446601942,
		// p₋' = 20.75/103 = .201456310679612, NPS' = 30/103 = .291262135922330;
		// var = .694174757281553 − .084833631822038 = .609341125459515;
		// SE = √(var/103) = .0769151042181476; z·SE = .150750917;
		// CI = 29.1262 ± 15.0751 = [14.0511, 44.2013].
		{"adjusted 50/30/20", 50, 30, 20, AdjustedWald, 30, 7.69151042181476, 14.0511301787616, 44.2012970057044},
		// 30/50/20: Wald NPS = .1, var = .3 + .2 − .01 = .49, SE = .07,
		// z·SE = .137197478917804: [−3.71975, 23.71975].
		{"wald 30/50/20", 30, 50, 20, Wald, 10, 7, -3.71974789178038, 23.7197478917804},
		// Adjusted: p₊' = 30.75/103, p₋' = 20.75/103, NPS' = 10/103 =
		// .0970873786; var = 51.5/103 − (10/103)² = .5 − .00942596 = .49057404;
		// SE = √(var/103) = .0690134390; CI = [−3.81765, 23.23512].
		{"adjusted 30/50/20", 30, 50, 20, AdjustedWald, 10, 6.90134390253342, -3.81764762981294, 23.2351233579683},
		// n = 1 promoter. Wald: p₊ = 1, var = 1 − 1 = 0: a zero-width
		// interval at 100. Adjusted: n' = 4, p₊' = 1.75/4 = .4375,
		// p₋' = .75/4 = .1875, NPS' = .25; var = .625 − .0625 = .5625;
		// SE = √(.5625/4) = .375; z·SE = .734986494; CI = [−48.4986, 98.4986].
		{"wald one promoter", 1, 0, 0, Wald, 100, 0, 100, 100},
		{"adjusted one promoter", 1, 0, 0, AdjustedWald, 100, 37.5, -48.498649420252, 98.498649420252},
		{"adjusted one detractor", 0, 0, 1, AdjustedWald, -100, 37.5, -98.498649420252, 48.498649420252},
		// 10 promoters. Adjusted: n' = 13, p₊' = 10.75/13, p₋' = .75/13,
		// NPS' = 10/13 = .769230769; var = 11.5/13 − (10/13)² = .884615385 −
		// .591715976 = .292899408; SE = √(var/13) = .150102377;
		// CI = [47.5036, 106.3426] → upper clamped to 100.
		{"adjusted ten promoters", 10, 0, 0, AdjustedWald, 100, 15.0102377443383, 47.5035515447902, 106.342602301364},
		// 40/30/30 from the R run above (y <- c(rep(10, 22), rep(9, 18),
		// rep(8, 15), rep(7, 15), rep(6, 12), rep(4, 10), rep(2, 5),
		// rep(1, 3))): adjusted NPS' = 10/103, SE .0815355541121235,
		// CI [−.0627193708785021, .2568941281600555].
		{"adjusted 40/30/30 (R)", 40, 30, 30, AdjustedWald, 10, 8.15355541121235, -6.27193708785021, 25.68941281600555},
		// Counts 5/4/1 (pro/pas/det) in R: NPS' = 5/13 − 1.75/13 = 4/13 =
		// .3076923076923077, SE .1926033230622461,
		// CI [−.0698032688124273, .6851878841970427].
		{"adjusted 5/4/1 (R)", 5, 4, 1, AdjustedWald, 40, 19.26033230622461, -6.98032688124273, 68.51878841970427},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := Config{NPSMethod: tc.method, MaxNPSHalfWidth: math.Inf(1)}.NPS(npsDist(t, tc.pro, tc.pas, tc.det))
			near(t, "Score", r.Score, tc.score, 1e-12)
			near(t, "SE", r.SE, tc.se, 1e-11)
			near(t, "CI.Lower", r.CI.Lower, max(tc.lo, -100), 1e-11)
			near(t, "CI.Upper", r.CI.Upper, min(tc.hi, 100), 1e-11)
			if r.Method != tc.method || r.Level != 0.95 {
				t.Errorf("Method %v Level %v", r.Method, r.Level)
			}
			if r.N != tc.pro+tc.pas+tc.det || r.Promoters != tc.pro || r.Passives != tc.pas || r.Detractors != tc.det {
				t.Errorf("counts %+v N %d", r.NPSCounts, r.N)
			}
			near(t, "percent sum", r.PromoterPercent+r.PassivePercent+r.DetractorPercent, 100, 1e-12)
		})
	}
}

// TestNPSClassification checks the class boundaries: 0–6 detractors, 7–8
// passives, 9–10 promoters. One answer of each value 0..10: 2 promoters, 2
// passives, 7 detractors; NPS = (2 − 7)/11 = −45.4545… points.
func TestNPSClassification(t *testing.T) {
	t.Parallel()
	d, err := Tally(NPSScale, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	if err != nil {
		t.Fatal(err)
	}
	r := NPS(d)
	if r.Promoters != 2 || r.Passives != 2 || r.Detractors != 7 {
		t.Errorf("classes %+v, want 2/2/7", r.NPSCounts)
	}
	near(t, "Score", r.Score, -500.0/11, 1e-12)
	if len(r.Counts) != 11 || r.Counts[6] != 1 {
		t.Errorf("Counts = %v", r.Counts)
	}
}

func TestNPSReadability(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		cfg           Config
		d             Distribution
		wantReadable  bool
		wantReasonHas string
	}{
		{"no data", Config{}, NewDistribution(NPSScale), false, "no responses"},
		{"wrong scale", Config{}, NewDistribution(CSATScale), false, "NPS needs the 0–10 scale"},
		{"bad level", Config{Level: 95}, npsDist(t, 50, 30, 20), false, "confidence level"},
		// 50/30/20 adjusted: ±15.08 points > ±10.
		{"n=100 too wide", Config{}, npsDist(t, 50, 30, 20), false, "too few responses to read: ±15.1 points"},
		{"n=100 wider threshold", Config{MaxNPSHalfWidth: 16}, npsDist(t, 50, 30, 20), true, ""},
		// 500/300/200 adjusted: var ≈ .61, SE ≈ √(.61/1003) = .02466, ±4.8.
		{"n=1000", Config{}, npsDist(t, 500, 300, 200), true, ""},
		{"min n", Config{MinN: 2000}, npsDist(t, 500, 300, 200), false, "fewer than the minimum 2000"},
		// Wald collapses for a single promoter; readability still refuses
		// it because of MinN; without MinN, Wald's zero width reads as exact —
		// which is why adjusted Wald is the default.
		{"wald n=1 with min", Config{NPSMethod: Wald, MinN: 30}, npsDist(t, 1, 0, 0), false, "fewer than the minimum"},
		{"adjusted n=1", Config{}, npsDist(t, 1, 0, 0), false, "too few responses to read"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := tc.cfg.NPS(tc.d)
			finite(t, "NPS", r.Score, r.SE, r.CI.Lower, r.CI.Upper, r.PromoterPercent, r.PassivePercent, r.DetractorPercent)
			if r.Readable != tc.wantReadable || !strings.Contains(r.Reason, tc.wantReasonHas) {
				t.Errorf("Readable %v Reason %q, want %v containing %q", r.Readable, r.Reason, tc.wantReadable, tc.wantReasonHas)
			}
			if r.Readable && r.Reason != "" {
				t.Errorf("readable with reason %q", r.Reason)
			}
		})
	}
}

// TestNPSProperties checks invariants over random and extreme inputs: no NaN
// or Inf, the interval inside [−100, 100] and containing the adjusted centre
// (P − D)/(n + 3), the score inside [−100, 100], and adjusted-Wald intervals
// never of zero width.
func TestNPSProperties(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	cases := [][3]int64{{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1000, 0, 0}, {0, 0, 1000}, {0, 1000, 0}, {1 << 40, 0, 1}}
	for range 500 {
		cases = append(cases, [3]int64{r.Int64N(50), r.Int64N(50), r.Int64N(50)})
	}
	for _, k := range cases {
		for _, m := range []NPSMethod{AdjustedWald, Wald} {
			for _, level := range []float64{0.8, 0.95, 0.999} {
				res := Config{NPSMethod: m, Level: level}.NPSFromCounts(NPSCounts{k[0], k[1], k[2]})
				finite(t, "NPS", res.Score, res.SE, res.CI.Lower, res.CI.Upper)
				if res.Score < -100 || res.Score > 100 || res.CI.Lower < -100 || res.CI.Upper > 100 || res.CI.Lower > res.CI.Upper {
					t.Fatalf("%v %v %v: score %v CI %+v out of range", k, m, level, res.Score, res.CI)
				}
				n := k[0] + k[1] + k[2]
				if n == 0 {
					if res.Readable || res.CI != (Interval{-100, 100}) {
						t.Fatalf("no data: %+v", res)
					}
					continue
				}
				if m == AdjustedWald {
					centre := 100 * float64(k[0]-k[2]) / float64(n+3)
					if !res.CI.Contains(centre) || res.SE <= 0 {
						t.Fatalf("%v: adjusted CI %+v misses centre %v or SE %v", k, res.CI, centre, res.SE)
					}
				} else if !res.CI.Contains(res.Score) {
					t.Fatalf("%v: Wald CI %+v misses score %v", k, res.CI, res.Score)
				}
			}
		}
	}
	if r := (Config{}).NPSFromCounts(NPSCounts{Promoters: -1}); r.Readable || r.N != 0 {
		t.Errorf("negative counts: %+v", r)
	}
	if r := (Config{}).NPSFromCounts(NPSCounts{Promoters: math.MaxInt64, Passives: 1}); r.Readable || r.N != 0 || !strings.Contains(r.Reason, "invalid counts") {
		t.Errorf("overflowing counts: %+v", r)
	}
	if iv, se := NPSInterval(NPSCounts{1, 1, 1}, NPSMethod(9), 0.95); iv != (Interval{-100, 100}) || se != 0 {
		t.Errorf("unknown method: %+v %v", iv, se)
	}
	if NPSMethod(9).String() != "NPSMethod(9)" || AdjustedWald.String() != "adjusted-wald" || Wald.String() != "wald" {
		t.Error("NPSMethod.String")
	}
}
