package httpapi

import (
	"net/http"

	"github.com/cxlens/cxlens/internal/cx"
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
		data, err := report.Load(r.Context(), s.db, key.WorkspaceID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var out any
		switch metric {
		case report.MetricROI:
			out, err = report.ROI(data, req)
		case report.MetricAtRisk:
			out, err = report.AtRisk(data, req)
		case report.MetricAdvocates:
			out, err = report.Advocates(data, req)
		default:
			out, err = report.Predictions(data, req)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	}
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
	data, err := report.Load(r.Context(), s.db, key.WorkspaceID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := value.ChurnRisk(data, o)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
