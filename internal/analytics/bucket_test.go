package analytics

import (
	"testing"
	"time"
)

func TestCivilDays(t *testing.T) {
	t.Parallel()
	for z := int64(-800000); z < 800000; z += 97 {
		y, m, d := civilFromDays(z)
		if got := daysFromCivil(y, m, d); got != z {
			t.Fatalf("day %d → %d-%d-%d → %d", z, y, m, d, got)
		}
		if want := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400; want != z && z >= 0 {
			t.Fatalf("day %d is %d-%d-%d, time says %d", z, y, m, d, want)
		}
	}
}

// TestBuckets checks bucket starts and labels by hand, with ISO weeks 53
// (2020 and 2026 have one; 2027-01-03 still belongs to 2026-W53) and weeks
// whose ISO year differs from the calendar year.
func TestBuckets(t *testing.T) {
	t.Parallel()
	day := func(s string) int64 {
		tm, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return daysFromCivil(tm.Date())
	}
	for _, tc := range []struct {
		name      string
		iv        Interval
		at        string
		start     string
		next      string
		wantLabel string
	}{
		{"day", Day, "2026-11-24", "2026-11-24", "2026-11-25", "2026-11-24"},
		{"week Tuesday", Week, "2026-11-24", "2026-11-23", "2026-11-30", "2026-W48"},
		{"week Monday", Week, "2026-11-23", "2026-11-23", "2026-11-30", "2026-W48"},
		{"week Sunday", Week, "2026-11-29", "2026-11-23", "2026-11-30", "2026-W48"},
		{"week 53 of 2026, Thursday", Week, "2026-12-31", "2026-12-28", "2027-01-04", "2026-W53"},
		{"week 53 of 2026, in 2027", Week, "2027-01-03", "2026-12-28", "2027-01-04", "2026-W53"},
		{"week 1 of 2027", Week, "2027-01-04", "2027-01-04", "2027-01-11", "2027-W01"},
		{"week 53 of 2020", Week, "2021-01-01", "2020-12-28", "2021-01-04", "2020-W53"},
		{"week 1 of 2025 starts in 2024", Week, "2024-12-31", "2024-12-30", "2025-01-06", "2025-W01"},
		{"week 52 of 2024, no 53", Week, "2024-12-29", "2024-12-23", "2024-12-30", "2024-W52"},
		{"week across 1970", Week, "1970-01-01", "1969-12-29", "1970-01-05", "1970-W01"},
		{"month", Month, "2024-02-29", "2024-02-01", "2024-03-01", "2024-02"},
		{"month December", Month, "2026-12-31", "2026-12-01", "2027-01-01", "2026-12"},
		{"quarter", Quarter, "2026-11-24", "2026-10-01", "2027-01-01", "2026-Q4"},
		{"quarter Q1", Quarter, "2026-03-31", "2026-01-01", "2026-04-01", "2026-Q1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.iv.bucketStart(day(tc.at))
			if s != day(tc.start) {
				y, m, d := civilFromDays(s)
				t.Errorf("start %d-%02d-%02d, want %s", y, m, d, tc.start)
			}
			if n := tc.iv.next(s); n != day(tc.next) {
				y, m, d := civilFromDays(n)
				t.Errorf("next %d-%02d-%02d, want %s", y, m, d, tc.next)
			}
			if l := tc.iv.label(s); l != tc.wantLabel {
				t.Errorf("label %s, want %s", l, tc.wantLabel)
			}
		})
	}
}

// TestDayTable checks the quarter-hour table against time.In over two
// years, every 7 minutes and 13 seconds, in zones with DST, half- and
// quarter-hour offsets, a half-hour DST shift and midnight transitions.
func TestDayTable(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"UTC", "Europe/Bucharest", "America/New_York", "Asia/Kolkata",
		"Asia/Kathmandu", "America/St_Johns", "Australia/Lord_Howe", "America/Santiago", "Pacific/Apia", "Africa/Monrovia"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			loc, err := time.LoadLocation(name)
			if err != nil {
				t.Skip(err)
			}
			lo := uint32(time.Date(2010, 6, 1, 0, 0, 0, 0, time.UTC).Unix()) // Apia skipped 2011-12-30; Monrovia changed offset in 1972
			if name == "Africa/Monrovia" {
				lo = uint32(time.Date(1971, 6, 1, 0, 0, 0, 0, time.UTC).Unix())
			}
			hi := lo + 2*366*86400
			dt := newDayTable(lo, hi, loc)
			for s := lo; s <= hi; s += 433 {
				if got, want := dt.day(s), int(localDay(int64(s), loc)-dt.day0); got != want {
					t.Fatalf("%s: day %d, want %d", time.Unix(int64(s), 0).In(loc), got, want)
				}
			}
		})
	}
}

// TestMidnight checks the start of local days, including one whose
// midnight does not exist (Chile moved its clocks at 24:00).
func TestMidnight(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		zone string
		day  string
		want string // RFC 3339
	}{
		{"Europe/Bucharest", "2026-03-29", "2026-03-29T00:00:00+02:00"},
		{"Europe/Bucharest", "2026-03-30", "2026-03-30T00:00:00+03:00"},
		{"Europe/Bucharest", "2026-10-25", "2026-10-25T00:00:00+03:00"},
		{"America/Santiago", "2022-09-11", "2022-09-11T01:00:00-03:00"},
		{"UTC", "2026-11-24", "2026-11-24T00:00:00Z"},
	} {
		t.Run(tc.zone+" "+tc.day, func(t *testing.T) {
			loc, err := time.LoadLocation(tc.zone)
			if err != nil {
				t.Skip(err)
			}
			d, _ := time.Parse("2006-01-02", tc.day)
			got := midnight(daysFromCivil(d.Date()), loc).Format(time.RFC3339)
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
