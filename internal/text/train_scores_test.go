package text

import (
	"errors"
	"testing"
)

func TestTrainFromScores(t *testing.T) {
	t.Parallel()
	a := NewAnalyzer(AnalyzerOptions{})
	var cs []ScoredComment
	for i := 0; i < 120; i++ {
		cs = append(cs,
			ScoredComment{Kind: "nps", Score: 10, Text: "fast delivery, friendly support"},
			ScoredComment{Kind: "csat", Score: 1, Text: "late again and nobody answered"},
			ScoredComment{Kind: "nps", Score: 8, Text: "ok I guess"},
			ScoredComment{Kind: "ces", Score: 9, Text: "out of range"},
			ScoredComment{Kind: "nps", Score: 3},
		)
	}
	m, rep, err := TrainFromScores(a, cs, false, TrainOptions{HashBits: 14})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Examples != 240 || len(m.Classes) != 2 {
		t.Errorf("two-class: %d examples, classes %v; want 240, [negative positive]", rep.Examples, m.Classes)
	}
	m3, rep3, err := TrainFromScores(a, cs, true, TrainOptions{HashBits: 14})
	if err != nil {
		t.Fatal(err)
	}
	if rep3.Examples != 360 || len(m3.Classes) != 3 {
		t.Errorf("three-class: %d examples, classes %v; want 360, 3 classes", rep3.Examples, m3.Classes)
	}
	if _, _, err := TrainFromScores(a, cs[:50], false, TrainOptions{}); !errors.Is(err, ErrTooFewExamples) {
		t.Errorf("few comments: error %v, want ErrTooFewExamples", err)
	}
}
