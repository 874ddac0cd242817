package text

import (
	"strings"
	"testing"
)

func TestBuiltinLexicon(t *testing.T) {
	t.Parallel()
	a := NewAnalyzer(AnalyzerOptions{})
	tests := []struct {
		text string
		want Polarity
	}{
		{"Great service, thank you!", Positive},
		{"The flight was delayed and the staff were rude", Negative},
		{"not good at all", Negative},
		{"I didn't enjoy it", Negative},
		{"flight 123 to Boston tomorrow", Neutral},
		{"Produsul este foarte bun, recomand!", Positive},
		{"nu recomand, s-a stricat dupa o saptamana", Negative},
		{"Calitate slabă, dezamăgit", Negative},
		{"味道不错，送餐很快", Positive},
		{"送餐太慢了，菜都凉了", Negative},
		{"不好吃", Negative},
		{"服務態度很差", Negative},
		{"👍👍", Positive},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			doc := a.Analyze(tt.text)
			p := BuiltinLexicon().Predict(doc.Tokens)
			if p.Label != tt.want || p.Model != ModelBuiltin {
				t.Errorf("Predict(%q) = %s (%s, score %.2f), want %s (builtin)", tt.text, p.Label, p.Model, BuiltinLexicon().Score(doc.Tokens), tt.want)
			}
		})
	}
}

func TestParseLexiconErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"good", "good\tvery", "\t1"} {
		if _, err := ParseLexicon(in); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("ParseLexicon(%q) error = %v, want a line 1 error", in, err)
		}
	}
}
