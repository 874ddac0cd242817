package cx

import (
	"net/mail"
	"strings"
	"time"
)

// Customer is a person or account whose experience is measured. Clients
// name customers by ExternalID (their own id), unique per workspace.
type Customer struct {
	ID         int64      `json:"id"`
	ExternalID string     `json:"external_id"`
	Email      string     `json:"email,omitempty"`
	Name       string     `json:"name,omitempty"`
	Attributes Attributes `json:"attributes,omitempty"`
	FirstSeen  time.Time  `json:"first_seen"`
	ChurnedAt  *time.Time `json:"churned_at,omitempty"`
	ErasedAt   *time.Time `json:"erased_at,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// Validate checks a customer upsert.
func (c *Customer) Validate() []FieldError {
	var fe fieldErrors
	c.ExternalID = strings.TrimSpace(c.ExternalID)
	checkExternalID(&fe, "external_id", c.ExternalID, true)
	if c.Email != "" {
		if _, err := mail.ParseAddress(c.Email); err != nil || strings.ContainsAny(c.Email, "<> ") {
			fe.add("email", "not a valid email address")
		}
	}
	checkText(&fe, "email", c.Email, MaxShortText)
	checkText(&fe, "name", c.Name, MaxShortText)
	c.Attributes.validate(&fe, "attributes")
	return fe
}

func checkExternalID(fe *fieldErrors, field, id string, required bool) {
	if id == "" {
		if required {
			fe.add(field, "is required")
		}
		return
	}
	checkText(fe, field, id, MaxShortText)
}
