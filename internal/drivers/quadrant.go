package drivers

import (
	"fmt"
	"slices"
)

// Quadrant is a driver's place on the importance–performance chart
// (Martilla & James 1977, "Importance-performance analysis", Journal of
// Marketing 41(1):77–79), with importance = rescaled relative weight and
// performance = the driver's current score.
type Quadrant string

// The four quadrants. A value exactly on a dividing line counts as high.
const (
	// QuadrantFixFirst is high importance, low performance: the biggest
	// lever on the outcome, and currently weak. Fix these first.
	QuadrantFixFirst Quadrant = "fix first"
	// QuadrantKeepUp is high importance, high performance: strengths to
	// protect.
	QuadrantKeepUp Quadrant = "keep up"
	// QuadrantLowPriority is low importance, low performance.
	QuadrantLowPriority Quadrant = "low priority"
	// QuadrantPossibleOverkill is low importance, high performance: effort
	// that may be better spent elsewhere.
	QuadrantPossibleOverkill Quadrant = "possible overkill"
)

// Split chooses where each axis of the chart is divided.
type Split int

const (
	// SplitMean divides each axis at the mean over the drivers. For the
	// importance axis that is 100/k %, "more than an equal share of R²".
	SplitMean Split = iota
	// SplitMedian divides each axis at the median over the drivers, so
	// (ties aside) half the drivers fall on each side; robust to one
	// dominant driver.
	SplitMedian
)

// String returns "mean" or "median".
func (s Split) String() string {
	switch s {
	case SplitMean:
		return "mean"
	case SplitMedian:
		return "median"
	}
	return fmt.Sprintf("Split(%d)", int(s))
}

// Performance chooses the performance axis of the chart.
type Performance int

const (
	// PerformanceMean uses each driver's mean rating. Only comparable when
	// the drivers share one rating scale.
	PerformanceMean Performance = iota
	// PerformanceTopBox uses each driver's top-box share, which puts
	// drivers on different scales (or one-hot attributes) on one 0–1 axis;
	// every predictor then needs a TopBox threshold.
	PerformanceTopBox
)

// Quadrants places each driver on the importance–performance chart.
// importance[i] and performance[i] (slices of equal length) describe
// driver i; rule sets the
// dividing lines, which are returned with the labels. A driver on a line
// (value ≥ split) counts as high on that axis.
func Quadrants(importance, performance []float64, rule Split) (q []Quadrant, importanceSplit, performanceSplit float64) {
	importanceSplit = center(importance, rule)
	performanceSplit = center(performance, rule)
	q = make([]Quadrant, len(importance))
	for i := range importance {
		hiI := importance[i] >= importanceSplit
		hiP := performance[i] >= performanceSplit
		switch {
		case hiI && !hiP:
			q[i] = QuadrantFixFirst
		case hiI && hiP:
			q[i] = QuadrantKeepUp
		case !hiI && !hiP:
			q[i] = QuadrantLowPriority
		default:
			q[i] = QuadrantPossibleOverkill
		}
	}
	return q, importanceSplit, performanceSplit
}

func center(v []float64, rule Split) float64 {
	if len(v) == 0 {
		return 0
	}
	if rule == SplitMedian {
		s := slices.Clone(v)
		slices.Sort(s)
		m := len(s) / 2
		if len(s)%2 == 1 {
			return s[m]
		}
		return (s[m-1] + s[m]) / 2
	}
	var sum float64
	for _, x := range v {
		sum += x
	}
	return sum / float64(len(v))
}
