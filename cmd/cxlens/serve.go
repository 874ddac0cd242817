package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/cxlens/cxlens/internal/alert/schedule"
	"github.com/cxlens/cxlens/internal/analytics"
	"github.com/cxlens/cxlens/internal/httpapi"
	"github.com/cxlens/cxlens/internal/outbox"
	"github.com/cxlens/cxlens/internal/report"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/web"
	"github.com/cxlens/cxlens/internal/webhook"
)

// HTTP server timeouts. Reads allow a minute for bulk imports of up to
// --max-body bytes on slow links; headers must arrive quickly (slowloris).
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 60 * time.Second
	writeTimeout      = 120 * time.Second
	idleTimeout       = 120 * time.Second
)

// serve runs the HTTP API until ctx is cancelled (SIGINT, SIGTERM), then
// shuts down gracefully: it stops accepting connections and waits up to
// --shutdown-timeout for requests in flight.
func (a *app) serve(ctx context.Context, args []string) error {
	fs := a.newFlagSet("serve", "[flags]", "Run the HTTP server until SIGINT or SIGTERM, then stop gracefully: the API (/api/v1, /healthz,\n"+
		"/readyz), the dashboard (/app), the hosted survey pages (/s/) and the widget (/w/), with the\n"+
		"webhook and mail workers and the schedulers. Migrates the database first unless --no-migrate.")
	var addr string
	a.stringVar(fs, &addr, "addr", envAddr, ":8080", "`address` to listen on, host:port")
	noMigrate := fs.Bool("no-migrate", false, "do not apply database migrations at start (run cxlens migrate separately)")
	maxBody := fs.Int64("max-body", httpapi.DefaultMaxBodyBytes, "largest request body accepted, in `bytes`")
	shutdown := fs.Duration("shutdown-timeout", 15*time.Second, "how long to wait for requests in flight when stopping")
	noWebhooks := fs.Bool("no-webhooks", false, "do not deliver webhooks from this instance (another one does)")
	blockPrivate := fs.Bool("webhook-block-private", false, "refuse to deliver webhooks to loopback, private and link-local addresses")
	reindex := fs.Duration("reindex-every", 10*time.Minute, "rebuild the in-memory analytics indexes this `often`, to take in imports\n"+
		"and customer changes made by other processes; 0 never")
	evaluate := fs.Duration("evaluate-every", 5*time.Minute, "run the scheduled alert rules (metric change, themes, at-risk, SLA) and the\n"+
		"weekly digest this `often`; 0 never (another instance does)")
	lease := fs.Duration("outbox-lease", outbox.DefaultLease, "how long a worker's claim on a webhook or mail message lasts; messages claimed by\n"+
		"an instance that died are sent again after it. It must outlast one delivery")
	mf := a.mailFlagVars(fs)
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	mailCfg, err := mf.config()
	if err != nil {
		return err
	}
	if *evaluate < 0 {
		return usageErrorf("--evaluate-every: must not be negative")
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return usageErrorf("--addr: %q is not host:port (e.g. :8080 or 127.0.0.1:8080)", addr)
	}
	if *maxBody <= 0 {
		return usageErrorf("--max-body: must be positive")
	}
	if *shutdown <= 0 {
		return usageErrorf("--shutdown-timeout: must be positive")
	}
	if *reindex < 0 {
		return usageErrorf("--reindex-every: must not be negative")
	}
	if *lease < time.Second {
		return usageErrorf("--outbox-lease: must be at least 1s")
	}

	db, err := a.openDB(ctx, !*noMigrate)
	if err != nil {
		return err
	}
	defer db.Close()

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// The webhook worker stops before the database closes (defers run last
	// in, first out); several instances on one PostgreSQL share the outbox.
	if !*noWebhooks {
		worker := webhook.NewWorker(db, webhook.Options{Logger: a.logger, BlockPrivate: *blockPrivate, Lease: *lease})
		wctx, stopWorker := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() {
			if err := worker.Run(wctx); err != nil {
				a.logger.Error("webhook worker", "err", err)
			}
		})
		defer func() { stopWorker(); wg.Wait() }()
	}
	// Email: the mail worker, trigger rules and invitation dispatch (distribution.go).
	stopMail, err := a.startDistribution(db, mf, mailCfg, *lease)
	if err != nil {
		return err
	}
	defer stopMail()
	// Scheduled alert rules; instances claim rules, so any number may run it.
	if *evaluate > 0 {
		sctx, stopScheduler := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() { schedule.New(db, a.logger).Run(sctx, *evaluate, time.Now) })
		defer func() { stopScheduler(); wg.Wait() }()
	}
	indexes := analytics.NewIndexes(db, analytics.Options{Logger: a.logger})
	snapshots := report.NewSnapshots(db, report.DefaultSnapshotAge, time.Now)
	go a.maintainIndexes(ctx, db, indexes, *reindex)
	go a.maintainText(ctx, db, *reindex)
	pages := web.New(db, a.logger, web.Options{Now: time.Now, Indexes: indexes, Snapshots: snapshots, BaseURL: mf.baseURL,
		SMTP: web.SMTPStatus{Enabled: mf.enabled(), Host: mf.host, Port: mf.port, TLS: mf.tls, User: mf.user, From: mf.from}})
	handler := httpapi.NewServer(db, a.logger, httpapi.Options{MaxBodyBytes: *maxBody, Now: time.Now, Indexes: indexes, Snapshots: snapshots, Web: pages})
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(a.logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	a.logger.Info("listening", "url", listenURL(ln.Addr()), "db", db.Dialect())

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	a.logger.Info("shutting down", "timeout", shutdown.String())
	sctx, cancel := context.WithTimeout(context.Background(), *shutdown)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	a.logger.Info("stopped")
	return nil
}

// maintainIndexes builds every workspace's analytics index at start, so
// the first dashboard query is fast, then rebuilds them every interval
// until ctx ends. Failures are logged: queries build on demand anyway.
func (a *app) maintainIndexes(ctx context.Context, db *store.DB, ix *analytics.Indexes, every time.Duration) {
	wss, err := db.Workspaces(ctx)
	if err != nil {
		a.logger.Error("list workspaces for the analytics index", "err", err)
	}
	for _, w := range wss {
		if _, err := ix.Get(ctx, w.ID); err != nil && ctx.Err() == nil {
			a.logger.Error("build analytics index", "workspace", w.ID, "err", err)
		}
	}
	repeat(ctx, every, func() {
		for _, ws := range ix.Workspaces() {
			if err := ix.Rebuild(ctx, ws); err != nil && ctx.Err() == nil {
				a.logger.Error("rebuild analytics index", "workspace", ws, "err", err)
			}
		}
	})
}

// listenURL is the URL a local client reaches the listener at.
func listenURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
