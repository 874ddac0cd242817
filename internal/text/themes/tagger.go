package themes

import (
	"math/bits"
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
	terms    []string            // terms as written, by entry.term; terms[0] is none
	matchers map[string]*matcher // by base language
	scratch  sync.Pool           // *tagScratch, so tagging does not allocate per-theme state
}

// tagScratch is the per-call state of tag, reused through Tagger.scratch.
type tagScratch struct {
	hits   []hit           // by theme
	seen   []uint64        // bit set of the themes with a hit, cleared as they are read
	groups [][]entry       // the entries found in one sentence, in scan order
	toks   []string        // tokens, when the caller does not keep them
	found  []found         // matches, made into Matches at the end
	sents  []text.Sentence // the sentences of the comment
	buf    []byte          // folded, joined tokens looked up in the matcher
}

// matcher finds the terms of one language in a token list. Terms are looked
// up as the join of consecutive tokens ("lost luggage"; for Chinese without a
// separator, so a term the segmenter cuts differently inside a sentence still
// matches as long as it starts and ends on word boundaries).
type matcher struct {
	sep string
	// exact holds every byte prefix of every term's key, so a scan stops
	// extending a join as soon as no term can start with it; most tokens
	// of a comment cost one lookup.
	exact     map[string]*node
	maxTokens int // the most tokens an exact term spans
	// prefix holds the single words written with a trailing "*", with all
	// their byte prefixes in the same way.
	prefix    map[string]*node
	prefixLen []int // distinct byte lengths of the prefixes
}

// node is one key (or key prefix) of a matcher.
type node struct {
	entries []entry // the terms whose key this is, in codeframe order
	longer  bool    // some key is longer and starts with this one
}

// entry is one term of one theme under a key. Terms are numbered (1 and
// up, in Tagger.terms) so that the per-call state holds no pointers.
type entry struct {
	theme   int
	term    int32
	exclude bool
}

// found is a match before it becomes a Match: theme, term and sentence by
// number.
type found struct {
	theme, term, sentence int32
}

// NewTagger compiles c for tagging with an: each term goes through the same
// analysis as comments, so it matches whatever the normalisation does (case,
// Romanian cedillas, Traditional Chinese). A codeframe with Chinese terms
// loads an's segmenter here.
func NewTagger(c Codeframe, an *text.Analyzer) *Tagger {
	t := &Tagger{an: an, terms: []string{""}, matchers: map[string]*matcher{}}
	t.scratch.New = func() any { return &tagScratch{} }
	for i, th := range c.Themes {
		t.ids = append(t.ids, th.ID)
		for lang, terms := range th.Terms {
			for _, term := range terms {
				t.matcher(lang).add(an, lang, term, entry{theme: i, term: t.term(term)})
			}
		}
		for lang, terms := range th.Exclude {
			for _, term := range terms {
				t.matcher(lang).add(an, lang, term, entry{theme: i, term: t.term(term), exclude: true})
			}
		}
	}
	return t
}

// term returns a new number for the term s.
func (t *Tagger) term(s string) int32 {
	t.terms = append(t.terms, s)
	return int32(len(t.terms) - 1)
}

func (t *Tagger) matcher(lang string) *matcher {
	m := t.matchers[lang]
	if m == nil {
		m = &matcher{sep: " ", exact: map[string]*node{}, prefix: map[string]*node{}}
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
		if n := m.prefix[p]; n == nil || len(n.entries) == 0 {
			m.prefixLen = append(m.prefixLen, len(p))
			sort.Ints(m.prefixLen)
			m.prefixLen = dedupInts(m.prefixLen)
		}
		addKey(m.prefix, p, e)
		return
	}
	for i := range toks {
		toks[i] = fold(toks[i])
	}
	addKey(m.exact, strings.Join(toks, m.sep), e)
	m.maxTokens = max(m.maxTokens, len(toks))
}

// addKey adds e under key, and key's byte prefixes as nodes without entries.
func addKey(keys map[string]*node, key string, e entry) {
	for n := 1; n <= len(key); n++ {
		nd := keys[key[:n]]
		if nd == nil {
			nd = &node{}
			keys[key[:n]] = nd
		}
		if n < len(key) {
			nd.longer = true
		} else {
			nd.entries = append(nd.entries, e)
		}
	}
}

// scan appends to groups the entries of every term occurrence in toks, in
// the order of the occurrences' first token, then the exact terms by length,
// then the prefixes by length. buf is scratch space, returned for reuse.
func (m *matcher) scan(toks []string, buf []byte, groups [][]entry) ([]byte, [][]entry) {
	for i := range toks {
		buf = appendFold(buf[:0], toks[i])
		first := len(buf) // buf[:first] is the folded token i
		for j := i; j < len(toks) && j-i < m.maxTokens; j++ {
			if j > i {
				buf = append(buf, m.sep...)
				buf = appendFold(buf, toks[j])
			}
			nd := m.exact[string(buf)]
			if nd == nil {
				break // no term starts with the tokens so far
			}
			if len(nd.entries) > 0 {
				groups = append(groups, nd.entries)
			}
			if !nd.longer {
				break
			}
		}
		for _, n := range m.prefixLen {
			if n > first {
				break
			}
			nd := m.prefix[string(buf[:n])]
			if nd == nil {
				break
			}
			if len(nd.entries) > 0 {
				groups = append(groups, nd.entries)
			}
			if !nd.longer {
				break
			}
		}
	}
	return buf, groups
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
	// The scratch state goes back to the pool at the end, not deferred:
	// after a panic it could hold hits of this comment.
	sc := t.getScratch()
	out := sc.found[:0]
	// all collects the tokens of every sentence, copied at the end to a
	// slice of their number if the caller keeps them.
	all := sc.toks[:0]
	sc.sents = text.AppendSentences(sc.sents[:0], comment)
	for si, s := range sc.sents {
		from := len(all)
		all = t.an.AppendTokens(all, s.Text, lang)
		sc.buf, sc.groups = m.scan(all[from:], sc.buf, sc.groups[:0])
		sc.mark()
		out = sc.drain(out, int32(si))
	}
	var matches []Match
	if len(out) > 0 {
		matches = make([]Match, len(out))
		for i, f := range out {
			matches[i] = Match{Theme: t.ids[f.theme], Term: t.terms[f.term], Sentence: sc.sents[f.sentence]}
		}
	}
	sc.found = out[:0]
	clear(sc.sents)   // drop the references to the comment before pooling
	var toks []string // nil without tokens, as when appended to a nil slice
	if keep && len(all) > 0 {
		toks = make([]string, len(all))
		copy(toks, all)
	}
	clear(all)
	sc.toks = all[:0]
	t.scratch.Put(sc)
	return matches, toks
}

// mark records the entries of sc.groups in sc.hits and sc.seen. The hits
// are indexed by theme and seen marks the themes hit, so a sentence costs
// what it matches, and the themes come out in codeframe order without
// sorting. A theme keeps the first term found.
func (sc *tagScratch) mark() {
	for _, g := range sc.groups {
		for _, e := range g {
			h := &sc.hits[e.theme]
			sc.seen[e.theme>>6] |= 1 << (e.theme & 63)
			if e.exclude {
				h.excluded = true
			} else if h.term == 0 {
				h.term = e.term
			}
		}
	}
}

// drain appends a match in sentence s for each theme marked in sc.seen
// that has a term and no exclusion, in codeframe order, and resets the
// marked hits.
func (sc *tagScratch) drain(out []found, s int32) []found {
	for w, bitsLeft := range sc.seen {
		for bitsLeft != 0 {
			i := w<<6 | bits.TrailingZeros64(bitsLeft)
			bitsLeft &= bitsLeft - 1
			if h := sc.hits[i]; h.term != 0 && !h.excluded {
				out = append(out, found{theme: int32(i), term: h.term, sentence: s})
			}
			sc.hits[i] = hit{}
		}
		sc.seen[w] = 0
	}
	return out
}

// getScratch returns pooled state sized for the codeframe.
func (t *Tagger) getScratch() *tagScratch {
	sc := t.scratch.Get().(*tagScratch)
	if len(sc.hits) != len(t.ids) {
		sc.hits = make([]hit, len(t.ids))
		sc.seen = make([]uint64, (len(t.ids)+63)/64)
	}
	return sc
}

type hit struct {
	term     int32 // the first term found, 0 for none
	excluded bool
}

// TagDocument returns the IDs of the themes found in an analysed comment,
// in codeframe order, without sentence positions: the fast path for
// callers that only count themes. Exclusions apply to the whole document.
func (t *Tagger) TagDocument(doc text.Document) []string {
	m := t.matchers[doc.Lang.Base()]
	if m == nil {
		return nil
	}
	sc := t.getScratch()
	sc.buf, sc.groups = m.scan(doc.Tokens, sc.buf, sc.groups[:0])
	sc.mark()
	sc.found = sc.drain(sc.found[:0], 0)
	var out []string
	for _, f := range sc.found {
		out = append(out, t.ids[f.theme])
	}
	t.scratch.Put(sc)
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
