package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// clock is a settable clock shared by the store, the worker and the receiver.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	if t.After(c.t) {
		c.t = t
	}
	c.mu.Unlock()
}

func (c *clock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

// env is a fresh database with a fake clock and a workspace.
type env struct {
	db  *store.DB
	clk *clock
	ws  int64
}

func newEnv(t *testing.T, dialect string) *env {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}
	db := storetest.New(t, dialect, store.Options{Now: clk.Now})
	e := &env{db: db, clk: clk}
	e.ws = e.workspace(t, "Acme")
	return e
}

func (e *env) workspace(t *testing.T, name string) int64 {
	t.Helper()
	w, err := e.db.CreateWorkspace(context.Background(), cx.Workspace{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return w.ID
}

func (e *env) hook(t *testing.T, ws int64, url string, events ...string) store.Webhook {
	t.Helper()
	if len(events) == 0 {
		events = []string{ResponseCreated}
	}
	h, err := e.db.CreateWebhook(context.Background(), ws, store.Webhook{URL: url, Events: events})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func (e *env) enqueue(t *testing.T, ws int64, topic, data string) store.OutboxMessage {
	t.Helper()
	out, err := e.db.Enqueue(context.Background(), ws, []store.Message{{Topic: topic, Payload: json.RawMessage(data)}})
	if err != nil {
		t.Fatal(err)
	}
	return out[0]
}

func (e *env) message(t *testing.T, m store.OutboxMessage) store.OutboxMessage {
	t.Helper()
	got, err := e.db.OutboxMessage(context.Background(), m.WorkspaceID, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func (e *env) deliveries(t *testing.T, ws int64, f store.DeliveryFilter) []store.Delivery {
	t.Helper()
	f.Limit = store.MaxLimit
	page, err := e.db.Deliveries(context.Background(), ws, f)
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

func (e *env) worker(id string, opts Options) *Worker {
	opts.ID = id
	opts.Now = e.clk.Now
	if opts.Rand == nil {
		opts.Rand = func() float64 { return 0.5 }
	}
	opts.Logger = slog.New(slog.DiscardHandler)
	return NewWorker(e.db, opts)
}

// received is one request as the receiver saw it.
type received struct {
	env       Envelope
	body      string
	sigErr    error
	at        time.Time // on the fake clock
	userAgent string
}

// receiver is a webhook endpoint that verifies signatures and answers
// with the statuses of its script (the last one repeats).
type receiver struct {
	t      *testing.T
	clk    *clock
	secret string
	srv    *httptest.Server

	mu     sync.Mutex
	script []int
	got    []received
}

func newReceiver(t *testing.T, clk *clock, script ...int) *receiver {
	r := &receiver{t: t, clk: clk, script: script}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	rec := received{body: string(body), at: r.clk.Now(), userAgent: req.UserAgent()}
	r.mu.Lock()
	secret := r.secret
	r.mu.Unlock()
	rec.sigErr = verifyAt(secret, req.Header.Get(HeaderTimestamp), body, req.Header.Get(HeaderSignature), 0, r.clk.Now())
	if err := json.Unmarshal(body, &rec.env); err != nil {
		rec.sigErr = errors.Join(rec.sigErr, err)
	}
	if req.Header.Get(HeaderID) != rec.env.ID {
		rec.sigErr = errors.Join(rec.sigErr, fmt.Errorf("%s %q, body id %q", HeaderID, req.Header.Get(HeaderID), rec.env.ID))
	}
	r.mu.Lock()
	status := r.script[min(len(r.got), len(r.script)-1)]
	r.got = append(r.got, rec)
	r.mu.Unlock()
	w.WriteHeader(status)
	fmt.Fprintf(w, "status %d", status)
}

func (r *receiver) setSecret(s string) {
	r.mu.Lock()
	r.secret = s
	r.mu.Unlock()
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// drive runs the worker, moving the clock to each retry, until m is
// delivered or dead or rounds run out.
func (e *env) drive(t *testing.T, w *Worker, m store.OutboxMessage, rounds int) store.OutboxMessage {
	t.Helper()
	for range rounds {
		if _, err := w.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		m = e.message(t, m)
		if m.DeliveredAt != nil || m.DeadAt != nil {
			return m
		}
		e.clk.Set(m.AvailableAt)
	}
	t.Fatalf("message neither delivered nor dead after %d rounds: %+v", rounds, m)
	return m
}

// TestDeliverAfterFailures: a receiver that fails twice then succeeds gets
// the message three times, always with the same id and body, each signed;
// it is delivered once and every attempt is logged.
func TestDeliverAfterFailures(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			e := newEnv(t, d)
			rcv := newReceiver(t, e.clk, 500, 500, 200)
			h := e.hook(t, e.ws, rcv.srv.URL+"/hook")
			rcv.setSecret(h.Secret)
			m := e.enqueue(t, e.ws, ResponseCreated, `{"response_id": 7, "score": 3}`)
			start := e.clk.Now()

			m = e.drive(t, e.worker("w1", Options{}), m, 10)
			if m.DeliveredAt == nil || m.Attempts != 3 {
				t.Fatalf("message = %+v, want delivered at attempt 3", m)
			}
			got := rcv.requests()
			if len(got) != 3 {
				t.Fatalf("receiver got %d requests, want 3", len(got))
			}
			// Rand is 0.5: retries wait half of 10 s, then half of 20 s.
			wantAt := []time.Time{start, start.Add(5 * time.Second), start.Add(15 * time.Second)}
			for i, r := range got {
				if r.sigErr != nil {
					t.Errorf("request %d: %v", i, r.sigErr)
				}
				if r.env.ID != m.UID || r.body != got[0].body {
					t.Errorf("request %d: id %q body %s; want id %q and the first body %s", i, r.env.ID, r.body, m.UID, got[0].body)
				}
				if !r.at.Equal(wantAt[i]) {
					t.Errorf("request %d at +%s, want +%s", i, r.at.Sub(start), wantAt[i].Sub(start))
				}
			}
			var data struct {
				ResponseID int `json:"response_id"`
				Score      int `json:"score"`
			}
			env := got[0].env
			if env.Type != ResponseCreated || env.WorkspaceID != e.ws || !env.CreatedAt.Equal(start) ||
				json.Unmarshal(env.Data, &data) != nil || data.ResponseID != 7 || data.Score != 3 {
				t.Errorf("envelope = %+v (data %s)", env, env.Data)
			}
			if !strings.Contains(got[0].body, `"created_at":"2026-11-01T12:00:00Z"`) || got[0].userAgent != "cxlens-webhook/1" {
				t.Errorf("body %s, user agent %q", got[0].body, got[0].userAgent)
			}

			log := e.deliveries(t, e.ws, store.DeliveryFilter{MessageID: m.ID})
			if len(log) != 3 {
				t.Fatalf("delivery log has %d entries, want 3: %+v", len(log), log)
			}
			for i, dl := range log {
				want := []int{500, 500, 200}[i]
				if dl.Attempt != i+1 || dl.StatusCode != want || dl.WebhookID != h.ID || !dl.At.Equal(wantAt[i]) ||
					(want == 500) != strings.HasPrefix(dl.Error, "HTTP 500: status 500") {
					t.Errorf("log entry %d = %+v", i, dl)
				}
			}
			if n, err := e.worker("w1", Options{}).RunOnce(context.Background()); n != 0 || err != nil {
				t.Errorf("RunOnce after delivery claimed %d, %v", n, err)
			}
		})
	}
}

// TestDeadLetterAndReplay: a receiver that always fails is retried for 24 h
// and then the message is dead-lettered; once replayed, it is delivered.
// A second subscriber that accepted it on the first attempt is not sent it
// again by the retries or the replay.
func TestDeadLetterAndReplay(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			e := newEnv(t, d)
			bad := newReceiver(t, e.clk, 503)
			good := newReceiver(t, e.clk, 200)
			hb := e.hook(t, e.ws, bad.srv.URL)
			hg := e.hook(t, e.ws, good.srv.URL, "*")
			bad.setSecret(hb.Secret)
			good.setSecret(hg.Secret)
			m := e.enqueue(t, e.ws, ResponseCreated, `{"score": 1}`)
			rng := rand.New(rand.NewPCG(42, 1))
			w := e.worker("w1", Options{Rand: rng.Float64})

			m = e.drive(t, w, m, 200)
			if m.DeadAt == nil {
				t.Fatalf("message = %+v, want dead", m)
			}
			got := bad.requests()
			last := got[len(got)-1].at
			if lived := m.DeadAt.Sub(m.CreatedAt); lived > DefaultBackoff.MaxAge || last.Sub(m.CreatedAt) < DefaultBackoff.MaxAge-DefaultBackoff.Cap {
				t.Errorf("dead after %s, last attempt at +%s; want retries until about 24 h", lived, last.Sub(m.CreatedAt))
			}
			t.Logf("dead after %d attempts over %s", len(got), last.Sub(m.CreatedAt))
			if len(got) != m.Attempts || len(got) < 30 || !strings.Contains(m.LastError, "HTTP 503") {
				t.Errorf("%d requests, %d attempts, last error %q", len(got), m.Attempts, m.LastError)
			}
			for i := 1; i < len(got); i++ {
				if wait := got[i].at.Sub(got[i-1].at); wait >= DefaultBackoff.Ceiling(i) {
					t.Errorf("wait before attempt %d = %s, ceiling %s", i+1, wait, DefaultBackoff.Ceiling(i))
				}
			}
			if n := len(e.deliveries(t, e.ws, store.DeliveryFilter{WebhookID: hb.ID})); n != len(got) {
				t.Errorf("%d log entries for %d attempts", n, len(got))
			}
			if n := len(good.requests()); n != 1 {
				t.Errorf("the healthy subscriber got %d requests, want 1", n)
			}
			dead, err := e.db.DeadLetters(context.Background(), e.ws, "", 0)
			if err != nil || len(dead.Items) != 1 || dead.Items[0].ID != m.ID {
				t.Fatalf("dead letters = %+v, %v", dead, err)
			}

			// The endpoint is fixed; an operator replays the message.
			bad.mu.Lock()
			bad.script = append(make([]int, len(bad.got)), 200)
			bad.mu.Unlock()
			e.clk.Advance(48 * time.Hour)
			if err := e.db.Replay(context.Background(), e.ws, m.ID); err != nil {
				t.Fatal(err)
			}
			m = e.drive(t, w, m, 1)
			got = bad.requests()
			if m.DeliveredAt == nil || m.Attempts != 1 || got[len(got)-1].env.ID != m.UID || got[len(got)-1].sigErr != nil {
				t.Errorf("after replay: %+v, last request %+v", m, got[len(got)-1])
			}
			if n := len(good.requests()); n != 1 {
				t.Errorf("the healthy subscriber got %d requests after replay, want 1", n)
			}
		})
	}
}

// crashingStore loses everything a worker does after sending: the process
// dies between the receiver's 2xx and recording it.
type crashingStore struct{ *store.DB }

func (crashingStore) LogDelivery(context.Context, store.Delivery) (store.Delivery, error) {
	return store.Delivery{}, errors.New("crashed")
}

func (crashingStore) MarkDelivered(context.Context, store.OutboxMessage) error {
	return errors.New("crashed")
}

// TestCrashRecovery: a message claimed by a worker that never finishes is
// reclaimed by another once the lease runs out, and delivered; the
// receiver sees the same id twice when the first worker had sent it.
func TestCrashRecovery(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, d)
			rcv := newReceiver(t, e.clk, 200)
			rcv.setSecret(e.hook(t, e.ws, rcv.srv.URL).Secret)
			lease := 2 * time.Minute

			// Claimed, then the worker died before sending anything.
			m1 := e.enqueue(t, e.ws, ResponseCreated, `{"n": 1}`)
			if got, err := e.db.ClaimOutbox(ctx, "died", 10, lease); err != nil || len(got) != 1 {
				t.Fatalf("claim = %v, %v", got, err)
			}
			// Sent, then the worker died before recording it.
			m2 := e.enqueue(t, e.ws, ResponseCreated, `{"n": 2}`)
			crashed := NewWorker(crashingStore{e.db}, Options{ID: "crashed", Now: e.clk.Now, Lease: lease, Logger: slog.New(slog.DiscardHandler)})
			if n, err := crashed.RunOnce(ctx); n != 1 || err != nil {
				t.Fatalf("crashing worker claimed %d, %v", n, err)
			}

			w := e.worker("survivor", Options{Lease: lease})
			if n, _ := w.RunOnce(ctx); n != 0 {
				t.Fatalf("claimed %d messages still leased to dead workers", n)
			}
			e.clk.Advance(lease)
			if n, err := w.RunOnce(ctx); n != 2 || err != nil {
				t.Fatalf("after the lease: claimed %d, %v; want 2", n, err)
			}
			for _, m := range []store.OutboxMessage{m1, m2} {
				if got := e.message(t, m); got.DeliveredAt == nil || got.Attempts != 2 || got.ClaimedBy != "" {
					t.Errorf("message %d = %+v, want delivered at attempt 2", m.ID, got)
				}
			}
			ids := map[string]int{}
			for _, r := range rcv.requests() {
				if r.sigErr != nil {
					t.Error(r.sigErr)
				}
				ids[r.env.ID]++
			}
			if len(ids) != 2 || ids[m1.UID] != 1 || ids[m2.UID] != 2 {
				t.Errorf("receiver saw ids %v; want %s once and %s twice (a duplicate to drop)", ids, m1.UID, m2.UID)
			}
		})
	}
}

// TestWebhookWorkspaceIsolation: a webhook receives only its own workspace's
// messages, even subscribed to every type.
func TestWebhookWorkspaceIsolation(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			e := newEnv(t, d)
			a, b := e.ws, e.workspace(t, "B")
			ra, rb := newReceiver(t, e.clk, 200), newReceiver(t, e.clk, 200)
			ra.setSecret(e.hook(t, a, ra.srv.URL, "*").Secret)
			rb.setSecret(e.hook(t, b, rb.srv.URL, ResponseCreated).Secret)
			var want = map[int64]map[string]bool{a: {}, b: {}}
			for i := range 3 {
				for _, ws := range []int64{a, b} {
					m := e.enqueue(t, ws, ResponseCreated, fmt.Sprintf(`{"i": %d}`, i))
					want[ws][m.UID] = true
				}
			}
			e.enqueue(t, b, AlertFired, `{}`) // B's webhook does not subscribe to alerts
			if n, err := e.worker("w", Options{}).RunOnce(context.Background()); n != 7 || err != nil {
				t.Fatalf("RunOnce = %d, %v", n, err)
			}
			for _, c := range []struct {
				ws  int64
				rcv *receiver
			}{{a, ra}, {b, rb}} {
				got := c.rcv.requests()
				if len(got) != 3 {
					t.Errorf("workspace %d's receiver got %d requests, want 3", c.ws, len(got))
				}
				for _, r := range got {
					if r.sigErr != nil || r.env.WorkspaceID != c.ws || !want[c.ws][r.env.ID] || r.env.Type != ResponseCreated {
						t.Errorf("workspace %d's receiver got %+v (%v)", c.ws, r.env, r.sigErr)
					}
				}
			}
		})
	}
}

// TestDeliveryFailureModes checks single attempts against misbehaving
// endpoints: what counts as delivered, and what the log says.
func TestDeliveryFailureModes(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the other host got a %s", r.Method)
	}))
	defer other.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.WriteHeader(http.StatusMethodNotAllowed)
		}
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		for range 1 << 10 { // 8 MiB, far over MaxResponseBody
			w.Write([]byte(strings.Repeat("x", 8<<10)))
		}
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // a request's context ends on disconnect only once its body is read
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/x", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/ok", http.StatusPermanentRedirect)
	})
	mux.HandleFunc("/see-other", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/ok", http.StatusSeeOther)
	})
	mux.HandleFunc("/accepted", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) })
	srv := httptest.NewServer(mux)
	defer srv.Close()

	tests := []struct {
		name   string
		url    string
		status int
		ok     bool
		err    string // substring of the logged error
	}{
		{"200", srv.URL + "/ok", 200, true, ""},
		{"202", srv.URL + "/accepted", 202, true, ""},
		{"404", srv.URL + "/nothing", 404, false, "HTTP 404: 404 page not found"},
		{"huge error body is capped", srv.URL + "/huge", 500, false, "HTTP 500: xxxx"},
		{"timeout", srv.URL + "/slow", 0, false, "Timeout"},
		{"connection refused", closed.URL, 0, false, "connection refused"},
		{"redirect to another host", srv.URL + "/away", 0, false, "redirect to another host"},
		{"308 on the same host keeps the POST", srv.URL + "/moved", 200, true, ""},
		{"303 would turn the POST into a GET", srv.URL + "/see-other", 0, false, "use 307 or 308"},
		{"loopback refused when blocking private addresses", srv.URL + "/ok#block", 0, false, "refusing to connect to a private or local address: 127.0.0.1"},
	}
	e := newEnv(t, store.SQLite)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := e.hook(t, e.ws, tt.url)
			defer e.db.DeleteWebhook(context.Background(), e.ws, h.ID)
			m := e.enqueue(t, e.ws, ResponseCreated, `{}`)
			w := e.worker("w", Options{Timeout: 200 * time.Millisecond, BlockPrivate: strings.HasSuffix(tt.url, "#block")})
			start := time.Now()
			if _, err := w.RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("attempt took %s", took)
			}
			log := e.deliveries(t, e.ws, store.DeliveryFilter{MessageID: m.ID})
			if len(log) != 1 {
				t.Fatalf("log = %+v, want one attempt", log)
			}
			d := log[0]
			if d.StatusCode != tt.status || d.OK() != tt.ok || !strings.Contains(d.Error, tt.err) || len(d.Error) > 400 || (tt.err == "") != (d.Error == "") {
				t.Errorf("logged %+v; want status %d, ok %v, error containing %q", d, tt.status, tt.ok, tt.err)
			}
			if got := e.message(t, m); (got.DeliveredAt != nil) != tt.ok {
				t.Errorf("message = %+v, delivered should be %v", got, tt.ok)
			}
		})
	}
}

// TestRunStops: cancelling Run's context stops it promptly, mid-request,
// and releases the message for the next worker without logging an attempt.
func TestRunStops(t *testing.T) {
	e := newEnv(t, store.SQLite)
	arrived := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // a request's context ends on disconnect only once its body is read
		select {
		case arrived <- struct{}{}:
		default:
		}
		<-r.Context().Done()
	}))
	defer srv.Close()
	e.hook(t, e.ws, srv.URL)
	m := e.enqueue(t, e.ws, ResponseCreated, `{}`)
	w := e.worker("w", Options{PollInterval: 10 * time.Millisecond})

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	select {
	case <-arrived:
	case <-time.After(5 * time.Second):
		t.Fatal("no request arrived")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
	got := e.message(t, m)
	if got.DeliveredAt != nil || got.ClaimedBy != "" || got.AvailableAt.After(e.clk.Now()) || got.LastError != "worker stopped" {
		t.Errorf("message after stop = %+v, want released and due", got)
	}
	if log := e.deliveries(t, e.ws, store.DeliveryFilter{}); len(log) != 0 {
		t.Errorf("logged %+v for a cut-short attempt", log)
	}
}

// TestRunNotify: an idle worker wakes up on Notify, not only on its poll.
func TestRunNotify(t *testing.T) {
	e := newEnv(t, store.SQLite)
	rcv := newReceiver(t, e.clk, 200)
	rcv.setSecret(e.hook(t, e.ws, rcv.srv.URL).Secret)
	w := e.worker("w", Options{PollInterval: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	time.Sleep(50 * time.Millisecond) // let it find the outbox empty and wait
	e.enqueue(t, e.ws, ResponseCreated, `{}`)
	w.Notify()
	deadline := time.Now().Add(5 * time.Second)
	for len(rcv.requests()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if len(rcv.requests()) != 1 {
		t.Errorf("receiver got %d requests after Notify, want 1", len(rcv.requests()))
	}
	cancel()
	<-done
}

// TestTwoInstancesDeliverOnce: two cxlens instances (two database handles,
// one worker each) draining one outbox deliver every message exactly once.
func TestTwoInstancesDeliverOnce(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, d)
			open := func() *store.DB {
				db, err := store.Open(ctx, dsn, store.Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				return db
			}
			db1 := open()
			if _, err := db1.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			db2 := open()
			ws, err := db1.CreateWorkspace(ctx, cx.Workspace{Name: "Acme"})
			if err != nil {
				t.Fatal(err)
			}
			clk := &clock{t: time.Now()}
			rcv := newReceiver(t, clk, 200)
			h, err := db1.CreateWebhook(ctx, ws.ID, store.Webhook{URL: rcv.srv.URL, Events: []string{"*"}})
			if err != nil {
				t.Fatal(err)
			}
			rcv.setSecret(h.Secret)
			const n = 300
			msgs := make([]store.Message, n)
			for i := range msgs {
				msgs[i] = store.Message{Topic: ResponseCreated, Payload: json.RawMessage(fmt.Sprintf(`{"i": %d}`, i))}
			}
			if _, err := db1.Enqueue(ctx, ws.ID, msgs); err != nil {
				t.Fatal(err)
			}
			runCtx, cancel := context.WithCancel(ctx)
			var wg sync.WaitGroup
			for i, db := range []*store.DB{db1, db2} {
				w := NewWorker(db, Options{ID: fmt.Sprint("instance-", i), Batch: 10, Concurrency: 4, PollInterval: 5 * time.Millisecond,
					Logger: slog.New(slog.DiscardHandler)})
				wg.Go(func() { w.Run(runCtx) })
			}
			deadline := time.Now().Add(10 * time.Second)
			for len(rcv.requests()) < n && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(50 * time.Millisecond) // room for a duplicate to show up
			cancel()
			wg.Wait()
			seen := map[string]int{}
			for _, r := range rcv.requests() {
				if r.sigErr != nil {
					t.Fatal(r.sigErr)
				}
				seen[r.env.ID]++
			}
			if len(seen) != n {
				t.Errorf("%d distinct messages delivered, want %d", len(seen), n)
			}
			for id, c := range seen {
				if c != 1 {
					t.Errorf("message %s delivered %d times", id, c)
				}
			}
			if log := countDeliveries(t, db1, ws.ID); log != n {
				t.Errorf("%d attempts logged, want %d", log, n)
			}
		})
	}
}

func countDeliveries(t *testing.T, db *store.DB, ws int64) int {
	t.Helper()
	total := 0
	f := store.DeliveryFilter{Limit: store.MaxLimit}
	for {
		page, err := db.Deliveries(context.Background(), ws, f)
		if err != nil {
			t.Fatal(err)
		}
		total += len(page.Items)
		if page.NextCursor == "" {
			return total
		}
		f.Cursor = page.NextCursor
	}
}
