package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/mail/mailtest"
)

func TestInviteAndSuppressCommands(t *testing.T) {
	t.Parallel()
	for _, d := range dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, d)
			ws := e.setup(t)
			e.must(t, "suppress", "add", "--workspace", ws, "Gone@example.com", "--reason", "bounce")
			if list := e.must(t, "suppress", "list", "--workspace", ws).stdout; !strings.Contains(list, "gone@example.com") || !strings.Contains(list, "bounce") {
				t.Errorf("suppress list:\n%s", list)
			}
			r := e.must(t, "invite", "send", "--workspace", ws, "--survey", "nps", "--customer", "c1", "--email", "ana@example.com",
				"--language", "ro", "--attr", "agent=mihai", "--touchpoint", "support", "--idempotency-key", "k1", "--json")
			var in struct {
				ID         int64             `json:"id"`
				Status     string            `json:"status"`
				Language   string            `json:"language"`
				Attributes map[string]string `json:"attributes"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &in); err != nil || in.Status != "scheduled" || in.Language != "ro" || in.Attributes["agent"] != "mihai" {
				t.Errorf("invite send: %s (%v)", r.stdout, err)
			}
			again := e.must(t, "invite", "send", "--workspace", ws, "--survey", "nps", "--customer", "c1", "--email", "ana@example.com", "--idempotency-key", "k1", "--json")
			if !strings.Contains(again.stdout, `"id": `) || !strings.Contains(again.stdout, `"language": "ro"`) {
				t.Errorf("repeated invite send made a new invitation: %s", again.stdout)
			}
			sup := e.must(t, "invite", "send", "--workspace", ws, "--survey", "nps", "--customer", "c2", "--email", "gone@example.com").stdout
			if !strings.Contains(sup, "suppressed (suppressed)") {
				t.Errorf("invite to a suppressed address: %q", sup)
			}
			list := e.must(t, "invite", "list", "--workspace", ws).stdout
			if strings.Count(list, "ana@example.com") != 1 || !strings.Contains(list, "gone@example.com") {
				t.Errorf("invite list:\n%s", list)
			}
			if n := strings.Count(e.must(t, "invite", "list", "--workspace", ws, "--status", "suppressed").stdout, "\n"); n != 2 {
				t.Errorf("invite list --status suppressed: %d lines, want header + 1", n)
			}
			rr := e.must(t, "report", "--workspace", ws, "--metric", "response_rate", "--format", "json").stdout
			if !strings.Contains(rr, `"value": null`) || !strings.Contains(rr, "no invitations sent") {
				t.Errorf("response_rate before sending: %s", rr)
			}
			e.must(t, "suppress", "remove", "--workspace", ws, "gone@example.com")
			for _, bad := range [][]string{
				{"invite", "send", "--workspace", ws, "--customer", "c1"},
				{"invite", "send", "--workspace", ws, "--survey", "nps", "--customer", "c1", "--attr", "novalue"},
				{"invite", "send", "--workspace", ws, "--survey", "nps", "--customer", "c1", "--send-at", "tomorrow"},
				{"invite", "send", "--workspace", ws, "--survey", "nps", "--customer", "c1", "--email", "not-an-address"},
				{"invite", "list", "--workspace", ws, "--status", "lost"},
				{"suppress", "add", "--workspace", ws},
				{"suppress", "add", "--workspace", ws, "x"},
				{"suppress", "remove", "--workspace", ws, "gone@example.com"},
				{"report", "--workspace", ws, "--metric", "response_rate", "--group-by", "agent"},
			} {
				r := e.cxlens(t, bad...)
				want := 2
				if bad[1] == "remove" {
					want = 1 // not found
				}
				if r.code != want {
					t.Errorf("cxlens %s: code %d (%v), want %d", strings.Join(bad, " "), r.code, r.err, want)
				}
			}
		})
	}
}

// TestServeSendsInvitations runs serve with the SMTP flags against a test
// SMTP server: an invitation created through the API arrives as mail whose
// score link, followed, stores the response.
func TestServeSendsInvitations(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "sqlite")
	ws := e.setup(t)
	key := strings.TrimSpace(e.must(t, "apikey", "create", "--workspace", ws).stdout)
	addr := freeAddr(t)
	base := "http://" + addr
	smtpd := mailtest.Start(t, mailtest.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &syncWriter{w: &bytes.Buffer{}}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"cxlens", "serve", "--addr", addr, "--smtp-host", smtpd.Host(), "--smtp-port", strconv.Itoa(smtpd.Port()),
			"--smtp-tls", "none", "--mail-from", "cx@acme.example", "--base-url", base, "--dispatch-every", "100ms"},
			func(k string) string { return e.vars[k] }, strings.NewReader(""), io.Discard, stderr)
	}()
	waitHealthy(t, base, done)
	call(t, "POST", base+"/api/v1/surveys/nps/invitations", key, `{"customer": "c1", "email": "ana@example.com"}`, http.StatusCreated, nil)
	msgs, err := smtpd.Wait(1, 15*time.Second)
	if err != nil {
		t.Fatalf("%v\nlog:\n%s", err, stderr.String())
	}
	text, err := msgs[0].Part("text/plain")
	if err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(regexp.QuoteMeta(base) + `/s/[A-Za-z0-9_.-]+\?score=10`).FindString(text)
	if link == "" {
		t.Fatalf("no score link in:\n%s", text)
	}
	res, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var list struct{ Items []struct{ Score int } }
	call(t, "GET", base+"/api/v1/responses", key, "", http.StatusOK, &list)
	if res.StatusCode != http.StatusOK || len(list.Items) != 1 || list.Items[0].Score != 10 {
		t.Errorf("after the click: status %d, responses %+v", res.StatusCode, list.Items)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestServeMailFlagErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "sqlite")
	for _, args := range [][]string{
		{"--smtp-host", "smtp.example.com", "--mail-from", "cx@example.com"},                                                 // no --base-url
		{"--smtp-host", "smtp.example.com", "--base-url", "https://cx.example.com"},                                          // no --mail-from
		{"--smtp-host", "smtp.example.com", "--mail-from", "cx@example.com", "--base-url", "ftp://x"},                        // bad base URL
		{"--smtp-host", "smtp.example.com", "--mail-from", "cx@example.com", "--base-url", "https://x", "--smtp-tls", "ssl"}, // bad TLS mode
		{"--smtp-host", "smtp.example.com", "--mail-from", "cx@example.com", "--base-url", "https://x", "--smtp-port", "x"},  // bad port
		{"--smtp-host", "smtp.example.com", "--mail-from", "cx@example.com", "--base-url", "https://x", "--smtp-tls", "none", "--smtp-user", "u", "--smtp-password", "p"},
		{"--dispatch-every", "0s"},
	} {
		r := e.cxlens(t, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
		if r.code != 2 {
			t.Errorf("serve %v: code %d (%v), want 2", args, r.code, r.err)
		}
	}
}
