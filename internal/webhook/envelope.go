package webhook

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/cxlens/cxlens/internal/store"
)

// Event types a webhook can subscribe to ("*" subscribes to all).
const (
	ResponseCreated = store.TopicResponseCreated // a survey response was stored
	AlertFired      = "alert.fired"              // an alert rule fired
	CaseUpdated     = "case.updated"             // a case was opened, assigned, or changed status
	CustomerAtRisk  = "customer.at_risk"         // a valuable customer looks likely to churn
)

// EventTypes lists the event types cxlens sends, for validating subscriptions.
var EventTypes = []string{ResponseCreated, AlertFired, CaseUpdated, CustomerAtRisk}

// KnownEventType reports whether t is one of EventTypes or "*".
func KnownEventType(t string) bool { return t == "*" || slices.Contains(EventTypes, t) }

// Envelope is the JSON body of every webhook request. Its fields are part
// of the public API: add new ones, never rename or remove.
type Envelope struct {
	// ID is unique per message and the same on every retry and replay, so
	// receivers can drop repeats.
	ID string `json:"id"`
	// Type is the event type, e.g. "response.created".
	Type string `json:"type"`
	// CreatedAt is when the change happened (RFC 3339, UTC), not when it was sent.
	CreatedAt time.Time `json:"created_at"`
	// WorkspaceID is the workspace the event belongs to.
	WorkspaceID int64 `json:"workspace_id"`
	// Data is the event itself; its shape depends on Type.
	Data json.RawMessage `json:"data"`
}

// NewEnvelope wraps an outbox message.
func NewEnvelope(m store.OutboxMessage) Envelope {
	return Envelope{ID: m.UID, Type: m.Topic, CreatedAt: m.CreatedAt.UTC(), WorkspaceID: m.WorkspaceID, Data: m.Payload}
}

// Encode returns the request body. It depends only on the message, so
// every attempt sends the same bytes.
func (e Envelope) Encode() ([]byte, error) {
	if len(e.Data) == 0 {
		e.Data = json.RawMessage("{}")
	}
	b, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("webhook: encode message %s: %w", e.ID, err)
	}
	return b, nil
}
