package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"strconv"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// TLS modes of an SMTP connection.
const (
	TLSNone     = "none"     // plain text; AUTH is refused
	TLSStartTLS = "starttls" // plain text upgraded with STARTTLS (port 587)
	TLSImplicit = "tls"      // TLS from the start (SMTPS, port 465)
)

// Config says how to reach the SMTP server.
type Config struct {
	Host     string
	Port     int
	TLS      string // none, starttls or tls
	User     string // with Password: AUTH PLAIN, only over TLS
	Password string
	From     string // the From address, e.g. "Acme <cx@acme.example>"
	// Timeout bounds one whole delivery; default 30 s.
	Timeout time.Duration
	// RootCAs verifies the server's certificate; nil means the system pool.
	RootCAs *x509.CertPool
}

// Validate reports the configuration's bad fields.
func (c Config) Validate() error {
	var bad []cx.FieldError
	if c.Host == "" {
		bad = append(bad, cx.FieldError{Field: "smtp-host", Reason: "is required"})
	}
	if c.Port <= 0 || c.Port > 65535 {
		bad = append(bad, cx.FieldError{Field: "smtp-port", Reason: "must be 1–65535"})
	}
	switch c.TLS {
	case TLSNone, TLSStartTLS, TLSImplicit:
	default:
		bad = append(bad, cx.FieldError{Field: "smtp-tls", Reason: "must be none, starttls or tls"})
	}
	if c.User != "" && c.TLS == TLSNone {
		bad = append(bad, cx.FieldError{Field: "smtp-tls", Reason: "a password is sent only over TLS: use starttls or tls with --smtp-user"})
	}
	if (c.User == "") != (c.Password == "") {
		bad = append(bad, cx.FieldError{Field: "smtp-password", Reason: "user and password go together"})
	}
	if _, err := parseFrom(c.From); err != nil {
		bad = append(bad, cx.FieldError{Field: "mail-from", Reason: "must be an address like cx@example.com or \"Name <cx@example.com>\""})
	}
	if len(bad) > 0 {
		return &cx.ValidationError{Fields: bad}
	}
	return nil
}

// RecipientError is a permanent refusal of the recipient (SMTP 5xx on
// RCPT): sending again cannot succeed, so the address is suppressed.
type RecipientError struct {
	Addr string
	Code int
	Msg  string
}

func (e *RecipientError) Error() string {
	return fmt.Sprintf("mail: recipient %s refused: %d %s", e.Addr, e.Code, e.Msg)
}

// SMTP sends messages through one SMTP server with the standard library's
// net/smtp client: it speaks STARTTLS and AUTH PLAIN, which is all a relay
// needs, and keeps cxlens free of a mail dependency.
type SMTP struct{ cfg Config }

// NewSMTP returns a sender for cfg, or the configuration's errors.
func NewSMTP(cfg Config) (*SMTP, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	return &SMTP{cfg: cfg}, nil
}

// From returns the configured From header value.
func (s *SMTP) From() string { return s.cfg.From }

// Send delivers msg (a composed message) to rcpt. A permanent refusal of
// the recipient is a *RecipientError; other errors are worth retrying.
func (s *SMTP) Send(ctx context.Context, rcpt string, msg []byte) error {
	c := s.cfg
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	addr := net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	tlsCfg := &tls.Config{ServerName: c.Host, RootCAs: c.RootCAs, MinVersion: tls.VersionTLS12}
	var d net.Dialer
	var conn net.Conn
	var err error
	if c.TLS == TLSImplicit {
		conn, err = (&tls.Dialer{NetDialer: &d, Config: tlsCfg}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fmt.Errorf("mail: connect %s: %w", addr, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	cl, err := smtp.NewClient(conn, c.Host)
	if err != nil {
		return fmt.Errorf("mail: greeting: %w", err)
	}
	defer cl.Close()
	if err := cl.Hello("localhost"); err != nil {
		return fmt.Errorf("mail: EHLO: %w", err)
	}
	if c.TLS == TLSStartTLS {
		if ok, _ := cl.Extension("STARTTLS"); !ok {
			return fmt.Errorf("mail: %s does not offer STARTTLS", addr)
		}
		if err := cl.StartTLS(tlsCfg); err != nil {
			return fmt.Errorf("mail: STARTTLS: %w", err)
		}
	}
	if c.User != "" {
		if err := cl.Auth(smtp.PlainAuth("", c.User, c.Password, c.Host)); err != nil {
			return fmt.Errorf("mail: AUTH: %w", err)
		}
	}
	from, _ := parseFrom(c.From)
	if err := cl.Mail(from); err != nil {
		return fmt.Errorf("mail: MAIL FROM: %w", err)
	}
	if err := cl.Rcpt(rcpt); err != nil {
		var te *textproto.Error
		if errors.As(err, &te) && te.Code >= 500 && te.Code < 600 {
			return &RecipientError{Addr: rcpt, Code: te.Code, Msg: te.Msg}
		}
		return fmt.Errorf("mail: RCPT TO: %w", err)
	}
	w, err := cl.Data()
	if err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	// The message is accepted; a failed QUIT does not matter.
	_ = cl.Quit()
	return nil
}
