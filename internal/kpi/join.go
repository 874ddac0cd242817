package kpi

import (
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// JoinRule says which ticket a CSAT or CES response is about, so that the
// answer can be credited to the ticket's agent. The zero value joins
// nothing; DefaultJoin is what the demo workspace and the API use.
type JoinRule struct {
	// Attribute names the response attribute holding the ticket's
	// ExternalID ("ticket" in the demo data). Empty skips this step.
	Attribute string
	// Window, when positive, joins a response that the attribute did not
	// join to its customer's most recent ticket opened at or before the
	// response and at most Window earlier.
	Window time.Duration
}

// DefaultJoin returns the join of response.attributes.ticket to the
// ticket's external id, falling back to the customer's most recent ticket
// opened within 7 days before the response.
func DefaultJoin() JoinRule {
	return JoinRule{Attribute: "ticket", Window: 7 * 24 * time.Hour}
}

// Join returns, for each response, the index in tickets of the ticket it is
// about, or −1. An explicit attribute wins over the time window; among
// tickets opened at the same instant the later one in tickets wins.
func (j JoinRule) Join(responses []cx.Response, tickets []cx.Ticket) []int {
	byExt := make(map[string]int)
	byCustomer := make(map[string][]int)
	for i, t := range tickets {
		if t.ExternalID != "" {
			byExt[t.ExternalID] = i
		}
		byCustomer[t.Customer] = append(byCustomer[t.Customer], i)
	}
	out := make([]int, len(responses))
	for i, r := range responses {
		out[i] = -1
		if j.Attribute != "" {
			if ext := r.Attributes.String(j.Attribute); ext != "" {
				if k, ok := byExt[ext]; ok {
					out[i] = k
					continue
				}
			}
		}
		if j.Window <= 0 || r.Customer == "" {
			continue
		}
		best := -1
		for _, k := range byCustomer[r.Customer] {
			o := tickets[k].OpenedAt
			if o.After(r.SubmittedAt) || r.SubmittedAt.Sub(o) > j.Window {
				continue
			}
			if best < 0 || !o.Before(tickets[best].OpenedAt) {
				best = k
			}
		}
		out[i] = best
	}
	return out
}
