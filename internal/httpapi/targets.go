package httpapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/report"
)

// targetInput is the body of PUT /api/v1/targets/{metric}.
type targetInput struct {
	Survey          string   `json:"survey"`
	Target          *float64 `json:"target"`
	Benchmark       *float64 `json:"benchmark"`
	BenchmarkSource string   `json:"benchmark_source"`
}

// setTarget handles PUT /api/v1/targets/{metric}: the workspace's target
// and benchmark for a metric, shown in its reports with the gaps.
func (s *server) setTarget(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	metric := r.PathValue("metric")
	if !report.KnownMetric(metric) {
		s.fail(w, r, cx.Invalid("metric", fmt.Sprintf("unknown metric %q", metric)))
		return
	}
	s.idempotent(w, r, key.WorkspaceID, func(body io.Reader, _ string) (int, []byte, error) {
		var in targetInput
		if err := decodeOne(body, &in); err != nil {
			return 0, nil, err
		}
		t, err := s.db.SetTarget(r.Context(), key.WorkspaceID, cx.Target{Metric: metric, Survey: in.Survey,
			Target: in.Target, Benchmark: in.Benchmark, BenchmarkSource: in.BenchmarkSource})
		if err != nil {
			return 0, nil, err
		}
		b, err := json.Marshal(t)
		if err != nil {
			return 0, nil, fmt.Errorf("encode target: %w", err)
		}
		return http.StatusOK, append(b, '\n'), nil
	})
}

// listTargets handles GET /api/v1/targets.
func (s *server) listTargets(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	list, err := s.db.Targets(r.Context(), key.WorkspaceID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, list, "")
}

// deleteTarget handles DELETE /api/v1/targets/{metric}?survey=.
func (s *server) deleteTarget(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	if err := s.db.DeleteTarget(r.Context(), key.WorkspaceID, r.PathValue("metric"), r.URL.Query().Get("survey")); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// listBenchmarks handles GET /api/v1/benchmarks?metric=: the industry
// figures shipped with cxlens, each with its source, to set as a
// workspace's benchmark.
func (s *server) listBenchmarks(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	metric := r.URL.Query().Get("metric")
	if _, ok := report.SurveyMetrics[metric]; metric != "" && !ok {
		s.fail(w, r, cx.Invalid("metric", "must be nps, csat or ces"))
		return
	}
	writeList(w, report.PublishedBenchmarks(metric), "")
}
