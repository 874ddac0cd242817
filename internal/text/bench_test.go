package text

import "testing"

// BenchmarkPipeline measures the path of a new comment: detect, normalise,
// tokenise (segment Chinese) and score with a workspace model, on the test
// rows of each testdata slice. Run with -benchtime and divide: ns/op is
// per comment.
func BenchmarkPipeline(b *testing.B) {
	an := NewAnalyzer(AnalyzerOptions{})
	for _, tt := range []struct {
		name, file string
		lang       Lang
	}{
		{"en", "sentiment_en.csv", LangEnglish},
		{"zh", "sentiment_zh.csv", LangChineseSimplified},
		{"ro", "sentiment_ro.csv", LangRomanian},
	} {
		b.Run(tt.name, func(b *testing.B) {
			rows := readSlice(b, tt.file)
			var train []Example
			var test []string
			for _, r := range rows {
				if r.split == "train" {
					train = append(train, Example{Tokens: an.AnalyzeAs(r.text, tt.lang).Tokens, Label: r.label})
				} else {
					test = append(test, r.text)
				}
			}
			m, _, err := Train(train, TrainOptions{})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				s := test[i%len(test)]
				m.Predict(an.AnalyzeAs(s, DetectLanguage(s).Lang).Tokens)
			}
		})
	}
}

// BenchmarkTrain100k trains the workspace sentiment model on 100,000
// English comments (the testdata slice repeated), analysis not included:
// the issue allows 30 s.
//
//	go test ./internal/text -run XXX -bench Train100k -benchtime 1x
func BenchmarkTrain100k(b *testing.B) {
	an := NewAnalyzer(AnalyzerOptions{})
	var base []Example
	for _, r := range readSlice(b, "sentiment_en.csv") {
		base = append(base, Example{Tokens: an.AnalyzeAs(r.text, LangEnglish).Tokens, Label: r.label, Lang: LangEnglish})
	}
	ex := make([]Example, 0, 100_000)
	for len(ex) < 100_000 {
		ex = append(ex, base[:min(len(base), 100_000-len(ex))]...)
	}
	b.ResetTimer()
	for range b.N {
		if _, _, err := Train(ex, TrainOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
