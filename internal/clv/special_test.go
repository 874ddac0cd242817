package clv

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

func TestLog2F1(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name       string
		a, b, c, z float64
	}{
		{"small z", 0.5, 1.6, 1.5, 0.1},
		{"pareto α<β", 3.2, 2.6, 4.2, 0.09},
		{"bg/nbd E[X]", 0.243, 2.426, 2.219, 0.9},
		{"near one", 1.2, 0.7, 2.2, 0.999},
		{"large x", 60.5, 55.3, 61.5, 0.5},
		{"c ≤ 0 falls back", 0.243, 0.5, -0.3, 0.4},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := log2F1(c.a, c.b, c.c, c.z)
			want := math.Log(mathext.Hypergeo(c.a, c.b, c.c, c.z))
			if math.Abs(got-want) > 1e-11*max(1, math.Abs(want)) {
				t.Errorf("ln 2F1(%v, %v; %v; %v) = %.15g, Cephes %.15g", c.a, c.b, c.c, c.z, got, want)
			}
		})
	}
	// Where the direct series would need ~10^7 terms, the Euler-transformed
	// value must fall in the bounds the transformation implies: with
	// c − a = 1, ₂F₁(1, 1+a−b; a+1; z) has term ratios in (0, z], so it lies
	// in [1, 1/(1−z)] and ln ₂F₁ in [(1−b) ln(1−z), −b ln(1−z)].
	a, b, z := 500.6, 500.5, 0.99998
	got := log2F1(a, b, a+1, z)
	if math.IsNaN(got) {
		t.Fatal("NaN")
	}
	if _, ok := log2F1Series(a, b, a+1, z); ok {
		t.Fatal("direct series converged; the test no longer exercises the transformation")
	}
	lower := (1 - b) * math.Log1p(-z)
	if got < lower || got > lower+math.Log(1/(1-z)) {
		t.Errorf("ln 2F1 = %v, outside [%v, %v]", got, lower, lower+math.Log(1/(1-z)))
	}
}
