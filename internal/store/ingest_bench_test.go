package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// BenchmarkInsertResponses measures store-level ingest of NPS responses in
// batches of 1,000 (new customers, idempotency keys), the shape of the
// bench/ingest workload. Reports responses/s.
func BenchmarkInsertResponses(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(d, func(b *testing.B) {
			db := storetest.New(b, d, store.Options{})
			ctx := context.Background()
			w, err := db.CreateWorkspace(ctx, cx.Workspace{Name: "bench"})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := db.CreateSurvey(ctx, w.ID, cx.Survey{Key: "nps", Kind: cx.NPS}); err != nil {
				b.Fatal(err)
			}
			benchInsertResponses(b, db, w.ID)
		})
	}
}

// benchInsertResponses times InsertResponses of b.N batches of 1,000 NPS
// responses into workspace ws (survey "nps"; new customers, idempotency
// keys) and reports responses/s.
func benchInsertResponses(b *testing.B, db *store.DB, ws int64) {
	ctx := context.Background()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		rs := make([]cx.Response, 1000)
		for j := range rs {
			score := (n + j) % 11
			rs[j] = cx.Response{Survey: "nps", Customer: fmt.Sprintf("cust-%d", (n+j)%200000), Score: &score,
				SubmittedAt: at.Add(time.Duration(n+j) * time.Second), Comment: "Delivery was quick but the app keeps logging me out.",
				Channel: "email", IdempotencyKey: fmt.Sprintf("r-%d", n+j)}
		}
		n += 1000
		if _, err := db.InsertResponses(ctx, ws, rs, store.BatchOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "responses/s")
}
