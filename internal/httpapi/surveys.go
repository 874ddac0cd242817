package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/cxlens/cxlens/internal/cx"
)

// surveyInput is the body of POST /api/v1/surveys: the writable fields of
// cx.Survey only, so id and created_at are rejected as unknown.
type surveyInput struct {
	Key      string        `json:"key"`
	Name     string        `json:"name"`
	Kind     cx.SurveyKind `json:"kind"`
	ScaleMin int           `json:"scale_min"`
	ScaleMax int           `json:"scale_max"`
	Question string        `json:"question"`
}

// createSurvey handles POST /api/v1/surveys; 409 when the key is taken.
func (s *server) createSurvey(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	s.idempotent(w, r, key.WorkspaceID, func(body io.Reader, _ string) (int, []byte, error) {
		var in surveyInput
		if err := decodeOne(body, &in); err != nil {
			return 0, nil, err
		}
		sv, err := s.db.CreateSurvey(r.Context(), key.WorkspaceID, cx.Survey{
			Key: in.Key, Name: in.Name, Kind: in.Kind, ScaleMin: in.ScaleMin, ScaleMax: in.ScaleMax, Question: in.Question,
		})
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

// getSurvey handles GET /api/v1/surveys/{key}.
func (s *server) getSurvey(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	sv, err := s.db.Survey(r.Context(), key.WorkspaceID, r.PathValue("key"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sv)
}

// surveyRoutes are the survey design routes.
func (s *server) surveyRoutes() []route {
	return []route{
		{method: "POST", path: "/api/v1/surveys", scope: cx.ScopeWrite, authed: s.createSurvey},
		{method: "GET", path: "/api/v1/surveys", scope: cx.ScopeRead, authed: s.listSurveys},
		{method: "GET", path: "/api/v1/surveys/{key}", scope: cx.ScopeRead, authed: s.getSurvey},
	}
}
