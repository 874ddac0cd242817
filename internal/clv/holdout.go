package clv

import (
	"fmt"
	"time"
)

// HoldoutCustomer is a customer's calibration summary together with what
// they did in the holdout period that follows it.
type HoldoutCustomer struct {
	Summary
	// Actual is the number of (merged) purchases in (End, HoldoutEnd].
	Actual int
	// Duration is the holdout length in Unit.
	Duration float64
}

// SplitHoldout summarises a log on the calibration period ending at o.End
// and counts each calibration customer's purchases in (o.End, holdoutEnd].
// Customers first seen in the holdout are left out, as in Fader, Hardie &
// Lee (2005) §4, where the 39-week holdout tracks the calibration cohort.
func SplitHoldout(txs []Transaction, o SummaryOptions, holdoutEnd time.Time) ([]HoldoutCustomer, error) {
	if err := o.validate(); err != nil {
		return nil, fmt.Errorf("clv: split holdout: %w", err)
	}
	if !holdoutEnd.After(o.End) {
		return nil, fmt.Errorf("clv: split holdout: %w: holdout_end must be after end", ErrInvalid)
	}
	byCustomer, ids, err := history(txs, o)
	if err != nil {
		return nil, fmt.Errorf("clv: split holdout: %w", err)
	}
	duration := float64(holdoutEnd.Sub(o.End)) / float64(o.Unit)
	var out []HoldoutCustomer
	for _, id := range ids {
		ps := byCustomer[id]
		s, ok := summarize(id, ps, o)
		if !ok {
			continue
		}
		h := HoldoutCustomer{Summary: s, Duration: duration}
		for _, p := range ps {
			if p.at.After(o.End) && !p.at.After(holdoutEnd) {
				h.Actual++
			}
		}
		out = append(out, h)
	}
	return out, nil
}

// Prediction is one customer's predicted and actual holdout purchases.
type Prediction struct {
	CustomerID string
	X          int
	Actual     int
	Predicted  float64
	PAlive     float64
}

// HoldoutRow aggregates customers with the same calibration frequency:
// the mean actual and predicted holdout purchases per customer (the
// "conditional expectations" plot of FHL 2005, §4, Figure 4).
type HoldoutRow struct {
	// X is the calibration frequency; the last row pools x ≥ X.
	X         int
	Customers int
	Actual    float64
	Predicted float64
}

// HoldoutComparison is the result of CompareHoldout.
type HoldoutComparison struct {
	Customers []Prediction
	ByX       []HoldoutRow
	// Actual and Predicted are totals over all customers.
	Actual    int
	Predicted float64
}

// CompareHoldout predicts each customer's holdout purchases with m and
// compares them with what happened, per customer and by calibration
// frequency, pooling x ≥ maxX in the last row (FHL 2005 pool 7+).
func CompareHoldout(m TransactionModel, hc []HoldoutCustomer, maxX int) (HoldoutComparison, error) {
	if maxX < 0 {
		return HoldoutComparison{}, fmt.Errorf("clv: compare holdout: %w: max_x must be ≥ 0", ErrInvalid)
	}
	var c HoldoutComparison
	rows := make([]HoldoutRow, maxX+1)
	for i := range rows {
		rows[i].X = i
	}
	c.Customers = make([]Prediction, 0, len(hc))
	for _, h := range hc {
		p := Prediction{
			CustomerID: h.CustomerID,
			X:          h.X,
			Actual:     h.Actual,
			Predicted:  m.ConditionalExpected(h.Duration, h.X, h.Tx, h.T),
			PAlive:     m.PAlive(h.X, h.Tx, h.T),
		}
		c.Customers = append(c.Customers, p)
		c.Actual += p.Actual
		c.Predicted += p.Predicted
		r := &rows[min(h.X, maxX)]
		r.Customers++
		r.Actual += float64(p.Actual)
		r.Predicted += p.Predicted
	}
	for i := range rows {
		if n := rows[i].Customers; n > 0 {
			rows[i].Actual /= float64(n)
			rows[i].Predicted /= float64(n)
		}
	}
	c.ByX = rows
	return c, nil
}
