package alert

import (
	"slices"
	"time"
)

// CaseTimes is what the case metrics read of a case.
type CaseTimes struct {
	CreatedAt time.Time
	DueAt     *time.Time // nil when the rule set no SLA
	ClosedAt  *time.Time // nil while open
}

// CaseMetrics summarises how fast cases are closed.
type CaseMetrics struct {
	Cases  int `json:"cases"`
	Closed int `json:"closed"`
	// MeanTimeToClose and MedianTimeToClose are over closed cases
	// (closed_at − created_at); zero when none is closed.
	MeanTimeToClose   time.Duration `json:"mean_time_to_close_ns"`
	MedianTimeToClose time.Duration `json:"median_time_to_close_ns"`
	// SLADecided counts the cases with a due date whose outcome is known at
	// now: closed, or still open past their due date. Open cases not yet
	// due are left out, since they may still make it.
	SLADecided int `json:"sla_decided"`
	// ClosedWithinSLA counts the cases closed at or before their due date;
	// ClosedWithinSLAPct is it as a percentage of SLADecided (0 when none).
	ClosedWithinSLA    int     `json:"closed_within_sla"`
	ClosedWithinSLAPct float64 `json:"closed_within_sla_pct"`
}

// Metrics computes CaseMetrics for cases as of now.
func Metrics(cases []CaseTimes, now time.Time) CaseMetrics {
	m := CaseMetrics{Cases: len(cases)}
	var durations []time.Duration
	var total time.Duration
	for _, c := range cases {
		if c.ClosedAt != nil {
			d := c.ClosedAt.Sub(c.CreatedAt)
			durations = append(durations, d)
			total += d
		}
		if c.DueAt == nil {
			continue
		}
		switch {
		case c.ClosedAt != nil:
			m.SLADecided++
			if !c.ClosedAt.After(*c.DueAt) {
				m.ClosedWithinSLA++
			}
		case now.After(*c.DueAt):
			m.SLADecided++
		}
	}
	m.Closed = len(durations)
	if m.Closed > 0 {
		m.MeanTimeToClose = total / time.Duration(m.Closed)
		slices.Sort(durations)
		if n := len(durations); n%2 == 1 {
			m.MedianTimeToClose = durations[n/2]
		} else {
			m.MedianTimeToClose = (durations[n/2-1] + durations[n/2]) / 2
		}
	}
	if m.SLADecided > 0 {
		m.ClosedWithinSLAPct = 100 * float64(m.ClosedWithinSLA) / float64(m.SLADecided)
	}
	return m
}
