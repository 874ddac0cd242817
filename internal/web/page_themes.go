package web

// The Themes page: each theme's volume, share, NPS, impact on NPS,
// sentiment, trend and emerging flag (report.Themes, as GET /api/v1/themes
// computes them), a theme's verbatims most central first with the matched
// sentences highlighted, and the codeframe edits of an analyst (the same
// themes/store calls as the API's theme routes).

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/analytics"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/metrics"
	"github.com/cxlens/cxlens/internal/report"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/text"
	"github.com/cxlens/cxlens/internal/text/themes"
)

// loopPageRoutes are the pages of themes, alerts & cases and surveys.
func (s *Server) loopPageRoutes() []page {
	return []page{
		{"GET /app/themes", s.app(RoleViewer, s.themesPage)},
		{"GET /app/themes/{theme}", s.app(RoleViewer, s.themePage)},
		{"POST /app/themes/{theme}/rename", s.app(RoleAnalyst, s.themeEdit("rename"))},
		{"POST /app/themes/{theme}/terms", s.app(RoleAnalyst, s.themeEdit("terms"))},
		{"POST /app/themes/{theme}/merge", s.app(RoleAnalyst, s.themeEdit("merge"))},
		{"POST /app/themes/{theme}/split", s.app(RoleAnalyst, s.themeEdit("split"))},
		{"GET /app/responses/{id}/themes", s.app(RoleViewer, s.responseThemesPage)},
		{"POST /app/responses/{id}/themes", s.app(RoleAnalyst, s.responseTag)},
		{"GET /app/alerts", s.app(RoleViewer, s.alertsPage)},
		{"POST /app/alerts/rules", s.app(RoleAnalyst, s.createRule)},
		{"POST /app/alerts/rules/{id}/delete", s.app(RoleAnalyst, s.deleteRule)},
		{"GET /app/alerts/cases/{id}", s.app(RoleViewer, s.casePage)},
		{"POST /app/alerts/cases/{id}", s.app(RoleAgent, s.updateCasePage)},
		{"POST /app/alerts/cases/{id}/notes", s.app(RoleAgent, s.caseNote)},
		{"GET /app/surveys", s.app(RoleViewer, s.surveysPage)},
		{"POST /app/surveys", s.app(RoleAnalyst, s.createSurveyPage)},
		{"GET /app/surveys/{key}", s.app(RoleViewer, s.surveyPage)},
		{"GET /app/surveys/{key}/preview", s.app(RoleViewer, s.surveyPreview)},
		{"GET /app/surveys/{key}/edit", s.app(RoleAnalyst, s.surveyEditPage)},
		{"POST /app/surveys/{key}/edit", s.app(RoleAnalyst, s.saveSurveyPage)},
		{"POST /app/surveys/{key}/edit/preview", s.app(RoleAnalyst, s.surveyEditPreview)},
	}
}

// themeRow is one theme of the Themes table, formatted.
type themeRow struct {
	report.ThemeFigures
	NPSStr, ImpactStr, SentStr string
	Spark                      string // the trend's volumes, for the chart
}

// themesData is the Themes page.
type themesData struct {
	pageBase
	Source   string
	Sources  []string
	Report   report.ThemesReport
	Rows     []themeRow
	Own      bool // the workspace has its own codeframe
	Chart    chart
	Interval string
}

// themeItems converts the theme rows that pass the segment and source
// filters, exactly as the API's themeQuery.items does.
func themeItems(rows []store.ThemeRow, seg analytics.Filter, source string) []report.ThemeItem {
	var out []report.ThemeItem
	for i := range rows {
		row := &rows[i]
		if !keepThemeRow(row, seg, source) {
			continue
		}
		out = append(out, report.ThemeItemOf(row))
	}
	return out
}

// keepThemeRow reports whether a row passes the segment and source filters.
func keepThemeRow(row *store.ThemeRow, seg analytics.Filter, source string) bool {
	if source != "" && row.Source != source {
		return false
	}
	return seg.Attr == "" || slices.Contains(seg.Values, row.Attr(seg.Attr))
}

// themeInterval is the report's trend interval for the page's (the theme
// report has no quarters).
func themeInterval(f filters) string {
	switch iv := string(f.Interval); iv {
	case "day", "week", "month":
		return iv
	}
	return "month"
}

// themes computes the Themes page.
func (s *Server) themes(ctx context.Context, v *view, f filters) (themesData, error) {
	d := themesData{pageBase: pageBase{F: f}, Source: strings.TrimSpace(v.Query.Get("source")), Interval: themeInterval(f)}
	seg, _ := analytics.ParseFilter(f.Segment)
	cf, err := s.db.Codeframe(ctx, v.Workspace.ID)
	if err != nil {
		return d, err
	}
	d.Own = cf.Own
	prevFrom := f.From.Add(-f.To.Sub(f.From))
	rows, err := s.db.ThemeRows(ctx, v.Workspace.ID, prevFrom, f.To)
	if err != nil {
		return d, err
	}
	var cur, prev []store.ThemeRow
	seen := map[string]bool{}
	for _, row := range rows {
		if !seen[row.Source] {
			seen[row.Source] = true
			d.Sources = append(d.Sources, row.Source)
		}
		if row.At.Before(f.From) {
			prev = append(prev, row)
		} else {
			cur = append(cur, row)
		}
	}
	slices.Sort(d.Sources)
	d.Report, err = report.Themes(metrics.Config{}, cf.Codeframe, cf.IsExcluded, themeItems(cur, seg, d.Source), themeItems(prev, seg, d.Source),
		report.ThemesRequest{From: f.From, To: f.To, Interval: d.Interval})
	if err != nil {
		return d, err
	}
	if ix, err := s.opts.Indexes.Get(ctx, v.Workspace.ID); err == nil {
		d.Segments = segmentChoices(ix)
	}
	for _, t := range d.Report.Themes {
		r := themeRow{ThemeFigures: t, NPSStr: "–", ImpactStr: "–", SentStr: "–"}
		if t.NPS != nil && t.NPS.N > 0 {
			r.NPSStr = fmtNum(t.NPS.Score, 1)
		}
		if t.Impact != nil {
			r.ImpactStr = fmtSigned(*t.Impact, 1)
		}
		if t.Sentiment != nil {
			r.SentStr = fmtSigned(*t.Sentiment, 2)
		}
		var sp []string
		for _, p := range t.Trend {
			sp = append(sp, strconv.FormatInt(p.Volume, 10))
		}
		r.Spark = strings.Join(sp, " ")
		d.Rows = append(d.Rows, r)
	}
	// Themes by volume (the report orders them so already; keep it explicit).
	slices.SortStableFunc(d.Rows, func(a, b themeRow) int { return int(b.Volume - a.Volume) })
	d.Chart = chart{Type: "bars", Title: v.T("themes.chart"), File: "themes"}
	for _, r := range d.Rows {
		if r.Volume == 0 || len(d.Chart.X) >= 15 {
			continue
		}
		d.Chart.X = append(d.Chart.X, r.Name)
		d.Chart.Y = append(d.Chart.Y, ptrTo(r.Share.Percent))
		d.Chart.Lo = append(d.Chart.Lo, ptrTo(r.Share.CI.Lower))
		d.Chart.Hi = append(d.Chart.Hi, ptrTo(r.Share.CI.Upper))
	}
	return d, nil
}

// themesPage renders the Themes page, or its table as CSV.
func (s *Server) themesPage(w http.ResponseWriter, r *http.Request, v *view) {
	f, err := parseFilters(v)
	if err != nil {
		s.badFilters(w, r, v, "themes", err, &themesData{})
		return
	}
	d, err := s.themes(r.Context(), v, f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if wantsCSV(r) {
		rows := make([][]string, 0, len(d.Rows))
		for _, t := range d.Rows {
			nps := ""
			if t.NPS != nil && t.NPS.N > 0 {
				nps = strconv.FormatFloat(t.NPS.Score, 'f', 2, 64)
			}
			rows = append(rows, []string{t.ID, t.Name, t.Parent, strconv.FormatInt(t.Volume, 10), strconv.FormatFloat(t.Share.Percent, 'f', 2, 64),
				nps, csvFixed(t.Impact, 2), csvFixed(t.Sentiment, 3), strconv.FormatFloat(t.Change.Estimate, 'f', 2, 64), strconv.FormatBool(t.Emerging)})
		}
		writeTableCSV(w, "themes", []string{"id", "name", "parent", "volume", "share_percent", "nps", "impact", "sentiment", "share_change", "emerging"}, rows)
		return
	}
	s.render(w, r, v, "themes", d)
}

// verbatimsPerPage is the length of a page of a theme's verbatims.
const verbatimsPerPage = 20

// maxVerbatimPool bounds how many of a theme's comments are ranked for
// centrality (the most recent), as the API does.
const maxVerbatimPool = 600

// hlPart is a piece of a verbatim, marked when it matched the theme.
type hlPart struct {
	Text string
	Mark bool
}

// verbatimRow is one comment of a theme.
type verbatimRow struct {
	Kind, Source, Survey, Language string
	ID                             int64
	At                             time.Time
	Score                          *int
	Sentiment                      float64
	Parts                          []hlPart
	Text                           string
}

// themeData is a theme's page.
type themeData struct {
	pageBase
	Theme      themes.Theme
	Figures    *report.ThemeFigures
	Others     []themes.Theme // the codeframe's other themes (merge targets)
	Rows       []verbatimRow
	Total      int
	Page, Last int
	Source     string
	Langs      []string
	Terms      [][2]string // lang, comma-separated terms
	Notice     string
}

// highlight splits s at the byte ranges (sorted, clipped, merged).
func highlight(s string, ranges [][2]int) []hlPart {
	rs := slices.Clone(ranges)
	slices.SortFunc(rs, func(a, b [2]int) int { return a[0] - b[0] })
	var out []hlPart
	pos := 0
	for _, r := range rs {
		lo, hi := max(r[0], pos), min(r[1], len(s))
		if lo >= hi {
			continue
		}
		if lo > pos {
			out = append(out, hlPart{Text: s[pos:lo]})
		}
		out = append(out, hlPart{Text: s[lo:hi], Mark: true})
		pos = hi
	}
	if pos < len(s) {
		out = append(out, hlPart{Text: s[pos:]})
	}
	return out
}

// themeVerbatims ranks a theme's comments in range most central first
// (report.Centrality over the same pool the API ranks).
func themeVerbatims(rows []store.ThemeRow, id string, seg analytics.Filter, source string) []verbatimRow {
	var pool []*store.ThemeRow
	for i := len(rows) - 1; i >= 0 && len(pool) < maxVerbatimPool; i-- {
		row := &rows[i]
		if keepThemeRow(row, seg, source) && slices.Contains(row.Themes, id) {
			pool = append(pool, row)
		}
	}
	an := store.TextAnalyzer()
	toks := make([][]string, len(pool))
	for i, row := range pool {
		doc := an.AnalyzeAs(row.Text, text.Lang(row.Language))
		for _, t := range doc.Tokens {
			if !text.IsStopword(doc.Lang, t) {
				toks[i] = append(toks[i], t)
			}
		}
	}
	var out []verbatimRow
	for _, n := range report.Centrality(toks) {
		row := pool[n]
		vr := verbatimRow{Kind: row.Kind, Source: row.Source, Survey: row.Survey, Language: row.Language, ID: row.ID, At: row.At,
			Sentiment: row.Sentiment, Parts: highlight(row.Text, row.Sentences[id]), Text: row.Text}
		if row.Kind == store.TextResponse {
			sc := row.Score
			vr.Score = &sc
		}
		out = append(out, vr)
	}
	return out
}

// themePage renders one theme: its figures, verbatims and (for analysts)
// the codeframe edits; ?format=csv exports every verbatim.
func (s *Server) themePage(w http.ResponseWriter, r *http.Request, v *view) {
	f, err := parseFilters(v)
	if err != nil {
		s.badFilters(w, r, v, "theme", err, &themeData{})
		return
	}
	ctx := r.Context()
	id := r.PathValue("theme")
	cf, err := s.db.Codeframe(ctx, v.Workspace.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	th, ok := cf.Codeframe.Theme(id)
	if !ok {
		s.appError(w, r, v, http.StatusNotFound, "error.notfound")
		return
	}
	d := themeData{pageBase: pageBase{F: f}, Theme: th, Source: strings.TrimSpace(v.Query.Get("source")), Page: 1, Langs: []string{"en", "ro", "zh"}}
	if n := v.Query.Get("notice"); n == "saved" || n == "merged" || n == "split" {
		d.Notice = "themes.notice." + n
	}
	for _, o := range cf.Codeframe.Themes {
		if o.ID != id {
			d.Others = append(d.Others, o)
		}
	}
	for _, l := range d.Langs {
		d.Terms = append(d.Terms, [2]string{l, strings.Join(th.Terms[l], ", ")})
	}
	seg, _ := analytics.ParseFilter(f.Segment)
	full, err := s.themes(ctx, v, f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for i := range full.Report.Themes {
		if full.Report.Themes[i].ID == id {
			d.Figures = &full.Report.Themes[i]
		}
	}
	d.Segments = full.Segments
	rows, err := s.db.ThemeRows(ctx, v.Workspace.ID, f.From, f.To)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	all := themeVerbatims(rows, id, seg, d.Source)
	if wantsCSV(r) {
		out := make([][]string, 0, len(all))
		for _, x := range all {
			var marked []string
			for _, p := range x.Parts {
				if p.Mark {
					marked = append(marked, p.Text)
				}
			}
			out = append(out, []string{x.Kind, strconv.FormatInt(x.ID, 10), x.At.UTC().Format(time.RFC3339), x.Source, x.Survey, csvInt(x.Score), x.Language,
				strconv.FormatFloat(x.Sentiment, 'f', 3, 64), x.Text, strings.Join(marked, " … ")})
		}
		writeTableCSV(w, "theme-"+id, []string{"kind", "id", "at", "source", "survey", "score", "language", "sentiment", "text", "matched"}, out)
		return
	}
	if p, err := strconv.Atoi(v.Query.Get("page")); err == nil && p > 0 {
		d.Page = p
	}
	d.Total = len(all)
	d.Last = max(1, (d.Total+verbatimsPerPage-1)/verbatimsPerPage)
	d.Page = min(d.Page, d.Last)
	off := (d.Page - 1) * verbatimsPerPage
	d.Rows = all[off:min(off+verbatimsPerPage, len(all))]
	s.render(w, r, v, "theme", d)
}

// splitTerms splits a comma-separated list of terms.
func splitTerms(s string) []string {
	var out []string
	for t := range strings.SplitSeq(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// themeEdit handles the codeframe forms of a theme page: rename, terms
// (add and remove in one language), merge into another theme, split off a
// new theme. Each applies the themes package's edit to the workspace's
// codeframe and saves it with store.SaveCodeframe, like the API.
func (s *Server) themeEdit(op string) func(w http.ResponseWriter, r *http.Request, v *view) {
	return func(w http.ResponseWriter, r *http.Request, v *view) {
		ctx := r.Context()
		id := r.PathValue("theme")
		cf, err := s.db.Codeframe(ctx, v.Workspace.ID)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if _, ok := cf.Codeframe.Theme(id); !ok {
			s.appError(w, r, v, http.StatusNotFound, "error.notfound")
			return
		}
		c := cf.Codeframe
		ch := store.CodeframeChange{Excluded: cf.Excluded}
		target, notice := id, "saved"
		lang := r.PostFormValue("lang")
		switch op {
		case "rename":
			c, err = themes.Rename(c, id, strings.TrimSpace(r.PostFormValue("name")))
		case "terms":
			if lang != "en" && lang != "ro" && lang != "zh" {
				err = cx.Invalid("lang", "must be en, ro or zh")
				break
			}
			if add := splitTerms(r.PostFormValue("add")); len(add) > 0 {
				c, err = themes.AddTerms(c, id, lang, add...)
			}
			if rm := splitTerms(r.PostFormValue("remove")); err == nil && len(rm) > 0 {
				c, err = themes.RemoveTerms(c, id, lang, rm...)
			}
		case "merge":
			into := r.PostFormValue("into")
			if _, ok := c.Theme(into); !ok || into == id {
				err = cx.Invalid("into", fmt.Sprintf("unknown theme %q", into))
				break
			}
			c, err = themes.Merge(c, into, id)
			ch.Excluded = slices.DeleteFunc(slices.Clone(cf.Excluded), func(e string) bool { return e == id })
			ch.Rewrite = map[string]string{id: into}
			target, notice = into, "merged"
		case "split":
			if lang != "en" && lang != "ro" && lang != "zh" {
				err = cx.Invalid("lang", "must be en, ro or zh")
				break
			}
			var nid string
			c, nid, err = themes.Split(c, id, strings.TrimSpace(r.PostFormValue("name")), map[string][]string{lang: splitTerms(r.PostFormValue("terms"))})
			target, notice = nid, "split"
		}
		if err == nil {
			ch.Codeframe = c
			_, err = s.db.SaveCodeframe(ctx, v.Workspace.ID, ch)
		}
		if errors.Is(err, themes.ErrInvalid) || errors.Is(err, themes.ErrNotFound) || isInvalid(err) {
			s.renderBlock(w, r, v, http.StatusUnprocessableEntity, "error", "layout", errorData{Status: http.StatusUnprocessableEntity, Message: themeFormError(v, err)})
			return
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		http.Redirect(w, r, "/app/themes/"+target+"?notice="+notice, http.StatusSeeOther)
	}
}

// themeFormError is the message of a rejected codeframe edit.
func themeFormError(v *view, err error) string {
	if isInvalid(err) {
		return fieldMessage(v, err)
	}
	return v.T("themes.error.edit", err.Error())
}

// responseThemes is the manual-tag form of a response (theme_tags.html).
type responseThemes struct {
	ResponseID int64
	Tags       []store.ItemTheme
	Themes     []themes.Theme
}

// responseThemesPage renders a response's themes with the add/remove form
// (loaded by htmx into the response page).
func (s *Server) responseThemesPage(w http.ResponseWriter, r *http.Request, v *view) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.appError(w, r, v, http.StatusNotFound, "error.notfound")
		return
	}
	ctx := r.Context()
	if _, err := s.db.Response(ctx, v.Workspace.ID, id); err != nil {
		s.pageError(w, r, v, err)
		return
	}
	d := responseThemes{ResponseID: id}
	an, err := s.db.ItemTexts(ctx, v.Workspace.ID, store.TextResponse, []int64{id})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if it := an[id]; it != nil {
		d.Tags = it.Themes
	}
	cf, err := s.db.Codeframe(ctx, v.Workspace.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d.Themes = cf.Codeframe.Themes
	s.render(w, r, v, "theme_tags", d)
}

// responseTag adds (action=add) or removes a manual theme tag on a
// response with store.SetItemTheme, like PUT/DELETE
// /api/v1/responses/{id}/themes/{theme}.
func (s *Server) responseTag(w http.ResponseWriter, r *http.Request, v *view) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.appError(w, r, v, http.StatusNotFound, "error.notfound")
		return
	}
	err = s.db.SetItemTheme(r.Context(), v.Workspace.ID, store.TextResponse, id, r.PostFormValue("theme"), r.PostFormValue("action") != "remove")
	if errorsIsNotFound(err) {
		s.appError(w, r, v, http.StatusNotFound, "error.notfound")
		return
	}
	if isInvalid(err) {
		s.renderBlock(w, r, v, http.StatusUnprocessableEntity, "error", "layout", errorData{Status: http.StatusUnprocessableEntity, Message: fieldMessage(v, err)})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/app/responses/%d", id), http.StatusSeeOther)
}
