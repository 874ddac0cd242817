package metrics

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestWilsonInterval checks the Wilson score interval against Newcombe
// (1998), "Two-sided confidence intervals for the single proportion:
// comparison of seven methods", Statistics in Medicine 17:857–872, Table II,
// method 3 (score interval without continuity correction), 95%, printed to 4
// decimals. The 15-digit values are the same formula evaluated in mpmath at
// 40 digits and are checked to 1e-12; the 4-decimal published values to 5e-5.
func TestWilsonInterval(t *testing.T) {
	t.Parallel()
	tests := []struct {
		x, n             int64
		pubLo, pubHi     float64 // Newcombe 1998 Table II, method 3
		exactLo, exactHi float64 // mpmath, 40 digits
	}{
		{81, 263, 0.2553, 0.3662, 0.255288519878274, 0.3662095769828},
		{15, 148, 0.0624, 0.1605, 0.0623863995307363, 0.160487241723308},
		{0, 20, 0, 0.1611, 0, 0.161125158052819},
		{1, 29, 0.0061, 0.1718, 0.00611321429276266, 0.171755218793203},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%d/%d", tc.x, tc.n), func(t *testing.T) {
			t.Parallel()
			iv := WilsonInterval(tc.x, tc.n, 0.95)
			near(t, "lower (published)", iv.Lower, tc.pubLo, 5e-5)
			near(t, "upper (published)", iv.Upper, tc.pubHi, 5e-5)
			near(t, "lower", iv.Lower, tc.exactLo, 1e-12)
			near(t, "upper", iv.Upper, tc.exactHi, 1e-12)
		})
	}
}

func TestWilsonIntervalEdges(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		x, n  int64
		level float64
		want  Interval
	}{
		{"n=0", 0, 0, 0.95, Interval{0, 1}},
		{"count>n", 3, 2, 0.95, Interval{0, 1}},
		{"negative", -1, 2, 0.95, Interval{0, 1}},
		{"level 95 not 0.95", 1, 2, 95, Interval{0, 1}},
	} {
		if got := WilsonInterval(tc.x, tc.n, tc.level); got != tc.want {
			t.Errorf("%s: WilsonInterval = %+v, want %+v", tc.name, got, tc.want)
		}
	}
	// All successes: upper limit 1, lower n/(n+z²) (the x = n case of the
	// formula: (n + z²/2 − z²/2)/(n + z²)). n = 29: 29/(29+3.8414588…) =
	// 0.883030201500259.
	iv := WilsonInterval(29, 29, 0.95)
	near(t, "29/29 lower", iv.Lower, 0.883030201500259, 1e-12)
	near(t, "29/29 upper", iv.Upper, 1, 1e-15)
}

// TestTInterval checks the t interval for a mean against R:
// t.test(sleep$extra[sleep$group == 1]) on R's datasets::sleep (Cushny &
// Peebles 1905, group 1: 0.7 −1.6 −0.2 −1.2 −0.1 3.4 3.7 0.8 0.0 2.0) prints
// "t = 1.3257, df = 9, ... 95 percent confidence interval: -0.5297804
// 2.0297804, mean of x 0.75".
func TestTInterval(t *testing.T) {
	t.Parallel()
	s := Summarize([]float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0})
	iv, ok := TInterval(s, 0.95)
	if !ok {
		t.Fatal("TInterval not ok")
	}
	near(t, "mean", s.Mean, 0.75, 1e-15)
	near(t, "lower", iv.Lower, -0.5297804, 5e-8)
	near(t, "upper", iv.Upper, 2.0297804, 5e-8)
	// mpmath, 40 digits: −0.529780413526233, 2.02978041352623.
	near(t, "lower (exact)", iv.Lower, -0.529780413526233, 1e-12)
	near(t, "upper (exact)", iv.Upper, 2.02978041352623, 1e-12)

	if _, ok := TInterval(Summary{N: 1, Mean: 3}, 0.95); ok {
		t.Error("TInterval ok with n = 1")
	}
	if _, ok := TInterval(s, 1); ok {
		t.Error("TInterval ok with level 1")
	}
}

func TestConfigProportion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		cfg          Config
		count, n     int64
		wantReadable bool
		wantReason   string // substring
	}{
		{"no data", Config{}, 0, 0, false, "no responses"},
		{"invalid count", Config{}, 5, 4, false, "invalid count"},
		{"bad level", Config{Level: 95}, 1, 2, false, "confidence level 95"},
		{"NaN threshold", Config{MaxPercentHalfWidth: math.NaN()}, 81, 263, false, "max percent half-width"},
		// 81/263 Wilson 95%: ±5.5 points (see TestWilsonInterval): readable
		// at the default ±10.
		{"readable", Config{}, 81, 263, true, ""},
		{"threshold", Config{MaxPercentHalfWidth: 5}, 81, 263, false, "too few responses to read"},
		{"min n", Config{MinN: 300}, 81, 263, false, "fewer than the minimum 300"},
		{"n=1", Config{}, 1, 1, false, "too few responses to read"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := tc.cfg.Proportion(tc.count, tc.n)
			finite(t, "Proportion", p.Percent, p.CI.Lower, p.CI.Upper)
			if p.Readable != tc.wantReadable || !strings.Contains(p.Reason, tc.wantReason) {
				t.Errorf("Readable %v Reason %q, want %v %q", p.Readable, p.Reason, tc.wantReadable, tc.wantReason)
			}
			if p.CI.Lower < 0 || p.CI.Upper > 100 || p.CI.Lower > p.CI.Upper {
				t.Errorf("CI %+v outside [0, 100]", p.CI)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"zero", Config{}, true},
		{"90%", Config{Level: 0.9, NPSMethod: Wald}, true},
		{"disabled threshold", Config{MaxNPSHalfWidth: math.Inf(1)}, true},
		{"level 95", Config{Level: 95}, false},
		{"level 1", Config{Level: 1}, false},
		{"negative threshold", Config{MaxMeanHalfWidth: -1}, false},
		{"NaN threshold", Config{MaxPercentHalfWidth: math.NaN()}, false},
		{"method", Config{NPSMethod: 7}, false},
		{"min n", Config{MinN: -1}, false},
	} {
		if err := tc.cfg.Validate(); (err == nil) != tc.ok {
			t.Errorf("%s: Validate() = %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}
