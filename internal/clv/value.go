package clv

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// TransactionModel predicts a customer's future purchases from their
// history; BGNBD and ParetoNBD implement it.
type TransactionModel interface {
	// ConditionalExpected returns the expected number of purchases in
	// (T, T+t] for a customer with x repeat purchases, the last at t_x.
	ConditionalExpected(t float64, x int, tx, T float64) float64
	// PAlive returns the probability the customer is still active at T.
	PAlive(x int, tx, T float64) float64
}

// CLVOptions set the horizon, discounting and margin of DiscountedCLV.
type CLVOptions struct {
	// Months is the horizon in months. Required.
	Months int
	// MonthlyDiscount is the discount rate per month (0.01 ≈ 12.7% a
	// year). Must be ≥ 0.
	MonthlyDiscount float64
	// Margin is the share of spend kept as profit, in (0, 1].
	Margin float64
	// UnitsPerMonth is the model's time units in one month: 4.345 for
	// weeks, 30 for days. Required.
	UnitsPerMonth float64
}

func (o CLVOptions) validate() error {
	switch {
	case o.Months <= 0:
		return fmt.Errorf("%w: months must be positive", ErrInvalid)
	case !(o.MonthlyDiscount >= 0) || math.IsInf(o.MonthlyDiscount, 0):
		return fmt.Errorf("%w: monthly_discount must be ≥ 0 and finite", ErrInvalid)
	case !(o.Margin > 0 && o.Margin <= 1):
		return fmt.Errorf("%w: margin must be in (0, 1]", ErrInvalid)
	case !(o.UnitsPerMonth > 0) || math.IsInf(o.UnitsPerMonth, 0):
		return fmt.Errorf("%w: units_per_month must be positive and finite", ErrInvalid)
	}
	return nil
}

// DiscountedCLV returns a customer's expected discounted margin over the
// horizon: the expected purchases in each month (the difference of the
// model's cumulative conditional expectations) times the expected spend per
// purchase (e.g. GammaGamma.ConditionalMean) times the margin, discounted
// at the end of each month:
//
//	CLV = Σ_{k=1..M} margin · spend · (E[Y(k u)] − E[Y((k−1) u)]) / (1+d)^k
//
// (a discrete, monthly version of the discounted expected residual
// transactions of Fader, Hardie & Lee 2005 JMR, which discount
// continuously; the same sum as lifetimes' customer_lifetime_value).
func DiscountedCLV(m TransactionModel, s Summary, spend float64, o CLVOptions) (float64, error) {
	if err := o.validate(); err != nil {
		return 0, fmt.Errorf("clv: discounted clv: %w", err)
	}
	if math.IsNaN(spend) || math.IsInf(spend, 0) {
		return 0, fmt.Errorf("clv: discounted clv: %w: spend must be finite", ErrInvalid)
	}
	var clv, prev float64
	for k := 1; k <= o.Months; k++ {
		cum := m.ConditionalExpected(float64(k)*o.UnitsPerMonth, s.X, s.Tx, s.T)
		clv += o.Margin * spend * (cum - prev) / math.Pow(1+o.MonthlyDiscount, float64(k))
		prev = cum
	}
	return clv, nil
}

// CustomerValue is one customer's historical value.
type CustomerValue struct {
	CustomerID string
	Value      float64
}

// HistoricalCLV returns each customer's margin to date: margin times the sum
// of their transaction values at or before asOf, sorted by customer id.
func HistoricalCLV(txs []Transaction, asOf time.Time, margin float64) ([]CustomerValue, error) {
	if !(margin > 0 && margin <= 1) {
		return nil, fmt.Errorf("clv: historical clv: %w: margin must be in (0, 1]", ErrInvalid)
	}
	sums := make(map[string]float64)
	for i, tr := range txs {
		if err := validateTransaction(i, tr); err != nil {
			return nil, fmt.Errorf("clv: historical clv: %w", err)
		}
		if tr.Time.After(asOf) {
			continue
		}
		sums[tr.CustomerID] += tr.Value
	}
	out := make([]CustomerValue, 0, len(sums))
	for id, v := range sums {
		out = append(out, CustomerValue{CustomerID: id, Value: margin * v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CustomerID < out[j].CustomerID })
	return out, nil
}
