package analytics

import (
	"fmt"
	"math"
	"time"
)

// Interval is the width of a trend bucket, in the workspace's time zone.
type Interval string

// Intervals. Weeks are ISO 8601 weeks (Monday to Sunday, labelled with the
// ISO week-numbering year); quarters start in January, April, July and
// October.
const (
	NoInterval Interval = ""
	Day        Interval = "day"
	Week       Interval = "week"
	Month      Interval = "month"
	Quarter    Interval = "quarter"
)

// Valid reports whether iv is one of the intervals.
func (iv Interval) Valid() bool {
	switch iv {
	case NoInterval, Day, Week, Month, Quarter:
		return true
	}
	return false
}

// daysFromCivil returns the number of days from 1970-01-01 to y-m-d in the
// proleptic Gregorian calendar (H. Hinnant, "chrono-Compatible Low-Level
// Date Algorithms", days_from_civil).
func daysFromCivil(y int, m time.Month, d int) int64 {
	yy := int64(y)
	if m <= 2 {
		yy--
	}
	era := yy / 400
	if yy < 0 && yy%400 != 0 {
		era--
	}
	yoe := yy - era*400
	mp := (int64(m) + 9) % 12
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil (Hinnant, civil_from_days).
func civilFromDays(z int64) (int, time.Month, int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return int(y), time.Month(m), int(d)
}

// localDay is the civil day number of the instant sec in loc.
func localDay(sec int64, loc *time.Location) int64 {
	return daysFromCivil(time.Unix(sec, 0).In(loc).Date())
}

// floorMod is x mod m in [0, m).
func floorMod(x, m int64) int64 {
	r := x % m
	if r < 0 {
		r += m
	}
	return r
}

// bucketStart returns the first day of iv's bucket holding day z.
func (iv Interval) bucketStart(z int64) int64 {
	switch iv {
	case Week:
		// 1970-01-01 was a Thursday: Monday-based weekday is (z+3) mod 7.
		return z - floorMod(z+3, 7)
	case Month:
		y, m, _ := civilFromDays(z)
		return daysFromCivil(y, m, 1)
	case Quarter:
		y, m, _ := civilFromDays(z)
		return daysFromCivil(y, (m-1)/3*3+1, 1)
	}
	return z
}

// next returns the first day of the bucket after the one starting on day z.
func (iv Interval) next(z int64) int64 {
	switch iv {
	case Week:
		return z + 7
	case Month, Quarter:
		y, m, _ := civilFromDays(z)
		k := time.Month(1)
		if iv == Quarter {
			k = 3
		}
		m += k
		if m > 12 {
			m -= 12
			y++
		}
		return daysFromCivil(y, m, 1)
	}
	return z + 1
}

// label names the bucket starting on day z: 2026-11-24, 2026-W48, 2026-11,
// 2026-Q4.
func (iv Interval) label(z int64) string {
	y, m, d := civilFromDays(z)
	switch iv {
	case Week:
		wy, w := time.Date(y, m, d, 12, 0, 0, 0, time.UTC).ISOWeek()
		return fmt.Sprintf("%04d-W%02d", wy, w)
	case Month:
		return fmt.Sprintf("%04d-%02d", y, m)
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", y, (m-1)/3+1)
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

// midnight returns the instant day z starts in loc (the first instant of
// the day when a DST change skips midnight).
func midnight(z int64, loc *time.Location) time.Time {
	y, m, d := civilFromDays(z)
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	if localDay(t.Unix(), loc) < z {
		// Midnight did not exist and time.Date went back an hour.
		for localDay(t.Unix(), loc) < z {
			t = t.Add(15 * time.Minute)
		}
	}
	return t
}

// quarterSec is the granularity of the time → day table: every UTC offset
// in use today is a multiple of 15 minutes, and so is every transition.
const quarterSec = 900

// slowDay marks a quarter hour that is not wholly in one local day (an
// offset that is not a multiple of 15 minutes, such as an old local mean
// time, or a transition inside the quarter): rows there take time.In.
const slowDay = math.MaxUint16

// dayTable maps an instant to its local day, relative to day0, through a
// table per quarter hour, so the scan does no time zone arithmetic.
type dayTable struct {
	loc   *time.Location
	base  uint32 // first quarter hour (Unix seconds / 900)
	day0  int64
	tab   []uint16
	nDays int
}

// newDayTable covers the instants lo..hi (inclusive, Unix seconds).
func newDayTable(lo, hi uint32, loc *time.Location) *dayTable {
	t := &dayTable{loc: loc, base: lo / quarterSec, day0: localDay(int64(lo), loc)}
	t.nDays = int(localDay(int64(hi), loc)-t.day0) + 1
	nq := int(hi/quarterSec-t.base) + 1
	t.tab = make([]uint16, nq)
	pEnd := int64(-1) << 62
	off := 0
	first := true
	for q := range t.tab {
		s := int64(t.base+uint32(q)) * quarterSec
		if first || s >= pEnd {
			first = false
			at := time.Unix(s, 0).In(loc)
			_, off = at.Zone()
			_, end := at.ZoneBounds()
			pEnd = math.MaxInt64
			if !end.IsZero() {
				pEnd = end.Unix()
			}
		}
		if off%quarterSec != 0 || s+quarterSec > pEnd {
			t.tab[q] = slowDay
			continue
		}
		s += int64(off)
		z := s / 86400
		if s < 0 && s%86400 != 0 {
			z--
		}
		t.tab[q] = uint16(z - t.day0)
	}
	return t
}

// day returns the local day of sec relative to day0.
func (t *dayTable) day(sec uint32) int {
	v := t.tab[sec/quarterSec-t.base]
	if v == slowDay {
		return int(localDay(int64(sec), t.loc) - t.day0)
	}
	return int(v)
}
