package report

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// TestSnapshots checks that a snapshot is served from memory while
// nothing changed, read again after this process writes the workspace or
// once it is older than the maximum age, and shared by concurrent callers.
func TestSnapshots(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.New(t, d, store.Options{})
			w, err := db.CreateWorkspace(ctx, cx.Workspace{Name: "Acme"})
			if err != nil {
				t.Fatal(err)
			}
			other, err := db.CreateWorkspace(ctx, cx.Workspace{Name: "Other"})
			if err != nil {
				t.Fatal(err)
			}
			at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
			add := func(ws int64, customer string) {
				t.Helper()
				if _, err := db.InsertEvents(ctx, ws, []cx.Event{{Customer: customer, Type: cx.Purchase, Value: 10, OccurredAt: at}}, store.BatchOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			add(w.ID, "ann")
			clock := at
			snaps := NewSnapshots(db, time.Minute, func() time.Time { return clock })

			first, err := snaps.Get(ctx, w.ID)
			if err != nil || len(first.Events) != 1 {
				t.Fatalf("first read: %d events, %v", len(first.Events), err)
			}
			again, _ := snaps.Get(ctx, w.ID)
			if &again.Events[0] != &first.Events[0] {
				t.Error("unchanged workspace read again; want the snapshot")
			}
			add(other.ID, "bob") // another workspace's write does not matter
			if again, _ := snaps.Get(ctx, w.ID); &again.Events[0] != &first.Events[0] {
				t.Error("another workspace's write made the snapshot stale")
			}
			add(w.ID, "cat")
			after, _ := snaps.Get(ctx, w.ID)
			if len(after.Events) != 2 {
				t.Errorf("after a write: %d events, want 2", len(after.Events))
			}
			clock = clock.Add(2 * time.Minute) // a write by another process is seen after maxAge
			aged, _ := snaps.Get(ctx, w.ID)
			if &aged.Events[0] == &after.Events[0] {
				t.Error("snapshot older than the maximum age served")
			}

			// A response makes the full snapshot stale, not the behaviour one.
			beh, err := snaps.Behaviour(ctx, w.ID)
			if err != nil || len(beh.Events) != 2 || beh.Responses != nil {
				t.Fatalf("behaviour: %d events, %d responses, %v", len(beh.Events), len(beh.Responses), err)
			}
			if _, err := db.CreateSurvey(ctx, w.ID, cx.Survey{Key: "nps", Name: "NPS", Kind: cx.NPS, ScaleMin: 0, ScaleMax: 10}); err != nil {
				t.Fatal(err)
			}
			score := 9
			if _, err := db.InsertResponses(ctx, w.ID, []cx.Response{{Survey: "nps", Customer: "ann", Score: &score, SubmittedAt: at}}, store.BatchOptions{}); err != nil {
				t.Fatal(err)
			}
			if full, _ := snaps.Get(ctx, w.ID); len(full.Responses) != 1 {
				t.Errorf("after a response: %d responses, want 1", len(full.Responses))
			}
			if again, _ := snaps.Behaviour(ctx, w.ID); &again.Events[0] != &beh.Events[0] {
				t.Error("a response made the behaviour snapshot stale")
			}

			// A memo is computed once per snapshot and key.
			calls := 0
			count := func(d kpi.Data, at time.Time) (any, error) { calls++; return len(d.Events), nil }
			for range 3 {
				if v, err := snaps.Memo(ctx, w.ID, false, "events", count); err != nil || v.(int) != 2 {
					t.Fatalf("memo = %v, %v; want 2", v, err)
				}
			}
			if calls != 1 {
				t.Errorf("memo computed %d times over one snapshot, want 1", calls)
			}
			add(w.ID, "eve")
			if v, _ := snaps.Memo(ctx, w.ID, false, "events", count); v.(int) != 3 || calls != 2 {
				t.Errorf("after a write: memo %v computed %d times; want 3 and 2", v, calls)
			}

			// Concurrent callers of a stale snapshot share one read.
			add(w.ID, "dan")
			var wg sync.WaitGroup
			got := make([]*cx.Event, 8)
			for i := range got {
				wg.Go(func() {
					d, err := snaps.Get(ctx, w.ID)
					if err != nil || len(d.Events) != 4 {
						t.Errorf("concurrent read: %d events, %v", len(d.Events), err)
						return
					}
					got[i] = &d.Events[0]
				})
			}
			wg.Wait()
			for _, p := range got[1:] {
				if p != got[0] {
					t.Error("concurrent callers read the workspace more than once")
					break
				}
			}
		})
	}
}
