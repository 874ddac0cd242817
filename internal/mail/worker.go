package mail

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"sync"
	"time"

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

// Backoff is the retry schedule: attempt n waits Base·2^(n−1), capped at
// Cap, with full jitter; a message is dead once retrying would pass MaxAge.
type Backoff struct {
	Base, Cap, MaxAge time.Duration
}

// DefaultBackoff retries for a day: 30 s, 1 min, 2 min, … capped at 1 h.
var DefaultBackoff = Backoff{Base: 30 * time.Second, Cap: time.Hour, MaxAge: 24 * time.Hour}

// Delay returns the wait after attempt n (≥ 1) for r uniform in [0, 1):
// half the exponential step plus up to half again of jitter.
func (b Backoff) Delay(n int, r float64) time.Duration {
	d := b.Base
	for i := 1; i < n && d < b.Cap; i++ {
		d *= 2
	}
	d = min(d, b.Cap)
	return d/2 + time.Duration(r*float64(d/2))
}

// Options tunes a Worker; zero fields take the defaults.
type Options struct {
	ID           string        // default host-pid-random
	Batch        int           // messages per claim; default 50
	Concurrency  int           // messages sent at once; default 4
	Lease        time.Duration // default 5 min
	PollInterval time.Duration // default 1 s
	Backoff      Backoff       // zero fields take DefaultBackoff's
	Now          func() time.Time
	Rand         func() float64
	Logger       *slog.Logger
}

// Worker sends the outbox's "mail." messages. Run it in a goroutine; any
// number of workers may run against one database.
type Worker struct {
	st     Store
	sender Sender
	opts   Options
	wake   chan struct{}
	randMu sync.Mutex
}

// NewWorker returns a worker reading st's outbox and sending with sender.
func NewWorker(st Store, sender Sender, opts Options) *Worker {
	if opts.ID == "" {
		host, _ := os.Hostname()
		opts.ID = fmt.Sprintf("mail-%s-%d-%s", host, os.Getpid(), rand.Text()[:8])
	}
	if opts.Batch <= 0 {
		opts.Batch = 50
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	if opts.Lease <= 0 {
		opts.Lease = 5 * time.Minute
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = time.Second
	}
	if opts.Backoff.Base <= 0 {
		opts.Backoff.Base = DefaultBackoff.Base
	}
	if opts.Backoff.Cap <= 0 {
		opts.Backoff.Cap = DefaultBackoff.Cap
	}
	if opts.Backoff.MaxAge <= 0 {
		opts.Backoff.MaxAge = DefaultBackoff.MaxAge
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Rand == nil {
		opts.Rand = mrand.Float64
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Worker{st: st, sender: sender, opts: opts, wake: make(chan struct{}, 1)}
}

// Notify wakes the worker if it is waiting for work; it never blocks.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run sends messages until ctx is cancelled, then returns nil.
func (w *Worker) Run(ctx context.Context) error {
	for {
		n, err := w.RunOnce(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			w.opts.Logger.Error("mail worker", "worker", w.opts.ID, "err", err)
		}
		if err == nil && n == w.opts.Batch {
			continue
		}
		t := time.NewTimer(w.opts.PollInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-w.wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// RunOnce claims one batch of due mail, sends it, and returns how many
// messages it claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	msgs, err := w.st.ClaimOutbox(ctx, w.opts.ID, w.opts.Batch, w.opts.Lease, store.TopicPrefix(TopicPrefix))
	if err != nil {
		return 0, fmt.Errorf("mail: %w", err)
	}
	sem := make(chan struct{}, w.opts.Concurrency)
	var wg sync.WaitGroup
	for _, m := range msgs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			w.process(ctx, m)
		})
	}
	wg.Wait()
	return len(msgs), nil
}

// process sends m and marks it delivered, failed (due again after a
// backoff) or dead. A permanent recipient refusal suppresses the address
// and is dead at once: retrying cannot help.
func (w *Worker) process(ctx context.Context, m store.OutboxMessage) {
	log := w.opts.Logger.With("worker", w.opts.ID, "workspace", m.WorkspaceID, "message", m.ID, "uid", m.UID, "topic", m.Topic, "attempt", m.Attempts)
	var e Envelope
	if m.Topic != TopicSend {
		w.finish(log, w.st.MarkDead(ctx, m, fmt.Errorf("mail: unknown topic %q", m.Topic)))
		return
	}
	if err := json.Unmarshal(m.Payload, &e); err != nil {
		w.finish(log, w.st.MarkDead(ctx, m, fmt.Errorf("mail: payload: %w", err)))
		return
	}
	log = log.With("kind", e.Kind, "ref", e.Ref)
	if sup, err := w.st.Suppressed(ctx, m.WorkspaceID, e.To); err != nil {
		w.retry(ctx, log, m, err)
		return
	} else if sup {
		log.Info("mail not sent: address suppressed")
		w.finish(log, w.st.MarkDead(ctx, m, errors.New("mail: address is on the suppression list")))
		return
	}
	msg, err := Compose(w.sender.From(), e, m.UID, m.CreatedAt)
	if err != nil {
		w.finish(log, w.st.MarkDead(ctx, m, err))
		return
	}
	err = w.sender.Send(ctx, e.To, msg)
	if ctx.Err() != nil {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		w.finish(log, w.st.MarkFailed(rctx, m, w.opts.Now(), errors.New("worker stopped")))
		return
	}
	var re *RecipientError
	switch {
	case err == nil:
		if err := w.st.MarkDelivered(ctx, m); err != nil {
			w.finish(log, err)
			return
		}
		if err := w.st.MailDelivered(ctx, m.WorkspaceID, e.Ref); err != nil {
			log.Error("mail delivered", "err", err)
		}
	case errors.As(err, &re):
		log.Warn("mail recipient refused; address suppressed", "code", re.Code, "err", err)
		if berr := w.st.Bounced(ctx, m.WorkspaceID, e.To, e.Ref, fmt.Sprintf("bounce: %d %s", re.Code, re.Msg)); berr != nil {
			w.retry(ctx, log, m, berr)
			return
		}
		w.finish(log, w.st.MarkDead(ctx, m, err))
	default:
		w.retry(ctx, log, m, err)
	}
}

// retry marks m failed, due after the backoff, or dead past the budget.
func (w *Worker) retry(ctx context.Context, log *slog.Logger, m store.OutboxMessage, cause error) {
	w.randMu.Lock()
	r := w.opts.Rand()
	w.randMu.Unlock()
	now := w.opts.Now()
	next := now.Add(w.opts.Backoff.Delay(m.Attempts, r))
	if next.Sub(m.RetryFrom()) > w.opts.Backoff.MaxAge {
		log.Warn("mail dead-lettered", "after", now.Sub(m.RetryFrom()).String(), "err", cause)
		w.finish(log, w.st.MarkDead(ctx, m, cause))
		return
	}
	log.Warn("mail attempt failed", "next", next, "err", cause)
	w.finish(log, w.st.MarkFailed(ctx, m, next, cause))
}

func (w *Worker) finish(log *slog.Logger, err error) {
	switch {
	case err == nil:
	case errors.Is(err, store.ErrLeaseLost):
		log.Warn("mail lease lost; another worker has the message", "err", err)
	default:
		log.Error("mail mark", "err", err)
	}
}
