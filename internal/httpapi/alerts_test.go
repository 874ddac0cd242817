package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// TestAlertsAndCases drives alert rules, alerts and cases through the API
// on both databases: a detractor opens a case, A works it, B sees nothing.
func TestAlertsAndCases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		rule := e.must(http.StatusCreated, "POST", "/api/v1/alert-rules", e.keyA,
			`{"name":"Detractor","survey":"nps","max_score":6,"cooldown_seconds":3600,"sla_hours":24,"actions":["create_case","webhook"]}`).json(t)
		ruleID := int64(rule["id"].(float64))
		if rule["active"] != true || rule["kind"] != "score" {
			t.Fatalf("rule = %v", rule)
		}
		e.must(http.StatusCreated, "POST", "/api/v1/responses", e.keyA, nps("dan", 2, `,"comment":"slow delivery"`))
		e.must(http.StatusCreated, "POST", "/api/v1/responses", e.keyA, nps("pia", 10, ""))
		e.must(http.StatusCreated, "POST", "/api/v1/responses", e.keyB, nps("dan", 0, ""))

		alerts := e.must(http.StatusOK, "GET", "/api/v1/alerts", e.keyA, "").json(t)["items"].([]any)
		if len(alerts) != 1 {
			t.Fatalf("alerts = %v, want one", alerts)
		}
		a := alerts[0].(map[string]any)
		if a["customer"] != "dan" || int64(a["rule_id"].(float64)) != ruleID || a["case_id"] == nil {
			t.Errorf("alert = %v", a)
		}
		caseID := int64(a["case_id"].(float64))
		casePath := fmt.Sprintf("/api/v1/cases/%d", caseID)

		for _, c := range []struct {
			name, method, path, key, body string
			want                          int
			field                         string // the 422 must name it
		}{
			{"list rules", "GET", "/api/v1/alert-rules", e.keyA, "", 200, ""},
			{"rule without name", "POST", "/api/v1/alert-rules", e.keyA, `{"max_score":6}`, 422, "name"},
			{"rule without max_score", "POST", "/api/v1/alert-rules", e.keyA, `{"name":"x"}`, 422, "max_score"},
			{"rule with unknown action", "POST", "/api/v1/alert-rules", e.keyA, `{"name":"x","max_score":6,"actions":["sms"]}`, 422, "actions"},
			{"rule with negative cooldown", "POST", "/api/v1/alert-rules", e.keyA, `{"name":"x","max_score":6,"cooldown_seconds":-1}`, 422, "cooldown_seconds"},
			{"rule for an unknown survey", "POST", "/api/v1/alert-rules", e.keyA, `{"name":"x","survey":"csat","max_score":2}`, 422, "survey"},
			{"rule with unknown field", "POST", "/api/v1/alert-rules", e.keyA, `{"name":"x","max_score":6,"colour":"red"}`, 400, ""},
			{"rule with read key", "POST", "/api/v1/alert-rules", e.readA, `{"name":"x","max_score":6}`, 403, ""},
			{"cases filtered open", "GET", "/api/v1/cases?status=open", e.keyA, "", 200, ""},
			{"cases bad status", "GET", "/api/v1/cases?status=done", e.keyA, "", 422, "status"},
			{"alerts bad limit", "GET", "/api/v1/alerts?limit=0", e.keyA, "", 422, "limit"},
			{"patch bad status", "PATCH", casePath, e.keyA, `{"status":"done"}`, 422, "status"},
			{"empty note", "POST", casePath + "/notes", e.keyA, `{"body":" "}`, 422, "body"},
			{"patch with read key", "PATCH", casePath, e.readA, `{"owner":"x"}`, 403, ""},
			{"B gets A's case", "GET", casePath, e.keyB, "", 404, ""},
			{"B patches A's case", "PATCH", casePath, e.keyB, `{"status":"closed"}`, 404, ""},
			{"B notes A's case", "POST", casePath + "/notes", e.keyB, `{"body":"hi"}`, 404, ""},
			{"B deletes A's rule", "DELETE", fmt.Sprintf("/api/v1/alert-rules/%d", ruleID), e.keyB, "", 404, ""},
			{"not a case", "GET", "/api/v1/cases/x", e.keyA, "", 404, ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := e.do(c.method, c.path, c.key, c.body)
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
		if n := e.count("/api/v1/cases", e.keyB); n != 0 {
			t.Errorf("B lists %d cases", n)
		}
		if n := e.count("/api/v1/alerts", e.keyB); n != 0 {
			t.Errorf("B lists %d alerts", n)
		}
		if n := e.count("/api/v1/alert-rules", e.keyB); n != 0 {
			t.Errorf("B lists %d rules", n)
		}

		// A works the case: assign, note, close.
		k := e.must(http.StatusOK, "PATCH", casePath, e.keyA, `{"status":"in_progress","owner":"ann"}`).json(t)
		if k["status"] != "in_progress" || k["owner"] != "ann" || k["closed_at"] != nil || k["due_at"] == nil {
			t.Errorf("patched = %v", k)
		}
		e.must(http.StatusCreated, "POST", casePath+"/notes", e.keyA, `{"author":"ann","body":"called back"}`)
		k = e.must(http.StatusOK, "PATCH", casePath, e.keyA, `{"status":"closed","resolution_code":"refund"}`).json(t)
		if k["status"] != "closed" || k["closed_at"] == nil || k["resolution_code"] != "refund" || k["owner"] != "ann" {
			t.Errorf("closed = %v", k)
		}
		got := e.must(http.StatusOK, "GET", casePath, e.keyA, "")
		if !strings.Contains(string(got.body), "called back") {
			t.Errorf("case without its note: %s", got.body)
		}
		if n := e.count("/api/v1/cases?owner=ann&status=closed", e.keyA); n != 1 {
			t.Errorf("ann's closed cases = %d, want 1", n)
		}
		if n := e.count("/api/v1/cases?status=open", e.keyA); n != 0 {
			t.Errorf("open cases = %d, want 0", n)
		}
		e.must(http.StatusNoContent, "DELETE", fmt.Sprintf("/api/v1/alert-rules/%d", ruleID), e.keyA, "")
		if n := e.count("/api/v1/alert-rules", e.keyA); n != 0 {
			t.Errorf("rules after delete = %d", n)
		}
		if n := e.count("/api/v1/alerts", e.keyA); n != 1 {
			t.Errorf("alerts after the rule's deletion = %d, want 1 (history stays)", n)
		}
	})
}
