package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
	"github.com/cxlens/cxlens/internal/report"
)

// overviewMetrics are the survey figures of the Overview, in order.
var overviewMetrics = []string{"nps", "csat", "ces"}

// surveyCard is one survey figure of the Overview: the report the API's
// GET /api/v1/metrics/{metric}?compare=previous&interval=… returns, or why
// there is none.
type surveyCard struct {
	Metric string
	Rep    *report.Report
	Empty  bool   // no survey of this kind yet
	Err    string // the query failed
	Chart  chart
}

// overviewData is the Overview page.
type overviewData struct {
	pageBase
	Cards  []surveyCard
	Volume int        // responses in range over the three kinds
	VolCh  chart      // responses per period
	Tiles  *tilesData // the KPI tiles, when rendered in the page
}

// overview computes the Overview's survey figures from the workspace's
// analytics index with report.Survey, exactly as the API does.
func (s *Server) overview(ctx context.Context, v *view, f filters) (overviewData, error) {
	d := overviewData{pageBase: pageBase{F: f}}
	ix, err := s.opts.Indexes.Get(ctx, v.Workspace.ID)
	if err != nil {
		return d, err
	}
	d.Segments = segmentChoices(ix)
	vol := map[string]float64{}
	var labels []string
	for _, m := range overviewMetrics {
		c := surveyCard{Metric: m}
		rep, err := report.Survey(ix, report.SurveyRequest{Metric: m, From: f.From, To: f.To, Interval: f.Interval,
			Filters: f.segmentFilters(), Compare: "previous"})
		var ve *cx.ValidationError
		switch {
		case errors.As(err, &ve) && ve.Fields[0].Field == "survey":
			c.Empty = true
		case err != nil:
			c.Err = fieldMessage(v, err)
		default:
			c.Rep = &rep
			c.Chart = trendChart(v.T("metric."+m), "trend-"+m, rep.Rows)
			d.Volume += rep.N
			for _, row := range rep.Rows {
				if _, ok := vol[row.Period]; !ok {
					labels = append(labels, row.Period)
				}
				vol[row.Period] += float64(row.N)
			}
		}
		d.Cards = append(d.Cards, c)
	}
	slices.Sort(labels)
	d.VolCh = chart{Type: "bars", Title: v.T("overview.volume"), File: "volume"}
	for _, l := range labels {
		n := vol[l]
		d.VolCh.X, d.VolCh.Y = append(d.VolCh.X, l), append(d.VolCh.Y, &n)
	}
	return d, nil
}

// trendChart is a line with a CI band from report rows.
func trendChart(title, file string, rows []report.Row) chart {
	c := chart{Type: "line", Title: title, File: file}
	for _, row := range rows {
		c.X = append(c.X, row.Period)
		c.Y, c.Lo, c.Hi = append(c.Y, finite(row.Value)), append(c.Lo, finite(row.CILow)), append(c.Hi, finite(row.CIHigh))
	}
	return c
}

// overviewPage renders the Overview, or its figures as CSV.
func (s *Server) overviewPage(w http.ResponseWriter, r *http.Request, v *view) {
	f, err := parseFilters(v)
	if err != nil {
		s.badFilters(w, r, v, "overview", err, &overviewData{pageBase: pageBase{F: f}})
		return
	}
	d, err := s.overview(r.Context(), v, f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if wantsCSV(r) {
		var rows [][]string
		for _, c := range d.Cards {
			if c.Rep == nil {
				continue
			}
			rep := c.Rep
			row := []string{c.Metric, "", csvFloat(rep.Value), csvFloat(rep.CILow), csvFloat(rep.CIHigh), intStr(rep.N), "", "", ""}
			if cmp := rep.Compared; cmp != nil {
				row[6], row[7], row[8] = csvFloat(cmp.Change), csvFloat(cmp.P), boolStr(cmp.Significant)
			}
			rows = append(rows, row)
			for _, p := range rep.Rows {
				rows = append(rows, []string{c.Metric, p.Period, csvFloat(p.Value), csvFloat(p.CILow), csvFloat(p.CIHigh), intStr(p.N), csvFloat(p.Change), csvFloat(p.ChangeP), boolStr(p.Significant)})
			}
		}
		writeTableCSV(w, "overview", []string{"metric", "period", "value", "ci_low", "ci_high", "n", "change", "p", "significant"}, rows)
		return
	}
	s.render(w, r, v, "overview", d)
}

// renderName is the block a page renders: the layout, or only the content
// for an htmx request.
func renderName(r *http.Request) string {
	if r.Header.Get("HX-Request") != "" && r.Header.Get("HX-Boosted") == "" {
		return "content"
	}
	return "layout"
}

// tile is one behavioural KPI of the Overview.
type tile struct {
	Metric string
	Fig    report.Figure
	Unit   string // "rate", "seconds", "count", "money"
	Err    string
	Hint   string // catalogue key of what to send when there is no data
}

// tilesData is the Overview's KPI tiles (loaded by htmx after the page).
type tilesData struct {
	F     filters
	Tiles []tile
}

// tileMetrics are the behavioural KPIs of the tiles, with their unit and
// what to send for them.
var tileMetrics = []struct {
	Metric kpi.Metric
	Unit   string
	Hint   string
}{
	{kpi.ChurnRate, "rate", "hint.events"},
	{kpi.CRR, "rate", "hint.events"},
	{kpi.NRR, "rate", "hint.subscriptions"},
	{kpi.GRR, "rate", "hint.subscriptions"},
	{kpi.NCVG, "count", "hint.events"},
	{kpi.ReferralRate, "rate", "hint.referrals"},
	{kpi.RedemptionRate, "rate", "hint.loyalty"},
	{kpi.FRT, "seconds", "hint.tickets"},
	{kpi.AHT, "seconds", "hint.tickets"},
}

// tiles computes the behavioural KPIs with report.Compute, as GET
// /api/v1/metrics/{metric}?from=…&to=…&filter=… does, and the mean
// predicted CLV. None reads survey responses (the analytics index answers
// those), so they come from the behaviour snapshot, computed once per
// snapshot and filter.
func (s *Server) tiles(ctx context.Context, v *view, f filters) (tilesData, error) {
	out := tilesData{F: f}
	// The response rate counts invitations, as GET
	// /api/v1/metrics/response_rate does.
	rr := tile{Metric: report.MetricResponseRate, Unit: "rate", Hint: "hint.invitations"}
	if rep, err := report.LoadResponseRate(ctx, s.db, v.Workspace.ID, "", "", f.From, f.To); err != nil {
		rr.Err = fieldMessage(v, err)
	} else {
		rr.Fig = rep.Figure
	}
	out.Tiles = append(out.Tiles, rr)
	key := fmt.Sprintf("web.tiles|%s|%s|%s|%s", f.From, f.To, f.Segment, v.Loc)
	r, err := s.opts.Snapshots.Memo(ctx, v.Workspace.ID, false, key, func(d kpi.Data, _ time.Time) (any, error) {
		return behaviourTiles(d, f, v.Loc), nil
	})
	if err != nil {
		return out, err
	}
	for _, t := range r.([]kpiTile) {
		tl := tile{Metric: t.Metric, Unit: t.Unit, Hint: t.Hint, Fig: t.Fig}
		if t.Err != nil {
			tl.Err = fieldMessage(v, t.Err)
		}
		out.Tiles = append(out.Tiles, tl)
	}
	return out, nil
}

// kpiTile is a tile before its error is put in the viewer's language.
type kpiTile struct {
	Metric, Unit, Hint string
	Fig                report.Figure
	Err                error
}

// behaviourTiles computes the KPI tiles and the mean predicted CLV tile
// from d for the filters' range and customer segment.
func behaviourTiles(d kpi.Data, f filters, loc *time.Location) []kpiTile {
	// Response attributes are not customer attributes: with such a
	// segment the tiles show the whole workspace (the page says so).
	filters := customerFilters(f)
	var out []kpiTile
	for _, m := range tileMetrics {
		t := kpiTile{Metric: string(m.Metric), Unit: m.Unit, Hint: m.Hint}
		rep, err := report.Compute(d, report.Request{Metric: m.Metric, From: f.From, To: f.To, Location: loc, Filters: filters})
		t.Fig, t.Err = rep.Figure, err
		out = append(out, t)
	}
	clv := kpiTile{Metric: "clv", Unit: "money", Hint: "hint.purchases"}
	clv.Fig, clv.Err = report.MeanPredictedCLV(d, report.ValueRequest{Now: f.To, AsOf: f.To})
	return append(out, clv)
}

// overviewTilesPage renders the KPI tiles (an htmx partial of the
// Overview; also a page of its own without JavaScript).
func (s *Server) overviewTilesPage(w http.ResponseWriter, r *http.Request, v *view) {
	f, err := parseFilters(v)
	if err != nil {
		http.Error(w, fieldMessage(v, err), http.StatusBadRequest)
		return
	}
	d, err := s.tiles(r.Context(), v, f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if wantsCSV(r) {
		var rows [][]string
		for _, t := range d.Tiles {
			rows = append(rows, []string{t.Metric, csvFloat(t.Fig.Value), csvFloat(t.Fig.CILow), csvFloat(t.Fig.CIHigh), intStr(t.Fig.N), t.Err})
		}
		writeTableCSV(w, "kpis", []string{"metric", "value", "ci_low", "ci_high", "n", "note"}, rows)
		return
	}
	if r.Header.Get("HX-Request") != "" {
		s.renderPartial(w, r, v, "overview", "tiles", overviewData{pageBase: pageBase{F: f}, Tiles: &d})
		return
	}
	s.render(w, r, v, "overview", overviewData{pageBase: pageBase{F: f}, Tiles: &d})
}
