package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
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

// themeRoutes are the text analytics routes: themes, codeframe editing,
// feedback items.
func (s *server) themeRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/themes", scope: cx.ScopeRead, authed: s.getThemes},
		{method: "POST", path: "/api/v1/themes", scope: cx.ScopeWrite, authed: s.createTheme},
		{method: "PATCH", path: "/api/v1/themes/{theme}", scope: cx.ScopeWrite, authed: s.patchTheme},
		{method: "DELETE", path: "/api/v1/themes/{theme}", scope: cx.ScopeWrite, authed: s.deleteTheme},
		{method: "POST", path: "/api/v1/themes/{theme}/merge", scope: cx.ScopeWrite, authed: s.mergeTheme},
		{method: "POST", path: "/api/v1/themes/{theme}/split", scope: cx.ScopeWrite, authed: s.splitTheme},
		{method: "GET", path: "/api/v1/themes/{theme}/responses", scope: cx.ScopeRead, authed: s.themeResponses},
		{method: "POST", path: "/api/v1/themes/discover", scope: cx.ScopeWrite, authed: s.discoverThemes},
		{method: "GET", path: "/api/v1/codeframe", scope: cx.ScopeRead, authed: s.getCodeframe},
		{method: "PUT", path: "/api/v1/codeframe", scope: cx.ScopeWrite, authed: s.putCodeframe},
		{method: "DELETE", path: "/api/v1/codeframe", scope: cx.ScopeWrite, authed: s.resetCodeframe},
		{method: "GET", path: "/api/v1/responses/{id}/themes", scope: cx.ScopeRead, authed: s.itemTextHandler(store.TextResponse)},
		{method: "PUT", path: "/api/v1/responses/{id}/themes/{theme}", scope: cx.ScopeWrite, authed: s.tagHandler(store.TextResponse, true)},
		{method: "DELETE", path: "/api/v1/responses/{id}/themes/{theme}", scope: cx.ScopeWrite, authed: s.tagHandler(store.TextResponse, false)},
		{method: "PUT", path: "/api/v1/feedback/{id}/themes/{theme}", scope: cx.ScopeWrite, authed: s.tagHandler(store.TextFeedback, true)},
		{method: "DELETE", path: "/api/v1/feedback/{id}/themes/{theme}", scope: cx.ScopeWrite, authed: s.tagHandler(store.TextFeedback, false)},
		{method: "POST", path: "/api/v1/feedback", scope: cx.ScopeWrite, authed: s.createFeedback},
		{method: "GET", path: "/api/v1/feedback", scope: cx.ScopeRead, authed: s.listFeedback},
		{method: "GET", path: "/api/v1/feedback/{id}", scope: cx.ScopeRead, authed: s.getFeedback},
	}
}

// createFeedback handles POST /api/v1/feedback: one item, a JSON array or
// NDJSON, atomic unless ?partial=true. It is also the webhook intake for
// review and social-media tools: point them at it with an API key.
func (s *server) createFeedback(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	ingest(s, w, r, key, batchKind[text.Feedback]{
		insert:         s.db.InsertFeedback,
		idempotencyKey: func(x *text.Feedback) *string { return &x.IdempotencyKey },
	})
}

// feedbackView is a feedback item with its text analysis.
type feedbackView struct {
	text.Feedback
	Analysis *store.ItemText `json:"analysis,omitempty"`
}

// listFeedback handles GET /api/v1/feedback (?source= filters).
func (s *server) listFeedback(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	p := newParams(r)
	f := store.FeedbackFilter{ListFilter: p.listFilter(), Source: strings.ToLower(p.str("source"))}
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := s.db.Feedback(r.Context(), key.WorkspaceID, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	views, err := s.withAnalysis(r, key.WorkspaceID, page.Items)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, views, page.NextCursor)
}

func (s *server) withAnalysis(r *http.Request, ws int64, items []text.Feedback) ([]feedbackView, error) {
	ids := make([]int64, len(items))
	for i, f := range items {
		ids[i] = f.ID
	}
	an, err := s.db.ItemTexts(r.Context(), ws, store.TextFeedback, ids)
	if err != nil {
		return nil, err
	}
	out := make([]feedbackView, len(items))
	for i, f := range items {
		out[i] = feedbackView{Feedback: f, Analysis: an[f.ID]}
	}
	return out, nil
}

// getFeedback handles GET /api/v1/feedback/{id}.
func (s *server) getFeedback(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := s.db.FeedbackItem(r.Context(), key.WorkspaceID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	views, err := s.withAnalysis(r, key.WorkspaceID, []text.Feedback{f})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, views[0])
}

// themeQuery is the parsed query of the theme reads.
type themeQuery struct {
	from, to time.Time
	interval string
	groupBy  string
	filters  []analytics.Filter
	sources  map[string]bool // nil for all; "survey" selects responses
}

func parseThemeQuery(p *params, now time.Time) themeQuery {
	q := themeQuery{from: p.time("from"), to: p.time("to"), interval: p.str("interval"), groupBy: p.str("group_by")}
	switch q.interval {
	case "", "day", "week", "month":
	default:
		p.errs = append(p.errs, cx.FieldError{Field: "interval", Reason: "must be day, week or month"})
	}
	for _, f := range p.q["filter"] {
		pf, err := analytics.ParseFilter(f)
		if err != nil {
			p.errs = append(p.errs, cx.FieldError{Field: "filter", Reason: fmt.Sprintf("%q: want attribute=value[,value...]", f)})
			continue
		}
		q.filters = append(q.filters, pf)
	}
	if v := p.str("source"); v != "" {
		q.sources = map[string]bool{}
		for _, s := range strings.Split(strings.ToLower(v), ",") {
			q.sources[strings.TrimSpace(s)] = true
		}
	}
	if q.to.IsZero() {
		q.to = now.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	}
	if q.from.IsZero() {
		q.from = q.to.AddDate(0, 0, -90)
	}
	if !q.from.Before(q.to) {
		p.errs = append(p.errs, cx.FieldError{Field: "to", Reason: "must be after from"})
	}
	return q
}

func (q themeQuery) keep(row *store.ThemeRow) bool {
	if q.sources != nil && !q.sources[row.Source] {
		return false
	}
	for _, f := range q.filters {
		v := row.Attr(f.Attr)
		ok := false
		for _, want := range f.Values {
			if v == want {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func (q themeQuery) items(rows []store.ThemeRow) []report.ThemeItem {
	var out []report.ThemeItem
	for i := range rows {
		row := &rows[i]
		if !q.keep(row) {
			continue
		}
		it := report.ThemeItemOf(row)
		if q.groupBy != "" {
			it.Segment = row.Attr(q.groupBy)
			if it.Segment == "" {
				it.Segment = "(none)"
			}
		}
		out = append(out, it)
	}
	return out
}

// getThemes handles GET /api/v1/themes: each theme's volume, share,
// NPS/CSAT/CES, impact on NPS, sentiment, trend and emerging flag over
// [from, to) (default: the last 90 days), per group_by segment, filtered
// like the metrics route and by source.
func (s *server) getThemes(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	p := newParams(r)
	q := parseThemeQuery(p, s.opts.Now())
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	cf, err := s.db.Codeframe(ctx, key.WorkspaceID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	prevFrom := q.from.Add(-q.to.Sub(q.from))
	rows, err := s.db.ThemeRows(ctx, key.WorkspaceID, prevFrom, q.to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var cur, prev []store.ThemeRow
	for _, row := range rows {
		if row.At.Before(q.from) {
			prev = append(prev, row)
		} else {
			cur = append(cur, row)
		}
	}
	rep, err := report.Themes(metrics.Config{}, cf.Codeframe, cf.IsExcluded, q.items(cur), q.items(prev),
		report.ThemesRequest{From: q.from, To: q.to, Interval: q.interval})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	model, err := s.db.SentimentModel(ctx, key.WorkspaceID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		report.ThemesReport
		Codeframe      string                   `json:"codeframe"` // "starter" or "workspace"
		SentimentModel store.SentimentModelInfo `json:"sentiment_model"`
	}{rep, map[bool]string{false: "starter", true: "workspace"}[cf.Own], model})
}

// verbatim is one comment shown for a theme.
type verbatim struct {
	Kind      string    `json:"kind"`
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	Source    string    `json:"source"`
	Survey    string    `json:"survey,omitempty"`
	Score     *int      `json:"score,omitempty"`
	Rating    *float64  `json:"rating,omitempty"`
	Text      string    `json:"text"`
	Language  string    `json:"language"`
	Sentiment float64   `json:"sentiment"`
	// Sentences are the byte ranges of Text that matched the theme, for
	// highlighting (empty for a manual tag).
	Sentences [][2]int `json:"sentences"`
}

// maxVerbatimPool bounds how many of a theme's comments are ranked for
// centrality (the most recent ones); ranking is quadratic in it.
const maxVerbatimPool = 600

// themeResponses handles GET /api/v1/themes/{theme}/responses: the
// comments tagged with the theme, most representative first (the most
// central by word overlap with the others, not a random sample), with
// the matched sentences, paged by cursor.
func (s *server) themeResponses(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	p := newParams(r)
	q := parseThemeQuery(p, s.opts.Now())
	limit := p.limit()
	if limit == 0 {
		limit = 20
	}
	offset := 0
	if c := p.str("cursor"); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 {
			p.errs = append(p.errs, cx.FieldError{Field: "cursor", Reason: "is not a cursor from a previous page"})
		}
		offset = n
	}
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	id := r.PathValue("theme")
	cf, err := s.db.Codeframe(ctx, key.WorkspaceID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, ok := cf.Codeframe.Theme(id); !ok {
		s.fail(w, r, fmt.Errorf("theme %q: %w", id, cx.ErrNotFound))
		return
	}
	rows, err := s.db.ThemeRows(ctx, key.WorkspaceID, q.from, q.to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var pool []*store.ThemeRow
	for i := len(rows) - 1; i >= 0 && len(pool) < maxVerbatimPool; i-- {
		row := &rows[i]
		if q.keep(row) && contains(row.Themes, id) {
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
	order := report.Centrality(toks)
	out := []verbatim{}
	for n := offset; n < len(order) && len(out) < limit; n++ {
		row := pool[order[n]]
		v := verbatim{Kind: row.Kind, ID: row.ID, At: row.At, Source: row.Source, Survey: row.Survey, Rating: row.Rating,
			Text: row.Text, Language: row.Language, Sentiment: row.Sentiment, Sentences: row.Sentences[id]}
		if v.Sentences == nil {
			v.Sentences = [][2]int{}
		}
		if row.Kind == store.TextResponse {
			score := row.Score
			v.Score = &score
		}
		out = append(out, v)
	}
	next := ""
	if offset+len(out) < len(order) {
		next = strconv.Itoa(offset + len(out))
	}
	writeList(w, out, next)
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// codeframeView is the codeframe as the API shows it.
type codeframeView struct {
	Own      bool           `json:"own"` // false while the starter codeframe applies
	Themes   []themes.Theme `json:"themes"`
	Excluded []string       `json:"excluded"`
	Retagged *int           `json:"retagged,omitempty"` // comments re-tagged by this change
}

func viewOf(cf store.WorkspaceCodeframe, retagged *int) codeframeView {
	ex := cf.Excluded
	if ex == nil {
		ex = []string{}
	}
	return codeframeView{Own: cf.Own, Themes: cf.Codeframe.Themes, Excluded: ex, Retagged: retagged}
}

// getCodeframe handles GET /api/v1/codeframe.
func (s *server) getCodeframe(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	cf, err := s.db.Codeframe(r.Context(), key.WorkspaceID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewOf(cf, nil))
}

// putCodeframe handles PUT /api/v1/codeframe: replace the whole codeframe
// (themes and excluded), then re-tag.
func (s *server) putCodeframe(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	var in struct {
		Themes   []themes.Theme `json:"themes"`
		Excluded []string       `json:"excluded"`
	}
	if err := decodeOne(r.Body, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if len(in.Themes) == 0 {
		s.fail(w, r, cx.Invalid("themes", "is required (DELETE /api/v1/codeframe returns to the starter codeframe)"))
		return
	}
	s.saveCodeframe(w, r, key.WorkspaceID, store.CodeframeChange{Codeframe: themes.Codeframe{Themes: in.Themes}, Excluded: in.Excluded})
}

// resetCodeframe handles DELETE /api/v1/codeframe: back to the starter.
func (s *server) resetCodeframe(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	n, err := s.db.ResetCodeframe(r.Context(), key.WorkspaceID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cf, err := s.db.Codeframe(r.Context(), key.WorkspaceID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewOf(cf, &n))
}

// editCodeframe loads the codeframe, applies f and saves the result.
func (s *server) editCodeframe(w http.ResponseWriter, r *http.Request, ws int64, status int, f func(cf store.WorkspaceCodeframe) (store.CodeframeChange, error)) {
	cf, err := s.db.Codeframe(r.Context(), ws)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ch, err := f(cf)
	if err != nil {
		s.fail(w, r, themeError(err))
		return
	}
	if ch.Excluded == nil {
		ch.Excluded = cf.Excluded
	}
	s.saveCodeframeStatus(w, r, ws, ch, status)
}

func (s *server) saveCodeframe(w http.ResponseWriter, r *http.Request, ws int64, ch store.CodeframeChange) {
	s.saveCodeframeStatus(w, r, ws, ch, http.StatusOK)
}

func (s *server) saveCodeframeStatus(w http.ResponseWriter, r *http.Request, ws int64, ch store.CodeframeChange, status int) {
	n, err := s.db.SaveCodeframe(r.Context(), ws, ch)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cf, err := s.db.Codeframe(r.Context(), ws)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, status, viewOf(cf, &n))
}

// themeError maps the codeframe package's errors to the API's.
func themeError(err error) error {
	switch {
	case errors.Is(err, themes.ErrNotFound):
		return fmt.Errorf("%v: %w", err, cx.ErrNotFound)
	case errors.Is(err, themes.ErrInvalid):
		return cx.Invalid("theme", strings.TrimPrefix(err.Error(), themes.ErrInvalid.Error()+": "))
	}
	return err
}

// themeInput is the body of POST /api/v1/themes.
type themeInput struct {
	ID      string              `json:"id"`
	Name    string              `json:"name"`
	Parent  string              `json:"parent"`
	Terms   map[string][]string `json:"terms"`
	Exclude map[string][]string `json:"exclude"`
}

// createTheme handles POST /api/v1/themes: add a theme (the workspace's
// codeframe starts as a copy of the starter).
func (s *server) createTheme(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	var in themeInput
	if err := decodeOne(r.Body, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := checkTerms("terms", in.Terms); err != nil {
		s.fail(w, r, err)
		return
	}
	s.editCodeframe(w, r, key.WorkspaceID, http.StatusCreated, func(cf store.WorkspaceCodeframe) (store.CodeframeChange, error) {
		c, _, err := themes.Add(cf.Codeframe, themes.Theme{ID: in.ID, Name: in.Name, Parent: in.Parent, Terms: in.Terms, Exclude: in.Exclude})
		return store.CodeframeChange{Codeframe: c}, err
	})
}

// checkTerms requires base language keys (en, ro, zh) and non-empty terms.
func checkTerms(field string, m map[string][]string) error {
	for lang, ts := range m {
		switch lang {
		case "en", "ro", "zh":
		default:
			return cx.Invalid(field+"."+lang, "language must be en, ro or zh")
		}
		for _, t := range ts {
			if strings.TrimSpace(t) == "" || len(t) > 200 {
				return cx.Invalid(field+"."+lang, "terms must be 1–200 bytes")
			}
		}
	}
	return nil
}

// themePatch is the body of PATCH /api/v1/themes/{theme}; every field is
// optional and they apply in this order.
type themePatch struct {
	Name         *string             `json:"name"`
	Parent       *string             `json:"parent"` // "" moves to the top level
	AddTerms     map[string][]string `json:"add_terms"`
	RemoveTerms  map[string][]string `json:"remove_terms"`
	ExcludeTerms map[string][]string `json:"exclude_terms"`
	Excluded     *bool               `json:"excluded"` // exclude the whole theme from tagging and reports
}

// patchTheme handles PATCH /api/v1/themes/{theme}: rename, move, add or
// remove terms, add exclusion terms, exclude or include the theme.
func (s *server) patchTheme(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	var in themePatch
	if err := decodeOne(r.Body, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	for field, m := range map[string]map[string][]string{"add_terms": in.AddTerms, "remove_terms": in.RemoveTerms, "exclude_terms": in.ExcludeTerms} {
		if err := checkTerms(field, m); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	id := r.PathValue("theme")
	s.editCodeframe(w, r, key.WorkspaceID, http.StatusOK, func(cf store.WorkspaceCodeframe) (store.CodeframeChange, error) {
		c := cf.Codeframe
		if _, ok := c.Theme(id); !ok {
			return store.CodeframeChange{}, fmt.Errorf("%w: %q", themes.ErrNotFound, id)
		}
		var err error
		if in.Name != nil {
			if c, err = themes.Rename(c, id, *in.Name); err != nil {
				return store.CodeframeChange{}, err
			}
		}
		if in.Parent != nil {
			if c, err = themes.Move(c, id, *in.Parent); err != nil {
				return store.CodeframeChange{}, err
			}
		}
		for _, op := range []struct {
			m map[string][]string
			f func(themes.Codeframe, string, string, ...string) (themes.Codeframe, error)
		}{{in.AddTerms, themes.AddTerms}, {in.RemoveTerms, themes.RemoveTerms}, {in.ExcludeTerms, themes.Exclude}} {
			for _, lang := range sortedLangs(op.m) {
				if c, err = op.f(c, id, lang, op.m[lang]...); err != nil {
					return store.CodeframeChange{}, err
				}
			}
		}
		excluded := append([]string{}, cf.Excluded...)
		if in.Excluded != nil {
			var keep []string
			for _, e := range excluded {
				if e != id {
					keep = append(keep, e)
				}
			}
			if *in.Excluded {
				keep = append(keep, id)
			}
			excluded = append([]string{}, keep...)
		}
		return store.CodeframeChange{Codeframe: c, Excluded: excluded}, nil
	})
}

func sortedLangs(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for l := range m {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// deleteTheme handles DELETE /api/v1/themes/{theme}: its sub-themes move up
// and its tags are dropped.
func (s *server) deleteTheme(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	id := r.PathValue("theme")
	s.editCodeframe(w, r, key.WorkspaceID, http.StatusOK, func(cf store.WorkspaceCodeframe) (store.CodeframeChange, error) {
		c, err := themes.Delete(cf.Codeframe, id)
		var ex []string
		for _, e := range cf.Excluded {
			if e != id {
				ex = append(ex, e)
			}
		}
		return store.CodeframeChange{Codeframe: c, Excluded: append([]string{}, ex...)}, err
	})
}

// mergeTheme handles POST /api/v1/themes/{theme}/merge {"into": id}: the
// theme's terms, sub-themes and tags (manual ones too) go to into.
func (s *server) mergeTheme(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	var in struct {
		Into string `json:"into"`
	}
	if err := decodeOne(r.Body, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	from := r.PathValue("theme")
	s.editCodeframe(w, r, key.WorkspaceID, http.StatusOK, func(cf store.WorkspaceCodeframe) (store.CodeframeChange, error) {
		if _, ok := cf.Codeframe.Theme(in.Into); !ok {
			return store.CodeframeChange{}, cx.Invalid("into", fmt.Sprintf("unknown theme %q", in.Into))
		}
		c, err := themes.Merge(cf.Codeframe, in.Into, from)
		var ex []string
		for _, e := range cf.Excluded {
			if e != from {
				ex = append(ex, e)
			}
		}
		return store.CodeframeChange{Codeframe: c, Excluded: append([]string{}, ex...), Rewrite: map[string]string{from: in.Into}}, err
	})
}

// splitTheme handles POST /api/v1/themes/{theme}/split {"name", "terms"}:
// a new sibling theme takes those terms away from the theme.
func (s *server) splitTheme(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	var in struct {
		Name  string              `json:"name"`
		Terms map[string][]string `json:"terms"`
	}
	if err := decodeOne(r.Body, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := checkTerms("terms", in.Terms); err != nil {
		s.fail(w, r, err)
		return
	}
	s.editCodeframe(w, r, key.WorkspaceID, http.StatusCreated, func(cf store.WorkspaceCodeframe) (store.CodeframeChange, error) {
		c, _, err := themes.Split(cf.Codeframe, r.PathValue("theme"), in.Name, in.Terms)
		return store.CodeframeChange{Codeframe: c}, err
	})
}

// tagHandler handles PUT (add) and DELETE (remove) of a manual theme tag on
// one response or feedback item; the tagger's re-runs keep it.
func (s *server) tagHandler(kind string, add bool) keyHandler {
	return func(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
		id, err := pathID(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if err := s.db.SetItemTheme(r.Context(), key.WorkspaceID, kind, id, r.PathValue("theme"), add); err != nil {
			s.fail(w, r, err)
			return
		}
		an, err := s.db.ItemTexts(r.Context(), key.WorkspaceID, kind, []int64{id})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, an[id])
	}
}

// itemTextHandler handles GET /api/v1/responses/{id}/themes: the language,
// sentiment (with the model used) and themes of one response's comment,
// with the matched sentences' byte offsets.
func (s *server) itemTextHandler(kind string) keyHandler {
	return func(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
		id, err := pathID(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if _, err := s.db.Response(r.Context(), key.WorkspaceID, id); err != nil {
			s.fail(w, r, err)
			return
		}
		an, err := s.db.ItemTexts(r.Context(), key.WorkspaceID, kind, []int64{id})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		it := an[id]
		if it == nil {
			it = &store.ItemText{Kind: kind, ID: id, Themes: []store.ItemTheme{}} // no comment
		}
		writeJSON(w, http.StatusOK, it)
	}
}

// discoverInput is the optional body of POST /api/v1/themes/discover.
type discoverInput struct {
	Themes    int  `json:"themes"`     // top-level themes, default 10, at most 50
	SubThemes int  `json:"sub_themes"` // per theme, default 0, at most 10
	Apply     bool `json:"apply"`      // save the proposal as the workspace codeframe
}

// discoverThemes handles POST /api/v1/themes/discover: propose a codeframe
// from the workspace's comments (the last 100,000), without labels; with
// "apply": true it becomes the workspace's codeframe.
func (s *server) discoverThemes(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	in := discoverInput{}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := decodeOne(strings.NewReader(string(body)), &in); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	switch {
	case in.Themes < 0 || in.Themes > 50:
		s.fail(w, r, cx.Invalid("themes", "must be 0–50 (0 for the default 10)"))
		return
	case in.SubThemes < 0 || in.SubThemes > 10:
		s.fail(w, r, cx.Invalid("sub_themes", "must be 0–10"))
		return
	}
	d, n, err := s.db.DiscoverThemes(r.Context(), key.WorkspaceID, themes.DiscoverOptions{Themes: in.Themes, SubThemes: in.SubThemes})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := struct {
		Comments int            `json:"comments"`
		Themes   []themes.Theme `json:"themes"`
		Applied  bool           `json:"applied"`
		Retagged int            `json:"retagged,omitempty"`
		Unplaced int            `json:"unplaced"` // comments with no candidate term
	}{Comments: n, Themes: d.Codeframe.Themes}
	for _, a := range d.Assign {
		if a < 0 {
			out.Unplaced++
		}
	}
	if in.Apply {
		if len(d.Codeframe.Themes) == 0 {
			s.fail(w, r, cx.Invalid("apply", "no themes were discovered (too few comments)"))
			return
		}
		if out.Retagged, err = s.db.SaveCodeframe(r.Context(), key.WorkspaceID, store.CodeframeChange{Codeframe: d.Codeframe}); err != nil {
			s.fail(w, r, err)
			return
		}
		out.Applied = true
	}
	b, err := json.Marshal(out)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeBody(w, http.StatusOK, append(b, '\n'))
}
