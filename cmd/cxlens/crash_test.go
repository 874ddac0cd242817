package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/store/storetest"
)

// asMain, set in a child's environment, makes the test binary run main
// instead of the tests, so a test can start cxlens as a process of its own
// and kill it.
const asMain = "CXLENS_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMain) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// process is cxlens running as a child process.
type process struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed once the process has exited
}

// kill sends SIGKILL and waits for the process to exit.
func (p process) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-p.exited
}

// startProcess starts "cxlens serve" on addr as a child process with e's
// environment and waits until it is healthy. Its log goes to log.
func (e env) startProcess(t *testing.T, addr string, log io.Writer, args ...string) process {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "--addr", addr}, args...)...)
	cmd.Env = append(os.Environ(), asMain+"=1")
	for k, v := range e.vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := process{cmd: cmd, exited: make(chan struct{})}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-p.exited
	})
	waitHealthy(t, "http://"+addr, done)
	return p
}

// hookLog is a webhook receiver. While hang is set, it records each
// request and then holds it open until the client goes away; otherwise it
// records the request and answers 200.
type hookLog struct {
	mu        sync.Mutex
	hang      bool
	held      int            // requests held open
	delivered map[string]int // Cxlens-Id → deliveries answered 200
	responses map[int64]bool // response ids in the bodies answered 200
}

func (h *hookLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	if h.hang {
		h.held++
		h.mu.Unlock()
		<-r.Context().Done()
		return
	}
	var env struct{ Data struct{ ID int64 } }
	json.Unmarshal(body, &env)
	h.delivered[r.Header.Get("Cxlens-Id")]++
	h.responses[env.Data.ID] = true
	h.mu.Unlock()
}

func (h *hookLog) counts() (held, delivered int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.held, len(h.delivered)
}

// TestOutboxSurvivesSIGKILL is the process-level fault test: the
// cxlens process is killed with SIGKILL while webhook messages are pending
// (16 claimed and in flight to a receiver that hangs, more waiting
// unclaimed), then started again; every message is delivered. Messages
// claimed by the dead process come back when their lease (--outbox-lease
// 2s here) runs out.
func TestOutboxSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills cxlens processes")
	}
	t.Parallel()
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, d)
			ws := e.setup(t)
			key := strings.TrimSpace(e.must(t, "apikey", "create", "--workspace", ws).stdout)
			hooks := &hookLog{hang: true, delivered: map[string]int{}, responses: map[int64]bool{}}
			receiver := httptest.NewServer(hooks)
			defer receiver.Close()

			var log bytes.Buffer
			defer func() {
				if t.Failed() {
					t.Logf("cxlens log:\n%s", log.String())
				}
			}()
			addr := freeAddr(t)
			base := "http://" + addr
			first := e.startProcess(t, addr, &log, "--outbox-lease", "2s", "--no-mail")
			call(t, "POST", base+"/api/v1/webhooks", key, `{"url":"`+receiver.URL+`","events":["response.created"]}`, http.StatusCreated, nil)

			var ids []int64
			post := func(from, n int) {
				var rows []string
				for i := range n {
					rows = append(rows, fmt.Sprintf(`{"survey":"nps","customer":"c%d","score":%d,"submitted_at":"2026-01-05T10:00:00Z"}`, from+i, (from+i)%11))
				}
				var created struct{ Items []struct{ ID int64 } }
				call(t, "POST", base+"/api/v1/responses", key, "["+strings.Join(rows, ",")+"]", http.StatusCreated, &created)
				for _, it := range created.Items {
					ids = append(ids, it.ID)
				}
			}
			post(0, 30)
			waitFor(t, 15*time.Second, "16 deliveries held open", func() bool { held, _ := hooks.counts(); return held >= 16 })
			post(30, 20) // written while the worker is stuck: pending, not claimed

			first.kill(t)
			hooks.mu.Lock()
			hooks.hang = false
			hooks.mu.Unlock()

			e.startProcess(t, addr, &log, "--outbox-lease", "2s", "--no-mail")
			waitFor(t, 30*time.Second, "every message delivered", func() bool { _, n := hooks.counts(); return n >= len(ids) })
			hooks.mu.Lock()
			defer hooks.mu.Unlock()
			if len(hooks.delivered) != 50 || len(ids) != 50 {
				t.Errorf("%d distinct messages delivered for %d responses, want 50", len(hooks.delivered), len(ids))
			}
			for _, id := range ids {
				if !hooks.responses[id] {
					t.Errorf("response %d: no webhook delivered", id)
				}
			}
		})
	}
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
