package metrics

import (
	"math"
	"strconv"
	"testing"
)

// Reference values are R's qnorm/pnorm (AS 241 / Cody's erfc) printed with
// print(x, digits = 17); every one was re-derived independently with mpmath
// 1.3.0 at 40 significant digits (sqrt(2)·erfinv(2p − 1), erfc(−x/√2)/2)
// and agrees with the 4-decimal printed tables (e.g. NIST/SEMATECH
// e-Handbook of Statistical Methods §1.3.6.7.1, "Cumulative distribution
// function of the standard normal": Φ(1.96) = 0.97500, Φ(1.00) = 0.84134).

func TestNormalQuantile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p, want float64
	}{
		{0.975, 1.959963984540054},   // the 95% two-sided critical value
		{0.025, -1.959963984540054},  // symmetry
		{0.95, 1.6448536269514727},   // 90% two-sided
		{0.995, 2.5758293035489008},  // 99% two-sided
		{0.9, 1.2815515655446005},    // 80% two-sided
		{0.5, 0},                     //
		{0.001, -3.0902323061678135}, // AS 241 second region (r ≤ 5)
		{1e-10, -6.3613409024040562}, // AS 241 third region (r > 5)
		// 1e-7 rather than 0.9999999: the latter is not exactly representable,
		// and its rounding alone moves the quantile by 1e-10.
		{1e-7, -5.1993375821928169},
	}
	for _, tc := range tests {
		t.Run(strconv.FormatFloat(tc.p, 'g', -1, 64), func(t *testing.T) {
			near(t, "NormalQuantile", NormalQuantile(tc.p), tc.want, 1e-14*max(1, math.Abs(tc.want)))
		})
	}
}

func TestNormalQuantileEdges(t *testing.T) {
	t.Parallel()
	if got := NormalQuantile(0); !math.IsInf(got, -1) {
		t.Errorf("NormalQuantile(0) = %v, want -Inf", got)
	}
	if got := NormalQuantile(1); !math.IsInf(got, 1) {
		t.Errorf("NormalQuantile(1) = %v, want +Inf", got)
	}
	for _, p := range []float64{-0.1, 1.1, math.NaN()} {
		if got := NormalQuantile(p); !math.IsNaN(got) {
			t.Errorf("NormalQuantile(%v) = %v, want NaN", p, got)
		}
	}
}

func TestNormalCDF(t *testing.T) {
	t.Parallel()
	tests := []struct {
		x, want float64
	}{
		{1.96, 0.97500210485177957},
		{-1.96, 0.024997895148220434},
		{1, 0.84134474606854295},
		{0, 0.5},
		{-3, 0.0013498980316300945},
		{-8, 6.2209605742717841e-16}, // lower tail keeps relative precision
	}
	for _, tc := range tests {
		t.Run(strconv.FormatFloat(tc.x, 'g', -1, 64), func(t *testing.T) {
			near(t, "NormalCDF", NormalCDF(tc.x), tc.want, 1e-14*tc.want)
			near(t, "NormalSurvival(-x)", NormalSurvival(-tc.x), tc.want, 1e-14*tc.want)
		})
	}
}

// TestNormalRoundTrip checks NormalCDF(NormalQuantile(p)) = p across the
// whole range, including AS 241's three regions.
func TestNormalRoundTrip(t *testing.T) {
	t.Parallel()
	for _, p := range []float64{1e-300, 1e-20, 1e-8, 0.0001, 0.01, 0.074, 0.076, 0.3, 0.5, 0.7, 0.924, 0.926, 0.99} {
		got := NormalCDF(NormalQuantile(p))
		near(t, "Φ(Φ⁻¹("+strconv.FormatFloat(p, 'g', -1, 64)+"))", got, p, 1e-12*p)
	}
}

// TestAS241Transcription checks the coefficients against the hash sums
// printed in Wichura (1988), AS 241 (the sums of the coefficients' mantissas,
// "included for use in checking transcription"): AB 55.8831928806149014439,
// CD 49.33206503301610289036, EF 47.52583317549289671629.
func TestAS241Transcription(t *testing.T) {
	t.Parallel()
	mantissa := func(x float64) float64 { return x / math.Pow(10, math.Floor(math.Log10(x))) }
	sum := func(num, den [8]float64) float64 {
		s := 0.0
		for _, v := range num {
			s += mantissa(v)
		}
		for _, v := range den[1:] {
			s += mantissa(v)
		}
		return s
	}
	near(t, "hash AB", sum(as241A, as241B), 55.8831928806149014439, 1e-12)
	near(t, "hash CD", sum(as241C, as241D), 49.33206503301610289036, 1e-12)
	near(t, "hash EF", sum(as241E, as241F), 47.52583317549289671629, 1e-12)
}
