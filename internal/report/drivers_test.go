package report

import (
	"errors"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/demo"
	"github.com/cxlens/cxlens/internal/drivers"
)

// TestDriversOnDemo runs the analysis on the demo's relationship NPS, whose
// generator makes support the most important driver with the lowest
// rating and price the least important (internal/demo/surveys.go).
func TestDriversOnDemo(t *testing.T) {
	ds := demo.Generate(demo.Options{Seed: 1, Customers: 2000, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	var rs []cx.Response
	for _, r := range ds.Responses {
		if r.Survey == "nps" {
			rs = append(rs, r)
		}
	}
	rep, err := Drivers(rs, DriversRequest{Survey: "nps"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Drivers) != 5 || rep.N != len(rs) || rep.RSquared < 0.3 {
		t.Fatalf("%d drivers, n %d of %d, R² %.3f", len(rep.Drivers), rep.N, len(rs), rep.RSquared)
	}
	first, last := rep.Ranked[0], rep.Ranked[len(rep.Ranked)-1]
	if first.Name != "rating_support" || first.Quadrant != drivers.QuadrantFixFirst || last.Name != "rating_price" {
		t.Errorf("ranked: first %s (%s), last %s", first.Name, first.Quadrant, last.Name)
	}
	for _, d := range rep.Ranked {
		t.Logf("%-20s importance %5.1f%%  mean %.2f  %s", d.Name, d.RescaledWeight, d.Mean, d.Quadrant)
	}
	if _, err := Drivers(rs, DriversRequest{Drivers: []string{"tenure_months", "nope"}}); err == nil {
		// tenure_months is numeric, nope is missing everywhere: no complete case.
		t.Error("a driver missing on every response should fail")
	}
	if _, err := Drivers(rs[:0], DriversRequest{}); !errors.Is(err, cx.ErrInvalid) {
		t.Errorf("no responses: %v", err)
	}
}
