package text

import (
	"math"
	"testing"
)

func TestMetricsHandWorked(t *testing.T) {
	t.Parallel()
	close := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-6 {
			t.Errorf("%s = %.6f, want %.6f", name, got, want)
		}
	}
	// Class 0: tp 1, fp 1, fn 1 → F1 0.5; class 1: tp 2, fp 1 → 0.8;
	// class 2: tp 0 → 0. Macro 1.3/3.
	truth, pred := []int{0, 0, 1, 1, 2}, []int{0, 1, 1, 1, 0}
	close("MacroF1", MacroF1(truth, pred, 3), 1.3/3)
	close("Accuracy", Accuracy(truth, pred), 0.6)
	// scikit-learn's roc_auc_score example.
	close("ROCAUC", ROCAUC([]float64{0.1, 0.4, 0.35, 0.8}, []bool{false, false, true, true}), 0.75)
	close("ROCAUC ties", ROCAUC([]float64{0.5, 0.5}, []bool{true, false}), 0.5)
	if !math.IsNaN(ROCAUC([]float64{1, 2}, []bool{true, true})) {
		t.Error("ROCAUC with one class should be NaN")
	}
	// Confidences 0.8 (right), 0.6 (wrong), 0.9 (right), each alone in a
	// bin: (0.2 + 0.6 + 0.1)/3.
	probs := [][]float64{{0.2, 0.8}, {0.4, 0.6}, {0.9, 0.1}}
	labels := []int{1, 0, 0}
	close("ECE", ExpectedCalibrationError(probs, labels, 10), 0.3)
	// (0.2² + 0.6² + 0.1²)/3.
	close("Brier binary", BrierScore(probs, labels), 0.41/3)
	close("Brier 3 classes", BrierScore([][]float64{{0.7, 0.2, 0.1}}, []int{0}), 0.14)
	// One-vs-rest: class 0 separates perfectly, class 1 too.
	close("MacroAUC", MacroAUC([][]float64{{0.9, 0.1}, {0.2, 0.8}, {0.6, 0.4}}, []int{0, 1, 0}, 2), 1)
}

func TestIsTestRow(t *testing.T) {
	t.Parallel()
	var got []int
	for i := 0; i < 30; i++ {
		if IsTestRow(i) {
			got = append(got, i)
		}
	}
	if len(got) != 3 || got[0] != 7 || got[1] != 17 || got[2] != 27 {
		t.Errorf("test rows in 0..29 = %v, want [7 17 27]", got)
	}
}
