package httpapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/cxlens/cxlens/internal/alert"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// alertRuleInput is the body of POST /api/v1/alert-rules.
type alertRuleInput struct {
	Name             string         `json:"name"`
	Kind             alert.Kind     `json:"kind"`
	Survey           string         `json:"survey"`
	MaxScore         *int           `json:"max_score"`
	MinCustomerValue *float64       `json:"min_customer_value"`
	CooldownSeconds  int            `json:"cooldown_seconds"`
	SLAHours         int            `json:"sla_hours"`
	Actions          []alert.Action `json:"actions"`
	alert.Params
}

// createAlertRule handles POST /api/v1/alert-rules.
func (s *server) createAlertRule(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	s.idempotent(w, r, key.WorkspaceID, func(body io.Reader, _ string) (int, []byte, error) {
		var in alertRuleInput
		if err := decodeOne(body, &in); err != nil {
			return 0, nil, err
		}
		maxScore := 0
		switch {
		case in.MaxScore != nil:
			maxScore = *in.MaxScore
		case in.Kind == "" || in.Kind == alert.KindScore:
			return 0, nil, cx.Invalid("max_score", "is required for a score rule (it fires at or below it)")
		}
		rule, err := s.db.CreateAlertRule(r.Context(), key.WorkspaceID, alert.Rule{Name: in.Name, Kind: in.Kind, Survey: in.Survey,
			MaxScore: maxScore, MinCustomerValue: in.MinCustomerValue, CooldownSeconds: in.CooldownSeconds,
			SLAHours: in.SLAHours, Actions: in.Actions, Params: in.Params})
		if err != nil {
			return 0, nil, err
		}
		b, err := json.Marshal(rule)
		if err != nil {
			return 0, nil, fmt.Errorf("encode alert rule: %w", err)
		}
		return http.StatusCreated, append(b, '\n'), nil
	})
}

// getAlertRule handles GET /api/v1/alert-rules/{id}.
func (s *server) getAlertRule(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	id, err := pathID(r)
	var rule alert.Rule
	if err == nil {
		rule, err = s.db.AlertRule(r.Context(), key.WorkspaceID, id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rule)
}

// listAlertRules handles GET /api/v1/alert-rules.
func (s *server) listAlertRules(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	rules, err := s.db.AlertRules(r.Context(), key.WorkspaceID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, rules, "")
}

// deleteAlertRule handles DELETE /api/v1/alert-rules/{id}; the alerts and
// cases the rule raised stay.
func (s *server) deleteAlertRule(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	id, err := pathID(r)
	if err == nil {
		err = s.db.DeleteAlertRule(r.Context(), key.WorkspaceID, id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// listAlerts handles GET /api/v1/alerts?rule=&cursor=&limit=, oldest first.
func (s *server) listAlerts(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	p := newParams(r)
	f := store.AlertFilter{RuleID: int64(p.int("rule")), Cursor: p.str("cursor"), Limit: p.limit()}
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := s.db.Alerts(r.Context(), key.WorkspaceID, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, page.Items, page.NextCursor)
}

// getLoopSettings handles GET /api/v1/loop-settings.
func (s *server) getLoopSettings(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	ls, err := s.db.LoopSettings(r.Context(), key.WorkspaceID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ls)
}

// putLoopSettings handles PUT /api/v1/loop-settings {dashboard_url,
// digest_subscribers}: the whole settings are replaced.
func (s *server) putLoopSettings(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	var in store.LoopSettings
	if err := decodeOne(r.Body, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	ls, err := s.db.SetLoopSettings(r.Context(), key.WorkspaceID, in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ls)
}

// createAssignmentRule handles POST /api/v1/case-assignment-rules.
func (s *server) createAssignmentRule(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	s.idempotent(w, r, key.WorkspaceID, func(body io.Reader, _ string) (int, []byte, error) {
		var in alert.AssignmentRule
		if err := decodeOne(body, &in); err != nil {
			return 0, nil, err
		}
		in.ID = 0
		a, err := s.db.CreateAssignmentRule(r.Context(), key.WorkspaceID, in)
		if err != nil {
			return 0, nil, err
		}
		b, err := json.Marshal(a)
		if err != nil {
			return 0, nil, fmt.Errorf("encode assignment rule: %w", err)
		}
		return http.StatusCreated, append(b, '\n'), nil
	})
}

// listAssignmentRules handles GET /api/v1/case-assignment-rules, in the
// order they are tried.
func (s *server) listAssignmentRules(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	rules, err := s.db.AssignmentRules(r.Context(), key.WorkspaceID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, rules, "")
}

// deleteAssignmentRule handles DELETE /api/v1/case-assignment-rules/{id}.
func (s *server) deleteAssignmentRule(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	id, err := pathID(r)
	if err == nil {
		err = s.db.DeleteAssignmentRule(r.Context(), key.WorkspaceID, id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// loopRoutes are the close-the-loop routes: alert rules, alerts, cases,
// assignment rules and notification settings.
func (s *server) loopRoutes() []route {
	return []route{
		{method: "POST", path: "/api/v1/alert-rules", scope: cx.ScopeWrite, authed: s.createAlertRule},
		{method: "GET", path: "/api/v1/alert-rules", scope: cx.ScopeRead, authed: s.listAlertRules},
		{method: "GET", path: "/api/v1/alert-rules/{id}", scope: cx.ScopeRead, authed: s.getAlertRule},
		{method: "DELETE", path: "/api/v1/alert-rules/{id}", scope: cx.ScopeWrite, authed: s.deleteAlertRule},
		{method: "GET", path: "/api/v1/alerts", scope: cx.ScopeRead, authed: s.listAlerts},
		{method: "GET", path: "/api/v1/cases", scope: cx.ScopeRead, authed: s.listCases},
		{method: "GET", path: "/api/v1/cases/metrics", scope: cx.ScopeRead, authed: s.caseMetrics},
		{method: "GET", path: "/api/v1/cases/{id}", scope: cx.ScopeRead, authed: s.getCase},
		{method: "PATCH", path: "/api/v1/cases/{id}", scope: cx.ScopeWrite, authed: s.updateCase},
		{method: "POST", path: "/api/v1/cases/{id}/notes", scope: cx.ScopeWrite, authed: s.addCaseNote},
		{method: "POST", path: "/api/v1/case-assignment-rules", scope: cx.ScopeWrite, authed: s.createAssignmentRule},
		{method: "GET", path: "/api/v1/case-assignment-rules", scope: cx.ScopeRead, authed: s.listAssignmentRules},
		{method: "DELETE", path: "/api/v1/case-assignment-rules/{id}", scope: cx.ScopeWrite, authed: s.deleteAssignmentRule},
		{method: "GET", path: "/api/v1/loop-settings", scope: cx.ScopeRead, authed: s.getLoopSettings},
		{method: "PUT", path: "/api/v1/loop-settings", scope: cx.ScopeWrite, authed: s.putLoopSettings},
	}
}
