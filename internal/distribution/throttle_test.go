package distribution

import (
	"strings"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestQuietUntil(t *testing.T) {
	t.Parallel()
	bucharest := mustLoc(t, "Europe/Bucharest")
	ny := mustLoc(t, "America/New_York")
	night := Throttle{QuietStart: "21:00", QuietEnd: "08:00"}
	lunch := Throttle{QuietStart: "12:00", QuietEnd: "13:30"}
	tests := []struct {
		name      string
		t         Throttle
		at        time.Time
		loc       *time.Location
		wantQuiet bool
		wantUntil time.Time
	}{
		{"none", Throttle{}, time.Date(2026, 3, 1, 3, 0, 0, 0, time.UTC), time.UTC, false, time.Time{}},
		{"just before start", night, time.Date(2026, 3, 1, 20, 59, 59, 0, bucharest), bucharest, false, time.Time{}},
		{"at start (inclusive)", night, time.Date(2026, 3, 1, 21, 0, 0, 0, bucharest), bucharest, true, time.Date(2026, 3, 2, 8, 0, 0, 0, bucharest)},
		{"before midnight ends next morning", night, time.Date(2026, 3, 1, 23, 59, 0, 0, bucharest), bucharest, true, time.Date(2026, 3, 2, 8, 0, 0, 0, bucharest)},
		{"at midnight", night, time.Date(2026, 3, 2, 0, 0, 0, 0, bucharest), bucharest, true, time.Date(2026, 3, 2, 8, 0, 0, 0, bucharest)},
		{"just before end", night, time.Date(2026, 3, 2, 7, 59, 0, 0, bucharest), bucharest, true, time.Date(2026, 3, 2, 8, 0, 0, 0, bucharest)},
		{"at end (exclusive)", night, time.Date(2026, 3, 2, 8, 0, 0, 0, bucharest), bucharest, false, time.Time{}},
		{"same day range", lunch, time.Date(2026, 3, 2, 12, 15, 0, 0, time.UTC), time.UTC, true, time.Date(2026, 3, 2, 13, 30, 0, 0, time.UTC)},
		{"same day range after", lunch, time.Date(2026, 3, 2, 13, 30, 0, 0, time.UTC), time.UTC, false, time.Time{}},
		// 01:00 UTC is 20:00 the evening before in New York: not quiet there.
		{"in the customer's zone, not UTC", night, time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC), ny, false, time.Time{}},
		// DST: New York springs forward on 2026-03-08 at 02:00 → 03:00.
		// Quiet from 01:00 to 02:30 ends at the first instant the clock
		// reads 02:30 or later: 03:30 EDT (time.Date normalises the gap).
		{"end inside the DST gap", Throttle{QuietStart: "01:00", QuietEnd: "02:30"}, time.Date(2026, 3, 8, 1, 30, 0, 0, ny), ny, true, time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC)},
		// Across the night of the change: 21:00 EST → 08:00 EDT is 10 hours.
		{"night across spring forward", night, time.Date(2026, 3, 7, 22, 0, 0, 0, ny), ny, true, time.Date(2026, 3, 8, 12, 0, 0, 0, time.UTC)},
		// Fall back (2026-11-01): 08:00 EST.
		{"night across fall back", night, time.Date(2026, 10, 31, 22, 0, 0, 0, ny), ny, true, time.Date(2026, 11, 1, 13, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			until, quiet := tt.t.QuietUntil(tt.at, tt.loc)
			if quiet != tt.wantQuiet || !until.Equal(tt.wantUntil) {
				t.Errorf("QuietUntil(%v) = %v, %v; want %v, %v", tt.at, until, quiet, tt.wantUntil, tt.wantQuiet)
			}
			if quiet && !until.After(tt.at) {
				t.Errorf("quiet hours end %v, not after %v", until, tt.at)
			}
		})
	}
}

func TestInSample(t *testing.T) {
	t.Parallel()
	for _, pct := range []int{0, 1, 30, 50, 99, 100} {
		in := 0
		const n = 20000
		for c := int64(1); c <= n; c++ {
			if InSample(c, 7, pct) {
				in++
			}
		}
		switch pct {
		case 0:
			if in != 0 {
				t.Errorf("0%%: %d in sample", in)
			}
		case 100:
			if in != n {
				t.Errorf("100%%: %d of %d in sample", in, n)
			}
		default:
			// Binomial sd at n=20000 is ≤ 0.36 points; allow 1.5 points.
			got := float64(in) * 100 / n
			if got < float64(pct)-1.5 || got > float64(pct)+1.5 {
				t.Errorf("%d%%: %.2f%% in sample", pct, got)
			}
		}
	}
	// Pinned buckets (FNV-1a of "customer:survey" mod 100 for customers
	// 1–8 of survey 7: 79 42 9 12 11 98 61 56), so a change of hash, which
	// would re-sample every customer, is caught. Bucket b is in a p% sample
	// iff b < p: customer 3 (bucket 9) is in at 10% and out at 9%.
	for _, c := range []struct {
		cust    int64
		percent int
		want    bool
	}{{3, 10, true}, {3, 9, false}, {1, 79, false}, {1, 80, true}, {6, 99, true}, {6, 98, false}} {
		if got := InSample(c.cust, 7, c.percent); got != c.want {
			t.Errorf("InSample(%d, 7, %d) = %v, want %v", c.cust, c.percent, got, c.want)
		}
	}
	// Surveys sample independently: the same 50% for two surveys differ.
	same := 0
	for c := int64(1); c <= 1000; c++ {
		if InSample(c, 1, 50) == InSample(c, 2, 50) {
			same++
		}
	}
	if same > 600 || same < 400 {
		t.Errorf("two surveys agree on %d of 1000 customers; want about 500", same)
	}
}

func TestDecide(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) *time.Time { v := now.Add(-d); return &v }
	day := 24 * time.Hour
	limit := Throttle{RecontactDays: 30}
	all := SurveyPolicy{SamplePercent: 100}
	tests := []struct {
		name string
		t    Throttle
		p    SurveyPolicy
		s    Subject
		want string
	}{
		{"free", limit, all, Subject{CustomerID: 1}, ""},
		{"suppressed", limit, all, Subject{CustomerID: 1, Suppressed: true}, ReasonSuppressed},
		{"do not survey true", limit, all, Subject{CustomerID: 1, Attributes: cx.Attributes{"do_not_survey": true}}, ReasonDoNotSurvey},
		{"do not survey yes", limit, all, Subject{CustomerID: 1, Attributes: cx.Attributes{"do_not_survey": "yes"}}, ReasonDoNotSurvey},
		{"do not survey false", limit, all, Subject{CustomerID: 1, Attributes: cx.Attributes{"do_not_survey": "false"}}, ""},
		{"sample 0", limit, SurveyPolicy{SamplePercent: 0}, Subject{CustomerID: 1}, ReasonSampledOut},
		{"recontact 1 ms short of 30 days", limit, all, Subject{CustomerID: 1, LastSurveyed: ago(30*day - time.Millisecond)}, ReasonRecontact},
		{"recontact exactly 30 days", limit, all, Subject{CustomerID: 1, LastSurveyed: ago(30 * day)}, ""},
		{"recontact off", Throttle{}, all, Subject{CustomerID: 1, LastSurveyed: ago(time.Minute)}, ""},
		{"quiet hours", Throttle{QuietStart: "11:00", QuietEnd: "13:00"}, all, Subject{CustomerID: 1}, ReasonQuietHours},
		{"quiet in the customer's zone", Throttle{QuietStart: "11:00", QuietEnd: "13:00"}, all, Subject{CustomerID: 1, Attributes: cx.Attributes{"time_zone": "Asia/Shanghai"}}, ""},
		{"suppression before everything", limit, SurveyPolicy{SamplePercent: 0}, Subject{CustomerID: 1, Suppressed: true, LastSurveyed: ago(time.Hour)}, ReasonSuppressed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Decide(tt.t, tt.p, tt.s, 9, now, time.UTC); got != tt.want {
				t.Errorf("Decide = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestThrottleValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		t   Throttle
		bad string
	}{
		{Throttle{RecontactDays: 90, QuietStart: "21:00", QuietEnd: "08:00", TimeZone: "Europe/Bucharest"}, ""},
		{Throttle{RecontactDays: -1}, "recontact_days"},
		{Throttle{QuietStart: "21:00"}, "quiet_end"},
		{Throttle{QuietStart: "25:00", QuietEnd: "08:00"}, "quiet_start"},
		{Throttle{QuietStart: "9:00", QuietEnd: "08:00"}, "quiet_start"},
		{Throttle{QuietStart: "08:00", QuietEnd: "08:00"}, "quiet_end"},
		{Throttle{TimeZone: "Mars/Olympus"}, "time_zone"},
	}
	for _, tt := range tests {
		err := tt.t.Validate()
		if (err == nil) != (tt.bad == "") || (err != nil && !contains(err.Error(), tt.bad)) {
			t.Errorf("%+v: err %v, want field %q", tt.t, err, tt.bad)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
