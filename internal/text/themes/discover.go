package themes

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"gonum.org/v1/gonum/mat"

	"github.com/cxlens/cxlens/internal/text"
)

// DiscoverOptions tune Discover; the zero value gives the defaults.
type DiscoverOptions struct {
	Themes        int     // top-level themes; default 10
	SubThemes     int     // sub-themes per theme; default 0 (none)
	Terms         int     // candidate terms kept, by document frequency; default 2000
	MinDF         int     // least documents a term must occur in; default 3
	MaxDF         float64 // largest share of documents a term may occur in; default 0.2
	TermsPerTheme int     // terms written into each theme; default 15
	Runs          int     // k-means runs combined into the themes; default 10
	Seed          uint64  // k-means++ seeding of the first run; default 1
}

func (o DiscoverOptions) withDefaults() DiscoverOptions {
	if o.Themes <= 0 {
		o.Themes = 10
	}
	if o.Terms <= 0 {
		o.Terms = 2000
	}
	if o.MinDF <= 0 {
		o.MinDF = 3
	}
	if o.MaxDF <= 0 {
		o.MaxDF = 0.2
	}
	if o.TermsPerTheme <= 0 {
		o.TermsPerTheme = 15
	}
	if o.Runs <= 0 {
		o.Runs = 10
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	return o
}

// Discovery is a proposed codeframe and the theme each document was put in.
type Discovery struct {
	Codeframe Codeframe
	// Assign is the index into Codeframe.Themes of each document's
	// top-level theme, or −1 for a document without any candidate term.
	Assign []int

	model *discoveryModel // for Classify
}

// discoveryModel is what Classify needs of a discovery: the candidate terms,
// the collocations, and each term's weight for each top-level theme.
type discoveryModel struct {
	index   map[[2]string]int
	phrases map[string]string
	w       []float64 // w[t*len(themes)+c], as in the refinement of step 4
	themes  []int     // cluster → index into Codeframe.Themes
}

// Classify puts a document that was not part of the discovery (a new
// comment) in a top-level theme, by the rule of step 4: the theme c that
// maximises Σ idf(t)·max(0, cos(profile(t), centroid(c)))⁴ over its
// candidate terms t. It returns an index into Codeframe.Themes, or −1 when
// the document has none of the terms.
func (d Discovery) Classify(doc text.Document) int {
	m := d.model
	if m == nil || len(m.themes) == 0 {
		return -1
	}
	nc := len(m.themes)
	score := make([]float64, nc)
	for _, k := range docKeys(doc, m.phrases, map[[2]string]bool{}) {
		t, ok := m.index[k]
		if !ok {
			continue
		}
		for c, x := range m.w[t*nc : (t+1)*nc] {
			score[c] += x
		}
	}
	best, bi := 0.0, -1
	for c, x := range score {
		if x > best {
			best, bi = x, c
		}
	}
	if bi < 0 {
		return -1
	}
	return m.themes[bi]
}

// Discover proposes a codeframe from unlabelled comments:
//
//  1. candidate terms are the content words (not stopwords, two letters or
//     more), collocations (text.Collocations) and word prefixes (below)
//     occurring in at least MinDF and at most MaxDF of the documents, the
//     Terms most frequent;
//  2. each term is described by its positive PMI with every other term over
//     document co-occurrence (a distributional profile: terms used in the
//     same complaints get similar profiles even when they rarely co-occur
//     themselves, e.g. "delayed" and "late");
//  3. each document is the idf-weighted sum of its terms' profiles, and the
//     documents are clustered by spherical k-means (k-means++ seeding);
//  4. the clusters are refined: each document goes to the theme c that
//     maximises Σ idf(t)·max(0, cos(profile(t), centroid(c)))⁴ over its
//     terms t, and the centroids are recomputed, until no document moves.
//     The fourth power lets the document's term closest to a theme (its most
//     specific word, "lost" or "cancelled") outweigh its generic words
//     ("now", "time", "help"), which plain k-means lets pull short comments
//     into catch-all clusters;
//  5. steps 3 and 4 run Runs times from different seeds, and the runs are
//     combined into one clustering: each document goes to the theme whose
//     documents most often shared its cluster in every run (a consensus
//     clustering, below), which is steadier than any one run;
//  6. each term goes to the cluster holding most of its documents, and a
//     theme keeps the TermsPerTheme terms that best separate its cluster
//     (share of the term's documents in it × log of their count); the two
//     best name it. With SubThemes > 0 each theme's documents are clustered
//     again the same way.
//
// The word prefixes of step 1 are the first three letters of each word of
// an alphabetic script ("bag" for bag, bags and baggage; "del" for delay,
// delayed and delays): a crude stemmer that needs no language rules, so
// inflected forms share evidence, which matters most on a few hundred short
// comments. They take part in the profiles and the clustering but are never
// written into the codeframe. Words in scripts without inflection by
// suffix (Chinese, Japanese, Korean, Thai) get none.
//
// The consensus is the mixture model of Topchy, Jain & Punch (2005,
// "Clustering ensembles: models of consensus and weak partitions", IEEE
// TPAMI 27(12)) fitted with hard assignments: a document's labels in the
// runs are independent given its theme, P(label in run r | theme c) is the
// share of c's documents with that label (smoothed by 0.1), and the
// documents are reassigned, starting from the run that agrees most with the
// others (highest total NMI), until none moves.
//
// Unlike k-means on TF-IDF vectors, short comments sharing no word can still
// land together through the profiles of their words. The document vectors
// are never built: with the terms' Gram matrix every cosine of step 3 and 4
// is a sum over a document's terms, so memory and time grow with the number
// of term occurrences (plus the Terms × Terms Gram matrix), not with
// documents × terms.
func Discover(docs []text.Document, opts DiscoverOptions) Discovery {
	o := opts.withDefaults()
	terms, docTerms, phrases := candidateTerms(docs, o)
	sp := newSpace(docTerms, len(terms))
	all := make([]int, len(docs))
	for i := range all {
		all[i] = i
	}
	assign := make([]int, len(docs))
	for i := range assign {
		assign[i] = -1
	}
	var themes []Theme
	top := sp.consensus(all, o.Themes, o.Seed, o.Runs)
	topCounts := termCounts(top, docTerms)
	model := &discoveryModel{index: make(map[[2]string]int, len(terms)), phrases: phrases}
	for i, t := range terms {
		model.index[[2]string{t.lang, t.text}] = i
	}
	var kept [][]int
	for c, members := range top {
		if len(members) == 0 {
			continue
		}
		th := describe(fmt.Sprintf("theme-%d", len(themes)+1), "", topCounts, terms, c, o.TermsPerTheme)
		idx := len(themes)
		kept = append(kept, members)
		model.themes = append(model.themes, idx)
		themes = append(themes, th)
		for _, d := range members {
			assign[d] = idx
		}
		if o.SubThemes > 1 && len(members) >= 4*o.SubThemes {
			sub := sp.consensus(members, o.SubThemes, o.Seed, o.Runs)
			subCounts := termCounts(sub, docTerms)
			for sc, sm := range sub {
				if len(sm) > 0 {
					themes = append(themes, describe(fmt.Sprintf("%s-%d", th.ID, sc+1), th.ID, subCounts, terms, sc, o.TermsPerTheme))
				}
			}
		}
	}
	c, err := New("discovered", themes)
	if err != nil {
		// IDs are generated unique and parents precede children.
		panic(fmt.Sprintf("themes: discovered codeframe: %v", err))
	}
	model.w = sp.refinedWeights(kept)
	return Discovery{Codeframe: c, Assign: assign, model: model}
}

// refinedWeights returns, for the clusters' centroids, each term's weight
// for each cluster in the refinement of step 4: w[t*len(clusters)+c] =
// idf(t)·max(0, cos(P_t, centroid c))⁴.
func (sp *space) refinedWeights(clusters [][]int) []float64 {
	nc := len(clusters)
	w := make([]float64, sp.k*nc)
	for c, members := range clusters {
		a := make([]float64, sp.k)
		for _, d := range members {
			sp.addDoc(a, d)
		}
		for t, x := range sp.project(a) {
			if x > 0 {
				x *= x
				w[t*nc+c] = sp.idf[t] * x * x
			}
		}
	}
	return w
}

type term struct {
	lang, text string
	df         int
	prefix     bool // a word prefix: clustered on, never written out
}

// prefixRunes is the length of the word prefixes of step 1.
const prefixRunes = 3

// prefixMark starts the key of a word prefix, so "bag" the prefix and "bag"
// the word stay apart.
const prefixMark = "\x01"

// wordPrefix returns the prefix feature of tok, or "" when it has none: too
// short, not starting with a letter, or in a script that does not inflect
// by suffix.
func wordPrefix(tok string) string {
	if utf8.RuneCountInString(tok) < prefixRunes {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(tok)
	if !unicode.IsLetter(r) || unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Thai) {
		return ""
	}
	n := 0
	for i := range tok {
		if n == prefixRunes {
			return prefixMark + tok[:i]
		}
		n++
	}
	return prefixMark + tok
}

// candidateTerms returns the kept terms, per document the indices of the
// terms it contains (each once), and the collocations (see docKeys).
func candidateTerms(docs []text.Document, o DiscoverOptions) ([]term, [][]int, map[string]string) {
	// Collocations per language, as phrase lookups "first\x00second".
	byLang := map[text.Lang][][]string{}
	for _, d := range docs {
		byLang[d.Lang] = append(byLang[d.Lang], d.Tokens)
	}
	phrases := map[string]string{}
	for lang, toks := range byLang {
		for _, p := range text.Collocations(toks, lang, o.MinDF, 0.3) {
			phrases[string(lang)+"\x00"+p.First+"\x00"+p.Second] = p.Text
		}
	}
	df := map[[2]string]int{}
	perDoc := make([][][2]string, len(docs))
	seen := map[[2]string]bool{}
	for i, d := range docs {
		perDoc[i] = docKeys(d, phrases, seen)
		for _, k := range perDoc[i] {
			df[k]++
		}
	}
	maxDF := int(o.MaxDF * float64(len(docs)))
	var terms []term
	for k, n := range df {
		if n >= o.MinDF && n <= maxDF {
			terms = append(terms, term{lang: k[0], text: k[1], df: n, prefix: strings.HasPrefix(k[1], prefixMark)})
		}
	}
	sort.Slice(terms, func(i, j int) bool {
		if terms[i].df != terms[j].df {
			return terms[i].df > terms[j].df
		}
		return terms[i].lang+terms[i].text < terms[j].lang+terms[j].text
	})
	if len(terms) > o.Terms {
		terms = terms[:o.Terms]
	}
	index := make(map[[2]string]int, len(terms))
	for i, t := range terms {
		index[[2]string{t.lang, t.text}] = i
	}
	docTerms := make([][]int, len(docs))
	for i, ks := range perDoc {
		for _, k := range ks {
			if j, ok := index[k]; ok {
				docTerms[i] = append(docTerms[i], j)
			}
		}
		sort.Ints(docTerms[i])
	}
	return terms, docTerms, phrases
}

// docKeys returns the candidate keys (base language, term) of document d,
// each once: its content words (not stopwords, two letters or more), their
// word prefixes, and its collocations, looked up in phrases by
// "lang\x00first\x00second". seen is scratch space.
func docKeys(d text.Document, phrases map[string]string, seen map[[2]string]bool) [][2]string {
	lang := d.Lang.Base()
	clear(seen)
	for j, tok := range d.Tokens {
		if !text.IsStopword(d.Lang, tok) && utf8.RuneCountInString(tok) >= 2 {
			seen[[2]string{lang, tok}] = true
			if p := wordPrefix(tok); p != "" {
				seen[[2]string{lang, p}] = true
			}
		}
		if j+1 < len(d.Tokens) {
			if p, ok := phrases[string(d.Lang)+"\x00"+tok+"\x00"+d.Tokens[j+1]]; ok {
				seen[[2]string{lang, p}] = true
			}
		}
	}
	out := make([][2]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	return out
}

// space holds the document vectors of step 3 implicitly. Document d is
// v_d = Σ_{t∈d} idf(t)·P_t / norm(d), with P_t the unit PPMI profile of
// term t; only the terms' Gram matrix G = P·Pᵀ is kept. A centroid is a
// sum of document vectors, Σ_t a_t·P_t, stored as its coefficients a, and
// the cosine of each term's profile with it is (G·a)_t / √(aᵀ·G·a).
type space struct {
	k        int
	idf      []float64
	gram     []float64 // k×k
	docTerms [][]int
	norm     []float64 // |Σ idf·P_t| of each document; 0 without terms
}

func newSpace(docTerms [][]int, k int) *space {
	n := len(docTerms)
	co := make([]float64, k*k)
	df := make([]float64, k)
	for _, ts := range docTerms {
		for a, t := range ts {
			df[t]++
			for _, u := range ts[a+1:] {
				co[t*k+u]++
				co[u*k+t]++
			}
		}
	}
	// Row t of prof is PPMI(t, u) = max(0, ln(co·N/(df_t·df_u))); the
	// term's own entry is set to the row maximum so a term always resembles
	// itself.
	prof := co // each entry is read once, before it is overwritten
	for t := 0; t < k; t++ {
		row := prof[t*k : (t+1)*k]
		best := 0.0
		for u, c := range row {
			row[u] = 0
			if c > 0 {
				if v := math.Log(c * float64(n) / (df[t] * df[u])); v > 0 {
					row[u] = v
					best = max(best, v)
				}
			}
		}
		row[t] = max(best, 1)
		normalize(row)
	}
	sp := &space{k: k, idf: make([]float64, k), docTerms: docTerms, norm: make([]float64, n)}
	for t := range sp.idf {
		if df[t] > 0 {
			sp.idf[t] = math.Log(float64(n) / df[t])
		}
	}
	if k > 0 {
		var g mat.SymDense
		g.SymOuterK(1, mat.NewDense(k, k, prof))
		sp.gram = make([]float64, k*k)
		for t := 0; t < k; t++ {
			for u := t; u < k; u++ {
				x := g.At(t, u)
				sp.gram[t*k+u], sp.gram[u*k+t] = x, x
			}
		}
	}
	for d, ts := range docTerms {
		s := 0.0
		for _, t := range ts {
			row := sp.gram[t*k : (t+1)*k]
			for _, u := range ts {
				s += sp.idf[t] * sp.idf[u] * row[u]
			}
		}
		sp.norm[d] = math.Sqrt(s)
	}
	return sp
}

// project returns the cosine of every term's profile with the centroid
// whose coefficients are a, or nil for an empty centroid.
func (sp *space) project(a []float64) []float64 {
	q := make([]float64, sp.k)
	for u, x := range a {
		if x == 0 {
			continue
		}
		for t, g := range sp.gram[u*sp.k : (u+1)*sp.k] {
			q[t] += x * g
		}
	}
	if s := dot(a, q); s > 0 {
		s = 1 / math.Sqrt(s)
		for t := range q {
			q[t] *= s
		}
		return q
	}
	return nil
}

// addDoc adds document d's unit vector to the centroid coefficients a.
func (sp *space) addDoc(a []float64, d int) {
	for _, t := range sp.docTerms[d] {
		a[t] += sp.idf[t] / sp.norm[d]
	}
}

// cos is the cosine of document d with the centroid projected as q.
func (sp *space) cos(d int, q []float64) float64 {
	s := 0.0
	for _, t := range sp.docTerms[d] {
		s += sp.idf[t] * q[t]
	}
	return s / sp.norm[d]
}

// cluster runs spherical k-means (cosine similarity, unit centroids) on
// the members that have terms, seeded by k-means++ (Arthur & Vassilvitskii
// 2007) with distance 1 − cosine, then the refinement of step 4. It
// returns the members of each cluster.
func (sp *space) cluster(members []int, k int, seed uint64) [][]int {
	var pts []int
	for _, d := range members {
		if sp.norm[d] > 0 {
			pts = append(pts, d)
		}
	}
	if len(pts) == 0 {
		return nil
	}
	k = min(k, len(pts))
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	docCentroid := func(d int) []float64 {
		a := make([]float64, sp.k)
		sp.addDoc(a, d)
		return sp.project(a)
	}
	cent := [][]float64{docCentroid(pts[rng.IntN(len(pts))])}
	dist := make([]float64, len(pts))
	for i := range dist {
		dist[i] = math.Inf(1)
	}
	for len(cent) < k {
		total := 0.0
		last := cent[len(cent)-1]
		for i, d := range pts {
			dist[i] = min(dist[i], max(0, 1-sp.cos(d, last)))
			total += dist[i] * dist[i]
		}
		if total == 0 {
			break
		}
		r := rng.Float64() * total
		pick := len(pts) - 1
		for i, w := range dist {
			if r -= w * w; r <= 0 {
				pick = i
				break
			}
		}
		cent = append(cent, docCentroid(pts[pick]))
	}
	// Lloyd iterations on the cosine, then the refinement of step 4, each
	// until no document moves (at most 30 rounds).
	assign := make([]int, len(pts))
	for i := range assign {
		assign[i] = -1
	}
	// w[t*nc+c] is term t's share of a document's score for cluster c:
	// idf(t)·cos(P_t, centroid c), or its refined form idf(t)·max(0, cos)⁴.
	// A document's cosine is its score over its norm, which does not change
	// which cluster scores best.
	nc := len(cent)
	w := make([]float64, sp.k*nc)
	score := make([]float64, nc)
	sweep := func(refine bool) bool {
		clear(w)
		for c, q := range cent {
			for t, x := range q {
				if !refine {
					w[t*nc+c] = sp.idf[t] * x
				} else if x > 0 {
					x *= x
					w[t*nc+c] = sp.idf[t] * x * x
				}
			}
		}
		moved := false
		for i, d := range pts {
			clear(score)
			for _, t := range sp.docTerms[d] {
				for c, x := range w[t*nc : (t+1)*nc] {
					score[c] += x
				}
			}
			best, bi := math.Inf(-1), -1
			for c, s := range score {
				if cent[c] != nil && s > best {
					best, bi = s, c
				}
			}
			if bi < 0 || refine && best <= 0 {
				continue // no theme is closer than another: stay
			}
			if bi != assign[i] {
				assign[i] = bi
				moved = true
			}
		}
		return moved
	}
	recenter := func() {
		a := make([][]float64, len(cent))
		for c := range a {
			a[c] = make([]float64, sp.k)
		}
		for i, d := range pts {
			sp.addDoc(a[assign[i]], d)
		}
		for c := range cent {
			cent[c] = sp.project(a[c])
		}
	}
	sweep(false)
	for iter := 1; iter < 30; iter++ {
		recenter()
		if !sweep(false) {
			break
		}
	}
	for iter := 0; iter < 30; iter++ {
		recenter()
		if !sweep(true) {
			break
		}
	}
	out := make([][]int, len(cent))
	for i, d := range pts {
		out[assign[i]] = append(out[assign[i]], d)
	}
	return out
}

func normalize(v []float64) {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	if s == 0 {
		return
	}
	s = 1 / math.Sqrt(s)
	for i := range v {
		v[i] *= s
	}
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i, x := range a {
		s += x * b[i]
	}
	return s
}

// describe makes the theme of cluster c among clusters: the terms that
// occur in its documents at least as often as in any other cluster's, best
// first. counts[o][t] is the number of documents of cluster o with term t.
func describe(id, parent string, counts []map[int]int, terms []term, c, n int) Theme {
	type scored struct {
		t     int
		score float64
	}
	var best []scored
	for t, cnt := range counts[c] {
		if cnt < 2 || terms[t].prefix {
			continue
		}
		own := true
		for o := range counts {
			if o != c && counts[o][t] > cnt {
				own = false
				break
			}
		}
		if own {
			share := float64(cnt) / float64(terms[t].df)
			best = append(best, scored{t, share * math.Log(1+float64(cnt))})
		}
	}
	sort.Slice(best, func(i, j int) bool {
		if best[i].score != best[j].score {
			return best[i].score > best[j].score
		}
		return best[i].t < best[j].t
	})
	th := Theme{ID: id, Parent: parent, Terms: map[string][]string{}}
	var names []string
	for _, s := range best[:min(n, len(best))] {
		t := terms[s.t]
		th.Terms[t.lang] = append(th.Terms[t.lang], t.text)
		if len(names) < 2 {
			names = append(names, t.text)
		}
	}
	th.Name = strings.Join(names, " / ")
	if th.Name == "" {
		th.Name = id
	}
	return th
}

// termCounts returns, per cluster, the number of its documents with each term.
func termCounts(clusters [][]int, docTerms [][]int) []map[int]int {
	out := make([]map[int]int, len(clusters))
	for c, members := range clusters {
		out[c] = map[int]int{}
		for _, d := range members {
			for _, t := range docTerms[d] {
				out[c][t]++
			}
		}
	}
	return out
}

// consensus clusters the members runs times, the first from seed, and
// combines the runs as Discover describes. It returns the members of each
// theme.
func (sp *space) consensus(members []int, k int, seed uint64, runs int) [][]int {
	first := sp.cluster(members, k, seed)
	if runs <= 1 || len(first) == 0 {
		return first
	}
	var pts []int
	for _, ms := range first {
		pts = append(pts, ms...)
	}
	sort.Ints(pts)
	pos := make(map[int]int, len(pts))
	for i, d := range pts {
		pos[d] = i
	}
	labels := make([]int, len(pts)*runs) // labels[i*runs+r]: pts[i]'s cluster in run r
	nl := 0                              // largest number of clusters of a run
	for r := 0; r < runs; r++ {
		cl := first
		if r > 0 {
			cl = sp.cluster(members, k, seed+uint64(r)*0x9e3779b97f4a7c15)
		}
		nl = max(nl, len(cl))
		for c, ms := range cl {
			for _, d := range ms {
				labels[pos[d]*runs+r] = c
			}
		}
	}
	// Start from the run that agrees most with the others (highest total
	// NMI), a median partition, so one poor run does not set the start.
	byRun := make([][]int, runs)
	for r := range byRun {
		byRun[r] = make([]int, len(pts))
		for i := range pts {
			byRun[r][i] = labels[i*runs+r]
		}
	}
	start, bestAgree := 0, math.Inf(-1)
	for r := range byRun {
		agree := 0.0
		for q := range byRun {
			if q != r {
				agree += NMI(byRun[r], byRun[q])
			}
		}
		if agree > bestAgree {
			start, bestAgree = r, agree
		}
	}
	nc := nl
	assign := byRun[start]
	const smooth = 0.1
	cnt := make([]float64, nc*runs*nl) // cnt[(c*runs+r)*nl+l]
	size := make([]float64, nc)
	logp := make([]float64, nc*runs*nl)
	for iter := 0; iter < 30; iter++ {
		clear(cnt)
		clear(size)
		for i, c := range assign {
			size[c]++
			for r, l := range labels[i*runs : (i+1)*runs] {
				cnt[(c*runs+r)*nl+l]++
			}
		}
		for c := range nc {
			for j := c * runs * nl; j < (c+1)*runs*nl; j++ {
				logp[j] = math.Log((cnt[j] + smooth) / (size[c] + smooth*float64(nl)))
			}
		}
		moved := false
		for i := range pts {
			best, bi := math.Inf(-1), assign[i]
			for c := range nc {
				if size[c] == 0 {
					continue
				}
				s := 0.0
				for r, l := range labels[i*runs : (i+1)*runs] {
					s += logp[(c*runs+r)*nl+l]
				}
				if s > best {
					best, bi = s, c
				}
			}
			if bi != assign[i] {
				assign[i] = bi
				moved = true
			}
		}
		if !moved {
			break
		}
	}
	out := make([][]int, nc)
	for i, d := range pts {
		out[assign[i]] = append(out[assign[i]], d)
	}
	return out
}
