package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/survey"
)

// surveyInput is the body of POST /api/v1/surveys: the writable fields of
// cx.Survey only, so id and created_at are rejected as unknown. With a
// template (nps, csat or ces) the kind, scale, question, follow-ups and
// translations come from the template; the fields given override them.
type surveyInput struct {
	Key      string           `json:"key"`
	Template string           `json:"template"`
	Name     string           `json:"name"`
	Kind     cx.SurveyKind    `json:"kind"`
	ScaleMin int              `json:"scale_min"`
	ScaleMax int              `json:"scale_max"`
	Question string           `json:"question"`
	Design   *cx.SurveyDesign `json:"design"`
}

// build returns the survey the input describes.
func (in surveyInput) build() (cx.Survey, error) {
	sv := cx.Survey{Key: in.Key, Name: in.Name, Kind: in.Kind, ScaleMin: in.ScaleMin, ScaleMax: in.ScaleMax, Question: in.Question}
	if in.Template != "" {
		t, err := survey.FromTemplate(in.Template, in.Key)
		if err != nil {
			return cx.Survey{}, err
		}
		if in.Kind != "" && in.Kind != t.Kind {
			return cx.Survey{}, cx.Invalid("kind", fmt.Sprintf("template %s makes a %s survey; leave kind out or use %s", in.Template, t.Kind, t.Kind))
		}
		if in.Name != "" {
			t.Name = in.Name
		}
		if in.Question != "" {
			t.Question = in.Question
			en := t.Design.Texts["en"]
			en.Question = in.Question
			t.Design.Texts["en"] = en
		}
		if in.ScaleMin != 0 || in.ScaleMax != 0 {
			t.ScaleMin, t.ScaleMax = in.ScaleMin, in.ScaleMax
		}
		sv = t
	}
	if in.Design != nil {
		sv.Design = *in.Design
	}
	return sv, nil
}

// createSurvey handles POST /api/v1/surveys; 409 when the key is taken.
func (s *server) createSurvey(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	s.idempotent(w, r, key.WorkspaceID, func(body io.Reader, _ string) (int, []byte, error) {
		var in surveyInput
		if err := decodeOne(body, &in); err != nil {
			return 0, nil, err
		}
		sv, err := in.build()
		if err != nil {
			return 0, nil, err
		}
		sv, err = s.db.CreateSurvey(r.Context(), key.WorkspaceID, sv)
		if errors.Is(err, cx.ErrConflict) {
			return 0, nil, &apiError{status: http.StatusConflict, msg: fmt.Sprintf("survey key %q is taken", in.Key)}
		}
		if err != nil {
			return 0, nil, err
		}
		b, err := json.Marshal(sv)
		if err != nil {
			return 0, nil, fmt.Errorf("encode survey: %w", err)
		}
		return http.StatusCreated, append(b, '\n'), nil
	})
}

// listSurveys handles GET /api/v1/surveys (all of them, by key; there are few).
func (s *server) listSurveys(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	list, err := s.db.Surveys(r.Context(), key.WorkspaceID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, list, "")
}

// getSurvey handles GET /api/v1/surveys/{key}; ?lang= adds the survey as
// that language shows it.
func (s *server) getSurvey(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	sv, err := s.db.Survey(r.Context(), key.WorkspaceID, r.PathValue("key"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if lang := r.URL.Query().Get("lang"); lang != "" {
		avail := survey.Available(sv)
		l := survey.Match(lang, avail)
		if l == "" {
			s.fail(w, r, cx.Invalid("lang", fmt.Sprintf("survey %q is not available in %q; it is in %v", sv.Key, lang, avail)))
			return
		}
		writeJSON(w, http.StatusOK, struct {
			cx.Survey
			Localized survey.Localized `json:"localized"`
		}{sv, survey.Localize(sv, l)})
		return
	}
	writeJSON(w, http.StatusOK, sv)
}

// surveyPatch is the body of PATCH /api/v1/surveys/{key}: the fields to
// change; design replaces the whole design.
type surveyPatch struct {
	Name     *string          `json:"name"`
	Question *string          `json:"question"`
	ScaleMin *int             `json:"scale_min"`
	ScaleMax *int             `json:"scale_max"`
	Design   *cx.SurveyDesign `json:"design"`
}

// updateSurvey handles PATCH /api/v1/surveys/{key}.
func (s *server) updateSurvey(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	var in surveyPatch
	if err := decodeOne(r.Body, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	sv, err := s.db.Survey(r.Context(), key.WorkspaceID, r.PathValue("key"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Name != nil {
		sv.Name = *in.Name
	}
	if in.Question != nil {
		sv.Question = *in.Question
	}
	if in.ScaleMin != nil {
		sv.ScaleMin = *in.ScaleMin
	}
	if in.ScaleMax != nil {
		sv.ScaleMax = *in.ScaleMax
	}
	if in.Design != nil {
		sv.Design = *in.Design
	}
	sv, err = s.db.UpdateSurvey(r.Context(), key.WorkspaceID, sv)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sv)
}

// deleteSurvey handles DELETE /api/v1/surveys/{key}: only a survey nobody
// answered or was invited to; 409 otherwise (archive it).
func (s *server) deleteSurvey(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	k := r.PathValue("key")
	err := s.db.DeleteSurvey(r.Context(), key.WorkspaceID, k)
	if errors.Is(err, cx.ErrConflict) {
		s.fail(w, r, &apiError{status: http.StatusConflict, msg: fmt.Sprintf("survey %q has responses or invitations; archive it instead (POST /api/v1/surveys/%s/archive)", k, k)})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// archiveSurvey handles POST /api/v1/surveys/{key}/archive with
// {"archived": true|false} (true when the body is empty).
func (s *server) archiveSurvey(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	in := struct {
		Archived *bool `json:"archived"`
	}{}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &in); err != nil {
			s.fail(w, r, badRequest("body must be {\"archived\": true|false}"))
			return
		}
	}
	archive := in.Archived == nil || *in.Archived
	sv, err := s.db.ArchiveSurvey(r.Context(), key.WorkspaceID, r.PathValue("key"), archive)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sv)
}

// getWidget handles GET /api/v1/widget: the public key and allowed origins.
func (s *server) getWidget(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	ws, err := s.db.Widget(r.Context(), key.WorkspaceID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ws)
}

// putWidget handles PUT /api/v1/widget {"allowed_origins": [...]}.
func (s *server) putWidget(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	var in struct {
		AllowedOrigins []string `json:"allowed_origins"`
	}
	if err := decodeOne(r.Body, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	ws, err := s.db.SetWidgetOrigins(r.Context(), key.WorkspaceID, in.AllowedOrigins)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ws)
}

// surveyRoutes are the survey design routes.
func (s *server) surveyRoutes() []route {
	return []route{
		{method: "POST", path: "/api/v1/surveys", scope: cx.ScopeWrite, authed: s.createSurvey},
		{method: "GET", path: "/api/v1/surveys", scope: cx.ScopeRead, authed: s.listSurveys},
		{method: "GET", path: "/api/v1/surveys/{key}", scope: cx.ScopeRead, authed: s.getSurvey},
		{method: "PATCH", path: "/api/v1/surveys/{key}", scope: cx.ScopeWrite, authed: s.updateSurvey},
		{method: "DELETE", path: "/api/v1/surveys/{key}", scope: cx.ScopeWrite, authed: s.deleteSurvey},
		{method: "POST", path: "/api/v1/surveys/{key}/archive", scope: cx.ScopeWrite, authed: s.archiveSurvey},
		{method: "GET", path: "/api/v1/widget", scope: cx.ScopeRead, authed: s.getWidget},
		{method: "PUT", path: "/api/v1/widget", scope: cx.ScopeWrite, authed: s.putWidget},
	}
}
