package churn

import (
	"cmp"
	"slices"
	"strconv"
)

// Reason is one attribute's contribution to a customer's churn score.
type Reason struct {
	// Attribute is the Row attribute (or "Cat×Num" interaction) the
	// contribution comes from.
	Attribute string `json:"attribute"`
	// Value describes the customer's value of it: the category level, or
	// the numeric value's z-score as "z=1.23".
	Value string `json:"value"`
	// Contribution is the change in log-odds of churn relative to a
	// customer at the training average: Σ_j β_j (x_j − x̄_j) over the
	// attribute's columns. Positive values push towards churn.
	Contribution float64 `json:"contribution"`
}

// Reasons explains the model's score for r: the contribution of each
// attribute, coefficient × (encoded value − training mean), summed over the
// attribute's columns, so that
//
//	logit P(churn|r) = logit P(churn|x̄) + Σ contributions,
//
// an exact additive split for a linear model. For standardised numerics the
// training mean is 0 and the contribution is β·z; for one-hot columns the
// centring makes "has the common level" contribute little. The top n
// attributes that push towards churn (positive contributions, largest
// first) are returned; n ≤ 0 returns every attribute, sorted by
// contribution descending.
func (m *Model) Reasons(r Row, n int) []Reason {
	x := m.Encoder.Encode(r)
	cols := m.Encoder.Columns()
	byAttr := map[string]*Reason{}
	var order []string
	for j, c := range cols {
		rs, ok := byAttr[c.Source]
		if !ok {
			rs = &Reason{Attribute: c.Source}
			byAttr[c.Source] = rs
			order = append(order, c.Source)
		}
		rs.Contribution += m.Coef[j] * (x[j] - m.ColumnMeans[j])
	}
	// Describe the customer's value of each attribute.
	for _, s := range m.Encoder.Numeric {
		byAttr[s.Name].Value = formatZ(m.Encoder.standardise(s, r))
	}
	for _, c := range m.Encoder.Categorical {
		byAttr[c.Name].Value = r.Categorical[c.Name]
	}
	for _, in := range m.Encoder.Interactions {
		var z float64
		for _, s := range m.Encoder.Numeric {
			if s.Name == in.Numeric {
				z = m.Encoder.standardise(s, r)
			}
		}
		byAttr[in.Categorical+"×"+in.Numeric].Value = r.Categorical[in.Categorical] + "×" + formatZ(z)
	}
	out := make([]Reason, 0, len(order))
	for _, a := range order {
		out = append(out, *byAttr[a])
	}
	slices.SortStableFunc(out, func(a, b Reason) int { return cmp.Compare(b.Contribution, a.Contribution) })
	if n <= 0 {
		return out
	}
	top := out[:0:0]
	for _, rs := range out {
		if rs.Contribution <= 0 || len(top) == n {
			break
		}
		top = append(top, rs)
	}
	return top
}

// BaselineLogit returns logit P(churn) of a customer at the training
// average, the reference point of Reasons.
func (m *Model) BaselineLogit() float64 {
	return m.Intercept + dot(m.Coef, m.ColumnMeans)
}

func formatZ(z float64) string {
	return "z=" + strconv.FormatFloat(z, 'f', 2, 64)
}
