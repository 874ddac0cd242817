package web

import (
	"context"
	"net/http"
	"slices"

	"github.com/cxlens/cxlens/internal/report"
)

// segmentsData is the Segments page: one survey figure broken down by an
// attribute, each segment against the rest (Benjamini–Hochberg adjusted).
type segmentsData struct {
	pageBase
	Metric  string
	GroupBy string
	Rep     *report.Report
	Chart   chart
}

// segments computes the breakdown with report.Survey(compare=segment), as
// GET /api/v1/metrics/{metric}?group_by=…&compare=segment does.
func (s *Server) segments(ctx context.Context, v *view, f filters) (segmentsData, error) {
	d := segmentsData{pageBase: pageBase{F: f}, Metric: v.Query.Get("metric"), GroupBy: v.Query.Get("by")}
	if !slices.Contains(overviewMetrics, d.Metric) {
		d.Metric = "nps"
	}
	ix, err := s.opts.Indexes.Get(ctx, v.Workspace.ID)
	if err != nil {
		return d, err
	}
	d.Segments = segmentChoices(ix)
	if d.GroupBy == "" {
		if len(d.Segments) == 0 {
			return d, nil
		}
		d.GroupBy = d.Segments[0]
		if slices.Contains(d.Segments, "customer.plan") {
			d.GroupBy = "customer.plan"
		}
	}
	rep, err := report.Survey(ix, report.SurveyRequest{Metric: d.Metric, From: f.From, To: f.To, GroupBy: d.GroupBy,
		Filters: f.segmentFilters(), Compare: "segment", TopN: 30})
	if err != nil {
		d.Err = fieldMessage(v, err)
		return d, nil
	}
	d.Rep = &rep
	d.Chart = chart{Type: "bars", Title: v.T("metric."+d.Metric) + " · " + d.GroupBy, File: "segments-" + d.Metric}
	for _, row := range rep.Rows {
		d.Chart.X = append(d.Chart.X, row.Group)
		d.Chart.Y, d.Chart.Lo, d.Chart.Hi = append(d.Chart.Y, finite(row.Value)), append(d.Chart.Lo, finite(row.CILow)), append(d.Chart.Hi, finite(row.CIHigh))
		d.Chart.Muted = append(d.Chart.Muted, !row.Readable)
	}
	return d, nil
}

// segmentsPage renders the Segments page, or its table as CSV.
func (s *Server) segmentsPage(w http.ResponseWriter, r *http.Request, v *view) {
	f, err := parseFilters(v)
	if err != nil {
		s.badFilters(w, r, v, "segments", err, nil)
		return
	}
	d, err := s.segments(r.Context(), v, f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if wantsCSV(r) {
		var rows [][]string
		if d.Rep != nil {
			for _, row := range d.Rep.Rows {
				rows = append(rows, []string{row.Group, csvFloat(row.Value), csvFloat(row.CILow), csvFloat(row.CIHigh), intStr(row.N),
					boolStr(row.Readable), csvFloat(row.Change), csvFloat(row.ChangeP), boolStr(row.Significant)})
			}
		}
		writeTableCSV(w, "segments", []string{d.GroupBy, d.Metric, "ci_low", "ci_high", "n", "readable", "vs_rest", "p_adjusted", "significant"}, rows)
		return
	}
	s.render(w, r, v, "segments", d)
}

// errPage is a page's data that can carry the message of bad input; every
// page's data embeds pageBase, which implements it.
type errPage interface{ setErr(msg string) }

func (p *pageBase) setErr(msg string) { p.Err = msg }

// badFilters answers a page whose filters do not parse: 400 with the
// message as text for a CSV download, else the page (or its htmx block)
// with the message, rendered from data (nil: no figures, only pageBase).
func (s *Server) badFilters(w http.ResponseWriter, r *http.Request, v *view, name string, err error, data errPage) {
	if wantsCSV(r) {
		http.Error(w, fieldMessage(v, err), http.StatusBadRequest)
		return
	}
	if data == nil {
		data = &pageBase{}
	}
	data.setErr(fieldMessage(v, err))
	s.renderBlock(w, r, v, http.StatusBadRequest, name, renderName(r), data)
}
