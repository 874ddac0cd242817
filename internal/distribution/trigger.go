package distribution

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// Trigger sources.
const (
	SourceTicketResolved = "ticket_resolved" // a ticket gets resolved_at
	SourceEvent          = "event"           // an event of EventType is ingested
	SourcePeriodic       = "periodic"        // every EveryDays per customer with an email
)

// Trigger is a rule that creates invitations: "ticket resolved → CES after
// 1 hour", "purchase → CSAT after 3 days", "every 90 days → NPS".
type Trigger struct {
	ID           int64     `json:"id"`
	Survey       string    `json:"survey"` // survey key
	Name         string    `json:"name"`
	Source       string    `json:"source"`
	EventType    string    `json:"event_type,omitempty"`
	DelaySeconds int64     `json:"delay_seconds"`
	EveryDays    int       `json:"every_days,omitempty"`
	Language     string    `json:"language,omitempty"`
	Touchpoint   string    `json:"touchpoint,omitempty"`
	Enabled      bool      `json:"enabled"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`

	SurveyID  int64 `json:"-"`
	Watermark int64 `json:"-"` // last event id, or ticket resolved_at in ms, already seen
}

var eventTypeRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// MaxDelay bounds a trigger's delay.
const MaxDelay = 365 * 24 * time.Hour

// Validate normalises t and reports its bad fields.
func (t *Trigger) Validate() error {
	var bad []cx.FieldError
	add := func(f, r string) { bad = append(bad, cx.FieldError{Field: f, Reason: r}) }
	t.Name = strings.TrimSpace(t.Name)
	t.Survey = strings.TrimSpace(t.Survey)
	if t.Survey == "" {
		add("survey", "is required")
	}
	if t.Name == "" {
		t.Name = t.Source
	}
	if len(t.Name) > cx.MaxShortText {
		add("name", "is too long")
	}
	switch t.Source {
	case SourceTicketResolved:
		if t.Touchpoint == "" {
			t.Touchpoint = "support"
		}
	case SourceEvent:
		if !eventTypeRE.MatchString(t.EventType) {
			add("event_type", "must be an event type such as purchase")
		}
		if t.Touchpoint == "" {
			t.Touchpoint = t.EventType
		}
	case SourcePeriodic:
		if t.EveryDays < 1 || t.EveryDays > 3650 {
			add("every_days", "must be 1–3650 for a periodic trigger")
		}
		if t.Touchpoint == "" {
			t.Touchpoint = "relationship"
		}
	default:
		add("source", "must be ticket_resolved, event or periodic")
	}
	if t.Source != SourceEvent && t.EventType != "" {
		add("event_type", "only for source event")
	}
	if t.Source != SourcePeriodic && t.EveryDays != 0 {
		add("every_days", "only for source periodic")
	}
	if t.DelaySeconds < 0 || time.Duration(t.DelaySeconds)*time.Second > MaxDelay {
		add("delay_seconds", fmt.Sprintf("must be 0–%d", int64(MaxDelay/time.Second)))
	}
	if len(t.Touchpoint) > cx.MaxShortText {
		add("touchpoint", "is too long")
	}
	if len(bad) > 0 {
		return &cx.ValidationError{Fields: bad}
	}
	return nil
}

// Delay returns the trigger's delay as a duration.
func (t Trigger) Delay() time.Duration { return time.Duration(t.DelaySeconds) * time.Second }

// IdempotencyKey is the invitation key for source item ref (an event id, a
// ticket id, or a customer and period): one invitation per trigger and
// source, however often the scan runs.
func (t Trigger) IdempotencyKey(ref string) string {
	return fmt.Sprintf("trigger:%d:%s", t.ID, ref)
}

// Period returns the index of the every-days period at holding now: a
// periodic trigger asks a customer once per period.
func (t Trigger) Period(now time.Time) int64 {
	if t.EveryDays <= 0 {
		return 0
	}
	return now.UnixMilli() / (int64(t.EveryDays) * 24 * 3600 * 1000)
}
