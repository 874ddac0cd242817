package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// newTestDB returns a fresh SQLite database, for tests that need not run
// on both dialects.
func newTestDB(t *testing.T) *store.DB {
	return storetest.New(t, store.SQLite, store.Options{})
}

// nps returns a response as JSON.
func nps(customer string, score int, extra string) string {
	return fmt.Sprintf(`{"survey":"nps","customer":%q,"score":%d,"submitted_at":"2026-03-01T10:00:00Z"%s}`, customer, score, extra)
}

// scenario is one API scenario test.
type scenario struct {
	name string
	run  func(t *testing.T, e *env)
}

// scenarios run on SQLite and PostgreSQL; each gets fresh workspaces.
func scenarios() []scenario {
	return []scenario{
		{"ingest and list round trip", func(t *testing.T, e *env) {
			r := e.must(http.StatusCreated, "POST", "/api/v1/responses", e.keyA, nps("c1", 9, `,"comment":"great","attributes":{"plan":"pro"}`))
			v := r.json(t)
			id := v["id"].(float64)
			if v["inserted"] != 1.0 || id <= 0 {
				t.Fatalf("single create: %s", r.body)
			}
			got := e.must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/responses/%d", int(id)), e.keyA, "").json(t)
			if got["score"] != 9.0 || got["comment"] != "great" || got["customer"] != "c1" || got["attributes"].(map[string]any)["plan"] != "pro" {
				t.Errorf("get response: %v", got)
			}
			e.must(http.StatusCreated, "POST", "/api/v1/events", e.keyA,
				`[{"customer":"c1","type":"purchase","occurred_at":"2026-03-02T10:00:00Z","value":120,"currency":"eur"},
			  {"customer":"c2","type":"referral","occurred_at":"2026-03-03T10:00:00Z"}]`)
			e.must(http.StatusCreated, "POST", "/api/v1/tickets", e.keyA,
				`{"customer":"c1","agent":"ana","channel":"chat","opened_at":"2026-03-01T09:00:00Z","handle_seconds":300}`)
			// c1 and c2 exist since their responses and events named them.
			e.must(http.StatusOK, "POST", "/api/v1/customers", e.keyA, `{"external_id":"c1","email":"c1@example.com","name":"Cee One"}`)
			e.must(http.StatusCreated, "POST", "/api/v1/customers", e.keyA, `[{"external_id":"c3"},{"external_id":"c2","attributes":{"plan":"free"}}]`)
			if r := e.must(http.StatusOK, "POST", "/api/v1/customers", e.keyA, `{"external_id":"c1","name":"C One"}`).json(t); r["updated"] != 1.0 {
				t.Errorf("customer update: %v", r)
			}
			c := e.must(http.StatusOK, "GET", "/api/v1/customers/c1", e.keyA, "").json(t)
			if c["email"] != "c1@example.com" || c["name"] != "C One" {
				t.Errorf("customer: %v", c)
			}
			for path, want := range map[string]int{
				"/api/v1/responses":                                                1,
				"/api/v1/responses?survey=nps&customer=c1":                         1,
				"/api/v1/responses?customer=c2":                                    0,
				"/api/v1/responses?from=2026-03-02T00:00:00Z":                      0,
				"/api/v1/events":                                                   2,
				"/api/v1/events?type=purchase":                                     1,
				"/api/v1/events?from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z": 1,
				"/api/v1/tickets?agent=ana&channel=chat":                           1,
				"/api/v1/tickets?agent=bob":                                        0,
				"/api/v1/customers":                                                3,
				"/api/v1/surveys":                                                  1,
			} {
				if got := e.count(path, e.keyA); got != want {
					t.Errorf("GET %s: %d items, want %d", path, got, want)
				}
			}
			list := e.must(http.StatusOK, "GET", "/api/v1/events", e.keyA, "")
			if !bytes.Contains(list.body, []byte(`"next_cursor":null`)) {
				t.Errorf("last page must have next_cursor null: %s", list.body)
			}
		}},

		{"bad list parameters", func(t *testing.T, e *env) {
			r := e.must(http.StatusUnprocessableEntity, "GET", "/api/v1/responses?from=yesterday&limit=0&cursor=x", e.keyA, "")
			if !bytes.Contains(r.body, []byte(`"field":"from"`)) || !bytes.Contains(r.body, []byte(`"field":"limit"`)) {
				t.Errorf("want from and limit named: %s", r.body)
			}
			e.must(http.StatusUnprocessableEntity, "GET", "/api/v1/responses?cursor=bogus", e.keyA, "")
			e.must(http.StatusUnprocessableEntity, "GET", "/api/v1/events?type=nope", e.keyA, "")
			e.must(http.StatusNotFound, "GET", "/api/v1/responses/abc", e.keyA, "")
			e.must(http.StatusNotFound, "GET", "/api/v1/tickets/999999", e.keyA, "")
			e.must(http.StatusNotFound, "GET", "/api/v1/customers/nobody", e.keyA, "")
		}},

		{"NDJSON batch", func(t *testing.T, e *env) {
			body := nps("n1", 10, "") + "\n\n" + nps("n2", 3, "") + "\r\n" + nps("n3", 7, "")
			r := e.must(http.StatusCreated, "POST", "/api/v1/responses", e.keyA, body, "Content-Type", "application/x-ndjson")
			v := r.json(t)
			if v["inserted"] != 3.0 || v["id"] != nil {
				t.Errorf("ndjson: %s", r.body)
			}
			for i, want := range []float64{1, 3, 4} { // line 2 is blank
				if got := v["items"].([]any)[i].(map[string]any)["line"]; got != want {
					t.Errorf("item %d: line %v, want %v", i, got, want)
				}
			}
			if got := e.count("/api/v1/responses", e.keyA); got != 3 {
				t.Errorf("%d responses stored, want 3", got)
			}
			bad := nps("n4", 10, "") + "\n" + nps("n5", 11, "")
			r = e.must(http.StatusUnprocessableEntity, "POST", "/api/v1/responses", e.keyA, bad, "Content-Type", "application/x-ndjson")
			if !bytes.Contains(r.body, []byte(`{"index":1,"line":2,"field":"score"`)) {
				t.Errorf("ndjson error must name index 1, line 2, score: %s", r.body)
			}
			r = e.must(http.StatusBadRequest, "POST", "/api/v1/responses", e.keyA, nps("n6", 1, "")+"\n{\"survey\":", "Content-Type", "application/x-ndjson")
			if !bytes.Contains(r.body, []byte("line 2")) {
				t.Errorf("malformed ndjson must name the line: %s", r.body)
			}
		}},

		{"atomic batch with one invalid row", func(t *testing.T, e *env) {
			body := "[" + nps("a1", 9, "") + "," + nps("a2", 8, "") + "," + nps("a3", 12, "") + "]"
			r := e.must(http.StatusUnprocessableEntity, "POST", "/api/v1/responses", e.keyA, body)
			fields := r.json(t)["fields"].([]any)
			if len(fields) != 1 {
				t.Fatalf("fields: %s", r.body)
			}
			f := fields[0].(map[string]any)
			if f["index"] != 2.0 || f["field"] != "score" || !strings.Contains(f["reason"].(string), "0–10") {
				t.Errorf("field error: %v", f)
			}
			if got := e.count("/api/v1/responses", e.keyA); got != 0 {
				t.Errorf("%d responses stored after a rejected batch, want 0", got)
			}
			if got := e.count("/api/v1/customers", e.keyA); got != 0 {
				t.Errorf("%d customers created by a rejected batch, want 0", got)
			}
		}},

		{"partial batch", func(t *testing.T, e *env) {
			body := "[" + nps("p1", 9, "") + "," + `{"survey":"nope","score":1,"submitted_at":"2026-03-01T10:00:00Z"}` + "," + nps("p3", 0, "") + "]"
			r := e.must(http.StatusOK, "POST", "/api/v1/responses?partial=true", e.keyA, body)
			v := r.json(t)
			if v["inserted"] != 2.0 || v["rejected"] != 1.0 {
				t.Fatalf("partial: %s", r.body)
			}
			items := v["items"].([]any)
			want := []string{"created", "rejected", "created"}
			for i, it := range items {
				if got := it.(map[string]any)["status"]; got != want[i] {
					t.Errorf("item %d: status %v, want %s", i, got, want[i])
				}
			}
			if errs := items[1].(map[string]any)["errors"].([]any); errs[0].(map[string]any)["field"] != "survey" {
				t.Errorf("item 1 errors: %v", errs)
			}
			if got := e.count("/api/v1/responses", e.keyA); got != 2 {
				t.Errorf("%d stored, want 2", got)
			}
			e.must(http.StatusUnprocessableEntity, "POST", "/api/v1/responses?partial=maybe", e.keyA, body)
		}},

		{"Idempotency-Key retry replays", func(t *testing.T, e *env) {
			body := "[" + nps("i1", 9, "") + "," + nps("i2", 4, "") + "]"
			first := e.must(http.StatusCreated, "POST", "/api/v1/responses", e.keyA, body, "Idempotency-Key", "req-1")
			if first.header.Get("Idempotent-Replayed") != "" {
				t.Error("first answer marked replayed")
			}
			again := e.must(http.StatusCreated, "POST", "/api/v1/responses", e.keyA, body, "Idempotency-Key", "req-1")
			if !bytes.Equal(first.body, again.body) || again.header.Get("Idempotent-Replayed") != "true" {
				t.Errorf("replay differs:\n%s\n%s\n%v", first.body, again.body, again.header)
			}
			if got := e.count("/api/v1/responses", e.keyA); got != 2 {
				t.Errorf("%d stored after a retry, want 2", got)
			}
			r := e.must(http.StatusUnprocessableEntity, "POST", "/api/v1/responses", e.keyA, "["+nps("i1", 10, "")+"]", "Idempotency-Key", "req-1")
			if !bytes.Contains(r.body, []byte("different request")) {
				t.Errorf("reused key: %s", r.body)
			}
			e.must(http.StatusUnprocessableEntity, "POST", "/api/v1/responses?partial=true", e.keyA, body, "Idempotency-Key", "req-1")
			// The same key in another workspace is another key.
			e.must(http.StatusCreated, "POST", "/api/v1/responses", e.keyB, body, "Idempotency-Key", "req-1")
			// Failed requests are not stored: a corrected retry may reuse the key.
			e.must(http.StatusUnprocessableEntity, "POST", "/api/v1/responses", e.keyA, nps("i3", 11, ""), "Idempotency-Key", "req-2")
			e.must(http.StatusCreated, "POST", "/api/v1/responses", e.keyA, nps("i3", 10, ""), "Idempotency-Key", "req-2")
			e.must(http.StatusBadRequest, "POST", "/api/v1/responses", e.keyA, nps("i3", 10, ""), "Idempotency-Key", strings.Repeat("k", 201))
		}},

		{"concurrent retries never double count", func(t *testing.T, e *env) {
			var items []string
			for i := range 50 {
				items = append(items, nps(fmt.Sprintf("cc%d", i), i%11, ""))
			}
			body := "[" + strings.Join(items, ",") + "]"
			var wg sync.WaitGroup
			results := make([]result, 4)
			for i := range results {
				wg.Go(func() { results[i] = e.do("POST", "/api/v1/responses", e.keyA, body, "Idempotency-Key", "race") })
			}
			wg.Wait()
			for i, r := range results {
				if r.status != http.StatusCreated || !bytes.Equal(r.body, results[0].body) {
					t.Errorf("attempt %d: %d %s", i, r.status, r.body)
				}
			}
			if got := e.count("/api/v1/responses?limit=1000", e.keyA); got != 50 {
				t.Errorf("%d stored after 4 concurrent attempts, want 50", got)
			}
		}},

		{"per-item idempotency_key", func(t *testing.T, e *env) {
			body := `[{"customer":"k1","type":"purchase","occurred_at":"2026-03-01T10:00:00Z","value":5,"idempotency_key":"order-1"},
		          {"customer":"k1","type":"purchase","occurred_at":"2026-03-01T10:00:00Z","value":5,"idempotency_key":"order-1"}]`
			v := e.must(http.StatusCreated, "POST", "/api/v1/events", e.keyA, body).json(t)
			if v["inserted"] != 1.0 || v["duplicates"] != 1.0 {
				t.Errorf("first: %v", v)
			}
			v = e.must(http.StatusCreated, "POST", "/api/v1/events", e.keyA, body).json(t)
			if v["inserted"] != 0.0 || v["duplicates"] != 2.0 {
				t.Errorf("second: %v", v)
			}
			if got := e.count("/api/v1/events", e.keyA); got != 1 {
				t.Errorf("%d events stored, want 1", got)
			}
		}},

		{"workspaces are isolated", func(t *testing.T, e *env) {
			b := e.must(http.StatusCreated, "POST", "/api/v1/responses", e.keyB, nps("secret", 2, `,"comment":"B's"`)).json(t)
			ev := e.must(http.StatusCreated, "POST", "/api/v1/events", e.keyB, `{"customer":"secret","type":"churn","occurred_at":"2026-03-01T10:00:00Z"}`).json(t)
			tk := e.must(http.StatusCreated, "POST", "/api/v1/tickets", e.keyB, `{"customer":"secret","opened_at":"2026-03-01T10:00:00Z"}`).json(t)
			for _, path := range []string{"/api/v1/responses", "/api/v1/events", "/api/v1/tickets", "/api/v1/customers", "/api/v1/responses?customer=secret"} {
				if got := e.count(path, e.keyA); got != 0 {
					t.Errorf("A sees %d of B's items at %s", got, path)
				}
			}
			for _, path := range []string{
				fmt.Sprintf("/api/v1/responses/%d", int(b["id"].(float64))),
				fmt.Sprintf("/api/v1/events/%d", int(ev["id"].(float64))),
				fmt.Sprintf("/api/v1/tickets/%d", int(tk["id"].(float64))),
				"/api/v1/customers/secret",
				"/api/v1/customers/secret/export",
			} {
				e.must(http.StatusNotFound, "GET", path, e.keyA, "")
			}
			e.must(http.StatusNotFound, "DELETE", "/api/v1/customers/secret", e.keyA, "")
			// A writing a customer with B's external id creates A's own.
			e.must(http.StatusCreated, "POST", "/api/v1/customers", e.keyA, `{"external_id":"secret","name":"A's"}`)
			got := e.must(http.StatusOK, "GET", "/api/v1/customers/secret/export", e.keyB, "").json(t)
			if got["customer"].(map[string]any)["name"] != nil || len(got["responses"].([]any)) != 1 {
				t.Errorf("B's customer changed by A: %v", got)
			}
		}},

		{"scopes and keys", func(t *testing.T, e *env) {
			for _, path := range []string{"/api/v1/responses", "/api/v1/events", "/api/v1/tickets", "/api/v1/customers", "/api/v1/surveys"} {
				e.must(http.StatusOK, "GET", path, e.readA, "")
				r := e.must(http.StatusForbidden, "POST", path, e.readA, "{}")
				if !bytes.Contains(r.body, []byte(`"error":`)) {
					t.Errorf("403 body: %s", r.body)
				}
			}
			e.must(http.StatusForbidden, "DELETE", "/api/v1/customers/x", e.readA, "")
			for name, auth := range map[string]string{
				"missing": "", "not bearer": "Basic abc", "unknown key": "Bearer cxl_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "empty": "Bearer ",
			} {
				r := e.do("GET", "/api/v1/responses", "", "", "Authorization", auth)
				if r.status != http.StatusUnauthorized || r.header.Get("WWW-Authenticate") == "" || !bytes.Contains(r.body, []byte(`"error":`)) {
					t.Errorf("%s: %d %v %s", name, r.status, r.header, r.body)
				}
			}
			e.must(http.StatusOK, "GET", "/api/v1/openapi.json", "", "")
			ctx := context.Background()
			key, k, err := e.db.CreateAPIKey(ctx, e.wsA, "revoked", []string{"write"})
			if err != nil {
				t.Fatal(err)
			}
			e.must(http.StatusOK, "GET", "/api/v1/responses", key, "")
			if err := e.db.RevokeAPIKey(ctx, e.wsA, k.ID); err != nil {
				t.Fatal(err)
			}
			e.must(http.StatusUnauthorized, "GET", "/api/v1/responses", key, "")
		}},

		{"body limits and malformed JSON", func(t *testing.T, e *env) {
			big := `{"survey":"nps","score":1,"submitted_at":"2026-03-01T10:00:00Z","comment":"` + strings.Repeat("x", 1<<20) + `"}`
			for _, ct := range []string{"application/json", "application/x-ndjson"} {
				r := e.must(http.StatusRequestEntityTooLarge, "POST", "/api/v1/responses", e.keyA, big, "Content-Type", ct)
				if !bytes.Contains(r.body, []byte(`"error":`)) {
					t.Errorf("413 body: %s", r.body)
				}
			}
			e.must(http.StatusRequestEntityTooLarge, "POST", "/api/v1/responses", e.keyA, big, "Idempotency-Key", "big")
			for _, tc := range []struct{ body, want string }{
				{nps("u1", 9, `,"scroe":9`), `unknown field \"scroe\"`},
				{"[" + nps("u1", 9, "") + "," + `{"survey":"nps","bogus":1}]`, `item 1: unknown field \"bogus\"`},
				{`[{"survey":"nps",}]`, "byte offset 17"},
				{`{"survey":"nps"`, "unexpected end"},
				{``, "empty body"},
				{`"hello"`, "JSON object"},
				{nps("u1", 9, "") + " {}", "after the JSON value"},
			} {
				r := e.must(http.StatusBadRequest, "POST", "/api/v1/responses", e.keyA, tc.body)
				if !bytes.Contains(r.body, []byte(tc.want)) {
					t.Errorf("body %.40q: answer %s lacks %q", tc.body, r.body, tc.want)
				}
			}
			r := e.must(http.StatusUnprocessableEntity, "POST", "/api/v1/responses", e.keyA, `{"survey":"nps","score":"ten","submitted_at":"2026-03-01T10:00:00Z"}`)
			if !bytes.Contains(r.body, []byte(`"field":"score"`)) {
				t.Errorf("type error must name score: %s", r.body)
			}
			e.must(http.StatusUnprocessableEntity, "POST", "/api/v1/responses", e.keyA, `[]`)
			r = e.must(http.StatusUnprocessableEntity, "POST", "/api/v1/responses", e.keyA, "["+strings.Repeat("{},", 10000)+"{}]")
			if !bytes.Contains(r.body, []byte("at most 10000")) {
				t.Errorf("oversize batch: %s", r.body)
			}
			if got := e.count("/api/v1/responses", e.keyA); got != 0 {
				t.Errorf("%d stored, want 0", got)
			}
		}},

		{"cursor pagination", func(t *testing.T, e *env) {
			var items []string
			for i := range 25 {
				items = append(items, nps(fmt.Sprintf("pg%d", i%7), i%11, ""))
			}
			e.must(http.StatusCreated, "POST", "/api/v1/responses", e.keyA, "["+strings.Join(items, ",")+"]")
			seen := map[float64]bool{}
			pages := 0
			cursor := ""
			for {
				v := e.must(http.StatusOK, "GET", "/api/v1/responses?limit=10&cursor="+cursor, e.keyA, "").json(t)
				pages++
				for _, it := range v["items"].([]any) {
					id := it.(map[string]any)["id"].(float64)
					if seen[id] {
						t.Fatalf("id %v on two pages", id)
					}
					seen[id] = true
				}
				next, _ := v["next_cursor"].(string)
				if next == "" {
					break
				}
				cursor = next
			}
			if len(seen) != 25 || pages != 3 {
				t.Errorf("%d items in %d pages, want 25 in 3", len(seen), pages)
			}
			v := e.must(http.StatusOK, "GET", "/api/v1/customers?limit=5", e.keyA, "").json(t)
			next := v["next_cursor"].(string)
			v = e.must(http.StatusOK, "GET", "/api/v1/customers?limit=5&cursor="+next, e.keyA, "").json(t)
			if len(v["items"].([]any)) != 2 || v["next_cursor"] != nil {
				t.Errorf("customers page 2: %v", v)
			}
		}},

		{"erase keeps scores, export returns everything", func(t *testing.T, e *env) {
			e.must(http.StatusCreated, "POST", "/api/v1/customers", e.keyA, `{"external_id":"eve","email":"eve@example.com","name":"Eve","attributes":{"plan":"pro","phone":"123"}}`)
			e.must(http.StatusCreated, "POST", "/api/v1/responses", e.keyA, nps("eve", 3, `,"comment":"call me at 123"`))
			e.must(http.StatusCreated, "POST", "/api/v1/events", e.keyA, `{"customer":"eve","type":"purchase","occurred_at":"2026-03-01T10:00:00Z","value":10}`)
			e.must(http.StatusCreated, "POST", "/api/v1/tickets", e.keyA, `{"customer":"eve","opened_at":"2026-03-01T10:00:00Z"}`)
			x := e.must(http.StatusOK, "GET", "/api/v1/customers/eve/export", e.keyA, "").json(t)
			c := x["customer"].(map[string]any)
			if c["email"] != "eve@example.com" || len(x["responses"].([]any)) != 1 || len(x["events"].([]any)) != 1 || len(x["tickets"].([]any)) != 1 {
				t.Errorf("export: %v", x)
			}
			if x["responses"].([]any)[0].(map[string]any)["comment"] != "call me at 123" {
				t.Errorf("export lacks the comment: %v", x["responses"])
			}
			r := e.must(http.StatusNoContent, "DELETE", "/api/v1/customers/eve", e.keyA, "")
			if len(r.body) != 0 {
				t.Errorf("204 with a body: %s", r.body)
			}
			e.must(http.StatusNotFound, "GET", "/api/v1/customers/eve", e.keyA, "")
			e.must(http.StatusNotFound, "DELETE", "/api/v1/customers/eve", e.keyA, "")
			v := e.must(http.StatusOK, "GET", "/api/v1/responses", e.keyA, "").json(t)
			items := v["items"].([]any)
			if len(items) != 1 {
				t.Fatalf("responses after erase: %v", v)
			}
			resp := items[0].(map[string]any)
			if resp["score"] != 3.0 || resp["comment"] != nil || resp["customer"] == "eve" {
				t.Errorf("erased response: %v", resp)
			}
			if got := e.count("/api/v1/events", e.keyA); got != 1 {
				t.Errorf("events after erase: %d", got)
			}
		}},

		{"surveys", func(t *testing.T, e *env) {
			r := e.must(http.StatusCreated, "POST", "/api/v1/surveys", e.keyA, `{"key":"csat-support","name":"Support CSAT","kind":"csat"}`)
			v := r.json(t)
			if v["scale_min"] != 1.0 || v["scale_max"] != 5.0 || v["question"] == "" {
				t.Errorf("survey defaults: %v", v)
			}
			e.must(http.StatusConflict, "POST", "/api/v1/surveys", e.keyA, `{"key":"csat-support","kind":"csat"}`)
			e.must(http.StatusUnprocessableEntity, "POST", "/api/v1/surveys", e.keyA, `{"key":"x","kind":"nps","scale_max":5}`)
			e.must(http.StatusBadRequest, "POST", "/api/v1/surveys", e.keyA, `{"key":"y","kind":"nps","id":4}`)
			e.must(http.StatusOK, "GET", "/api/v1/surveys/csat-support", e.keyA, "")
			e.must(http.StatusNotFound, "GET", "/api/v1/surveys/csat-support", e.keyB, "")
			if got := e.count("/api/v1/surveys", e.keyA); got != 2 {
				t.Errorf("%d surveys, want 2", got)
			}
			e.must(http.StatusUnprocessableEntity, "POST", "/api/v1/responses", e.keyA, `{"survey":"csat-support","score":6,"submitted_at":"2026-03-01T10:00:00Z"}`)
			e.must(http.StatusCreated, "POST", "/api/v1/responses", e.keyA, `{"survey":"csat-support","score":5,"submitted_at":"2026-03-01T10:00:00Z"}`)
			// Idempotent survey creation replays instead of answering 409.
			first := e.must(http.StatusCreated, "POST", "/api/v1/surveys", e.keyA, `{"key":"ces","kind":"ces"}`, "Idempotency-Key", "s1")
			again := e.must(http.StatusCreated, "POST", "/api/v1/surveys", e.keyA, `{"key":"ces","kind":"ces"}`, "Idempotency-Key", "s1")
			if !bytes.Equal(first.body, again.body) {
				t.Errorf("survey replay differs")
			}
		}},
	}
}

func TestAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for _, sc := range scenarios() {
			t.Run(sc.name, func(t *testing.T) {
				sc.run(t, newEnv(t, db))
			})
		}
	})
}
