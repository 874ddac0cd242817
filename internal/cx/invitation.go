package cx

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
)

// InvitationStatus is where an invitation is in its delivery.
type InvitationStatus string

// Invitation statuses.
const (
	InvitationScheduled  InvitationStatus = "scheduled"  // waiting to be sent
	InvitationSent       InvitationStatus = "sent"       // handed to the mail server (or shown, for a link or widget)
	InvitationFailed     InvitationStatus = "failed"     // could not be delivered
	InvitationSuppressed InvitationStatus = "suppressed" // not sent: the address is on the suppression list
	InvitationCancelled  InvitationStatus = "cancelled"  // withdrawn before it was sent
)

// Invitation channels: how the customer reaches the survey. The response an
// invitation creates carries the same channel.
const (
	ChannelEmail  = "email"
	ChannelLink   = "link"
	ChannelWidget = "widget"
)

// languageRE matches the BCP 47 tags cxlens uses (language, script, region).
var languageRE = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$`)

// DefaultInvitationTTL is how long an invitation's token stays valid when
// no expiry is given.
const DefaultInvitationTTL = 30 * 24 * time.Hour

// Invitation asks one customer (or, for an anonymous link, anyone holding
// the link) to answer one survey. It may create at most one response; a
// second answer through the same invitation updates that response.
type Invitation struct {
	ID             int64            `json:"id"`
	Survey         string           `json:"survey"`             // survey key
	Customer       string           `json:"customer,omitempty"` // external id; "" for an anonymous link
	Channel        string           `json:"channel"`
	Language       string           `json:"language,omitempty"` // BCP 47: en, zh-Hans, zh-Hant, ro
	Email          string           `json:"email,omitempty"`
	Touchpoint     string           `json:"touchpoint,omitempty"`     // e.g. support, delivery
	TouchpointRef  string           `json:"touchpoint_ref,omitempty"` // the ticket or order asked about
	Attributes     Attributes       `json:"attributes,omitempty"`     // copied to the response (agent, channel...)
	TriggerID      int64            `json:"trigger_id,omitempty"`
	Status         InvitationStatus `json:"status"`
	Error          string           `json:"error,omitempty"`
	ScheduledAt    time.Time        `json:"scheduled_at"`
	SentAt         *time.Time       `json:"sent_at,omitempty"`
	OpenedAt       *time.Time       `json:"opened_at,omitempty"`
	AnsweredAt     *time.Time       `json:"answered_at,omitempty"`
	RemindedAt     *time.Time       `json:"reminded_at,omitempty"`
	ExpiresAt      time.Time        `json:"expires_at"`
	ResponseID     int64            `json:"response_id,omitempty"`
	IdempotencyKey string           `json:"idempotency_key,omitempty"`
	CreatedAt      time.Time        `json:"created_at"`

	SurveyID   int64 `json:"-"`
	CustomerID int64 `json:"-"` // 0 for an anonymous link
}

// Validate checks an invitation and fills in defaults: channel email,
// status scheduled, scheduled now, expiry DefaultInvitationTTL after it.
func (in *Invitation) Validate(now time.Time) []FieldError {
	var fe fieldErrors
	in.Survey = strings.TrimSpace(in.Survey)
	in.Customer = strings.TrimSpace(in.Customer)
	in.Email = strings.TrimSpace(in.Email)
	if in.Survey == "" && in.SurveyID == 0 {
		fe.add("survey", "is required")
	}
	checkExternalID(&fe, "customer", in.Customer, false)
	if in.Channel == "" {
		in.Channel = ChannelEmail
	}
	switch in.Channel {
	case ChannelEmail:
		if in.Email == "" {
			fe.add("email", "is required for an email invitation")
		}
	case ChannelLink, ChannelWidget:
	default:
		fe.add("channel", "must be email, link or widget")
	}
	if in.Email != "" {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > MaxShortText {
			fe.add("email", "is not a valid email address")
		}
	}
	in.Language = strings.TrimSpace(in.Language)
	if in.Language != "" && !languageRE.MatchString(in.Language) {
		fe.add("language", "must be a BCP 47 tag such as en, zh-Hans or ro")
	}
	if in.Status == "" {
		in.Status = InvitationScheduled
	}
	switch in.Status {
	case InvitationScheduled, InvitationSent, InvitationFailed, InvitationSuppressed, InvitationCancelled:
	default:
		fe.add("status", "must be scheduled, sent, failed, suppressed or cancelled")
	}
	if in.ScheduledAt.IsZero() {
		in.ScheduledAt = now
	}
	if in.ExpiresAt.IsZero() {
		in.ExpiresAt = in.ScheduledAt.Add(DefaultInvitationTTL)
	}
	if !in.ExpiresAt.After(in.ScheduledAt) {
		fe.add("expires_at", "must be after scheduled_at")
	}
	checkText(&fe, "touchpoint", in.Touchpoint, MaxShortText)
	checkText(&fe, "touchpoint_ref", in.TouchpointRef, MaxShortText)
	checkText(&fe, "error", in.Error, MaxText)
	checkText(&fe, "idempotency_key", in.IdempotencyKey, MaxShortText)
	in.Attributes.validate(&fe, "attributes")
	return fe
}

// ResponseAttributes are the attributes the invitation's response carries:
// the invitation's own, plus touchpoint_ref when set, so CSAT and CES can be
// grouped by agent, channel and ticket.
func (in *Invitation) ResponseAttributes() Attributes {
	out := make(Attributes, len(in.Attributes)+1)
	for k, v := range in.Attributes {
		out[k] = v
	}
	if in.TouchpointRef != "" {
		out["touchpoint_ref"] = in.TouchpointRef
	}
	return out
}
