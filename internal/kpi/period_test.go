package kpi

import (
	"testing"
	"time"
)

func TestPeriodOf(t *testing.T) {
	t.Parallel()
	buc, err := time.LoadLocation("Europe/Bucharest")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	tue := time.Date(2026, 11, 24, 15, 4, 5, 0, time.UTC) // a Tuesday
	tests := []struct {
		name       string
		iv         Interval
		t          time.Time
		loc        *time.Location
		start, end time.Time
	}{
		{"day", Day, tue, nil, at(2026, 11, 24), at(2026, 11, 25)},
		{"week starts Monday", Week, tue, time.UTC, at(2026, 11, 23), at(2026, 11, 30)},
		{"week of a Sunday", Week, at(2026, 11, 29), time.UTC, at(2026, 11, 23), at(2026, 11, 30)},
		{"month", Month, tue, time.UTC, at(2026, 11, 1), at(2026, 12, 1)},
		{"quarter", Quarter, tue, time.UTC, at(2026, 10, 1), at(2027, 1, 1)},
		{"quarter Q1", Quarter, at(2026, 3, 31), time.UTC, at(2026, 1, 1), at(2026, 4, 1)},
		// 23:30 UTC on 30 November is 01:30 on 1 December in Bucharest (UTC+2),
		// so the month is December there, starting at 22:00 UTC.
		{"month in a zone", Month, time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC), buc,
			time.Date(2026, 11, 30, 22, 0, 0, 0, time.UTC), time.Date(2026, 12, 31, 22, 0, 0, 0, time.UTC)},
		// Summer time starts on 29 March 2026 in Bucharest: a 23-hour day.
		{"DST day", Day, time.Date(2026, 3, 29, 12, 0, 0, 0, time.UTC), buc,
			time.Date(2026, 3, 28, 22, 0, 0, 0, time.UTC), time.Date(2026, 3, 29, 21, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		p, err := PeriodOf(tt.iv, tt.t, tt.loc)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !p.Start.Equal(tt.start) || !p.End.Equal(tt.end) {
			t.Errorf("%s: got %v, want %v/%v", tt.name, p, tt.start, tt.end)
		}
		if !p.Contains(tt.t) {
			t.Errorf("%s: %v does not contain %v", tt.name, p, tt.t)
		}
	}
	if _, err := PeriodOf("year", tue, nil); err == nil {
		t.Error("PeriodOf(year) gave no error")
	}
}

func TestPeriods(t *testing.T) {
	t.Parallel()
	ps, err := Periods(Month, time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), at(2026, 4, 1), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 3 || !ps[0].Start.Equal(at(2026, 1, 1)) || !ps[2].End.Equal(at(2026, 4, 1)) {
		t.Errorf("Periods = %v, want January to March", ps)
	}
	if ps, _ := Periods(Day, at(2026, 1, 2), at(2026, 1, 2), nil); len(ps) != 0 {
		t.Errorf("empty range gave %v", ps)
	}
	if p := month(2026, 1); p.Contains(p.End) || !p.Contains(p.Start) {
		t.Error("Period is not half-open")
	}
}
