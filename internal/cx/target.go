package cx

import (
	"math"
	"strings"
	"time"
)

// Target is what a workspace aims for on a metric, and the benchmark it
// compares itself with (an industry figure it trusts, with its source),
// shown beside the figure with the gaps.
type Target struct {
	Metric          string    `json:"metric"`
	Survey          string    `json:"survey,omitempty"` // "" for every survey of the metric
	Target          *float64  `json:"target"`
	Benchmark       *float64  `json:"benchmark"`
	BenchmarkSource string    `json:"benchmark_source,omitempty"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// Validate checks a target; the caller checks that the metric exists.
func (t *Target) Validate() error {
	var fe fieldErrors
	t.Metric, t.Survey = strings.TrimSpace(t.Metric), strings.TrimSpace(t.Survey)
	if t.Metric == "" {
		fe.add("metric", "is required")
	}
	if t.Target == nil && t.Benchmark == nil {
		fe.add("target", "set a target, a benchmark, or both")
	}
	for field, v := range map[string]*float64{"target": t.Target, "benchmark": t.Benchmark} {
		if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0) || math.Abs(*v) > 1e12) {
			fe.add(field, "must be a finite number")
		}
	}
	if t.Benchmark != nil && strings.TrimSpace(t.BenchmarkSource) == "" {
		fe.add("benchmark_source", "name where the benchmark comes from (a study, a report, a year)")
	}
	checkText(&fe, "benchmark_source", t.BenchmarkSource, MaxShortText*2)
	checkText(&fe, "survey", t.Survey, MaxShortText)
	return fe.err()
}
