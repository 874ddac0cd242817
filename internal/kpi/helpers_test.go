package kpi

import (
	stdjson "encoding/json"
	"math"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/metrics"
)

// at returns midnight UTC of the given date.
func at(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func ptr[T any](v T) *T { return &v }

func month(y int, m time.Month) Period { return Period{Start: at(y, m, 1), End: at(y, m+1, 1)} }

func cust(id string, first time.Time) cx.Customer {
	return cx.Customer{ExternalID: id, FirstSeen: first}
}

func ev(c string, typ cx.EventType, t time.Time, v float64) cx.Event {
	return cx.Event{Customer: c, Type: typ, OccurredAt: t, Value: v}
}

func near(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.10g, want %.10g (±%g)", name, got, want, tol)
	}
}

// noNaN fails if a Rate holds NaN or Inf anywhere.
func noNaN(t *testing.T, name string, r Rate) {
	t.Helper()
	for _, x := range []float64{r.Value, r.Numerator, r.Denominator} {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			t.Errorf("%s: NaN or Inf in %+v", name, r)
		}
	}
}

func statsMinN(n int64) metrics.Config { return metrics.Config{MinN: n} }

// marshal encodes v, failing on NaN or Inf as the API would.
func marshal(v any) ([]byte, error) { return stdjson.Marshal(v) }
