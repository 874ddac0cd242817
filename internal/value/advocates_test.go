package value

import (
	"errors"
	"testing"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
)

// advocateData adds to the simulated population, as of 2026-04-06:
//
//	v1: NPS 10, revenue 500, never referred: listed;
//	v2: NPS 9, revenue 800 (after a 100 refund), never referred: listed;
//	v3: NPS 10 but referred someone on 2026-01-10: not listed;
//	v4: NPS 10, then 6 (latest): not a promoter;
//	v5: NPS 9 but churned on 2026-03-01: not listed;
//	v6: NPS 10, never bought: listed, with 0 value;
//	v7: NPS 10 only after the date: not listed.
func advocateData() kpi.Data {
	d := population(300)
	ask := day(2026, 2, 1)
	for _, id := range []string{"v1", "v2", "v3", "v4", "v5", "v6", "v7"} {
		d.Customers = append(d.Customers, customer(id, day(2025, 9, 1)))
	}
	d.Events = append(d.Events,
		event("v1", cx.Purchase, day(2025, 10, 6), 200), event("v1", cx.Purchase, day(2026, 1, 5), 300),
		event("v2", cx.Purchase, day(2025, 10, 6), 900), event("v2", cx.Refund, day(2025, 10, 20), 100),
		event("v3", cx.Purchase, day(2025, 10, 6), 5000), event("v3", cx.Referral, day(2026, 1, 10), 0),
		event("v5", cx.Purchase, day(2025, 10, 6), 5000), event("v5", cx.Churn, day(2026, 3, 1), 0),
		event("v7", cx.Purchase, day(2025, 10, 6), 5000),
	)
	d.Responses = append(d.Responses,
		answerOf("v1", "nps", 10, ask), answerOf("v2", "nps", 9, ask), answerOf("v3", "nps", 10, ask),
		answerOf("v4", "nps", 10, ask), answerOf("v4", "nps", 6, day(2026, 3, 1)), answerOf("v5", "nps", 9, ask),
		answerOf("v6", "nps", 10, ask), answerOf("v7", "nps", 10, day(2026, 4, 7)),
	)
	return d
}

func TestAdvocates(t *testing.T) {
	t.Parallel()
	d := advocateData()
	tests := []struct {
		name   string
		rankBy string
		want   []string
	}{
		// By revenue: v2 800, v1 500, v6 0.
		{"revenue", RankByRevenue, []string{"v2", "v1", "v6"}},
		// By CLV: v6 never bought and comes last; v1 and v2 by their CLVs.
		{"clv", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := Advocates(d, AdvocateOptions{AsOf: predictAsOf, RankBy: tc.rankBy})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i, a := range res.Items {
				got = append(got, a.Customer)
				if a.Rank != i+1 || a.Score < 9 || len(a.Reasons) != 2 {
					t.Errorf("item %d = %+v", i, a)
				}
				if tc.rankBy == "" && i > 0 && res.Items[i-1].PredictedCLV < a.PredictedCLV {
					t.Errorf("not by CLV: %+v before %+v", res.Items[i-1], a)
				}
			}
			if res.Total != 3 || len(got) != 3 || got[2] != "v6" || (tc.want != nil && (got[0] != tc.want[0] || got[1] != tc.want[1])) {
				t.Errorf("got %v (total %d), want %v", got, res.Total, tc.want)
			}
			if v2 := res.Items[0]; tc.rankBy == RankByRevenue && (v2.Revenue != 800 || v2.Survey != "nps" || !v2.AnsweredAt.Equal(day(2026, 2, 1))) {
				t.Errorf("v2 = %+v", v2)
			}
		})
	}
	page, err := Advocates(d, AdvocateOptions{AsOf: predictAsOf, RankBy: RankByRevenue, Limit: 1, Offset: 1})
	if err != nil || page.Total != 3 || len(page.Items) != 1 || page.Items[0].Customer != "v1" || page.Items[0].Rank != 2 {
		t.Errorf("page %+v, %v", page, err)
	}
	if _, err := Advocates(d, AdvocateOptions{AsOf: predictAsOf, RankBy: "nps"}); !errors.Is(err, cx.ErrInvalid) || !containsField(err, "rank_by") {
		t.Errorf("rank_by nps: %v", err)
	}
}
