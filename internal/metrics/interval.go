package metrics

import (
	"fmt"
	"math"
)

// Defaults for Config's zero fields.
const (
	// DefaultLevel is the confidence level used when Config.Level is 0.
	DefaultLevel = 0.95
	// DefaultMaxNPSHalfWidth is the largest NPS interval half-width, in NPS
	// points, that still counts as readable (±10 needs roughly 200–250
	// responses at 95% for a typical mix of promoters and detractors).
	DefaultMaxNPSHalfWidth = 10.0
	// DefaultMaxPercentHalfWidth is the largest half-width, in percentage
	// points, of a readable proportion (CSAT top-2-box, CES % easy).
	DefaultMaxPercentHalfWidth = 10.0
	// DefaultMaxMeanHalfWidth is the largest half-width, in answer-scale
	// points, of a readable mean score.
	DefaultMaxMeanHalfWidth = 0.25
)

// Config sets the confidence level, the NPS interval method and the
// "too few responses to read" thresholds. The zero value is ready to use and
// means: 95% confidence, adjusted-Wald NPS intervals, the Default* thresholds
// and no minimum sample size. Set a threshold to math.Inf(1) to disable it.
type Config struct {
	// Level is the confidence level, 0 < Level < 1; 0 means DefaultLevel.
	Level float64
	// NPSMethod is the NPS interval method; the zero value is AdjustedWald.
	NPSMethod NPSMethod
	// MaxNPSHalfWidth is in NPS points; 0 means DefaultMaxNPSHalfWidth.
	MaxNPSHalfWidth float64
	// MaxPercentHalfWidth is in percentage points; 0 means
	// DefaultMaxPercentHalfWidth.
	MaxPercentHalfWidth float64
	// MaxMeanHalfWidth is in answer-scale points; 0 means
	// DefaultMaxMeanHalfWidth.
	MaxMeanHalfWidth float64
	// MinN, when positive, marks any figure from fewer responses unreadable
	// whatever its interval width.
	MinN int64
}

// withDefaults fills zero fields with their defaults.
func (c Config) withDefaults() Config {
	if c.Level == 0 {
		c.Level = DefaultLevel
	}
	if c.MaxNPSHalfWidth == 0 {
		c.MaxNPSHalfWidth = DefaultMaxNPSHalfWidth
	}
	if c.MaxPercentHalfWidth == 0 {
		c.MaxPercentHalfWidth = DefaultMaxPercentHalfWidth
	}
	if c.MaxMeanHalfWidth == 0 {
		c.MaxMeanHalfWidth = DefaultMaxMeanHalfWidth
	}
	return c
}

// Validate reports a Config whose figures would be meaningless: a level
// outside (0, 1) (a common slip is 95 for 0.95), a negative or NaN
// threshold, or an unknown NPS method.
func (c Config) Validate() error {
	c = c.withDefaults()
	if !validLevel(c.Level) {
		return fmt.Errorf("metrics: confidence level %v: want 0 < level < 1", c.Level)
	}
	for _, th := range [...]struct {
		name string
		v    float64
	}{
		{"max NPS half-width", c.MaxNPSHalfWidth},
		{"max percent half-width", c.MaxPercentHalfWidth},
		{"max mean half-width", c.MaxMeanHalfWidth},
	} {
		if math.IsNaN(th.v) || th.v < 0 {
			return fmt.Errorf("metrics: %s %v: want ≥ 0", th.name, th.v)
		}
	}
	if c.NPSMethod != AdjustedWald && c.NPSMethod != Wald {
		return fmt.Errorf("metrics: unknown NPS method %d", int(c.NPSMethod))
	}
	if c.MinN < 0 {
		return fmt.Errorf("metrics: minimum sample size %d: want ≥ 0", c.MinN)
	}
	return nil
}

func validLevel(level float64) bool { return level > 0 && level < 1 }

// Interval is a two-sided confidence interval [Lower, Upper], in the units of
// the figure it belongs to.
type Interval struct {
	// Lower is the lower confidence limit.
	Lower float64
	// Upper is the upper confidence limit.
	Upper float64
}

// HalfWidth returns half the interval's width, the "±" of a reported figure.
func (i Interval) HalfWidth() float64 { return (i.Upper - i.Lower) / 2 }

// Contains reports whether Lower ≤ x ≤ Upper.
func (i Interval) Contains(x float64) bool { return x >= i.Lower && x <= i.Upper }

// scaled returns the interval multiplied by k (e.g. 100 for percent).
func (i Interval) scaled(k float64) Interval { return Interval{i.Lower * k, i.Upper * k} }

// clamp limits the interval to [lo, hi].
func (i Interval) clamp(lo, hi float64) Interval {
	return Interval{Lower: min(max(i.Lower, lo), hi), Upper: min(max(i.Upper, lo), hi)}
}

// WilsonInterval returns the Wilson score interval for a binomial proportion
// with count successes out of n, as fractions in [0, 1]:
//
//	(x + z²/2 ± z·√(x(n−x)/n + z²/4)) / (n + z²)
//
// (Wilson 1927, JASA 22:209–212; Newcombe 1998, Statistics in Medicine
// 17:857–872, method 3; R's prop.test(x, n, correct = FALSE)$conf.int). For
// n = 0, invalid counts or an invalid level it returns [0, 1], the interval
// that says nothing.
func WilsonInterval(count, n int64, level float64) Interval {
	if n <= 0 || count < 0 || count > n || !validLevel(level) {
		return Interval{0, 1}
	}
	z := zCritical(level)
	x, nf, z2 := float64(count), float64(n), z*z
	center := (x + z2/2) / (nf + z2)
	half := z * math.Sqrt(x*(nf-x)/nf+z2/4) / (nf + z2)
	return Interval{center - half, center + half}.clamp(0, 1)
}

// TInterval returns the Student t confidence interval for a mean,
// mean ± t_{1−α/2, n−1}·s/√n (e.g. R's t.test(x)$conf.int). ok is false when
// N < 2 or the level is invalid; the interval is then the zero Interval.
func TInterval(s Summary, level float64) (iv Interval, ok bool) {
	if s.N < 2 || !validLevel(level) {
		return Interval{}, false
	}
	half := TQuantile(0.5+level/2, float64(s.N-1)) * math.Sqrt(s.Var/float64(s.N))
	return Interval{s.Mean - half, s.Mean + half}, true
}

// Proportion is a share of responses (CSAT top-2-box, CES % easy) with its
// Wilson interval, both in percent.
type Proportion struct {
	// Count is the number of answers in the share (e.g. 4s and 5s).
	Count int64
	// N is the number of answers.
	N int64
	// Percent is 100·Count/N, or 0 when N is 0.
	Percent float64
	// CI is the Wilson score interval in percent.
	CI Interval
	// Readable is false when there is no data, fewer than Config.MinN
	// answers, or CI's half-width exceeds Config.MaxPercentHalfWidth.
	Readable bool
	// Reason says why the figure is not readable; empty when it is.
	Reason string
}

// Proportion returns count out of n as a percentage with its Wilson interval
// and the readability verdict under c. n = 0 gives 0% with the interval
// [0, 100] and Readable false.
func (c Config) Proportion(count, n int64) Proportion {
	c = c.withDefaults()
	p := Proportion{Count: count, N: n, CI: Interval{0, 100}}
	if n <= 0 || count < 0 || count > n {
		p.Reason = reasonNoData
		if n > 0 {
			p.Reason = fmt.Sprintf("invalid count %d of %d", count, n)
		}
		return p
	}
	p.Percent = 100 * float64(count) / float64(n)
	if err := c.Validate(); err != nil {
		p.Reason = err.Error()
		return p
	}
	p.CI = WilsonInterval(count, n, c.Level).scaled(100)
	p.Readable, p.Reason = c.readable(n, p.CI.HalfWidth(), c.MaxPercentHalfWidth, "percentage points")
	return p
}

// MeanEstimate is a mean score with its t interval, in answer-scale points.
type MeanEstimate struct {
	Summary
	// CI is the t interval; with fewer than two responses it is the whole
	// answer scale.
	CI Interval
	// Readable is false when there are fewer than two answers, fewer than
	// Config.MinN, or CI's half-width exceeds Config.MaxMeanHalfWidth.
	Readable bool
	// Reason says why the figure is not readable; empty when it is.
	Reason string
}

// Mean returns the mean of d with its t interval and the readability verdict
// under c.
func (c Config) Mean(d Distribution) MeanEstimate {
	c = c.withDefaults()
	s := d.Summary()
	m := MeanEstimate{Summary: s, CI: Interval{float64(d.scale.Min), float64(d.scale.Max)}}
	if s.N == 0 {
		m.Reason = reasonNoData
		return m
	}
	if err := c.Validate(); err != nil {
		m.Reason = err.Error()
		return m
	}
	if s.N < 2 {
		m.Reason = "too few responses to read: a mean's interval needs at least 2"
		return m
	}
	iv, _ := TInterval(s, c.Level)
	m.CI = iv.clamp(float64(d.scale.Min), float64(d.scale.Max))
	// Readability is judged on the unclamped half-width, which is what the
	// sample supports.
	m.Readable, m.Reason = c.readable(s.N, iv.HalfWidth(), c.MaxMeanHalfWidth, "scale points")
	return m
}

// readable applies the minimum-sample and half-width rules.
func (c Config) readable(n int64, half, maxHalf float64, unit string) (bool, string) {
	if n == 0 {
		return false, reasonNoData
	}
	if c.MinN > 0 && n < c.MinN {
		return false, fmt.Sprintf("too few responses to read: %d, fewer than the minimum %d", n, c.MinN)
	}
	if half > maxHalf {
		return false, fmt.Sprintf("too few responses to read: ±%.1f %s at %g%% confidence, more than ±%g",
			half, unit, 100*c.Level, maxHalf)
	}
	return true, ""
}

// reasonNoData is the Reason of every figure computed from no responses.
const reasonNoData = "no responses"

func badLevel(level float64) string {
	return fmt.Sprintf("invalid confidence level %v: want 0 < level < 1", level)
}
