package text

import (
	"strings"
	"unicode"
)

// Lang is a language (and for Chinese, script) code as stored with a
// response: a BCP 47 tag among the ones cxlens analyses, or LangOther.
type Lang string

// The languages cxlens detects and analyses.
const (
	LangEnglish            Lang = "en"
	LangRomanian           Lang = "ro"
	LangChineseSimplified  Lang = "zh-Hans"
	LangChineseTraditional Lang = "zh-Hant"
	LangOther              Lang = "other"
)

// Base is the language without its script: "zh" for both Chinese scripts.
func (l Lang) Base() string {
	if l == LangChineseSimplified || l == LangChineseTraditional {
		return "zh"
	}
	return string(l)
}

// IsChinese reports whether l is Chinese in either script.
func (l Lang) IsChinese() bool { return l.Base() == "zh" }

// Detection is the outcome of DetectLanguage.
type Detection struct {
	Lang Lang
	// Confidence is a rough 0–1 certainty: the share of the deciding
	// evidence (script characters or marker words) that points to Lang.
	Confidence float64
}

// enMarkers and roMarkers are frequent function words (and, for English
// reviews, a few frequent content words) of one language that are not words
// of the other. Words shared by both ("a", "am", "in", "o", "care") are left
// out.
var enMarkers = wordSet(`the and is to of it i you for my was this with on have that are be at but not
what just so get can your they we me no been will from an would all your our very do did don't can't
didn't it's i'm thanks thank great good bad why how when flight service time customer help now still
there their them he she his her had has were which who should could about after again than`)

var roMarkers = wordSet(`si și de la nu este e cu pe un o mai foarte pentru din sa să ca că ce se lui asa așa
bine acest aceasta acesta produs produsul dar cum sunt fost după dupa sau ai fi când cand daca dacă
pret preț calitate recomand bun buna bună nici doar tot toate decat decât avea are face foarte
multumit mulțumit livrare comanda comandă telefon nu-mi mi-a s-a m-am l-am într-un intr-un`)

// otherMarkers are frequent words of other Latin-script languages (French,
// Spanish, Italian, German, Portuguese, Dutch) that are neither English nor
// Romanian, so such comments are reported as "other" rather than forced.
var otherMarkers = wordSet(`le les des du et est une il elle je pas avec dans pour qui sur très
el los las y que es por una con para muy pero del lo su al
il che di è per non sono della molto questo
der die das und ist nicht ich mit sie es ein eine auf für zu sehr
os não um uma com muito mas
het een niet zijn voor met ook`)

// Marker kinds in markers; 0 is a word that is no marker.
const (
	markerEnglish = iota + 1
	markerRomanian
	markerOther
)

// markers holds the three marker sets in one map, so a word is looked up
// once; a word in several sets counts for the first of English, Romanian,
// other.
var markers = func() map[string]uint8 {
	m := map[string]uint8{}
	for _, set := range []struct {
		words map[string]bool
		kind  uint8
	}{{otherMarkers, markerOther}, {roMarkers, markerRomanian}, {enMarkers, markerEnglish}} {
		for w := range set.words {
			m[w] = set.kind
		}
	}
	return m
}()

// romanianLetters are letters of Romanian and of no other language cxlens
// detects (ă, ș, ț; â and î are shared with French but decisive with the
// marker words).
const romanianLetters = "ăâîșț"

// foreignLatinLetters are Latin letters used by other European languages but
// not by English or Romanian.
const foreignLatinLetters = "àáäãåæçèéêëìíïñòóôõöøùúûüýÿßœ"

// DetectLanguage detects the language of a short comment: Chinese when Han
// characters dominate (Traditional when characters found only in
// Traditional writing outnumber those found only in Simplified), English or
// Romanian from Romanian letters and marker words, and LangOther for other
// scripts (kana, hangul, Cyrillic...) and other Latin-script languages. A
// comment with no evidence at all (emoji, numbers) is English with
// confidence 0.
func DetectLanguage(s string) Detection {
	var han, kana, hangul, latin, otherLetters, roLetters, foreign int
	for _, r := range s {
		if r < 0x80 { // no Han, kana or hangul in ASCII
			if r|0x20 >= 'a' && r|0x20 <= 'z' {
				latin++
			}
			continue
		}
		switch {
		case isHan(r):
			han++
		case unicode.In(r, unicode.Hiragana, unicode.Katakana):
			kana++
		case unicode.Is(unicode.Hangul, r):
			hangul++
		case r < 0x80 && (r|0x20 >= 'a' && r|0x20 <= 'z'):
			latin++
		case unicode.IsLetter(r):
			lr := unicode.ToLower(r)
			switch {
			case strings.ContainsRune(romanianLetters, lr) || lr == 'ş' || lr == 'ţ':
				latin++
				roLetters++
			case strings.ContainsRune(foreignLatinLetters, lr):
				latin++
				foreign++
			default:
				otherLetters++
			}
		}
	}
	letters := han + kana + hangul + latin + otherLetters
	if letters == 0 {
		return Detection{Lang: LangEnglish}
	}
	switch {
	case kana > 0 && kana*5 >= han:
		return Detection{Lang: LangOther, Confidence: float64(kana+han) / float64(letters)}
	case hangul*2 > letters:
		return Detection{Lang: LangOther, Confidence: float64(hangul) / float64(letters)}
	case han > 0 && han*3 >= letters:
		trad, simp := hanScriptCounts(s)
		conf := float64(han) / float64(letters)
		if trad > simp {
			return Detection{Lang: LangChineseTraditional, Confidence: conf}
		}
		return Detection{Lang: LangChineseSimplified, Confidence: conf}
	case otherLetters*2 > letters:
		return Detection{Lang: LangOther, Confidence: float64(otherLetters) / float64(letters)}
	}

	// Latin script: weigh marker words, with Romanian and foreign letters
	// as strong evidence (worth three words each).
	en, ro, other := 0.0, 3*float64(roLetters), 3*float64(foreign)
	count := func(w string) {
		w = strings.Trim(strings.ReplaceAll(w, "’", "'"), "'-")
		// Cedilla letters all start with the byte 0xC5.
		if strings.IndexByte(w, 0xC5) >= 0 {
			w = romanianCedilla.Replace(w)
		}
		switch markers[w] {
		case markerEnglish:
			en++
		case markerRomanian:
			ro++
		case markerOther:
			other++
		}
	}
	// The words are the fields of the lower-cased text between runs of
	// characters other than letters, apostrophes and hyphens, as
	// strings.FieldsFunc would cut them, without the slice of fields.
	lower := strings.ToLower(s)
	start := -1 // start of the current word
	for i, r := range lower {
		inWord := r < 0x80 && (r|0x20 >= 'a' && r|0x20 <= 'z' || r == '\'' || r == '-') ||
			r >= 0x80 && (unicode.IsLetter(r) || r == '’')
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			count(lower[start:i])
			start = -1
		}
	}
	if start >= 0 {
		count(lower[start:])
	}
	total := en + ro + other
	switch {
	case total == 0:
		return Detection{Lang: LangEnglish}
	case ro > en && ro >= other:
		return Detection{Lang: LangRomanian, Confidence: ro / total}
	case other > en && other > ro:
		return Detection{Lang: LangOther, Confidence: other / total}
	default:
		return Detection{Lang: LangEnglish, Confidence: en / total}
	}
}

// wordSet builds a set from a whitespace-separated list.
func wordSet(list string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(list) {
		m[w] = true
	}
	return m
}
