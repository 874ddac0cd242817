package analytics

import (
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/metrics"
)

// Result is the answer to a Query.
type Result struct {
	// Kind is the kind of the surveys counted; it decides which figure is
	// computed (NPS, CSAT, CES, or the mean for a custom survey).
	Kind cx.SurveyKind
	// Scale is their answer scale.
	Scale metrics.Scale
	// Surveys lists the keys of the surveys counted.
	Surveys []string
	// From and To are the time range counted, [From, To), clipped to the
	// indexed responses when the query left them open.
	From, To time.Time
	// Overall is the figure over every matching response.
	Overall Figures
	// Buckets is the trend, oldest first; empty without an Interval.
	Buckets []Bucket
	// Groups are the segments of GroupBy, largest first, with "other" last.
	Groups []Group
}

// Figures are the counts of a set of responses and the figure of their
// survey kind, from internal/metrics; the figures of other kinds are nil.
type Figures struct {
	// N is the number of responses.
	N int64
	// Counts is the number of responses per scale value, from Scale.Min up.
	Counts []int64
	// NPS, CSAT, CES or, for a custom survey, Mean is the figure of the
	// surveys' kind; the others are nil.
	NPS  *metrics.NPSResult    `json:",omitempty"`
	CSAT *metrics.CSATResult   `json:",omitempty"`
	CES  *metrics.CESResult    `json:",omitempty"`
	Mean *metrics.MeanEstimate `json:",omitempty"`

	dist metrics.Distribution
}

// Distribution returns the counts as a metrics.Distribution.
func (f Figures) Distribution() metrics.Distribution { return f.dist }

// Bucket is one period of a trend.
type Bucket struct {
	// Label names the period: 2026-11-24, 2026-W48 (ISO week), 2026-11,
	// 2026-Q4.
	Label string
	// Start and End are the period's bounds in the workspace's time zone,
	// [Start, End); the first and last period may be cut by the query's
	// range.
	Start, End time.Time
	// Figures are the period's; with Query.Rolling, those of the rolling
	// window ending with the period.
	Figures
	// Change compares the period with the previous one (this − previous)
	// by the test of the kind's main figure; nil for the first period and
	// for rolling windows, which overlap.
	Change *metrics.Difference `json:",omitempty"`
	// Significant is true when Change's p-value is below 1 − level.
	Significant bool
}

// Group is one segment of GroupBy.
type Group struct {
	// Value is the attribute's value; "" with Missing for responses
	// without it, and "other" with Other for the segments beyond TopN.
	Value   string
	Missing bool `json:",omitempty"`
	Other   bool `json:",omitempty"`
	Figures
	// VsRest compares the segment with every other matching response
	// (segment − rest) by the test of the kind's main figure.
	VsRest metrics.Difference
	// PAdjusted is VsRest's p-value adjusted for comparing all the listed
	// segments at once (Benjamini–Hochberg).
	PAdjusted float64
	// Significant is true when PAdjusted is below 1 − level.
	Significant bool
}

// figures computes the kind's figure from counts.
func figures(cfg metrics.Config, kind cx.SurveyKind, scale metrics.Scale, counts []int64) Figures {
	d, err := metrics.DistributionFromCounts(scale, counts)
	if err != nil {
		// Counts come from the index, so this is a bug, not bad input.
		panic("analytics: " + err.Error())
	}
	f := Figures{N: d.N(), Counts: counts, dist: d}
	switch kind {
	case cx.NPS:
		r := cfg.NPS(d)
		f.NPS = &r
	case cx.CSAT:
		r := cfg.CSAT(d)
		f.CSAT = &r
	case cx.CES:
		r := cfg.CES(d)
		f.CES = &r
	default:
		r := cfg.Mean(d)
		f.Mean = &r
	}
	return f
}

// difference tests the kind's main figure, a − b: NPS points, CSAT
// top-2-box percentage points, CES and custom mean answer.
func difference(cfg metrics.Config, kind cx.SurveyKind, a, b metrics.Distribution) metrics.Difference {
	switch kind {
	case cx.NPS:
		return cfg.NPSDifference(a, b)
	case cx.CSAT:
		t2b, _ := cfg.CSATDifference(a, b)
		return t2b
	}
	return cfg.MeanDifference(a, b)
}

// alpha is the significance threshold matching cfg's confidence level.
func alpha(cfg metrics.Config) float64 {
	if cfg.Level > 0 && cfg.Level < 1 {
		return 1 - cfg.Level
	}
	return 1 - metrics.DefaultLevel
}
