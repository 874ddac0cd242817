package value

import (
	"sort"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
)

// history holds each known customer's events in time order.
type history map[string][]cx.Event

// newHistory indexes the events of d's customers by customer, in time
// order (stable, so events at the same instant keep their input order).
func newHistory(d kpi.Data) history {
	h := make(history, len(d.Customers))
	for _, c := range d.Customers {
		h[c.ExternalID] = nil
	}
	for _, e := range d.Events {
		if es, ok := h[e.Customer]; ok {
			h[e.Customer] = append(es, e)
		}
	}
	for _, es := range h {
		sort.SliceStable(es, func(i, j int) bool { return es[i].OccurredAt.Before(es[j].OccurredAt) })
	}
	return h
}

// before returns the prefix of time-ordered events strictly before t.
func before(es []cx.Event, t time.Time) []cx.Event {
	i := sort.Search(len(es), func(i int) bool { return !es[i].OccurredAt.Before(t) })
	return es[:i]
}

// activeAt reports whether c is active at t by the activity rule (nil means
// kpi.Subscription, as in kpi.Options).
func activeAt(rule kpi.ActiveFunc, c cx.Customer, es []cx.Event, t time.Time) bool {
	if rule == nil {
		rule = kpi.Subscription
	}
	return rule(c, before(es, t), t)
}

// answer is one survey answer of a customer.
type answer struct {
	Survey string
	Score  int
	At     time.Time
}

// latestAnswers returns each known customer's latest scored answer to one
// of the surveys submitted in [from, to) (from zero means no lower bound).
// Among answers at the same instant the later one in responses wins.
func latestAnswers(d kpi.Data, surveys []string, from, to time.Time) map[string]answer {
	known := make(map[string]bool, len(d.Customers))
	for _, c := range d.Customers {
		known[c.ExternalID] = true
	}
	want := make(map[string]bool, len(surveys))
	for _, s := range surveys {
		want[s] = true
	}
	out := make(map[string]answer)
	for _, r := range d.Responses {
		if r.Score == nil || !known[r.Customer] || !want[r.Survey] || !r.SubmittedAt.Before(to) || r.SubmittedAt.Before(from) {
			continue
		}
		if a, ok := out[r.Customer]; !ok || !r.SubmittedAt.Before(a.At) {
			out[r.Customer] = answer{Survey: r.Survey, Score: *r.Score, At: r.SubmittedAt}
		}
	}
	return out
}

// dataEnd returns the latest event or response time in d, the end of the
// observed data.
func dataEnd(d kpi.Data) time.Time {
	var end time.Time
	for _, e := range d.Events {
		if e.OccurredAt.After(end) {
			end = e.OccurredAt
		}
	}
	for _, r := range d.Responses {
		if r.SubmittedAt.After(end) {
			end = r.SubmittedAt
		}
	}
	return end
}
