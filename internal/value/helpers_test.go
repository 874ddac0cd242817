package value

import (
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// day returns midnight UTC of a date, for hand-made data.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func customer(id string, first time.Time) cx.Customer {
	return cx.Customer{ExternalID: id, FirstSeen: first}
}

func event(id string, typ cx.EventType, at time.Time, v float64) cx.Event {
	return cx.Event{Customer: id, Type: typ, OccurredAt: at, Value: v}
}

func answerOf(id, survey string, score int, at time.Time) cx.Response {
	return cx.Response{Customer: id, Survey: survey, Score: &score, SubmittedAt: at}
}

func near(a, b, tol float64) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	return d <= tol
}

func containsField(err error, field string) bool {
	return err != nil && strings.Contains(err.Error(), field)
}
