package report

import (
	"math"
	"sort"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/drivers"
)

// DriverPrefix marks the response attributes that hold the answers to a
// survey's extra rating questions ("how would you rate our support, 1–5"):
// rating_support, rating_price. Other numeric attributes can be named as
// drivers explicitly.
const DriverPrefix = "rating_"

// DriversDefinition says what a key-driver report computes.
const DriversDefinition = "Key drivers: the response score regressed on the driver ratings; each driver's " +
	"importance is its relative weight (Johnson 2000), the share of R² it accounts for, and its performance " +
	"is its mean rating. Quadrants split at the mean importance and mean performance: high importance with " +
	"low performance is \"fix first\"."

// DriversRequest asks which ratings drive a survey's score.
type DriversRequest struct {
	Survey   string
	From, To time.Time
	// Drivers are the attribute names; empty means every rating_* attribute
	// found on the responses.
	Drivers []string
	// TopBox is the rating at or above which an answer counts as top box
	// (default 4, for 1–5 ratings).
	TopBox float64
}

// DriversReport is the answer: the analysis, and the drivers ranked by
// importance.
type DriversReport struct {
	Survey     string    `json:"survey"`
	From       time.Time `json:"from,omitzero"`
	To         time.Time `json:"to,omitzero"`
	Definition string    `json:"definition"`
	drivers.Result
	Ranked []drivers.Driver `json:"ranked"`
}

// Drivers runs a key-driver analysis of responses' scores on their rating
// attributes.
func Drivers(rs []cx.Response, r DriversRequest) (DriversReport, error) {
	names := r.Drivers
	if len(names) == 0 {
		seen := map[string]bool{}
		for _, x := range rs {
			for k := range x.Attributes {
				if strings.HasPrefix(k, DriverPrefix) && !seen[k] {
					seen[k] = true
					names = append(names, k)
				}
			}
		}
		sort.Strings(names)
	}
	if len(names) == 0 {
		return DriversReport{}, cx.Invalid("drivers", "no rating_* attributes on these responses; name the rating attributes to analyse")
	}
	top := r.TopBox
	if top == 0 {
		top = 4
	}
	outcome := make([]float64, len(rs))
	preds := make([]drivers.Predictor, len(names))
	for j, n := range names {
		preds[j] = drivers.Predictor{Name: n, Values: make([]float64, len(rs)), TopBox: top}
	}
	for i, x := range rs {
		outcome[i] = math.NaN()
		if x.Score != nil {
			outcome[i] = float64(*x.Score)
		}
		for j, n := range names {
			preds[j].Values[i] = number(x.Attributes[n])
		}
	}
	res, err := drivers.Analyze(outcome, preds, drivers.Options{})
	if err != nil {
		return DriversReport{}, cx.Invalid("drivers", err.Error())
	}
	return DriversReport{Survey: r.Survey, From: r.From, To: r.To, Definition: DriversDefinition, Result: res, Ranked: res.Ranked()}, nil
}

// number reads a numeric attribute; NaN (missing) for anything else.
func number(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	case int64:
		return float64(x)
	}
	return math.NaN()
}
