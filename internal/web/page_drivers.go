package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/drivers"
	"github.com/cxlens/cxlens/internal/report"
	"github.com/cxlens/cxlens/internal/store"
)

// driversData is the Drivers page: which rating questions drive a survey's
// score, as importance vs performance.
type driversData struct {
	pageBase
	Survey  string
	Surveys []cx.Survey
	Rep     *report.DriversReport
	Chart   chart
	NoData  bool // the survey has no rating_* attributes
}

// driverRows caps the responses read for one analysis.
const driverRows = 200_000

// driversAnalysis runs report.Drivers on the survey's responses in range,
// as GET /api/v1/drivers does.
func (s *Server) driversAnalysis(ctx context.Context, v *view, f filters) (driversData, error) {
	d := driversData{pageBase: pageBase{F: f}, Survey: v.Query.Get("survey")}
	all, err := s.db.Surveys(ctx, v.Workspace.ID)
	if err != nil {
		return d, err
	}
	d.Surveys = all
	if len(all) == 0 {
		d.NoData = true
		return d, nil
	}
	tryAll := d.Survey == ""
	for _, sv := range all {
		if d.Survey != "" && sv.Key != d.Survey {
			continue
		}
		rs, err := s.surveyResponses(ctx, v.Workspace.ID, sv.Key, f)
		if err != nil {
			return d, err
		}
		rep, err := report.Drivers(rs, report.DriversRequest{Survey: sv.Key, From: f.From, To: f.To})
		var ve *cx.ValidationError
		if errors.As(err, &ve) {
			if tryAll {
				continue
			}
			d.Err = fieldMessage(v, err)
			return d, nil
		}
		if err != nil {
			return d, err
		}
		d.Survey, d.Rep = sv.Key, &rep
		break
	}
	if d.Rep == nil {
		d.NoData = d.Err == ""
		return d, nil
	}
	d.Chart = chart{Type: "scatter", Title: v.T("drivers.chart"), XName: v.T("drivers.importance"), YName: v.T("drivers.performance"), File: "drivers-" + d.Survey}
	for _, dr := range d.Rep.Ranked {
		d.Chart.Points = append(d.Chart.Points, point{Name: strings.TrimPrefix(dr.Name, report.DriverPrefix), X: dr.RescaledWeight, Y: dr.Mean,
			Mark: dr.Quadrant == drivers.QuadrantFixFirst})
	}
	return d, nil
}

// surveyResponses reads a survey's responses in the filter's range.
func (s *Server) surveyResponses(ctx context.Context, ws int64, survey string, f filters) ([]cx.Response, error) {
	var out []cx.Response
	cur := ""
	for len(out) < driverRows {
		p, err := s.db.Responses(ctx, ws, store.ResponseFilter{Survey: survey, ListFilter: store.ListFilter{From: f.From, To: f.To, Cursor: cur, Limit: store.MaxLimit}})
		if err != nil {
			return nil, err
		}
		out = append(out, p.Items...)
		if p.NextCursor == "" {
			break
		}
		cur = p.NextCursor
	}
	return out, nil
}

// driversPage renders the Drivers page, or its table as CSV.
func (s *Server) driversPage(w http.ResponseWriter, r *http.Request, v *view) {
	f, err := parseFilters(v)
	if err != nil {
		s.badFilters(w, r, v, "drivers", err, nil)
		return
	}
	d, err := s.driversAnalysis(r.Context(), v, f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if wantsCSV(r) {
		var rows [][]string
		if d.Rep != nil {
			for _, dr := range d.Rep.Ranked {
				rows = append(rows, []string{dr.Name, fmtNum(dr.RescaledWeight, 4), fmtNum(dr.Mean, 4), fmtNum(dr.Beta, 4),
					fmtNum(dr.Correlation, 4), intStr(dr.N), string(dr.Quadrant)})
			}
		}
		writeTableCSV(w, "drivers", []string{"driver", "importance_pct", "mean_rating", "beta", "correlation", "n", "quadrant"}, rows)
		return
	}
	s.render(w, r, v, "drivers", d)
}
