package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/cxlens/cxlens/internal/store/storetest"
)

// TestAlertAndCaseCommands drives cxlens alert and cxlens case on both
// databases: rules are created and listed, bad flags exit 2 naming the
// flag, a detractor imported opens a case, which is listed, shown and
// closed.
func TestAlertAndCaseCommands(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			e := newEnv(t, d)
			ws := e.setup(t)
			id := strings.TrimSpace(e.must(t, "alert", "rule", "create", "--workspace", ws, "--name", "Detractor", "--survey", "nps",
				"--max-score", "6", "--sla-hours", "24", "--action", "create_case,webhook").stdout)
			e.must(t, "alert", "rule", "create", "--workspace", ws, "--name", "FRT", "--kind", "sla_breach", "--first-response-minutes", "60")
			out := e.must(t, "alert", "rules", "--workspace", ws).stdout
			if !strings.Contains(out, "score <= 6") || !strings.Contains(out, "first response > 60 min") {
				t.Errorf("alert rules:\n%s", out)
			}
			for _, c := range []struct {
				args []string
				want string
			}{
				{[]string{"alert", "rule", "create", "--workspace", ws, "--name", "x"}, "--max-score"},
				{[]string{"alert", "rule", "create", "--workspace", ws, "--name", "x", "--kind", "trend"}, "--kind"},
				{[]string{"alert", "rule", "create", "--workspace", ws, "--name", "x", "--kind", "sla_breach"}, "first_response_minutes"},
				{[]string{"alert", "rule", "create", "--workspace", ws, "--name", "x", "--max-score", "6", "--action", "sms"}, "actions"},
				{[]string{"alert", "rule", "create", "--workspace", ws, "--name", "x", "--kind", "metric_change", "--survey", "nps", "--segment", "plan"}, "--segment"},
				{[]string{"alert", "rule", "delete", "--workspace", ws}, "RULE_ID"},
				{[]string{"alert", "rule", "delete", "--workspace", ws, "x"}, "RULE_ID"},
				{[]string{"case", "list", "--workspace", ws, "--status", "done"}, "--status"},
				{[]string{"case", "list", "--workspace", ws, "--limit", "0"}, "--limit"},
				{[]string{"case", "update", "--workspace", ws, "1"}, "nothing to change"},
				{[]string{"case", "update", "--workspace", ws, "1", "--resurvey"}, "--resurvey"},
			} {
				r := e.cxlens(t, c.args...)
				if r.code != 2 || !strings.Contains(r.err.Error(), c.want) {
					t.Errorf("cxlens %s: exit %d, %v; want 2 naming %s", strings.Join(c.args, " "), r.code, r.err, c.want)
				}
			}

			e.stdin = "survey,customer,score,submitted_at\nnps,dan,2,2026-03-01T10:00:00Z\n"
			e.must(t, "import", "--workspace", ws, "--type", "responses", "--format", "csv", "-")
			e.stdin = ""
			out = e.must(t, "case", "list", "--workspace", ws, "--status", "open").stdout
			if !strings.Contains(out, "dan") || !strings.Contains(out, "Detractor") {
				t.Fatalf("case list:\n%s", out)
			}
			var k struct {
				ID                 int64
				ResurveyInvitation int64 `json:"resurvey_invitation"`
				Status, Owner      string
				Notes              []struct{ Body string }
			}
			if err := json.Unmarshal([]byte(e.must(t, "case", "show", "--workspace", ws, "1").stdout), &k); err != nil || k.ID != 1 {
				t.Fatalf("case show: %+v, %v", k, err)
			}
			r := e.must(t, "case", "update", "--workspace", ws, "1", "--owner", "ana", "--note", "called", "--status", "closed", "--resurvey")
			if err := json.Unmarshal([]byte(r.stdout), &k); err != nil || k.Status != "closed" || k.Owner != "ana" || len(k.Notes) != 1 || k.ResurveyInvitation == 0 {
				t.Errorf("case update: %+v, %v\n%s", k, err, r.stdout)
			}
			if r := e.cxlens(t, "case", "show", "--workspace", ws, "99"); r.code != 1 || !strings.Contains(r.err.Error(), "not found") {
				t.Errorf("missing case: %d %v", r.code, r.err)
			}
			e.must(t, "alert", "rule", "delete", "--workspace", ws, id)
			if r := e.cxlens(t, "alert", "rule", "delete", "--workspace", ws, id); r.err == nil {
				t.Error("second delete succeeded")
			}
		})
	}
}
