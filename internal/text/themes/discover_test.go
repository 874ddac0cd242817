package themes

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
	"unicode/utf8"

	"github.com/cxlens/cxlens/internal/text"
)

// negativeTweets returns the analysed negative tweets of the test slice with
// a known reason ("Can't Tell" left out) and the reason of each as an int.
func negativeTweets(t testing.TB) ([]text.Document, []int) {
	t.Helper()
	_, an := starterTagger(t)
	var docs []text.Document
	var labels []int
	ids := map[string]int{}
	for _, r := range readAirline(t) {
		if _, ok := reasonTheme[r.reason]; !ok {
			continue
		}
		if _, ok := ids[r.reason]; !ok {
			ids[r.reason] = len(ids)
		}
		docs = append(docs, an.AnalyzeAs(r.text, text.LangEnglish))
		labels = append(labels, ids[r.reason])
	}
	return docs, labels
}

// TestDiscoverOnAirlineReasons measures discovered themes against the nine
// reasons of the negative airline tweets, beside the TF-IDF k-means baseline
// of the issue, both with k = 9. Measured values with the default options,
// asserted to stay put. The method and its defaults were chosen on the nine
// other folds of the full data (TestDiscoverOnAirlineFolds), not on this
// slice, and the seed is the default. With seeds 1–5 this slice gives NMI
// 0.239, 0.247, 0.269, 0.247, 0.219 (the nine folds: 0.229–0.245 on
// average). Hand-written keyword rules score NMI 0.326 here
// (TestKeywordRulesOnAirlineReasons), a yardstick for word clusters.
func TestDiscoverOnAirlineReasons(t *testing.T) {
	t.Parallel()
	docs, labels := negativeTweets(t)
	d := Discover(docs, DiscoverOptions{Themes: 9})
	base := tfidfKMeans(docs, 9, 1)
	nmi, ari, pur := NMI(d.Assign, labels), ARI(d.Assign, labels), Purity(d.Assign, labels)
	bnmi, bari, bpur := NMI(base, labels), ARI(base, labels), Purity(base, labels)
	t.Logf("%d tweets: discover (%d themes) NMI %.3f ARI %.3f purity %.3f; TF-IDF k-means NMI %.3f ARI %.3f purity %.3f",
		len(docs), len(d.Codeframe.Themes), nmi, ari, pur, bnmi, bari, bpur)
	for _, th := range d.Codeframe.Themes {
		t.Logf("%s %q: %v", th.ID, th.Name, th.Terms["en"])
	}
	if len(d.Codeframe.Themes) != 9 {
		t.Errorf("%d themes, want 9", len(d.Codeframe.Themes))
	}
	want := []struct {
		name      string
		got, want float64
	}{
		{"discover NMI", nmi, 0.239},
		{"discover ARI", ari, 0.176},
		{"discover purity", pur, 0.583},
		{"baseline NMI", bnmi, 0.111}, // the reference: ≈ 0.11
		{"baseline ARI", bari, 0.069}, // the issue gives ≈ 0.05 for its k-means
		{"baseline purity", bpur, 0.450},
	}
	for _, w := range want {
		if math.Abs(w.got-w.want) > 0.005 {
			t.Errorf("%s = %.3f, want %.3f", w.name, w.got, w.want)
		}
	}
}

// TestDiscoverTrainThenClassify is the protocol: themes are
// discovered on the training rows only (the negative tweets with a known
// reason outside the test slice, testdata/airline-tweets-train-negative.csv;
// no reasons are used), and each test-slice tweet is then put in one of
// them by Discovery.Classify. NMI and ARI are against the test slice's
// reasons, beside the TF-IDF k-means baseline on the slice (NMI ≈ 0.11 in
// the issue; target NMI ≥ 0.25). Measured with the default options and
// seed, asserted to stay put.
func TestDiscoverTrainThenClassify(t *testing.T) {
	t.Parallel()
	_, an := starterTagger(t)
	train, _ := trainingNegativeTweets(t)
	d := Discover(train, DiscoverOptions{Themes: 9})
	docs, labels := negativeTweets(t)
	assign := make([]int, len(docs))
	none := 0
	for i, doc := range docs {
		if assign[i] = d.Classify(doc); assign[i] < 0 {
			none++
		}
	}
	nmi, ari := NMI(assign, labels), ARI(assign, labels)
	t.Logf("discovered on %d training tweets, %d themes; %d test tweets (%d without any term): NMI %.3f ARI %.3f purity %.3f",
		len(train), len(d.Codeframe.Themes), len(docs), none, nmi, ari, Purity(assign, labels))
	for _, th := range d.Codeframe.Themes {
		t.Logf("%s %q: %v", th.ID, th.Name, th.Terms["en"])
	}
	if len(d.Codeframe.Themes) != 9 {
		t.Errorf("%d themes, want 9", len(d.Codeframe.Themes))
	}
	for _, w := range []struct {
		name      string
		got, want float64
	}{{"NMI", nmi, 0.302}, {"ARI", ari, 0.233}} {
		if math.Abs(w.got-w.want) > 0.005 {
			t.Errorf("%s = %.3f, want %.3f", w.name, w.got, w.want)
		}
	}
	// A comment the discovery never saw lands in the theme of its words.
	for _, c := range []string{"you lost my bag and nobody at baggage claim can find it", "flight cancelled again, no rebooking"} {
		i := d.Classify(an.AnalyzeAs(c, text.LangEnglish))
		if i < 0 {
			t.Errorf("%q: no theme", c)
			continue
		}
		t.Logf("%q → %q", c, d.Codeframe.Themes[i].Name)
	}
	if i := d.Classify(an.AnalyzeAs("it is what it is", text.LangEnglish)); i != -1 {
		t.Errorf("a comment without any term got theme %d, want -1", i)
	}
}

func TestDiscoverSubThemes(t *testing.T) {
	t.Parallel()
	docs, _ := negativeTweets(t)
	d := Discover(docs, DiscoverOptions{Themes: 4, SubThemes: 2})
	if err := d.Codeframe.Validate(); err != nil {
		t.Fatal(err)
	}
	top, sub := 0, 0
	for _, th := range d.Codeframe.Themes {
		if th.Parent == "" {
			top++
		} else {
			sub++
		}
		if len(th.Terms["en"]) == 0 {
			t.Errorf("%s has no terms", th.ID)
		}
	}
	if top != 4 || sub == 0 {
		t.Errorf("%d themes, %d sub-themes", top, sub)
	}
	again := Discover(docs, DiscoverOptions{Themes: 4, SubThemes: 2})
	a, _ := d.Codeframe.MarshalJSON()
	b, _ := again.Codeframe.MarshalJSON()
	if string(a) != string(b) {
		t.Error("Discover is not deterministic")
	}
}

// tfidfKMeans is the baseline: spherical k-means on L2-normalised
// TF-IDF vectors of the content words (same filter as Discover, df ≥ 2),
// k-means++ seeded.
func tfidfKMeans(docs []text.Document, k int, seed uint64) []int {
	df := map[string]int{}
	for _, d := range docs {
		seen := map[string]bool{}
		for _, tok := range d.Tokens {
			if !text.IsStopword(d.Lang, tok) && utf8.RuneCountInString(tok) >= 2 && !seen[tok] {
				seen[tok] = true
				df[tok]++
			}
		}
	}
	var vocab []string
	for w, n := range df {
		if n >= 2 {
			vocab = append(vocab, w)
		}
	}
	sort.Strings(vocab)
	index := map[string]int{}
	for i, w := range vocab {
		index[w] = i
	}
	n := float64(len(docs))
	vecs := make([][]float64, len(docs))
	for i, d := range docs {
		v := make([]float64, len(vocab))
		any := false
		for _, tok := range d.Tokens {
			if j, ok := index[tok]; ok {
				v[j] += math.Log(n/float64(df[tok])) + 1
				any = true
			}
		}
		if any {
			normalize(v)
			vecs[i] = v
		}
	}
	all := make([]int, len(docs))
	for i := range all {
		all[i] = i
	}
	assign := make([]int, len(docs))
	for i := range assign {
		assign[i] = -1
	}
	for c, members := range clusterDocs(vecs, all, k, seed) {
		for _, d := range members {
			assign[d] = c
		}
	}
	return assign
}

// A discovered codeframe drives the tagger like a hand-made one.
func TestDiscoveredCodeframeTags(t *testing.T) {
	t.Parallel()
	docs, _ := negativeTweets(t)
	d := Discover(docs, DiscoverOptions{Themes: 9})
	_, an := starterTagger(t)
	tg := NewTagger(d.Codeframe, an)
	agree, tagged := 0, 0
	for i, doc := range docs {
		ids := tg.TagDocument(doc)
		if len(ids) > 0 {
			tagged++
		}
		if d.Assign[i] >= 0 && contains(ids, d.Codeframe.Themes[d.Assign[i]].ID) {
			agree++
		}
	}
	t.Logf("tagged %d of %d; %d tagged with their cluster's theme", tagged, len(docs), agree)
	if tagged < len(docs)/2 || agree < len(docs)/3 {
		t.Errorf("tagged %d, agree %d of %d", tagged, agree, len(docs))
	}
}

// clusterDocs is the baseline's spherical k-means (cosine similarity, unit
// centroids) on explicit vectors of the members that have one, seeded by k-means++ (Arthur & Vassilvitskii
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

// ARI against values from scikit-learn's adjusted_rand_score documentation.
func TestARI(t *testing.T) {
	t.Parallel()
	cases := []struct {
		a, b []int
		want float64
	}{
		{[]int{0, 0, 1, 1}, []int{0, 0, 1, 1}, 1},
		{[]int{0, 0, 1, 1}, []int{1, 1, 0, 0}, 1},
		{[]int{0, 0, 1, 2}, []int{0, 0, 1, 1}, 0.5714285714285715},
		{[]int{0, 0, 1, 1}, []int{0, 1, 0, 1}, -0.5},
		{[]int{0, 0, 0, 0}, []int{0, 1, 2, 3}, 0},
	}
	for _, c := range cases {
		if got := ARI(c.a, c.b); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("ARI(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
