package text

import (
	"slices"
	"testing"
)

func TestTokens(t *testing.T) {
	t.Parallel()
	tok := NewTokenizer(nil, false)
	tests := []struct {
		name string
		in   string // already normalised
		want []string
	}{
		{"english", "<user> don't lose my bag again!!", []string{"<user>", "don't", "lose", "my", "bag", "again"}},
		{"url and hashtag", "#fail see <url>", []string{"fail", "see", "<url>"}},
		{"numbers", "waited 2 hours, flight 1234", []string{"waited", "2", "hours", "flight", "1234"}},
		{"romanian clitics", "nu mi-a plăcut, s-a stricat într-o zi", []string{"nu", "mi-a", "plăcut", "s-a", "stricat", "într-o", "zi"}},
		{"emoji", "love it😍👍🏽", []string{"love", "it", "😍", "👍"}},
		{"chinese", "送餐太慢了,菜都凉了", []string{"送餐", "太慢", "了", "菜", "都凉", "了"}},
		{"chinese with latin", "app很好用", []string{"app", "很", "好", "用"}},
		{"hyphen at end", "well- ok", []string{"well", "ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tok.Tokens(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestAnalyzeTraditional(t *testing.T) {
	t.Parallel()
	a := NewAnalyzer(AnalyzerOptions{})
	doc := a.Analyze("外賣送得太慢了！")
	if doc.Lang != LangChineseTraditional {
		t.Errorf("Lang = %s, want %s", doc.Lang, LangChineseTraditional)
	}
	if doc.Normalized != "外卖送得太慢了!" {
		t.Errorf("Normalized = %q", doc.Normalized)
	}
	if !slices.Contains(doc.Tokens, "外卖") {
		t.Errorf("Tokens = %q, want 外卖 among them", doc.Tokens)
	}
}

func TestTokensFastChinese(t *testing.T) {
	t.Parallel()
	got := NewTokenizer(nil, true).Tokens("送餐太慢了")
	if want := []string{"送", "餐", "太", "慢", "了"}; !slices.Equal(got, want) {
		t.Errorf("fast Tokens = %q, want %q", got, want)
	}
}

// TestAnalyzeConcurrent runs the pipeline from several goroutines; run it
// with -race to check that the shared segmenter and tables are read-only.
func TestAnalyzeConcurrent(t *testing.T) {
	t.Parallel()
	a := NewAnalyzer(AnalyzerOptions{})
	texts := []string{"送餐太慢了，菜都凉了", "這家餐廳的服務態度很差", "great flight, thanks @united", "produsul e foarte bun"}
	want := make([][]string, len(texts))
	for i, s := range texts {
		want[i] = a.Analyze(s).Tokens
	}
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			ok := true
			for n := 0; n < 50; n++ {
				for i, s := range texts {
					ok = ok && slices.Equal(a.Analyze(s).Tokens, want[i])
				}
			}
			done <- ok
		}()
	}
	for g := 0; g < 4; g++ {
		if !<-done {
			t.Error("concurrent Analyze gave different tokens")
		}
	}
}
