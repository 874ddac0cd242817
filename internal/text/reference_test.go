package text

import (
	"html"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// This file keeps the analysis code as it was before the speed-up of issue
// #7 (ASCII fast paths, the allocation-free Chinese DAG, the one-map
// lexicon), as references the fast code must agree with on every comment
// of the testdata slices and on hand-picked edge cases.

// referenceComments are the comments of the three testdata slices and
// some edge cases: links and mentions in odd places, invalid UTF-8,
// curly apostrophes, Romanian with and without diacritics, Traditional
// Chinese.
func referenceComments(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, name := range []string{"sentiment_en.csv", "sentiment_zh.csv", "sentiment_ro.csv"} {
		for _, r := range readSlice(t, name) {
			out = append(out, r.text)
		}
	}
	return append(out,
		"送餐太慢了，等了一个多小时，饭菜都凉了", "外賣送得太慢了！服務態度很差", "不是很好，不太满意，非常不错",
		"@united www.x.com/a?b, e-mail a@b.com; don’t—it’s “fine”… 3.5 Mr. Smith. ÎNTÂRZIERE aşa ţară",
		"app很好用 😍👍🏽 <url> &amp; &lt;tag&gt;", "\xff\xfe bad utf8 不\xff错 \xe4\xb8",
		"xhttp://a.b http://a.b, www. www.x.", "a@b @_x @ @@u 中@abc é@x 1@x", "\xff@user \xffhttp://x \xc5\x9f@y",
		"http://中文 https://x.y/z?q=1). see\nwww.a.b!", "Mr. A. B. Smith went... home?! 3.5 e.g. x\r\nok",
		"﹫user ＠user Ｗww.x", "a\u00a0\u0301b \u0301x don’t ’tis rock’n’roll -x x- ‘q’",
		"nu mi-a plăcut, s-a stricat într-o zi; nu e bun, foarte prost", "",
		"Produsul NU-MI place, 'foarte' -bun- ’așa’ aşa ŞI", "très bien, c'est la vie", "これは日本語です", "한국어 문장", "Привет мир",
		"mixed 中文 and English words", "€100?! ¡hola! 123", "\xffthe\xff \xc5\x9fi",
	)
}

func TestFastPathsMatchReference(t *testing.T) {
	t.Parallel()
	comments := referenceComments(t)
	seg := DefaultSegmenter()
	lex := BuiltinLexicon()
	ref := referenceLexicon(t)
	for _, fast := range []bool{false, true} {
		tok := NewTokenizer(seg, fast)
		for _, c := range comments {
			if got, want := DetectLanguage(c), referenceDetectLanguage(c); got != want {
				t.Fatalf("DetectLanguage(%q) = %+v, reference %+v", c, got, want)
			}
			n := Normalize(c)
			if want := referenceNormalize(c); n != want {
				t.Fatalf("Normalize(%q) = %q, reference %q", c, n, want)
			}
			if got, want := SplitSentences(c), referenceSplitSentences(c); !slices.Equal(got, want) {
				t.Fatalf("SplitSentences(%q) = %+v, reference %+v", c, got, want)
			}
			for _, s := range []string{n, ToSimplified(n)} {
				toks := tok.Tokens(s)
				if want := referenceTokens(seg, fast, s); !slices.Equal(toks, want) {
					t.Fatalf("Tokens(%q) fast=%v = %q, reference %q", s, fast, toks, want)
				}
				if got, want := lex.Score(toks), ref.score(toks); got != want {
					t.Fatalf("Score(%q) = %v, reference %v", toks, got, want)
				}
				long := slices.Concat(toks, toks, toks, []string{"x"}, toks)
				for _, ts := range [][]string{toks, long} {
					for _, bits := range []uint{8, 18} {
						if got, want := extractFeatures(ts, bits, nil), referenceFeatures(ts, bits); !slices.Equal(got, want) {
							t.Fatalf("extractFeatures(%q, %d) = %v, reference %v", ts, bits, got, want)
						}
					}
				}
			}
		}
	}
}

// TestAppendCutMatchesGse holds the segmenter's own DAG to gse's Cut and
// CutHMM on every run of Han characters of the testdata.
func TestAppendCutMatchesGse(t *testing.T) {
	t.Parallel()
	seg := DefaultSegmenter()
	runs := 0
	for _, c := range referenceComments(t) {
		s := ToSimplified(Normalize(c))
		for _, run := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.Is(unicode.Han, r) }) {
			runs++
			if got, want := seg.appendCut(nil, run, false), seg.Cut(run); !slices.Equal(got, want) {
				t.Fatalf("appendCut(%q) = %q, Cut %q", run, got, want)
			}
			if got, want := seg.appendCut(nil, run, true), seg.CutHMM(run); !slices.Equal(got, want) {
				t.Fatalf("appendCut(%q, hmm) = %q, CutHMM %q", run, got, want)
			}
		}
	}
	if runs < 1000 {
		t.Fatalf("%d runs of Han characters, want the Chinese slice's", runs)
	}
}

// TestRangeShortcuts checks the constants isHan, isMn and isEmoji use to
// skip table searches against the Unicode tables of this Go version.
func TestRangeShortcuts(t *testing.T) {
	t.Parallel()
	if lo := rune(unicode.Han.R16[0].Lo); lo != hanMin {
		t.Errorf("first Han code point %#x, hanMin %#x", lo, hanMin)
	}
	if lo := rune(unicode.Mn.R16[0].Lo); lo != mnMin {
		t.Errorf("first Mn code point %#x, mnMin %#x", lo, mnMin)
	}
	for r := rune(0); r <= 0x10ffff; r++ {
		if isHan(r) != unicode.Is(unicode.Han, r) {
			t.Fatalf("isHan(%#x) = %v", r, isHan(r))
		}
		if isMn(r) != unicode.Is(unicode.Mn, r) {
			t.Fatalf("isMn(%#x) = %v", r, isMn(r))
		}
		if isWord(r) != isWordRune(r) {
			t.Fatalf("isWord(%#x) = %v", r, isWord(r))
		}
	}
}

func referenceNormalize(s string) string {
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	s = norm.NFKC.String(s)
	if strings.IndexByte(s, 0xC5) >= 0 {
		s = romanianCedilla.Replace(s)
	}
	s = strings.ToLower(s)
	if strings.Contains(s, "://") || strings.Contains(s, "www.") || strings.IndexByte(s, '@') >= 0 {
		s = referenceLinksAndMentions(s)
	}
	return s
}

func referenceLinksAndMentions(s string) string {
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

func referenceSplitSentences(s string) []Sentence {
	var out []Sentence
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
	boundary := func(i int) bool {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return unicode.IsSpace(r) || unicode.Is(unicode.Han, r) || isEmoji(r)
	}
	for i := 0; i < len(s); {
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
			if j == len(s) || boundary(j) {
				emit(j)
			}
			i = j
		case r == '.':
			j := skipTerminators(s, i+size)
			if (j == len(s) || boundary(j)) && !(j == i+1 && abbreviationBefore(s, i)) {
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

func referenceTokens(seg *Segmenter, fast bool, s string) []string {
	var dst []string
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
			cut := seg.CutHMM
			if fast {
				cut = seg.Cut
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

// refLexicon is the builtin lexicon in its former three maps.
type refLexicon struct {
	weights      map[string]float64
	negators     map[string]bool
	intensifiers map[string]bool
	maxHanRunes  int
}

func referenceLexicon(t testing.TB) *refLexicon {
	t.Helper()
	l := &refLexicon{weights: map[string]float64{}, negators: map[string]bool{}, intensifiers: map[string]bool{}}
	for _, line := range strings.Split(lexiconTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		term, w, _ := strings.Cut(line, "\t")
		term = romanianPlain.Replace(Normalize(term))
		switch w {
		case lexNegator:
			l.negators[term] = true
		case lexIntensifier:
			l.intensifiers[term] = true
		default:
			v, err := strconv.ParseFloat(w, 64)
			if err != nil {
				t.Fatal(err)
			}
			l.weights[term] = v
		}
		if r, _ := utf8.DecodeRuneInString(term); unicode.Is(unicode.Han, r) {
			l.maxHanRunes = max(l.maxHanRunes, utf8.RuneCountInString(term))
		}
	}
	return l
}

func (l *refLexicon) score(tokens []string) float64 {
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
		w := romanianPlain.Replace(t)
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
					negate = 1
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

func (l *refLexicon) scoreHan(rs []rune) float64 {
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

func referenceDetectLanguage(s string) Detection {
	var han, kana, hangul, latin, otherLetters, roLetters, foreign int
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
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
	en, ro, other := 0.0, 3*float64(roLetters), 3*float64(foreign)
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || r == '\'' || r == '’' || r == '-')
	}) {
		w = strings.Trim(strings.ReplaceAll(w, "’", "'"), "'-")
		w = romanianCedilla.Replace(w)
		switch {
		case enMarkers[w]:
			en++
		case roMarkers[w]:
			ro++
		case otherMarkers[w]:
			other++
		}
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

// TestLowerNFKCHan holds lowerNFKCHan to NFKC and lower-casing on each
// character it maps itself and on random strings of them.
func TestLowerNFKCHan(t *testing.T) {
	t.Parallel()
	var set []rune
	for r := rune(0); r < utf8.RuneSelf; r++ {
		set = append(set, r)
	}
	for r := rune(cjkUnifiedFirst); r <= cjkUnifiedLast; r++ {
		set = append(set, r)
	}
	for r := rune(fullwidthFirst); r <= fullwidthLast; r++ {
		set = append(set, r)
	}
	check := func(s string) {
		got, ok := lowerNFKCHan(s)
		if want := strings.ToLower(norm.NFKC.String(s)); !ok || got != want {
			t.Fatalf("lowerNFKCHan(%q) = %q, %v; want %q", s, got, ok, want)
		}
	}
	for _, r := range set {
		check(string(r))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		rs := make([]rune, 1+rng.IntN(12))
		for i := range rs {
			rs[i] = set[rng.IntN(len(set))]
		}
		check(string(rs))
	}
	for _, s := range []string{"é", "ﾟ", "\u3000", "中\u0301", "\xff"} {
		if _, ok := lowerNFKCHan(s); ok {
			t.Errorf("lowerNFKCHan(%q) takes the fast path", s)
		}
	}
}

func referenceFeatures(tokens []string, bits uint) []feature {
	mask := uint64(1)<<bits - 1
	var out []feature
	add := func(h uint64) { out = append(out, feature{index: uint32(h & mask), value: 1}) }
	var prevRune rune
	for i, t := range tokens {
		add(fnv1a(featWord, t))
		if i > 0 {
			add(fnv1a(featBigram, tokens[i-1], t))
		}
		r, _ := utf8.DecodeRuneInString(t)
		if !unicode.Is(unicode.Han, r) {
			prevRune = 0
			continue
		}
		for _, r := range t {
			if prevRune != 0 {
				add(fnv1a(featHanBigram, string(prevRune), string(r)))
			}
			prevRune = r
		}
	}
	slices.SortFunc(out, func(a, b feature) int { return int(a.index) - int(b.index) })
	out = slices.CompactFunc(out, func(a, b feature) bool { return a.index == b.index })
	if len(out) > 0 {
		v := float32(1 / math.Sqrt(float64(len(out))))
		for i := range out {
			out[i].value = v
		}
	}
	return out
}
