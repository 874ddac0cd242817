package text

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
	"unicode"
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
	weights      map[string]float64
	negators     map[string]bool
	intensifiers map[string]bool
	maxHanRunes  int
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
	l := &Lexicon{weights: map[string]float64{}, negators: map[string]bool{}, intensifiers: map[string]bool{}}
	for n, line := range strings.Split(tsv, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		term, w, ok := strings.Cut(line, "\t")
		if !ok || term == "" {
			return nil, &lexiconError{line: n + 1, reason: "want term<TAB>weight"}
		}
		term = stripRomanianDiacritics(Normalize(term))
		switch w {
		case lexNegator:
			l.negators[term] = true
		case lexIntensifier:
			l.intensifiers[term] = true
		default:
			v, err := strconv.ParseFloat(w, 64)
			if err != nil {
				return nil, &lexiconError{line: n + 1, reason: "weight: " + err.Error()}
			}
			l.weights[term] = v
		}
		if r, _ := utf8.DecodeRuneInString(term); unicode.Is(unicode.Han, r) {
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
	var han []rune
	flushHan := func() {
		score += l.scoreHan(han)
		han = han[:0]
	}
	for _, t := range tokens {
		if r, _ := utf8.DecodeRuneInString(t); unicode.Is(unicode.Han, r) {
			han = append(han, []rune(t)...)
			continue
		}
		if len(han) > 0 {
			flushHan()
		}
		w := stripRomanianDiacritics(t)
		switch {
		case l.negators[w] || strings.HasSuffix(w, "n't"):
			negate = negationWords + 1
		case l.intensifiers[w]:
			boost = 1.5
		default:
			if v, ok := l.weights[w]; ok {
				v *= boost
				if negate > 0 {
					v *= -0.8
					negate = 1 // a negator flips one opinion word
				}
				score += v
				boost = 1
			}
		}
		if negate > 0 {
			negate--
		}
	}
	if len(han) > 0 {
		flushHan()
	}
	return score
}

// scoreHan scores a run of Chinese characters by longest-first lexicon
// matches, so 不错 (positive) wins over 不 + 错.
func (l *Lexicon) scoreHan(rs []rune) float64 {
	score, negUntil, boost := 0.0, -1, 1.0
	for i := 0; i < len(rs); {
		matched := 0
		for n := min(l.maxHanRunes, len(rs)-i); n >= 1; n-- {
			term := string(rs[i : i+n])
			switch {
			case l.negators[term]:
				negUntil = i + n + negationRunes
			case l.intensifiers[term]:
				boost = 1.5
			default:
				v, ok := l.weights[term]
				if !ok {
					continue
				}
				v *= boost
				if i < negUntil {
					v *= -0.8
					negUntil = -1
				}
				score += v
				boost = 1
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
