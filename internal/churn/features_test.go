package churn

import (
	"math"
	"slices"
	"testing"
)

func TestEncoder(t *testing.T) {
	t.Parallel()
	train := []Row{
		{Numeric: map[string]float64{"tenure": 1}, Categorical: map[string]string{"plan": "pro"}},
		{Numeric: map[string]float64{"tenure": 3}, Categorical: map[string]string{"plan": "basic"}},
		{Numeric: map[string]float64{"tenure": math.NaN()}, Categorical: map[string]string{"plan": "pro"}},
	}
	e, err := FitEncoder(train, []Interaction{{Categorical: "plan", Numeric: "tenure"}})
	if err != nil {
		t.Fatal(err)
	}
	// tenure: mean 2, population SD 1 over the 2 known values.
	if e.Numeric[0] != (NumericStat{Name: "tenure", Mean: 2, SD: 1}) {
		t.Errorf("numeric = %+v", e.Numeric)
	}
	wantCols := []ColumnInfo{
		{Name: "tenure", Source: "tenure"},
		{Name: "plan=basic", Source: "plan"},
		{Name: "plan=pro", Source: "plan"},
		{Name: "plan=basic×tenure", Source: "plan×tenure"},
		{Name: "plan=pro×tenure", Source: "plan×tenure"},
	}
	if got := e.Columns(); !slices.Equal(got, wantCols) || e.Width() != 5 {
		t.Errorf("columns = %+v (width %d)", got, e.Width())
	}
	tests := []struct {
		name string
		row  Row
		want []float64
	}{
		{"pro, tenure 4", Row{Numeric: map[string]float64{"tenure": 4}, Categorical: map[string]string{"plan": "pro"}}, []float64{2, 0, 1, 0, 2}},
		{"basic, missing tenure imputed", Row{Numeric: map[string]float64{"tenure": math.NaN()}, Categorical: map[string]string{"plan": "basic"}}, []float64{0, 1, 0, 0, 0}},
		{"unseen level", Row{Numeric: map[string]float64{"tenure": 1}, Categorical: map[string]string{"plan": "enterprise"}}, []float64{-1, 0, 0, 0, 0}},
		{"empty row", Row{}, []float64{0, 0, 0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := e.Encode(tt.row); !slices.Equal(got, tt.want) {
				t.Errorf("Encode = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFitEncoderErrors(t *testing.T) {
	t.Parallel()
	row := Row{Numeric: map[string]float64{"x": 1}, Categorical: map[string]string{"c": "a"}}
	tests := []struct {
		name  string
		rows  []Row
		inter []Interaction
	}{
		{name: "no rows"},
		{name: "inf", rows: []Row{{Numeric: map[string]float64{"x": math.Inf(1)}}}},
		{name: "kind clash", rows: []Row{{Numeric: map[string]float64{"x": 1}, Categorical: map[string]string{"x": "a"}}}},
		{name: "unknown numeric", rows: []Row{row}, inter: []Interaction{{Categorical: "c", Numeric: "y"}}},
		{name: "unknown categorical", rows: []Row{row}, inter: []Interaction{{Categorical: "d", Numeric: "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := FitEncoder(tt.rows, tt.inter); err == nil {
				t.Error("no error")
			}
		})
	}
}
