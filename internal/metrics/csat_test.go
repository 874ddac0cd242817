package metrics

import (
	"strings"
	"testing"
)

// TestCSAT checks CSAT figures against hand calculations.
func TestCSAT(t *testing.T) {
	t.Parallel()
	// 1–5 scale, counts 1:10 2:10 3:20 4:60 5:100 (n = 200).
	// Top-2-box: 160/200 = 80%. Wilson 95% (z² = 3.841458820694124):
	// centre = (160 + 1.920729)/203.841459 = .7943463; half =
	// 1.959964·√(160·40/200 + .960365)/203.841459 = 1.959964·5.741112/
	// 203.841459 = .0552016; CI = [73.9145, 84.9548] (mpmath at 40 digits:
	// 73.9144813434621, 84.9547990739019).
	// Mean: Σv·c = 10 + 20 + 60 + 240 + 500 = 830, mean 4.15.
	// Σc(v−4.15)² = 10·9.9225 + 10·4.6225 + 20·1.3225 + 60·.0225 + 100·.7225
	// = 99.225 + 46.225 + 26.45 + 1.35 + 72.25 = 245.5; var = 245.5/199 =
	// 1.233668; SE = √(1.233668/200) = .0785388; t(.975, 199) = 1.971956544;
	// CI = 4.15 ± .1548751 = [3.9951249, 4.3048751] (mpmath: 3.99512491689901,
	// 4.30487508310099).
	d, err := DistributionFromCounts(CSATScale, []int64{10, 10, 20, 60, 100})
	if err != nil {
		t.Fatal(err)
	}
	r := CSAT(d)
	if r.N != 200 || r.TopTwoBox.Count != 160 || r.Scale != CSATScale {
		t.Fatalf("N %d top2 %d scale %v", r.N, r.TopTwoBox.Count, r.Scale)
	}
	near(t, "top-2-box %", r.TopTwoBox.Percent, 80, 1e-12)
	near(t, "top-2-box lower", r.TopTwoBox.CI.Lower, 73.9144813434621, 1e-10)
	near(t, "top-2-box upper", r.TopTwoBox.CI.Upper, 84.9547990739019, 1e-10)
	near(t, "mean", r.Mean.Mean, 4.15, 1e-12)
	near(t, "var", r.Mean.Var, 245.5/199, 1e-12)
	near(t, "mean lower", r.Mean.CI.Lower, 3.99512491689901, 1e-12)
	near(t, "mean upper", r.Mean.CI.Upper, 4.30487508310099, 1e-12)
	// Top-2-box ±5.5 ≤ 10 and mean ±0.155 ≤ 0.25: readable.
	if !r.Readable || r.Reason != "" {
		t.Errorf("Readable %v Reason %q", r.Readable, r.Reason)
	}
}

// TestCSATScales checks that the top two boxes follow the configured scale.
func TestCSATScales(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		scale      Scale
		scores     []int
		wantTop    int64
		wantReason string
	}{
		{"1–5", CSATScale, []int{3, 4, 5, 5}, 3, ""},
		{"1–7: 6–7", Scale{1, 7}, []int{5, 6, 7, 7}, 3, ""},
		{"0–10: 9–10", NPSScale, []int{8, 9, 10}, 2, ""},
		{"two values", Scale{0, 1}, []int{0, 1}, 0, "at least 3 values"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := Tally(tc.scale, tc.scores)
			if err != nil {
				t.Fatal(err)
			}
			r := CSAT(d)
			if r.TopTwoBox.Count != tc.wantTop {
				t.Errorf("top-2-box count %d, want %d", r.TopTwoBox.Count, tc.wantTop)
			}
			if tc.wantReason != "" && (r.Readable || !strings.Contains(r.Reason, tc.wantReason)) {
				t.Errorf("Readable %v Reason %q, want %q", r.Readable, r.Reason, tc.wantReason)
			}
			finite(t, "CSAT", r.TopTwoBox.Percent, r.TopTwoBox.CI.Lower, r.TopTwoBox.CI.Upper, r.Mean.Mean, r.Mean.CI.Lower, r.Mean.CI.Upper)
		})
	}
}

// TestCSATEdges covers n = 0, n = 1 and uniform answers.
func TestCSATEdges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		counts       []int64
		wantReadable bool
		wantReason   string
		wantMeanCI   Interval
	}{
		{"n=0", []int64{0, 0, 0, 0, 0}, false, "no responses", Interval{1, 5}},
		{"n=1", []int64{0, 0, 0, 0, 1}, false, "too few responses to read", Interval{1, 5}},
		// 400 answers all 5: variance 0, so the t interval is [5, 5]; the
		// Wilson interval for 400/400 is [99.05, 100] (lower = 400/(400+z²)),
		// both readable.
		{"all 5", []int64{0, 0, 0, 0, 400}, true, "", Interval{5, 5}},
		// 400 answers all 1: top-2-box 0%, Wilson [0, 0.95].
		{"all 1", []int64{400, 0, 0, 0, 0}, true, "", Interval{1, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := DistributionFromCounts(CSATScale, tc.counts)
			if err != nil {
				t.Fatal(err)
			}
			r := CSAT(d)
			finite(t, "CSAT", r.TopTwoBox.Percent, r.TopTwoBox.CI.Lower, r.TopTwoBox.CI.Upper, r.Mean.Mean, r.Mean.Var, r.Mean.CI.Lower, r.Mean.CI.Upper)
			if r.Readable != tc.wantReadable || !strings.Contains(r.Reason, tc.wantReason) {
				t.Errorf("Readable %v Reason %q, want %v %q", r.Readable, r.Reason, tc.wantReadable, tc.wantReason)
			}
			if r.Mean.CI != tc.wantMeanCI {
				t.Errorf("mean CI %+v, want %+v", r.Mean.CI, tc.wantMeanCI)
			}
		})
	}
}
