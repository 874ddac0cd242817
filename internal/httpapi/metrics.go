package httpapi

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/cxlens/cxlens/internal/analytics"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
	"github.com/cxlens/cxlens/internal/report"
)

// getMetric handles GET /api/v1/metrics/{metric}: a survey figure (nps,
// csat, ces) from the analytics index, or a behavioural KPI over [from, to)
// (default: the last 12 months), overall and by interval and group_by, with
// its definition (see internal/report).
func (s *server) getMetric(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	if report.IsSurveyMetric(r.PathValue("metric")) {
		s.getSurveyMetric(w, r, key)
		return
	}
	p := newParams(r)
	if p.str("compare") != "" {
		p.errs = append(p.errs, cx.FieldError{Field: "compare", Reason: "is for nps, csat and ces; behavioural KPIs show their periods with interval"})
	}
	req := report.Request{
		Metric:   kpi.Metric(r.PathValue("metric")),
		From:     p.time("from"),
		To:       p.time("to"),
		Interval: kpi.Interval(p.str("interval")),
		GroupBy:  p.str("group_by"),
		Activity: p.str("activity"),
		Value:    p.str("value"),
		Filters:  p.q["filter"],
	}
	req.InactivityDays = p.int("inactivity_days")
	if v := p.str("alive_threshold"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f <= 0 || f > 1 {
			p.errs = append(p.errs, cx.FieldError{Field: "alive_threshold", Reason: "must be a probability in (0, 1]"})
		}
		req.AliveThreshold = f
	}
	if v := p.str("sla"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			p.errs = append(p.errs, cx.FieldError{Field: "sla", Reason: "must be a positive duration, like 4h or 30m"})
		}
		req.SLA = d
	}
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	ws, err := s.db.Workspace(r.Context(), key.WorkspaceID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if req.To.IsZero() {
		req.To = s.opts.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	}
	if req.From.IsZero() {
		req.From = req.To.AddDate(-1, 0, 0)
	}
	tz := p.str("time_zone")
	if tz == "" {
		tz = ws.TimeZone
	}
	if req.Location, err = time.LoadLocation(tz); err != nil {
		s.fail(w, r, cx.Invalid("time_zone", "unknown time zone "+tz))
		return
	}
	if err := req.Validate(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.answerFromData(w, r, key.WorkspaceID, func(data kpi.Data) (any, error) {
		rep, err := report.Compute(data, req)
		if err != nil {
			return nil, err
		}
		if err := s.attachTarget(r, key.WorkspaceID, &rep, ""); err != nil {
			return nil, err
		}
		return rep, nil
	})
}

// attachTarget adds the workspace's target for the report's metric (and
// survey), if one is set.
func (s *server) attachTarget(r *http.Request, ws int64, rep *report.Report, survey string) error {
	t, err := s.db.Target(r.Context(), ws, rep.Metric, survey)
	if errors.Is(err, cx.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	rep.WithTarget(t)
	return nil
}

// getSurveyMetric answers nps, csat and ces from the workspace's index.
func (s *server) getSurveyMetric(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	p := newParams(r)
	req := report.SurveyRequest{
		Metric:   r.PathValue("metric"),
		Survey:   p.str("survey"),
		From:     p.time("from"),
		To:       p.time("to"),
		Interval: analytics.Interval(p.str("interval")),
		GroupBy:  p.str("group_by"),
		Filters:  p.q["filter"],
		CI:       p.str("ci"),
		TopN:     p.int("top"),
		Rolling:  p.int("rolling_days"),
		Compare:  p.str("compare"),
	}
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := req.Query(); err != nil {
		s.fail(w, r, err)
		return
	}
	ix, err := s.opts.Indexes.Get(r.Context(), key.WorkspaceID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := report.Survey(ix, req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.attachTarget(r, key.WorkspaceID, &rep, req.Survey); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}
