package themes

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/cxlens/cxlens/internal/text"
)

// ExampleOptions tune FromExamples; the zero value gives the defaults.
type ExampleOptions struct {
	TermsPerTheme int     // terms kept per theme; default 20
	MinCount      int     // least labelled comments a term must occur in; default 3
	MinPrecision  float64 // least share of a term's comments carrying the label; default 0.5
}

// FromExamples builds a codeframe from labelled comments (a team's hand
// coding, or the reasons of a labelled data set): one top-level theme per
// label, in order of first appearance, whose terms are the content words
// and collocations (as Discover finds them, without the word prefixes)
// that best mark the label: each term occurring in at least MinCount
// comments goes to the label holding the largest share of them, if that
// share is at least MinPrecision, and a theme keeps its TermsPerTheme terms
// with the highest share × log(count). The terms are plain words the tagger
// matches, so the codeframe stays readable and editable.
func FromExamples(name string, docs []text.Document, labels []string, opts ExampleOptions) (Codeframe, error) {
	if len(docs) != len(labels) {
		return Codeframe{}, fmt.Errorf("themes: %d comments but %d labels", len(docs), len(labels))
	}
	if opts.TermsPerTheme <= 0 {
		opts.TermsPerTheme = 20
	}
	if opts.MinCount <= 0 {
		opts.MinCount = 3
	}
	if opts.MinPrecision <= 0 {
		opts.MinPrecision = 0.5
	}
	var order []string
	index := map[string]int{}
	for _, l := range labels {
		if _, ok := index[l]; !ok && l != "" {
			index[l] = len(order)
			order = append(order, l)
		}
	}
	_, _, phrases := candidateTerms(docs, DiscoverOptions{}.withDefaults())
	counts := map[[2]string][]int{} // term → comments per label
	seen := map[[2]string]bool{}
	for i, d := range docs {
		l, ok := index[labels[i]]
		if !ok {
			continue
		}
		for _, k := range docKeys(d, phrases, seen) {
			if strings.HasPrefix(k[1], prefixMark) {
				continue
			}
			c := counts[k]
			if c == nil {
				c = make([]int, len(order))
				counts[k] = c
			}
			c[l]++
		}
	}
	type scored struct {
		lang, term string
		score      float64
	}
	per := make([][]scored, len(order))
	for k, c := range counts {
		total, best := 0, 0
		for l, n := range c {
			total += n
			if n > c[best] {
				best = l
			}
		}
		share := float64(c[best]) / float64(total)
		if total < opts.MinCount || share < opts.MinPrecision {
			continue
		}
		per[best] = append(per[best], scored{k[0], k[1], share * math.Log(float64(c[best]))})
	}
	themes := make([]Theme, 0, len(order))
	for l, label := range order {
		s := per[l]
		sort.Slice(s, func(i, j int) bool {
			if s[i].score != s[j].score {
				return s[i].score > s[j].score
			}
			return s[i].lang+s[i].term < s[j].lang+s[j].term
		})
		th := Theme{ID: fmt.Sprintf("label-%d", l+1), Name: label, Terms: map[string][]string{}}
		for _, x := range s[:min(len(s), opts.TermsPerTheme)] {
			th.Terms[x.lang] = append(th.Terms[x.lang], x.term)
		}
		themes = append(themes, th)
	}
	return New(name, themes)
}
