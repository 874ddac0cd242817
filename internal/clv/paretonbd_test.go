package clv

import "testing"

// TestParetoNBDFitCDNOW checks the published Pareto/NBD estimates. The paper
// fitted exact purchase times (days/7); on those the fit rounds to every
// published digit. The lifetimes summary file rounds t_x and T to 2
// decimals, which moves β by 0.001 (11.668), so there β is checked to 2.
func TestParetoNBDFitCDNOW(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		groups  []Group
		betaDec int
	}{
		{"log", cdnowLogGroups(t), 3},
		{"summary file", cdnowGroups(t), 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m, res, err := FitParetoNBD(c.groups, FitOptions{})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("Pareto/NBD: %+v LL=%.6f evals=%d", m, res.LogLikelihood, res.Evaluations)
			// Fader, Hardie & Lee (2005), Marketing Science 24(2), §4
			// (Pareto/NBD benchmark on the same 2,357 customers): r = 0.553,
			// α = 10.578, s = 0.606, β = 11.669, LL = −9595.0.
			checkReferences(t, []reference{
				{"r", m.R, 0.553, 3, 0},
				{"alpha", m.Alpha, 10.578, 3, 0},
				{"s", m.S, 0.606, 3, 0},
				{"beta", m.Beta, roundTo(11.669, c.betaDec), c.betaDec, 0},
				{"LL", res.LogLikelihood, -9595.0, 1, 0},
			})
		})
	}
}

// TestParetoNBDFitCDNOWCLVTools compares with CLVTools on the same log.
func TestParetoNBDFitCDNOWCLVTools(t *testing.T) {
	t.Parallel()
	g := cdnowLogGroups(t)
	m, res, err := FitParetoNBD(g, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// CLVTools tests/testthat/test_correctness_pnbd.R (bachmannpatrick/
	// CLVTools): r = 0.55315, α = 10.57633, s = 0.60625, β = 11.67150,
	// LL = −9594.976. Their point has a lower likelihood than ours
	// (−9594.976184 vs −9594.976179), so the 2.4e-4 relative gap in β is
	// their optimiser stopping on a flat ridge; we check 5e-4 and that our
	// optimum is at least as good.
	ref := ParetoNBD{0.55315, 10.57633, 0.60625, 11.67150}
	checkReferences(t, []reference{
		{"r", m.R, ref.R, 0, 5e-4},
		{"alpha", m.Alpha, ref.Alpha, 0, 5e-4},
		{"s", m.S, ref.S, 0, 5e-4},
		{"beta", m.Beta, ref.Beta, 0, 5e-4},
		{"LL", res.LogLikelihood, -9594.976, 3, 0},
	})
	if refLL := ref.LogLikelihood(g); res.LogLikelihood < refLL {
		t.Errorf("LL = %.9f below the reference point's %.9f", res.LogLikelihood, refLL)
	}
}
