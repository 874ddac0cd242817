package web

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/cxlens/cxlens/internal/report"
)

// journeyStep is one touchpoint of the journey.
type journeyStep struct {
	Touchpoint string
	Row        report.Row // the touchpoint's figure against the rest
	MedianDays *float64   // median days from the customer's first_seen
	Trend      chart
	Weakest    bool
}

// journeyData is the Journey page.
type journeyData struct {
	pageBase
	Metric   string
	Order    string // the order asked for (comma-separated), if any
	Inferred bool   // order inferred from the median time since first_seen
	Steps    []journeyStep
}

// journey computes each touchpoint's figure from the analytics index
// (report.Survey grouped by touchpoint, compare=segment) and its trend,
// orders the touchpoints as asked (order=a,b,c) or by the median time from
// the customer's first_seen to the answer, and marks the weakest readable
// step.
func (s *Server) journey(ctx context.Context, v *view, f filters) (journeyData, error) {
	d := journeyData{pageBase: pageBase{F: f}, Metric: v.Query.Get("metric"), Order: strings.TrimSpace(v.Query.Get("order"))}
	if !slices.Contains(overviewMetrics, d.Metric) {
		d.Metric = "nps"
	}
	ix, err := s.opts.Indexes.Get(ctx, v.Workspace.ID)
	if err != nil {
		return d, err
	}
	d.Segments = segmentChoices(ix)
	rep, err := report.Survey(ix, report.SurveyRequest{Metric: d.Metric, From: f.From, To: f.To, GroupBy: "touchpoint",
		Filters: f.segmentFilters(), Compare: "segment"})
	if err != nil {
		d.Err = fieldMessage(v, err)
		return d, nil
	}
	for _, row := range rep.Rows {
		if row.Group == "(none)" || row.Group == "other" {
			continue
		}
		st := journeyStep{Touchpoint: row.Group, Row: row}
		tr, err := report.Survey(ix, report.SurveyRequest{Metric: d.Metric, From: f.From, To: f.To, Interval: f.Interval,
			Filters: append(f.segmentFilters(), "touchpoint="+row.Group)})
		if err == nil {
			st.Trend = trendChart(row.Group, "journey-"+row.Group, tr.Rows)
		}
		d.Steps = append(d.Steps, st)
	}
	if len(d.Steps) == 0 {
		return d, nil
	}
	rank := map[string]int{}
	if d.Order != "" {
		for i, t := range strings.Split(d.Order, ",") {
			rank[strings.TrimSpace(t)] = i + 1
		}
	} else {
		d.Inferred = true
		med, err := s.touchpointMedians(ctx, v)
		if err != nil {
			return d, err
		}
		for i := range d.Steps {
			if m, ok := med[d.Steps[i].Touchpoint]; ok {
				d.Steps[i].MedianDays = ptrTo(m)
			}
		}
	}
	sort.SliceStable(d.Steps, func(i, j int) bool {
		a, b := d.Steps[i], d.Steps[j]
		if !d.Inferred {
			ra, rb := rank[a.Touchpoint], rank[b.Touchpoint]
			if ra == 0 || rb == 0 {
				return ra != 0 // named steps first
			}
			return ra < rb
		}
		if a.MedianDays == nil || b.MedianDays == nil {
			return a.MedianDays != nil
		}
		return *a.MedianDays < *b.MedianDays
	})
	weakest := -1
	for i, st := range d.Steps {
		if st.Row.Readable && st.Row.Value != nil && (weakest < 0 || *st.Row.Value < *d.Steps[weakest].Row.Value) {
			weakest = i
		}
	}
	if weakest >= 0 {
		d.Steps[weakest].Weakest = true
	}
	return d, nil
}

// touchpointMedians returns, per touchpoint, the median days from the
// customer's first_seen to the response.
func (s *Server) touchpointMedians(ctx context.Context, v *view) (map[string]float64, error) {
	data, err := s.opts.Snapshots.Get(ctx, v.Workspace.ID)
	if err != nil {
		return nil, err
	}
	first := make(map[string]int64, len(data.Customers))
	for _, c := range data.Customers {
		first[c.ExternalID] = c.FirstSeen.Unix()
	}
	days := map[string][]float64{}
	for _, r := range data.Responses {
		fs, ok := first[r.Customer]
		if !ok || r.Touchpoint == "" {
			continue
		}
		days[r.Touchpoint] = append(days[r.Touchpoint], float64(r.SubmittedAt.Unix()-fs)/86400)
	}
	out := map[string]float64{}
	for t, ds := range days {
		slices.Sort(ds)
		n := len(ds)
		out[t] = (ds[(n-1)/2] + ds[n/2]) / 2
	}
	return out, nil
}

// journeyPage renders the Journey page, or its table as CSV.
func (s *Server) journeyPage(w http.ResponseWriter, r *http.Request, v *view) {
	f, err := parseFilters(v)
	if err != nil {
		s.badFilters(w, r, v, "journey", err, nil)
		return
	}
	d, err := s.journey(r.Context(), v, f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if wantsCSV(r) {
		rows := make([][]string, 0, len(d.Steps))
		for i, st := range d.Steps {
			rows = append(rows, []string{intStr(i + 1), st.Touchpoint, csvFloat(st.Row.Value), csvFloat(st.Row.CILow), csvFloat(st.Row.CIHigh),
				intStr(st.Row.N), csvFloat(st.MedianDays), boolStr(st.Weakest)})
		}
		writeTableCSV(w, "journey", []string{"step", "touchpoint", d.Metric, "ci_low", "ci_high", "n", "median_days_since_first_seen", "weakest"}, rows)
		return
	}
	s.render(w, r, v, "journey", d)
}
