package kpi

import (
	"slices"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// TestReferralsHandWorked: January 2026.
//
//	a  active at start; refers x on Jan 5 and y on Jan 8   referrer
//	b  active at start; referred z on Dec 20 (outside)
//	c  new on Jan 10; refers x on Jan 12                   referrer
//	d  churned Dec 1, so not active; refers w on Jan 3     not counted
//	e  active at start, no referral
//
// active = {a, b, c, e} = 4, referrers = {a, c}: rate = 2/4 = 0.5.
// Referred in January: {w, x, y}; values x 100, y 50, w 0 → 150, 50 each.
func TestReferralsHandWorked(t *testing.T) {
	t.Parallel()
	ref := func(c string, tm time.Time, who string) cx.Event {
		e := ev(c, cx.Referral, tm, 0)
		e.Attributes = cx.Attributes{"referred": who}
		return e
	}
	dd := cust("d", at(2025, 11, 1))
	dd.ChurnedAt = ptr(at(2025, 12, 1))
	d := Data{
		Customers: []cx.Customer{cust("a", at(2025, 6, 1)), cust("b", at(2025, 6, 1)), cust("c", at(2026, 1, 10)), dd, cust("e", at(2025, 6, 1))},
		Events: []cx.Event{
			ref("a", at(2026, 1, 5), "x"), ref("a", at(2026, 1, 8), "y"), ref("b", at(2025, 12, 20), "z"),
			ref("c", at(2026, 1, 12), "x"), ref("d", at(2026, 1, 3), "w"),
		},
	}
	r := Referrals(d, month(2026, 1), Options{}, map[string]float64{"x": 100, "y": 50, "z": 1000})
	near(t, "referral rate", r.Rate.Value, 0.5, 1e-12)
	if r.Rate.N != 4 || r.Rate.Numerator != 2 || r.Rate.CI == nil || r.Rate.Definition != Definition(ReferralRate) {
		t.Errorf("rate: %+v", r.Rate)
	}
	if !slices.Equal(r.Referred, []string{"w", "x", "y"}) {
		t.Errorf("referred = %v, want [w x y]", r.Referred)
	}
	if r.ReferredRevenue.Numerator != 150 || r.ReferredRevenue.Value != 50 || r.ReferredRevenue.N != 3 {
		t.Errorf("referred revenue: %+v, want 150 over 3", r.ReferredRevenue)
	}
	e := Referrals(Data{}, month(2026, 1), Options{}, nil)
	noNaN(t, "empty rate", e.Rate)
	noNaN(t, "empty revenue", e.ReferredRevenue)
	if !e.Rate.NoData || !e.ReferredRevenue.NoData {
		t.Errorf("empty: %+v, want NoData", e)
	}
}

// sayDoData: Q1 2026 is the referral window; NPS answers before it.
//
//	promoters  p1 10 (Dec), p2 9, p3 9, p4 2 (Oct 1) then 10 (Nov 10),
//	           o1 9 (Oct 1, the only answer)
//	passives   q1 8, q2 7
//	detractors d1 3 (and a 10 on Jan 15, inside the window: ignored),
//	           d2 6, d3 0, d4 10 (Oct 1) then 5 (Dec)
//	x          a CSAT 5 only: no NPS answer
//
// Referrals in Q1 by p1, p2, p3, q1 and x. So promoters 3/5, passives 1/2,
// detractors 0/4. Promoters − detractors by prop.test(c(3,0), c(5,4),
// correct = FALSE): p̄ = 3/9, z² = 0.6²/(1/3·2/3·(1/5 + 1/4)) = 0.36/0.1 =
// 3.6, p = P(χ²₁ > 3.6) = 0.05777957.
//
// With a 60-day lookback (answers from Nov 2 on), o1 drops out: promoters
// 3/4, and prop.test(c(3,0), c(4,4)) gives p̄ = 3/8, z² = 0.5625/(3/8·5/8·½)
// = 4.8, p = 0.02845974.
func sayDoData() Data {
	nps := func(c string, tm time.Time, s int) cx.Response {
		return cx.Response{Survey: "nps", Customer: c, SubmittedAt: tm, Score: ptr(s)}
	}
	dec, oct, nov := at(2025, 12, 10), at(2025, 10, 1), at(2025, 11, 10)
	var cs []cx.Customer
	for _, id := range []string{"p1", "p2", "p3", "p4", "o1", "q1", "q2", "d1", "d2", "d3", "d4", "x"} {
		cs = append(cs, cust(id, at(2025, 1, 1)))
	}
	return Data{
		Customers: cs,
		Responses: []cx.Response{
			nps("p1", dec, 10), nps("p2", dec, 9), nps("p3", dec, 9), nps("p4", nov, 10), nps("p4", oct, 2),
			nps("o1", oct, 9), nps("q1", dec, 8), nps("q2", dec, 7),
			nps("d1", dec, 3), nps("d1", at(2026, 1, 15), 10), nps("d2", dec, 6), nps("d3", dec, 0),
			nps("d4", oct, 10), nps("d4", dec, 5),
			{Survey: "csat", Customer: "x", SubmittedAt: dec, Score: ptr(5)},
			nps("stranger", dec, 10), // not a customer of d
		},
		Events: []cx.Event{
			ev("p1", cx.Referral, at(2026, 1, 5), 0), ev("p2", cx.Referral, at(2026, 2, 5), 0),
			ev("p2", cx.Referral, at(2026, 2, 6), 0), ev("p3", cx.Referral, at(2026, 3, 31), 0),
			ev("q1", cx.Referral, at(2026, 1, 9), 0), ev("x", cx.Referral, at(2026, 1, 9), 0),
			ev("d2", cx.Referral, at(2026, 4, 1), 0), // after the window
		},
	}
}

func TestReferralsByNPSHandWorked(t *testing.T) {
	t.Parallel()
	q1 := Period{Start: at(2026, 1, 1), End: at(2026, 4, 1)}
	tests := []struct {
		name         string
		lookback     time.Duration
		promK, promN int
		n            int
		z2, p        float64
	}{
		{"all history", 0, 3, 5, 11, 3.6, 0.05777957},
		{"60-day lookback", 60 * 24 * time.Hour, 3, 4, 10, 4.8, 0.02845974},
	}
	for _, tt := range tests {
		r := ReferralsByNPS(sayDoData(), q1, SayVsDoOptions{Lookback: tt.lookback})
		if r.N != tt.n || r.NoData {
			t.Errorf("%s: N = %d, want %d", tt.name, r.N, tt.n)
		}
		if int(r.Promoters.Numerator) != tt.promK || r.Promoters.N != tt.promN {
			t.Errorf("%s: promoters %v/%d, want %d/%d", tt.name, r.Promoters.Numerator, r.Promoters.N, tt.promK, tt.promN)
		}
		if r.Passives.Numerator != 1 || r.Passives.N != 2 || r.Detractors.Numerator != 0 || r.Detractors.N != 4 {
			t.Errorf("%s: passives %+v, detractors %+v", tt.name, r.Passives, r.Detractors)
		}
		pd := r.PromotersVsDetractors
		near(t, tt.name+" estimate", pd.Estimate, 100*float64(tt.promK)/float64(tt.promN), 1e-9)
		near(t, tt.name+" z²", pd.Statistic*pd.Statistic, tt.z2, 1e-9)
		near(t, tt.name+" p", pd.P, tt.p, 1e-7)
		if r.Promoters.CI == nil || r.Detractors.CI == nil || r.Detractors.CI.Lower != 0 {
			t.Errorf("%s: Wilson intervals missing or wrong: %+v", tt.name, r.Detractors)
		}
		// promoters vs passives: 60 or 75% against 50%
		near(t, tt.name+" vs passives", r.PromotersVsPassives.Estimate, 100*float64(tt.promK)/float64(tt.promN)-50, 1e-9)
	}
	e := ReferralsByNPS(Data{}, q1, SayVsDoOptions{})
	if !e.NoData || e.Reason == "" || e.PromotersVsDetractors.Valid {
		t.Errorf("empty: %+v, want NoData", e)
	}
	noNaN(t, "empty promoters", e.Promoters)
	if other := ReferralsByNPS(sayDoData(), q1, SayVsDoOptions{NPSSurveys: []string{"csat"}}); other.N != 1 || other.Promoters.N != 0 || other.Passives.N != 0 {
		// x's CSAT 5 counts as a 5 on 0–10 when csat is named as the NPS survey: a detractor.
		t.Errorf("with csat as the NPS survey: %+v", other)
	}
}
