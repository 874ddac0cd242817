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
	// FirstContactAt is the first note or status change; nil before.
	FirstContactAt *time.Time
	// Detractor: the case was opened on a detractor's NPS answer;
	// Recovered: that customer later answered the survey higher.
	Detractor, Recovered bool
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
	// Contacted counts the cases with a first contact; the mean and
	// median time to first contact are over them (zero when none).
	Contacted                int           `json:"contacted"`
	MeanTimeToFirstContact   time.Duration `json:"mean_time_to_first_contact_ns"`
	MedianTimeToFirstContact time.Duration `json:"median_time_to_first_contact_ns"`
	// DetractorsClosed counts the closed cases opened on a detractor's
	// answer; Recovered those whose customer later scored higher on the
	// same survey; RecoveryRatePct is Recovered / DetractorsClosed in %.
	DetractorsClosed int     `json:"detractors_closed"`
	Recovered        int     `json:"recovered"`
	RecoveryRatePct  float64 `json:"recovery_rate_pct"`
}

// meanMedian returns the mean and median of ds (zeros when empty); it sorts ds.
func meanMedian(ds []time.Duration) (mean, median time.Duration) {
	n := len(ds)
	if n == 0 {
		return 0, 0
	}
	var total time.Duration
	for _, d := range ds {
		total += d
	}
	slices.Sort(ds)
	if n%2 == 1 {
		return total / time.Duration(n), ds[n/2]
	}
	return total / time.Duration(n), (ds[n/2-1] + ds[n/2]) / 2
}

// Metrics computes CaseMetrics for cases as of now.
func Metrics(cases []CaseTimes, now time.Time) CaseMetrics {
	m := CaseMetrics{Cases: len(cases)}
	var durations, contacts []time.Duration
	for _, c := range cases {
		if c.FirstContactAt != nil {
			contacts = append(contacts, c.FirstContactAt.Sub(c.CreatedAt))
		}
		if c.ClosedAt != nil {
			durations = append(durations, c.ClosedAt.Sub(c.CreatedAt))
			if c.Detractor {
				m.DetractorsClosed++
				if c.Recovered {
					m.Recovered++
				}
			}
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
	m.Closed, m.Contacted = len(durations), len(contacts)
	m.MeanTimeToClose, m.MedianTimeToClose = meanMedian(durations)
	m.MeanTimeToFirstContact, m.MedianTimeToFirstContact = meanMedian(contacts)
	if m.DetractorsClosed > 0 {
		m.RecoveryRatePct = 100 * float64(m.Recovered) / float64(m.DetractorsClosed)
	}
	if m.SLADecided > 0 {
		m.ClosedWithinSLAPct = 100 * float64(m.ClosedWithinSLA) / float64(m.SLADecided)
	}
	return m
}
