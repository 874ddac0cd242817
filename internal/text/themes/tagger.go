package themes

import (
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/cxlens/cxlens/internal/text"
)

// Match is one theme found in one sentence of a comment.
type Match struct {
	Theme    string        // theme ID
	Term     string        // the codeframe term that matched, as written there
	Sentence text.Sentence // byte range of the original comment, for highlighting
}

// Tagger assigns the themes of a codeframe to comments. Build it once per
// codeframe version with NewTagger; it is safe for concurrent use.
type Tagger struct {
	an       *text.Analyzer
	ids      []string
	matchers map[string]*matcher // by base language
	scratch  sync.Pool           // *tagScratch, so tagging does not allocate per-theme state
}

// tagScratch is the per-call state of tag, reused through Tagger.scratch.
type tagScratch struct {
	hits    []hit
	touched []int
	stamp   int
}

// matcher finds the terms of one language in a token list. Terms are looked
// up as the join of consecutive tokens ("lost luggage"; for Chinese without a
// separator, so a term the segmenter cuts differently inside a sentence still
// matches as long as it starts and ends on word boundaries).
type matcher struct {
	sep       string
	exact     map[string][]entry
	maxTokens int                // the most tokens an exact term spans
	prefix    map[string][]entry // single words written with a trailing "*"
	prefixLen []int              // distinct byte lengths of the prefixes
}

type entry struct {
	theme   int
	term    string
	exclude bool
}

// NewTagger compiles c for tagging with an: each term goes through the same
// analysis as comments, so it matches whatever the normalisation does (case,
// Romanian cedillas, Traditional Chinese). A codeframe with Chinese terms
// loads an's segmenter here.
func NewTagger(c Codeframe, an *text.Analyzer) *Tagger {
	t := &Tagger{an: an, matchers: map[string]*matcher{}}
	t.scratch.New = func() any { return &tagScratch{} }
	for i, th := range c.Themes {
		t.ids = append(t.ids, th.ID)
		for lang, terms := range th.Terms {
			for _, term := range terms {
				t.matcher(lang).add(an, lang, term, entry{theme: i, term: term})
			}
		}
		for lang, terms := range th.Exclude {
			for _, term := range terms {
				t.matcher(lang).add(an, lang, term, entry{theme: i, term: term, exclude: true})
			}
		}
	}
	return t
}

func (t *Tagger) matcher(lang string) *matcher {
	m := t.matchers[lang]
	if m == nil {
		m = &matcher{sep: " ", exact: map[string][]entry{}, prefix: map[string][]entry{}}
		if lang == "zh" {
			m.sep = ""
		}
		t.matchers[lang] = m
	}
	return m
}

func (m *matcher) add(an *text.Analyzer, lang, term string, e entry) {
	l := text.Lang(lang)
	if lang == "zh" {
		l = text.LangChineseSimplified
	}
	wildcard := strings.HasSuffix(term, "*")
	toks := an.AnalyzeAs(strings.TrimSuffix(term, "*"), l).Tokens
	if len(toks) == 0 {
		return
	}
	if wildcard && len(toks) == 1 {
		p := fold(toks[0])
		if _, ok := m.prefix[p]; !ok {
			m.prefixLen = append(m.prefixLen, len(p))
			sort.Ints(m.prefixLen)
			m.prefixLen = dedupInts(m.prefixLen)
		}
		m.prefix[p] = append(m.prefix[p], e)
		return
	}
	for i := range toks {
		toks[i] = fold(toks[i])
	}
	key := strings.Join(toks, m.sep)
	m.exact[key] = append(m.exact[key], e)
	m.maxTokens = max(m.maxTokens, len(toks))
}

// scan calls f for every term occurrence in toks.
func (m *matcher) scan(toks []string, buf []byte, f func(entry)) []byte {
	for i := range toks {
		buf = buf[:0]
		for j := i; j < len(toks) && j-i < m.maxTokens; j++ {
			if j > i {
				buf = append(buf, m.sep...)
			}
			buf = appendFold(buf, toks[j])
			for _, e := range m.exact[string(buf)] {
				f(e)
			}
		}
		if len(m.prefixLen) > 0 {
			w := fold(toks[i])
			for _, n := range m.prefixLen {
				if n > len(w) {
					break
				}
				for _, e := range m.prefix[w[:n]] {
					f(e)
				}
			}
		}
	}
	return buf
}

// Tag returns the themes of comment, one Match per theme and sentence, in
// sentence order and then codeframe order. The language is detected; terms
// of that language (text.Lang.Base) are used. A theme whose exclusion term
// occurs in a sentence is not matched in that sentence.
func (t *Tagger) Tag(comment string) []Match {
	return t.TagAs(comment, text.DetectLanguage(comment).Lang)
}

// TagAs is Tag for a comment whose language is known.
func (t *Tagger) TagAs(comment string, lang text.Lang) []Match {
	out, _ := t.tag(comment, lang, false)
	return out
}

// TagTokens is TagAs that also returns the comment's tokens (those of its
// sentences, in order), so that a caller scoring the sentiment of the
// comment need not analyse it a second time.
func (t *Tagger) TagTokens(comment string, lang text.Lang) ([]Match, []string) {
	return t.tag(comment, lang, true)
}

func (t *Tagger) tag(comment string, lang text.Lang, keep bool) ([]Match, []string) {
	m := t.matchers[lang.Base()]
	if m == nil {
		if !keep {
			return nil, nil
		}
		return nil, t.an.AnalyzeAs(comment, lang).Tokens
	}
	var out []Match
	var all []string
	var buf []byte
	// hits is indexed by theme; a stamp per sentence saves clearing it, and
	// touched lists the themes seen, so a sentence costs what it matches,
	// not the size of the codeframe.
	sc := t.scratch.Get().(*tagScratch)
	defer t.scratch.Put(sc)
	if len(sc.hits) != len(t.ids) {
		sc.hits = make([]hit, len(t.ids))
	}
	// Stamps grow across calls, so a pooled hits array never needs clearing.
	hits, touched := sc.hits, sc.touched[:0]
	defer func() { sc.touched = touched }()
	for _, s := range text.SplitSentences(comment) {
		doc := t.an.AnalyzeAs(s.Text, lang)
		if keep {
			all = append(all, doc.Tokens...)
		}
		sc.stamp++
		stamp := sc.stamp
		touched = touched[:0]
		buf = m.scan(doc.Tokens, buf, func(e entry) {
			h := &hits[e.theme]
			if h.stamp != stamp {
				*h = hit{stamp: stamp}
				touched = append(touched, e.theme)
			}
			if e.exclude {
				h.excluded = true
			} else if h.term == "" {
				h.term = e.term
			}
		})
		sort.Ints(touched)
		for _, i := range touched {
			if h := hits[i]; h.term != "" && !h.excluded {
				out = append(out, Match{Theme: t.ids[i], Term: h.term, Sentence: s})
			}
		}
	}
	return out, all
}

type hit struct {
	term     string
	excluded bool
	stamp    int
}

// TagDocument returns the IDs of the themes found in an analysed comment,
// in codeframe order, without sentence positions: the fast path for
// callers that only count themes. Exclusions apply to the whole document.
func (t *Tagger) TagDocument(doc text.Document) []string {
	m := t.matchers[doc.Lang.Base()]
	if m == nil {
		return nil
	}
	hits := make([]hit, len(t.ids))
	m.scan(doc.Tokens, nil, func(e entry) {
		if e.exclude {
			hits[e.theme].excluded = true
		} else {
			hits[e.theme].term = e.term
		}
	})
	var out []string
	for i, h := range hits {
		if h.term != "" && !h.excluded {
			out = append(out, t.ids[i])
		}
	}
	return out
}

// ThemeIDs returns the distinct themes of matches, in first-seen order.
func ThemeIDs(matches []Match) []string {
	var out []string
	for _, m := range matches {
		if !contains(out, m.Theme) {
			out = append(out, m.Theme)
		}
	}
	return out
}

// fold removes the Romanian diacritics (ă â î ș ț) so "intarziere" written
// without them matches "întârziere"; other text is returned as is.
func fold(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return string(appendFold(nil, s))
		}
	}
	return s
}

func appendFold(dst []byte, s string) []byte {
	ascii := true
	for i := 0; i < len(s) && ascii; i++ {
		ascii = s[i] < utf8.RuneSelf
	}
	if ascii {
		return append(dst, s...)
	}
	for _, r := range s {
		switch r {
		case 'ă', 'â':
			r = 'a'
		case 'î':
			r = 'i'
		case 'ș':
			r = 's'
		case 'ț':
			r = 't'
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

func dedupInts(s []int) []int {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
