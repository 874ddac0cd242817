package kpi

import (
	"testing"

	"github.com/cxlens/cxlens/internal/cx"
)

// TestRetentionBySegment splits retentionData by region: a, b, d, e in
// "eu"; c, f, g, h, i in "us".
//
//	eu: start {a, b}, lost {b}, new {d, e}, end {a, d}: churn 1/2, CRR (2 − 2)/2 = 0
//	us: start {c, i}, lost {i}, new {}, end {c, f}:     churn 1/2, CRR (2 − 0)/2 = 1
//
// In December 2025 eu has nobody at the start (a, b first seen Dec 1
// count from January), which must give NoData, not NaN.
func TestRetentionBySegment(t *testing.T) {
	t.Parallel()
	d := retentionData()
	for i := range d.Customers {
		region := "us"
		switch d.Customers[i].ExternalID {
		case "a", "b", "d", "e":
			region = "eu"
		}
		d.Customers[i].Attributes = cx.Attributes{"region": region}
	}
	cells := Table(d, []Period{month(2025, 12), month(2026, 1)}, ByAttribute("region"),
		func(d Data, p Period) RetentionResult { return Retention(d, p, Options{}) })
	want := []struct {
		seg        string
		churn, crr float64
		startN     int
		noData     bool
	}{
		{"eu", 0, 0, 0, true},
		{"eu", 0.5, 0, 2, false},
		// us in December 2025: f (first seen Nov 1) is active at Dec 1 and
		// churns Dec 15: start {f}, lost {f}, new {c, g, i}, end {c, i}:
		// churn 1/1, CRR (2 − 3)/1 = −1 — the usual CRR formula turns
		// negative when customers who arrived in the period already left (g).
		{"us", 1, -1, 1, false},
		{"us", 0.5, 1, 2, false},
	}
	if len(cells) != len(want) {
		t.Fatalf("%d cells, want %d", len(cells), len(want))
	}
	for i, w := range want {
		c := cells[i]
		r := c.Result
		noNaN(t, c.Segment, r.ChurnRate)
		noNaN(t, c.Segment, r.CRR)
		if c.Segment != w.seg || r.StartN != w.startN || r.ChurnRate.NoData != w.noData ||
			r.ChurnRate.Value != w.churn || r.CRR.Value != w.crr {
			t.Errorf("cell %d %s %v: start %d churn %+v CRR %v; want %+v", i, c.Segment, c.Period, r.StartN, r.ChurnRate, r.CRR.Value, w)
		}
	}
	parts := d.Segments(ByAttribute("region"))
	if len(parts["eu"].Customers) != 4 || len(parts["us"].Customers) != 5 || len(parts["us"].Events) != 5 {
		t.Errorf("segments: eu %d customers, us %d customers %d events", len(parts["eu"].Customers), len(parts["us"].Customers), len(parts["us"].Events))
	}
}

func TestTableWithoutSegmenter(t *testing.T) {
	t.Parallel()
	cells := Table(retentionData(), []Period{month(2026, 1)}, nil,
		func(d Data, p Period) RetentionResult { return Retention(d, p, Options{}) })
	if len(cells) != 1 || cells[0].Segment != "" || cells[0].Result.StartN != 4 {
		t.Errorf("Table without segmenter: %+v", cells)
	}
	if cells := Table(Data{}, []Period{month(2026, 1)}, nil, func(Data, Period) int { return 1 }); len(cells) != 0 {
		t.Errorf("Table of no customers: %+v", cells)
	}
}
