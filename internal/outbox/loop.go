package outbox

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"sync"
	"time"

	"github.com/cxlens/cxlens/internal/store"
)

// DefaultLease is how long a claim holds a message unless Options.Lease
// says otherwise: a worker that dies frees its messages after it.
const DefaultLease = 5 * time.Minute

// Store is what a Loop needs from the database; *store.DB provides it.
type Store interface {
	ClaimOutbox(ctx context.Context, worker string, n int, lease time.Duration, filters ...store.TopicFilter) ([]store.OutboxMessage, error)
	MarkDelivered(ctx context.Context, m store.OutboxMessage) error
	MarkFailed(ctx context.Context, m store.OutboxMessage, next time.Time, cause error) error
	MarkDead(ctx context.Context, m store.OutboxMessage, cause error) error
}

// Handler delivers one message. It returns nil once the message is
// delivered, an error wrapped by Dead when retrying cannot help, and any
// other error to retry after the backoff. If ctx ends while it runs, the
// Loop gives the message back, due at once, whatever it returns.
type Handler func(ctx context.Context, m store.OutboxMessage, log *slog.Logger) error

// deadError marks an error after which a message must not be retried.
type deadError struct{ err error }

func (e deadError) Error() string { return e.err.Error() }
func (e deadError) Unwrap() error { return e.err }

// Dead wraps err so the Loop dead-letters the message at once.
func Dead(err error) error { return deadError{err} }

// Options tunes a Loop; zero fields take the defaults.
type Options struct {
	// Name is the kind of worker in log lines and IDs, e.g. "webhook".
	Name string
	// Topics select the messages this loop claims; all must hold.
	Topics []store.TopicFilter
	// ID names the worker in claims; default name-host-pid-random, unique per process.
	ID string
	// Batch is how many messages one claim takes; default 100.
	Batch int
	// Concurrency is how many messages are handled at once; default 16.
	Concurrency int
	// Lease is how long a claim holds a message; it must outlast handling
	// one message; default DefaultLease.
	Lease time.Duration
	// PollInterval is the wait between claims when nothing is due;
	// default 1 s. Notify cuts it short.
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

// Loop claims and handles outbox messages. Run it in a goroutine; any
// number of loops may run against one database, in one process or many.
type Loop struct {
	st     Store
	handle Handler
	opts   Options
	wake   chan struct{}
	randMu sync.Mutex
}

// New returns a loop reading st's outbox and handing messages to h.
func New(st Store, h Handler, opts Options) *Loop {
	if opts.Name == "" {
		opts.Name = "outbox"
	}
	if opts.ID == "" {
		host, _ := os.Hostname()
		opts.ID = fmt.Sprintf("%s-%s-%d-%s", opts.Name, host, os.Getpid(), rand.Text()[:8])
	}
	if opts.Batch <= 0 {
		opts.Batch = 100
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 16
	}
	if opts.Lease <= 0 {
		opts.Lease = DefaultLease
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = time.Second
	}
	opts.Backoff = opts.Backoff.withDefaults(DefaultBackoff)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Rand == nil {
		opts.Rand = mrand.Float64
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Loop{st: st, handle: h, opts: opts, wake: make(chan struct{}, 1)}
}

// ID returns the name the loop claims messages under.
func (l *Loop) ID() string { return l.opts.ID }

// Notify wakes the loop if it is waiting for work; call it after
// enqueueing messages for immediate delivery. It never blocks.
func (l *Loop) Notify() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Run handles messages until ctx is cancelled, then returns nil. Messages
// in flight are given back for another attempt.
func (l *Loop) Run(ctx context.Context) error {
	for {
		n, err := l.RunOnce(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			l.opts.Logger.Error(l.opts.Name+" worker", "worker", l.opts.ID, "err", err)
		}
		if err == nil && n == l.opts.Batch {
			continue // more may be due
		}
		t := time.NewTimer(l.opts.PollInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-l.wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// RunOnce claims one batch of due messages, handles them, and returns how
// many it claimed.
func (l *Loop) RunOnce(ctx context.Context) (int, error) {
	msgs, err := l.st.ClaimOutbox(ctx, l.opts.ID, l.opts.Batch, l.opts.Lease, l.opts.Topics...)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", l.opts.Name, err)
	}
	sem := make(chan struct{}, l.opts.Concurrency)
	var wg sync.WaitGroup
	for _, m := range msgs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			l.process(ctx, m)
		})
	}
	wg.Wait()
	return len(msgs), nil
}

// process hands m to the handler and records the outcome. Errors of the
// marks are logged, not returned: the lease makes any message left
// unfinished due again.
func (l *Loop) process(ctx context.Context, m store.OutboxMessage) {
	log := l.opts.Logger.With("worker", l.opts.ID, "workspace", m.WorkspaceID, "message", m.ID, "uid", m.UID, "topic", m.Topic, "attempt", m.Attempts)
	err := l.handle(ctx, m, log)
	var dead deadError
	switch {
	case ctx.Err() != nil:
		// Stopped mid-delivery: give m back, due now, so another worker
		// need not wait for the lease to run out. The attempt is not logged.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		l.finish(log, l.st.MarkFailed(rctx, m, l.opts.Now(), errors.New("worker stopped")))
	case err == nil:
		l.finish(log, l.st.MarkDelivered(ctx, m))
	case errors.As(err, &dead):
		l.finish(log, l.st.MarkDead(ctx, m, dead.err))
	default:
		l.retry(ctx, log, m, err)
	}
}

// retry marks m failed, due after the backoff, or dead once the next
// attempt would fall past the backoff's MaxAge.
func (l *Loop) retry(ctx context.Context, log *slog.Logger, m store.OutboxMessage, cause error) {
	l.randMu.Lock()
	r := l.opts.Rand()
	l.randMu.Unlock()
	now := l.opts.Now()
	next := now.Add(l.opts.Backoff.Delay(m.Attempts, r))
	if next.Sub(m.RetryFrom()) > l.opts.Backoff.MaxAge {
		log.Warn(l.opts.Name+" message dead-lettered", "after", now.Sub(m.RetryFrom()).String(), "err", cause)
		l.finish(log, l.st.MarkDead(ctx, m, cause))
		return
	}
	log.Warn(l.opts.Name+" attempt failed", "next", next, "err", cause)
	l.finish(log, l.st.MarkFailed(ctx, m, next, cause))
}

// finish logs the error of marking a message, if any. A lost lease means
// another worker took the message over after ours ran out; it is expected
// after a long stall and harmless, as receivers deduplicate on the UID.
func (l *Loop) finish(log *slog.Logger, err error) {
	switch {
	case err == nil:
	case errors.Is(err, store.ErrLeaseLost):
		log.Warn(l.opts.Name+" lease lost; another worker has the message", "err", err)
	default:
		log.Error(l.opts.Name+" mark", "err", err)
	}
}
