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
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '<' && strings.HasPrefix(s[i:], URLToken):
			dst = append(dst, URLToken)
			i += len(URLToken)
		case r == '<' && strings.HasPrefix(s[i:], UserToken):
			dst = append(dst, UserToken)
			i += len(UserToken)
		case unicode.Is(unicode.Han, r):
			j := i + size
			for j < len(s) {
				r2, n := utf8.DecodeRuneInString(s[j:])
				if !unicode.Is(unicode.Han, r2) {
					break
				}
				j += n
			}
			cut := t.segmenter().CutHMM
			if t.fast {
				cut = t.segmenter().Cut
			}
			for _, w := range cut(s[i:j]) {
				if w = strings.TrimSpace(w); w != "" {
					dst = append(dst, w)
				}
			}
			i = j
		case isWordRune(r) || unicode.Is(unicode.Mn, r):
			j := i + size
			for j < len(s) {
				r2, n := utf8.DecodeRuneInString(s[j:])
				if isWordRune(r2) && !unicode.Is(unicode.Han, r2) || unicode.Is(unicode.Mn, r2) {
					j += n
					continue
				}
				// An apostrophe or hyphen joins two word characters.
				if (r2 == '\'' || r2 == '’' || r2 == '-') && j+n < len(s) {
					r3, _ := utf8.DecodeRuneInString(s[j+n:])
					if isWordRune(r3) && !unicode.Is(unicode.Han, r3) {
						j += n
						continue
					}
				}
				break
			}
			dst = append(dst, strings.ReplaceAll(s[i:j], "’", "'"))
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
