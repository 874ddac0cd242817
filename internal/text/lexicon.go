package text

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed data/lexicon.tsv
var lexiconTSV string

// Lexicon is the builtin sentiment scorer for workspaces without enough
// labelled comments: a small hand-written lexicon of English, Romanian and
// Chinese opinion words and emoji (data/lexicon.tsv) with negators and
// intensifiers. It is shipped instead of a model trained on the public
// datasets because none of them has a licence that allows redistributing
// derived weights (see data/SOURCE.md).
type Lexicon struct {
	// entries holds every term, so scoring looks a word up once.
	entries     map[string]lexEntry
	maxHanRunes int
}

// lexEntry is what the lexicon says about one term; a term listed twice
// can be both a negator and weighted, and the negator wins.
type lexEntry struct {
	weight      float64
	weighted    bool
	negator     bool
	intensifier bool
}

// Lexicon entry markers in data/lexicon.tsv.
const (
	lexNegator     = "NEG"
	lexIntensifier = "INT"
)

// BuiltinLexicon returns the lexicon embedded in the binary, parsed once.
func BuiltinLexicon() *Lexicon { return builtinLexicon() }

var builtinLexicon = sync.OnceValue(func() *Lexicon {
	l, err := ParseLexicon(lexiconTSV)
	if err != nil {
		panic(err) // the embedded file is checked by a test
	}
	return l
})

// ParseLexicon reads a lexicon in the format of data/lexicon.tsv: one
// "term<TAB>weight" per line, weight NEG for negators and INT for
// intensifiers, # comments.
func ParseLexicon(tsv string) (*Lexicon, error) {
	l := &Lexicon{entries: map[string]lexEntry{}}
	for n, line := range strings.Split(tsv, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		term, w, ok := strings.Cut(line, "\t")
		if !ok || term == "" {
			return nil, &lexiconError{line: n + 1, reason: "want term<TAB>weight"}
		}
		term = stripRomanianDiacritics(Normalize(term))
		e := l.entries[term]
		switch w {
		case lexNegator:
			e.negator = true
		case lexIntensifier:
			e.intensifier = true
		default:
			v, err := strconv.ParseFloat(w, 64)
			if err != nil {
				return nil, &lexiconError{line: n + 1, reason: "weight: " + err.Error()}
			}
			e.weight, e.weighted = v, true
		}
		l.entries[term] = e
		if r, _ := utf8.DecodeRuneInString(term); isHan(r) {
			l.maxHanRunes = max(l.maxHanRunes, utf8.RuneCountInString(term))
		}
	}
	return l, nil
}

type lexiconError struct {
	line   int
	reason string
}

func (e *lexiconError) Error() string {
	return "text: lexicon line " + strconv.Itoa(e.line) + ": " + e.reason
}

// negationScope is how many following words (Latin script) or characters
// (Chinese) a negator reaches.
const (
	negationWords = 3
	negationRunes = 3
)

// Score is the summed weight of the opinion words in tokens, with a
// negated word (the first opinion word within three words of a negator)
// counting −0.8 times its weight and an intensified one 1.5 times.
func (l *Lexicon) Score(tokens []string) float64 {
	score, negate, boost := 0.0, 0, 1.0
	// han collects consecutive Chinese tokens as one text; the array keeps
	// a short comment's Chinese off the heap.
	var arr [256]byte
	han := arr[:0]
	for _, t := range tokens {
		if r, _ := utf8.DecodeRuneInString(t); isHan(r) {
			han = appendValid(han, t)
			continue
		}
		if len(han) > 0 {
			score += l.scoreHan(han)
			han = han[:0]
		}
		w := stripRomanianDiacritics(t)
		e, known := l.entries[w]
		switch {
		case known && e.negator || strings.HasSuffix(w, "n't"):
			negate = negationWords + 1
		case known && e.intensifier:
			boost = 1.5
		case known && e.weighted:
			v := e.weight * boost
			if negate > 0 {
				v *= -0.8
				negate = 1 // a negator flips one opinion word
			}
			score += v
			boost = 1
		}
		if negate > 0 {
			negate--
		}
	}
	if len(han) > 0 {
		score += l.scoreHan(han)
	}
	return score
}

// appendValid appends s to dst with each invalid byte replaced by U+FFFD,
// as a round trip through []rune does.
func appendValid(dst []byte, s string) []byte {
	if utf8.ValidString(s) {
		return append(dst, s...)
	}
	for _, r := range s {
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// scoreHan scores a run of Chinese characters by longest-first lexicon
// matches, so 不错 (positive) wins over 不 + 错. Positions and the negation
// scope count characters.
func (l *Lexicon) scoreHan(han []byte) float64 {
	var arr [128]int
	off := arr[:0] // byte offset of each character, then len(han)
	for i := 0; i < len(han); {
		off = append(off, i)
		_, size := utf8.DecodeRune(han[i:])
		i += size
	}
	nr := len(off)
	off = append(off, len(han))
	score, negUntil, boost := 0.0, -1, 1.0
	for i := 0; i < nr; {
		matched := 0
		for n := min(l.maxHanRunes, nr-i); n >= 1; n-- {
			e, ok := l.entries[string(han[off[i]:off[i+n]])]
			if !ok {
				continue
			}
			switch {
			case e.negator:
				negUntil = i + n + negationRunes
			case e.intensifier:
				boost = 1.5
			case e.weighted:
				v := e.weight * boost
				if i < negUntil {
					v *= -0.8
					negUntil = -1
				}
				score += v
				boost = 1
			default:
				continue
			}
			matched = n
			break
		}
		if matched == 0 {
			matched = 1
		}
		i += matched
	}
	return score
}

// Predict turns the lexicon score into a prediction: P(positive) =
// σ(1.2·score), neutral when the score is within ±0.5. These are not
// calibrated probabilities; the prediction's Model is ModelBuiltin.
func (l *Lexicon) Predict(tokens []string) Prediction {
	s := l.Score(tokens)
	pos := sigmoid(1.2 * s)
	p := Prediction{Model: ModelBuiltin, Score: 2*pos - 1}
	p.Probs[Positive], p.Probs[Negative] = pos, 1-pos
	switch {
	case s > 0.5:
		p.Label = Positive
	case s < -0.5:
		p.Label = Negative
	default:
		p.Label = Neutral
	}
	return p
}
