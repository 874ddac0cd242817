package web

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/kpi"
	"github.com/cxlens/cxlens/internal/report"
)

// supportRow is one agent or channel of the Support page.
type supportRow struct {
	Name     string
	FRT, AHT report.Figure
	// Per figure (csat, ces, frt, aht): the agent's mean against the rest,
	// from the agent_outliers report; flagged when significantly different
	// after Benjamini–Hochberg adjustment.
	Out map[string]report.Row
}

// Flag returns "worse", "better" or "" for the agent's figure m.
func (r supportRow) Flag(m string) string {
	o, ok := r.Out[m]
	if !ok || !o.Significant {
		return ""
	}
	if o.Extra["worse"] == 1 {
		return "worse"
	}
	return "better"
}

// supportData is the Support page.
type supportData struct {
	pageBase
	Agents   []supportRow
	Channels []supportRow
	FRT, AHT report.Figure
	Worse    int // agents flagged on the bad side
	Empty    bool
}

// support computes the Support page's figures once per snapshot and
// date range (supportFigures).
func (s *Server) support(ctx context.Context, v *view, f filters) (supportData, error) {
	type result struct {
		d   supportData
		err error
	}
	key := fmt.Sprintf("web.support|%s|%s|%s", f.From, f.To, v.Loc)
	r, err := s.opts.Snapshots.Memo(ctx, v.Workspace.ID, true, key, func(data kpi.Data, _ time.Time) (any, error) {
		d, err := supportFigures(data, f, v.Loc)
		return result{d, err}, nil
	})
	if err != nil {
		return supportData{pageBase: pageBase{F: f}}, err
	}
	d := r.(result).d
	d.pageBase = pageBase{F: f}
	if err := r.(result).err; err != nil {
		d.Err = fieldMessage(v, err)
	}
	return d, nil
}

// supportFigures computes FRT and AHT by agent and channel and the agent
// outliers with report.Compute, as GET /api/v1/metrics/{frt,aht,
// agent_outliers}?group_by=… does. An error of the request (a bad range)
// comes back with what was computed before it.
func supportFigures(data kpi.Data, f filters, loc *time.Location) (supportData, error) {
	var d supportData
	if len(data.Tickets) == 0 {
		d.Empty = true
		return d, nil
	}
	compute := func(m kpi.Metric, by string) (report.Report, error) {
		return report.Compute(data, report.Request{Metric: m, From: f.From, To: f.To, Location: loc, GroupBy: by})
	}
	rows := map[string]map[string]*supportRow{"agent": {}, "channel": {}}
	get := func(by, name string) *supportRow {
		r := rows[by][name]
		if r == nil {
			r = &supportRow{Name: name, Out: map[string]report.Row{}}
			rows[by][name] = r
		}
		return r
	}
	for _, by := range []string{"agent", "channel"} {
		for _, m := range []kpi.Metric{kpi.FRT, kpi.AHT} {
			rep, err := compute(m, by)
			if err != nil {
				return d, err
			}
			if by == "agent" {
				if m == kpi.FRT {
					d.FRT = rep.Figure
				} else {
					d.AHT = rep.Figure
				}
			}
			for _, row := range rep.Rows {
				r := get(by, row.Group)
				if m == kpi.FRT {
					r.FRT = row.Figure
				} else {
					r.AHT = row.Figure
				}
			}
		}
	}
	out, err := compute(kpi.AgentOutliers, "")
	if err != nil {
		return d, err
	}
	if out.Value != nil {
		d.Worse = int(*out.Value)
	}
	for _, row := range out.Rows {
		agent, metric, ok := strings.Cut(row.Group, "/")
		if !ok {
			continue
		}
		get("agent", agent).Out[metric] = row
	}
	for by, m := range rows {
		list := make([]supportRow, 0, len(m))
		for _, r := range m {
			list = append(list, *r)
		}
		sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
		if by == "agent" {
			d.Agents = list
		} else {
			d.Channels = list
		}
	}
	return d, nil
}

// supportPage renders the Support page, or the agents' table as CSV.
func (s *Server) supportPage(w http.ResponseWriter, r *http.Request, v *view) {
	f, err := parseFilters(v)
	if err != nil {
		s.badFilters(w, r, v, "support", err, nil)
		return
	}
	d, err := s.support(r.Context(), v, f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if wantsCSV(r) {
		var rows [][]string
		for _, part := range []struct {
			kind string
			list []supportRow
		}{{"agent", d.Agents}, {"channel", d.Channels}} {
			kind, list := part.kind, part.list
			for _, a := range list {
				csat, ces := a.Out["csat"], a.Out["ces"]
				rows = append(rows, []string{kind, a.Name, csvFloat(a.FRT.Value), intStr(a.FRT.N), csvFloat(a.AHT.Value), intStr(a.AHT.N),
					csvFloat(csat.Value), csvFloat(ces.Value), a.Flag("frt"), a.Flag("aht"), a.Flag("csat"), a.Flag("ces")})
			}
		}
		writeTableCSV(w, "support", []string{"by", "name", "frt_median_s", "tickets", "aht_mean_s", "handled", "csat_mean", "ces_mean",
			"frt_outlier", "aht_outlier", "csat_outlier", "ces_outlier"}, rows)
		return
	}
	s.render(w, r, v, "support", d)
}
