package themes

import (
	"math"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/cxlens/cxlens/internal/text"
)

// airlineFold returns the negative tweets with a known reason ("Can't
// Tell" left out) of the full airline data (tweets.csv at path) whose
// 0-based row index i has i % 10 == fold, or every fold but the test slice
// (7) when fold < 0, and the reason of each as an int.
func airlineFold(t testing.TB, path string, fold int) ([]text.Document, []int) {
	t.Helper()
	rows := readCSV(t, path)
	_, an := starterTagger(t)
	ids := map[string]int{}
	var docs []text.Document
	var labels []int
	for i, r := range rows[1:] {
		if fold >= 0 && i%10 != fold || fold < 0 && text.IsTestRow(i) {
			continue
		}
		reason := r[3]
		if _, ok := reasonTheme[reason]; !ok {
			continue
		}
		if _, ok := ids[reason]; !ok {
			ids[reason] = len(ids)
		}
		docs = append(docs, an.AnalyzeAs(r[6], text.LangEnglish))
		labels = append(labels, ids[reason])
	}
	return docs, labels
}

// TestDiscoverOnAirlineFolds is the development evaluation of Discover: the
// nine folds of the full airline data other than the test slice (about 800
// tweets each, the size of the test slice) and all of them at once (7,177
// tweets), k = 9. It reads ../shared/data, so it runs only when
// CXLENS_AIRLINE names tweets.csv:
//
//	CXLENS_AIRLINE=/work/shared/data/airline-tweets/tweets.csv go test ./internal/text/themes -run DiscoverOnAirlineFolds -v
func TestDiscoverOnAirlineFolds(t *testing.T) {
	path := os.Getenv("CXLENS_AIRLINE")
	if path == "" {
		t.Skip("CXLENS_AIRLINE not set")
	}
	sn, sa, folds := 0.0, 0.0, 0
	for fold := range 10 {
		if fold == 7 {
			continue
		}
		docs, labels := airlineFold(t, path, fold)
		d := Discover(docs, DiscoverOptions{Themes: 9})
		n, a := NMI(d.Assign, labels), ARI(d.Assign, labels)
		t.Logf("fold %d: %d tweets, %d themes: NMI %.3f ARI %.3f", fold, len(docs), len(d.Codeframe.Themes), n, a)
		sn += n
		sa += a
		folds++
	}
	t.Logf("mean of %d folds: NMI %.3f ARI %.3f", folds, sn/float64(folds), sa/float64(folds))
	docs, labels := airlineFold(t, path, -1)
	d := Discover(docs, DiscoverOptions{Themes: 9})
	t.Logf("all %d tweets: NMI %.3f ARI %.3f", len(docs), NMI(d.Assign, labels), ARI(d.Assign, labels))
}

// keywordRules are hand-written rules for the airline reasons, first match
// wins, "misc" for none: not a method (they were written knowing the
// reasons) but a yardstick of how far word evidence can take a clustering
// of these tweets.
var keywordRules = []struct{ name, re string }{
	{"cancelled", `cancel`},
	{"luggage", `\bbag|luggage|lost`},
	{"late", `delay|late`},
	{"service", `customer service|hold|call|phone|service`},
	{"booking", `book|miles|change`},
	{"flight", `seat|wifi|tv|plane`},
	{"staff", `rude|attendant|crew|staff|employee`},
	{"lines", `\bline`},
}

// TestKeywordRulesOnAirlineReasons measures keywordRules on the test slice
// the way TestDiscoverOnAirlineReasons measures Discover.
func TestKeywordRulesOnAirlineReasons(t *testing.T) {
	t.Parallel()
	res := make([]*regexp.Regexp, len(keywordRules))
	for i, r := range keywordRules {
		res[i] = regexp.MustCompile(r.re)
	}
	ids := map[string]int{}
	var assign, labels []int
	for _, r := range readAirline(t) {
		if _, ok := reasonTheme[r.reason]; !ok {
			continue
		}
		if _, ok := ids[r.reason]; !ok {
			ids[r.reason] = len(ids)
		}
		labels = append(labels, ids[r.reason])
		a := len(res) // misc
		for i, re := range res {
			if re.MatchString(strings.ToLower(r.text)) {
				a = i
				break
			}
		}
		assign = append(assign, a)
	}
	nmi, ari := NMI(assign, labels), ARI(assign, labels)
	t.Logf("%d tweets: keyword rules NMI %.3f ARI %.3f", len(labels), nmi, ari)
	if math.Abs(nmi-0.326) > 0.005 {
		t.Errorf("keyword rules NMI %.3f, want 0.326", nmi)
	}
}
