// Package distribution decides when and whether a customer is asked to
// answer a survey: throttling (recontact limit, sampling, quiet hours,
// do-not-survey), trigger rules, and the invitation email's wording. It is
// pure logic; the store and mail adapters apply it.
package distribution

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// Throttle is a workspace's contact policy.
type Throttle struct {
	// RecontactDays: no customer is surveyed more than once per this many
	// days, across surveys; 0 means no limit.
	RecontactDays int `json:"recontact_days"`
	// QuietStart and QuietEnd ("HH:MM", local time of the customer) bound
	// the hours no invitation is sent; both empty means none. A range may
	// cross midnight (22:00–08:00).
	QuietStart string `json:"quiet_start"`
	QuietEnd   string `json:"quiet_end"`
	// TimeZone is the default for customers without a time_zone attribute;
	// empty means the workspace's.
	TimeZone string `json:"time_zone"`
}

// SurveyPolicy is a survey's distribution settings.
type SurveyPolicy struct {
	// SamplePercent of customers (0–100, chosen by a stable hash) are asked.
	SamplePercent int `json:"sample_percent"`
	// ReminderDays after sending, an unanswered invitation is reminded
	// once; 0 means no reminder.
	ReminderDays int `json:"reminder_days"`
}

// DefaultSurveyPolicy asks everybody and reminds once after 3 days.
var DefaultSurveyPolicy = SurveyPolicy{SamplePercent: 100, ReminderDays: 3}

// MaxRecontactDays bounds the recontact limit.
const MaxRecontactDays = 3650

// Validate reports the policy's bad fields.
func (t Throttle) Validate() error {
	var bad []cx.FieldError
	if t.RecontactDays < 0 || t.RecontactDays > MaxRecontactDays {
		bad = append(bad, cx.FieldError{Field: "recontact_days", Reason: fmt.Sprintf("must be 0–%d", MaxRecontactDays)})
	}
	if (t.QuietStart == "") != (t.QuietEnd == "") {
		bad = append(bad, cx.FieldError{Field: "quiet_end", Reason: "quiet_start and quiet_end go together"})
	}
	for _, f := range []struct{ name, v string }{{"quiet_start", t.QuietStart}, {"quiet_end", t.QuietEnd}} {
		if _, err := clock(f.v); f.v != "" && err != nil {
			bad = append(bad, cx.FieldError{Field: f.name, Reason: "must be a time HH:MM, like 21:00"})
		}
	}
	if t.QuietStart != "" && t.QuietStart == t.QuietEnd {
		bad = append(bad, cx.FieldError{Field: "quiet_end", Reason: "must differ from quiet_start"})
	}
	if t.TimeZone != "" {
		if _, err := time.LoadLocation(t.TimeZone); err != nil {
			bad = append(bad, cx.FieldError{Field: "time_zone", Reason: "unknown time zone " + t.TimeZone})
		}
	}
	if len(bad) > 0 {
		return &cx.ValidationError{Fields: bad}
	}
	return nil
}

// Validate reports the policy's bad fields.
func (p SurveyPolicy) Validate() error {
	var bad []cx.FieldError
	if p.SamplePercent < 0 || p.SamplePercent > 100 {
		bad = append(bad, cx.FieldError{Field: "sample_percent", Reason: "must be 0–100"})
	}
	if p.ReminderDays < 0 || p.ReminderDays > 365 {
		bad = append(bad, cx.FieldError{Field: "reminder_days", Reason: "must be 0–365"})
	}
	if len(bad) > 0 {
		return &cx.ValidationError{Fields: bad}
	}
	return nil
}

// clock parses "HH:MM" into minutes after midnight.
func clock(s string) (int, error) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || len(h) != 2 || len(m) != 2 || err1 != nil || err2 != nil || hh > 23 || mm > 59 || hh < 0 || mm < 0 {
		return 0, fmt.Errorf("distribution: bad clock time %q", s)
	}
	return hh*60 + mm, nil
}

// Reasons an invitation is not sent.
const (
	ReasonSuppressed  = "suppressed"    // the address is on the suppression list
	ReasonDoNotSurvey = "do_not_survey" // the customer's do_not_survey attribute
	ReasonSampledOut  = "sampled_out"   // outside the survey's sample
	ReasonRecontact   = "recontact"     // surveyed too recently
	ReasonQuietHours  = "quiet_hours"   // in the customer's quiet hours
)

// Subject is what the policy needs to know about a customer.
type Subject struct {
	CustomerID   int64
	Attributes   cx.Attributes
	Suppressed   bool       // the customer's address is on the suppression list
	LastSurveyed *time.Time // latest invitation sent or response given, any survey
}

// DoNotSurvey reports whether attributes carry a truthy do_not_survey.
func DoNotSurvey(a cx.Attributes) bool {
	switch v := a["do_not_survey"].(type) {
	case bool:
		return v
	case float64:
		return v != 0
	case int:
		return v != 0
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "1", "true", "yes", "y", "on":
			return true
		}
	}
	return false
}

// InSample reports whether customer is in a percent sample of survey: a
// stable hash of the pair, so the same customer is always in or out of the
// same survey's sample, and different surveys sample independently.
func InSample(customerID, surveyID int64, percent int) bool {
	if percent >= 100 {
		return true
	}
	if percent <= 0 {
		return false
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%d:%d", customerID, surveyID)
	return h.Sum64()%100 < uint64(percent)
}

// Location returns the customer's time zone: the time_zone attribute when
// it names a zone, else the throttle's, else fallback (the workspace's).
func (t Throttle) Location(a cx.Attributes, fallback *time.Location) *time.Location {
	if s, ok := a["time_zone"].(string); ok && s != "" {
		if loc, err := time.LoadLocation(s); err == nil {
			return loc
		}
	}
	if t.TimeZone != "" {
		if loc, err := time.LoadLocation(t.TimeZone); err == nil {
			return loc
		}
	}
	if fallback == nil {
		return time.UTC
	}
	return fallback
}

// QuietUntil reports whether at falls in the quiet hours in loc, and if so
// when they end (the first instant at or after at whose local clock reads
// QuietEnd). The start is inclusive, the end exclusive. Across a DST
// change the end is the local QuietEnd of that day as time.Date resolves
// it (a wall time skipped by the change moves forward by the gap).
func (t Throttle) QuietUntil(at time.Time, loc *time.Location) (time.Time, bool) {
	if t.QuietStart == "" {
		return time.Time{}, false
	}
	start, err1 := clock(t.QuietStart)
	end, err2 := clock(t.QuietEnd)
	if err1 != nil || err2 != nil || start == end {
		return time.Time{}, false
	}
	local := at.In(loc)
	now := local.Hour()*60 + local.Minute()
	var in bool
	if start < end {
		in = now >= start && now < end
	} else { // across midnight
		in = now >= start || now < end
	}
	if !in {
		return time.Time{}, false
	}
	day := local
	if start > end && now >= start {
		day = local.AddDate(0, 0, 1) // ends tomorrow morning
	}
	until := time.Date(day.Year(), day.Month(), day.Day(), end/60, end%60, 0, 0, loc)
	if l := until.In(loc); l.Hour()*60+l.Minute() != end {
		// The wall time falls in a DST gap (time.Date resolved it with
		// the offset from before the change): move it by the gap, to the
		// first instant whose clock reads later than QuietEnd.
		_, before := until.Zone()
		_, after := until.Add(6 * time.Hour).Zone()
		until = until.Add(time.Duration(before-after) * -time.Second)
	}
	if !until.After(at) { // cannot happen outside pathological zones; never loop back
		until = at.Add(time.Minute)
	}
	return until, true
}

// Decide applies the policy to asking subject to answer survey at now:
// suppression, do-not-survey, sampling, the recontact limit and quiet
// hours, in that order. It returns "" when the customer may be asked, or
// the reason (one of the Reason constants) they may not.
func Decide(t Throttle, p SurveyPolicy, s Subject, surveyID int64, now time.Time, loc *time.Location) string {
	switch {
	case s.Suppressed:
		return ReasonSuppressed
	case DoNotSurvey(s.Attributes):
		return ReasonDoNotSurvey
	case !InSample(s.CustomerID, surveyID, p.SamplePercent):
		return ReasonSampledOut
	case t.RecontactDays > 0 && s.LastSurveyed != nil && now.Sub(*s.LastSurveyed) < time.Duration(t.RecontactDays)*24*time.Hour:
		return ReasonRecontact
	}
	if _, quiet := t.QuietUntil(now, t.Location(s.Attributes, loc)); quiet {
		return ReasonQuietHours
	}
	return ""
}
