package churn

import (
	"fmt"
	"maps"
	"math"
	"slices"
)

// Row is one customer's attributes. Numeric values are standardised by the
// Encoder; a NaN (or absent) numeric value is imputed with the training
// mean. Categorical values are one-hot encoded; an absent value or a level
// not seen in training encodes as all zeros.
type Row struct {
	// Numeric holds numeric attributes by name (tenure, monthly charges,
	// last NPS score...).
	Numeric map[string]float64
	// Categorical holds categorical attributes by name (plan, contract,
	// payment method...).
	Categorical map[string]string
}

// Interaction asks the Encoder for one column per level of a categorical
// attribute times a standardised numeric one (e.g. Contract × tenure), so
// the numeric attribute may have a different slope in each category.
type Interaction struct {
	// Categorical and Numeric name the two attributes.
	Categorical string
	Numeric     string
}

// Encoder turns Rows into the model's design vector: standardised numeric
// columns, then one-hot columns (one per level seen in training, levels
// sorted), then interaction columns (level indicator × standardised
// numeric). Its statistics come from the training rows only, so applying it
// to test or live customers leaks nothing back.
type Encoder struct {
	// Numeric lists the numeric attributes with their training mean and
	// standard deviation.
	Numeric []NumericStat
	// Categorical lists the categorical attributes with their levels.
	Categorical []CategoricalLevels
	// Interactions lists the interaction columns' sources.
	Interactions []Interaction
}

// NumericStat is a numeric attribute's training mean and (population)
// standard deviation; an attribute with SD 0 encodes as a constant 0.
type NumericStat struct {
	// Name is the attribute's name in Row.Numeric.
	Name string
	// Mean and SD are over the training rows where the value is present.
	Mean float64
	SD   float64
}

// CategoricalLevels is a categorical attribute's levels seen in training,
// sorted.
type CategoricalLevels struct {
	// Name is the attribute's name in Row.Categorical.
	Name string
	// Levels are the values seen in training, sorted; one column each.
	Levels []string
}

// FitEncoder learns the encoding from training rows. The numeric and
// categorical attributes are those present in any row (sorted by name);
// every interaction must name an attribute of each kind.
func FitEncoder(rows []Row, interactions []Interaction) (*Encoder, error) {
	if len(rows) == 0 {
		return nil, fmt.Errorf("churn: fit encoder: no rows")
	}
	sums := map[string]float64{}
	counts := map[string]int{}
	levels := map[string]map[string]bool{}
	for _, r := range rows {
		for k, v := range r.Numeric {
			if math.IsInf(v, 0) {
				return nil, fmt.Errorf("churn: fit encoder: numeric %q is %v", k, v)
			}
			if _, ok := counts[k]; !ok {
				counts[k] = 0
			}
			if math.IsNaN(v) {
				continue
			}
			sums[k] += v
			counts[k]++
		}
		for k, v := range r.Categorical {
			if levels[k] == nil {
				levels[k] = map[string]bool{}
			}
			levels[k][v] = true
		}
	}
	e := &Encoder{}
	for _, name := range sortedKeys(counts) {
		if _, clash := levels[name]; clash {
			return nil, fmt.Errorf("churn: fit encoder: %q is both numeric and categorical", name)
		}
		st := NumericStat{Name: name}
		if n := counts[name]; n > 0 {
			st.Mean = sums[name] / float64(n)
			var ss float64
			for _, r := range rows {
				if v, ok := r.Numeric[name]; ok && !math.IsNaN(v) {
					ss += (v - st.Mean) * (v - st.Mean)
				}
			}
			st.SD = math.Sqrt(ss / float64(n))
		}
		e.Numeric = append(e.Numeric, st)
	}
	for _, name := range sortedKeys(levels) {
		e.Categorical = append(e.Categorical, CategoricalLevels{Name: name, Levels: sortedKeys(levels[name])})
	}
	for _, in := range interactions {
		if _, ok := counts[in.Numeric]; !ok {
			return nil, fmt.Errorf("churn: fit encoder: interaction %s×%s: no numeric attribute %q", in.Categorical, in.Numeric, in.Numeric)
		}
		if _, ok := levels[in.Categorical]; !ok {
			return nil, fmt.Errorf("churn: fit encoder: interaction %s×%s: no categorical attribute %q", in.Categorical, in.Numeric, in.Categorical)
		}
	}
	e.Interactions = slices.Clone(interactions)
	return e, nil
}

// Width returns the length of an encoded vector.
func (e *Encoder) Width() int {
	w := len(e.Numeric)
	for _, c := range e.Categorical {
		w += len(c.Levels)
	}
	for _, in := range e.Interactions {
		w += len(e.levels(in.Categorical))
	}
	return w
}

// Columns describes each position of an encoded vector: Source is the Row
// attribute it comes from (the grouping used by Reasons) and Name the
// column itself ("tenure", "Contract=Two year", "Contract=Two year×tenure").
func (e *Encoder) Columns() []ColumnInfo {
	out := make([]ColumnInfo, 0, e.Width())
	for _, n := range e.Numeric {
		out = append(out, ColumnInfo{Name: n.Name, Source: n.Name})
	}
	for _, c := range e.Categorical {
		for _, l := range c.Levels {
			out = append(out, ColumnInfo{Name: c.Name + "=" + l, Source: c.Name})
		}
	}
	for _, in := range e.Interactions {
		src := in.Categorical + "×" + in.Numeric
		for _, l := range e.levels(in.Categorical) {
			out = append(out, ColumnInfo{Name: in.Categorical + "=" + l + "×" + in.Numeric, Source: src})
		}
	}
	return out
}

// ColumnInfo names one encoded column.
type ColumnInfo struct {
	// Name is the column's own name.
	Name string
	// Source is the attribute (or interaction) the column belongs to.
	Source string
}

// Encode returns the design vector of r (without the intercept).
func (e *Encoder) Encode(r Row) []float64 {
	x := make([]float64, 0, e.Width())
	z := make(map[string]float64, len(e.Numeric))
	for _, n := range e.Numeric {
		v := e.standardise(n, r)
		z[n.Name] = v
		x = append(x, v)
	}
	for _, c := range e.Categorical {
		val, ok := r.Categorical[c.Name]
		for _, l := range c.Levels {
			x = append(x, indicator(ok && val == l))
		}
	}
	for _, in := range e.Interactions {
		val, ok := r.Categorical[in.Categorical]
		for _, l := range e.levels(in.Categorical) {
			x = append(x, indicator(ok && val == l)*z[in.Numeric])
		}
	}
	return x
}

func (e *Encoder) standardise(n NumericStat, r Row) float64 {
	v, ok := r.Numeric[n.Name]
	if !ok || math.IsNaN(v) || n.SD == 0 {
		return 0
	}
	return (v - n.Mean) / n.SD
}

func (e *Encoder) levels(name string) []string {
	for _, c := range e.Categorical {
		if c.Name == name {
			return c.Levels
		}
	}
	return nil
}

func indicator(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
