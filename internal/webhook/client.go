package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cxlens/cxlens/internal/store"
)

// MaxResponseBody is how much of a receiver's answer is read; the rest is
// dropped, so a misbehaving endpoint cannot make a worker read forever.
const MaxResponseBody = 64 << 10

// maxRedirects bounds same-host redirects.
const maxRedirects = 3

// NewClient returns the HTTP client deliveries use by default: each
// request must finish within timeout, and redirects are followed only to
// the same scheme and host and only when they keep the POST and its body
// (307, 308), at most 3 times. A redirect elsewhere is a failed attempt:
// following it would send signed events to a host nobody subscribed.
//
// With blockPrivate, the client refuses to connect to loopback, private,
// link-local (cloud metadata) and unspecified addresses, checked on the
// address actually dialled, so a name that resolves there (DNS rebinding)
// is refused too, and it ignores proxy settings, which would hide the
// address. Turn it on when workspace owners must not reach the internal
// network through webhooks.
func NewClient(timeout time.Duration, blockPrivate bool) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 16 // one worker's concurrency towards a busy receiver
	if blockPrivate {
		d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: refusePrivate}
		tr.DialContext = d.DialContext
		tr.Proxy = nil
	}
	return &http.Client{
		Transport: tr,
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			first := via[0]
			switch {
			case len(via) > maxRedirects:
				return fmt.Errorf("more than %d redirects", maxRedirects)
			case req.URL.Scheme != first.URL.Scheme || req.URL.Host != first.URL.Host:
				return fmt.Errorf("redirect to another host (%s://%s) not followed", req.URL.Scheme, req.URL.Host)
			case req.Method != first.Method:
				return fmt.Errorf("redirect %d would turn the POST into a %s; use 307 or 308", req.Response.StatusCode, req.Method)
			}
			return nil
		},
	}
}

// ErrPrivateAddress is the error of a connection refused by a client made
// with NewClient(timeout, true).
var ErrPrivateAddress = errors.New("webhook: refusing to connect to a private or local address")

// refusePrivate is a net.Dialer Control refusing non-public addresses.
func refusePrivate(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return err
	}
	ip = ip.Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return fmt.Errorf("%w: %s", ErrPrivateAddress, ip)
	}
	return nil
}

// deliver sends body, signed, to webhook h and returns the attempt's record.
func (w *Worker) deliver(ctx context.Context, h store.Webhook, m store.OutboxMessage, body []byte) store.Delivery {
	now := w.now()
	d := store.Delivery{WorkspaceID: m.WorkspaceID, MessageID: m.ID, WebhookID: h.ID, Attempt: m.Attempts, At: now}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		d.Error = err.Error()
		return d
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "cxlens-webhook/1")
	req.Header.Set(HeaderID, m.UID)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, Sign(h.Secret, ts, body))
	start := time.Now()
	resp, err := w.client.Do(req)
	if err != nil {
		d.Duration = time.Since(start)
		d.Error = err.Error()
		return d
	}
	head, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBody))
	resp.Body.Close()
	d.Duration = time.Since(start)
	d.StatusCode = resp.StatusCode
	switch {
	case !d.OK():
		d.Error = fmt.Sprintf("HTTP %d", resp.StatusCode)
		if s := snippet(head); s != "" {
			d.Error += ": " + s
		}
	case err != nil:
		// Accepted (2xx) and counted as delivered; note the broken answer.
		d.Error = "reading the answer: " + err.Error()
	}
	return d
}

// snippet returns the start of a response body as one line of valid
// UTF-8, for the delivery log.
func snippet(b []byte) string {
	const n = 200
	if len(b) > n {
		b = b[:n]
	}
	return strings.Join(strings.Fields(strings.ToValidUTF8(string(b), "")), " ")
}
