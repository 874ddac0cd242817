package clv

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"
)

// ErrInvalid is wrapped by every error caused by bad input; the message names
// the offending field.
var ErrInvalid = errors.New("clv: invalid input")

// Common time units for SummaryOptions.Unit.
const (
	Day  = 24 * time.Hour
	Week = 7 * Day
)

// Transaction is one purchase in a transaction log.
type Transaction struct {
	CustomerID string
	Time       time.Time
	Value      float64
}

// SummaryOptions say how a transaction log is turned into per-customer
// recency/frequency summaries.
type SummaryOptions struct {
	// End is the end of the calibration period. Transactions whose merged
	// time (see Merge) is after End are ignored; T is measured up to End.
	End time.Time
	// Unit is the time unit of Recency and T (e.g. Week or Day). Required.
	Unit time.Duration
	// Merge, when positive, merges transactions of one customer that fall in
	// the same Merge-long slot (time.Time.Truncate, so Day means a UTC
	// calendar day) into one transaction whose value is their sum. Fader,
	// Hardie & Lee (2005) merge same-day CDNOW purchases this way.
	Merge time.Duration
}

// Summary is one customer's calibration-period summary in the notation of
// Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", §2.
type Summary struct {
	CustomerID string
	// X is the number of repeat transactions (all transactions but the first).
	X int
	// Tx is the recency: time of the last transaction, measured from the
	// first, in Unit.
	Tx float64
	// T is the customer's age at End, measured from the first transaction.
	T float64
	// Monetary is the mean value of the repeat transactions (the first is
	// excluded, as in the Gamma-Gamma model); 0 when X is 0.
	Monetary float64
}

func (o SummaryOptions) validate() error {
	if o.Unit <= 0 {
		return fmt.Errorf("%w: unit must be positive, got %v", ErrInvalid, o.Unit)
	}
	if o.End.IsZero() {
		return fmt.Errorf("%w: end is required", ErrInvalid)
	}
	if o.Merge < 0 {
		return fmt.Errorf("%w: merge must not be negative, got %v", ErrInvalid, o.Merge)
	}
	return nil
}

func (o SummaryOptions) slot(t time.Time) time.Time {
	if o.Merge > 0 {
		return t.Truncate(o.Merge)
	}
	return t
}

func validateTransaction(i int, tr Transaction) error {
	switch {
	case tr.CustomerID == "":
		return fmt.Errorf("%w: transaction %d: customer_id is empty", ErrInvalid, i)
	case tr.Time.IsZero():
		return fmt.Errorf("%w: transaction %d: time is zero", ErrInvalid, i)
	case math.IsNaN(tr.Value) || math.IsInf(tr.Value, 0):
		return fmt.Errorf("%w: transaction %d: value is not finite", ErrInvalid, i)
	}
	return nil
}

// purchase is one merged transaction.
type purchase struct {
	at    time.Time
	value float64
}

// history groups a log by customer, merges transactions per slot and sorts
// each customer's purchases by time. Customer ids come back sorted.
func history(txs []Transaction, o SummaryOptions) (map[string][]purchase, []string, error) {
	byCustomer := make(map[string][]purchase)
	for i, tr := range txs {
		if err := validateTransaction(i, tr); err != nil {
			return nil, nil, err
		}
		byCustomer[tr.CustomerID] = append(byCustomer[tr.CustomerID], purchase{o.slot(tr.Time), tr.Value})
	}
	ids := make([]string, 0, len(byCustomer))
	for id, ps := range byCustomer {
		sort.Slice(ps, func(i, j int) bool { return ps[i].at.Before(ps[j].at) })
		merged := ps[:1]
		for _, p := range ps[1:] {
			last := &merged[len(merged)-1]
			if p.at.Equal(last.at) {
				last.value += p.value
				continue
			}
			merged = append(merged, p)
		}
		byCustomer[id] = merged
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return byCustomer, ids, nil
}

// summarize builds the summary of one customer's merged purchases up to end.
// ok is false when the customer's first purchase is after end.
func summarize(id string, ps []purchase, o SummaryOptions) (Summary, bool) {
	if len(ps) == 0 || ps[0].at.After(o.End) {
		return Summary{}, false
	}
	first := ps[0].at
	s := Summary{CustomerID: id, T: float64(o.End.Sub(first)) / float64(o.Unit)}
	var total float64
	for _, p := range ps[1:] {
		if p.at.After(o.End) {
			break
		}
		s.X++
		total += p.value
		s.Tx = float64(p.at.Sub(first)) / float64(o.Unit)
	}
	if s.X > 0 {
		s.Monetary = total / float64(s.X)
	}
	return s, true
}

// Summarize turns a transaction log into one Summary per customer whose first
// transaction is not after o.End, sorted by customer id.
func Summarize(txs []Transaction, o SummaryOptions) ([]Summary, error) {
	if err := o.validate(); err != nil {
		return nil, fmt.Errorf("clv: summarize: %w", err)
	}
	byCustomer, ids, err := history(txs, o)
	if err != nil {
		return nil, fmt.Errorf("clv: summarize: %w", err)
	}
	out := make([]Summary, 0, len(ids))
	for _, id := range ids {
		if s, ok := summarize(id, byCustomer[id], o); ok {
			out = append(out, s)
		}
	}
	return out, nil
}

// Group is a set of customers sharing the same (x, t_x, T). The likelihoods
// only depend on that tuple, so fitting on groups gives the same result as
// fitting on customers, in time proportional to the number of distinct
// tuples.
type Group struct {
	X     int
	Tx, T float64
	// Count is the number of customers in the group.
	Count int
}

// Compress collapses summaries with identical (X, Tx, T) into groups, sorted
// by X, then Tx, then T.
func Compress(s []Summary) []Group {
	type key struct {
		x     int
		tx, t float64
	}
	idx := make(map[key]int)
	var out []Group
	for _, c := range s {
		k := key{c.X, c.Tx, c.T}
		if i, ok := idx[k]; ok {
			out[i].Count++
			continue
		}
		idx[k] = len(out)
		out = append(out, Group{X: c.X, Tx: c.Tx, T: c.T, Count: 1})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.X != b.X {
			return a.X < b.X
		}
		if a.Tx != b.Tx {
			return a.Tx < b.Tx
		}
		return a.T < b.T
	})
	return out
}

// validateGroups checks the recency/frequency data the transaction models
// are fitted on.
func validateGroups(gs []Group) error {
	if len(gs) == 0 {
		return fmt.Errorf("%w: no customers", ErrInvalid)
	}
	for i, g := range gs {
		switch {
		case g.X < 0:
			return fmt.Errorf("%w: group %d: x is negative", ErrInvalid, i)
		case g.Count <= 0:
			return fmt.Errorf("%w: group %d: count must be positive", ErrInvalid, i)
		case !(g.T >= 0) || math.IsInf(g.T, 0):
			return fmt.Errorf("%w: group %d: T must be finite and ≥ 0", ErrInvalid, i)
		case !(g.Tx >= 0) || g.Tx > g.T:
			return fmt.Errorf("%w: group %d: t_x must be in [0, T]", ErrInvalid, i)
		case g.X == 0 && g.Tx != 0:
			return fmt.Errorf("%w: group %d: t_x must be 0 when x is 0", ErrInvalid, i)
		}
	}
	return nil
}
