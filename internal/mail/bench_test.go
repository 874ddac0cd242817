package mail_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/mail"
	"github.com/cxlens/cxlens/internal/mail/mailtest"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// BenchmarkInvitationPipeline measures invitations per second from
// scheduled to accepted by a loopback SMTP server: throttle checks,
// rendering, the outbox transaction, and one SMTP session per mail.
func BenchmarkInvitationPipeline(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(d, func(b *testing.B) {
			ctx := context.Background()
			db := storetest.New(b, d, store.Options{})
			w, _ := db.CreateWorkspace(ctx, cx.Workspace{Name: "Acme"})
			if _, err := db.CreateSurvey(ctx, w.ID, cx.Survey{Key: "nps", Kind: cx.NPS}); err != nil {
				b.Fatal(err)
			}
			srv := mailtest.Start(b, mailtest.Options{})
			sender, _ := mail.NewSMTP(mail.Config{Host: srv.Host(), Port: srv.Port(), TLS: mail.TLSNone, From: "cx@acme.example"})
			render, err := mail.NewInvitations(ctx, db, "https://cx.example.com")
			if err != nil {
				b.Fatal(err)
			}
			worker := mail.NewWorker(db, sender, mail.Options{Logger: slog.New(slog.DiscardHandler), Concurrency: 8})
			const batch = 500
			var dispatch time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				list := make([]cx.Invitation, batch)
				for j := range list {
					list[j] = cx.Invitation{Survey: "nps", Customer: fmt.Sprintf("c%d-%d", i, j), Email: fmt.Sprintf("c%d-%d@example.com", i, j)}
				}
				if _, err := db.CreateThrottledInvitations(ctx, w.ID, list, time.Now()); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				t0 := time.Now()
				if res, err := db.DispatchDue(ctx, time.Now(), batch, render.Render); err != nil || res.Sent != batch {
					b.Fatalf("dispatch %+v %v", res, err)
				}
				dispatch += time.Since(t0)
				for sent := 0; sent < batch; {
					n, err := worker.RunOnce(ctx)
					if err != nil {
						b.Fatal(err)
					}
					sent += n
				}
			}
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "invitations/s")
			b.ReportMetric(float64(b.N*batch)/dispatch.Seconds(), "dispatched/s")
		})
	}
}
