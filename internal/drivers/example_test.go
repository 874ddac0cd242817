package drivers_test

import (
	"fmt"
	"math"

	"github.com/cxlens/cxlens/internal/drivers"
)

// A CSAT survey with three extra rating questions (1–5); one respondent
// skipped "price" and is left out of the weights.
func ExampleAnalyze() {
	nan := math.NaN()
	csat := []float64{5, 4, 2, 5, 3, 1, 4, 5, 2, 3}
	res, err := drivers.Analyze(csat, []drivers.Predictor{
		{Name: "price", Values: []float64{4, 4, 2, 5, 3, 2, 3, nan, 1, 3}, TopBox: 4},
		{Name: "support", Values: []float64{5, 3, 1, 4, 2, 1, 4, 5, 2, 2}, TopBox: 4},
		{Name: "ease of use", Values: []float64{4, 4, 3, 4, 4, 3, 3, 4, 4, 3}, TopBox: 4},
	}, drivers.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("n=%d (%d incomplete) R²=%.3f\n", res.N, res.Incomplete, res.RSquared)
	for _, d := range res.Ranked() {
		fmt.Printf("%-12s %5.1f%%  mean %.2f  top-box %.0f%%  %s\n", d.Name, d.RescaledWeight, d.Mean, 100**d.TopBoxShare, d.Quadrant)
	}
	// Output:
	// n=9 (1 incomplete) R²=0.957
	// support       49.1%  mean 2.90  top-box 40%  fix first
	// price         41.4%  mean 3.00  top-box 33%  fix first
	// ease of use    9.5%  mean 3.60  top-box 60%  possible overkill
}
