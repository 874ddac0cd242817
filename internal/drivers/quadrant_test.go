package drivers

import (
	"slices"
	"testing"
)

func TestQuadrants(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		importance  []float64
		performance []float64
		rule        Split
		want        []Quadrant
		splitI      float64
		splitP      float64
	}{
		{
			// Mean importance 25 (= 100/4), mean performance 3.5.
			name:        "mean",
			importance:  []float64{40, 30, 20, 10},
			performance: []float64{3, 4, 2, 5},
			rule:        SplitMean,
			want:        []Quadrant{QuadrantFixFirst, QuadrantKeepUp, QuadrantLowPriority, QuadrantPossibleOverkill},
			splitI:      25,
			splitP:      3.5,
		},
		{
			// One dominant driver pulls the mean to 25 but the median is 15:
			// with the median split "b" (20 %) is important too.
			name:        "median",
			importance:  []float64{70, 20, 6, 4},
			performance: []float64{4, 2, 3, 5},
			rule:        SplitMedian,
			want:        []Quadrant{QuadrantKeepUp, QuadrantFixFirst, QuadrantLowPriority, QuadrantPossibleOverkill},
			splitI:      13,
			splitP:      3.5,
		},
		{
			name:        "on the line counts as high",
			importance:  []float64{50, 50},
			performance: []float64{3, 3},
			rule:        SplitMean,
			want:        []Quadrant{QuadrantKeepUp, QuadrantKeepUp},
			splitI:      50,
			splitP:      3,
		},
		{
			name:        "odd median",
			importance:  []float64{10, 60, 30},
			performance: []float64{2, 1, 3},
			rule:        SplitMedian,
			want:        []Quadrant{QuadrantPossibleOverkill, QuadrantFixFirst, QuadrantKeepUp},
			splitI:      30,
			splitP:      2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, si, sp := Quadrants(tt.importance, tt.performance, tt.rule)
			if !slices.Equal(got, tt.want) || si != tt.splitI || sp != tt.splitP {
				t.Errorf("got %v (%v, %v), want %v (%v, %v)", got, si, sp, tt.want, tt.splitI, tt.splitP)
			}
		})
	}
}

func TestSplitString(t *testing.T) {
	t.Parallel()
	for s, want := range map[Split]string{SplitMean: "mean", SplitMedian: "median", Split(9): "Split(9)"} {
		if got := s.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(s), got, want)
		}
	}
}
