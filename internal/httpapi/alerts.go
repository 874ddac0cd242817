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
}

// createAlertRule handles POST /api/v1/alert-rules.
func (s *server) createAlertRule(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	s.idempotent(w, r, key.WorkspaceID, func(body io.Reader, _ string) (int, []byte, error) {
		var in alertRuleInput
		if err := decodeOne(body, &in); err != nil {
			return 0, nil, err
		}
		if in.MaxScore == nil {
			return 0, nil, cx.Invalid("max_score", "is required (the rule fires at or below it)")
		}
		rule, err := s.db.CreateAlertRule(r.Context(), key.WorkspaceID, alert.Rule{Name: in.Name, Kind: in.Kind, Survey: in.Survey,
			MaxScore: *in.MaxScore, MinCustomerValue: in.MinCustomerValue, CooldownSeconds: in.CooldownSeconds,
			SLAHours: in.SLAHours, Actions: in.Actions})
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

// loopRoutes are the close-the-loop routes: alert rules, alerts and cases.
func (s *server) loopRoutes() []route {
	return []route{
		{method: "POST", path: "/api/v1/alert-rules", scope: cx.ScopeWrite, authed: s.createAlertRule},
		{method: "GET", path: "/api/v1/alert-rules", scope: cx.ScopeRead, authed: s.listAlertRules},
		{method: "DELETE", path: "/api/v1/alert-rules/{id}", scope: cx.ScopeWrite, authed: s.deleteAlertRule},
		{method: "GET", path: "/api/v1/alerts", scope: cx.ScopeRead, authed: s.listAlerts},
		{method: "GET", path: "/api/v1/cases", scope: cx.ScopeRead, authed: s.listCases},
		{method: "GET", path: "/api/v1/cases/{id}", scope: cx.ScopeRead, authed: s.getCase},
		{method: "PATCH", path: "/api/v1/cases/{id}", scope: cx.ScopeWrite, authed: s.updateCase},
		{method: "POST", path: "/api/v1/cases/{id}/notes", scope: cx.ScopeWrite, authed: s.addCaseNote},
	}
}
