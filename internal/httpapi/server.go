// Package httpapi is the cxlens REST API under /api/v1: JSON in and out,
// API keys scoped to one workspace, errors mapped to statuses in one place
// (errors.go), and an OpenAPI 3.1 document (openapi.json) describing every
// route of the table in routes.go.
//
// Handlers are plain functions on a small server value; the API key of the
// request is passed to them as an argument (never through the context), so
// every store call visibly takes the key's workspace.
//
// Writes (POST /api/v1/{customers,events,tickets,responses}) take one JSON
// object, a JSON array of up to 10,000, or NDJSON, decoded from the stream.
// They answer:
//   - 201 with {"inserted","duplicates","rejected","items":[{"index","id","status"}]}
//     (plus "id" for a single object, "updated" for customers, "line" for NDJSON);
//   - with ?partial=true, always 200 with the same shape, invalid items
//     having status "rejected" and their "errors" (we chose 200 over 207:
//     the request succeeded, and the per-item statuses say the rest);
//   - 422 {"error","fields":[{"index","field","reason"}]} when an atomic
//     batch has invalid items, and nothing is stored;
//   - 400 for malformed JSON (byte offset, or line for NDJSON) and unknown
//     fields, 413 for a body over Options.MaxBodyBytes.
//
// An Idempotency-Key header makes any POST safe to retry: see idempotency.go.
package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/cxlens/cxlens/internal/analytics"
	"github.com/cxlens/cxlens/internal/report"
	"github.com/cxlens/cxlens/internal/store"
)

// DefaultMaxBodyBytes is the request body limit when Options.MaxBodyBytes is 0.
const DefaultMaxBodyBytes = 32 << 20

// Options tunes NewServer.
type Options struct {
	// MaxBodyBytes limits request bodies; larger ones get 413. Defaults to
	// DefaultMaxBodyBytes (32 MiB).
	MaxBodyBytes int64
	// Now returns the current time, for request durations in the log and
	// the default range of metrics.
	// Defaults to time.Now.
	Now func() time.Time
	// Indexes answers the survey metrics (nps, csat, ces) and is told about
	// every response stored through the API. Defaults to a new set over db.
	Indexes *analytics.Indexes
	// Snapshots hold the workspaces' customers, events, tickets and
	// responses for the KPI and value reports. Defaults to a new set over db.
	Snapshots *report.Snapshots
	// Web serves every path outside /api/ and the health checks: the
	// dashboard and the hosted survey pages (package web). Without it the
	// root shows a landing page and other paths get a JSON 404.
	Web http.Handler
}

// server holds the API's dependencies.
type server struct {
	db     *store.DB
	logger *slog.Logger
	opts   Options
	mux    *http.ServeMux
	h      http.Handler // mux wrapped in middleware
}

// NewServer returns the API handler. Routes are listed in routes.go.
func NewServer(db *store.DB, logger *slog.Logger, opts Options) http.Handler {
	return newServer(db, logger, opts)
}

func newServer(db *store.DB, logger *slog.Logger, opts Options) *server {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if opts.Indexes == nil {
		opts.Indexes = analytics.NewIndexes(db, analytics.Options{Logger: logger})
	}
	if opts.Snapshots == nil {
		opts.Snapshots = report.NewSnapshots(db, 0, nil)
	}
	s := &server{db: db, logger: logger, opts: opts, mux: http.NewServeMux()}
	s.register()
	s.h = s.logRequests(s.recoverPanics(s.limitBody(s.mux)))
	return s
}

// ServeHTTP runs the middleware shared by every route, then the mux.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.h.ServeHTTP(w, r)
}
