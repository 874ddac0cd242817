package themes

import (
	"testing"

	"github.com/cxlens/cxlens/internal/text"
)

// BenchmarkDiscover100k proposes a 10-theme codeframe from 100,000
// comments: the 1,464 tweets of the airline test slice (every sentiment),
// analysed once and repeated. Repeats leave the co-occurrence statistics
// those of the slice but give the work of 100,000 comments.
func BenchmarkDiscover100k(b *testing.B) {
	_, an := starterTagger(b)
	rows := readAirline(b)
	one := make([]text.Document, len(rows))
	for i, r := range rows {
		one[i] = an.AnalyzeAs(r.text, text.LangEnglish)
	}
	docs := make([]text.Document, 0, 100_000)
	for len(docs) < 100_000 {
		docs = append(docs, one[len(docs)%len(one)])
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Discover(docs, DiscoverOptions{})
	}
}
