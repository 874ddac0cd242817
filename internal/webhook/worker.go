package webhook

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/cxlens/cxlens/internal/store"
)

// Store is what a Worker needs from the database; *store.DB provides it.
type Store interface {
	ClaimOutbox(ctx context.Context, worker string, n int, lease time.Duration, filters ...store.TopicFilter) ([]store.OutboxMessage, error)
	WebhookTargets(ctx context.Context, m store.OutboxMessage) ([]store.Webhook, error)
	LogDelivery(ctx context.Context, d store.Delivery) (store.Delivery, error)
	MarkDelivered(ctx context.Context, m store.OutboxMessage) error
	MarkFailed(ctx context.Context, m store.OutboxMessage, next time.Time, cause error) error
	MarkDead(ctx context.Context, m store.OutboxMessage, cause error) error
}

// Options tunes a Worker; zero fields take the defaults.
type Options struct {
	// ID names the worker in claims; default host-pid-random, unique per process.
	ID string
	// Client sends the requests; default NewClient(Timeout, BlockPrivate).
	Client *http.Client
	// Timeout bounds each request of the default client; default 10 s.
	Timeout time.Duration
	// BlockPrivate makes the default client refuse loopback, private and
	// link-local addresses (see NewClient).
	BlockPrivate bool
	// Batch is how many messages one claim takes; default 100.
	Batch int
	// Concurrency is how many messages are delivered at once; default 16.
	Concurrency int
	// Lease is how long a claim holds a message; a worker that dies frees
	// its messages after it. It must outlast delivering one message to all
	// its subscriptions; default 5 min.
	Lease time.Duration
	// PollInterval is the wait between claims when the outbox has nothing
	// due; default 1 s. Notify cuts it short.
	PollInterval time.Duration
	// Backoff is the retry schedule; its zero fields take DefaultBackoff's.
	Backoff Backoff
	// Now is the clock; default time.Now. Tests share it with the store.
	Now func() time.Time
	// Rand returns numbers uniform in [0, 1) for the jitter; default
	// math/rand/v2's Float64. Calls are serialised.
	Rand func() float64
	// Logger receives a line per failed attempt and per dead letter; default slog.Default().
	Logger *slog.Logger
}

// Worker delivers outbox messages to webhooks. Run it in a goroutine; any
// number of workers may run against one database.
type Worker struct {
	st     Store
	opts   Options
	client *http.Client
	wake   chan struct{}

	randMu sync.Mutex
}

// NewWorker returns a worker reading st's outbox.
func NewWorker(st Store, opts Options) *Worker {
	if opts.ID == "" {
		host, _ := os.Hostname()
		opts.ID = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), rand.Text()[:8])
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.Client == nil {
		opts.Client = NewClient(opts.Timeout, opts.BlockPrivate)
	}
	if opts.Batch <= 0 {
		opts.Batch = 100
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 16
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
	return &Worker{st: st, opts: opts, client: opts.Client, wake: make(chan struct{}, 1)}
}

// ID returns the name the worker claims messages under.
func (w *Worker) ID() string { return w.opts.ID }

// Notify wakes the worker if it is waiting for work; call it after
// enqueueing messages for immediate delivery. It never blocks.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run delivers messages until ctx is cancelled, then returns nil. Requests
// in flight are abandoned and their messages released for another attempt.
func (w *Worker) Run(ctx context.Context) error {
	for {
		n, err := w.RunOnce(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			w.opts.Logger.Error("webhook worker", "worker", w.opts.ID, "err", err)
		}
		if err == nil && n == w.opts.Batch {
			continue // more may be due
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

// RunOnce claims one batch of due messages, delivers them, and returns how
// many it claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	// Topics under "mail." belong to the mail worker (internal/mail).
	msgs, err := w.st.ClaimOutbox(ctx, w.opts.ID, w.opts.Batch, w.opts.Lease, store.TopicNotPrefix("mail."))
	if err != nil {
		return 0, fmt.Errorf("webhook: %w", err)
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

// process delivers m to every subscription still owed it, logs each
// attempt, and then marks m delivered, failed (due again after a backoff)
// or dead. Errors are logged, not returned: the lease makes any message
// left unfinished due again.
func (w *Worker) process(ctx context.Context, m store.OutboxMessage) {
	log := w.opts.Logger.With("worker", w.opts.ID, "workspace", m.WorkspaceID, "message", m.ID, "uid", m.UID, "type", m.Topic, "attempt", m.Attempts)
	targets, err := w.st.WebhookTargets(ctx, m)
	if err != nil {
		if ctx.Err() != nil {
			w.release(ctx, log, m)
			return
		}
		log.Error("webhook targets", "err", err)
		return
	}
	body, err := NewEnvelope(m).Encode()
	if err != nil {
		w.finish(log, w.st.MarkDead(ctx, m, err))
		return
	}
	var failures []error
	for _, h := range targets {
		b, err := encodeFor(h, m, body) // Slack endpoints get a Slack message
		if err != nil {
			w.finish(log, w.st.MarkDead(ctx, m, err))
			return
		}
		d := w.deliver(ctx, h, m, b)
		if ctx.Err() != nil {
			w.release(ctx, log, m) // the attempt was cut short; not logged
			return
		}
		if _, err := w.st.LogDelivery(ctx, d); err != nil {
			log.Error("log delivery", "webhook", h.ID, "err", err)
		}
		if !d.OK() {
			log.Warn("webhook delivery failed", "webhook", h.ID, "url", h.URL, "status", d.StatusCode, "err", d.Error)
			failures = append(failures, fmt.Errorf("webhook %d: %s", h.ID, d.Error))
		}
	}
	if len(failures) == 0 {
		w.finish(log, w.st.MarkDelivered(ctx, m))
		return
	}
	cause := errors.Join(failures...)
	w.randMu.Lock()
	r := w.opts.Rand()
	w.randMu.Unlock()
	now := w.opts.Now()
	next := now.Add(w.opts.Backoff.Delay(m.Attempts, r))
	if next.Sub(m.RetryFrom()) > w.opts.Backoff.MaxAge {
		log.Warn("webhook message dead-lettered", "after", now.Sub(m.RetryFrom()).String(), "err", cause)
		w.finish(log, w.st.MarkDead(ctx, m, cause))
		return
	}
	w.finish(log, w.st.MarkFailed(ctx, m, next, cause))
}

// release gives m back, due now, when the worker stops mid-delivery, so
// another worker need not wait for the lease to run out.
func (w *Worker) release(ctx context.Context, log *slog.Logger, m store.OutboxMessage) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	w.finish(log, w.st.MarkFailed(rctx, m, w.opts.Now(), errors.New("worker stopped")))
}

// finish logs the error of marking a message, if any. A lost lease means
// another worker took the message over after ours ran out; it is expected
// after a long stall and harmless, as receivers deduplicate on the id.
func (w *Worker) finish(log *slog.Logger, err error) {
	switch {
	case err == nil:
	case errors.Is(err, store.ErrLeaseLost):
		log.Warn("webhook lease lost; another worker has the message", "err", err)
	default:
		log.Error("webhook mark", "err", err)
	}
}
