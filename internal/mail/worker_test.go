package mail_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/mail"
	"github.com/cxlens/cxlens/internal/mail/mailtest"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

func workspace(t *testing.T, db *store.DB) int64 {
	t.Helper()
	w, err := db.CreateWorkspace(context.Background(), cx.Workspace{Name: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	return w.ID
}

func enqueue(t *testing.T, db *store.DB, ws int64, msgs ...store.Message) []store.OutboxMessage {
	t.Helper()
	out, err := db.Enqueue(context.Background(), ws, msgs)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func envelope(t *testing.T, to, ref string) store.Message {
	t.Helper()
	m, err := mail.Envelope{To: to, Subject: "How did we do?", Text: "Tell us", HTML: "<p>Tell us</p>", Kind: "test", Ref: ref}.Message()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTopicRouting: the mail worker claims only "mail." topics, the
// webhook side (ClaimOutbox without mail) never claims them.
func TestTopicRouting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := workspace(t, db)
		enqueue(t, db, ws, envelope(t, "a@example.com", ""), store.Message{Topic: "response.created"}, store.Message{Topic: "mailx.other"})
		others, err := db.ClaimOutbox(ctx, "hooks", 10, time.Minute, store.TopicNotPrefix(mail.TopicPrefix))
		if err != nil {
			t.Fatal(err)
		}
		topics := map[string]bool{}
		for _, m := range others {
			topics[m.Topic] = true
		}
		if len(others) != 2 || !topics["response.created"] || !topics["mailx.other"] {
			t.Fatalf("webhook side claimed %+v", others)
		}
		mails, err := db.ClaimOutbox(ctx, "mail", 10, time.Minute, store.TopicPrefix(mail.TopicPrefix))
		if err != nil {
			t.Fatal(err)
		}
		if len(mails) != 1 || mails[0].Topic != mail.TopicSend {
			t.Fatalf("mail side claimed %+v", mails)
		}
	})
}

type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

func TestWorkerDelivers(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			clk := &clock{t: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}
			db := storetest.New(t, d, store.Options{Now: clk.Now})
			ws := workspace(t, db)
			fail := map[string]int{"later@example.com": 451, "gone@example.com": 550}
			srv := mailtest.Start(t, mailtest.Options{Reject: func(rcpt string) (int, string) { return fail[rcpt], "refused" }})
			sender, err := mail.NewSMTP(mail.Config{Host: srv.Host(), Port: srv.Port(), TLS: mail.TLSNone, From: "cx@acme.example"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.AddSuppressions(ctx, ws, []store.Suppression{{Email: "Unsub@Example.com", Reason: store.SuppressUnsubscribe}}); err != nil {
				t.Fatal(err)
			}
			sent := enqueue(t, db, ws, envelope(t, "ok@example.com", ""), envelope(t, "later@example.com", ""),
				envelope(t, "gone@example.com", "invitation:99"), envelope(t, "unsub@example.com", ""), store.Message{Topic: "response.created"})
			w := mail.NewWorker(db, sender, mail.Options{ID: "m1", Now: clk.Now, Rand: func() float64 { return 0.5 },
				Backoff: mail.Backoff{Base: time.Minute, Cap: time.Hour, MaxAge: 3 * time.Minute}, Logger: slog.New(slog.DiscardHandler)})
			n, err := w.RunOnce(ctx)
			if err != nil || n != 4 {
				t.Fatalf("claimed %d (%v), want the 4 mail messages", n, err)
			}
			got := srv.Messages()
			if len(got) != 1 || got[0].To[0] != "ok@example.com" {
				t.Fatalf("arrived %+v", got)
			}
			h, _ := got[0].Header()
			if h.Get("Message-ID") != "<"+sent[0].UID+"@acme.example>" {
				t.Errorf("Message-ID %q, want the outbox uid %s", h.Get("Message-ID"), sent[0].UID)
			}
			check := func(i int, delivered, dead bool, errPart string) {
				t.Helper()
				m, err := db.OutboxMessage(ctx, ws, sent[i].ID)
				if err != nil {
					t.Fatal(err)
				}
				if (m.DeliveredAt != nil) != delivered || (m.DeadAt != nil) != dead || !strings.Contains(m.LastError, errPart) {
					t.Errorf("message %d: delivered %v dead %v error %q; want %v %v %q", i, m.DeliveredAt, m.DeadAt, m.LastError, delivered, dead, errPart)
				}
			}
			check(0, true, false, "")
			check(1, false, false, "451")
			check(2, false, true, "550")
			check(3, false, true, "suppression list")
			if sup, _ := db.Suppressed(ctx, ws, "GONE@example.com"); !sup {
				t.Error("a 550 recipient was not suppressed")
			}
			// The 451 is retried after the backoff (half the 1 min, 2 min …
			// ceilings, as Rand is 0.5: 30 s, then 1 min), then dead once the
			// next wait passes MaxAge (3 min).
			clk.t = clk.t.Add(10 * time.Second)
			if n, _ := w.RunOnce(ctx); n != 0 {
				t.Errorf("claimed %d before the backoff ran out", n)
			}
			clk.t = clk.t.Add(25 * time.Second) // 12:00:35
			if n, _ := w.RunOnce(ctx); n != 1 {
				t.Errorf("claimed %d after the backoff, want 1", n)
			}
			check(1, false, false, "451") // next at 12:01:35, within 3 min
			clk.t = clk.t.Add(time.Minute)
			if n, _ := w.RunOnce(ctx); n != 1 {
				t.Errorf("claimed %d after the second backoff, want 1", n)
			}
			check(1, false, true, "451") // next would be 12:03:35, past 3 min
			// The webhook message is untouched.
			m, _ := db.OutboxMessage(ctx, ws, sent[4].ID)
			if m.Attempts != 0 {
				t.Errorf("mail worker claimed a webhook message: %+v", m)
			}
		})
	}
}

func TestWorkerDeadLettersBadPayload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := workspace(t, db)
		sent := enqueue(t, db, ws, store.Message{Topic: mail.TopicSend, Payload: json.RawMessage(`{"to":"not an address"}`)})
		w := mail.NewWorker(db, fakeSender{t}, mail.Options{Logger: slog.New(slog.DiscardHandler)})
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		m, _ := db.OutboxMessage(ctx, ws, sent[0].ID)
		if m.DeadAt == nil || !strings.Contains(m.LastError, "to") {
			t.Fatalf("bad envelope: %+v", m)
		}
	})
}

type fakeSender struct{ t *testing.T }

func (fakeSender) From() string { return "cx@acme.example" }
func (f fakeSender) Send(context.Context, string, []byte) error {
	f.t.Error("sent an invalid envelope")
	return nil
}

// crashAfterSend loses the worker's record of a delivery, as if the
// process died right after the relay accepted the mail.
type crashAfterSend struct{ *store.DB }

func (crashAfterSend) MarkDelivered(context.Context, store.OutboxMessage) error {
	return errors.New("crashed")
}

// TestResendAfterCrashKeepsMessageID: the mail is sent again after the
// lease runs out (nothing is lost), with the same Message-ID, so the
// receiving side can recognise the copy.
func TestResendAfterCrashKeepsMessageID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := workspace(t, db)
		srv := mailtest.Start(t, mailtest.Options{})
		sender, err := mail.NewSMTP(mail.Config{Host: srv.Host(), Port: srv.Port(), TLS: mail.TLSNone, From: "cx@acme.example"})
		if err != nil {
			t.Fatal(err)
		}
		enqueue(t, db, ws, envelope(t, "ana@example.com", ""))
		quiet := slog.New(slog.DiscardHandler)
		crashed := mail.NewWorker(crashAfterSend{db}, sender, mail.Options{ID: "crashed", Lease: 50 * time.Millisecond, Logger: quiet})
		if n, _ := crashed.RunOnce(ctx); n != 1 {
			t.Fatalf("claimed %d", n)
		}
		time.Sleep(100 * time.Millisecond) // the lease runs out
		if n, _ := mail.NewWorker(db, sender, mail.Options{ID: "next", Logger: quiet}).RunOnce(ctx); n != 1 {
			t.Fatalf("second worker claimed %d", n)
		}
		msgs := srv.Messages()
		if len(msgs) != 2 {
			t.Fatalf("%d messages, want the original and the resend", len(msgs))
		}
		h0, _ := msgs[0].Header()
		h1, _ := msgs[1].Header()
		if id := h0.Get("Message-ID"); id == "" || id != h1.Get("Message-ID") {
			t.Errorf("Message-IDs %q and %q differ", id, h1.Get("Message-ID"))
		}
	})
}
