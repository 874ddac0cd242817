package cx

import (
	"strings"
	"time"
)

// Workspace is one tenant: every other row belongs to exactly one.
type Workspace struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	TimeZone  string    `json:"time_zone"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate checks a workspace before it is created.
func (w *Workspace) Validate() error {
	var fe fieldErrors
	w.Name = strings.TrimSpace(w.Name)
	if w.Name == "" {
		fe.add("name", "is required")
	}
	checkText(&fe, "name", w.Name, MaxShortText)
	if w.TimeZone == "" {
		w.TimeZone = "UTC"
	}
	if _, err := time.LoadLocation(w.TimeZone); err != nil {
		fe.add("time_zone", "unknown time zone "+w.TimeZone)
	}
	return fe.err()
}

func (fe fieldErrors) err() error {
	if len(fe) == 0 {
		return nil
	}
	return &ValidationError{Fields: fe}
}
