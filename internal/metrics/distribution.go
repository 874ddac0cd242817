package metrics

import (
	"errors"
	"fmt"
	"math"
)

// ErrOutOfScale is returned (wrapped, naming the value) when a score lies
// outside its scale, or when two distributions on different scales are
// combined.
var ErrOutOfScale = errors.New("metrics: score out of scale")

// Scale is an inclusive range of integer answer values, e.g. 0–10 for NPS.
type Scale struct {
	// Min is the lowest answer value.
	Min int
	// Max is the highest answer value.
	Max int
}

// The standard scales of cxlens's KPIs (DESIGN.md, "The KPIs").
var (
	// NPSScale is the 0–10 "how likely to recommend" scale.
	NPSScale = Scale{Min: 0, Max: 10}
	// CSATScale is the default 1–5 satisfaction scale.
	CSATScale = Scale{Min: 1, Max: 5}
	// CESScale is the 1–7 "easy to resolve" effort scale.
	CESScale = Scale{Min: 1, Max: 7}
)

// maxScaleSize bounds how many answer values a scale may have, so that a bad
// configuration cannot make NewDistribution allocate without limit.
const maxScaleSize = 1001

// Valid reports whether the scale has at least two values and at most 1001.
func (s Scale) Valid() bool {
	// The middle test catches Max−Min overflowing int.
	return s.Max > s.Min && s.Max-s.Min > 0 && s.Max-s.Min < maxScaleSize
}

// Size returns the number of answer values on the scale (0 if invalid).
func (s Scale) Size() int {
	if !s.Valid() {
		return 0
	}
	return s.Max - s.Min + 1
}

// Contains reports whether score is a value on the scale.
func (s Scale) Contains(score int) bool {
	return score >= s.Min && score <= s.Max
}

// String formats the scale as "min–max".
func (s Scale) String() string {
	return fmt.Sprintf("%d–%d", s.Min, s.Max)
}

// Distribution is the number of responses per answer value on a scale. The
// zero value is an empty distribution on no scale; use NewDistribution.
type Distribution struct {
	scale  Scale
	counts []int64 // counts[i] is the number of answers Min+i
}

// NewDistribution returns an empty distribution on s. An invalid scale gives
// an empty distribution that accepts no scores.
func NewDistribution(s Scale) Distribution {
	return Distribution{scale: s, counts: make([]int64, s.Size())}
}

// DistributionFromCounts returns a distribution on s with counts[i] answers of
// value s.Min+i. It fails if len(counts) is not the scale's size or a count is
// negative.
func DistributionFromCounts(s Scale, counts []int64) (Distribution, error) {
	if !s.Valid() {
		return Distribution{}, fmt.Errorf("%w: invalid scale %s", ErrOutOfScale, s)
	}
	if len(counts) != s.Size() {
		return Distribution{}, fmt.Errorf("%w: %d counts for scale %s of %d values", ErrOutOfScale, len(counts), s, s.Size())
	}
	d := NewDistribution(s)
	for i, c := range counts {
		if c < 0 {
			return Distribution{}, fmt.Errorf("%w: negative count %d for score %d", ErrOutOfScale, c, s.Min+i)
		}
		d.counts[i] = c
	}
	return d, nil
}

// Tally counts scores on s. It fails on the first score outside the scale,
// naming it and its position.
func Tally(s Scale, scores []int) (Distribution, error) {
	d := NewDistribution(s)
	for i, v := range scores {
		k, ok := d.index(v)
		if !ok {
			return Distribution{}, fmt.Errorf("%w: score %d at index %d not in %s", ErrOutOfScale, v, i, s)
		}
		d.counts[k]++
	}
	return d, nil
}

// TallyInt8 counts scores stored as int8 (the compact column form of the
// analytics index) on s. It fails if any score lies outside the scale.
//
// This is the hot path for dashboards: a 256-entry histogram indexed by the
// byte itself needs no bounds or range check inside the loop, and four
// interleaved histograms keep consecutive equal scores from serialising on
// one counter. The range check runs once, on the histogram.
func TallyInt8(s Scale, scores []int8) (Distribution, error) {
	var h [4][256]int64
	i := 0
	for ; i+4 <= len(scores); i += 4 {
		h[0][uint8(scores[i])]++
		h[1][uint8(scores[i+1])]++
		h[2][uint8(scores[i+2])]++
		h[3][uint8(scores[i+3])]++
	}
	for ; i < len(scores); i++ {
		h[0][uint8(scores[i])]++
	}
	d := NewDistribution(s)
	for b := range 256 {
		c := h[0][b] + h[1][b] + h[2][b] + h[3][b]
		if c == 0 {
			continue
		}
		v := int(int8(uint8(b)))
		k, ok := d.index(v)
		if !ok {
			return Distribution{}, fmt.Errorf("%w: %d scores of %d not in %s", ErrOutOfScale, c, v, s)
		}
		d.counts[k] += c
	}
	return d, nil
}

// index returns the position of score in counts, and false when the score is
// off the scale or the distribution has no valid scale.
func (d Distribution) index(score int) (int, bool) {
	k := score - d.scale.Min
	if !d.scale.Contains(score) || k < 0 || k >= len(d.counts) {
		return 0, false
	}
	return k, true
}

// Scale returns the distribution's scale.
func (d Distribution) Scale() Scale { return d.scale }

// Add records one more answer of value score.
func (d *Distribution) Add(score int) error {
	return d.AddN(score, 1)
}

// AddN records n more answers of value score (n ≥ 0).
func (d *Distribution) AddN(score int, n int64) error {
	k, ok := d.index(score)
	if !ok {
		return fmt.Errorf("%w: score %d not in %s", ErrOutOfScale, score, d.scale)
	}
	if n < 0 {
		return fmt.Errorf("%w: negative count %d for score %d", ErrOutOfScale, n, score)
	}
	d.counts[k] += n
	return nil
}

// Merge returns the sum of d and o, which must share a scale.
func (d Distribution) Merge(o Distribution) (Distribution, error) {
	if d.scale != o.scale || len(d.counts) != len(o.counts) {
		return Distribution{}, fmt.Errorf("%w: cannot merge scale %s with %s", ErrOutOfScale, d.scale, o.scale)
	}
	m := NewDistribution(d.scale)
	for i := range m.counts {
		m.counts[i] = d.counts[i] + o.counts[i]
	}
	return m, nil
}

// N returns the number of responses.
func (d Distribution) N() int64 {
	var n int64
	for _, c := range d.counts {
		n += c
	}
	return n
}

// Count returns the number of answers of value score (0 off the scale).
func (d Distribution) Count(score int) int64 {
	k, ok := d.index(score)
	if !ok {
		return 0
	}
	return d.counts[k]
}

// CountBetween returns the number of answers with lo ≤ value ≤ hi.
func (d Distribution) CountBetween(lo, hi int) int64 {
	var n int64
	for v := max(lo, d.scale.Min); v <= min(hi, d.scale.Max); v++ {
		n += d.Count(v)
	}
	return n
}

// Counts returns a copy of the per-value counts; element i is the number of
// answers of value Scale().Min+i.
func (d Distribution) Counts() []int64 {
	return append([]int64(nil), d.counts...)
}

// Summary returns the number of answers, their mean and their sample
// variance, computed exactly from the counts: with integer scores the sums
// are exact, and the variance is taken about the mean, Σc(v−m)², so it has no
// catastrophic cancellation.
func (d Distribution) Summary() Summary {
	n := d.N()
	if n == 0 {
		return Summary{}
	}
	var sum float64
	for i, c := range d.counts {
		sum += float64(c) * float64(d.scale.Min+i)
	}
	mean := sum / float64(n)
	s := Summary{N: n, Mean: mean}
	if n > 1 {
		var ss float64
		for i, c := range d.counts {
			dv := float64(d.scale.Min+i) - mean
			ss += float64(c) * dv * dv
		}
		s.Var = ss / float64(n-1)
	}
	return s
}

// Summary is the size, mean and sample variance (n−1 denominator) of a
// sample. Var is 0 when N < 2, and everything is 0 when N is 0.
type Summary struct {
	// N is the number of values.
	N int64
	// Mean is the arithmetic mean.
	Mean float64
	// Var is the sample variance, Σ(x − Mean)²/(N − 1).
	Var float64
}

// SD returns the sample standard deviation.
func (s Summary) SD() float64 { return math.Sqrt(s.Var) }

// Summarize returns the size, mean and sample variance of xs, skipping NaN
// and ±Inf, by Welford's one-pass update (Welford 1962, Technometrics 4(3):419–420;
// Knuth TAOCP vol. 2, 4.2.2), which stays accurate when the mean is large
// relative to the spread.
func Summarize(xs []float64) Summary {
	var (
		n    int64
		mean float64
		m2   float64
	)
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		n++
		delta := x - mean
		mean += delta / float64(n)
		m2 += delta * (x - mean)
	}
	s := Summary{N: n, Mean: mean}
	if n > 1 {
		s.Var = m2 / float64(n-1)
	}
	return s
}
