package webhook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/cxlens/cxlens/internal/outbox"
	"github.com/cxlens/cxlens/internal/store"
)

// Backoff is the retry schedule of webhook deliveries (see outbox.Backoff).
type Backoff = outbox.Backoff

// DefaultBackoff retries from 10 s, up to 1 h apart, for 24 h.
var DefaultBackoff = outbox.DefaultBackoff

// Store is what a Worker needs from the database; *store.DB provides it.
type Store interface {
	ClaimOutbox(ctx context.Context, worker string, n int, lease time.Duration, filters ...store.TopicFilter) ([]store.OutboxMessage, error)
	WebhookTargets(ctx context.Context, m store.OutboxMessage) ([]store.Webhook, error)
	LogDelivery(ctx context.Context, d store.Delivery) (store.Delivery, error)
	MarkDelivered(ctx context.Context, m store.OutboxMessage) error
	MarkFailed(ctx context.Context, m store.OutboxMessage, next time.Time, cause error) error
	MarkDead(ctx context.Context, m store.OutboxMessage, cause error) error
}

// Options tunes a Worker; zero fields take the defaults. ID, Batch,
// Concurrency, Lease, PollInterval, Backoff, Now, Rand and Logger are the
// loop's (see outbox.Options); the lease must outlast delivering one
// message to all its subscriptions.
type Options struct {
	ID           string
	Batch        int
	Concurrency  int
	Lease        time.Duration
	PollInterval time.Duration
	Backoff      Backoff
	Now          func() time.Time
	Rand         func() float64
	Logger       *slog.Logger

	// Client sends the requests; default NewClient(Timeout, BlockPrivate).
	Client *http.Client
	// Timeout bounds each request of the default client; default 10 s.
	Timeout time.Duration
	// BlockPrivate makes the default client refuse loopback, private and
	// link-local addresses (see NewClient).
	BlockPrivate bool
}

// Worker delivers outbox messages to webhooks: an outbox.Loop over every
// topic but mail's. Run it in a goroutine; any number of workers may run
// against one database.
type Worker struct {
	*outbox.Loop
	st     Store
	client *http.Client
	now    func() time.Time
}

// NewWorker returns a worker reading st's outbox.
func NewWorker(st Store, opts Options) *Worker {
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.Client == nil {
		opts.Client = NewClient(opts.Timeout, opts.BlockPrivate)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	w := &Worker{st: st, client: opts.Client, now: opts.Now}
	w.Loop = outbox.New(st, w.process, outbox.Options{
		Name:   "webhook",
		Topics: []store.TopicFilter{store.TopicNotPrefix("mail.")}, // mail's belong to internal/mail
		ID:     opts.ID, Batch: opts.Batch, Concurrency: opts.Concurrency, Lease: opts.Lease,
		PollInterval: opts.PollInterval, Backoff: opts.Backoff, Now: opts.Now, Rand: opts.Rand, Logger: opts.Logger,
	})
	return w
}

// process delivers m to every subscription still owed it and logs each
// attempt; the loop then marks m delivered, due again after a backoff, or
// dead.
func (w *Worker) process(ctx context.Context, m store.OutboxMessage, log *slog.Logger) error {
	targets, err := w.st.WebhookTargets(ctx, m)
	if err != nil {
		return fmt.Errorf("webhook targets: %w", err)
	}
	body, err := NewEnvelope(m).Encode()
	if err != nil {
		return outbox.Dead(err)
	}
	var failures []error
	for _, h := range targets {
		b, err := encodeFor(h, m, body) // Slack endpoints get a Slack message
		if err != nil {
			return outbox.Dead(err)
		}
		d := w.deliver(ctx, h, m, b)
		if ctx.Err() != nil {
			return ctx.Err() // the attempt was cut short; not logged
		}
		if _, err := w.st.LogDelivery(ctx, d); err != nil {
			log.Error("log delivery", "webhook", h.ID, "err", err)
		}
		if !d.OK() {
			log.Warn("webhook delivery failed", "webhook", h.ID, "url", h.URL, "status", d.StatusCode, "err", d.Error)
			failures = append(failures, fmt.Errorf("webhook %d: %s", h.ID, d.Error))
		}
	}
	return errors.Join(failures...)
}
