package metrics

import (
	"math"
	"testing"
)

// near fails the test when got is not within tol (absolute) of want.
func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.17g, want %.17g ± %g (off by %.3g)", what, got, want, tol, got-want)
	}
}

// finite fails the test when any value is NaN or infinite.
func finite(t *testing.T, what string, vs ...float64) {
	t.Helper()
	for i, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Errorf("%s: value %d is %v", what, i, v)
		}
	}
}
