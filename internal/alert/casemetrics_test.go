package alert

import (
	"testing"
	"time"
)

// TestMetrics works a small inbox by hand. Created at t0, 24 h SLA unless
// said otherwise; now is t0 + 72 h.
//
//	case  closed after  due after  outcome
//	1     2 h           24 h       within SLA
//	2     30 h          24 h       late
//	3     10 h          none       no SLA
//	4     open          24 h       open past due: decided, missed
//	5     open          96 h       open, not yet due: undecided
//
// Closed: 1, 2, 3 → mean (2 + 30 + 10) / 3 = 14 h, median 10 h.
// SLA decided: 1, 2, 4 → 1 within → 33.3 %.
func TestMetrics(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	at := func(h int) *time.Time { x := t0.Add(time.Duration(h) * time.Hour); return &x }
	cases := []CaseTimes{
		{CreatedAt: t0, DueAt: at(24), ClosedAt: at(2)},
		{CreatedAt: t0, DueAt: at(24), ClosedAt: at(30)},
		{CreatedAt: t0, ClosedAt: at(10)},
		{CreatedAt: t0, DueAt: at(24)},
		{CreatedAt: t0, DueAt: at(96)},
	}
	got := Metrics(cases, *at(72))
	want := CaseMetrics{Cases: 5, Closed: 3, MeanTimeToClose: 14 * time.Hour, MedianTimeToClose: 10 * time.Hour,
		SLADecided: 3, ClosedWithinSLA: 1, ClosedWithinSLAPct: 100.0 / 3}
	if got != want {
		t.Errorf("Metrics =\n%+v, want\n%+v", got, want)
	}
	if got := Metrics(nil, t0); got != (CaseMetrics{}) {
		t.Errorf("Metrics(nil) = %+v, want zeros", got)
	}
	// An even number of closed cases: the median is the mean of the middle two.
	if got := Metrics(cases[:2], *at(72)); got.MedianTimeToClose != 16*time.Hour {
		t.Errorf("median of 2 h and 30 h = %v, want 16h", got.MedianTimeToClose)
	}
}

// TestMetricsContactAndRecovery: first contact after 1 h and 3 h (mean
// 2 h, median 2 h); of three closed detractor cases, one recovered (33.3 %);
// a recovered open case and a non-detractor case do not count.
func TestMetricsContactAndRecovery(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	at := func(h int) *time.Time { x := t0.Add(time.Duration(h) * time.Hour); return &x }
	cases := []CaseTimes{
		{CreatedAt: t0, FirstContactAt: at(1), ClosedAt: at(5), Detractor: true, Recovered: true},
		{CreatedAt: t0, FirstContactAt: at(3), ClosedAt: at(5), Detractor: true},
		{CreatedAt: t0, ClosedAt: at(5), Detractor: true},
		{CreatedAt: t0, Detractor: true, Recovered: true},
		{CreatedAt: t0, ClosedAt: at(5), Recovered: true},
	}
	m := Metrics(cases, *at(10))
	if m.Contacted != 2 || m.MeanTimeToFirstContact != 2*time.Hour || m.MedianTimeToFirstContact != 2*time.Hour {
		t.Errorf("first contact = %d, %v, %v", m.Contacted, m.MeanTimeToFirstContact, m.MedianTimeToFirstContact)
	}
	if m.DetractorsClosed != 3 || m.Recovered != 1 || m.RecoveryRatePct != 100.0/3 {
		t.Errorf("recovery = %d/%d = %v%%", m.Recovered, m.DetractorsClosed, m.RecoveryRatePct)
	}
}
