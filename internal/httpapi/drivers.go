package httpapi

import (
	"net/http"
	"strings"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/report"
	"github.com/cxlens/cxlens/internal/store"
)

// getDrivers handles GET /api/v1/drivers: which rating questions drive a
// survey's score (relative weights), with each driver's current rating and
// quadrant.
func (s *server) getDrivers(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	p := newParams(r)
	req := report.DriversRequest{Survey: p.str("survey"), From: p.time("from"), To: p.time("to")}
	if v := p.str("drivers"); v != "" {
		req.Drivers = strings.Split(v, ",")
	}
	if req.Survey == "" {
		p.errs = append(p.errs, cx.FieldError{Field: "survey", Reason: "is required (a survey key)"})
	}
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.db.Survey(r.Context(), key.WorkspaceID, req.Survey); err != nil {
		s.fail(w, r, err)
		return
	}
	rs, err := store.All(func(cur string) (store.Page[cx.Response], error) {
		return s.db.Responses(r.Context(), key.WorkspaceID, store.ResponseFilter{Survey: req.Survey,
			ListFilter: store.ListFilter{From: req.From, To: req.To, Cursor: cur, Limit: store.MaxLimit}})
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := report.Drivers(rs, req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}
