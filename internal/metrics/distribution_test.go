package metrics

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestTally(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		scale   Scale
		scores  []int
		want    []int64
		wantErr bool
	}{
		{"empty", NPSScale, nil, make([]int64, 11), false},
		{"nps", NPSScale, []int{0, 10, 10, 9, 7, 6}, []int64{1, 0, 0, 0, 0, 0, 1, 1, 0, 1, 2}, false},
		{"csat", CSATScale, []int{1, 5, 5, 4}, []int64{1, 0, 0, 1, 2}, false},
		{"below scale", CSATScale, []int{0}, nil, true},
		{"above scale", NPSScale, []int{11}, nil, true},
		{"invalid scale", Scale{3, 3}, []int{3}, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := Tally(tc.scale, tc.scores)
			if tc.wantErr {
				if !errors.Is(err, ErrOutOfScale) {
					t.Fatalf("Tally error = %v, want ErrOutOfScale", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := d.Counts(); !slices.Equal(got, tc.want) {
				t.Errorf("Counts = %v, want %v", got, tc.want)
			}
			if d.N() != int64(len(tc.scores)) {
				t.Errorf("N = %d, want %d", d.N(), len(tc.scores))
			}
		})
	}
}

// TestTallyInt8MatchesTally checks the fast int8 path against the plain one,
// including lengths that are not a multiple of the unroll factor.
func TestTallyInt8MatchesTally(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 3, 4, 5, 1001} {
		ints := make([]int, n)
		bytes := make([]int8, n)
		for i := range ints {
			ints[i] = r.IntN(11)
			bytes[i] = int8(ints[i])
		}
		want, err := Tally(NPSScale, ints)
		if err != nil {
			t.Fatal(err)
		}
		got, err := TallyInt8(NPSScale, bytes)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Counts(), want.Counts()) {
			t.Errorf("n=%d: TallyInt8 = %v, Tally = %v", n, got.Counts(), want.Counts())
		}
	}
	if _, err := TallyInt8(CSATScale, []int8{1, 2, -1}); !errors.Is(err, ErrOutOfScale) {
		t.Errorf("TallyInt8 with -1 on 1–5: error %v, want ErrOutOfScale", err)
	}
	// A scale that reaches into negative values works too.
	d, err := TallyInt8(Scale{-3, 3}, []int8{-3, -3, 0, 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Counts(); !slices.Equal(got, []int64{2, 0, 0, 1, 0, 0, 1}) {
		t.Errorf("Counts on −3–3 = %v", got)
	}
}

func TestDistributionOps(t *testing.T) {
	t.Parallel()
	d := NewDistribution(CSATScale)
	for _, v := range []int{1, 2, 5} {
		if err := d.Add(v); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.AddN(5, 2); err != nil {
		t.Fatal(err)
	}
	if err := d.Add(6); !errors.Is(err, ErrOutOfScale) {
		t.Errorf("Add(6) error = %v, want ErrOutOfScale", err)
	}
	if err := d.AddN(4, -1); !errors.Is(err, ErrOutOfScale) {
		t.Errorf("AddN(4, -1) error = %v, want ErrOutOfScale", err)
	}
	if d.N() != 5 || d.Count(5) != 3 || d.Count(9) != 0 || d.CountBetween(4, 99) != 3 {
		t.Errorf("N %d, Count(5) %d, Count(9) %d, CountBetween(4,99) %d", d.N(), d.Count(5), d.Count(9), d.CountBetween(4, 99))
	}
	m, err := d.Merge(d)
	if err != nil {
		t.Fatal(err)
	}
	if m.N() != 10 || m.Count(5) != 6 {
		t.Errorf("Merge: N %d Count(5) %d", m.N(), m.Count(5))
	}
	if _, err := d.Merge(NewDistribution(CESScale)); !errors.Is(err, ErrOutOfScale) {
		t.Errorf("Merge across scales: error %v", err)
	}
	// Counts returns a copy.
	c := d.Counts()
	c[0] = 99
	if d.Count(1) != 1 {
		t.Error("Counts aliases the distribution")
	}
	var zero Distribution
	if zero.N() != 0 || zero.Summary() != (Summary{}) || zero.Add(0) == nil {
		t.Error("zero Distribution is not empty and closed")
	}
	if _, err := DistributionFromCounts(CSATScale, []int64{1, 2}); err == nil {
		t.Error("DistributionFromCounts accepted 2 counts for a 5-value scale")
	}
	if _, err := DistributionFromCounts(CSATScale, []int64{1, 2, 3, -4, 5}); err == nil {
		t.Error("DistributionFromCounts accepted a negative count")
	}
}

// TestSummary checks the distribution's mean and variance against a hand
// calculation, and Summarize (Welford) against the same numbers.
func TestSummary(t *testing.T) {
	t.Parallel()
	// Scores 1, 2, 5, 5, 5: mean 18/5 = 3.6; deviations −2.6, −1.6, 1.4 ×3;
	// squares 6.76 + 2.56 + 3·1.96 = 15.2; variance 15.2/4 = 3.8.
	d, err := Tally(CSATScale, []int{1, 2, 5, 5, 5})
	if err != nil {
		t.Fatal(err)
	}
	s := d.Summary()
	if s.N != 5 {
		t.Errorf("N = %d", s.N)
	}
	near(t, "mean", s.Mean, 3.6, 1e-15)
	near(t, "var", s.Var, 3.8, 1e-14)
	w := Summarize([]float64{1, 2, 5, math.NaN(), 5, 5, math.Inf(1)})
	if w.N != 5 {
		t.Errorf("Summarize N = %d, want 5 (NaN and Inf skipped)", w.N)
	}
	near(t, "Welford mean", w.Mean, 3.6, 1e-15)
	near(t, "Welford var", w.Var, 3.8, 1e-14)
	near(t, "SD", w.SD(), math.Sqrt(3.8), 1e-14)

	// Welford keeps the variance when the mean is large relative to the
	// spread: 1e9+{4, 7, 13, 16} has variance 30 exactly (deviations ±3, ±6
	// about 10: (9+36+9+36)/3), where the naive Σx²−n·m² loses it all.
	big := Summarize([]float64{1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16})
	near(t, "Welford var, shifted", big.Var, 30, 1e-6)

	if got := Summarize(nil); got != (Summary{}) {
		t.Errorf("Summarize(nil) = %+v", got)
	}
	if got := Summarize([]float64{7}); got.Var != 0 || got.Mean != 7 {
		t.Errorf("Summarize one value = %+v", got)
	}
}
