package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence is one sentence of a comment, as a byte range of the original
// text so a user interface can highlight it.
type Sentence struct {
	Text       string
	Start, End int // s[Start:End] == Text
}

// abbreviations end with a full stop that does not end a sentence (English
// and Romanian; lower case, without the stop).
var abbreviations = wordSet(`mr mrs ms dr st vs etc e.g i.e approx no nr dl dna dnul str tel prof ing jr sr inc ltd co`)

// SplitSentences splits a comment into sentences at . ! ? … and their
// full-width Chinese forms 。！？ (and ；), and at line breaks. A full stop
// does not split inside a number (3.5), a link or an address
// (example.com), or after a known abbreviation or an initial. Runs of
// terminators ("!!!", "?!", "...") and closing quotes stay with their
// sentence. Empty sentences are dropped; surrounding space is trimmed.
func SplitSentences(s string) []Sentence {
	return AppendSentences(nil, s)
}

// AppendSentences appends the sentences of s (SplitSentences) to out, for
// callers that reuse a buffer.
func AppendSentences(out []Sentence, s string) []Sentence {
	start := 0
	emit := func(end int) {
		seg := s[start:end]
		trimmed := strings.TrimSpace(seg)
		if trimmed != "" && strings.IndexFunc(trimmed, func(r rune) bool { return isWordRune(r) || isEmoji(r) }) >= 0 {
			lead := strings.Index(seg, trimmed)
			out = append(out, Sentence{Text: trimmed, Start: start + lead, End: start + lead + len(trimmed)})
		}
		start = end
	}
	for i := 0; i < len(s); {
		// Only these ASCII bytes can end a sentence; skip the others
		// without decoding.
		if c := s[i]; c < utf8.RuneSelf && c != '\n' && c != '\r' && c != '.' && c != '!' && c != '?' {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n' || r == '\r':
			emit(i)
			i += size
			start = i
		case r == '。' || r == '！' || r == '？' || r == '；':
			i = skipTerminators(s, i+size)
			emit(i)
		case r == '!' || r == '?' || r == '…':
			j := skipTerminators(s, i+size)
			if j == len(s) || boundaryAfter(s, j) {
				emit(j)
			}
			i = j
		case r == '.':
			j := skipTerminators(s, i+size)
			if (j == len(s) || boundaryAfter(s, j)) && !(j == i+1 && abbreviationBefore(s, i)) {
				emit(j)
			}
			i = j
		default:
			i += size
		}
	}
	emit(len(s))
	return out
}

// skipTerminators moves past further terminators and closing quotes or
// brackets.
func skipTerminators(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !strings.ContainsRune(".!?…。！？)]\"'”’」』）", r) {
			break
		}
		i += size
	}
	return i
}

// boundaryAfter reports whether a terminator ending at i ends a sentence:
// it is followed by a space or a Chinese character rather than by more of
// the same token (3.5, example.com).
func boundaryAfter(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r) || isHan(r) || isEmoji(r)
}

// abbreviationBefore reports whether the full stop at i follows a known
// abbreviation or a single-letter initial.
func abbreviationBefore(s string, i int) bool {
	j := i
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		if !(unicode.IsLetter(r) || r == '.') {
			break
		}
		j -= size
	}
	word := strings.ToLower(s[j:i])
	if word == "" {
		return false
	}
	return abbreviations[word] || utf8.RuneCountInString(word) == 1 && unicode.IsUpper(firstRune(s[j:i]))
}
