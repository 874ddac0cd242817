package kpi

import (
	"slices"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// retentionData is January 2026 for nine customers:
//
//	a  first seen Dec 1, never churns              start, end
//	b  first seen Dec 1, churns Jan 10             start, lost
//	c  first seen Dec 1, churns Jan 5, back Jan 20 start, end (not lost: net)
//	d  first seen Jan 15                           new, end
//	e  first seen Jan 3, churns Jan 25             new (not at end)
//	f  first seen Nov 1, churns Dec 15, back Jan 12          end
//	g  first seen Dec 10, churned_at Dec 20, no events      neither
//	h  first seen Feb 1 (the period's end)                  neither
//	i  first seen Dec 5, churns Jan 1 00:00         start, lost (an event at
//	   Start belongs to the period)
//
// start = {a,b,c,i} = 4, end = {a,c,d,f} = 4, new = {d,e} = 2,
// lost = {b,i} = 2: churn rate = 2/4 = 0.5, CRR = (4 − 2)/4 = 0.5.
func retentionData() Data {
	g := cust("g", at(2025, 12, 10))
	g.ChurnedAt = ptr(at(2025, 12, 20))
	return Data{
		Customers: []cx.Customer{
			cust("a", at(2025, 12, 1)), cust("b", at(2025, 12, 1)), cust("c", at(2025, 12, 1)),
			cust("d", at(2026, 1, 15)), cust("e", at(2026, 1, 3)), cust("f", at(2025, 11, 1)),
			g, cust("h", at(2026, 2, 1)), cust("i", at(2025, 12, 5)),
		},
		Events: []cx.Event{
			ev("b", cx.Churn, at(2026, 1, 10), 0),
			ev("c", cx.Reactivate, at(2026, 1, 20), 0), // out of order on purpose
			ev("c", cx.Churn, at(2026, 1, 5), 0),
			ev("e", cx.Churn, at(2026, 1, 25), 0),
			ev("f", cx.Churn, at(2025, 12, 15), 0),
			ev("f", cx.Reactivate, at(2026, 1, 12), 0),
			ev("i", cx.Churn, at(2026, 1, 1), 0),
			ev("zz", cx.Churn, at(2026, 1, 1), 0), // unknown customer
		},
	}
}

func TestRetentionHandWorked(t *testing.T) {
	t.Parallel()
	r := Retention(retentionData(), month(2026, 1), Options{})
	if r.StartN != 4 || r.EndN != 4 || r.NewN != 2 || r.LostN != 2 {
		t.Fatalf("start, end, new, lost = %d, %d, %d, %d; want 4, 4, 2, 2", r.StartN, r.EndN, r.NewN, r.LostN)
	}
	near(t, "churn rate", r.ChurnRate.Value, 0.5, 1e-12)
	near(t, "CRR", r.CRR.Value, 0.5, 1e-12)
	// Wilson 95% for 2/4: centre (2 + z²/2)/(4 + z²) = 0.5, half-width
	// z·√(2·2/4 + z²/4)/(4 + z²) = 1.959964·1.400130/7.841459 = 0.349962.
	if r.ChurnRate.CI == nil {
		t.Fatal("churn rate has no interval")
	}
	near(t, "churn CI lower", r.ChurnRate.CI.Lower, 0.150038, 1e-5)
	near(t, "churn CI upper", r.ChurnRate.CI.Upper, 0.849962, 1e-5)
	if r.CRR.CI != nil {
		t.Error("CRR is not a proportion but has an interval")
	}
	if r.ChurnRate.N != 4 || r.ChurnRate.Definition != Definition(ChurnRate) || r.CRR.Definition == "" {
		t.Errorf("churn rate meta: %+v", r.ChurnRate)
	}
	m := Move(retentionData(), month(2026, 1), Options{})
	for name, got := range map[string][]string{"start": m.Start, "end": m.End, "new": m.New, "lost": m.Lost} {
		want := map[string][]string{"start": {"a", "b", "c", "i"}, "end": {"a", "c", "d", "f"}, "new": {"d", "e"}, "lost": {"b", "i"}}[name]
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
}

func TestRetentionNoData(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		d    Data
		p    Period
	}{
		{"no customers", Data{}, month(2026, 1)},
		// Everyone arrives during the period: nobody at the start.
		{"only new customers", Data{Customers: []cx.Customer{cust("n", at(2026, 1, 10))}}, month(2026, 1)},
		{"period before everyone", retentionData(), month(2020, 1)},
	}
	for _, tt := range tests {
		r := Retention(tt.d, tt.p, Options{})
		for _, rate := range []Rate{r.ChurnRate, r.CRR} {
			noNaN(t, tt.name, rate)
			if !rate.NoData || rate.Readable || rate.Reason == "" || rate.Value != 0 {
				t.Errorf("%s: %s = %+v, want NoData", tt.name, rate.Metric, rate)
			}
		}
	}
}

// TestInactivityRule: July 2026 with a 180-day window on purchases.
//
//	p  purchases Jan 10 and Feb 1: Jul 1 − Feb 1 = 150 d (active),
//	   Aug 1 − Feb 1 = 181 d (lapsed)                       start, lost
//	q  purchase Jun 1                                       start, end
//	r  first seen Jan 1, never buys: 181 d at Jul 1         neither
//	s  purchase Jan 2 (exactly 180 d before Jul 1) and Jul 20   start, end
//
// churn rate = 1/3.
func TestInactivityRule(t *testing.T) {
	t.Parallel()
	first := at(2026, 1, 1)
	d := Data{
		Customers: []cx.Customer{cust("p", first), cust("q", first), cust("r", first), cust("s", first)},
		Events: []cx.Event{
			ev("p", cx.Purchase, at(2026, 1, 10), 10), ev("p", cx.Purchase, at(2026, 2, 1), 10),
			ev("q", cx.Purchase, at(2026, 6, 1), 10),
			ev("r", cx.LoyaltyEarn, at(2026, 6, 1), 10), // not an activity by default
			ev("s", cx.Purchase, at(2026, 1, 2), 10), ev("s", cx.Purchase, at(2026, 7, 20), 10),
		},
	}
	opt := Options{Active: Inactivity(180 * 24 * time.Hour)}
	r := Retention(d, month(2026, 7), opt)
	if r.StartN != 3 || r.LostN != 1 || r.EndN != 2 {
		t.Errorf("start, lost, end = %d, %d, %d; want 3, 1, 2", r.StartN, r.LostN, r.EndN)
	}
	near(t, "churn rate", r.ChurnRate.Value, 1.0/3, 1e-12)
	// Counting loyalty events as activity keeps r active.
	opt.Active = Inactivity(180*24*time.Hour, cx.Purchase, cx.LoyaltyEarn)
	if r := Retention(d, month(2026, 7), opt); r.StartN != 4 {
		t.Errorf("with loyalty as activity: start = %d, want 4", r.StartN)
	}
}

func TestAliveRule(t *testing.T) {
	t.Parallel()
	alive := func(c cx.Customer, past []cx.Event, _ time.Time) float64 {
		if c.ExternalID == "x" || len(past) > 0 {
			return 0.3
		}
		return 0.9
	}
	first := at(2025, 1, 1)
	d := Data{
		Customers: []cx.Customer{cust("x", first), cust("y", first), cust("z", first)},
		// z's event falls in January, so z is alive at its start and not at its end.
		Events: []cx.Event{ev("z", cx.Purchase, at(2026, 1, 5), 1)},
	}
	r := Retention(d, month(2026, 1), Options{Active: AliveRule(alive, 0.5)})
	if r.StartN != 2 || r.LostN != 1 {
		t.Errorf("start, lost = %d, %d; want 2 (y, z), 1 (z)", r.StartN, r.LostN)
	}
}

func TestSubscriptionUsesChurnedAtWithoutEvents(t *testing.T) {
	t.Parallel()
	c := cust("a", at(2025, 1, 1))
	c.ChurnedAt = ptr(at(2026, 1, 10))
	tests := []struct {
		name string
		t    time.Time
		want bool
	}{
		{"before first seen", at(2024, 12, 1), false},
		{"at first seen", at(2025, 1, 1), false}, // first seen strictly before t
		{"before churn", at(2026, 1, 10), true},
		{"after churn", at(2026, 1, 11), false},
	}
	for _, tt := range tests {
		if got := Subscription(c, nil, tt.t); got != tt.want {
			t.Errorf("%s: Subscription = %v, want %v", tt.name, got, tt.want)
		}
	}
}
