package analytics

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// TestCountAgainstBruteForce checks the counting kernel where the SQL test
// does not reach: many blocks of rows in time order (so time ranges skip
// blocks or take them whole), a few rows out of order, and two workers.
// With one survey the kernel takes the path without a survey test.
func TestCountAgainstBruteForce(t *testing.T) {
	t.Parallel()
	for _, surveys := range []int{1, 2} {
		t.Run(fmt.Sprintf("%d surveys", surveys), func(t *testing.T) {
			t.Parallel()
			countAgainstBruteForce(t, surveys)
		})
	}
}

func countAgainstBruteForce(t *testing.T, surveys int) {
	src := npsSource("UTC")
	src.surveys = src.surveys[:surveys]
	rng := rand.New(rand.NewPCG(7, 7))
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 140_000
	for i := range n {
		at := start.Add(time.Duration(i)*time.Minute + time.Duration(rng.IntN(600))*time.Second)
		if i%997 == 0 {
			at = start.Add(time.Duration(rng.IntN(n)) * time.Minute) // late arrival
		}
		survey := int64(7)
		score := rng.IntN(11)
		if surveys > 1 && rng.IntN(4) == 0 {
			survey, score = 8, 1+rng.IntN(5)
		}
		src.add(survey, at, score, cx.Attributes{"a": fmt.Sprint(rng.IntN(5))})
	}
	ix, err := New(context.Background(), src, 1, Options{Logger: quiet, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 150 {
		from := start.Add(time.Duration(rng.IntN(n)) * time.Minute)
		to := from.Add(time.Duration(1+rng.IntN(n/2)) * time.Minute)
		if i%3 == 1 {
			// At the times of rows that end or start a block, where the
			// blocks' time spans are cut.
			edge := func() time.Time {
				k := rng.IntN(len(ix.d.blockMin))
				if rng.IntN(2) == 0 {
					return time.Unix(int64(ix.d.blockMin[k]), 0)
				}
				return time.Unix(int64(ix.d.blockMax[k]), 0)
			}
			from, to = edge(), edge()
			if to.Before(from) {
				from, to = to, from
			}
			to = to.Add(time.Duration(rng.IntN(2)) * time.Second)
		}
		if i%5 == 0 {
			from, to = time.Time{}, time.Time{}
		}
		q := Query{Survey: "nps", From: from, To: to}
		if i%2 == 0 {
			q.Filters = []Filter{{Attr: "a", Values: []string{"1", "3"}}}
		}
		want := make([]int64, 11)
		for _, r := range src.rows {
			if r.SurveyID != 7 || (!from.IsZero() && r.SubmittedAt.Before(from)) || (!to.IsZero() && !r.SubmittedAt.Before(to)) {
				continue
			}
			if a := r.Attributes.String("a"); q.Filters != nil && a != "1" && a != "3" {
				continue
			}
			want[r.Score]++
		}
		got, err := ix.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for v := range want {
			if got.Overall.Counts[v] != want[v] {
				t.Fatalf("query %d %+v: score %d: %d, want %d", i, q, v, got.Overall.Counts[v], want[v])
			}
		}
	}
}
