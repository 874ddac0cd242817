package httpapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/webhook"
)

// webhookInput is the body of POST /api/v1/webhooks.
type webhookInput struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
	Secret string   `json:"secret"`
	Format string   `json:"format"` // json (default) or slack
}

// createWebhook handles POST /api/v1/webhooks; the answer holds the signing
// secret, shown only this once.
func (s *server) createWebhook(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	s.idempotent(w, r, key.WorkspaceID, func(body io.Reader, _ string) (int, []byte, error) {
		var in webhookInput
		if err := decodeOne(body, &in); err != nil {
			return 0, nil, err
		}
		for _, e := range in.Events {
			if !webhook.KnownEventType(e) {
				return 0, nil, cx.Invalid("events", fmt.Sprintf("unknown event type %q (one of %s, or *)", e, strings.Join(webhook.EventTypes, ", ")))
			}
		}
		hook, err := s.db.CreateWebhook(r.Context(), key.WorkspaceID, store.Webhook{URL: in.URL, Events: in.Events, Secret: in.Secret, Format: in.Format})
		if err != nil {
			return 0, nil, err
		}
		b, err := json.Marshal(hook)
		if err != nil {
			return 0, nil, fmt.Errorf("encode webhook: %w", err)
		}
		return http.StatusCreated, append(b, '\n'), nil
	})
}

// listWebhooks handles GET /api/v1/webhooks (secrets withheld).
func (s *server) listWebhooks(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	hooks, err := s.db.Webhooks(r.Context(), key.WorkspaceID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i := range hooks {
		hooks[i].Secret = ""
	}
	writeList(w, hooks, "")
}

// getWebhook handles GET /api/v1/webhooks/{id} (secret withheld).
func (s *server) getWebhook(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	hook, ok := s.webhook(w, r, key)
	if !ok {
		return
	}
	hook.Secret = ""
	writeJSON(w, http.StatusOK, hook)
}

// webhook loads the {id} webhook of the key's workspace, answering 404.
func (s *server) webhook(w http.ResponseWriter, r *http.Request, key cx.APIKey) (store.Webhook, bool) {
	id, err := pathID(r)
	if err == nil {
		var hook store.Webhook
		if hook, err = s.db.Webhook(r.Context(), key.WorkspaceID, id); err == nil {
			return hook, true
		}
	}
	s.fail(w, r, err)
	return store.Webhook{}, false
}

// deleteWebhook handles DELETE /api/v1/webhooks/{id}.
func (s *server) deleteWebhook(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	hook, ok := s.webhook(w, r, key)
	if !ok {
		return
	}
	if err := s.db.DeleteWebhook(r.Context(), key.WorkspaceID, hook.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// pauseWebhook and resumeWebhook handle POST /api/v1/webhooks/{id}/pause
// and /resume.
func (s *server) pauseWebhook(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	s.setWebhookActive(w, r, key, false)
}

func (s *server) resumeWebhook(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	s.setWebhookActive(w, r, key, true)
}

func (s *server) setWebhookActive(w http.ResponseWriter, r *http.Request, key cx.APIKey, active bool) {
	hook, ok := s.webhook(w, r, key)
	if !ok {
		return
	}
	if err := s.db.SetWebhookActive(r.Context(), key.WorkspaceID, hook.ID, active); err != nil {
		s.fail(w, r, err)
		return
	}
	hook.Active, hook.Secret = active, ""
	writeJSON(w, http.StatusOK, hook)
}

// listDeliveries handles GET /api/v1/webhooks/{id}/deliveries: the
// delivery log of one endpoint, oldest first.
func (s *server) listDeliveries(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	hook, ok := s.webhook(w, r, key)
	if !ok {
		return
	}
	p := newParams(r)
	f := store.DeliveryFilter{WebhookID: hook.ID, Cursor: p.str("cursor"), Limit: p.limit(), MessageID: int64(p.int("message"))}
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := s.db.Deliveries(r.Context(), key.WorkspaceID, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, page.Items, page.NextCursor)
}

// listDeadLetters handles GET /api/v1/outbox/dead: messages that exhausted
// their retries.
func (s *server) listDeadLetters(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	p := newParams(r)
	cursor, limit := p.str("cursor"), p.limit()
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := s.db.DeadLetters(r.Context(), key.WorkspaceID, cursor, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, page.Items, page.NextCursor)
}

// replayMessage handles POST /api/v1/outbox/{id}/replay: a dead message is
// due again, with a fresh retry budget.
func (s *server) replayMessage(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	id, err := pathID(r)
	if err == nil {
		err = s.db.Replay(r.Context(), key.WorkspaceID, id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"id": id, "status": "replayed"})
}
