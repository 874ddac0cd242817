package webhook

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// BenchmarkDeliver measures end-to-end delivery: b.N messages to one local
// receiver, claimed, signed, sent, logged and marked by one worker.
// Run: go test ./internal/webhook/ -run '^$' -bench Deliver -benchtime 5000x
func BenchmarkDeliver(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(d, func(b *testing.B) {
			ctx := context.Background()
			db := storetest.New(b, d, store.Options{})
			ws, err := db.CreateWorkspace(ctx, cx.Workspace{Name: "Bench"})
			if err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
			}))
			defer srv.Close()
			if _, err := db.CreateWebhook(ctx, ws.ID, store.Webhook{URL: srv.URL, Events: []string{"*"}}); err != nil {
				b.Fatal(err)
			}
			for start := 0; start < b.N; start += 1000 {
				msgs := make([]store.Message, min(1000, b.N-start))
				for i := range msgs {
					msgs[i] = store.Message{Topic: ResponseCreated, Payload: json.RawMessage(`{"response_id": 1, "score": 9, "comment": "fast delivery"}`)}
				}
				if _, err := db.Enqueue(ctx, ws.ID, msgs); err != nil {
					b.Fatal(err)
				}
			}
			w := NewWorker(db, Options{ID: "bench"})
			b.ResetTimer()
			start := time.Now()
			done := 0
			for done < b.N {
				n, err := w.RunOnce(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if n == 0 {
					b.Fatalf("outbox empty after %d of %d", done, b.N)
				}
				done += n
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
		})
	}
}
