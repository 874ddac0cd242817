package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// FuzzIngest posts arbitrary bodies to every ingest route, as JSON and as
// NDJSON, and checks the server never panics or answers 5xx, and that every
// answer is a JSON object with either items or an error. `make test` runs
// the seeds; run `go test -fuzz FuzzIngest ./internal/httpapi/` to explore.
func FuzzIngest(f *testing.F) {
	for _, seed := range []string{
		`{"survey":"nps","customer":"c1","score":9,"submitted_at":"2026-01-02T03:04:05Z"}`,
		`[{"survey":"nps","customer":"c1","score":11,"submitted_at":"2026-01-02T03:04:05Z"}]`,
		`{"customer":"c","type":"purchase","value":1e308,"occurred_at":"2026-01-02T03:04:05Z","attributes":{"a":[1]}}`,
		`{"customer":"c","opened_at":"2026-01-02T03:04:05Z","handle_seconds":-1}`,
		`{"external_id":"c","email":"x@y.z","attributes":{"plan":null}}`,
		`[`, `]`, `{}`, `[]`, `null`, `"x"`, `[null]`, `[1,2]`, "{\"score\":9}\n{\"score\":", `{"score":"9"}`,
		`{"survey":"nps","score":9,"submitted_at":"1969-12-31T23:59:59Z"}`, "\xff\xfe", `{"attributes":{"":1}}`,
	} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	db := storetest.New(f, store.SQLite, store.Options{})
	e := newEnv(f, db)
	srv := httptest.NewServer(e.h)
	f.Cleanup(srv.Close)
	f.Fuzz(func(t *testing.T, body string, ndjson bool) {
		for _, path := range []string{"/api/v1/responses", "/api/v1/events", "/api/v1/tickets", "/api/v1/customers", "/api/v1/responses?partial=true"} {
			req, err := http.NewRequest("POST", srv.URL+path, bytes.NewReader([]byte(body)))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+e.keyA)
			if ndjson {
				req.Header.Set("Content-Type", "application/x-ndjson")
			} else {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var out map[string]any
			err = json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			if resp.StatusCode >= 500 {
				t.Fatalf("POST %s %q: status %d, %v", path, body, resp.StatusCode, out)
			}
			if err != nil || (out["items"] == nil && out["error"] == nil) {
				t.Fatalf("POST %s %q: status %d, body not an answer: %v %v", path, body, resp.StatusCode, out, err)
			}
		}
	})
}
