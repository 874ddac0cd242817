package report

import (
	"slices"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
)

// TargetGap is a workspace's target and benchmark for the reported figure,
// with the gaps: the figure minus each (positive means above it).
type TargetGap struct {
	Target          *float64 `json:"target,omitempty"`
	Gap             *float64 `json:"gap,omitempty"`
	Benchmark       *float64 `json:"benchmark,omitempty"`
	BenchmarkGap    *float64 `json:"benchmark_gap,omitempty"`
	BenchmarkSource string   `json:"benchmark_source,omitempty"`
}

// WithTarget sets the report's target and benchmark, and their gaps when
// the report has a value.
func (r *Report) WithTarget(t cx.Target) {
	g := &TargetGap{Target: t.Target, Benchmark: t.Benchmark, BenchmarkSource: t.BenchmarkSource}
	if r.Value != nil {
		if t.Target != nil {
			g.Gap = ptr(*r.Value - *t.Target)
		}
		if t.Benchmark != nil {
			g.BenchmarkGap = ptr(*r.Value - *t.Benchmark)
		}
	}
	r.Target = g
}

// KnownMetric reports whether metric is one a target can be set for.
func KnownMetric(metric string) bool {
	return IsSurveyMetric(metric) || slices.Contains(Metrics, kpi.Metric(metric))
}
