package themes

import "math"

// NMI is the normalised mutual information between two labellings of the
// same items, 2·I(A;B)/(H(A)+H(B)) (the arithmetic-mean normalisation,
// scikit-learn's default; Vinh, Epps & Bailey 2010, JMLR 11, Table 2). Labels
// are arbitrary ints, −1 included (an "unassigned" cluster counts as one
// cluster). It is 1 for identical partitions, 0 for independent ones, and 1
// when both labellings put everything in one cluster.
func NMI(a, b []int) float64 {
	n := float64(len(a))
	if n == 0 || len(a) != len(b) {
		return 0
	}
	ca, cb, joint := contingency(a, b)
	entropy := func(m map[int]float64) float64 {
		h := 0.0
		for _, c := range m {
			h -= c / n * math.Log(c/n)
		}
		return h
	}
	mi := 0.0
	for k, c := range joint {
		mi += c / n * math.Log(c*n/(ca[k[0]]*cb[k[1]]))
	}
	ha, hb := entropy(ca), entropy(cb)
	if ha+hb == 0 {
		return 1
	}
	return max(0, 2*mi/(ha+hb))
}

// Purity is the share of items whose cluster's most common class is their
// own class: Σ_clusters max_class |cluster ∩ class| / n (Manning, Raghavan
// & Schütze 2008, Introduction to Information Retrieval, §16.3).
func Purity(cluster, class []int) float64 {
	if len(cluster) == 0 || len(cluster) != len(class) {
		return 0
	}
	counts := map[int]map[int]int{}
	for i, c := range cluster {
		if counts[c] == nil {
			counts[c] = map[int]int{}
		}
		counts[c][class[i]]++
	}
	total := 0
	for _, m := range counts {
		best := 0
		for _, n := range m {
			best = max(best, n)
		}
		total += best
	}
	return float64(total) / float64(len(cluster))
}

// ARI is the adjusted Rand index between two labellings of the same items
// (Hubert & Arabie 1985, "Comparing partitions", J. Classification 2):
// the Rand index corrected for chance, 1 for identical partitions and about
// 0 for independent ones (it can be negative). Labels are arbitrary ints,
// −1 included (counted as one cluster).
func ARI(a, b []int) float64 {
	if len(a) == 0 || len(a) != len(b) {
		return 0
	}
	ca, cb, joint := contingency(a, b)
	pairs := func(x float64) float64 { return x * (x - 1) / 2 }
	index, sa, sb := 0.0, 0.0, 0.0
	for _, c := range joint {
		index += pairs(c)
	}
	for _, c := range ca {
		sa += pairs(c)
	}
	for _, c := range cb {
		sb += pairs(c)
	}
	expected := sa * sb / pairs(float64(len(a)))
	maxIndex := (sa + sb) / 2
	if maxIndex == expected {
		return 1
	}
	return (index - expected) / (maxIndex - expected)
}

// contingency counts the items per label of a, per label of b, and per pair
// of labels, for NMI and ARI.
func contingency(a, b []int) (ca, cb map[int]float64, joint map[[2]int]float64) {
	ca, cb, joint = map[int]float64{}, map[int]float64{}, map[[2]int]float64{}
	for i := range a {
		ca[a[i]]++
		cb[b[i]]++
		joint[[2]int{a[i], b[i]}]++
	}
	return ca, cb, joint
}
