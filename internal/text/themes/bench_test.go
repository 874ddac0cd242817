package themes

import (
	"fmt"
	"testing"

	"github.com/cxlens/cxlens/internal/text"
)

// BenchmarkTag tags the airline test slice with the starter codeframe,
// sentence offsets included; comments/s is the throughput on one core.
func BenchmarkTag(b *testing.B) {
	tg, _ := starterTagger(b)
	rows := readAirline(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tg.Tag(rows[i%len(rows)].text)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "comments/s")
}

// BenchmarkTagDocument is the fast path on comments analysed beforehand
// (matching only).
func BenchmarkTagDocument(b *testing.B) {
	tg, an := starterTagger(b)
	rows := readAirline(b)
	docs := make([]text.Document, len(rows))
	for i, r := range rows {
		docs[i] = an.Analyze(r.text)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tg.TagDocument(docs[i%len(docs)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "comments/s")
}

// BenchmarkTagChinese tags short Chinese reviews, segmentation included.
func BenchmarkTagChinese(b *testing.B) {
	tg, _ := starterTagger(b)
	comments := []string{
		"送餐太慢了，等了一个多小时，饭菜都凉了",
		"味道不错，价格实惠，外卖员态度也很好",
		"客服不回复，退款一直没处理",
		"分量太少，不值这个价钱",
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tg.Tag(comments[i%len(comments)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "comments/s")
}

// BenchmarkDiscover proposes a codeframe from 16,220 comments (the negative
// airline tweets of the test slice, 20 times over).
func BenchmarkDiscover(b *testing.B) {
	docs, _ := negativeTweets(b)
	var many []text.Document
	for range 20 {
		many = append(many, docs...)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Discover(many, DiscoverOptions{})
	}
}

// BenchmarkTag200Themes tags the airline slice with a 200-theme codeframe
// (the starter's themes copied under new IDs, each copy with one extra
// distinct term), the size the speed target names. It is a worst
// case: every starter word belongs to 34 themes, so each hit fans out 34
// times, where a real codeframe's terms are mostly distinct.
func BenchmarkTag200Themes(b *testing.B) {
	_, an := starterTagger(b)
	start := Starter()
	var themes []Theme
	for i := 0; len(themes) < 200; i++ {
		th := start.Themes[i%len(start.Themes)].clone()
		th.ID = fmt.Sprintf("%s-%d", th.ID, i)
		th.Terms["en"] = append(th.Terms["en"], fmt.Sprintf("word%d", i))
		themes = append(themes, th)
	}
	c, err := New("big", themes)
	if err != nil {
		b.Fatal(err)
	}
	tg := NewTagger(c, an)
	rows := readAirline(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tg.Tag(rows[i%len(rows)].text)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "comments/s")
}

// big200 is the 200-theme codeframe of BenchmarkTag200Themes.
func big200(b *testing.B) Codeframe {
	start := Starter()
	var themes []Theme
	for i := 0; len(themes) < 200; i++ {
		th := start.Themes[i%len(start.Themes)].clone()
		th.ID = fmt.Sprintf("%s-%d", th.ID, i)
		th.Terms["en"] = append(th.Terms["en"], fmt.Sprintf("word%d", i))
		th.Terms["zh"] = append(th.Terms["zh"], fmt.Sprintf("词%d", i))
		themes = append(themes, th)
	}
	c, err := New("big", themes)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkIngestPath200 is what the store does per comment at ingest:
// tag with a 200-theme codeframe, keeping the sentences, and score the
// sentiment (builtin lexicon) on the same tokens; English airline tweets.
func BenchmarkIngestPath200(b *testing.B) {
	_, an := starterTagger(b)
	tg := NewTagger(big200(b), an)
	s := text.NewSentiment(an, nil)
	rows := readAirline(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, toks := tg.TagTokens(rows[i%len(rows)].text, text.LangEnglish)
		s.Document(text.Document{Lang: text.LangEnglish, Tokens: toks})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "comments/s")
}

// BenchmarkIngestPath200Chinese is BenchmarkIngestPath200 on short Chinese
// reviews, segmentation included.
func BenchmarkIngestPath200Chinese(b *testing.B) {
	_, an := starterTagger(b)
	tg := NewTagger(big200(b), an)
	s := text.NewSentiment(an, nil)
	comments := []string{
		"送餐太慢了，等了一个多小时，饭菜都凉了",
		"味道不错，价格实惠，外卖员态度也很好",
		"客服不回复，退款一直没处理",
		"分量太少，不值这个价钱",
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, toks := tg.TagTokens(comments[i%len(comments)], text.LangChineseSimplified)
		s.Document(text.Document{Lang: text.LangChineseSimplified, Tokens: toks})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "comments/s")
}

// BenchmarkIngestPath200ChineseFast is BenchmarkIngestPath200Chinese with
// the dictionary-only segmenter (text.AnalyzerOptions.FastChinese), as the
// store tags with.
func BenchmarkIngestPath200ChineseFast(b *testing.B) {
	an := text.NewAnalyzer(text.AnalyzerOptions{FastChinese: true})
	tg := NewTagger(big200(b), an)
	s := text.NewSentiment(an, nil)
	comments := []string{
		"送餐太慢了，等了一个多小时，饭菜都凉了",
		"味道不错，价格实惠，外卖员态度也很好",
		"客服不回复，退款一直没处理",
		"分量太少，不值这个价钱",
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, toks := tg.TagTokens(comments[i%len(comments)], text.LangChineseSimplified)
		s.Document(text.Document{Lang: text.LangChineseSimplified, Tokens: toks})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "comments/s")
}
