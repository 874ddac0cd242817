// Package mail delivers email written to the outbox: an Envelope enqueued
// as a store.Message with topic "mail.send" is rendered as a MIME message
// and sent over SMTP by a Worker, with retries and backoff, in the same
// transaction-outbox scheme as internal/webhook.
package mail

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"strings"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// TopicPrefix starts every outbox topic the mail worker delivers; the
// webhook worker leaves these alone.
const TopicPrefix = "mail."

// TopicSend is the outbox topic of an Envelope to send.
const TopicSend = "mail.send"

// Envelope is one email to send: the payload of a "mail.send" outbox message.
type Envelope struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Text    string `json:"text"`           // plain-text body
	HTML    string `json:"html,omitempty"` // HTML alternative, optional
	// Kind says what the mail is, e.g. "invitation", "reminder", "alert";
	// it is logged and sent as the X-Cxlens-Kind header.
	Kind string `json:"kind,omitempty"`
	// Ref names the thing the mail is about, e.g. "invitation:42"; the
	// worker reports permanent recipient failures for it (see Bouncer).
	Ref string `json:"ref,omitempty"`
	// Unsubscribe is a URL sent as the List-Unsubscribe header, optional.
	Unsubscribe string `json:"unsubscribe,omitempty"`
}

// Validate reports the envelope's bad fields.
func (e Envelope) Validate() error {
	var bad []cx.FieldError
	if a, err := mail.ParseAddress(e.To); err != nil || a.Name != "" || strings.ContainsAny(e.To, "\r\n") {
		bad = append(bad, cx.FieldError{Field: "to", Reason: "must be a plain email address like ana@example.com"})
	}
	if strings.TrimSpace(e.Subject) == "" || strings.ContainsAny(e.Subject, "\r\n") {
		bad = append(bad, cx.FieldError{Field: "subject", Reason: "must be one non-empty line"})
	}
	if strings.TrimSpace(e.Text) == "" {
		bad = append(bad, cx.FieldError{Field: "text", Reason: "a plain-text body is required"})
	}
	if strings.ContainsAny(e.Unsubscribe, "\r\n<>") {
		bad = append(bad, cx.FieldError{Field: "unsubscribe", Reason: "must be a URL"})
	}
	if len(bad) > 0 {
		return &cx.ValidationError{Fields: bad}
	}
	return nil
}

// Message returns e as an outbox message for topic "mail.send".
func (e Envelope) Message() (store.Message, error) {
	if err := e.Validate(); err != nil {
		return store.Message{}, fmt.Errorf("mail: %w", err)
	}
	b, err := json.Marshal(e)
	if err != nil {
		return store.Message{}, fmt.Errorf("mail: %w", err)
	}
	return store.Message{Topic: TopicSend, Payload: b}, nil
}
