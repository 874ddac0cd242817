package clv

import (
	"errors"
	"math"
	"strconv"
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	t.Parallel()
	day := func(d, h int) time.Time { return time.Date(2026, 1, d, h, 0, 0, 0, time.UTC) }
	end := day(29, 0)
	txs := []Transaction{
		{"a", day(1, 9), 10},
		{"a", day(1, 17), 5}, // same day as the first: merged into it
		{"a", day(8, 12), 20},
		{"a", day(15, 8), 40},
		{"a", day(30, 8), 99}, // after end
		{"b", day(22, 10), 7},
		{"c", day(30, 10), 7}, // first seen after end: left out
	}
	for _, c := range []struct {
		name string
		o    SummaryOptions
		want []Summary
	}{
		{"weeks, merged per day", SummaryOptions{End: end, Unit: Week, Merge: Day}, []Summary{
			{CustomerID: "a", X: 2, Tx: 2, T: 4, Monetary: 30},
			{CustomerID: "b", X: 0, Tx: 0, T: 1},
		}},
		{"days, merged per day", SummaryOptions{End: end, Unit: Day, Merge: Day}, []Summary{
			{CustomerID: "a", X: 2, Tx: 14, T: 28, Monetary: 30},
			{CustomerID: "b", X: 0, Tx: 0, T: 7},
		}},
		{"hours, not merged", SummaryOptions{End: end, Unit: time.Hour}, []Summary{
			{CustomerID: "a", X: 3, Tx: 14*24 - 1, T: 28*24 - 9, Monetary: 65.0 / 3},
			{CustomerID: "b", X: 0, Tx: 0, T: 7*24 - 10},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := Summarize(txs, c.o)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("got %+v, want %+v", got[i], c.want[i])
				}
			}
		})
	}
}

func TestSummarizeInvalid(t *testing.T) {
	t.Parallel()
	end := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ok := Transaction{"a", end.Add(-time.Hour), 1}
	for _, c := range []struct {
		name string
		txs  []Transaction
		o    SummaryOptions
	}{
		{"no unit", []Transaction{ok}, SummaryOptions{End: end}},
		{"no end", []Transaction{ok}, SummaryOptions{Unit: Day}},
		{"negative merge", []Transaction{ok}, SummaryOptions{End: end, Unit: Day, Merge: -Day}},
		{"empty customer id", []Transaction{{"", end, 1}}, SummaryOptions{End: end, Unit: Day}},
		{"zero time", []Transaction{{"a", time.Time{}, 1}}, SummaryOptions{End: end, Unit: Day}},
		{"NaN value", []Transaction{{"a", end, nan()}}, SummaryOptions{End: end, Unit: Day}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if _, err := Summarize(c.txs, c.o); !errors.Is(err, ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func nan() float64 { return math.NaN() }

func TestCompress(t *testing.T) {
	t.Parallel()
	s := []Summary{
		{CustomerID: "1", X: 2, Tx: 3, T: 5},
		{CustomerID: "2", X: 0, Tx: 0, T: 5},
		{CustomerID: "3", X: 2, Tx: 3, T: 5},
		{CustomerID: "4", X: 0, Tx: 0, T: 4},
		{CustomerID: "5", X: 0, Tx: 0, T: 5},
	}
	want := []Group{{X: 0, Tx: 0, T: 4, Count: 1}, {X: 0, Tx: 0, T: 5, Count: 2}, {X: 2, Tx: 3, T: 5, Count: 2}}
	got := Compress(s)
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("got %+v, want %+v", got, want)
		}
	}
}

// BenchmarkSummarize summarises a log of 1,000,000 simulated customers
// (about 1.9 million purchases) in days.
func BenchmarkSummarize(b *testing.B) {
	s := simulateCohort(cdnowDaily, 1_000_000, 42)
	end := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var txs []Transaction
	for i, c := range s {
		id := strconv.Itoa(i)
		first := end.Add(-time.Duration(c.T) * Day)
		txs = append(txs, Transaction{id, first, 10})
		for k := 1; k <= c.X; k++ {
			// Spread repeat purchases over (0, t_x]; only x, t_x matter.
			at := first.Add(time.Duration(float64(k) / float64(c.X) * c.Tx * float64(Day)))
			txs = append(txs, Transaction{id, at, 20})
		}
	}
	b.Logf("%d transactions", len(txs))
	for b.Loop() {
		if _, err := Summarize(txs, SummaryOptions{End: end, Unit: Day, Merge: Day}); err != nil {
			b.Fatal(err)
		}
	}
}
