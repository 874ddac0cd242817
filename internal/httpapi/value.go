package httpapi

import (
	"net/http"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
	"github.com/cxlens/cxlens/internal/report"
	"github.com/cxlens/cxlens/internal/value"
)

// valueHandler answers the value analyses of internal/value: say-vs-do ROI
// (GET /api/v1/metrics/roi), the at-risk and advocate lists and per-customer
// CLV predictions (GET /api/v1/customers/at-risk, /advocates, /predictions).
// Query parameters are those of report.ParseValueQuery.
func (s *server) valueHandler(metric string) keyHandler {
	return func(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
		req, err := report.ParseValueQuery(r.URL.Query(), s.opts.Now())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.answerFromData(w, r, key.WorkspaceID, func(data kpi.Data) (any, error) {
			switch metric {
			case report.MetricROI:
				return report.ROI(data, req)
			case report.MetricAtRisk:
				return report.AtRisk(data, req)
			case report.MetricAdvocates:
				return report.Advocates(data, req)
			}
			return report.Predictions(data, req)
		})
	}
}

// answerFromData takes a workspace's customers, events, tickets and
// responses from the snapshots, computes the answer from them, and writes
// it.
func (s *server) answerFromData(w http.ResponseWriter, r *http.Request, ws int64, compute func(kpi.Data) (any, error)) {
	data, err := s.opts.Snapshots.Get(r.Context(), ws)
	if err == nil {
		var out any
		if out, err = compute(data); err == nil {
			writeJSON(w, http.StatusOK, out)
			return
		}
	}
	s.fail(w, r, err)
}

// getChurnRisk handles GET /api/v1/customers/churn-risk: every active
// customer's probability of being lost within horizon_days (default 90),
// from a model trained on the workspace itself, with the reasons.
func (s *server) getChurnRisk(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	p := newParams(r)
	o := value.ChurnRiskOptions{AsOf: p.time("as_of"), HorizonDays: p.int("horizon_days"), Limit: p.limit(), Offset: p.int("offset")}
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.answerFromData(w, r, key.WorkspaceID, func(data kpi.Data) (any, error) { return value.ChurnRisk(data, o) })
}
