package distribution

import (
	"strings"
	"testing"
	"time"
)

func TestTriggerValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		t    Trigger
		bad  string
	}{
		{"ticket resolved", Trigger{Survey: "ces", Source: SourceTicketResolved, DelaySeconds: 3600}, ""},
		{"purchase", Trigger{Survey: "csat", Source: SourceEvent, EventType: "purchase", DelaySeconds: 3 * 86400}, ""},
		{"periodic", Trigger{Survey: "nps", Source: SourcePeriodic, EveryDays: 90}, ""},
		{"no survey", Trigger{Source: SourcePeriodic, EveryDays: 90}, "survey"},
		{"bad source", Trigger{Survey: "nps", Source: "cron"}, "source"},
		{"event without type", Trigger{Survey: "csat", Source: SourceEvent}, "event_type"},
		{"periodic every 0", Trigger{Survey: "nps", Source: SourcePeriodic}, "every_days"},
		{"negative delay", Trigger{Survey: "ces", Source: SourceTicketResolved, DelaySeconds: -1}, "delay_seconds"},
		{"delay over a year", Trigger{Survey: "ces", Source: SourceTicketResolved, DelaySeconds: 366 * 86400}, "delay_seconds"},
		{"every_days on an event", Trigger{Survey: "csat", Source: SourceEvent, EventType: "purchase", EveryDays: 3}, "every_days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.t.Validate()
			if (err == nil) != (tt.bad == "") || (err != nil && !strings.Contains(err.Error(), tt.bad)) {
				t.Fatalf("err %v, want field %q", err, tt.bad)
			}
		})
	}
}

func TestTriggerPeriodAndKey(t *testing.T) {
	t.Parallel()
	tr := Trigger{ID: 4, EveryDays: 90}
	start := time.UnixMilli(0).Add(90 * 24 * time.Hour)
	if tr.Period(start.Add(-time.Millisecond)) != 0 || tr.Period(start) != 1 {
		t.Errorf("period boundary: %d, %d", tr.Period(start.Add(-time.Millisecond)), tr.Period(start))
	}
	if k := tr.IdempotencyKey("event:17"); k != "trigger:4:event:17" {
		t.Errorf("key %q", k)
	}
}
