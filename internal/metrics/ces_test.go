package metrics

import (
	"strings"
	"testing"
)

// TestCES checks CES figures against hand calculations.
func TestCES(t *testing.T) {
	t.Parallel()
	// Counts 1..7: 5 5 10 20 30 60 70 (n = 200). Easy (5–7): 160 = 80%,
	// the same Wilson interval as TestCSAT's top-2-box: [73.9145, 84.9548].
	// Mean: (5 + 10 + 30 + 80 + 150 + 360 + 490)/200 = 1125/200 = 5.625.
	d, err := DistributionFromCounts(CESScale, []int64{5, 5, 10, 20, 30, 60, 70})
	if err != nil {
		t.Fatal(err)
	}
	r := CES(d)
	if r.N != 200 || r.Easy.Count != 160 || len(r.Counts) != 7 {
		t.Fatalf("N %d easy %d counts %v", r.N, r.Easy.Count, r.Counts)
	}
	near(t, "easy %", r.Easy.Percent, 80, 1e-12)
	near(t, "easy lower", r.Easy.CI.Lower, 73.9144813434621, 1e-10)
	near(t, "easy upper", r.Easy.CI.Upper, 84.9547990739019, 1e-10)
	near(t, "mean", r.Mean.Mean, 5.625, 1e-12)
	if !r.Mean.CI.Contains(5.625) {
		t.Errorf("mean CI %+v", r.Mean.CI)
	}
}

func TestCESEdges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		d            Distribution
		wantReadable bool
		wantReason   string
	}{
		{"n=0", NewDistribution(CESScale), false, "no responses"},
		{"wrong scale", NewDistribution(CSATScale), false, "CES needs the 1–7 scale"},
		{"n=1", mustTally(t, CESScale, 7), false, "too few responses"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := CES(tc.d)
			finite(t, "CES", r.Easy.Percent, r.Easy.CI.Lower, r.Easy.CI.Upper, r.Mean.Mean, r.Mean.CI.Lower, r.Mean.CI.Upper)
			if r.Readable != tc.wantReadable || !strings.Contains(r.Reason, tc.wantReason) {
				t.Errorf("Readable %v Reason %q, want %v %q", r.Readable, r.Reason, tc.wantReadable, tc.wantReason)
			}
		})
	}
}

func mustTally(t testing.TB, s Scale, scores ...int) Distribution {
	t.Helper()
	d, err := Tally(s, scores)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
