package kpi

import (
	"fmt"
	"time"
)

// Interval is the length of a reporting period.
type Interval string

// Reporting intervals. Weeks start on Monday (ISO 8601); quarters start in
// January, April, July and October.
const (
	Day     Interval = "day"
	Week    Interval = "week"
	Month   Interval = "month"
	Quarter Interval = "quarter"
)

// Period is the half-open time interval [Start, End).
type Period struct {
	Start time.Time
	End   time.Time
}

// Contains reports whether Start ≤ t < End.
func (p Period) Contains(t time.Time) bool {
	return !t.Before(p.Start) && t.Before(p.End)
}

// String formats the period as "start/end" in RFC 3339.
func (p Period) String() string {
	return p.Start.Format(time.RFC3339) + "/" + p.End.Format(time.RFC3339)
}

// PeriodOf returns the period of the given interval that contains t, with
// calendar boundaries at midnight in loc (UTC when loc is nil). Day lengths
// follow loc, so a day across a daylight-saving change lasts 23 or 25 hours.
func PeriodOf(iv Interval, t time.Time, loc *time.Location) (Period, error) {
	if loc == nil {
		loc = time.UTC
	}
	lt := t.In(loc)
	y, m, d := lt.Date()
	var start, end time.Time
	switch iv {
	case Day:
		start = time.Date(y, m, d, 0, 0, 0, 0, loc)
		end = start.AddDate(0, 0, 1)
	case Week:
		back := (int(lt.Weekday()) + 6) % 7 // days since Monday
		start = time.Date(y, m, d-back, 0, 0, 0, 0, loc)
		end = start.AddDate(0, 0, 7)
	case Month:
		start = time.Date(y, m, 1, 0, 0, 0, 0, loc)
		end = start.AddDate(0, 1, 0)
	case Quarter:
		qm := time.Month((int(m)-1)/3*3 + 1)
		start = time.Date(y, qm, 1, 0, 0, 0, 0, loc)
		end = start.AddDate(0, 3, 0)
	default:
		return Period{}, fmt.Errorf("kpi: unknown interval %q (day, week, month or quarter)", iv)
	}
	return Period{Start: start, End: end}, nil
}

// Periods returns the consecutive periods of the interval that cover
// [from, to): the first contains from and the last contains the instant
// just before to. It returns no periods when to is not after from.
func Periods(iv Interval, from, to time.Time, loc *time.Location) ([]Period, error) {
	p, err := PeriodOf(iv, from, loc)
	if err != nil {
		return nil, err
	}
	var out []Period
	for p.Start.Before(to) && from.Before(to) {
		out = append(out, p)
		if p, err = PeriodOf(iv, p.End, loc); err != nil {
			return nil, err
		}
	}
	return out, nil
}
