package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/distribution"
	"github.com/cxlens/cxlens/internal/report"
	"github.com/cxlens/cxlens/internal/store"
)

// invitationRoutes are the survey distribution routes: invitations,
// suppressions, triggers, throttling and the funnel.
func (s *server) invitationRoutes() []route {
	return []route{
		{method: "POST", path: "/api/v1/surveys/{key}/invitations", scope: cx.ScopeWrite, authed: s.createInvitations},
		{method: "GET", path: "/api/v1/surveys/{key}/funnel", scope: cx.ScopeRead, authed: s.getFunnel},
		{method: "GET", path: "/api/v1/invitations", scope: cx.ScopeRead, authed: s.listInvitations},
		{method: "GET", path: "/api/v1/invitations/{id}", scope: cx.ScopeRead, authed: s.getInvitation},

		{method: "GET", path: "/api/v1/suppressions", scope: cx.ScopeRead, authed: s.listSuppressions},
		{method: "POST", path: "/api/v1/suppressions", scope: cx.ScopeWrite, authed: s.addSuppressions},
		{method: "DELETE", path: "/api/v1/suppressions/{email}", scope: cx.ScopeWrite, authed: s.deleteSuppression},

		{method: "GET", path: "/api/v1/triggers", scope: cx.ScopeRead, authed: s.listTriggers},
		{method: "POST", path: "/api/v1/triggers", scope: cx.ScopeWrite, authed: s.createTrigger},
		{method: "GET", path: "/api/v1/triggers/{id}", scope: cx.ScopeRead, authed: s.getTrigger},
		{method: "PUT", path: "/api/v1/triggers/{id}", scope: cx.ScopeWrite, authed: s.updateTrigger},
		{method: "DELETE", path: "/api/v1/triggers/{id}", scope: cx.ScopeWrite, authed: s.deleteTrigger},

		{method: "GET", path: "/api/v1/metrics/response_rate", scope: cx.ScopeRead, authed: s.getResponseRate},
		{method: "GET", path: "/api/v1/throttle", scope: cx.ScopeRead, authed: s.getThrottle},
		{method: "PUT", path: "/api/v1/throttle", scope: cx.ScopeWrite, authed: s.setThrottle},
	}
}

// invitationInput is one item of POST /api/v1/surveys/{key}/invitations.
type invitationInput struct {
	Customer       string        `json:"customer"` // external id
	Email          string        `json:"email"`    // default: the customer's
	Language       string        `json:"language"`
	Touchpoint     string        `json:"touchpoint"`
	TouchpointRef  string        `json:"touchpoint_ref"`
	Attributes     cx.Attributes `json:"attributes"`
	SendAt         *time.Time    `json:"send_at"`
	ExpiresAt      *time.Time    `json:"expires_at"`
	IdempotencyKey string        `json:"idempotency_key"`
}

// createInvitations handles POST /api/v1/surveys/{key}/invitations: a
// batch (one object, an array or NDJSON) of email invitations, each
// checked against the throttle and stored (refused ones with status
// suppressed and the reason), all or none. Sending happens when they are due.
func (s *server) createInvitations(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	survey := r.PathValue("key")
	if _, err := s.db.Survey(r.Context(), key.WorkspaceID, survey); err != nil {
		s.fail(w, r, err)
		return
	}
	s.idempotent(w, r, key.WorkspaceID, func(body io.Reader, idemKey string) (int, []byte, error) {
		d, err := decodeItems[invitationInput](body, isNDJSON(r), r.ContentLength)
		if err != nil {
			return 0, nil, err
		}
		if len(d.items) > store.MaxInvitationBatch {
			return 0, nil, cx.Invalid("items", fmt.Sprintf("at most %d invitations per request", store.MaxInvitationBatch))
		}
		var bad []cx.FieldError
		list := make([]cx.Invitation, len(d.items))
		for i, it := range d.items {
			if strings.TrimSpace(it.Customer) == "" {
				bad = append(bad, cx.FieldError{Index: i, Field: "customer", Reason: "is required: the customer's external id"})
			}
			in := cx.Invitation{Survey: survey, Customer: it.Customer, Email: it.Email, Channel: cx.ChannelEmail, Language: it.Language,
				Touchpoint: it.Touchpoint, TouchpointRef: it.TouchpointRef, Attributes: it.Attributes, IdempotencyKey: it.IdempotencyKey}
			if it.SendAt != nil {
				in.ScheduledAt = *it.SendAt
			}
			if it.ExpiresAt != nil {
				in.ExpiresAt = *it.ExpiresAt
			}
			if in.IdempotencyKey == "" && idemKey != "" {
				in.IdempotencyKey = fmt.Sprintf("%s:%d", idemKey, i)
			}
			list[i] = in
		}
		if len(bad) > 0 {
			return 0, nil, &cx.ValidationError{Fields: bad}
		}
		out, err := s.db.CreateThrottledInvitations(r.Context(), key.WorkspaceID, list, s.opts.Now())
		if err != nil {
			return 0, nil, err
		}
		b, err := json.Marshal(map[string]any{"items": out})
		if err != nil {
			return 0, nil, fmt.Errorf("encode invitations: %w", err)
		}
		return http.StatusCreated, append(b, '\n'), nil
	})
}

// listInvitations handles GET /api/v1/invitations.
func (s *server) listInvitations(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	p := newParams(r)
	f := store.InvitationFilter{Survey: p.str("survey"), Status: p.str("status"), Channel: p.str("channel"), Customer: p.str("customer"),
		From: p.time("from"), To: p.time("to"), Cursor: p.str("cursor"), Limit: p.limit()}
	switch cx.InvitationStatus(f.Status) {
	case "", cx.InvitationScheduled, cx.InvitationSent, cx.InvitationFailed, cx.InvitationSuppressed, cx.InvitationCancelled:
	default:
		p.errs = append(p.errs, cx.FieldError{Field: "status", Reason: "must be scheduled, sent, failed, suppressed or cancelled"})
	}
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := s.db.ListInvitations(r.Context(), key.WorkspaceID, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, page.Items, page.NextCursor)
}

// getInvitation handles GET /api/v1/invitations/{id}.
func (s *server) getInvitation(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := s.db.Invitation(r.Context(), key.WorkspaceID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, in)
}

// getFunnel handles GET /api/v1/surveys/{key}/funnel?from=&to=: invitations
// invited, suppressed, sent, delivered, opened and answered per channel and
// language, with the response rate of each row and of the total.
func (s *server) getFunnel(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	p := newParams(r)
	from, to := p.time("from"), p.time("to")
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := s.db.Funnel(r.Context(), key.WorkspaceID, r.PathValue("key"), from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type row struct {
		store.FunnelRow
		ResponseRate *float64 `json:"response_rate"` // answered / sent; null when nothing was sent
	}
	var total store.FunnelRow
	out := make([]row, len(rows))
	for i, f := range rows {
		out[i] = row{FunnelRow: f, ResponseRate: store.ResponseRate(f.Answered, f.Sent)}
		total.Add(f)
	}
	writeJSON(w, http.StatusOK, map[string]any{"survey": r.PathValue("key"), "rows": out,
		"total": row{FunnelRow: total, ResponseRate: store.ResponseRate(total.Answered, total.Sent)}})
}

// suppressionInput is one item of POST /api/v1/suppressions.
type suppressionInput struct {
	Email  string `json:"email"`
	Reason string `json:"reason"` // default manual
}

// listSuppressions handles GET /api/v1/suppressions.
func (s *server) listSuppressions(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	p := newParams(r)
	limit := p.limit()
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := s.db.Suppressions(r.Context(), key.WorkspaceID, p.str("cursor"), limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, page.Items, page.NextCursor)
}

// addSuppressions handles POST /api/v1/suppressions: addresses no channel
// may contact again (one object, an array or NDJSON), all or none.
func (s *server) addSuppressions(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	s.idempotent(w, r, key.WorkspaceID, func(body io.Reader, _ string) (int, []byte, error) {
		d, err := decodeItems[suppressionInput](body, isNDJSON(r), r.ContentLength)
		if err != nil {
			return 0, nil, err
		}
		list := make([]store.Suppression, len(d.items))
		for i, it := range d.items {
			list[i] = store.Suppression{Email: it.Email, Reason: it.Reason}
		}
		out, err := s.db.AddSuppressions(r.Context(), key.WorkspaceID, list)
		if err != nil {
			return 0, nil, err
		}
		b, err := json.Marshal(map[string]any{"items": out})
		if err != nil {
			return 0, nil, fmt.Errorf("encode suppressions: %w", err)
		}
		return http.StatusCreated, append(b, '\n'), nil
	})
}

// deleteSuppression handles DELETE /api/v1/suppressions/{email}.
func (s *server) deleteSuppression(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	if err := s.db.DeleteSuppression(r.Context(), key.WorkspaceID, r.PathValue("email")); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// triggerInput is the body of POST and PUT /api/v1/triggers.
type triggerInput struct {
	Survey       string `json:"survey"`
	Name         string `json:"name"`
	Source       string `json:"source"`
	EventType    string `json:"event_type"`
	DelaySeconds int64  `json:"delay_seconds"`
	EveryDays    int    `json:"every_days"`
	Language     string `json:"language"`
	Touchpoint   string `json:"touchpoint"`
	Enabled      *bool  `json:"enabled"` // default true
}

func (in triggerInput) trigger() distribution.Trigger {
	enabled := in.Enabled == nil || *in.Enabled
	return distribution.Trigger{Survey: in.Survey, Name: in.Name, Source: in.Source, EventType: in.EventType, DelaySeconds: in.DelaySeconds,
		EveryDays: in.EveryDays, Language: in.Language, Touchpoint: in.Touchpoint, Enabled: enabled}
}

// listTriggers handles GET /api/v1/triggers.
func (s *server) listTriggers(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	list, err := s.db.Triggers(r.Context(), key.WorkspaceID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, list, "")
}

// createTrigger handles POST /api/v1/triggers.
func (s *server) createTrigger(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	s.idempotent(w, r, key.WorkspaceID, func(body io.Reader, _ string) (int, []byte, error) {
		var in triggerInput
		if err := decodeOne(body, &in); err != nil {
			return 0, nil, err
		}
		t, err := s.db.CreateTrigger(r.Context(), key.WorkspaceID, in.trigger())
		if err != nil {
			return 0, nil, err
		}
		b, err := json.Marshal(t)
		if err != nil {
			return 0, nil, fmt.Errorf("encode trigger: %w", err)
		}
		return http.StatusCreated, append(b, '\n'), nil
	})
}

// getTrigger handles GET /api/v1/triggers/{id}.
func (s *server) getTrigger(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.db.Trigger(r.Context(), key.WorkspaceID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// updateTrigger handles PUT /api/v1/triggers/{id}.
func (s *server) updateTrigger(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in triggerInput
	if err := decodeOne(r.Body, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	t := in.trigger()
	t.ID = id
	out, err := s.db.UpdateTrigger(r.Context(), key.WorkspaceID, t)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// deleteTrigger handles DELETE /api/v1/triggers/{id}.
func (s *server) deleteTrigger(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.db.DeleteTrigger(r.Context(), key.WorkspaceID, id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// throttleBody is the body of GET and PUT /api/v1/throttle: the
// workspace's contact policy and each survey's sampling and reminder.
type throttleBody struct {
	distribution.Throttle
	Surveys map[string]distribution.SurveyPolicy `json:"surveys"`
}

// getThrottle handles GET /api/v1/throttle.
func (s *server) getThrottle(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	t, err := s.db.Throttle(r.Context(), key.WorkspaceID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ps, err := s.db.SurveyPolicies(r.Context(), key.WorkspaceID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, throttleBody{Throttle: t, Surveys: ps})
}

// setThrottle handles PUT /api/v1/throttle: the policy is replaced; the
// surveys listed get their settings (others keep theirs).
func (s *server) setThrottle(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	var in throttleBody
	if err := decodeOne(r.Body, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	// Check everything before writing anything.
	var bad []cx.FieldError
	if err := in.Throttle.Validate(); err != nil {
		var ve *cx.ValidationError
		if errors.As(err, &ve) {
			bad = append(bad, ve.Fields...)
		}
	}
	for k, p := range in.Surveys {
		if _, err := s.db.Survey(r.Context(), key.WorkspaceID, k); err != nil {
			bad = append(bad, cx.FieldError{Field: "surveys." + k, Reason: "no such survey"})
			continue
		}
		if err := p.Validate(); err != nil {
			var ve *cx.ValidationError
			if errors.As(err, &ve) {
				for _, f := range ve.Fields {
					bad = append(bad, cx.FieldError{Field: "surveys." + k + "." + f.Field, Reason: f.Reason})
				}
			}
		}
	}
	if len(bad) > 0 {
		s.fail(w, r, &cx.ValidationError{Fields: bad})
		return
	}
	if err := s.db.SetThrottle(r.Context(), key.WorkspaceID, in.Throttle); err != nil {
		s.fail(w, r, err)
		return
	}
	for k, p := range in.Surveys {
		if err := s.db.SetSurveyPolicy(r.Context(), key.WorkspaceID, k, p); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.getThrottle(w, r, key)
}

// getResponseRate handles GET /api/v1/metrics/response_rate?survey=&from=&to=&group_by=:
// invitations answered / sent with a Wilson interval (report.ResponseRate);
// null with a reason when nothing was sent.
func (s *server) getResponseRate(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	p := newParams(r)
	survey, groupBy := p.str("survey"), p.str("group_by")
	from, to := p.time("from"), p.time("to")
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := report.LoadResponseRate(r.Context(), s.db, key.WorkspaceID, survey, groupBy, from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}
