package web

// The Surveys pages: the list (kind, status, responses, response rate),
// a survey with its preview in each language, anonymous link, widget
// snippet, triggers, throttle and funnel (store.Funnel, as GET
// /api/v1/surveys/{key}/funnel), and the form that creates a survey from
// a template (survey.FromTemplate, as POST /api/v1/surveys with template).

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
	"github.com/cxlens/cxlens/internal/distribution"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/survey"
)

// surveyRow is one survey of the list.
type surveyRow struct {
	cx.Survey
	Status    string // active or archived
	Responses int64
	Sent      int64
	Rate      string // answered / sent, "–" when none was sent
	RateValue *float64
}

// surveysData is the survey list.
type surveysData struct {
	Rows      []surveyRow
	Templates []string
	Err       string
	Form      struct{ Key, Name, Template string }
}

// rateStr formats a response rate for the page, an en dash when nothing
// was sent.
func rateStr(p *float64) string {
	if p == nil {
		return "–"
	}
	return fmtPct(*p, 1)
}

// surveyList reads every survey with its response count (analytics index)
// and response rate (store.Funnel).
func (s *Server) surveyList(ctx context.Context, v *view) (surveysData, error) {
	d := surveysData{Templates: survey.TemplateNames()}
	list, err := s.db.Surveys(ctx, v.Workspace.ID)
	if err != nil {
		return d, err
	}
	ix, ixErr := s.opts.Indexes.Get(ctx, v.Workspace.ID)
	for _, sv := range list {
		row := surveyRow{Survey: sv, Status: "active"}
		if sv.ArchivedAt != nil {
			row.Status = "archived"
		}
		if ixErr == nil {
			if res, err := ix.Query(analytics.Query{Survey: sv.Key}); err == nil {
				row.Responses = res.Overall.N
			}
		}
		fr, err := s.db.Funnel(ctx, v.Workspace.ID, sv.Key, zeroTime, zeroTime)
		if err != nil {
			return d, err
		}
		var answered int64
		for _, f := range fr {
			row.Sent += f.Sent
			answered += f.Answered
		}
		row.RateValue = store.ResponseRate(answered, row.Sent)
		row.Rate = rateStr(row.RateValue)
		d.Rows = append(d.Rows, row)
	}
	return d, nil
}

// surveysPage renders the survey list, or it as CSV.
func (s *Server) surveysPage(w http.ResponseWriter, r *http.Request, v *view) {
	d, err := s.surveyList(r.Context(), v)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if wantsCSV(r) {
		rows := make([][]string, 0, len(d.Rows))
		for _, x := range d.Rows {
			rows = append(rows, []string{x.Key, x.Name, string(x.Kind), x.Status, strconv.FormatInt(x.Responses, 10), strconv.FormatInt(x.Sent, 10), csvFixed(x.RateValue, 4)})
		}
		writeTableCSV(w, "surveys", []string{"key", "name", "kind", "status", "responses", "sent", "response_rate"}, rows)
		return
	}
	s.render(w, r, v, "surveys", d)
}

// createSurveyPage creates a survey from a template (nps, csat or ces)
// with the key and name of the form, then shows it.
func (s *Server) createSurveyPage(w http.ResponseWriter, r *http.Request, v *view) {
	ctx := r.Context()
	key := strings.TrimSpace(r.PostFormValue("key"))
	name := strings.TrimSpace(r.PostFormValue("name"))
	tmpl := r.PostFormValue("template")
	sv, err := survey.FromTemplate(tmpl, key)
	if err == nil {
		if name != "" {
			sv.Name = name
		}
		_, err = s.db.CreateSurvey(ctx, v.Workspace.ID, sv)
	}
	if err == nil {
		http.Redirect(w, r, "/app/surveys/"+key, http.StatusSeeOther)
		return
	}
	var msg string
	switch {
	case errors.Is(err, cx.ErrConflict):
		msg = v.T("surveys.error.taken", key)
	case isInvalid(err):
		msg = fieldMessage(v, err)
	default:
		s.serverError(w, r, err)
		return
	}
	d, lerr := s.surveyList(ctx, v)
	if lerr != nil {
		s.serverError(w, r, lerr)
		return
	}
	d.Err = msg
	d.Form.Key, d.Form.Name, d.Form.Template = key, name, tmpl
	s.renderBlock(w, r, v, http.StatusUnprocessableEntity, "surveys", renderName(r), d)
}

// funnelRow is one row of a survey's funnel with its response rate.
type funnelRow struct {
	store.FunnelRow
	Rate string
}

// surveyData is a survey's page.
type surveyData struct {
	Survey   cx.Survey
	Langs    []string // languages to preview
	Lang     string   // the language previewed
	Link     string   // anonymous link (absolute)
	Snippet  string   // widget embed snippet
	Triggers []distribution.Trigger
	Throttle distribution.Throttle
	Policy   *distribution.SurveyPolicy
	Funnel   []funnelRow
	Total    funnelRow
}

// surveyLangs are the languages a survey can be previewed in: its own
// translations in the order of survey.Languages, else every shipped one.
func surveyLangs(sv cx.Survey) []string {
	var out []string
	for _, l := range survey.Languages {
		if _, ok := sv.Design.Texts[l]; ok {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		out = slices.Clone(survey.Languages)
	}
	return out
}

// surveyPage renders a survey: preview, link, snippet, distribution
// settings and funnel; ?format=csv exports the funnel (&table=triggers
// the triggers).
func (s *Server) surveyPage(w http.ResponseWriter, r *http.Request, v *view) {
	ctx := r.Context()
	sv, err := s.db.Survey(ctx, v.Workspace.ID, r.PathValue("key"))
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	d := surveyData{Survey: sv, Langs: surveyLangs(sv)}
	d.Lang = d.Langs[0]
	if l := v.Query.Get("lang"); slices.Contains(d.Langs, l) {
		d.Lang = l
	}
	rows, err := s.db.Funnel(ctx, v.Workspace.ID, sv.Key, zeroTime, zeroTime)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, f := range rows {
		d.Funnel = append(d.Funnel, funnelRow{FunnelRow: f, Rate: rateStr(store.ResponseRate(f.Answered, f.Sent))})
		d.Total.Add(f)
	}
	d.Total.Rate = rateStr(store.ResponseRate(d.Total.Answered, d.Total.Sent))
	trs, err := s.db.Triggers(ctx, v.Workspace.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, t := range trs {
		if t.Survey == sv.Key {
			d.Triggers = append(d.Triggers, t)
		}
	}
	if wantsCSV(r) && v.Query.Get("table") == "triggers" {
		out := make([][]string, 0, len(d.Triggers))
		for _, t := range d.Triggers {
			out = append(out, []string{itoa64(t.ID), t.Name, t.Source, t.EventType, itoa64(t.DelaySeconds), strconv.Itoa(t.EveryDays), t.Language, t.Touchpoint, strconv.FormatBool(t.Enabled)})
		}
		writeTableCSV(w, "triggers-"+sv.Key, []string{"id", "name", "source", "event_type", "delay_seconds", "every_days", "language", "touchpoint", "enabled"}, out)
		return
	}
	if wantsCSV(r) {
		out := make([][]string, 0, len(d.Funnel))
		for _, f := range d.Funnel {
			out = append(out, []string{f.Channel, f.Language, itoa64(f.Invited), itoa64(f.Suppressed), itoa64(f.Sent), itoa64(f.Delivered),
				itoa64(f.Opened), itoa64(f.Answered), csvFixed(store.ResponseRate(f.Answered, f.Sent), 4)})
		}
		writeTableCSV(w, "funnel-"+sv.Key, []string{"channel", "language", "invited", "suppressed", "sent", "delivered", "opened", "answered", "response_rate"}, out)
		return
	}
	// The widget settings are made on first read (a public key per
	// workspace), as the API's GET /api/v1/widget does.
	wg, err := s.db.Widget(ctx, v.Workspace.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	base := s.baseURL(r)
	d.Link = base + AnonymousLinkPath(wg.PublicKey, sv.Key)
	d.Snippet = fmt.Sprintf(`<script src="%s/w/widget.js" data-key="%s" data-survey="%s" async></script>`, base, wg.PublicKey, sv.Key)
	if d.Throttle, err = s.db.Throttle(ctx, v.Workspace.ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	pols, err := s.db.SurveyPolicies(ctx, v.Workspace.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if p, ok := pols[sv.Key]; ok {
		d.Policy = &p
	}
	s.render(w, r, v, "survey", d)
}

// zeroTime leaves a funnel range open.
var zeroTime time.Time

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// surveyPreview renders the hosted survey page of a survey in ?lang= with
// the survey renderer, for the dashboard's preview frame: framed by this
// site only, and its form cannot be submitted (nothing is recorded).
func (s *Server) surveyPreview(w http.ResponseWriter, r *http.Request, v *view) {
	sv, err := s.db.Survey(r.Context(), v.Workspace.ID, r.PathValue("key"))
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	langs := surveyLangs(sv)
	lang := langs[0]
	if l := survey.Match(v.Query.Get("lang"), langs); l != "" {
		lang = l
	}
	d := basePage(sv, lang)
	d.Step = "score"
	b, err := renderSurveyPage(d)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src https: data:; form-action 'none'; frame-ancestors 'self'; base-uri 'none'")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}
