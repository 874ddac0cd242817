package cx

import (
	"strings"
	"time"
)

// Ticket is one support interaction: who handled it, on which channel, and
// how fast.
type Ticket struct {
	ID              int64      `json:"id"`
	ExternalID      string     `json:"external_id,omitempty"`
	Customer        string     `json:"customer"`
	Agent           string     `json:"agent,omitempty"`
	Channel         string     `json:"channel,omitempty"`
	OpenedAt        time.Time  `json:"opened_at"`
	FirstResponseAt *time.Time `json:"first_response_at,omitempty"`
	ResolvedAt      *time.Time `json:"resolved_at,omitempty"`
	HandleSeconds   *float64   `json:"handle_seconds,omitempty"`
	Reopened        bool       `json:"reopened"`
	Attributes      Attributes `json:"attributes,omitempty"`
	IdempotencyKey  string     `json:"idempotency_key,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`

	CustomerID int64 `json:"-"`
}

// Validate checks a ticket; now bounds how far in the future it may be.
func (t *Ticket) Validate(now time.Time) []FieldError {
	var fe fieldErrors
	t.Customer = strings.TrimSpace(t.Customer)
	checkExternalID(&fe, "customer", t.Customer, true)
	checkText(&fe, "external_id", t.ExternalID, MaxShortText)
	checkText(&fe, "agent", t.Agent, MaxShortText)
	checkText(&fe, "channel", t.Channel, MaxShortText)
	checkTime(&fe, "opened_at", t.OpenedAt, now)
	if t.FirstResponseAt != nil && !t.OpenedAt.IsZero() && t.FirstResponseAt.Before(t.OpenedAt) {
		fe.add("first_response_at", "is before opened_at")
	}
	if t.ResolvedAt != nil && !t.OpenedAt.IsZero() && t.ResolvedAt.Before(t.OpenedAt) {
		fe.add("resolved_at", "is before opened_at")
	}
	if t.HandleSeconds != nil && (*t.HandleSeconds < 0 || *t.HandleSeconds != *t.HandleSeconds) {
		fe.add("handle_seconds", "must be a non-negative number")
	}
	checkText(&fe, "idempotency_key", t.IdempotencyKey, MaxShortText)
	t.Attributes.validate(&fe, "attributes")
	return fe
}
