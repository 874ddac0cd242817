package web

// The survey editor: a survey's name, status, default language and, in
// each language, its question, scale labels and follow-up prompts, with a
// live preview re-rendered by htmx as the user types (the hosted survey
// page itself, in a sandboxed frame). Saving goes through
// store.UpdateSurvey (cx.Survey.Validate), as PATCH /api/v1/surveys/{key}
// and `cxlens survey update` do, then store.ArchiveSurvey for the status.

import (
	"errors"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/survey"
)

// editTextFields are the per-language texts the editor changes: the
// suffix of the input's name (design.texts.<lang>.<suffix>, the path
// cx.Survey.Validate reports errors under) and its catalogue label.
var editTextFields = []struct{ Suffix, Label string }{
	{"question", "surveys.edit.question"},
	{"low_label", "surveys.edit.low"},
	{"high_label", "surveys.edit.high"},
	{"follow_up.detractor", "surveys.edit.followup.detractor"},
	{"follow_up.passive", "surveys.edit.followup.passive"},
	{"follow_up.promoter", "surveys.edit.followup.promoter"},
}

// textField points at one text of a SurveyTexts.
func textField(t *cx.SurveyTexts, suffix string) *string {
	switch suffix {
	case "question":
		return &t.Question
	case "low_label":
		return &t.LowLabel
	case "high_label":
		return &t.HighLabel
	case "follow_up.detractor":
		return &t.FollowUp.Detractor
	case "follow_up.passive":
		return &t.FollowUp.Passive
	case "follow_up.promoter":
		return &t.FollowUp.Promoter
	}
	return nil
}

// editInput is one text input of the editor.
type editInput struct {
	Name, ID, Label string // Label is translated
	Lang            string // the language of the text, "" for the UI's
	Value           string
	Placeholder     string // what shows when the field is left empty
	Long            bool   // a textarea
	Err             string // validation reason, "" if fine
}

// editLang is the fieldset of one language.
type editLang struct {
	Lang, Label string
	Inputs      []editInput
}

// surveyLangLabel names a survey language in the UI language: the
// shipped ones by name, others by their tag.
func surveyLangLabel(v *view, lang string) string {
	if slices.Contains(survey.Languages, lang) {
		return v.T("surveys.lang."+lang) + " (" + lang + ")"
	}
	return lang
}

// previewStep is one choice of the preview's step select.
type previewStep struct {
	Value, Label string
	Score        int
}

// surveyEditData is the editor page.
type surveyEditData struct {
	Survey      cx.Survey // as stored
	Name        editInput
	Status      string // active or archived
	DefaultLang string
	DefaultErr  string
	Langs       []editLang
	Err         string            // form-wide error
	Other       []string          // errors of fields the form does not show
	Saved       bool              // ?saved=1 after a save
	Statuses    []string          // active, archived
	Preview     surveyEditPreview // the preview pane
}

// surveyEditPreview is the live preview pane.
type surveyEditPreview struct {
	Key   string
	Lang  string
	Langs []editLang // Lang and Label only
	Step  string
	Steps []previewStep
	Doc   string // the rendered survey page, for the frame's srcdoc
}

// editLangs are the languages the editor shows: the shipped ones, then
// any other language the survey has texts in or defaults to.
func editLangs(sv cx.Survey) []string {
	out := slices.Clone(survey.Languages)
	var extra []string
	for l := range sv.Design.Texts {
		if !slices.Contains(out, l) {
			extra = append(extra, l)
		}
	}
	if l := sv.Design.DefaultLanguage; l != "" && !slices.Contains(out, l) && !slices.Contains(extra, l) {
		extra = append(extra, l)
	}
	sort.Strings(extra)
	return append(out, extra...)
}

// applyEditForm returns sv with the editor's form applied: name, default
// language and the texts of each language shown. Texts the form does not
// show (thank-you messages, extra questions' labels, branding) stay.
func applyEditForm(sv cx.Survey, form map[string][]string) cx.Survey {
	get := func(k string) (string, bool) {
		v, ok := form[k]
		if !ok || len(v) == 0 {
			return "", false
		}
		return strings.TrimSpace(v[0]), true
	}
	if v, ok := get("name"); ok {
		sv.Name = v
	}
	if v, ok := get("design.default_language"); ok && v != "" {
		sv.Design.DefaultLanguage = v
	}
	texts := make(map[string]cx.SurveyTexts, len(sv.Design.Texts))
	for l, t := range sv.Design.Texts {
		texts[l] = t
	}
	for _, lang := range editLangs(sv) {
		t := texts[lang]
		seen := false
		for _, f := range editTextFields {
			if v, ok := get("design.texts." + lang + "." + f.Suffix); ok {
				*textField(&t, f.Suffix) = v
				seen = true
			}
		}
		switch {
		case !seen:
		case emptyTexts(t):
			delete(texts, lang)
		default:
			texts[lang] = t
		}
	}
	sv.Design.Texts = texts
	def := sv.Design.DefaultLanguage
	if def == "" {
		def = "en"
	}
	// The main question is the default language's, as `survey update
	// --question` keeps them equal.
	if q := texts[def].Question; q != "" {
		sv.Question = q
	}
	return sv
}

// emptyTexts reports whether t says nothing.
func emptyTexts(t cx.SurveyTexts) bool {
	return t.Question == "" && t.LowLabel == "" && t.HighLabel == "" && t.FollowUp == (cx.CategoryTexts{}) &&
		t.ThankYou == (cx.CategoryTexts{}) && len(t.Questions) == 0
}

// surveyEditFormData fills the editor from sv (as edited) and the stored
// survey; errs are the validation errors by field.
func (s *Server) surveyEditFormData(v *view, stored, sv cx.Survey, status string, errs map[string]string) surveyEditData {
	d := surveyEditData{Survey: stored, Status: status, DefaultLang: sv.Design.DefaultLanguage, Statuses: []string{"active", "archived"}}
	if d.DefaultLang == "" {
		d.DefaultLang = "en"
	}
	d.Name = editInput{Name: "name", ID: "e-name", Label: v.T("surveys.name"), Value: sv.Name, Placeholder: sv.Key, Err: errs["name"]}
	d.DefaultErr = errs["design.default_language"]
	// The main question's errors show at the default language's question.
	if e := errs["question"]; e != "" {
		k := "design.texts." + d.DefaultLang + ".question"
		if errs[k] == "" {
			errs[k] = e
		}
	}
	shown := map[string]bool{"name": true, "question": true, "design.default_language": true}
	for _, lang := range editLangs(sv) {
		t := sv.Design.Texts[lang]
		l := survey.Localize(sv, lang)
		ph := cx.SurveyTexts{Question: l.Question, LowLabel: l.LowLabel, HighLabel: l.HighLabel, FollowUp: l.FollowUp}
		el := editLang{Lang: lang, Label: surveyLangLabel(v, lang)}
		for _, f := range editTextFields {
			name := "design.texts." + lang + "." + f.Suffix
			shown[name] = true
			el.Inputs = append(el.Inputs, editInput{Name: name, ID: "e-" + lang + "-" + strings.ReplaceAll(f.Suffix, ".", "-"), Label: v.T(f.Label), Lang: lang,
				Value: *textField(&t, f.Suffix), Placeholder: *textField(&ph, f.Suffix), Long: f.Suffix != "low_label" && f.Suffix != "high_label", Err: errs[name]})
		}
		d.Langs = append(d.Langs, el)
	}
	for k, e := range errs {
		if !shown[k] {
			d.Other = append(d.Other, v.T("analytics.error.field", k, e))
		}
	}
	sort.Strings(d.Other)
	return d
}

// previewSteps lists the preview's steps: the score question, then the
// follow-up after the lowest score of each category on sv's scale.
func previewSteps(v *view, sv cx.Survey) []previewStep {
	out := []previewStep{{Value: "score", Label: v.T("surveys.edit.step.score")}}
	seen := map[survey.Category]bool{}
	for n := sv.ScaleMin; n <= sv.ScaleMax; n++ {
		c := survey.Categorize(sv, n)
		if seen[c] {
			continue
		}
		seen[c] = true
		out = append(out, previewStep{Value: strconv.Itoa(n), Label: v.T("surveys.edit.step.comment", n), Score: n})
	}
	return out
}

// editPreview renders sv's hosted page in lang at step (score, or a score
// whose follow-up is shown) for the preview frame.
func (s *Server) editPreview(v *view, sv cx.Survey, lang, step string) (surveyEditPreview, error) {
	p := surveyEditPreview{Key: sv.Key, Steps: previewSteps(v, sv), Step: "score"}
	langs := editLangs(sv)
	for _, l := range langs {
		p.Langs = append(p.Langs, editLang{Lang: l, Label: surveyLangLabel(v, l)})
	}
	p.Lang = langs[0]
	if l := survey.Match(lang, langs); l != "" {
		p.Lang = l
	} else if l := survey.Match(sv.Design.DefaultLanguage, langs); l != "" {
		p.Lang = l
	}
	d := basePage(sv, p.Lang)
	d.Step = "score"
	if n, err := strconv.Atoi(step); err == nil && n >= sv.ScaleMin && n <= sv.ScaleMax {
		p.Step = step
		d.ChangeURL = "#"
		d = commentStep(d, sv, n)
	}
	b, err := renderSurveyPage(d)
	if err != nil {
		return p, err
	}
	p.Doc = string(b)
	return p, nil
}

// surveyStatus is a survey's status in the editor.
func surveyStatus(sv cx.Survey) string {
	if sv.ArchivedAt != nil {
		return "archived"
	}
	return "active"
}

// surveyEditPage shows the editor with the stored survey.
func (s *Server) surveyEditPage(w http.ResponseWriter, r *http.Request, v *view) {
	sv, err := s.db.Survey(r.Context(), v.Workspace.ID, r.PathValue("key"))
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	d := s.surveyEditFormData(v, sv, sv, surveyStatus(sv), map[string]string{})
	d.Saved = v.Query.Get("saved") == "1"
	if d.Preview, err = s.editPreview(v, sv, v.Query.Get("lang"), "score"); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, v, "survey_edit", d)
}

// editorForm reads the survey named in the path and the editor's form,
// and returns the survey as stored and as edited; on failure it has
// answered and ok is false.
func (s *Server) editorForm(w http.ResponseWriter, r *http.Request, v *view) (stored, edited cx.Survey, ok bool) {
	sv, err := s.db.Survey(r.Context(), v.Workspace.ID, r.PathValue("key"))
	if err != nil {
		s.pageError(w, r, v, err)
		return sv, sv, false
	}
	if err := r.ParseForm(); err != nil {
		s.appError(w, r, v, http.StatusBadRequest, "error.invalid")
		return sv, sv, false
	}
	return sv, applyEditForm(sv, r.PostForm), true
}

// surveyEditPreview re-renders the preview pane from the form as typed
// (nothing is saved): the htmx request of the editor.
func (s *Server) surveyEditPreview(w http.ResponseWriter, r *http.Request, v *view) {
	_, edited, ok := s.editorForm(w, r, v)
	if !ok {
		return
	}
	// Validate fills the defaults the page relies on (scale, default
	// language); an invalid text still previews, the save reports it.
	_ = edited.Validate()
	p, err := s.editPreview(v, edited, r.PostForm.Get("preview_lang"), r.PostForm.Get("preview_step"))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.renderPartial(w, r, v, "survey_edit", "preview", surveyEditData{Preview: p})
}

// saveSurveyPage saves the editor: store.UpdateSurvey validates as the
// API does; errors are shown at their fields with status 422. A changed
// status archives or restores the survey. Each save is audited.
func (s *Server) saveSurveyPage(w http.ResponseWriter, r *http.Request, v *view) {
	ctx := r.Context()
	sv, edited, ok := s.editorForm(w, r, v)
	if !ok {
		return
	}
	status := r.PostForm.Get("status")
	if status != "active" && status != "archived" {
		status = surveyStatus(sv)
	}
	saved, err := s.db.UpdateSurvey(ctx, v.Workspace.ID, edited)
	var ve *cx.ValidationError
	if errors.As(err, &ve) {
		errs := map[string]string{}
		for _, fe := range ve.Fields {
			if errs[fe.Field] == "" {
				errs[fe.Field] = fe.Reason
			}
		}
		d := s.surveyEditFormData(v, sv, edited, status, errs)
		d.Err = v.T("surveys.edit.invalid")
		_ = edited.Validate()
		if d.Preview, err = s.editPreview(v, edited, r.PostForm.Get("preview_lang"), r.PostForm.Get("preview_step")); err != nil {
			s.serverError(w, r, err)
			return
		}
		s.renderBlock(w, r, v, http.StatusUnprocessableEntity, "survey_edit", blockFor(r), d)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	detail := "texts " + strings.Join(slices.Sorted(maps.Keys(saved.Design.Texts)), ",")
	if status != surveyStatus(sv) {
		if saved, err = s.db.ArchiveSurvey(ctx, v.Workspace.ID, sv.Key, status == "archived"); err != nil {
			s.serverError(w, r, err)
			return
		}
		detail += "; status " + status
	}
	s.forgetSurvey(v.Workspace.ID, sv.Key)
	s.audit(r, store.AuditEntry{WorkspaceID: v.Workspace.ID, UserID: v.User.ID, Actor: v.User.Email, Action: "survey.updated",
		Target: sv.Key, Detail: detail, IP: v.ip})
	target := "/app/surveys/" + sv.Key + "/edit?saved=1"
	if l := survey.Match(r.PostForm.Get("preview_lang"), editLangs(saved)); l != "" {
		target += "&lang=" + l
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// forgetSurvey drops a survey from the hosted pages' cache, so an edit
// shows at once on this server.
func (s *Server) forgetSurvey(ws int64, key string) {
	s.public.surveys.forget(surveyRef{ws, key})
}
