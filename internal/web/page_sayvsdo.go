package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
	"github.com/cxlens/cxlens/internal/report"
)

// sayVsDoData is the Say vs do page: what promoters, passives and
// detractors went on to do, and the what-if.
type sayVsDoData struct {
	pageBase
	Share    string // the what-if share, as typed
	ROI      *report.ROIReport
	Referral *report.Report // say_vs_do: referral rate by NPS category
	Charts   []chart
}

// sayVsDo computes report.ROI (GET /api/v1/metrics/roi) and the say_vs_do
// KPI (GET /api/v1/metrics/say_vs_do) for the range.
func (s *Server) sayVsDo(ctx context.Context, v *view, f filters) (sayVsDoData, error) {
	d := sayVsDoData{pageBase: pageBase{F: f}, Share: v.Query.Get("what_if_share")}
	share := 0.0
	if d.Share != "" {
		x, err := strconv.ParseFloat(d.Share, 64)
		if err != nil || x <= 0 || x > 1 {
			d.Err = fieldMessage(v, cx.Invalid("what_if_share", "must be a share in (0, 1], like 0.25"))
			return d, nil
		}
		share = x
	}
	data, err := s.opts.Snapshots.Get(ctx, v.Workspace.ID)
	if err != nil {
		return d, err
	}
	rep, err := report.Compute(data, report.Request{Metric: kpi.SayVsDo, From: f.From, To: f.To, Location: v.Loc, Filters: customerFilters(f)})
	if err == nil {
		d.Referral = &rep
	}
	roi, err := report.ROI(data, report.ValueRequest{Now: v.Now, End: f.To, WhatIfShare: share})
	var ve *cx.ValidationError
	switch {
	case errors.As(err, &ve):
		d.Err = fieldMessage(v, err)
		return d, nil
	case err != nil:
		return d, err
	}
	d.ROI = &roi
	// One chart per measure of the longest horizon: the three bands with
	// their intervals.
	longest := ""
	for _, row := range roi.Rows {
		if row.Period != "" {
			longest = row.Period
		}
	}
	for _, measure := range []string{"retention", "revenue", "referrals"} {
		c := chart{Type: "bars", Title: v.T("sayvsdo."+measure) + " · " + longest, File: "say-vs-do-" + measure}
		for _, row := range roi.Rows {
			g, m, _ := strings.Cut(row.Group, "/")
			if row.Period != longest || m != measure || strings.Contains(g, "-") {
				continue
			}
			c.X = append(c.X, g)
			c.Y, c.Lo, c.Hi = append(c.Y, finite(row.Value)), append(c.Lo, finite(row.CILow)), append(c.Hi, finite(row.CIHigh))
			c.Muted = append(c.Muted, !row.Readable)
		}
		if len(c.X) > 0 {
			d.Charts = append(d.Charts, c)
		}
	}
	return d, nil
}

// customerFilters keeps the segment filter when it is a customer
// attribute, the only kind the behavioural KPIs can filter by.
func customerFilters(f filters) []string {
	if strings.HasPrefix(f.Segment, "customer.") {
		return []string{f.Segment}
	}
	return nil
}

// sayVsDoPage renders the Say vs do page, or its table as CSV.
func (s *Server) sayVsDoPage(w http.ResponseWriter, r *http.Request, v *view) {
	f, err := parseFilters(v)
	if err != nil {
		s.badFilters(w, r, v, "sayvsdo", err, nil)
		return
	}
	d, err := s.sayVsDo(r.Context(), v, f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if wantsCSV(r) {
		var rows [][]string
		if d.ROI != nil {
			for _, row := range d.ROI.Rows {
				rows = append(rows, []string{row.Period, row.Group, csvFloat(row.Value), csvFloat(row.CILow), csvFloat(row.CIHigh), intStr(row.N), csvFloat(row.ChangeP), boolStr(row.Significant)})
			}
		}
		writeTableCSV(w, "say-vs-do", []string{"horizon", "group_measure", "value", "ci_low", "ci_high", "n", "p", "significant"}, rows)
		return
	}
	s.render(w, r, v, "sayvsdo", d)
}
