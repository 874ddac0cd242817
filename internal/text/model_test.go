package text

import (
	"errors"
	"testing"
)

// sliceFigures are the quality figures measured on the testdata slices
// (train rows → test rows) when this test was written; the test allows a
// small tolerance so an unrelated change that costs quality fails.
var sliceFigures = []struct {
	file                       string
	lang                       Lang
	classes                    []Polarity
	accuracy, macroF1, auc     float64 // workspace model
	builtinAcc, builtinMacroF1 float64
}{
	{"sentiment_en.csv", LangEnglish, []Polarity{Negative, Neutral, Positive}, 0.7104, 0.6205, 0.8263, 0.5150, 0.5271},
	{"sentiment_zh.csv", LangChineseSimplified, []Polarity{Negative, Positive}, 0.8698, 0.8484, 0.9162, 0.7145, 0.7110},
	{"sentiment_ro.csv", LangRomanian, []Polarity{Negative, Positive}, 0.9227, 0.9227, 0.9801, 0.8960, 0.8949},
}

const qualityTolerance = 0.01

func TestModelQualityOnSlices(t *testing.T) {
	t.Parallel()
	an := NewAnalyzer(AnalyzerOptions{})
	for _, tt := range sliceFigures {
		t.Run(tt.file, func(t *testing.T) {
			var train []Example
			var testTok [][]string
			var truth []int
			idx := map[Polarity]int{}
			for i, c := range tt.classes {
				idx[c] = i
			}
			for _, r := range readSlice(t, tt.file) {
				toks := an.AnalyzeAs(r.text, tt.lang).Tokens
				if r.split == "train" {
					train = append(train, Example{Tokens: toks, Label: r.label})
					continue
				}
				testTok = append(testTok, toks)
				truth = append(truth, idx[r.label])
			}
			m, rep, err := Train(train, TrainOptions{})
			if err != nil {
				t.Fatal(err)
			}
			k := len(tt.classes)
			pred := make([]int, len(testTok))
			bpred := make([]int, len(testTok))
			probs := make([][]float64, len(testTok))
			for i, toks := range testTok {
				p := m.Predict(toks)
				if p.Model != ModelWorkspace {
					t.Fatalf("Model = %q", p.Model)
				}
				probs[i] = make([]float64, k)
				for j, c := range tt.classes {
					probs[i][j] = p.Probs[c]
				}
				pred[i] = idx[p.Label]
				b := BuiltinLexicon().Predict(toks)
				switch {
				case k == 2 && b.Probs[Positive] >= b.Probs[Negative]:
					bpred[i] = idx[Positive]
				case k == 2:
					bpred[i] = idx[Negative]
				default:
					bpred[i] = idx[b.Label]
				}
			}
			acc, f1, auc := Accuracy(truth, pred), MacroF1(truth, pred, k), MacroAUC(probs, truth, k)
			bacc, bf1 := Accuracy(truth, bpred), MacroF1(truth, bpred, k)
			t.Logf("%s: train %d test %d; workspace acc %.4f macro-F1 %.4f AUC %.4f ECE %.4f Brier %.4f (out-of-fold ECE %.4f); builtin acc %.4f macro-F1 %.4f",
				tt.file, len(train), len(testTok), acc, f1, auc, ExpectedCalibrationError(probs, truth, 10), BrierScore(probs, truth), rep.ECE, bacc, bf1)
			for _, c := range []struct {
				name      string
				got, want float64
			}{
				{"accuracy", acc, tt.accuracy}, {"macro-F1", f1, tt.macroF1}, {"AUC", auc, tt.auc},
				{"builtin accuracy", bacc, tt.builtinAcc}, {"builtin macro-F1", bf1, tt.builtinMacroF1},
			} {
				if c.got < c.want-qualityTolerance {
					t.Errorf("%s = %.4f, want ≥ %.4f − %.2f", c.name, c.got, c.want, qualityTolerance)
				}
			}
		})
	}
}

func TestTrainTooFew(t *testing.T) {
	t.Parallel()
	ex := []Example{{Tokens: []string{"good"}, Label: Positive}, {Tokens: []string{"bad"}, Label: Negative}}
	if _, _, err := Train(ex, TrainOptions{}); !errors.Is(err, ErrTooFewExamples) {
		t.Errorf("Train(2 examples) error = %v, want ErrTooFewExamples", err)
	}
	if _, _, err := Train([]Example{{Label: Polarity(5)}}, TrainOptions{}); err == nil || errors.Is(err, ErrTooFewExamples) {
		t.Errorf("Train(bad label) error = %v, want a label error", err)
	}
}

func TestModelMarshalRoundTrip(t *testing.T) {
	t.Parallel()
	var ex []Example
	for i := 0; i < 300; i++ {
		if i%2 == 0 {
			ex = append(ex, Example{Tokens: []string{"great", "service", "fast"}, Label: Positive})
		} else {
			ex = append(ex, Example{Tokens: []string{"late", "again", "rude"}, Label: Negative})
		}
	}
	m, _, err := Train(ex, TrainOptions{HashBits: 12, Epochs: 2})
	if err != nil {
		t.Fatal(err)
	}
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var m2 Model
	if err := m2.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	for _, toks := range [][]string{{"great"}, {"rude", "late"}, {"unknown"}} {
		if a, b := m.Predict(toks), m2.Predict(toks); a != b {
			t.Errorf("Predict(%q): %+v before, %+v after round trip", toks, a, b)
		}
	}
	if p := m.Predict([]string{"great", "fast"}); p.Label != Positive || p.Probs[Positive] < 0.9 {
		t.Errorf("Predict(great fast) = %+v", p)
	}
	if err := m2.UnmarshalBinary([]byte("junk")); err == nil {
		t.Error("UnmarshalBinary(junk) succeeded")
	}
}
