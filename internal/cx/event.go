package cx

import (
	"strings"
	"time"
)

// EventType is what a customer did.
type EventType string

// Event types. Conventions for value and attributes:
//   - purchase: value = order revenue; refund: value = amount refunded (positive).
//   - subscription_change: value = recurring revenue per month after the
//     change (0 when cancelled); attributes.plan names the plan.
//   - loyalty_earn / loyalty_redeem: value = points.
//   - referral: the customer referred someone; attributes.referred names the
//     referred customer's external_id.
//   - churn / reactivate: the customer left or came back.
//   - custom: anything else; attributes.name names it.
const (
	Purchase           EventType = "purchase"
	Refund             EventType = "refund"
	SubscriptionChange EventType = "subscription_change"
	LoyaltyEarn        EventType = "loyalty_earn"
	LoyaltyRedeem      EventType = "loyalty_redeem"
	Referral           EventType = "referral"
	Churn              EventType = "churn"
	Reactivate         EventType = "reactivate"
	CustomEvent        EventType = "custom"
)

// EventTypes lists every valid event type.
var EventTypes = []EventType{Purchase, Refund, SubscriptionChange, LoyaltyEarn, LoyaltyRedeem, Referral, Churn, Reactivate, CustomEvent}

// Valid reports whether t is a known event type.
func (t EventType) Valid() bool {
	for _, v := range EventTypes {
		if t == v {
			return true
		}
	}
	return false
}

// Event is something a customer did: a purchase, a renewal, a referral.
type Event struct {
	ID             int64      `json:"id"`
	Customer       string     `json:"customer"`
	Type           EventType  `json:"type"`
	OccurredAt     time.Time  `json:"occurred_at"`
	Value          float64    `json:"value"`
	Currency       string     `json:"currency,omitempty"`
	Attributes     Attributes `json:"attributes,omitempty"`
	IdempotencyKey string     `json:"idempotency_key,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`

	CustomerID int64 `json:"-"`
}

// Validate checks an event; now bounds how far in the future it may be.
func (e *Event) Validate(now time.Time) []FieldError {
	var fe fieldErrors
	e.Customer = strings.TrimSpace(e.Customer)
	checkExternalID(&fe, "customer", e.Customer, true)
	if e.Type == "" {
		fe.add("type", "is required")
	} else if !e.Type.Valid() {
		fe.add("type", "must be one of purchase, refund, subscription_change, loyalty_earn, loyalty_redeem, referral, churn, reactivate, custom")
	}
	checkTime(&fe, "occurred_at", e.OccurredAt, now)
	if e.Value != e.Value || e.Value > 1e15 || e.Value < -1e15 {
		fe.add("value", "must be a finite number")
	}
	if e.Type == LoyaltyEarn || e.Type == LoyaltyRedeem || e.Type == Refund || e.Type == Purchase {
		if e.Value < 0 {
			fe.add("value", "must not be negative for "+string(e.Type))
		}
	}
	e.Currency = strings.ToUpper(strings.TrimSpace(e.Currency))
	if e.Currency != "" && !isCurrency(e.Currency) {
		fe.add("currency", "must be a 3-letter ISO 4217 code")
	}
	checkText(&fe, "idempotency_key", e.IdempotencyKey, MaxShortText)
	e.Attributes.validate(&fe, "attributes")
	return fe
}

func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// checkTime requires a timestamp after 1970 and at most a day in the future.
func checkTime(fe *fieldErrors, field string, t, now time.Time) {
	switch {
	case t.IsZero():
		fe.add(field, "is required (RFC 3339)")
	case t.Unix() < 0:
		fe.add(field, "must be after 1970-01-01")
	case !now.IsZero() && t.After(now.Add(24*time.Hour)):
		fe.add(field, "is more than a day in the future")
	}
}
