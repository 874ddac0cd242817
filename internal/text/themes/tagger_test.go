package themes

import (
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/cxlens/cxlens/internal/text"
)

// The analyzer and the starter tagger are shared so the Chinese segmenter
// loads once per test binary.
var (
	sharedOnce   sync.Once
	sharedAn     *text.Analyzer
	sharedTagger *Tagger
)

func starterTagger(t testing.TB) (*Tagger, *text.Analyzer) {
	t.Helper()
	sharedOnce.Do(func() {
		sharedAn = text.NewAnalyzer(text.AnalyzerOptions{})
		sharedTagger = NewTagger(Starter(), sharedAn)
	})
	return sharedTagger, sharedAn
}

func TestStarter(t *testing.T) {
	t.Parallel()
	c := Starter()
	want := []string{"support", "delivery", "price", "quality", "app", "staff"}
	if got := c.Children(""); !reflect.DeepEqual(got, want) {
		t.Fatalf("themes = %v, want %v", got, want)
	}
	for _, th := range c.Themes {
		for _, lang := range []string{"en", "zh", "ro"} {
			// Romanian lists spell most words twice (with and without
			// diacritics), so count distinct folded forms.
			seen := map[string]bool{}
			for _, term := range th.Terms[lang] {
				seen[fold(term)] = true
			}
			if n := len(seen); n < 10 || n > 25 {
				t.Errorf("%s/%s: %d distinct terms, want 10–25", th.ID, lang, n)
			}
		}
	}
}

func TestTag(t *testing.T) {
	t.Parallel()
	tg, _ := starterTagger(t)
	tests := []struct {
		name    string
		comment string
		want    []string // "theme:sentence text"
	}{
		{"english", "The delivery was late again! Customer service never answered my email.",
			[]string{"delivery:The delivery was late again!", "support:Customer service never answered my email."}},
		{"english phrase and wildcard", "We waited 3 hours at the gate. The flight attendants were rude.",
			[]string{"delivery:We waited 3 hours at the gate.", "staff:The flight attendants were rude."}},
		{"english case and mention", "@united LOST my LUGGAGE", []string{"delivery:@united LOST my LUGGAGE"}},
		{"no theme", "Thanks, great experience.", nil},
		{"chinese", "送餐太慢了。味道还不错，价格有点贵。", []string{"delivery:送餐太慢了。", "price:味道还不错，价格有点贵。", "quality:味道还不错，价格有点贵。"}},
		{"chinese staff", "外卖员态度很差", []string{"delivery:外卖员态度很差", "staff:外卖员态度很差"}},
		{"traditional chinese", "價格太貴了", []string{"price:價格太貴了"}},
		{"romanian diacritics", "Livrarea a avut întârziere. Prețul este prea mare.",
			[]string{"delivery:Livrarea a avut întârziere.", "price:Prețul este prea mare."}},
		{"romanian without diacritics", "Livrarea a avut intarziere, pretul e mare si curierul nepoliticos",
			[]string{"delivery:Livrarea a avut intarziere, pretul e mare si curierul nepoliticos", "price:Livrarea a avut intarziere, pretul e mare si curierul nepoliticos", "staff:Livrarea a avut intarziere, pretul e mare si curierul nepoliticos"}},
		{"romanian cedilla", "Preţul e bun", []string{"price:Preţul e bun"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, m := range tg.Tag(tt.comment) {
				if tt.comment[m.Sentence.Start:m.Sentence.End] != m.Sentence.Text {
					t.Errorf("offsets %d:%d do not hold %q", m.Sentence.Start, m.Sentence.End, m.Sentence.Text)
				}
				got = append(got, m.Theme+":"+m.Sentence.Text)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Tag(%q)\n got %q\nwant %q", tt.comment, got, tt.want)
			}
		})
	}
}

func TestTagExclude(t *testing.T) {
	t.Parallel()
	_, an := starterTagger(t)
	c, err := New("x", []Theme{
		{ID: "price", Name: "Price", Terms: map[string][]string{"en": {"free", "price"}}},
		{ID: "wifi", Name: "Wifi", Terms: map[string][]string{"en": {"wifi"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err = Exclude(c, "price", "en", "free wifi")
	if err != nil {
		t.Fatal(err)
	}
	tg := NewTagger(c, an)
	got := ThemeIDs(tg.Tag("Free wifi on board. Free snacks too."))
	if want := []string{"wifi", "price"}; !reflect.DeepEqual(got, want) {
		t.Errorf("themes = %v, want %v", got, want)
	}
	ms := tg.Tag("Free wifi on board. Free snacks too.")
	if ms[1].Theme != "price" || ms[1].Sentence.Text != "Free snacks too." || ms[1].Term != "free" {
		t.Errorf("price match = %+v", ms[1])
	}
	if got := tg.TagDocument(an.Analyze("the price of free wifi")); !reflect.DeepEqual(got, []string{"wifi"}) {
		t.Errorf("TagDocument = %v", got)
	}
}

func TestTagDocumentAgreesWithTag(t *testing.T) {
	t.Parallel()
	tg, an := starterTagger(t)
	for _, c := range []string{"Delivery late. Rude staff.", "价格太贵，送餐慢", "Aplicația nu merge"} {
		got := tg.TagDocument(an.Analyze(c))
		want := ThemeIDs(tg.Tag(c))
		if strings.Join(sortedCopy(got), ",") != strings.Join(sortedCopy(want), ",") {
			t.Errorf("%q: TagDocument %v, Tag %v", c, got, want)
		}
	}
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestTagTokens(t *testing.T) {
	t.Parallel()
	tg, an := starterTagger(t)
	comment := "The delivery was late. Staff were kind!"
	matches, toks := tg.TagTokens(comment, text.LangEnglish)
	if !reflect.DeepEqual(matches, tg.TagAs(comment, text.LangEnglish)) {
		t.Errorf("TagTokens matches %v differ from TagAs", matches)
	}
	if want := an.AnalyzeAs(comment, text.LangEnglish).Tokens; !reflect.DeepEqual(toks, want) {
		t.Errorf("tokens %v, want %v", toks, want)
	}
	if _, toks := tg.TagTokens("Bonjour tout le monde", text.LangOther); len(toks) == 0 {
		t.Errorf("no tokens for a language without terms")
	}
}

// refTagger is the tagger as it was before the speed-up of issue #7 (a map
// lookup per token span, a callback per entry, sorting the themes of each
// sentence), kept as the reference the fast matcher must agree with.
type refTagger struct {
	an       *text.Analyzer
	ids      []string
	matchers map[string]*refMatcher
}

type refMatcher struct {
	sep       string
	exact     map[string][]refEntry
	maxTokens int
	prefix    map[string][]refEntry
	prefixLen []int
}

type refEntry struct {
	theme   int
	term    string
	exclude bool
}

func newRefTagger(c Codeframe, an *text.Analyzer) *refTagger {
	t := &refTagger{an: an, matchers: map[string]*refMatcher{}}
	add := func(lang, term string, e refEntry) {
		m := t.matchers[lang]
		if m == nil {
			m = &refMatcher{sep: " ", exact: map[string][]refEntry{}, prefix: map[string][]refEntry{}}
			if lang == "zh" {
				m.sep = ""
			}
			t.matchers[lang] = m
		}
		l := text.Lang(lang)
		if lang == "zh" {
			l = text.LangChineseSimplified
		}
		wildcard := strings.HasSuffix(term, "*")
		toks := an.AnalyzeAs(strings.TrimSuffix(term, "*"), l).Tokens
		if len(toks) == 0 {
			return
		}
		if wildcard && len(toks) == 1 {
			p := fold(toks[0])
			if _, ok := m.prefix[p]; !ok {
				m.prefixLen = append(m.prefixLen, len(p))
				sort.Ints(m.prefixLen)
				m.prefixLen = dedupInts(m.prefixLen)
			}
			m.prefix[p] = append(m.prefix[p], e)
			return
		}
		for i := range toks {
			toks[i] = fold(toks[i])
		}
		key := strings.Join(toks, m.sep)
		m.exact[key] = append(m.exact[key], e)
		m.maxTokens = max(m.maxTokens, len(toks))
	}
	for i, th := range c.Themes {
		t.ids = append(t.ids, th.ID)
		for lang, terms := range th.Terms {
			for _, term := range terms {
				add(lang, term, refEntry{theme: i, term: term})
			}
		}
		for lang, terms := range th.Exclude {
			for _, term := range terms {
				add(lang, term, refEntry{theme: i, term: term, exclude: true})
			}
		}
	}
	return t
}

func (m *refMatcher) scan(toks []string, f func(refEntry)) {
	for i := range toks {
		key := ""
		for j := i; j < len(toks) && j-i < m.maxTokens; j++ {
			if j > i {
				key += m.sep
			}
			key += fold(toks[j])
			for _, e := range m.exact[key] {
				f(e)
			}
		}
		if len(m.prefixLen) > 0 {
			w := fold(toks[i])
			for _, n := range m.prefixLen {
				if n > len(w) {
					break
				}
				for _, e := range m.prefix[w[:n]] {
					f(e)
				}
			}
		}
	}
}

func (t *refTagger) tagTokens(comment string, lang text.Lang) ([]Match, []string) {
	m := t.matchers[lang.Base()]
	if m == nil {
		return nil, t.an.AnalyzeAs(comment, lang).Tokens
	}
	var out []Match
	var all []string
	for _, s := range text.SplitSentences(comment) {
		doc := t.an.AnalyzeAs(s.Text, lang)
		all = append(all, doc.Tokens...)
		type refHit struct {
			term     string
			excluded bool
		}
		hits := map[int]*refHit{}
		var touched []int
		m.scan(doc.Tokens, func(e refEntry) {
			h := hits[e.theme]
			if h == nil {
				h = &refHit{}
				hits[e.theme] = h
				touched = append(touched, e.theme)
			}
			if e.exclude {
				h.excluded = true
			} else if h.term == "" {
				h.term = e.term
			}
		})
		sort.Ints(touched)
		for _, i := range touched {
			if h := hits[i]; h.term != "" && !h.excluded {
				out = append(out, Match{Theme: t.ids[i], Term: h.term, Sentence: s})
			}
		}
	}
	return out, all
}

func (t *refTagger) tagDocument(doc text.Document) []string {
	m := t.matchers[doc.Lang.Base()]
	if m == nil {
		return nil
	}
	terms := make([]string, len(t.ids))
	excluded := make([]bool, len(t.ids))
	m.scan(doc.Tokens, func(e refEntry) {
		if e.exclude {
			excluded[e.theme] = true
		} else {
			terms[e.theme] = e.term
		}
	})
	var out []string
	for i := range t.ids {
		if terms[i] != "" && !excluded[i] {
			out = append(out, t.ids[i])
		}
	}
	return out
}

// TestTagMatchesReference holds the tagger to refTagger on the airline
// tweets and the comments of ../testdata (English, Chinese, Romanian),
// with the starter codeframe, the 200-theme one of the benchmarks and one
// with exclusions and more wildcards, in each language's matcher.
func TestTagMatchesReference(t *testing.T) {
	t.Parallel()
	_, an := starterTagger(t)
	comments := []string{"", "Free wifi on board. Free snacks too.", "lost luggage, lost lugs; waiting waited", "送餐太慢了，送达很快。不送"}
	for _, r := range readAirline(t) {
		comments = append(comments, r.text)
	}
	for _, name := range []string{"sentiment_en.csv", "sentiment_zh.csv", "sentiment_ro.csv"} {
		for _, r := range readCSV(t, filepath.Join("..", "testdata", name))[1:] {
			comments = append(comments, r[3])
		}
	}
	edited := Starter()
	for _, ex := range []struct{ id, lang, term string }{
		{"delivery", "en", "on time"}, {"delivery", "en", "wait*"}, {"price", "zh", "不贵"}, {"delivery", "zh", "送达"},
	} {
		var err error
		if edited, err = Exclude(edited, ex.id, ex.lang, ex.term); err != nil {
			t.Fatal(err)
		}
	}
	edited.Themes[0].Terms["en"] = append(edited.Themes[0].Terms["en"], "lost lug*", "w*", "waiting*", "a")
	edited.Themes[1].Terms["zh"] = append(edited.Themes[1].Terms["zh"], "送*", "太慢了", "一个多小时")
	for _, c := range []Codeframe{Starter(), big200(&testing.B{}), edited} {
		tg, ref := NewTagger(c, an), newRefTagger(c, an)
		for _, comment := range comments {
			for _, lang := range []text.Lang{text.LangEnglish, text.LangChineseSimplified, text.LangRomanian, text.LangOther} {
				got, toks := tg.TagTokens(comment, lang)
				want, wantToks := ref.tagTokens(comment, lang)
				if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(toks, wantToks) {
					t.Fatalf("%s: TagTokens(%q, %s)\n got %+v %q\nwant %+v %q", c.Name, comment, lang, got, toks, want, wantToks)
				}
				if got := tg.TagAs(comment, lang); !reflect.DeepEqual(got, want) {
					t.Fatalf("%s: TagAs(%q, %s) = %+v, want %+v", c.Name, comment, lang, got, want)
				}
				doc := an.AnalyzeAs(comment, lang)
				if got, want := tg.TagDocument(doc), ref.tagDocument(doc); !reflect.DeepEqual(got, want) {
					t.Fatalf("%s: TagDocument(%q, %s) = %q, want %q", c.Name, comment, lang, got, want)
				}
			}
		}
	}
}

// TestTagConcurrent tags from several goroutines with one Tagger, whose
// per-call state is pooled, and expects what one goroutine gets alone.
func TestTagConcurrent(t *testing.T) {
	t.Parallel()
	tg, _ := starterTagger(t)
	comments := []string{"The delivery was late again! Customer service never answered.", "送餐太慢了。味道还不错，价格有点贵。",
		"Livrarea a avut întârziere. Prețul este prea mare.", "Thanks, great experience.", "We waited 3 hours at the gate."}
	want := make([][]Match, len(comments))
	for i, c := range comments {
		want[i] = tg.Tag(c)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range 50 {
				i := n % len(comments)
				if got, _ := tg.TagTokens(comments[i], text.DetectLanguage(comments[i]).Lang); !reflect.DeepEqual(got, want[i]) {
					errs <- fmt.Sprintf("TagTokens(%q) = %+v, want %+v", comments[i], got, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
