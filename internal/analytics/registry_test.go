package analytics

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/store"
)

// TestIndexes checks the per-workspace set: one build for concurrent Gets,
// responses added during the first build counted once, Rebuild.
func TestIndexes(t *testing.T) {
	t.Parallel()
	src := npsSource("UTC")
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for range 10 {
		src.add(7, at, 10, nil)
	}
	set := NewIndexes(src, Options{Logger: quiet})
	ctx := context.Background()
	if err := set.AddIDs(ctx, 1, []int64{1}); err != nil {
		t.Fatal(err) // no index yet: nothing to do
	}
	var once sync.Once
	src.onRow = func(r store.ResponseRow) {
		once.Do(func() {
			r := src.add(7, at, 0, nil)
			if err := set.AddIDs(ctx, 1, []int64{r.ID}); err != nil {
				t.Error(err)
			}
		})
	}
	var wg sync.WaitGroup
	ixs := make([]*Index, 3)
	for i := range ixs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ix, err := set.Get(ctx, 1)
			if err != nil {
				t.Error(err)
			}
			ixs[i] = ix
		}()
	}
	wg.Wait()
	if ixs[0] == nil || ixs[0] != ixs[1] || ixs[1] != ixs[2] {
		t.Fatalf("indexes %p %p %p", ixs[0], ixs[1], ixs[2])
	}
	if n := ixs[0].Stats().Rows; n != 11 {
		t.Errorf("rows = %d, want 11", n)
	}
	r := src.add(7, at, 5, nil)
	if err := set.AddIDs(ctx, 1, []int64{r.ID}); err != nil {
		t.Fatal(err)
	}
	if err := set.Rebuild(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if n := ixs[0].Stats().Rows; n != 12 {
		t.Errorf("after rebuild: rows = %d, want 12", n)
	}
}
