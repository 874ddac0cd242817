package themes

import (
	"math"
	"testing"
)

func TestNMIAndPurity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		a, b        []int
		nmi, purity float64
	}{
		{"identical up to names", []int{0, 0, 1, 1}, []int{5, 5, -1, -1}, 1, 1},
		{"independent", []int{0, 0, 1, 1}, []int{0, 1, 0, 1}, 0, 0.5},
		// a = {0,0,0,1,1,1}, b = {0,0,1,1,1,1}: joint (0,0)=2 (0,1)=1 (1,1)=3.
		// I = 2/6·ln(2·6/(3·2)) + 1/6·ln(6/(3·4)) + 3/6·ln(3·6/(3·4))
		//   = 0.231049 − 0.115525 + 0.202733 = 0.318257;
		// H(a) = ln 2 = 0.693147; H(b) = −(1/3 ln 1/3 + 2/3 ln 2/3) = 0.636514;
		// NMI = 2·0.318257/1.329661 = 0.478704. Purity: cluster 0 → 2
		// of class 0, cluster 1 → 3 of class 1: 5/6.
		{"hand-worked", []int{0, 0, 0, 1, 1, 1}, []int{0, 0, 1, 1, 1, 1}, 0.478704, 5.0 / 6},
		{"one cluster each", []int{0, 0}, []int{1, 1}, 1, 1},
		{"empty", nil, nil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := NMI(tt.a, tt.b); math.Abs(got-tt.nmi) > 1e-6 {
				t.Errorf("NMI = %.6f, want %.6f", got, tt.nmi)
			}
			if got := Purity(tt.a, tt.b); math.Abs(got-tt.purity) > 1e-9 {
				t.Errorf("Purity = %.6f, want %.6f", got, tt.purity)
			}
		})
	}
}
