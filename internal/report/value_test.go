package report

import (
	"encoding/json"
	"errors"
	"math"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/demo"
	"github.com/cxlens/cxlens/internal/kpi"
)

var valueEnd = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func valueDemo() kpi.Data {
	ds := demo.Generate(demo.Options{Seed: 1, Customers: 1500, Now: valueEnd})
	return kpi.Data{Customers: ds.Customers, Events: ds.Events, Tickets: ds.Tickets, Responses: ds.Responses}
}

func TestParseValueQuery(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 24, 7, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		query  string
		fields []string
		check  func(ValueRequest) bool
	}{
		{"empty", "", nil, func(r ValueRequest) bool {
			return r.AsOf.IsZero() && r.now().Equal(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
		}},
		{"everything", "as_of=2026-05-01&end=2026-11-01T00:00:00Z&basis=csat&surveys=nps,nps-onboarding&horizons=3,6&margin=0.4&what_if_share=0.2&limit=10&offset=20&sort=p_alive",
			nil, func(r ValueRequest) bool {
				return r.AsOf.Equal(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)) && r.End.Equal(valueEnd) && r.Basis == "csat" &&
					len(r.Surveys) == 2 && len(r.Horizons) == 2 && r.Horizons[1] == 6 && r.Margin == 0.4 && r.WhatIfShare == 0.2 &&
					r.Limit == 10 && r.Offset == 20 && r.Sort == "p_alive"
			}},
		{"bad values", "as_of=yesterday&horizons=3,x&limit=ten&margin=lots", []string{"as_of", "horizons", "limit", "margin"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q, _ := url.ParseQuery(tc.query)
			r, err := ParseValueQuery(q, now)
			if tc.fields != nil {
				var ve *cx.ValidationError
				if !errors.As(err, &ve) || len(ve.Fields) != len(tc.fields) {
					t.Fatalf("err = %v, want fields %v", err, tc.fields)
				}
				for i, f := range tc.fields {
					if ve.Fields[i].Field != f {
						t.Errorf("field %d = %s, want %s", i, ve.Fields[i].Field, f)
					}
				}
				return
			}
			if err != nil || !tc.check(r) {
				t.Errorf("%+v, %v", r, err)
			}
		})
	}
}

func TestValueReports(t *testing.T) {
	t.Parallel()
	d := valueDemo()
	asOf := valueEnd.AddDate(0, -6, 0)
	base := ValueRequest{Now: valueEnd, End: valueEnd, Surveys: []string{"nps", "nps-onboarding"}}

	t.Run("roi", func(t *testing.T) {
		t.Parallel()
		r := base
		r.AsOf = asOf
		rep, err := ROI(d, r)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Metric != "roi" || rep.Definition == "" || rep.Value == nil || *rep.Value <= 0 || rep.Extra["horizon_months"] != 6 || !rep.To.Equal(valueEnd) {
			t.Fatalf("top figure %+v", rep.Report)
		}
		// 3 CLV rows + 2 CLV differences, then per horizon 3 groups × 4
		// measures + 4 measures × 2 differences.
		if len(rep.Rows) != 5+2*(12+8) {
			t.Errorf("%d rows", len(rep.Rows))
		}
		found := false
		for _, row := range rep.Rows {
			if row.Period == "6m" && row.Group == "promoters-detractors/retention" {
				found = true
				if row.Value == nil || *row.Value <= 0 || !row.Significant || row.ChangeP == nil {
					t.Errorf("retention difference %+v", row)
				}
			}
		}
		if !found {
			t.Error("no 6m promoters-detractors/retention row")
		}
		b, err := json.Marshal(rep)
		if err != nil || !strings.Contains(string(b), `"detail":{"as_of"`) || !strings.Contains(string(b), `"rows":[`) {
			t.Errorf("json: %v %.300s", err, b)
		}
	})

	t.Run("roi default as_of", func(t *testing.T) {
		t.Parallel()
		rep, err := ROI(d, base)
		if err != nil {
			t.Fatal(err)
		}
		// End − 12 months, so that every default horizon (3, 6, 12) is complete.
		if !rep.From.Equal(valueEnd.AddDate(-1, 0, 0)) || len(rep.Detail.Horizons) != 3 {
			t.Errorf("from %s, %d horizons", rep.From, len(rep.Detail.Horizons))
		}
	})

	t.Run("roi inactivity rule", func(t *testing.T) {
		t.Parallel()
		r := base
		r.AsOf, r.Activity, r.InactivityDays, r.Horizons = asOf, "inactivity", 120, []int{6}
		rep, err := ROI(d, r)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Detail.N == 0 || len(rep.Detail.Horizons) != 1 {
			t.Errorf("n %d, horizons %+v", rep.Detail.N, rep.Detail.Horizons)
		}
	})

	t.Run("at risk", func(t *testing.T) {
		t.Parallel()
		r := base
		r.Limit = 5
		l, err := AtRisk(d, r)
		if err != nil {
			t.Fatal(err)
		}
		if l.Metric != "at_risk" || len(l.Items) != 5 || l.Total < 5 || l.Items[0].Rank != 1 || !l.AsOf.Equal(time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%+v", l)
		}
	})

	t.Run("advocates", func(t *testing.T) {
		t.Parallel()
		r := base
		r.RankBy, r.Limit, r.Offset = "revenue", 2, 1
		l, err := Advocates(d, r)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Items) != 2 || l.Items[0].Rank != 2 || l.Items[0].Revenue < l.Items[1].Revenue {
			t.Errorf("%+v", l)
		}
	})

	t.Run("predictions", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			sort string
			ok   func(a, b float64) bool
			key  func(i int, l PredictionList) float64
		}{
			{"predicted_clv", func(a, b float64) bool { return a >= b }, func(i int, l PredictionList) float64 { return l.Items[i].PredictedCLV }},
			{"p_alive", func(a, b float64) bool { return a <= b }, func(i int, l PredictionList) float64 { return l.Items[i].PAlive }},
		} {
			r := base
			r.AsOf, r.Sort, r.Limit = asOf, tc.sort, 20
			l, err := Predictions(d, r)
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Items) != 20 || l.Total != len(d.Customers) || l.Model.BGNBD == nil || l.Model.Customers != nil {
				t.Fatalf("%s: %d items of %d", tc.sort, len(l.Items), l.Total)
			}
			for i := 1; i < len(l.Items); i++ {
				if !tc.ok(tc.key(i-1, l), tc.key(i, l)) {
					t.Errorf("%s: item %d out of order", tc.sort, i)
				}
			}
		}
	})

	t.Run("mean predicted CLV", func(t *testing.T) {
		t.Parallel()
		r := base
		r.AsOf, r.Limit = asOf, 0
		fig, err := MeanPredictedCLV(d, r)
		if err != nil {
			t.Fatal(err)
		}
		var sum float64
		n := 0
		for off := 0; ; off += 100 {
			r.Offset, r.Limit = off, 100
			l, err := Predictions(d, r)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range l.Items {
				sum += c.PredictedCLV
				n++
			}
			if off+100 >= l.Total {
				break
			}
		}
		if fig.Value == nil || fig.N != n || math.Abs(*fig.Value-sum/float64(n)) > 1e-9 {
			t.Errorf("mean predicted CLV %+v, want %v over %d customers (the mean of the listed predictions)", fig, sum/float64(n), n)
		}
	})

	t.Run("invalid", func(t *testing.T) {
		t.Parallel()
		tests := []struct {
			field string
			call  func() error
		}{
			{"activity", func() error { r := base; r.Activity = "magic"; _, err := AtRisk(d, r); return err }},
			{"unit", func() error { r := base; r.Unit = "month"; _, err := Predictions(d, r); return err }},
			{"sort", func() error { r := base; r.Sort = "name"; _, err := Predictions(d, r); return err }},
			{"basis", func() error { r := base; r.Basis = "ltv"; _, err := ROI(d, r); return err }},
			{"limit", func() error { r := base; r.Limit = 5000; _, err := Advocates(d, r); return err }},
		}
		for _, tc := range tests {
			if err := tc.call(); !errors.Is(err, cx.ErrInvalid) || !strings.Contains(err.Error(), tc.field) {
				t.Errorf("%s: %v", tc.field, err)
			}
		}
	})
}
