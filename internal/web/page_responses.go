package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/analytics"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// responsesPerPage is the length of a page of the response list.
const responsesPerPage = 50

// maxListedResponses bounds the responses one list request reads; a
// narrower date range reads fewer.
const maxListedResponses = 200_000

// responsesData is the Responses page.
type responsesData struct {
	pageBase
	Survey     string
	Surveys    []cx.Survey
	Q          string
	Lang       string
	MinScore   string
	MaxScore   string
	Rows       []cx.Response
	Total      int
	Page, Last int
	Truncated  bool // more responses in range than were read
	Theme      string
	Themes     []string // the themes of the comments in range
}

// responses lists the responses in range matching the filters, newest
// first, one page (every match for CSV).
func (s *Server) responses(ctx context.Context, v *view, f filters) (responsesData, error) {
	q := v.Query
	d := responsesData{pageBase: pageBase{F: f}, Survey: q.Get("survey"), Q: strings.TrimSpace(q.Get("q")), Lang: q.Get("lang"),
		MinScore: q.Get("min"), MaxScore: q.Get("max"), Page: 1}
	if p, err := strconv.Atoi(q.Get("page")); err == nil && p > 0 {
		d.Page = p
	}
	score := func(name, s string, def int) (int, bool) {
		if s == "" {
			return def, true
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			d.Err = fieldMessage(v, cx.Invalid(name, "must be a whole number"))
			return 0, false
		}
		return n, true
	}
	lo, ok1 := score("min", d.MinScore, -1<<31)
	hi, ok2 := score("max", d.MaxScore, 1<<31-1)
	if !ok1 || !ok2 {
		return d, nil
	}
	var err error
	if d.Surveys, err = s.db.Surveys(ctx, v.Workspace.ID); err != nil {
		return d, err
	}
	if ix, err := s.opts.Indexes.Get(ctx, v.Workspace.ID); err == nil {
		d.Segments = segmentChoices(ix)
	}
	match := func(cx.Response) bool { return true }
	if f.Segment != "" {
		sf, _ := analytics.ParseFilter(f.Segment)
		if attr, ok := strings.CutPrefix(sf.Attr, analytics.CustomerPrefix); ok {
			cs, err := store.All(func(cur string) (store.Page[cx.Customer], error) {
				return s.db.Customers(ctx, v.Workspace.ID, store.CustomerFilter{Cursor: cur, Limit: store.MaxLimit})
			})
			if err != nil {
				return d, err
			}
			keep := map[string]bool{}
			for _, c := range cs {
				if slices.Contains(sf.Values, c.Attributes.String(attr)) {
					keep[c.ExternalID] = true
				}
			}
			match = func(r cx.Response) bool { return keep[r.Customer] }
		} else {
			match = func(r cx.Response) bool { return slices.Contains(sf.Values, responseValue(r, sf.Attr)) }
		}
	}
	// Themes of the analysed comments in range (text analytics); the
	// theme filter keeps the responses tagged with it.
	d.Theme = q.Get("theme")
	trs, err := s.db.ThemeRows(ctx, v.Workspace.ID, f.From, f.To)
	if err != nil {
		return d, err
	}
	tagged := map[int64]bool{}
	seen := map[string]bool{}
	for _, tr := range trs {
		if tr.Kind != store.TextResponse {
			continue
		}
		for _, th := range tr.Themes {
			if !seen[th] {
				seen[th] = true
				d.Themes = append(d.Themes, th)
			}
			if th == d.Theme {
				tagged[tr.ID] = true
			}
		}
	}
	slices.Sort(d.Themes)
	if d.Theme != "" {
		prev := match
		match = func(r cx.Response) bool { return tagged[r.ID] && prev(r) }
	}
	lq := strings.ToLower(d.Q)
	cur, read := "", 0
	for {
		p, err := s.db.Responses(ctx, v.Workspace.ID, store.ResponseFilter{Survey: d.Survey,
			ListFilter: store.ListFilter{From: f.From, To: f.To, Cursor: cur, Limit: store.MaxLimit}})
		if err != nil {
			if errorsIsNotFound(err) || isInvalid(err) {
				d.Err = fieldMessage(v, err)
				return d, nil
			}
			return d, err
		}
		read += len(p.Items)
		for _, r := range p.Items {
			if r.Score != nil && (*r.Score < lo || *r.Score > hi) || r.Score == nil && (d.MinScore != "" || d.MaxScore != "") {
				continue
			}
			if d.Lang != "" && r.Language != d.Lang {
				continue
			}
			if lq != "" && !strings.Contains(strings.ToLower(r.Comment), lq) {
				continue
			}
			if match(r) {
				d.Rows = append(d.Rows, r)
			}
		}
		if p.NextCursor == "" {
			break
		}
		if read >= maxListedResponses {
			d.Truncated = true
			break
		}
		cur = p.NextCursor
	}
	slices.SortStableFunc(d.Rows, func(a, b cx.Response) int { return b.SubmittedAt.Compare(a.SubmittedAt) })
	d.Total = len(d.Rows)
	d.Last = max(1, (d.Total+responsesPerPage-1)/responsesPerPage)
	d.Page = min(d.Page, d.Last)
	if !wantsCSVQuery(v) {
		off := (d.Page - 1) * responsesPerPage
		d.Rows = d.Rows[off:min(off+responsesPerPage, len(d.Rows))]
	}
	return d, nil
}

// responseValue is a response's value of an index attribute name.
func responseValue(r cx.Response, attr string) string {
	switch attr {
	case analytics.AttrSurvey:
		return r.Survey
	case analytics.AttrLanguage:
		return r.Language
	case analytics.AttrChannel:
		return r.Channel
	case analytics.AttrTouchpoint:
		return r.Touchpoint
	}
	return r.Attributes.String(strings.TrimPrefix(attr, analytics.ResponsePrefix))
}

// responsesPage renders the response list, or every match as CSV.
func (s *Server) responsesPage(w http.ResponseWriter, r *http.Request, v *view) {
	f, err := parseFilters(v)
	if err != nil {
		s.badFilters(w, r, v, "responses", err, nil)
		return
	}
	d, err := s.responses(r.Context(), v, f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if wantsCSV(r) {
		rows := make([][]string, 0, len(d.Rows))
		for _, x := range d.Rows {
			rows = append(rows, []string{strconv.FormatInt(x.ID, 10), x.SubmittedAt.UTC().Format(time.RFC3339), x.Survey, x.Customer, csvInt(x.Score), x.Language, x.Channel, x.Touchpoint, x.Comment})
		}
		writeTableCSV(w, "responses", []string{"id", "submitted_at", "survey", "customer", "score", "language", "channel", "touchpoint", "comment"}, rows)
		return
	}
	s.render(w, r, v, "responses", d)
}

// responseData is one response with its customer's timeline.
type responseData struct {
	Response cx.Response
	Customer *customerData
}

// responsePage renders one response and its customer's timeline.
func (s *Server) responsePage(w http.ResponseWriter, r *http.Request, v *view) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.appError(w, r, v, http.StatusNotFound, "error.notfound")
		return
	}
	resp, err := s.db.Response(r.Context(), v.Workspace.ID, id)
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	d := responseData{Response: resp}
	if resp.Customer != "" {
		c, err := s.customerProfile(r.Context(), v, resp.Customer)
		if err != nil && !errorsIsNotFound(err) {
			s.serverError(w, r, err)
			return
		}
		if err == nil {
			d.Customer = &c
		}
	}
	s.render(w, r, v, "response", d)
}
