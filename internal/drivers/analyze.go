package drivers

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Predictor is one candidate driver: a rating question ("price", "support")
// or a numeric or one-hot (0/1) customer attribute, with one value per
// respondent aligned with the outcome. For a categorical attribute with L
// levels pass L−1 indicators (leave a reference level out): all L sum to 1
// and are perfectly collinear, which fails with ErrCollinear. A NaN (or ±Inf) value means "not
// answered".
type Predictor struct {
	// Name identifies the driver in results and errors.
	Name string
	// Values holds one rating per respondent; NaN marks a missing rating.
	Values []float64
	// TopBox, when non-zero, is the lowest rating counted as "top box"
	// (e.g. 4 on a 1–5 CSAT scale, 9 on 0–10); the driver's TopBoxShare is
	// then reported. Zero means no top-box figure for this driver.
	TopBox float64
}

// Options tunes Analyze. The zero value is ready to use: quadrants split at
// the mean of each axis, with performance measured by the mean rating.
type Options struct {
	// Split chooses where the importance–performance chart is divided.
	Split Split
	// Performance chooses the performance axis of the chart.
	Performance Performance
}

// Driver is the analysis of one predictor that was kept in the model.
type Driver struct {
	// Name is the predictor's name.
	Name string `json:"name"`
	// RawWeight is Johnson's raw relative weight ε_j; the raw weights of all
	// drivers sum to the model's R².
	RawWeight float64 `json:"raw_weight"`
	// RescaledWeight is 100·ε_j/R², the driver's percentage of R².
	RescaledWeight float64 `json:"rescaled_weight"`
	// Beta is the standardised regression coefficient; its sign is the
	// direction of the driver's effect with the others held fixed.
	Beta float64 `json:"beta"`
	// Correlation is the Pearson correlation of the driver with the outcome
	// over the complete cases.
	Correlation float64 `json:"correlation"`
	// N is the number of respondents who rated this driver (any outcome),
	// the base of Mean and TopBoxShare.
	N int `json:"n"`
	// Mean is the driver's current mean rating over its N ratings.
	Mean float64 `json:"mean"`
	// TopBoxShare is the share (0–1) of the N ratings at or above the
	// predictor's TopBox threshold; nil when no threshold was given.
	TopBoxShare *float64 `json:"top_box_share,omitempty"`
	// Quadrant is the driver's place on the importance–performance chart.
	Quadrant Quadrant `json:"quadrant"`
}

// Dropped is a predictor left out of the model, with the reason.
type Dropped struct {
	// Name is the predictor's name.
	Name string `json:"name"`
	// Reason says why it was left out.
	Reason string `json:"reason"`
}

// Result is a key-driver analysis.
type Result struct {
	// Drivers holds the kept predictors in input order.
	Drivers []Driver `json:"drivers"`
	// Dropped lists the predictors left out of the model, in input order.
	Dropped []Dropped `json:"dropped,omitempty"`
	// RSquared is the R² of the outcome regressed on the kept drivers.
	RSquared float64 `json:"r_squared"`
	// N is the number of complete cases (respondents with the outcome and
	// every predictor present) the weights were computed from.
	N int `json:"n"`
	// Incomplete is the number of respondents removed by listwise deletion.
	Incomplete int `json:"incomplete"`
	// ImportanceSplit and PerformanceSplit are the chart's dividing lines
	// (rescaled weight in %, and the performance measure).
	ImportanceSplit  float64 `json:"importance_split"`
	PerformanceSplit float64 `json:"performance_split"`
}

// Analyze runs a key-driver analysis of outcome (e.g. each respondent's NPS
// 0–10 or CSAT rating; NaN or ±Inf = missing) on the predictors.
//
// Missing data: listwise deletion. A respondent enters the weights only if
// the outcome and every predictor are present, so Rxx is a proper
// (positive semi-definite) correlation matrix and all weights describe the
// same people. (R's rwa package defaults to pairwise deletion instead; the
// two agree when nothing is missing.) The current score of each driver
// (Mean, TopBoxShare, N) uses every respondent who rated it, because that is
// the score the dashboard shows.
//
// A predictor that is constant over the complete cases has no variance to
// explain anything and is dropped with a reason; if all are dropped, or the
// outcome is constant, Analyze fails. Fewer than k+2 complete cases for k
// kept predictors is an error: R² needs at least one residual degree of
// freedom (n − k − 1 ≥ 1) to be more than an exact fit.
func Analyze(outcome []float64, predictors []Predictor, opts Options) (Result, error) {
	if len(predictors) == 0 {
		return Result{}, fmt.Errorf("drivers: analyze: no predictors")
	}
	n := len(outcome)
	seen := make(map[string]bool, len(predictors))
	for _, p := range predictors {
		if len(p.Values) != n {
			return Result{}, fmt.Errorf("drivers: analyze: predictor %q has %d values, outcome has %d", p.Name, len(p.Values), n)
		}
		if seen[p.Name] {
			return Result{}, fmt.Errorf("drivers: analyze: predictor name %q used twice", p.Name)
		}
		seen[p.Name] = true
	}
	if opts.Performance == PerformanceTopBox {
		for _, p := range predictors {
			if p.TopBox == 0 {
				return Result{}, fmt.Errorf("drivers: analyze: predictor %q: performance by top box needs a TopBox threshold", p.Name)
			}
		}
	}

	// Listwise deletion.
	complete := make([]int, 0, n)
	for i := range n {
		if !finite(outcome[i]) {
			continue
		}
		ok := true
		for _, p := range predictors {
			if !finite(p.Values[i]) {
				ok = false
				break
			}
		}
		if ok {
			complete = append(complete, i)
		}
	}
	res := Result{N: len(complete), Incomplete: n - len(complete)}

	y := pick(outcome, complete)
	if len(y) > 0 && isConstant(y) {
		return Result{}, fmt.Errorf("drivers: analyze: outcome is constant (%v) over the %d complete cases", y[0], len(y))
	}
	var kept []Predictor
	var cols [][]float64
	for _, p := range predictors {
		x := pick(p.Values, complete)
		if len(x) > 0 && isConstant(x) {
			res.Dropped = append(res.Dropped, Dropped{Name: p.Name, Reason: fmt.Sprintf("constant (every complete case is %v): no variance to explain the outcome", x[0])})
			continue
		}
		kept = append(kept, p)
		cols = append(cols, x)
	}
	if len(kept) == 0 {
		return Result{}, fmt.Errorf("drivers: analyze: every predictor is constant over the %d complete cases", len(complete))
	}
	if k := len(kept); len(complete) < k+2 {
		return Result{}, fmt.Errorf("drivers: analyze: %d complete cases for %d predictors; need at least k+2 = %d (listwise deletion removed %d respondents)", len(complete), k, k+2, res.Incomplete)
	}

	rxx, rxy := correlations(cols, y)
	w, err := RelativeWeights(rxx, rxy)
	if err != nil {
		// Already prefixed, and self-explanatory (ErrCollinear).
		return Result{}, err
	}
	res.RSquared = w.RSquared

	importance := make([]float64, len(kept))
	performance := make([]float64, len(kept))
	for j, p := range kept {
		d := Driver{
			Name:           p.Name,
			RawWeight:      w.Raw[j],
			RescaledWeight: w.Rescaled[j],
			Beta:           w.Beta[j],
			Correlation:    rxy[j],
		}
		var sum float64
		var top int
		for _, v := range p.Values {
			if !finite(v) {
				continue
			}
			d.N++
			sum += v
			if p.TopBox != 0 && v >= p.TopBox {
				top++
			}
		}
		d.Mean = sum / float64(d.N)
		if p.TopBox != 0 {
			s := float64(top) / float64(d.N)
			d.TopBoxShare = &s
		}
		importance[j] = d.RescaledWeight
		performance[j] = d.Mean
		if opts.Performance == PerformanceTopBox {
			performance[j] = *d.TopBoxShare
		}
		res.Drivers = append(res.Drivers, d)
	}
	quads, is, ps := Quadrants(importance, performance, opts.Split)
	for j := range res.Drivers {
		res.Drivers[j].Quadrant = quads[j]
	}
	res.ImportanceSplit, res.PerformanceSplit = is, ps
	return res, nil
}

// Ranked returns the drivers ordered by rescaled weight, most important
// first (ties by name), leaving r unchanged.
func (r Result) Ranked() []Driver {
	out := slices.Clone(r.Drivers)
	slices.SortStableFunc(out, func(a, b Driver) int {
		switch {
		case a.RawWeight > b.RawWeight:
			return -1
		case a.RawWeight < b.RawWeight:
			return 1
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func pick(v []float64, idx []int) []float64 {
	out := make([]float64, len(idx))
	for i, j := range idx {
		out[i] = v[j]
	}
	return out
}

func isConstant(v []float64) bool {
	for _, x := range v[1:] {
		if x != v[0] {
			return false
		}
	}
	return true
}
