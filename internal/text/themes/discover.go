package themes

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/cxlens/cxlens/internal/text"
)

// DiscoverOptions tune Discover; the zero value gives the defaults.
type DiscoverOptions struct {
	Themes        int     // top-level themes; default 10
	SubThemes     int     // sub-themes per theme; default 0 (none)
	Terms         int     // candidate terms kept, by document frequency; default 400
	MinDF         int     // least documents a term must occur in; default 3
	MaxDF         float64 // largest share of documents a term may occur in; default 0.2
	TermsPerTheme int     // terms written into each theme; default 15
	Seed          uint64  // k-means++ seeding; default 1
}

func (o DiscoverOptions) withDefaults() DiscoverOptions {
	if o.Themes <= 0 {
		o.Themes = 10
	}
	if o.Terms <= 0 {
		o.Terms = 400
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
}

// Discover proposes a codeframe from unlabelled comments:
//
//  1. candidate terms are the content words (not stopwords, two letters or
//     more) and collocations (text.Collocations) occurring in at least
//     MinDF and at most MaxDF of the documents, the Terms most frequent;
//  2. each term is described by its positive PMI with every other term over
//     document co-occurrence (a distributional profile: terms used in the
//     same complaints get similar profiles even when they rarely co-occur
//     themselves, e.g. "delayed" and "late");
//  3. each document is the idf-weighted sum of its terms' profiles, and the
//     documents are clustered by spherical k-means (k-means++ seeding);
//  4. each term goes to the cluster holding most of its documents, and a
//     theme keeps the TermsPerTheme terms that best separate its cluster
//     (share of the term's documents in it × log of their count); the two
//     best name it. With SubThemes > 0 each theme's documents are clustered
//     again the same way.
//
// Unlike k-means on TF-IDF vectors, short comments sharing no word can still
// land together through the profiles of their words.
func Discover(docs []text.Document, opts DiscoverOptions) Discovery {
	o := opts.withDefaults()
	terms, docTerms := candidateTerms(docs, o)
	vecs := docVectors(docTerms, len(terms), len(docs))
	all := make([]int, len(docs))
	for i := range all {
		all[i] = i
	}
	assign := make([]int, len(docs))
	for i := range assign {
		assign[i] = -1
	}
	var themes []Theme
	top := clusterDocs(vecs, all, o.Themes, o.Seed)
	topCounts := termCounts(top, docTerms)
	for c, members := range top {
		if len(members) == 0 {
			continue
		}
		th := describe(fmt.Sprintf("theme-%d", len(themes)+1), "", topCounts, terms, c, o.TermsPerTheme)
		idx := len(themes)
		themes = append(themes, th)
		for _, d := range members {
			assign[d] = idx
		}
		if o.SubThemes > 1 && len(members) >= 4*o.SubThemes {
			sub := clusterDocs(vecs, members, o.SubThemes, o.Seed)
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
	return Discovery{Codeframe: c, Assign: assign}
}

type term struct {
	lang, text string
	df         int
}

// candidateTerms returns the kept terms and, per document, the indices of
// the terms it contains (each once).
func candidateTerms(docs []text.Document, o DiscoverOptions) ([]term, [][]int) {
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
	for i, d := range docs {
		lang := d.Lang.Base()
		seen := map[[2]string]bool{}
		for j, tok := range d.Tokens {
			if !text.IsStopword(d.Lang, tok) && utf8.RuneCountInString(tok) >= 2 {
				seen[[2]string{lang, tok}] = true
			}
			if j+1 < len(d.Tokens) {
				if p, ok := phrases[string(d.Lang)+"\x00"+tok+"\x00"+d.Tokens[j+1]]; ok {
					seen[[2]string{lang, p}] = true
				}
			}
		}
		for k := range seen {
			df[k]++
			perDoc[i] = append(perDoc[i], k)
		}
	}
	maxDF := int(o.MaxDF * float64(len(docs)))
	var terms []term
	for k, n := range df {
		if n >= o.MinDF && n <= maxDF {
			terms = append(terms, term{lang: k[0], text: k[1], df: n})
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
	return terms, docTerms
}

// docVectors builds the document vectors of step 3: Σ idf(t)·PPMI(t, ·),
// L2-normalised; documents without terms get nil.
func docVectors(docTerms [][]int, k, n int) [][]float64 {
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
	prof := make([]float64, k*k)
	for t := 0; t < k; t++ {
		best := 0.0
		for u := 0; u < k; u++ {
			if c := co[t*k+u]; c > 0 {
				v := math.Log(c * float64(n) / (df[t] * df[u]))
				if v > 0 {
					prof[t*k+u] = v
					best = max(best, v)
				}
			}
		}
		prof[t*k+t] = max(best, 1)
		normalize(prof[t*k : (t+1)*k])
	}
	vecs := make([][]float64, len(docTerms))
	for i, ts := range docTerms {
		if len(ts) == 0 {
			continue
		}
		v := make([]float64, k)
		for _, t := range ts {
			idf := math.Log(float64(n) / df[t])
			for u, p := range prof[t*k : (t+1)*k] {
				v[u] += idf * p
			}
		}
		normalize(v)
		vecs[i] = v
	}
	return vecs
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

// clusterDocs runs spherical k-means (cosine similarity, unit centroids) on
// the members that have a vector, seeded by k-means++ (Arthur & Vassilvitskii
// 2007) with distance 1 − cosine. It returns the members of each cluster.
func clusterDocs(vecs [][]float64, members []int, k int, seed uint64) [][]int {
	var pts []int
	for _, d := range members {
		if vecs[d] != nil {
			pts = append(pts, d)
		}
	}
	if len(pts) == 0 {
		return nil
	}
	k = min(k, len(pts))
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	dim := len(vecs[pts[0]])
	cent := [][]float64{append([]float64(nil), vecs[pts[rng.IntN(len(pts))]]...)}
	dist := make([]float64, len(pts))
	for len(cent) < k {
		total := 0.0
		for i, d := range pts {
			best := math.Inf(1)
			for _, c := range cent {
				best = min(best, 1-dot(vecs[d], c))
			}
			dist[i] = max(0, best) * max(0, best)
			total += dist[i]
		}
		if total == 0 {
			break
		}
		r := rng.Float64() * total
		pick := len(pts) - 1
		for i, w := range dist {
			if r -= w; r <= 0 {
				pick = i
				break
			}
		}
		cent = append(cent, append([]float64(nil), vecs[pts[pick]]...))
	}
	assign := make([]int, len(pts))
	for iter := 0; iter < 30; iter++ {
		changed := false
		for i, d := range pts {
			best, bi := math.Inf(-1), 0
			for c, cv := range cent {
				if s := dot(vecs[d], cv); s > best {
					best, bi = s, c
				}
			}
			if iter == 0 || assign[i] != bi {
				changed = changed || iter > 0
				assign[i] = bi
			}
		}
		if iter > 0 && !changed {
			break
		}
		for c := range cent {
			cent[c] = make([]float64, dim)
		}
		for i, d := range pts {
			for j, x := range vecs[d] {
				cent[assign[i]][j] += x
			}
		}
		for c := range cent {
			normalize(cent[c])
		}
	}
	out := make([][]int, len(cent))
	for i, d := range pts {
		out[assign[i]] = append(out[assign[i]], d)
	}
	return out
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
		if cnt < 2 {
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
