package transfer

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/text"
)

// timeLayouts are the accepted time formats, tried in order; the ones
// without a zone are read as UTC.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"}

// ParseTime reads a time in one of the accepted formats (RFC 3339, or
// "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02" as UTC).
func ParseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

const timeReason = "not a time (RFC 3339, e.g. 2026-01-31T09:30:00Z)"

// converter reads typed fields out of a row, collecting errors.
type converter struct{ r *row }

func (c converter) text(f string) string { return strings.TrimSpace(c.r.fields[f]) }

func (c converter) time(f string) time.Time {
	s := c.text(f)
	if s == "" {
		return time.Time{} // Validate says "is required" where it is
	}
	t, ok := ParseTime(s)
	if !ok {
		c.r.fail(f, timeReason)
	}
	return t
}

func (c converter) optTime(f string) *time.Time {
	if c.text(f) == "" {
		return nil
	}
	t := c.time(f)
	if t.IsZero() {
		return nil
	}
	return &t
}

func (c converter) float(f string) *float64 {
	s := c.text(f)
	if s == "" {
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		c.r.fail(f, "not a number")
		return nil
	}
	return &v
}

func (c converter) int(f string) *int {
	s := c.text(f)
	if s == "" {
		return nil
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		// Accept "9.0" from spreadsheets, but not "9.5".
		if fv, ferr := strconv.ParseFloat(s, 64); ferr == nil && fv == math.Trunc(fv) && math.Abs(fv) < 1e9 {
			v = int(fv)
		} else {
			c.r.fail(f, "not a whole number")
			return nil
		}
	}
	return &v
}

func (c converter) bool(f string) bool {
	switch strings.ToLower(c.text(f)) {
	case "", "false", "0", "no", "n", "f":
		return false
	case "true", "1", "yes", "y", "t":
		return true
	}
	c.r.fail(f, "not a boolean (true or false)")
	return false
}

func toResponse(r *row) cx.Response {
	c := converter{r}
	return cx.Response{
		Survey:         c.text("survey"),
		Customer:       c.text("customer"),
		Score:          c.int("score"),
		Comment:        r.fields["comment"], // kept as written: comments may start or end with spaces
		SubmittedAt:    c.time("submitted_at"),
		Language:       c.text("language"),
		Channel:        c.text("channel"),
		Touchpoint:     c.text("touchpoint"),
		Attributes:     r.attrs,
		IdempotencyKey: c.text("idempotency_key"),
	}
}

func toEvent(r *row) cx.Event {
	c := converter{r}
	e := cx.Event{
		Customer:       c.text("customer"),
		Type:           cx.EventType(c.text("type")),
		OccurredAt:     c.time("occurred_at"),
		Currency:       c.text("currency"),
		Attributes:     r.attrs,
		IdempotencyKey: c.text("idempotency_key"),
	}
	if v := c.float("value"); v != nil {
		e.Value = *v
	}
	return e
}

func toTicket(r *row) cx.Ticket {
	c := converter{r}
	return cx.Ticket{
		ExternalID:      c.text("external_id"),
		Customer:        c.text("customer"),
		Agent:           c.text("agent"),
		Channel:         c.text("channel"),
		OpenedAt:        c.time("opened_at"),
		FirstResponseAt: c.optTime("first_response_at"),
		ResolvedAt:      c.optTime("resolved_at"),
		HandleSeconds:   c.float("handle_seconds"),
		Reopened:        c.bool("reopened"),
		Attributes:      r.attrs,
		IdempotencyKey:  c.text("idempotency_key"),
	}
}

func toFeedback(r *row) text.Feedback {
	c := converter{r}
	f := text.Feedback{
		Source:         c.text("source"),
		Rating:         c.float("rating"),
		Author:         c.text("author"),
		URL:            c.text("url"),
		Text:           c.text("text"),
		Language:       c.text("language"),
		OccurredAt:     c.time("occurred_at"),
		Customer:       c.text("customer"),
		IdempotencyKey: c.text("idempotency_key"),
	}
	if n := c.int("rating_scale"); n != nil {
		f.RatingScale = *n
	}
	return f
}

func toCustomer(r *row) cx.Customer {
	c := converter{r}
	return cx.Customer{
		ExternalID: c.text("external_id"),
		Email:      c.text("email"),
		Name:       c.text("name"),
		FirstSeen:  c.time("first_seen"),
		Attributes: r.attrs,
	}
}

// DeriveKey returns the idempotency key of an item that has none: "imp:"
// and the first 128 bits of the SHA-256 of the type and the item's JSON
// (map keys sorted by encoding/json, times in UTC to the millisecond the
// store keeps), base64url-encoded, so the same row always gets the same key.
// 128 bits keep collisions out of reach (2⁻⁶⁴ at 2⁶⁴ rows) while the key
// stays short: random keys scatter index inserts, and a 26-byte key dirties
// far fewer index pages per batch than a 71-byte hex one.
func DeriveKey(t Type, item any) string {
	b, err := json.Marshal(item)
	if err != nil {
		// Items hold only strings, numbers, times and validated attributes.
		panic("transfer: derive key: " + err.Error())
	}
	h := sha256.New()
	h.Write([]byte(t))
	h.Write([]byte{0})
	h.Write(b)
	return "imp:" + base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:16])
}

// ms truncates a time to the store's precision, in UTC.
func ms(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

func msp(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := ms(*t)
	return &v
}
