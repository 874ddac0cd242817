package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tokenizer splits normalised comments into word tokens: Latin-script words
// (with inner apostrophes and hyphens kept, so "don't" and "s-a" stay
// whole), numbers, emoji (one token each), the URLToken and UserToken
// placeholders, and Chinese words cut by a Segmenter.
type Tokenizer struct {
	seg  *Segmenter
	fast bool
}

// NewTokenizer returns a tokenizer that cuts Chinese with seg (nil means
// DefaultSegmenter, loaded on the first Chinese text), with Segmenter.CutHMM
// or, when fast is set, Segmenter.Cut.
func NewTokenizer(seg *Segmenter, fast bool) *Tokenizer {
	return &Tokenizer{seg: seg, fast: fast}
}

func (t *Tokenizer) segmenter() *Segmenter {
	if t.seg == nil {
		return DefaultSegmenter()
	}
	return t.seg
}

// Tokens splits s, which should already have gone through Normalize (and
// ToSimplified for Chinese), into tokens. Han characters are cut into words
// whatever lang says, so Chinese words inside an English comment survive.
func (t *Tokenizer) Tokens(s string) []string {
	return t.AppendTokens(nil, s)
}

// AppendTokens appends the tokens of s to dst and returns the extended
// slice, for callers that reuse a buffer.
func (t *Tokenizer) AppendTokens(dst []string, s string) []string {
	for i := 0; i < len(s); {
		r, size := decodeRune(s, i)
		switch {
		case r == '<' && strings.HasPrefix(s[i:], URLToken):
			dst = append(dst, URLToken)
			i += len(URLToken)
		case r == '<' && strings.HasPrefix(s[i:], UserToken):
			dst = append(dst, UserToken)
			i += len(UserToken)
		case isHan(r):
			j := i + size
			for j < len(s) {
				r2, n := decodeRune(s, j)
				if !isHan(r2) {
					break
				}
				j += n
			}
			dst = t.appendCut(dst, s[i:j])
			i = j
		case isWord(r) || isMn(r):
			j := i + size
			curly := false // a ’ to replace by '
			for j < len(s) {
				if c := s[j]; c < utf8.RuneSelf && asciiWord[c] {
					j++ // the common case, without decoding
					continue
				}
				r2, n := decodeRune(s, j)
				if isWord(r2) && !isHan(r2) || isMn(r2) {
					j += n
					continue
				}
				// An apostrophe or hyphen joins two word characters.
				if (r2 == '\'' || r2 == '’' || r2 == '-') && j+n < len(s) {
					r3, _ := decodeRune(s, j+n)
					if isWord(r3) && !isHan(r3) {
						curly = curly || r2 == '’'
						j += n
						continue
					}
				}
				break
			}
			w := s[i:j]
			if curly {
				w = strings.ReplaceAll(w, "’", "'")
			}
			dst = append(dst, w)
			i = j
		case isEmoji(r):
			dst = append(dst, string(r))
			i += size
		default:
			i += size
		}
	}
	return dst
}

// appendCut appends the words of a run of Han characters as Segmenter.Cut
// (fast) or CutHMM cut it. A run holds no spaces, so its words need no
// trimming and none is empty.
func (t *Tokenizer) appendCut(dst []string, run string) []string {
	return t.segmenter().appendCut(dst, run, !t.fast)
}

// decodeRune is utf8.DecodeRuneInString(s[i:]) with the ASCII case
// inlined, as most bytes of most comments are ASCII.
func decodeRune(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// asciiWord is isWordRune on ASCII, as a table.
var asciiWord = func() (w [utf8.RuneSelf]bool) {
	for r := range rune(utf8.RuneSelf) {
		w[r] = isWordRune(r)
	}
	return w
}()

// isWord is isWordRune with a table for ASCII.
func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r]
	}
	return isWordRune(r)
}

// Lowest code points of unicode.Han and unicode.Mn (TestRangeShortcuts),
// and the CJK Unified Ideographs block, all of which is Han.
const (
	hanMin          = 0x2e80
	mnMin           = 0x0300
	cjkUnifiedFirst = 0x4e00
	cjkUnifiedLast  = 0x9fff
)

// isHan is unicode.Is(unicode.Han, r) without the table search for the
// code points below the first Han one or in the main CJK block.
func isHan(r rune) bool {
	if r < hanMin {
		return false
	}
	if r >= cjkUnifiedFirst && r <= cjkUnifiedLast {
		return true
	}
	return unicode.Is(unicode.Han, r)
}

// isMn is unicode.Is(unicode.Mn, r) without the table search below the
// first non-spacing mark.
func isMn(r rune) bool {
	return r >= mnMin && unicode.Is(unicode.Mn, r)
}

// isEmoji reports whether r is a pictographic symbol worth keeping as a
// token. Joiners, variation selectors and skin-tone modifiers are not.
func isEmoji(r rune) bool {
	switch {
	case r == 0x200d || r == 0xfe0f || (r >= 0x1f3fb && r <= 0x1f3ff):
		return false
	case r >= 0x1f000 && r <= 0x1faff, r >= 0x2600 && r <= 0x27bf, r >= 0x2b00 && r <= 0x2bff:
		return true
	}
	return unicode.Is(unicode.So, r)
}
