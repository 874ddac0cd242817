package kpi

import (
	"slices"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// Data is the input of the customer KPIs: customers and what they did, said
// and asked. Events, tickets and responses name their customer by external
// id; those whose customer is not in Customers are ignored by the customer
// KPIs.
type Data struct {
	Customers []cx.Customer
	Events    []cx.Event
	Tickets   []cx.Ticket
	Responses []cx.Response
}

// Segmenter names the segment a customer belongs to ("" is a segment too:
// customers without the attribute).
type Segmenter func(c cx.Customer) string

// ByAttribute returns a Segmenter grouping customers by the string form of
// one of their attributes (cx.Attributes.String: missing is "").
func ByAttribute(key string) Segmenter {
	return func(c cx.Customer) string { return c.Attributes.String(key) }
}

// Segments splits d by seg: each segment gets its customers and their
// events, tickets and responses. Segments use the customers' current
// attributes for every period. The keys of the map are the segment names.
func (d Data) Segments(seg Segmenter) map[string]Data {
	of := make(map[string]string, len(d.Customers))
	out := make(map[string]Data)
	for _, c := range d.Customers {
		s := seg(c)
		of[c.ExternalID] = s
		sd := out[s]
		sd.Customers = append(sd.Customers, c)
		out[s] = sd
	}
	for _, e := range d.Events {
		if s, ok := of[e.Customer]; ok {
			sd := out[s]
			sd.Events = append(sd.Events, e)
			out[s] = sd
		}
	}
	for _, t := range d.Tickets {
		if s, ok := of[t.Customer]; ok {
			sd := out[s]
			sd.Tickets = append(sd.Tickets, t)
			out[s] = sd
		}
	}
	for _, r := range d.Responses {
		if s, ok := of[r.Customer]; ok {
			sd := out[s]
			sd.Responses = append(sd.Responses, r)
			out[s] = sd
		}
	}
	return out
}

// Cell is one KPI result for one segment and one period.
type Cell[T any] struct {
	Segment string
	Period  Period
	Result  T
}

// Table computes kpi for every segment (in name order) and every period (in
// the given order). A nil seg puts every customer in the segment "".
func Table[T any](d Data, periods []Period, seg Segmenter, kpi func(Data, Period) T) []Cell[T] {
	if seg == nil {
		seg = func(cx.Customer) string { return "" }
	}
	parts := d.Segments(seg)
	names := make([]string, 0, len(parts))
	for s := range parts {
		names = append(names, s)
	}
	slices.Sort(names)
	out := make([]Cell[T], 0, len(names)*len(periods))
	for _, s := range names {
		for _, p := range periods {
			out = append(out, Cell[T]{Segment: s, Period: p, Result: kpi(parts[s], p)})
		}
	}
	return out
}

// history is the events of each customer in time order (stable, so events
// at the same instant keep their input order).
type history map[string][]cx.Event

func newHistory(events []cx.Event) history {
	h := make(history)
	for _, e := range events {
		h[e.Customer] = append(h[e.Customer], e)
	}
	for _, es := range h {
		slices.SortStableFunc(es, func(a, b cx.Event) int { return a.OccurredAt.Compare(b.OccurredAt) })
	}
	return h
}

// before returns the events strictly before t.
func before(es []cx.Event, t time.Time) []cx.Event {
	i, _ := slices.BinarySearchFunc(es, t, func(e cx.Event, t time.Time) int {
		if e.OccurredAt.Before(t) {
			return -1
		}
		return 1
	})
	return es[:i]
}
