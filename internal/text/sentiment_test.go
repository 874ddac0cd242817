package text

import "testing"

func TestLabelFromScore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind  string
		score int
		want  Polarity
		ok    bool
	}{
		{"nps", 10, Positive, true}, {"nps", 9, Positive, true}, {"nps", 8, Neutral, true},
		{"nps", 7, Neutral, true}, {"nps", 6, Negative, true}, {"nps", 0, Negative, true},
		{"nps", 11, 0, false}, {"nps", -1, 0, false},
		{"csat", 5, Positive, true}, {"csat", 4, Positive, true}, {"csat", 3, Neutral, true},
		{"csat", 2, Negative, true}, {"csat", 1, Negative, true}, {"csat", 0, 0, false},
		{"ces", 7, Positive, true}, {"ces", 5, Positive, true}, {"ces", 4, Neutral, true},
		{"ces", 3, Negative, true}, {"ces", 1, Negative, true}, {"ces", 8, 0, false},
		{"custom", 5, 0, false},
	}
	for _, tt := range tests {
		got, ok := LabelFromScore(tt.kind, tt.score)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("LabelFromScore(%q, %d) = %s, %v; want %s, %v", tt.kind, tt.score, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSentimentComment(t *testing.T) {
	t.Parallel()
	a := NewAnalyzer(AnalyzerOptions{})

	// Without a workspace model the builtin lexicon answers, per sentence.
	s := NewSentiment(a, nil)
	got := s.Comment("The food was great. But delivery was very late!")
	if got.Overall.Model != ModelBuiltin || got.Lang != LangEnglish {
		t.Errorf("Overall = %+v, lang %s; want builtin, en", got.Overall, got.Lang)
	}
	if len(got.Sentences) != 2 || got.Sentences[0].Label != Positive || got.Sentences[1].Label != Negative {
		t.Errorf("Sentences = %+v, want positive then negative", got.Sentences)
	}

	// With one, the workspace model answers.
	var ex []Example
	for i := 0; i < 200; i++ {
		ex = append(ex, Example{Tokens: a.Analyze("送餐很快，味道很好").Tokens, Label: Positive},
			Example{Tokens: a.Analyze("送餐太慢，菜都凉了").Tokens, Label: Negative})
	}
	m, _, err := Train(ex, TrainOptions{HashBits: 14})
	if err != nil {
		t.Fatal(err)
	}
	got = NewSentiment(a, m).Comment("送餐很快。菜都凉了")
	if got.Overall.Model != ModelWorkspace || len(got.Sentences) != 2 {
		t.Fatalf("Comment = %+v", got)
	}
	if got.Sentences[0].Label != Positive || got.Sentences[1].Label != Negative || got.Sentences[0].Model != ModelWorkspace {
		t.Errorf("Sentences = %+v, want positive then negative from the workspace model", got.Sentences)
	}
	if p := NewSentiment(a, m).Document(a.Analyze("味道很好")); p.Label != Positive || p.Model != ModelWorkspace {
		t.Errorf("Document(味道很好) = %+v", p)
	}

	// A model that knows its languages leaves the others to the lexicon.
	var zhOnly []ScoredComment
	for i := 0; i < 150; i++ {
		zhOnly = append(zhOnly, ScoredComment{Kind: "nps", Score: 10, Text: "送餐很快，味道很好"},
			ScoredComment{Kind: "nps", Score: 2, Text: "送餐太慢，菜都凉了"})
	}
	mz, _, err := TrainFromScores(a, zhOnly, false, TrainOptions{HashBits: 14})
	if err != nil {
		t.Fatal(err)
	}
	if !mz.Covers(LangChineseTraditional) || mz.Covers(LangEnglish) {
		t.Errorf("Covers: zh-Hant %v, en %v; want true, false", mz.Covers(LangChineseTraditional), mz.Covers(LangEnglish))
	}
	sz := NewSentiment(a, mz)
	if got := sz.Comment("great food").Overall.Model; got != ModelBuiltin {
		t.Errorf("English comment scored by %q, want builtin", got)
	}
	if got := sz.Comment("味道很好").Overall.Model; got != ModelWorkspace {
		t.Errorf("Chinese comment scored by %q, want workspace", got)
	}
}

func TestPolarityString(t *testing.T) {
	t.Parallel()
	for p, want := range map[Polarity]string{Negative: "negative", Neutral: "neutral", Positive: "positive", 7: "Polarity(7)"} {
		if p.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(p), p.String(), want)
		}
	}
}
