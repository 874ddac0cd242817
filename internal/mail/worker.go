package mail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/cxlens/cxlens/internal/outbox"
	"github.com/cxlens/cxlens/internal/store"
)

// Store is what a Worker needs from the database; *store.DB provides it.
type Store interface {
	ClaimOutbox(ctx context.Context, worker string, n int, lease time.Duration, filters ...store.TopicFilter) ([]store.OutboxMessage, error)
	MarkDelivered(ctx context.Context, m store.OutboxMessage) error
	MarkFailed(ctx context.Context, m store.OutboxMessage, next time.Time, cause error) error
	MarkDead(ctx context.Context, m store.OutboxMessage, cause error) error
	// Suppressed reports whether workspace ws must not mail addr.
	Suppressed(ctx context.Context, ws int64, addr string) (bool, error)
	// Bounced suppresses addr after a permanent refusal and marks the
	// invitation named by ref ("invitation:ID") failed.
	Bounced(ctx context.Context, ws int64, addr, ref, reason string) error
	// MailDelivered records that the mail about ref was accepted by the relay.
	MailDelivered(ctx context.Context, ws int64, ref string) error
}

// Sender sends one composed message; *SMTP is one.
type Sender interface {
	From() string
	Send(ctx context.Context, rcpt string, msg []byte) error
}

// Backoff is the retry schedule of mail (see outbox.Backoff).
type Backoff = outbox.Backoff

// DefaultBackoff retries from 30 s, up to 1 h apart, for 24 h.
var DefaultBackoff = Backoff{Base: 30 * time.Second, Cap: time.Hour, MaxAge: 24 * time.Hour}

// Options tunes a Worker (see outbox.Options); the defaults differ from
// the loop's: batches of 50, 4 messages at once, and DefaultBackoff.
type Options = outbox.Options

// Worker sends the outbox's "mail." messages: an outbox.Loop over them.
// Run it in a goroutine; any number of workers may run against one
// database.
type Worker struct {
	*outbox.Loop
	st     Store
	sender Sender
}

// NewWorker returns a worker reading st's outbox and sending with sender.
func NewWorker(st Store, sender Sender, opts Options) *Worker {
	opts.Name = "mail"
	opts.Topics = []store.TopicFilter{store.TopicPrefix(TopicPrefix)}
	if opts.Batch <= 0 {
		opts.Batch = 50
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	if opts.Backoff.Base <= 0 {
		opts.Backoff.Base = DefaultBackoff.Base
	}
	w := &Worker{st: st, sender: sender}
	w.Loop = outbox.New(st, w.process, opts)
	return w
}

// process sends m; the loop then marks it delivered, due again after a
// backoff, or dead. A permanent recipient refusal suppresses the address
// and is dead at once: retrying cannot help.
func (w *Worker) process(ctx context.Context, m store.OutboxMessage, log *slog.Logger) error {
	if m.Topic != TopicSend {
		return outbox.Dead(fmt.Errorf("mail: unknown topic %q", m.Topic))
	}
	var e Envelope
	if err := json.Unmarshal(m.Payload, &e); err != nil {
		return outbox.Dead(fmt.Errorf("mail: payload: %w", err))
	}
	log = log.With("kind", e.Kind, "ref", e.Ref)
	if sup, err := w.st.Suppressed(ctx, m.WorkspaceID, e.To); err != nil {
		return err
	} else if sup {
		log.Info("mail not sent: address suppressed")
		return outbox.Dead(errors.New("mail: address is on the suppression list"))
	}
	msg, err := Compose(w.sender.From(), e, m.UID, m.CreatedAt)
	if err != nil {
		return outbox.Dead(err)
	}
	var re *RecipientError
	switch err := w.sender.Send(ctx, e.To, msg); {
	case err == nil:
		// Recorded before the loop marks m delivered: if that mark is
		// lost, the mail was still accepted, and the record is idempotent.
		if err := w.st.MailDelivered(ctx, m.WorkspaceID, e.Ref); err != nil {
			log.Error("mail delivered", "err", err)
		}
		return nil
	case errors.As(err, &re):
		log.Warn("mail recipient refused; address suppressed", "code", re.Code, "err", err)
		if berr := w.st.Bounced(ctx, m.WorkspaceID, e.To, e.Ref, fmt.Sprintf("bounce: %d %s", re.Code, re.Msg)); berr != nil {
			return berr
		}
		return outbox.Dead(err)
	default:
		return err
	}
}
