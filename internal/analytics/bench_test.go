package analytics

import (
	"context"
	"sync"
	"testing"
	"time"
)

var (
	benchOnce sync.Once
	benchIx   *Index
	benchEnd  = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
)

// benchIndex builds (once) an index of 1,000,000 synthetic responses; the
// 10M figures come from bench/query.
func benchIndex(b *testing.B) *Index {
	benchOnce.Do(func() {
		ix, err := New(context.Background(), &Synthetic{N: 1_000_000, Customers: 100_000, Seed: 1, End: benchEnd}, 1, Options{Logger: quiet})
		if err != nil {
			b.Fatal(err)
		}
		benchIx = ix
	})
	return benchIx
}

func BenchmarkFilteredBundle(b *testing.B) {
	ix := benchIndex(b)
	q := FilteredBundle(benchEnd)
	for b.Loop() {
		if _, err := ix.Query(q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWideBundle(b *testing.B) {
	ix := benchIndex(b)
	q := WideBundle()
	for b.Loop() {
		if _, err := ix.Query(q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOverallOnly(b *testing.B) {
	ix := benchIndex(b)
	q := Query{Kind: "nps"}
	for b.Loop() {
		if _, err := ix.Query(q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuild(b *testing.B) {
	src := &Synthetic{N: 200_000, Customers: 20_000, Seed: 1, End: benchEnd}
	for b.Loop() {
		if _, err := New(context.Background(), src, 1, Options{Logger: quiet}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(src.N*b.N)/b.Elapsed().Seconds(), "rows/s")
}
