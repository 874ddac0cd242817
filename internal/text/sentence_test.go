package text

import (
	"slices"
	"testing"
)

func TestSplitSentences(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"english", "Flight was late. Staff were great!", []string{"Flight was late.", "Staff were great!"}},
		{"decimal and abbreviation", "Paid 3.5 euros to Mr. Smith. Fine.", []string{"Paid 3.5 euros to Mr. Smith.", "Fine."}},
		{"link", "See example.com for details. Thanks", []string{"See example.com for details.", "Thanks"}},
		{"runs of terminators", "Why?!? Never again... ok", []string{"Why?!?", "Never again...", "ok"}},
		{"chinese", "送餐太慢了。菜都凉了！还不错", []string{"送餐太慢了。", "菜都凉了！", "还不错"}},
		{"chinese semicolon", "味道好；分量少", []string{"味道好；", "分量少"}},
		{"romanian", "Produsul e bun. Livrarea a întârziat 2 zile!", []string{"Produsul e bun.", "Livrarea a întârziat 2 zile!"}},
		{"newlines", "title\n\nbody text", []string{"title", "body text"}},
		{"quote after stop", `He said "no." Then left`, []string{`He said "no."`, "Then left"}},
		{"only punctuation", "...", nil},
		{"emoji sentence", "great! 👍", []string{"great!", "👍"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SplitSentences(tt.in)
			var texts []string
			for _, s := range got {
				texts = append(texts, s.Text)
				if tt.in[s.Start:s.End] != s.Text {
					t.Errorf("span [%d:%d] = %q, want %q", s.Start, s.End, tt.in[s.Start:s.End], s.Text)
				}
			}
			if !slices.Equal(texts, tt.want) {
				t.Errorf("SplitSentences(%q) = %q, want %q", tt.in, texts, tt.want)
			}
		})
	}
}
