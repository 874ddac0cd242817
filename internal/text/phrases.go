package text

import (
	"math"
	"sort"
)

// Phrase is a collocation: two adjacent tokens seen together more often
// than chance.
type Phrase struct {
	First, Second string
	Text          string  // the phrase as written: "lost luggage", "送餐"+"速度" joined without a space
	Count         int     // times the pair occurs
	NPMI          float64 // normalised pointwise mutual information, −1..1
}

// Collocations finds the adjacent token pairs of docs (token lists from
// one language) that occur at least minCount times with normalised PMI
// of at least minNPMI, best first. NPMI (Bouma 2009, "Normalized
// (pointwise) mutual information in collocation extraction", GSCL) is
// log(p(xy)/(p(x)p(y))) / −log p(xy); it is 1 for words that only occur
// together and 0 for independent words. Pairs that include a stopword or a
// placeholder are skipped, so "the flight" never becomes a phrase, and
// pairs do not span a removed token.
func Collocations(docs [][]string, lang Lang, minCount int, minNPMI float64) []Phrase {
	if minCount < 1 {
		minCount = 1
	}
	type pair struct{ a, b string }
	unigrams := map[string]int{}
	bigrams := map[pair]int{}
	n := 0
	for _, toks := range docs {
		prev := ""
		for _, t := range toks {
			if IsStopword(lang, t) {
				prev = ""
				continue
			}
			unigrams[t]++
			n++
			if prev != "" {
				bigrams[pair{prev, t}]++
			}
			prev = t
		}
	}
	var out []Phrase
	for p, c := range bigrams {
		if c < minCount {
			continue
		}
		// Both probabilities over the same token count, so that
		// p(xy) ≤ min(p(x), p(y)) and NPMI ≤ 1.
		pxy := float64(c) / float64(n)
		px := float64(unigrams[p.a]) / float64(n)
		py := float64(unigrams[p.b]) / float64(n)
		npmi := 1.0
		if pxy < 1 {
			npmi = math.Log(pxy/(px*py)) / -math.Log(pxy)
		}
		if npmi < minNPMI {
			continue
		}
		sep := " "
		if lang.IsChinese() {
			sep = ""
		}
		out = append(out, Phrase{First: p.a, Second: p.b, Text: p.a + sep + p.b, Count: c, NPMI: npmi})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].NPMI != out[j].NPMI {
			return out[i].NPMI > out[j].NPMI
		}
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Text < out[j].Text
	})
	return out
}
