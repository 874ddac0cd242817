package mail

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/mail/mailtest"
)

func TestSMTPSend(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		server     mailtest.Options
		tls        string
		user, pass string
		wantErr    string
		wantTLS    bool
	}{
		{name: "plain", server: mailtest.Options{}, tls: TLSNone},
		{name: "starttls with auth", server: mailtest.Options{TLS: mailtest.TLSStartTLS, User: "u", Password: "p"}, tls: TLSStartTLS, user: "u", pass: "p", wantTLS: true},
		{name: "implicit tls with auth", server: mailtest.Options{TLS: mailtest.TLSImplicit, User: "u", Password: "p"}, tls: TLSImplicit, user: "u", pass: "p", wantTLS: true},
		{name: "wrong password", server: mailtest.Options{TLS: mailtest.TLSStartTLS, User: "u", Password: "p"}, tls: TLSStartTLS, user: "u", pass: "x", wantErr: "AUTH"},
		{name: "starttls required by server", server: mailtest.Options{TLS: mailtest.TLSStartTLS}, tls: TLSNone, wantErr: "530"},
		{name: "starttls not offered", server: mailtest.Options{}, tls: TLSStartTLS, wantErr: "does not offer STARTTLS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := mailtest.Start(t, tt.server)
			s, err := NewSMTP(Config{Host: srv.Host(), Port: srv.Port(), TLS: tt.tls, User: tt.user, Password: tt.pass,
				From: "CX Team <cx@acme.example>", RootCAs: srv.RootCAs(), Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			e := Envelope{To: "ana@example.com", Subject: "Über uns: 您好", Text: "Hello\nline two with a very long line " + strings.Repeat("x", 100),
				HTML: "<p>Hello <b>Ana</b></p>", Kind: "invitation", Ref: "invitation:7", Unsubscribe: "https://cx.example/u/abc"}
			msg, err := Compose(s.From(), e, "msg_UID1", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			err = s.Send(context.Background(), e.To, msg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want one containing %q", err, tt.wantErr)
				}
				if n := len(srv.Messages()); n != 0 {
					t.Fatalf("%d messages arrived after a failure", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := srv.Messages()
			if len(got) != 1 {
				t.Fatalf("%d messages, want 1", len(got))
			}
			m := got[0]
			if m.From != "cx@acme.example" || len(m.To) != 1 || m.To[0] != "ana@example.com" || m.TLS != tt.wantTLS || m.Auth != tt.user {
				t.Errorf("envelope from %q to %v tls %v auth %q", m.From, m.To, m.TLS, m.Auth)
			}
			if s := m.Subject(); s != e.Subject {
				t.Errorf("subject %q, want %q", s, e.Subject)
			}
			h, _ := m.Header()
			if h.Get("Message-ID") != "<msg_UID1@acme.example>" || h.Get("List-Unsubscribe") != "<https://cx.example/u/abc>" {
				t.Errorf("headers %v", h)
			}
			if text, err := m.Part("text/plain"); err != nil || text != strings.ReplaceAll(e.Text, "\n", "\r\n") {
				t.Errorf("text part %q (%v)", text, err)
			}
			if html, err := m.Part("text/html"); err != nil || html != e.HTML {
				t.Errorf("html part %q (%v)", html, err)
			}
		})
	}
}

func TestSMTPRecipientRefused(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, mailtest.Options{Reject: func(rcpt string) (int, string) {
		switch rcpt {
		case "gone@example.com":
			return 550, "5.1.1 no such user"
		case "busy@example.com":
			return 451, "4.3.0 try later"
		}
		return 0, ""
	}})
	s, err := NewSMTP(Config{Host: srv.Host(), Port: srv.Port(), TLS: TLSNone, From: "cx@acme.example"})
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := Compose(s.From(), Envelope{To: "gone@example.com", Subject: "s", Text: "t"}, "u", time.Now())
	var re *RecipientError
	if err := s.Send(context.Background(), "gone@example.com", msg); !errors.As(err, &re) || re.Code != 550 {
		t.Errorf("550: err %v, want a RecipientError", err)
	}
	if err := s.Send(context.Background(), "busy@example.com", msg); err == nil || errors.As(err, &re) {
		t.Errorf("451: err %v, want a temporary error", err)
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	ok := Config{Host: "smtp.example.com", Port: 587, TLS: TLSStartTLS, User: "u", Password: "p", From: "cx@example.com"}
	tests := []struct {
		name  string
		edit  func(*Config)
		field string
	}{
		{"ok", func(*Config) {}, ""},
		{"no host", func(c *Config) { c.Host = "" }, "smtp-host"},
		{"port 0", func(c *Config) { c.Port = 0 }, "smtp-port"},
		{"port 65536", func(c *Config) { c.Port = 65536 }, "smtp-port"},
		{"bad tls", func(c *Config) { c.TLS = "ssl" }, "smtp-tls"},
		{"password in the clear", func(c *Config) { c.TLS = TLSNone }, "smtp-tls"},
		{"user without password", func(c *Config) { c.Password = "" }, "smtp-password"},
		{"bad from", func(c *Config) { c.From = "not an address" }, "mail-from"},
		{"header injection in from", func(c *Config) { c.From = "a@b.c\r\nBcc: x@y.z" }, "mail-from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			err := c.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.field) {
				t.Fatalf("err %v, want one naming %s", err, tt.field)
			}
		})
	}
}

func TestEnvelopeValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		e    Envelope
		bad  string
	}{
		{"ok", Envelope{To: "a@b.example", Subject: "s", Text: "t"}, ""},
		{"named recipient", Envelope{To: "A <a@b.example>", Subject: "s", Text: "t"}, "to"},
		{"subject injection", Envelope{To: "a@b.example", Subject: "s\r\nBcc: x@y.z", Text: "t"}, "subject"},
		{"no text", Envelope{To: "a@b.example", Subject: "s"}, "text"},
	}
	for _, tt := range tests {
		err := tt.e.Validate()
		if (err == nil) != (tt.bad == "") || (err != nil && !strings.Contains(err.Error(), tt.bad)) {
			t.Errorf("%s: err %v, want field %q", tt.name, err, tt.bad)
		}
	}
}
