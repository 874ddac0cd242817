package kpi

import (
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// ActiveFunc reports whether customer c is an active customer at instant t,
// given c's events strictly before t in time order. It decides who counts
// as a customer at the start and end of a period, and so who is new, lost
// and retained.
type ActiveFunc func(c cx.Customer, past []cx.Event, t time.Time) bool

// AliveFunc returns the probability that customer c is still alive at t
// (e.g. P(alive) of a BG/NBD or Pareto/NBD model from internal/clv), given
// c's events strictly before t. It is the hook for model-based lapse: see
// AliveRule.
type AliveFunc func(c cx.Customer, past []cx.Event, t time.Time) float64

// Subscription is the ActiveFunc of subscription businesses: a customer is
// active at t when first seen before t and not churned at t. Churned means
// that the latest churn or reactivate event before t is a churn; a customer
// with no such event before t is churned when ChurnedAt is before t (the
// store keeps ChurnedAt in step with churn events, so either source gives
// the same answer for consistent data). A subscription_change to 0 MRR does
// not by itself end a customer: it shows as churned revenue in NRR/GRR, and
// a churn event ends the customer.
func Subscription(c cx.Customer, past []cx.Event, t time.Time) bool {
	if !c.FirstSeen.Before(t) {
		return false
	}
	for i := len(past) - 1; i >= 0; i-- {
		switch past[i].Type {
		case cx.Churn:
			return false
		case cx.Reactivate:
			return true
		}
	}
	return c.ChurnedAt == nil || !c.ChurnedAt.Before(t)
}

// Inactivity returns the activity rule for businesses without
// subscriptions: a customer is active at t when first seen before t and
// their last activity — the latest event before t of one of the given types
// (purchase when none is given), or FirstSeen when there is none — is at
// most window before t. So with a 180-day window a customer lapses 180 days
// after their last purchase, and counts as lost in the period where that
// happens; a later purchase makes them active again. Churn events are not
// consulted.
func Inactivity(window time.Duration, types ...cx.EventType) ActiveFunc {
	if len(types) == 0 {
		types = []cx.EventType{cx.Purchase}
	}
	return func(c cx.Customer, past []cx.Event, t time.Time) bool {
		if !c.FirstSeen.Before(t) {
			return false
		}
		last := c.FirstSeen
	scan:
		for i := len(past) - 1; i >= 0; i-- {
			for _, typ := range types {
				if past[i].Type == typ {
					if past[i].OccurredAt.After(last) {
						last = past[i].OccurredAt
					}
					break scan
				}
			}
		}
		return t.Sub(last) <= window
	}
}

// AliveRule returns the model-based activity rule: a customer is active at t
// when first seen before t and alive(c, past, t) ≥ threshold (e.g. 0.5).
// The model belongs to the caller (internal/clv's P(alive), fitted on data
// before t, to avoid looking ahead).
func AliveRule(alive AliveFunc, threshold float64) ActiveFunc {
	return func(c cx.Customer, past []cx.Event, t time.Time) bool {
		return c.FirstSeen.Before(t) && alive(c, past, t) >= threshold
	}
}
