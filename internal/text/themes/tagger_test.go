package themes

import (
	"reflect"
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
