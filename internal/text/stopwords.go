package text

import (
	_ "embed"
	"strings"
	"sync"
)

// Stopword lists of the stopwords-iso project (MIT); see data/SOURCE.md.
var (
	//go:embed data/stopwords-en.txt
	stopwordsEN string
	//go:embed data/stopwords-ro.txt
	stopwordsRO string
	//go:embed data/stopwords-zh.txt
	stopwordsZH string
)

// stopwordSets parses the embedded lists once. Romanian entries go through
// the cedilla fix so they match normalised text, and each Romanian word is
// also stored without diacritics, since many comments are typed without.
var stopwordSets = sync.OnceValue(func() map[string]map[string]bool {
	sets := map[string]map[string]bool{"en": {}, "ro": {}, "zh": {}}
	for lang, list := range map[string]string{"en": stopwordsEN, "ro": stopwordsRO, "zh": stopwordsZH} {
		for _, w := range strings.Fields(list) {
			w = Normalize(w)
			sets[lang][w] = true
			if lang == "ro" {
				sets[lang][stripRomanianDiacritics(w)] = true
			}
		}
	}
	return sets
})

var romanianPlain = strings.NewReplacer("ă", "a", "â", "a", "î", "i", "ș", "s", "ț", "t")

// stripRomanianDiacritics removes the Romanian diacritics of s. The letters
// it replaces are encoded with a first byte 0xC3 (â î), 0xC4 (ă) or 0xC8
// (ș ț), so a word without those bytes, as most are, is returned as is
// without going through the replacer.
func stripRomanianDiacritics(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == 0xC3 || c == 0xC4 || c == 0xC8 {
			return romanianPlain.Replace(s)
		}
	}
	return s
}

// IsStopword reports whether the normalised token w is a stopword of lang
// (either Chinese script uses the Chinese list; LangOther has none).
// Placeholders and tokens without a letter or digit count as stopwords, so
// theme and phrase code can skip them in one test. Sentiment features keep
// stopwords: "not" and "nu" are stopwords that flip a sentence.
func IsStopword(lang Lang, w string) bool {
	if w == URLToken || w == UserToken {
		return true
	}
	if set, ok := stopwordSets()[lang.Base()]; ok && set[w] {
		return true
	}
	for _, r := range w {
		if isWordRune(r) {
			return false
		}
	}
	return true
}
