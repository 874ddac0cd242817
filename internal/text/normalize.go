package text

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Placeholder tokens that replace parts of a comment which carry no meaning
// for analysis but whose presence may (a link in a complaint, a reply to
// someone).
const (
	URLToken  = "<url>"
	UserToken = "<user>"
)

// romanianCedilla maps the cedilla letters that legacy Romanian encodings and
// keyboards produce to the comma-below letters of the standard orthography,
// so "aşa" and "așa" are one word.
var romanianCedilla = strings.NewReplacer("ş", "ș", "Ş", "Ș", "ţ", "ț", "Ţ", "Ț")

// Normalize prepares a comment for analysis in any language: HTML entities
// decoded, Unicode NFKC (full-width forms folded, ligatures split), Romanian
// cedilla letters replaced by comma-below letters, lower case, URLs replaced
// by URLToken and @mentions by UserToken. Emoji are kept. Traditional
// Chinese is not mapped here (see ToSimplified), so the script can still be
// detected after normalisation.
func Normalize(s string) string {
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	s = norm.NFKC.String(s)
	// Every cedilla letter is encoded as 0xC5 and a second byte: most text
	// has no 0xC5 and skips the replacer, the costliest step here.
	if strings.IndexByte(s, 0xC5) >= 0 {
		s = romanianCedilla.Replace(s)
	}
	s = strings.ToLower(s)
	if strings.Contains(s, "://") || strings.Contains(s, "www.") || strings.IndexByte(s, '@') >= 0 {
		s = replaceLinksAndMentions(s)
	}
	return s
}

// replaceLinksAndMentions replaces http(s) and www. links by URLToken and
// @handles (letters, digits, underscore) by UserToken. An @ inside a word,
// as in an e-mail address, is not a mention.
func replaceLinksAndMentions(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		rest := s[i:]
		prev := lastRune(s[:i])
		atWordStart := i == 0 || !isWordRune(prev) || unicode.Is(unicode.Han, prev)
		switch {
		case atWordStart && (strings.HasPrefix(rest, "http://") || strings.HasPrefix(rest, "https://") || strings.HasPrefix(rest, "www.")):
			n := urlLen(rest)
			b.WriteString(URLToken)
			i += n
		case atWordStart && rest[0] == '@' && len(rest) > 1 && isHandleRune(firstRune(rest[1:])):
			n := 1
			for n < len(rest) {
				r, size := utf8.DecodeRuneInString(rest[n:])
				if !isHandleRune(r) {
					break
				}
				n += size
			}
			b.WriteString(UserToken)
			i += n
		default:
			r, size := utf8.DecodeRuneInString(rest)
			b.WriteRune(r)
			i += size
		}
	}
	return b.String()
}

// urlLen is the length of the link at the start of s: up to the first space
// or CJK character, without trailing punctuation.
func urlLen(s string) int {
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if unicode.IsSpace(r) || r == '"' || r == '<' || r == '>' || unicode.Is(unicode.Han, r) {
			break
		}
		n += size
	}
	for n > 0 && strings.ContainsRune(".,;:!?)]}'", rune(s[n-1])) {
		n--
	}
	return n
}

func isHandleRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_'
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}
