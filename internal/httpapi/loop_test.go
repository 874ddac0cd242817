package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// TestLoopRoutes drives the scheduled rule kinds, assignment rules, loop
// settings and case metrics through the API on both databases.
func TestLoopRoutes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		rule := e.must(http.StatusCreated, "POST", "/api/v1/alert-rules", e.keyA,
			`{"name":"pro NPS","kind":"metric_change","survey":"nps","segment_key":"plan","segment_value":"pro","alpha":0.01,"min_responses":50,"actions":["create_case","email"],"subscribers":["lead@example.com"]}`).json(t)
		if rule["kind"] != "metric_change" || rule["alpha"] != 0.01 || rule["min_responses"] != 50.0 || rule["every_minutes"] != 60.0 {
			t.Fatalf("rule = %v", rule)
		}
		got := e.must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/alert-rules/%d", int64(rule["id"].(float64))), e.keyA, "").json(t)
		if got["segment_value"] != "pro" {
			t.Errorf("GET rule = %v", got)
		}
		e.must(http.StatusCreated, "POST", "/api/v1/case-assignment-rules", e.keyA, `{"owners":["ana@example.com","bo@example.com"]}`)
		e.must(http.StatusCreated, "POST", "/api/v1/alert-rules", e.keyA, `{"name":"Detractor","survey":"nps","max_score":6,"sla_hours":24,"actions":["create_case"]}`)
		e.must(http.StatusCreated, "POST", "/api/v1/responses", e.keyA, nps("dan", 2, ""))
		e.must(http.StatusCreated, "POST", "/api/v1/responses", e.keyA, nps("eve", 1, ""))
		cases := e.must(http.StatusOK, "GET", "/api/v1/cases?limit=1", e.keyA, "").json(t)
		items := cases["items"].([]any)
		if len(items) != 1 || cases["next_cursor"] == nil || items[0].(map[string]any)["owner"] != "ana@example.com" {
			t.Fatalf("first page = %v", cases)
		}
		next := e.must(http.StatusOK, "GET", "/api/v1/cases?limit=1&cursor="+cases["next_cursor"].(string), e.keyA, "").json(t)["items"].([]any)
		if len(next) != 1 || next[0].(map[string]any)["owner"] != "bo@example.com" {
			t.Errorf("second page = %v", next)
		}
		if n := e.count("/api/v1/cases?overdue=true", e.keyA); n != 0 {
			t.Errorf("overdue = %d, want 0 (due in 24 h)", n)
		}
		id := int64(items[0].(map[string]any)["id"].(float64))
		k := e.must(http.StatusOK, "PATCH", fmt.Sprintf("/api/v1/cases/%d", id), e.keyA, `{"status":"closed","resurvey":true}`).json(t)
		if k["resurvey_invitation"] == nil || k["first_contact_at"] == nil {
			t.Errorf("closed with resurvey = %v", k)
		}
		m := e.must(http.StatusOK, "GET", "/api/v1/cases/metrics?from=2000-01-01T00:00:00Z", e.keyA, "").json(t)
		if m["cases"] != 2.0 || m["closed"] != 1.0 || m["detractors_closed"] != 1.0 || m["from"] == nil {
			t.Errorf("metrics = %v", m)
		}
		if m := e.must(http.StatusOK, "GET", "/api/v1/cases/metrics", e.keyB, "").json(t); m["cases"] != 0.0 {
			t.Errorf("B's metrics = %v", m)
		}
		ls := e.must(http.StatusOK, "PUT", "/api/v1/loop-settings", e.keyA, `{"dashboard_url":"https://cx.example.com","digest_subscribers":["lead@example.com"]}`).json(t)
		if ls["dashboard_url"] != "https://cx.example.com" {
			t.Errorf("settings = %v", ls)
		}
		if ls := e.must(http.StatusOK, "GET", "/api/v1/loop-settings", e.keyB, "").json(t); ls["dashboard_url"] != "" {
			t.Errorf("B sees A's settings: %v", ls)
		}
		for _, c := range []struct {
			name, method, path, body string
			want                     int
			field                    string
		}{
			{"sla rule without minutes", "POST", "/api/v1/alert-rules", `{"name":"x","kind":"sla_breach"}`, 422, "first_response_minutes"},
			{"metric rule without survey", "POST", "/api/v1/alert-rules", `{"name":"x","kind":"metric_change"}`, 422, "survey"},
			{"unknown kind", "POST", "/api/v1/alert-rules", `{"name":"x","kind":"trend"}`, 422, "kind"},
			{"bad alpha", "POST", "/api/v1/alert-rules", `{"name":"x","kind":"emerging_theme","alpha":2}`, 422, "alpha"},
			{"bad subscriber", "POST", "/api/v1/alert-rules", `{"name":"x","max_score":6,"subscribers":["x"]}`, 422, "subscribers"},
			{"assignment without owners", "POST", "/api/v1/case-assignment-rules", `{"segment_key":"plan"}`, 422, "owners"},
			{"bad overdue", "GET", "/api/v1/cases?overdue=maybe", "", 422, "overdue"},
			{"bad metrics range", "GET", "/api/v1/cases/metrics?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", "", 422, "to"},
			{"bad metrics time", "GET", "/api/v1/cases/metrics?from=yesterday", "", 422, "from"},
			{"bad dashboard url", "PUT", "/api/v1/loop-settings", `{"dashboard_url":"cx.example.com"}`, 422, "dashboard_url"},
			{"resurvey without closing", "PATCH", fmt.Sprintf("/api/v1/cases/%d", id), `{"resurvey":true}`, 422, "resurvey"},
			{"unknown settings field", "PUT", "/api/v1/loop-settings", `{"colour":"red"}`, 400, ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := e.do(c.method, c.path, e.keyA, c.body)
				if r.status != c.want {
					t.Fatalf("%s %s = %d %s, want %d", c.method, c.path, r.status, r.body, c.want)
				}
				if c.field != "" {
					var body errorBody
					if err := json.Unmarshal(r.body, &body); err != nil || len(body.Fields) == 0 || body.Fields[0].Field != c.field {
						t.Errorf("422 body %s does not name %s", r.body, c.field)
					}
				}
			})
		}
		rules := e.must(http.StatusOK, "GET", "/api/v1/case-assignment-rules", e.keyA, "").json(t)["items"].([]any)
		if len(rules) != 1 {
			t.Fatalf("assignment rules = %v", rules)
		}
		aid := int64(rules[0].(map[string]any)["id"].(float64))
		e.must(http.StatusNotFound, "DELETE", fmt.Sprintf("/api/v1/case-assignment-rules/%d", aid), e.keyB, "")
		e.must(http.StatusNoContent, "DELETE", fmt.Sprintf("/api/v1/case-assignment-rules/%d", aid), e.keyA, "")
	})
}
