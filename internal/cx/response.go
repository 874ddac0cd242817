package cx

import (
	"fmt"
	"strings"
	"time"
)

// Response is one customer's answer to a survey: a score and, usually, a
// comment saying why.
type Response struct {
	ID             int64      `json:"id"`
	Survey         string     `json:"survey"`
	Customer       string     `json:"customer,omitempty"`
	SubmittedAt    time.Time  `json:"submitted_at"`
	Score          *int       `json:"score"`
	Comment        string     `json:"comment,omitempty"`
	Language       string     `json:"language,omitempty"`
	Channel        string     `json:"channel,omitempty"`
	Touchpoint     string     `json:"touchpoint,omitempty"`
	Attributes     Attributes `json:"attributes,omitempty"`
	IdempotencyKey string     `json:"idempotency_key,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`

	SurveyID   int64 `json:"-"`
	CustomerID int64 `json:"-"` // 0 for an anonymous response
}

// Validate checks a response against its survey (nil when the survey key is
// unknown); now bounds how far in the future it may be.
func (r *Response) Validate(s *Survey, now time.Time) []FieldError {
	var fe fieldErrors
	r.Survey = strings.TrimSpace(r.Survey)
	r.Customer = strings.TrimSpace(r.Customer)
	switch {
	case r.Survey == "":
		fe.add("survey", "is required")
	case s == nil:
		fe.add("survey", fmt.Sprintf("no survey with key %q", r.Survey))
	}
	checkExternalID(&fe, "customer", r.Customer, false)
	checkTime(&fe, "submitted_at", r.SubmittedAt, now)
	switch {
	case r.Score == nil:
		fe.add("score", "is required")
	case s != nil && (*r.Score < s.ScaleMin || *r.Score > s.ScaleMax):
		fe.add("score", fmt.Sprintf("must be %d–%d for %s survey", s.ScaleMin, s.ScaleMax, article(s.Kind)))
	}
	checkText(&fe, "comment", r.Comment, MaxText)
	r.Language = strings.ToLower(strings.TrimSpace(r.Language))
	checkText(&fe, "language", r.Language, 16)
	checkText(&fe, "channel", r.Channel, MaxShortText)
	checkText(&fe, "touchpoint", r.Touchpoint, MaxShortText)
	checkText(&fe, "idempotency_key", r.IdempotencyKey, MaxShortText)
	r.Attributes.validate(&fe, "attributes")
	return fe
}

func article(k SurveyKind) string {
	switch k {
	case NPS:
		return "an NPS"
	case CSAT:
		return "a CSAT"
	case CES:
		return "a CES"
	}
	return "a custom"
}
