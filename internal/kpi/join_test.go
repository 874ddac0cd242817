package kpi

import (
	"slices"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

func TestJoinRule(t *testing.T) {
	t.Parallel()
	jan := func(d, h int) time.Time { return time.Date(2026, 1, d, h, 0, 0, 0, time.UTC) }
	tickets := []cx.Ticket{
		{ExternalID: "t1", Customer: "c1", OpenedAt: jan(1, 10)},
		{ExternalID: "t2", Customer: "c1", OpenedAt: jan(3, 10)},
		{Customer: "c2", OpenedAt: jan(5, 10)},
	}
	resp := func(c string, tm time.Time, ticket string) cx.Response {
		r := cx.Response{Survey: "csat", Customer: c, SubmittedAt: tm, Score: ptr(4)}
		if ticket != "" {
			r.Attributes = cx.Attributes{"ticket": ticket}
		}
		return r
	}
	responses := []cx.Response{
		resp("c1", jan(4, 12), "t1"), // the attribute wins over the later t2
		resp("c1", jan(4, 12), ""),   // most recent before: t2
		resp("c1", jan(20, 12), ""),  // t2 is 17 days earlier: none
		resp("c2", jan(5, 10), ""),   // opened at the same instant: joined
		resp("c1", jan(2, 10), "zz"), // unknown ticket: falls back to t1
		resp("c2", jan(4, 10), ""),   // before c2's ticket: none
		resp("", jan(4, 12), ""),     // anonymous: none
	}
	tests := []struct {
		name string
		rule JoinRule
		want []int
	}{
		{"default", DefaultJoin(), []int{0, 1, -1, 2, 0, -1, -1}},
		{"attribute only", JoinRule{Attribute: "ticket"}, []int{0, -1, -1, -1, -1, -1, -1}},
		{"window only", JoinRule{Window: 7 * 24 * time.Hour}, []int{1, 1, -1, 2, 0, -1, -1}},
		{"zero joins nothing", JoinRule{}, []int{-1, -1, -1, -1, -1, -1, -1}},
	}
	for _, tt := range tests {
		if got := tt.rule.Join(responses, tickets); !slices.Equal(got, tt.want) {
			t.Errorf("%s: Join = %v, want %v", tt.name, got, tt.want)
		}
	}
}
