// Package web is the browser side of cxlens: the hosted survey pages and
// the web widget (public, no login), and the dashboard (users, sessions,
// roles). Pages are server-rendered with html/template and work without
// JavaScript; static assets are embedded in the binary.
package web

import (
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/cxlens/cxlens/internal/analytics"
	"github.com/cxlens/cxlens/internal/report"
	"github.com/cxlens/cxlens/internal/store"
)

// Options tunes New.
type Options struct {
	// Now returns the current time. Defaults to time.Now.
	Now func() time.Time
	// Indexes answers the dashboard's survey metrics. Defaults to a new set
	// over the database.
	Indexes *analytics.Indexes
	// BaseURL is the public address of the server, for links in emails and
	// the widget snippet, e.g. https://cx.example.com. Defaults to the
	// request's host.
	BaseURL string
	// MaxBodyBytes limits form posts. Defaults to 1 MiB.
	MaxBodyBytes int64
	// PublicRate and PublicBurst bound the hosted survey pages and the
	// widget endpoint per client IP and per token: requests per second and
	// burst. Default 5/s with a burst of 30; a benchmark raises them.
	PublicRate  float64
	PublicBurst int
	// SMTP is the mail configuration, shown on the settings page.
	SMTP SMTPStatus
	// Snapshots hold the workspaces' customers, events, tickets and
	// responses for the behavioural KPIs and the customer pages. Defaults
	// to a new set over the database; serve shares one with the API.
	Snapshots *report.Snapshots
}

// Server serves the pages. Routes are listed by area: surveyPageRoutes
// (hosted pages and widget), distributionPageRoutes (unsubscribe),
// appRoutes (dashboard accounts, settings, layout) and analyticsPageRoutes
// (the dashboard's analysis pages).
type Server struct {
	db     *store.DB
	logger *slog.Logger
	opts   Options
	mux    *http.ServeMux

	public publicState // hosted survey pages and widget (survey_pages.go)
	acct   acctState   // dashboard login limits (auth.go)
}

// page is one entry of the web route table.
type page struct {
	pattern string // ServeMux pattern, e.g. "GET /s/{key}"
	handler http.HandlerFunc
}

// New returns the web handler.
func New(db *store.DB, logger *slog.Logger, opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 1 << 20
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
	s := &Server{db: db, logger: logger, opts: opts, mux: http.NewServeMux()}
	for _, p := range s.pages() {
		s.mux.Handle(p.pattern, p.handler)
	}
	return s
}

// pages is the web route table.
func (s *Server) pages() []page {
	return slices.Concat(s.surveyPageRoutes(), s.distributionPageRoutes(), s.appRoutes(), s.analyticsPageRoutes(), s.loopPageRoutes())
}

// ServeHTTP serves a page.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}
