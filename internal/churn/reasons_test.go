package churn

import (
	"math"
	"testing"
)

// TestReasonsAdditive checks that the reasons split the customer's log-odds
// exactly: logit P = BaselineLogit + Σ contributions.
func TestReasonsAdditive(t *testing.T) {
	t.Parallel()
	rows := []Row{
		{Numeric: map[string]float64{"tenure": 1, "nps": 3}, Categorical: map[string]string{"plan": "monthly"}},
		{Numeric: map[string]float64{"tenure": 2, "nps": 6}, Categorical: map[string]string{"plan": "monthly"}},
		{Numeric: map[string]float64{"tenure": 30, "nps": 9}, Categorical: map[string]string{"plan": "annual"}},
		{Numeric: map[string]float64{"tenure": 24, "nps": 10}, Categorical: map[string]string{"plan": "annual"}},
		{Numeric: map[string]float64{"tenure": 5, "nps": 8}, Categorical: map[string]string{"plan": "monthly"}},
		{Numeric: map[string]float64{"tenure": 12, "nps": 2}, Categorical: map[string]string{"plan": "annual"}},
	}
	y := []bool{true, true, false, false, false, true}
	m, err := Fit(rows, y, FitOptions{Lambda: 0.5, Interactions: []Interaction{{Categorical: "plan", Numeric: "tenure"}}})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		all := m.Reasons(r, 0)
		if len(all) != 4 { // nps, tenure, plan, plan×tenure
			t.Fatalf("row %d: %d reasons, want 4: %+v", i, len(all), all)
		}
		sum := m.BaselineLogit()
		for j, rs := range all {
			sum += rs.Contribution
			if j > 0 && rs.Contribution > all[j-1].Contribution {
				t.Errorf("row %d: reasons not sorted: %+v", i, all)
			}
		}
		p := m.Predict(r)
		if logit := math.Log(p / (1 - p)); math.Abs(sum-logit) > 1e-9 {
			t.Errorf("row %d: baseline + Σ contributions = %v, logit = %v", i, sum, logit)
		}
		top := m.Reasons(r, 2)
		if len(top) > 2 {
			t.Errorf("row %d: %d top reasons, want ≤ 2", i, len(top))
		}
		for _, rs := range top {
			if rs.Contribution <= 0 {
				t.Errorf("row %d: top reason %+v does not push towards churn", i, rs)
			}
		}
	}
	// The first customer (monthly plan, new, NPS 3) is told why.
	for _, rs := range m.Reasons(rows[0], 0) {
		if rs.Attribute == "plan" && rs.Value != "monthly" {
			t.Errorf("plan value = %q", rs.Value)
		}
		if rs.Attribute == "plan×tenure" && rs.Value == "" {
			t.Errorf("interaction without a value")
		}
	}
}
