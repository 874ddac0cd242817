package metrics

import (
	"fmt"
	"math"
)

// NPSMethod selects how the NPS confidence interval is computed.
type NPSMethod int

const (
	// AdjustedWald adds pseudo-counts of ¾ detractor, 1½ passive and ¾
	// promoter (n+3) before the Wald interval; Rocks (2016) found it the
	// best simple method. It is the default.
	AdjustedWald NPSMethod = iota
	// Wald is the plain normal-approximation interval on the observed
	// proportions; it collapses to zero width when everyone gave the same
	// class of answer.
	Wald
)

// String returns "adjusted-wald" or "wald".
func (m NPSMethod) String() string {
	switch m {
	case AdjustedWald:
		return "adjusted-wald"
	case Wald:
		return "wald"
	}
	return fmt.Sprintf("NPSMethod(%d)", int(m))
}

// NPSCounts is the number of promoters (9–10), passives (7–8) and detractors
// (0–6) among NPS answers.
type NPSCounts struct {
	Promoters  int64
	Passives   int64
	Detractors int64
}

// N returns the number of answers.
func (c NPSCounts) N() int64 { return c.Promoters + c.Passives + c.Detractors }

// valid reports whether no count is negative and their sum does not overflow.
func (c NPSCounts) valid() bool {
	return c.Promoters >= 0 && c.Passives >= 0 && c.Detractors >= 0 && c.N() >= 0
}

// Score returns the NPS in points, 100·(promoters − detractors)/n, or 0 for
// no answers.
func (c NPSCounts) Score() float64 {
	n := c.N()
	if n == 0 {
		return 0
	}
	return 100 * float64(c.Promoters-c.Detractors) / float64(n)
}

// ClassifyNPS splits a 0–10 distribution into promoters, passives and
// detractors. It fails if d is not on NPSScale.
func ClassifyNPS(d Distribution) (NPSCounts, error) {
	if d.Scale() != NPSScale || len(d.counts) != NPSScale.Size() {
		return NPSCounts{}, fmt.Errorf("%w: NPS needs the %s scale, got %s", ErrOutOfScale, NPSScale, d.Scale())
	}
	return NPSCounts{
		Promoters:  d.CountBetween(9, 10),
		Passives:   d.CountBetween(7, 8),
		Detractors: d.CountBetween(0, 6),
	}, nil
}

// NPSResult is a Net Promoter Score with its interval and readability.
type NPSResult struct {
	NPSCounts
	// N is the number of answers.
	N int64
	// Counts is the number of answers per value 0..10 (nil when the result
	// came from NPSCounts alone).
	Counts []int64
	// PromoterPercent, PassivePercent and DetractorPercent are the shares of
	// each class in percent; they sum to 100 when N > 0.
	PromoterPercent  float64
	PassivePercent   float64
	DetractorPercent float64
	// Score is %promoters − %detractors, in points from −100 to 100.
	Score float64
	// SE is the standard error of the method's estimate, in points.
	SE float64
	// CI is the confidence interval in points, clamped to [−100, 100]; with
	// no data it is the whole range. An adjusted-Wald interval is centred on
	// the shrunken estimate (P − D)/(n + 3), not on Score, so at very small n
	// it may exclude Score (one promoter: Score 100, CI [−48.5, 98.5]).
	CI Interval
	// Method is the interval method used.
	Method NPSMethod
	// Level is the confidence level of CI.
	Level float64
	// Readable is false when there is no data, fewer than Config.MinN
	// answers, or the interval's half-width exceeds Config.MaxNPSHalfWidth.
	Readable bool
	// Reason says why the figure is not readable; empty when it is.
	Reason string
}

// NPS returns the Net Promoter Score of a 0–10 distribution with the default
// Config: 95% adjusted-Wald interval, readable within ±10 points.
func NPS(d Distribution) NPSResult { return Config{}.NPS(d) }

// NPS returns the Net Promoter Score of a 0–10 distribution under c. A
// distribution on another scale gives an unreadable result saying so.
func (c Config) NPS(d Distribution) NPSResult {
	counts, err := ClassifyNPS(d)
	if err != nil {
		r := c.NPSFromCounts(NPSCounts{})
		r.Reason = err.Error()
		return r
	}
	r := c.NPSFromCounts(counts)
	r.Counts = d.Counts()
	return r
}

// NPSFromCounts returns the Net Promoter Score of already classified answers
// under c. Negative counts (or counts whose sum overflows) give an unreadable
// result saying so.
func (c Config) NPSFromCounts(k NPSCounts) NPSResult {
	c = c.withDefaults()
	r := NPSResult{Method: c.NPSMethod, Level: c.Level, CI: Interval{-100, 100}}
	if !k.valid() {
		r.Reason = fmt.Sprintf("invalid counts %+v", k)
		return r
	}
	r.NPSCounts = k
	r.N = k.N()
	if r.N == 0 {
		r.Reason = reasonNoData
		return r
	}
	n := float64(r.N)
	r.PromoterPercent = 100 * float64(k.Promoters) / n
	r.PassivePercent = 100 * float64(k.Passives) / n
	r.DetractorPercent = 100 * float64(k.Detractors) / n
	r.Score = k.Score()
	if err := c.Validate(); err != nil {
		r.Reason = err.Error()
		return r
	}
	iv, se := NPSInterval(k, c.NPSMethod, c.Level)
	r.SE = se
	r.CI = iv
	// Judge readability on z·SE rather than the clamped interval: clamping
	// at ±100 would make a wide interval look narrow.
	r.Readable, r.Reason = c.readable(r.N, zCritical(c.Level)*se, c.MaxNPSHalfWidth, "points")
	return r
}

// NPSInterval returns the confidence interval of the NPS, in points clamped
// to [−100, 100], and its standard error in points.
//
// Rocks (2016), "Interval Estimation for the Net Promoter Score", The American
// Statistician 70(4):365–372, §2: with p₊ and p₋ the promoter and detractor
// shares, the NPS p₊ − p₋ is the mean of a trinomial score in {−1, 0, 1}, whose
// variance is p₊ + p₋ − (p₊ − p₋)², so SE = √((p₊ + p₋ − (p₊ − p₋)²)/n) and the
// Wald interval is (p₊ − p₋) ± z·SE. The adjusted Wald interval (Rocks §3)
// first adds ¾ to the detractors, 1½ to the passives and ¾ to the promoters
// (n+3), which centres it on (P − D)/(n + 3) and keeps it from collapsing
// to zero width at the extremes.
//
// With no answers, or an invalid method or level, it returns [−100, 100] and
// SE 0.
func NPSInterval(k NPSCounts, method NPSMethod, level float64) (iv Interval, se float64) {
	full := Interval{-100, 100}
	if !k.valid() || k.N() == 0 || !validLevel(level) {
		return full, 0
	}
	pro, det, n := float64(k.Promoters), float64(k.Detractors), float64(k.N())
	switch method {
	case AdjustedWald:
		pro += 0.75
		det += 0.75
		n += 3
	case Wald:
	default:
		return full, 0
	}
	pp, pd := pro/n, det/n
	nps := pp - pd
	// max(0, ·) guards rounding just below zero when everyone is in one class.
	se = math.Sqrt(max(0, pp+pd-nps*nps) / n)
	half := zCritical(level) * se
	return Interval{100 * (nps - half), 100 * (nps + half)}.clamp(-100, 100), 100 * se
}
