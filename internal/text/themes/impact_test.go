package themes

import (
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/cxlens/cxlens/internal/metrics"
)

func TestAnalyze(t *testing.T) {
	t.Parallel()
	// Overall: promoters 10, 9, 10; passive 8; detractors 3, 0:
	// NPS = (3 − 2)/6 = 16.667.
	responses := []Response{
		{10, []string{"delivery"}},
		{9, []string{"price"}},
		{8, nil},
		{3, []string{"delivery", "price"}},
		{0, []string{"delivery", "delivery"}}, // counted once
		{10, []string{"unknown"}},
	}
	got, err := Analyze(metrics.Config{}, responses, []string{"delivery", "price", "staff"})
	if err != nil {
		t.Fatal(err)
	}
	if !near(got.Overall.Score, 100.0/6) {
		t.Errorf("overall = %v", got.Overall.Score)
	}
	tests := []struct {
		theme         string
		volume        int64
		share         float64
		nps, without  float64
		impact        float64
		withoutN      int64
		withoutScores [3]int64
	}{
		// delivery: 10, 3, 0 → (1−2)/3 = −33.3; without: 9, 8, 10 →
		// 2/3 = 66.7; impact 16.7 − 66.7 = −50.
		{"delivery", 3, 50, -100.0 / 3, 200.0 / 3, -50, 3, [3]int64{2, 1, 0}},
		// price: 9, 3 → 0; without: 10, 8, 0, 10 → (2−1)/4 = 25;
		// impact 16.7 − 25 = −8.3.
		{"price", 2, 100.0 / 3, 0, 25, 100.0/6 - 25, 4, [3]int64{2, 1, 1}},
		// staff: never mentioned, so the NPS without it is the overall NPS.
		{"staff", 0, 0, 0, 100.0 / 6, 0, 6, [3]int64{3, 1, 2}},
	}
	for i, tt := range tests {
		s := got.Themes[i]
		if s.Theme != tt.theme || s.Share.Count != tt.volume || !near(s.Share.Percent, tt.share) ||
			!near(s.NPS.Score, tt.nps) || !near(s.Without.Score, tt.without) || !near(s.Impact, tt.impact) ||
			s.Without.N != tt.withoutN ||
			!reflect.DeepEqual([3]int64{s.Without.Promoters, s.Without.Passives, s.Without.Detractors}, tt.withoutScores) {
			t.Errorf("%s: got share %d %.3f%%, NPS %.3f, without %.3f (n %d), impact %.3f", tt.theme,
				s.Share.Count, s.Share.Percent, s.NPS.Score, s.Without.Score, s.Without.N, s.Impact)
		}
	}
	if _, err := Analyze(metrics.Config{}, []Response{{11, nil}}, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("score 11: err = %v", err)
	}
}

func TestRollUp(t *testing.T) {
	t.Parallel()
	c := sampleCodeframe(t)
	got := RollUp(c, []string{"speed", "price", "delivery", "gone"})
	if want := []string{"speed", "delivery", "price", "gone"}; !reflect.DeepEqual(got, want) {
		t.Errorf("RollUp = %v, want %v", got, want)
	}
}

func TestEmerging(t *testing.T) {
	t.Parallel()
	period := func(counts map[string]int) [][]string {
		out := make([][]string, 100)
		for id, n := range counts {
			for i := 0; i < n; i++ {
				out[i] = append(out[i], id)
			}
		}
		return out
	}
	prev := period(map[string]int{"a": 10, "b": 20, "c": 30})
	cur := period(map[string]int{"a": 30, "b": 20, "c": 20})
	got := Emerging(metrics.Config{}, prev, cur, []string{"a", "b", "c", "d"}, 0.05)
	// Hand-worked: a: 30% vs 10%, pooled p̄ = 0.2,
	// z = 0.2/√(0.2·0.8·(2/100)) = 3.5355, P = 4.0695e−4; c: 20% vs 30%,
	// z = −0.1/√(0.25·0.75·0.02) = −1.6330, P = 0.10247; b: z = 0, P = 1;
	// d: nobody in either period, no variation, P = 1 (limit).
	// BH over m = 4: sorted P 4.07e−4, 0.10247, 1, 1 →
	// 4·4.07e−4 = 0.0016278, 4/2·0.10247 = 0.20494, 1, 1.
	want := []struct {
		change, z, p, adj float64
		emerging          bool
	}{
		{20, 3.5355339, 0.00040695, 0.0016278, true},
		{0, 0, 1, 1, false},
		{-10, -1.6329932, 0.10247043, 0.20494087, false},
		{0, 0, 1, 1, false},
	}
	for i, w := range want {
		g := got[i]
		if !near(g.Change.Estimate, w.change) || math.Abs(g.Change.Statistic-w.z) > 1e-6 ||
			math.Abs(g.Change.P-w.p) > 1e-7 || math.Abs(g.AdjustedP-w.adj) > 1e-6 || g.Emerging != w.emerging {
			t.Errorf("%s: change %.3f z %.7f P %.8f adj %.8f emerging %v", g.Theme,
				g.Change.Estimate, g.Change.Statistic, g.Change.P, g.AdjustedP, g.Emerging)
		}
	}
	if got[0].Current.Count != 30 || got[0].Previous.Count != 10 {
		t.Errorf("a counts = %d, %d", got[0].Current.Count, got[0].Previous.Count)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
