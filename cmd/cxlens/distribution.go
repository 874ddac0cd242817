package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/url"
	"strconv"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/cxlens/cxlens/internal/mail"
	"github.com/cxlens/cxlens/internal/report"
	"github.com/cxlens/cxlens/internal/store"
)

// Environment variables of the mail settings.
const (
	envSMTPHost     = "CXLENS_SMTP_HOST"
	envSMTPPort     = "CXLENS_SMTP_PORT"
	envSMTPTLS      = "CXLENS_SMTP_TLS"
	envSMTPUser     = "CXLENS_SMTP_USER"
	envSMTPPassword = "CXLENS_SMTP_PASSWORD"
	envMailFrom     = "CXLENS_MAIL_FROM"
	envBaseURL      = "CXLENS_BASE_URL"
)

// mailFlags are serve's email distribution flags.
type mailFlags struct {
	host, port, tls, user, password, from, baseURL string
	noMail                                         *bool
	every                                          *time.Duration
}

// mailFlagVars defines the email distribution flags of serve.
func (a *app) mailFlagVars(fs *flagSet) *mailFlags {
	f := &mailFlags{}
	a.stringVar(fs, &f.host, "smtp-host", envSMTPHost, "", "SMTP relay `host` for survey invitations and other mail; empty: this instance sends no mail")
	a.stringVar(fs, &f.port, "smtp-port", envSMTPPort, "587", "SMTP relay `port`")
	a.stringVar(fs, &f.tls, "smtp-tls", envSMTPTLS, "starttls", "SMTP TLS `mode`: none, starttls (port 587) or tls (port 465)")
	a.stringVar(fs, &f.user, "smtp-user", envSMTPUser, "", "SMTP AUTH PLAIN `user` (only over TLS)")
	a.stringVar(fs, &f.password, "smtp-password", envSMTPPassword, "", "SMTP AUTH `password`; prefer the environment variable")
	a.stringVar(fs, &f.from, "mail-from", envMailFrom, "", "From `address` of mail, e.g. \"Acme CX <cx@acme.example>\"")
	a.stringVar(fs, &f.baseURL, "base-url", envBaseURL, "", "public `URL` of this server, for links in mail, e.g. https://cx.acme.example")
	f.noMail = fs.Bool("no-mail", false, "do not send mail, run triggers or dispatch invitations from this instance (another one does)")
	f.every = fs.Duration("dispatch-every", 15*time.Second, "run the trigger rules and send due invitations and reminders this `often`")
	return f
}

// enabled reports whether this instance sends mail.
func (f *mailFlags) enabled() bool { return !*f.noMail && f.host != "" }

// config checks the flags and returns the SMTP configuration.
func (f *mailFlags) config() (mail.Config, error) {
	if *f.every <= 0 {
		return mail.Config{}, usageErrorf("--dispatch-every: must be positive")
	}
	if f.baseURL != "" {
		if u, err := url.Parse(f.baseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return mail.Config{}, usageErrorf("--base-url: %q is not an http(s) URL like https://cx.example.com", f.baseURL)
		}
	}
	if !f.enabled() {
		return mail.Config{}, nil
	}
	port, err := strconv.Atoi(f.port)
	if err != nil {
		return mail.Config{}, usageErrorf("--smtp-port: %q is not a port number", f.port)
	}
	cfg := mail.Config{Host: f.host, Port: port, TLS: f.tls, User: f.user, Password: f.password, From: f.from}
	if err := cfg.Validate(); err != nil {
		return mail.Config{}, usageErrorf("%v", err)
	}
	if f.baseURL == "" {
		return mail.Config{}, usageErrorf("--base-url is required with --smtp-host: the links in invitations point to it")
	}
	return cfg, nil
}

// startDistribution runs the mail worker and the distribution scheduler
// (trigger rules, then due invitations and reminders, every
// --dispatch-every) until the returned stop is called. Several instances
// may run them: the outbox claims and the invitations' status guards keep
// each mail single.
func (a *app) startDistribution(db *store.DB, f *mailFlags, cfg mail.Config, lease time.Duration) (stop func(), err error) {
	if !f.enabled() {
		a.logger.Info("mail disabled: no --smtp-host, or --no-mail")
		return func() {}, nil
	}
	sender, err := mail.NewSMTP(cfg)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	render, err := mail.NewInvitations(ctx, db, f.baseURL)
	if err != nil {
		cancel()
		return nil, err
	}
	worker := mail.NewWorker(db, sender, mail.Options{Logger: a.logger, Lease: lease})
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := worker.Run(ctx); err != nil {
			a.logger.Error("mail worker", "err", err)
		}
	})
	wg.Go(func() {
		t := time.NewTicker(*f.every)
		defer t.Stop()
		for {
			if _, err := db.RunTriggers(ctx, time.Now()); err != nil && ctx.Err() == nil {
				a.logger.Error("run triggers", "err", err)
			}
			res, err := db.DispatchDue(ctx, time.Now(), 500, render.Render)
			if err != nil && ctx.Err() == nil {
				a.logger.Error("dispatch invitations", "err", err)
			}
			if res.Sent+res.Reminded > 0 {
				a.logger.Info("invitations dispatched", "sent", res.Sent, "reminded", res.Reminded, "postponed", res.Postponed,
					"suppressed", res.Suppressed, "failed", res.Failed)
				worker.Notify()
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
	a.logger.Info("mail enabled", "smtp", cfg.Host, "tls", cfg.TLS, "base_url", f.baseURL)
	return func() { cancel(); wg.Wait() }, nil
}

// responseRateReport prints the response_rate metric (cxlens report
// --metric response_rate): invitations answered / sent with a Wilson interval.
func (a *app) responseRateReport(ctx context.Context, ws, survey, groupBy, from, to, format string) error {
	f, err := timeFlag("from", from)
	if err != nil {
		return err
	}
	t, err := timeFlag("to", to)
	if err != nil {
		return err
	}
	if groupBy != "" && groupBy != "channel" && groupBy != "language" {
		return usageErrorf("--group-by: response_rate groups by channel or language")
	}
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := report.LoadResponseRate(ctx, db, id, survey, groupBy, f, t)
	if err != nil {
		return err
	}
	switch format {
	case "json":
		return printJSON(a.stdout, r)
	case "csv":
		w := csv.NewWriter(a.stdout)
		w.Write([]string{"group", "sent", "answered", "value", "ci_low", "ci_high", "readable", "reason"})
		row := func(g string, sent, answered int64, fig report.Figure) {
			w.Write([]string{g, strconv.FormatInt(sent, 10), strconv.FormatInt(answered, 10), numOrEmpty(fig.Value), numOrEmpty(fig.CILow),
				numOrEmpty(fig.CIHigh), strconv.FormatBool(fig.Readable), fig.Reason})
		}
		row("", r.Sent, r.Answered, r.Figure)
		for _, g := range r.Groups {
			row(g.Group, g.Sent, g.Answered, g.Figure)
		}
		w.Flush()
		return w.Error()
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "GROUP\tSENT\tANSWERED\tRATE\t95% CI\tNOTE")
	line := func(g string, sent, answered int64, fig report.Figure) {
		rate, ci := "-", "-"
		if fig.Value != nil {
			rate = fmt.Sprintf("%.1f%%", *fig.Value*100)
			ci = fmt.Sprintf("%.1f–%.1f%%", *fig.CILow*100, *fig.CIHigh*100)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\n", g, sent, answered, rate, ci, dash(fig.Reason))
	}
	line("all", r.Sent, r.Answered, r.Figure)
	for _, g := range r.Groups {
		line(g.Group, g.Sent, g.Answered, g.Figure)
	}
	return tw.Flush()
}

func numOrEmpty(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}
