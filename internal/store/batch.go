package store

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// MaxBatch is the most items one Insert call accepts.
const MaxBatch = 10000

// BatchOptions tunes a batch write.
type BatchOptions struct {
	// Partial stores the valid items of a batch and reports the invalid
	// ones per item; by default a batch with any invalid item stores nothing
	// and returns a *cx.ValidationError.
	Partial bool
}

// ItemStatus is what happened to one item of a batch.
type ItemStatus string

// Item statuses.
const (
	Created   ItemStatus = "created"
	Updated   ItemStatus = "updated"
	Duplicate ItemStatus = "duplicate" // idempotency key seen before; ID is the first item's
	Rejected  ItemStatus = "rejected"
)

// ItemResult reports one item of a batch, in input order.
type ItemResult struct {
	Index  int             `json:"index"`
	ID     int64           `json:"id,omitempty"`
	Status ItemStatus      `json:"status"`
	Errors []cx.FieldError `json:"errors,omitempty"`
}

// BatchResult reports a batch write.
type BatchResult struct {
	Inserted   int          `json:"inserted"`
	Updated    int          `json:"updated,omitempty"`
	Duplicates int          `json:"duplicates"`
	Rejected   int          `json:"rejected"`
	Items      []ItemResult `json:"items"`
}

func (r *BatchResult) count() {
	r.Inserted, r.Updated, r.Duplicates, r.Rejected = 0, 0, 0, 0
	for _, it := range r.Items {
		switch it.Status {
		case Created:
			r.Inserted++
		case Updated:
			r.Updated++
		case Duplicate:
			r.Duplicates++
		case Rejected:
			r.Rejected++
		}
	}
}

// Page is one page of a list, with the cursor of the next (empty at the end).
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// All reads every page of a list: page is called with "" and then with
// each next cursor until the last page.
func All[T any](page func(cursor string) (Page[T], error)) ([]T, error) {
	var out []T
	cur := ""
	for {
		p, err := page(cur)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Items...)
		if cur = p.NextCursor; cur == "" {
			return out, nil
		}
	}
}

// DefaultLimit and MaxLimit bound list page sizes.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// ListFilter is shared by the time-ordered lists.
type ListFilter struct {
	From     time.Time // inclusive; zero means no bound
	To       time.Time // exclusive; zero means no bound
	Customer string    // external id
	Cursor   string
	Limit    int
}

// ResponseFilter filters responses.
type ResponseFilter struct {
	ListFilter
	Survey string // survey key
}

// EventFilter filters events.
type EventFilter struct {
	ListFilter
	Type cx.EventType
}

// TicketFilter filters tickets.
type TicketFilter struct {
	ListFilter
	Agent   string
	Channel string
}

// CustomerFilter filters customers.
type CustomerFilter struct {
	Cursor string
	Limit  int
}

func (f ListFilter) limit() int { return clampLimit(f.Limit) }

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}

// encodeCursor and decodeCursor keep cursors opaque: the last id seen.
func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("id:" + strconv.FormatInt(id, 10)))
}

func decodeCursor(c string) (int64, error) {
	if c == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err == nil && len(b) > 3 && string(b[:3]) == "id:" {
		if id, err := strconv.ParseInt(string(b[3:]), 10, 64); err == nil && id >= 0 {
			return id, nil
		}
	}
	return 0, cx.Invalid("cursor", "not a cursor returned by this API")
}

// encodeAttrs stores attributes as JSON text ("{}" when empty).
func encodeAttrs(a cx.Attributes) (string, error) {
	if len(a) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(a)
	if err != nil {
		return "", fmt.Errorf("encode attributes: %w", err)
	}
	return string(b), nil
}

// decodeAttrs reads stored attributes; nil when empty.
func decodeAttrs(s []byte) (cx.Attributes, error) {
	if len(s) == 0 || string(s) == "{}" {
		return nil, nil
	}
	var a cx.Attributes
	if err := json.Unmarshal(s, &a); err != nil {
		return nil, fmt.Errorf("decode attributes: %w", err)
	}
	return a, nil
}
