package churn

import (
	"fmt"
	"math"
)

// Bin is one bin of a reliability diagram.
type Bin struct {
	// Lo and Hi bound the predicted probabilities in the bin, [Lo, Hi)
	// (the last bin includes 1).
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
	// N is the number of predictions in the bin.
	N int `json:"n"`
	// MeanPredicted is the mean predicted probability in the bin.
	MeanPredicted float64 `json:"mean_predicted"`
	// Observed is the observed event rate in the bin.
	Observed float64 `json:"observed"`
}

// Calibration summarises how well predicted probabilities match observed
// rates.
type Calibration struct {
	// Bins are equal-width probability bins; empty bins are kept (N = 0)
	// so every diagram has the same x axis.
	Bins []Bin `json:"bins"`
	// Brier is the Brier score, the mean squared error of the
	// probabilities (0 is perfect).
	Brier float64 `json:"brier"`
	// ECE is the expected calibration error, Σ_b (n_b/N)·|observed_b −
	// predicted_b|, in probability units.
	ECE float64 `json:"ece"`
	// N is the number of predictions.
	N int `json:"n"`
}

// Calibrate bins the predicted probabilities into bins equal-width bins on
// [0, 1] for a reliability diagram (DeGroot & Fienberg 1983, "The
// comparison and evaluation of forecasters", The Statistician 32:12–22;
// 10 bins as in Niculescu-Mizil & Caruana 2005, ICML) and computes the
// Brier score (Brier 1950, "Verification of forecasts expressed in terms
// of probability", Monthly Weather Review 78(1):1–3):
//
//	BS = (1/N) Σ_i (p_i − y_i)²
//
// and the expected calibration error (Naeini, Cooper & Hauskrecht 2015,
// AAAI) over the same bins.
func Calibrate(probs []float64, labels []bool, bins int) (Calibration, error) {
	if len(probs) != len(labels) {
		return Calibration{}, fmt.Errorf("churn: calibrate: %d probabilities, %d labels", len(probs), len(labels))
	}
	if len(probs) == 0 {
		return Calibration{}, fmt.Errorf("churn: calibrate: no predictions")
	}
	if bins < 1 {
		return Calibration{}, fmt.Errorf("churn: calibrate: bins = %d, want ≥ 1", bins)
	}
	c := Calibration{Bins: make([]Bin, bins), N: len(probs)}
	sumP := make([]float64, bins)
	sumY := make([]float64, bins)
	for i, p := range probs {
		if math.IsNaN(p) || p < 0 || p > 1 {
			return Calibration{}, fmt.Errorf("churn: calibrate: probability %d = %v is outside [0, 1]", i, p)
		}
		y := indicator(labels[i])
		c.Brier += (p - y) * (p - y)
		b := min(int(p*float64(bins)), bins-1)
		c.Bins[b].N++
		sumP[b] += p
		sumY[b] += y
	}
	c.Brier /= float64(len(probs))
	for b := range c.Bins {
		bin := &c.Bins[b]
		bin.Lo = float64(b) / float64(bins)
		bin.Hi = float64(b+1) / float64(bins)
		if bin.N == 0 {
			continue
		}
		bin.MeanPredicted = sumP[b] / float64(bin.N)
		bin.Observed = sumY[b] / float64(bin.N)
		c.ECE += float64(bin.N) / float64(c.N) * math.Abs(bin.Observed-bin.MeanPredicted)
	}
	return c, nil
}
