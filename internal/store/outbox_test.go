package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// outboxClock is a settable clock shared by the store and the test.
type outboxClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *outboxClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *outboxClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// eachWithClock runs fn on fresh SQLite and PostgreSQL databases whose
// clock the test controls.
func eachWithClock(t *testing.T, fn func(t *testing.T, db *store.DB, clk *outboxClock)) {
	t.Helper()
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			clk := &outboxClock{t: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}
			fn(t, storetest.New(t, d, store.Options{Now: clk.Now}), clk)
		})
	}
}

func outboxWorkspace(t *testing.T, db *store.DB, name string) int64 {
	t.Helper()
	w, err := db.CreateWorkspace(context.Background(), cx.Workspace{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return w.ID
}

func enqueueN(t *testing.T, db *store.DB, ws int64, n int) []store.OutboxMessage {
	t.Helper()
	msgs := make([]store.Message, n)
	for i := range msgs {
		msgs[i] = store.Message{Topic: "response.created", Payload: json.RawMessage(fmt.Sprintf(`{"n": %d}`, i))}
	}
	out, err := db.Enqueue(context.Background(), ws, msgs)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOutboxLifecycle(t *testing.T) {
	eachWithClock(t, func(t *testing.T, db *store.DB, clk *outboxClock) {
		ctx := context.Background()
		ws := outboxWorkspace(t, db, "Acme")
		sent := enqueueN(t, db, ws, 3)
		if sent[0].UID == sent[1].UID || len(sent[0].UID) < 20 {
			t.Fatalf("uids %q, %q: want unique random ids", sent[0].UID, sent[1].UID)
		}

		got, err := db.ClaimOutbox(ctx, "w1", 2, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Attempts != 1 || got[0].ClaimedBy != "w1" || got[0].ClaimedUntil == nil ||
			!got[0].ClaimedUntil.Equal(clk.Now().Add(time.Minute)) {
			t.Fatalf("first claim = %+v", got)
		}
		var payload struct{ N int }
		if err := json.Unmarshal(got[0].Payload, &payload); err != nil || got[0].Topic != "response.created" {
			t.Fatalf("payload %s, topic %q: %v", got[0].Payload, got[0].Topic, err)
		}
		rest, err := db.ClaimOutbox(ctx, "w2", 10, time.Minute)
		if err != nil || len(rest) != 1 {
			t.Fatalf("second claim = %+v, %v; want the one unclaimed message", rest, err)
		}

		// Delivered: gone for good. Failed: due again at the time given.
		if err := db.MarkDelivered(ctx, got[0]); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkFailed(ctx, got[1], clk.Now().Add(30*time.Second), errors.New("HTTP 500")); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkDead(ctx, rest[0], errors.New("gave up")); err != nil {
			t.Fatal(err)
		}
		if again, _ := db.ClaimOutbox(ctx, "w1", 10, time.Minute); len(again) != 0 {
			t.Fatalf("claimed %+v before its retry time", again)
		}
		clk.Advance(30 * time.Second)
		again, err := db.ClaimOutbox(ctx, "w1", 10, time.Minute)
		if err != nil || len(again) != 1 || again[0].ID != got[1].ID || again[0].Attempts != 2 || again[0].LastError != "HTTP 500" {
			t.Fatalf("retry claim = %+v, %v", again, err)
		}

		// Finishing a message twice, or with a stale claim, is refused.
		if err := db.MarkDelivered(ctx, got[0]); !errors.Is(err, store.ErrLeaseLost) {
			t.Errorf("second MarkDelivered: %v, want ErrLeaseLost", err)
		}
		if err := db.MarkDelivered(ctx, got[1]); !errors.Is(err, store.ErrLeaseLost) {
			t.Errorf("MarkDelivered with attempt 1's claim during attempt 2: %v, want ErrLeaseLost", err)
		}
		if err := db.MarkDelivered(ctx, again[0]); err != nil {
			t.Fatal(err)
		}
		m, err := db.OutboxMessage(ctx, ws, got[0].ID)
		if err != nil || m.DeliveredAt == nil || m.ClaimedBy != "" || m.ClaimedUntil != nil {
			t.Errorf("delivered message = %+v, %v", m, err)
		}

		// Dead letters, and replay.
		dead, err := db.DeadLetters(ctx, ws, "", 0)
		if err != nil || len(dead.Items) != 1 || dead.Items[0].ID != rest[0].ID || dead.Items[0].LastError != "gave up" {
			t.Fatalf("dead letters = %+v, %v", dead, err)
		}
		if err := db.Replay(ctx, ws, got[0].ID); !errors.Is(err, cx.ErrConflict) {
			t.Errorf("replaying a delivered message: %v, want ErrConflict", err)
		}
		if err := db.Replay(ctx, ws, 9999); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("replaying a missing message: %v, want ErrNotFound", err)
		}
		clk.Advance(time.Hour)
		if err := db.Replay(ctx, ws, rest[0].ID); err != nil {
			t.Fatal(err)
		}
		replayed, err := db.ClaimOutbox(ctx, "w1", 10, time.Minute)
		if err != nil || len(replayed) != 1 || replayed[0].ID != rest[0].ID || replayed[0].Attempts != 1 ||
			!replayed[0].RetryFrom().Equal(clk.Now()) || replayed[0].DeadAt != nil {
			t.Fatalf("claim after replay = %+v, %v", replayed, err)
		}
		if dead, _ := db.DeadLetters(ctx, ws, "", 0); len(dead.Items) != 0 {
			t.Errorf("dead letters after replay = %+v", dead.Items)
		}

		// Purging drops delivered messages only, and only old enough ones.
		if err := db.MarkDelivered(ctx, replayed[0]); err != nil {
			t.Fatal(err)
		}
		n, err := db.PurgeOutbox(ctx, clk.Now())
		if err != nil || n != 2 {
			t.Fatalf("PurgeOutbox = %d, %v; want the 2 delivered before now", n, err)
		}
		if _, err := db.OutboxMessage(ctx, ws, got[0].ID); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("purged message still there: %v", err)
		}
		if _, err := db.OutboxMessage(ctx, ws, rest[0].ID); err != nil {
			t.Errorf("message delivered just now was purged: %v", err)
		}
		if _, err := db.Enqueue(ctx, 9999, []store.Message{{Topic: "alert.fired"}}); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("Enqueue to a missing workspace: %v", err)
		}
	})
}

// TestOutboxLeaseExpiry: a worker that claims and dies leaves the message
// due again once its lease runs out; the dead worker cannot finish it.
func TestOutboxLeaseExpiry(t *testing.T) {
	eachWithClock(t, func(t *testing.T, db *store.DB, clk *outboxClock) {
		ctx := context.Background()
		ws := outboxWorkspace(t, db, "Acme")
		enqueueN(t, db, ws, 1)
		crashed, err := db.ClaimOutbox(ctx, "crashed", 10, time.Minute)
		if err != nil || len(crashed) != 1 {
			t.Fatalf("claim = %+v, %v", crashed, err)
		}
		clk.Advance(59 * time.Second)
		if got, _ := db.ClaimOutbox(ctx, "other", 10, time.Minute); len(got) != 0 {
			t.Fatalf("claimed %+v inside another worker's lease", got)
		}
		clk.Advance(time.Second)
		got, err := db.ClaimOutbox(ctx, "other", 10, time.Minute)
		if err != nil || len(got) != 1 || got[0].Attempts != 2 || got[0].ClaimedBy != "other" {
			t.Fatalf("claim after the lease = %+v, %v", got, err)
		}
		if err := db.MarkDelivered(ctx, crashed[0]); !errors.Is(err, store.ErrLeaseLost) {
			t.Errorf("the crashed worker finished the message: %v", err)
		}
		if err := db.MarkDelivered(ctx, got[0]); err != nil {
			t.Fatal(err)
		}
	})
}

func TestEnqueueValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := outboxWorkspace(t, db, "Acme")
		tests := []struct {
			name string
			msg  store.Message
			ok   bool
		}{
			{"valid", store.Message{Topic: "case.updated", Payload: json.RawMessage(`{"id": 1}`)}, true},
			{"empty payload is {}", store.Message{Topic: "alert.fired"}, true},
			{"no topic", store.Message{Payload: json.RawMessage(`{}`)}, false},
			{"bad topic", store.Message{Topic: "Response Created"}, false},
			{"bad payload", store.Message{Topic: "response.created", Payload: json.RawMessage(`{"a":`)}, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				out, err := db.Enqueue(ctx, ws, []store.Message{tt.msg})
				if tt.ok && (err != nil || len(out) != 1 || !json.Valid(out[0].Payload)) {
					t.Fatalf("Enqueue = %+v, %v", out, err)
				}
				if !tt.ok && !errors.Is(err, cx.ErrInvalid) {
					t.Fatalf("Enqueue error = %v, want ErrInvalid", err)
				}
			})
		}
	})
}

// TestOutboxTenancy: another workspace can neither read, list nor replay
// a workspace's messages.
func TestOutboxTenancy(t *testing.T) {
	eachWithClock(t, func(t *testing.T, db *store.DB, clk *outboxClock) {
		ctx := context.Background()
		a, b := outboxWorkspace(t, db, "A"), outboxWorkspace(t, db, "B")
		ma := enqueueN(t, db, a, 1)[0]
		got, err := db.ClaimOutbox(ctx, "w", 10, time.Minute)
		if err != nil || len(got) != 1 {
			t.Fatal(got, err)
		}
		if err := db.MarkDead(ctx, got[0], errors.New("x")); err != nil {
			t.Fatal(err)
		}
		if dead, _ := db.DeadLetters(ctx, b, "", 0); len(dead.Items) != 0 {
			t.Errorf("B lists A's dead letters: %+v", dead.Items)
		}
		if err := db.Replay(ctx, b, ma.ID); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("B replays A's message: %v", err)
		}
		if _, err := db.OutboxMessage(ctx, b, ma.ID); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("B reads A's message: %v", err)
		}
	})
}

// TestClaimOutboxConcurrent: 4 workers claiming from 500 messages at once
// claim every message exactly once. On PostgreSQL this exercises FOR UPDATE
// SKIP LOCKED across connections.
func TestClaimOutboxConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := outboxWorkspace(t, db, "Acme")
		var msgs []store.OutboxMessage
		for range 5 {
			msgs = append(msgs, enqueueN(t, db, ws, 100)...)
		}
		var mu sync.Mutex
		claims := map[int64]int{}
		perWorker := make([]int, 4)
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				for {
					got, err := db.ClaimOutbox(ctx, fmt.Sprint("worker-", w), 7, time.Hour)
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, m := range got {
						claims[m.ID]++
					}
					perWorker[w] += len(got)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(claims) != len(msgs) {
			t.Errorf("%d messages claimed, want %d", len(claims), len(msgs))
		}
		for id, n := range claims {
			if n != 1 {
				t.Errorf("message %d claimed %d times", id, n)
			}
		}
		t.Logf("claims per worker: %v", perWorker)
	})
}

// TestIngestEnqueuesResponseCreated checks that storing responses writes one
// response.created message per created response in the same transaction,
// only while a webhook listens, and none for duplicates or a rejected batch.
func TestIngestEnqueuesResponseCreated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w, err := db.CreateWorkspace(ctx, cx.Workspace{Name: "hooks"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateSurvey(ctx, w.ID, cx.Survey{Key: "nps", Kind: cx.NPS}); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		score := func(n int) *int { return &n }
		insert := func(key string, s int) {
			t.Helper()
			if _, err := db.InsertResponses(ctx, w.ID, []cx.Response{{Survey: "nps", Customer: "c", Score: score(s), SubmittedAt: at, IdempotencyKey: key}}, store.BatchOptions{}); err != nil && s <= 10 {
				t.Fatal(err)
			}
		}
		insert("before", 9) // nobody listens yet
		if _, err := db.CreateWebhook(ctx, w.ID, store.Webhook{URL: "https://example.com/hook", Events: []string{store.TopicResponseCreated}}); err != nil {
			t.Fatal(err)
		}
		insert("a", 3)
		insert("a", 3)  // duplicate
		insert("b", 11) // rejected
		msgs, err := db.ClaimOutbox(ctx, "test", 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 || msgs[0].Topic != store.TopicResponseCreated || !strings.Contains(string(msgs[0].Payload), `"score":3`) || !strings.Contains(string(msgs[0].Payload), `"survey":"nps"`) {
			t.Fatalf("outbox = %+v", msgs)
		}
	})
}
