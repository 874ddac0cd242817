// Package mailtest runs a real SMTP server on a loopback port for tests:
// it speaks EHLO, STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP and
// QUIT over TCP (net/textproto), records every message it accepts, and can
// be told to refuse recipients, so tests exercise the real SMTP client path,
// bounces included.
//
// It is a small server of our own rather than Mailpit: Mailpit is a large
// program that is not in the module cache, would need the network to build
// and minutes of compilation, and cannot be told per test to refuse chosen
// recipients with a permanent 5xx.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TLSMode is how the server offers TLS.
type TLSMode string

// The TLS modes.
const (
	TLSNone     TLSMode = "none"     // plain text only
	TLSStartTLS TLSMode = "starttls" // plain text, upgraded by STARTTLS
	TLSImplicit TLSMode = "tls"      // TLS from the first byte (SMTPS)
)

// Options configures a Server; the zero value is a plain, open server.
type Options struct {
	TLS TLSMode
	// User and Password, when set, make AUTH PLAIN mandatory before MAIL.
	User, Password string
	// Reject, when set, is asked about every RCPT; a non-zero code (e.g.
	// 550 or 451) refuses the recipient with that code and msg.
	Reject func(rcpt string) (code int, msg string)
}

// Message is one message the server accepted.
type Message struct {
	From string
	To   []string
	Data []byte // as received, CRLF line ends, dot-unstuffed
	Auth string // the user who sent it, if authenticated
	TLS  bool   // whether the session was encrypted
}

// Header parses the message's header.
func (m Message) Header() (mail.Header, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return nil, err
	}
	return msg.Header, nil
}

// Subject returns the decoded Subject header.
func (m Message) Subject() string {
	h, err := m.Header()
	if err != nil {
		return ""
	}
	s, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil {
		return h.Get("Subject")
	}
	return s
}

// Part returns the decoded body part of the given media type (e.g.
// "text/plain", "text/html"), looking inside multipart bodies.
func (m Message) Part(mediaType string) (string, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return "", err
	}
	return findPart(textproto.MIMEHeader(msg.Header), msg.Body, mediaType)
}

func findPart(h textproto.MIMEHeader, body io.Reader, want string) (string, error) {
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		mt = "text/plain"
	}
	if strings.HasPrefix(mt, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return "", err
			}
			if s, err := findPart(p.Header, p, want); err == nil {
				return s, nil
			}
		}
		return "", fmt.Errorf("mailtest: no %s part", want)
	}
	if mt != want {
		return "", fmt.Errorf("mailtest: no %s part", want)
	}
	var r io.Reader = body
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(r)
	return string(b), err
}

// Server is a running test SMTP server.
type Server struct {
	opts Options
	ln   net.Listener
	tls  *tls.Config
	pool *x509.CertPool

	mu       sync.Mutex
	msgs     []Message
	arrived  chan struct{}
	sessions sync.WaitGroup
	closed   bool
}

// Start runs a server on a free loopback port until the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// New runs a server on a free loopback port; Close stops it.
func New(opts Options) (*Server, error) {
	if opts.TLS == "" {
		opts.TLS = TLSNone
	}
	s := &Server{opts: opts, arrived: make(chan struct{}, 1)}
	if opts.TLS != TLSNone {
		cfg, pool, err := selfSigned()
		if err != nil {
			return nil, fmt.Errorf("mailtest: certificate: %w", err)
		}
		s.tls, s.pool = cfg, pool
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("mailtest: listen: %w", err)
	}
	if opts.TLS == TLSImplicit {
		ln = tls.NewListener(ln, s.tls)
	}
	s.ln = ln
	go s.accept()
	return s, nil
}

// Host returns the server's host, 127.0.0.1.
func (s *Server) Host() string { return "127.0.0.1" }

// Port returns the server's port.
func (s *Server) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// Addr returns host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// RootCAs returns a pool trusting the server's self-signed certificate
// (nil for a plain server), for the client's tls.Config.
func (s *Server) RootCAs() *x509.CertPool { return s.pool }

// Close stops the server and waits for its sessions to end.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.mu.Unlock()
	s.ln.Close()
	s.sessions.Wait()
}

// Messages returns the messages accepted so far, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Wait returns once at least n messages have arrived, or fails after timeout.
func (s *Server) Wait(n int, timeout time.Duration) ([]Message, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		if m := s.Messages(); len(m) >= n {
			return m, nil
		}
		select {
		case <-s.arrived:
		case <-deadline.C:
			return s.Messages(), fmt.Errorf("mailtest: %d messages after %s, want %d", len(s.Messages()), timeout, n)
		}
	}
}

func (s *Server) accept() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.sessions.Add(1)
		go func() {
			defer s.sessions.Done()
			defer c.Close()
			s.serve(c)
		}()
	}
}

// session is the state of one SMTP conversation.
type session struct {
	s      *Server
	conn   net.Conn
	tp     *textproto.Conn
	tls    bool
	helo   bool
	auth   string
	from   string
	hasMsg bool
	rcpts  []string
}

func (s *Server) serve(c net.Conn) {
	_, isTLS := c.(*tls.Conn)
	ss := &session{s: s, conn: c, tp: textproto.NewConn(c), tls: isTLS}
	ss.reply(220, "mailtest ESMTP ready")
	for {
		c.SetDeadline(time.Now().Add(30 * time.Second))
		line, err := ss.tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		if !ss.handle(strings.ToUpper(verb), strings.TrimSpace(arg)) {
			return
		}
	}
}

func (ss *session) reply(code int, lines ...string) {
	for i, l := range lines {
		sep := " "
		if i < len(lines)-1 {
			sep = "-"
		}
		ss.tp.PrintfLine("%d%s%s", code, sep, l)
	}
}

func (ss *session) reset() { ss.from, ss.hasMsg, ss.rcpts = "", false, nil }

// handle runs one command and reports whether the session goes on.
func (ss *session) handle(verb, arg string) bool {
	o := ss.s.opts
	switch verb {
	case "EHLO", "HELO":
		ss.helo = true
		ss.reset()
		ext := []string{"mailtest greets " + arg, "8BITMIME", "PIPELINING", "SIZE 10485760"}
		if o.TLS == TLSStartTLS && !ss.tls {
			ext = append(ext, "STARTTLS")
		}
		if o.User != "" && ss.tls {
			ext = append(ext, "AUTH PLAIN")
		}
		if verb == "HELO" {
			ext = ext[:1]
		}
		ss.reply(250, ext...)
	case "STARTTLS":
		if o.TLS != TLSStartTLS || ss.tls {
			ss.reply(502, "STARTTLS not available")
			return true
		}
		ss.reply(220, "go ahead")
		tc := tls.Server(ss.conn, ss.s.tls)
		if err := tc.Handshake(); err != nil {
			return false
		}
		ss.conn, ss.tp, ss.tls, ss.helo = tc, textproto.NewConn(tc), true, false
		ss.reset()
	case "AUTH":
		mech, resp, _ := strings.Cut(arg, " ")
		if o.User == "" || !ss.tls || !strings.EqualFold(mech, "PLAIN") {
			ss.reply(504, "AUTH PLAIN over TLS only")
			return true
		}
		if resp == "" {
			ss.reply(334, "")
			l, err := ss.tp.ReadLine()
			if err != nil {
				return false
			}
			resp = l
		}
		b, err := base64.StdEncoding.DecodeString(resp)
		parts := strings.Split(string(b), "\x00")
		if err != nil || len(parts) != 3 || parts[1] != o.User || parts[2] != o.Password {
			ss.reply(535, "5.7.8 authentication failed")
			return true
		}
		ss.auth = parts[1]
		ss.reply(235, "2.7.0 authenticated")
	case "MAIL":
		switch {
		case !ss.helo:
			ss.reply(503, "EHLO first")
		case o.TLS == TLSStartTLS && !ss.tls:
			ss.reply(530, "5.7.0 STARTTLS first")
		case o.User != "" && ss.auth == "":
			ss.reply(530, "5.7.0 authentication required")
		case !strings.HasPrefix(strings.ToUpper(arg), "FROM:"):
			ss.reply(501, "syntax: MAIL FROM:<address>")
		default:
			ss.reset()
			ss.from, ss.hasMsg = path(arg[5:]), true
			ss.reply(250, "ok")
		}
	case "RCPT":
		switch {
		case !ss.hasMsg:
			ss.reply(503, "MAIL first")
		case !strings.HasPrefix(strings.ToUpper(arg), "TO:"):
			ss.reply(501, "syntax: RCPT TO:<address>")
		default:
			to := path(arg[3:])
			if o.Reject != nil {
				if code, msg := o.Reject(to); code != 0 {
					ss.reply(code, msg)
					return true
				}
			}
			ss.rcpts = append(ss.rcpts, to)
			ss.reply(250, "ok")
		}
	case "DATA":
		if len(ss.rcpts) == 0 {
			ss.reply(503, "RCPT first")
			return true
		}
		ss.reply(354, "end with <CRLF>.<CRLF>")
		data, err := io.ReadAll(ss.tp.DotReader())
		if err != nil {
			return false
		}
		data = bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))
		ss.s.mu.Lock()
		ss.s.msgs = append(ss.s.msgs, Message{From: ss.from, To: ss.rcpts, Data: data, Auth: ss.auth, TLS: ss.tls})
		ss.s.mu.Unlock()
		select {
		case ss.s.arrived <- struct{}{}:
		default:
		}
		ss.reset()
		ss.reply(250, "ok: queued as "+strconv.Itoa(len(ss.s.Messages())))
	case "RSET":
		ss.reset()
		ss.reply(250, "ok")
	case "NOOP":
		ss.reply(250, "ok")
	case "QUIT":
		ss.reply(221, "bye")
		return false
	default:
		ss.reply(502, "command not implemented")
	}
	return true
}

// path returns the address of "<a@b> PARAMS" or "a@b".
func path(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '>'); strings.HasPrefix(s, "<") && i > 0 {
		return s[1:i]
	}
	a, _, _ := strings.Cut(s, " ")
	return a
}

// selfSigned makes a certificate for 127.0.0.1 and localhost, and a pool
// that trusts it.
func selfSigned() (*tls.Config, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mailtest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	cfg := &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}}, MinVersion: tls.VersionTLS12}
	return cfg, pool, nil
}
