package text

import (
	"math"
	"slices"
	"unicode/utf8"
)

// feature is one hashed feature with its value.
type feature struct {
	index uint32
	value float32
}

// fnv1a hashes s with 64-bit FNV-1a, seeded so that word, bigram and
// character features with equal text land apart.
func fnv1a(seed uint64, parts ...string) uint64 {
	h := uint64(14695981039346656037) ^ seed
	for k, s := range parts {
		if k > 0 {
			h ^= 0x1f
			h *= 1099511628211
		}
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= 1099511628211
		}
	}
	return h
}

// Feature kinds, used as hash seeds.
const (
	featWord = iota + 1
	featBigram
	featHanBigram
)

// extractFeatures turns tokens into a binary bag of hashed features (the
// "hashing trick", Weinberger et al. 2009): words, adjacent word pairs, and
// for Chinese the character pairs of the text, so that words the segmenter
// cut differently still share features. The vector is scaled to unit
// length, like a TF-IDF row, so long reviews do not dominate training.
// buf is reused when large enough.
func extractFeatures(tokens []string, bits uint, buf []feature) []feature {
	mask := uint64(1)<<bits - 1
	out := buf[:0]
	add := func(h uint64) { out = append(out, feature{index: uint32(h & mask), value: 1}) }
	var prevRune rune
	for i, t := range tokens {
		add(fnv1a(featWord, t))
		if i > 0 {
			add(fnv1a(featBigram, tokens[i-1], t))
		}
		r, _ := utf8.DecodeRuneInString(t)
		if !isHan(r) {
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
	sortFeatures(out)
	out = slices.CompactFunc(out, func(a, b feature) bool { return a.index == b.index })
	if len(out) > 0 {
		v := float32(1 / math.Sqrt(float64(len(out))))
		for i := range out {
			out[i].value = v
		}
	}
	return out
}

// sortFeatures sorts fs by index: by insertion, without a comparison
// function call per step, for the few dozen features of a comment, and
// with slices.SortFunc for more. Features of equal index are compacted
// afterwards and all have the value 1 here, so their order does not matter.
func sortFeatures(fs []feature) {
	if len(fs) > 64 {
		slices.SortFunc(fs, func(a, b feature) int { return int(a.index) - int(b.index) })
		return
	}
	for i := 1; i < len(fs); i++ {
		f := fs[i]
		j := i
		for j > 0 && fs[j-1].index > f.index {
			fs[j] = fs[j-1]
			j--
		}
		fs[j] = f
	}
}
