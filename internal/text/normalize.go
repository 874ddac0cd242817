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
	if isASCII(s) {
		// ASCII text is its own NFKC form and has no cedilla letters.
		s = strings.ToLower(s)
	} else if lower, ok := lowerNFKCHan(s); ok {
		s = lower
	} else {
		s = norm.NFKC.String(s)
		// Every cedilla letter is encoded as 0xC5 and a second byte: most
		// text has no 0xC5 and skips the replacer, the costliest step here.
		if strings.IndexByte(s, 0xC5) >= 0 {
			s = romanianCedilla.Replace(s)
		}
		s = strings.ToLower(s)
	}
	if strings.Contains(s, "://") || strings.Contains(s, "www.") || strings.IndexByte(s, '@') >= 0 {
		s = replaceLinksAndMentions(s)
	}
	return s
}

// Full-width forms of the ASCII characters ! to ~, which NFKC maps to
// them.
const (
	fullwidthFirst = 0xff01
	fullwidthLast  = 0xff5e
	fullwidthShift = 0xff01 - '!'
)

// lowerNFKCHan is strings.ToLower(norm.NFKC.String(s)) for the text of most
// Chinese comments: ASCII, CJK Unified Ideographs and full-width ASCII
// forms. Those are all starters without canonical compositions between
// them, whose NFKC forms are themselves (ideographs, ASCII) or one ASCII
// character (full-width forms), so NFKC is a mapping of single characters.
// ok is false, and s must go through the general path, if s holds any
// other character.
func lowerNFKCHan(s string) (lower string, ok bool) {
	changes := false
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			changes = changes || 'A' <= r && r <= 'Z'
		case r >= cjkUnifiedFirst && r <= cjkUnifiedLast:
		case r >= fullwidthFirst && r <= fullwidthLast:
			changes = true
		default:
			return "", false
		}
	}
	if !changes {
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= fullwidthFirst && r <= fullwidthLast {
			r -= fullwidthShift
		}
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String(), true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// replaceLinksAndMentions replaces http(s) and www. links by URLToken and
// @handles (letters, digits, underscore) by UserToken. An @ inside a word,
// as in an e-mail address, is not a mention. Invalid UTF-8 bytes become
// U+FFFD, one each.
func replaceLinksAndMentions(s string) string {
	if !utf8.ValidString(s) {
		s = strings.Map(func(r rune) rune { return r }, s)
	}
	var b strings.Builder
	b.Grow(len(s))
	done := 0 // s[:done] is written
	// Links and mentions start with an ASCII byte, which in valid UTF-8
	// is always a whole character, so the other bytes are skipped without
	// decoding and copied in spans.
	for i := 0; i < len(s); {
		c := s[i]
		if c != 'h' && c != 'w' && c != '@' {
			i++
			continue
		}
		rest := s[i:]
		link := strings.HasPrefix(rest, "http://") || strings.HasPrefix(rest, "https://") || strings.HasPrefix(rest, "www.")
		mention := c == '@' && len(rest) > 1 && isHandleRune(firstRune(rest[1:]))
		if !link && !mention {
			i++
			continue
		}
		if prev := lastRune(s[:i]); i > 0 && isWordRune(prev) && !isHan(prev) {
			i++ // not at the start of a word
			continue
		}
		b.WriteString(s[done:i])
		if link {
			b.WriteString(URLToken)
			i += urlLen(rest)
		} else {
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
		}
		done = i
	}
	b.WriteString(s[done:])
	return b.String()
}

// urlLen is the length of the link at the start of s: up to the first space
// or CJK character, without trailing punctuation.
func urlLen(s string) int {
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if unicode.IsSpace(r) || r == '"' || r == '<' || r == '>' || isHan(r) {
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
