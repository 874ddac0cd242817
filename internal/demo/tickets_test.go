package demo

import (
	"testing"
	"time"
)

func TestAgentAddWork(t *testing.T) {
	t.Parallel()
	a := Agent{ShiftStart: 7, ShiftEnd: 21}
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.DateTime, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name string
		from string
		work time.Duration
		want string
		open bool
		next string
	}{
		{"within the shift", "2026-06-03 10:00:00", 2 * time.Hour, "2026-06-03 12:00:00", true, "2026-06-03 10:00:00"},
		{"spills overnight", "2026-06-03 20:00:00", 2 * time.Hour, "2026-06-04 08:00:00", true, "2026-06-03 20:00:00"},
		{"before the shift", "2026-06-03 05:00:00", time.Hour, "2026-06-03 08:00:00", false, "2026-06-03 07:00:00"},
		{"after the shift", "2026-06-03 22:30:00", time.Hour, "2026-06-04 08:00:00", false, "2026-06-04 07:00:00"},
		{"friday night waits for monday", "2026-06-05 20:30:00", time.Hour, "2026-06-08 07:30:00", true, "2026-06-05 20:30:00"},
		{"saturday", "2026-06-06 12:00:00", 30 * time.Minute, "2026-06-08 07:30:00", false, "2026-06-08 07:00:00"},
		{"longer than a shift", "2026-06-03 07:00:00", 20 * time.Hour, "2026-06-04 13:00:00", true, "2026-06-03 07:00:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			from := at(tc.from)
			if got := a.open(from); got != tc.open {
				t.Errorf("open(%s) = %v, want %v", tc.from, got, tc.open)
			}
			if got := a.nextOpen(from); !got.Equal(at(tc.next)) {
				t.Errorf("nextOpen(%s) = %v, want %s", tc.from, got, tc.next)
			}
			if got := a.addWork(from, tc.work); !got.Equal(at(tc.want)) {
				t.Errorf("addWork(%s, %v) = %v, want %s", tc.from, tc.work, got, tc.want)
			}
		})
	}
}
