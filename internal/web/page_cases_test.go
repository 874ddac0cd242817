package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

func TestAlertsInbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDashEnv(t, db)
		ctx := context.Background()
		k := openDemoCase(t, e)
		viewer, agent, analyst := e.member("viewer"), e.member("agent"), e.member("analyst")
		body := viewer.get("/app/alerts")
		for _, want := range []string{"/app/alerts/cases/" + itoa(k.ID), "Detractor", e.web.translate("cases.ttfc")} {
			if !strings.Contains(body, want) {
				t.Errorf("inbox lacks %q", want)
			}
		}
		if strings.Contains(body, `action="/app/alerts/rules"`) {
			t.Error("a viewer sees the new rule form")
		}
		for _, table := range []string{"cases", "alerts", "rules"} {
			rows := e.csv("/app/alerts?table=" + table)
			if len(rows) != 2 {
				t.Errorf("CSV %s: %d rows, want header + 1: %v", table, len(rows), rows)
			}
		}
		if rows := e.csv("/app/alerts?status=closed"); len(rows) != 1 {
			t.Errorf("closed cases: %v", rows)
		}
		if rows := e.csv("/app/alerts?status=open&owner=nobody"); len(rows) != 1 {
			t.Errorf("owner filter: %v", rows)
		}
		page := viewer.get("/app/alerts/cases/" + itoa(k.ID))
		if !strings.Contains(page, "The delivery was late") || !strings.Contains(page, "/app/customers/"+k.Customer) {
			t.Errorf("case page lacks the response or customer\n%.1500s", page)
		}
		if strings.Contains(page, `name="resolution_code"`) {
			t.Error("a viewer sees the case form")
		}
		// A viewer changes nothing.
		for _, p := range []string{"/app/alerts/cases/" + itoa(k.ID), "/app/alerts/cases/" + itoa(k.ID) + "/notes", "/app/alerts/rules", "/app/alerts/rules/1/delete"} {
			if status, _, _ := viewer.do("POST", p, url.Values{"status": {"closed"}, "body": {"x"}, "name": {"r"}, "max_score": {"3"}}); status != http.StatusForbidden {
				t.Errorf("viewer POST %s: %d", p, status)
			}
		}
		// An agent works the case.
		status, body, _ := agent.do("POST", "/app/alerts/cases/"+itoa(k.ID), url.Values{"status": {"in_progress"}, "owner": {"agent@loop.example"}, "resolution_code": {""}})
		if status != http.StatusSeeOther {
			t.Fatalf("agent update: %d %.500s", status, body)
		}
		if status, _, _ := agent.do("POST", "/app/alerts/cases/"+itoa(k.ID)+"/notes", url.Values{"body": {"Called the customer"}}); status != http.StatusSeeOther {
			t.Fatalf("agent note: %d", status)
		}
		if status, _, _ := agent.do("POST", "/app/alerts/cases/"+itoa(k.ID), url.Values{"status": {"nonsense"}}); status != http.StatusUnprocessableEntity {
			t.Errorf("bad status: %d, want 422", status)
		}
		got, err := db.Case(ctx, e.ws.ID, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != store.CaseInProgress || got.Owner != "agent@loop.example" || len(got.Notes) != 1 || got.Notes[0].Author != "agent@loop.example" {
			t.Fatalf("case after the agent: %+v", got)
		}
		if !strings.Contains(agent.get("/app/alerts?owner=agent@loop.example"), "/app/alerts/cases/"+itoa(k.ID)) {
			t.Error("owner filter does not find the case")
		}
		// Close with re-survey.
		status, body, _ = agent.do("POST", "/app/alerts/cases/"+itoa(k.ID), url.Values{"action": {"resurvey"}, "resolution_code": {"refund"}})
		if status != http.StatusSeeOther {
			t.Fatalf("resurvey: %d %.500s", status, body)
		}
		got, _ = db.Case(ctx, e.ws.ID, k.ID)
		if got.Status != store.CaseClosed || got.ResolutionCode != "refund" {
			t.Fatalf("case after close: %+v", got)
		}
		// The metrics are the API's.
		var m struct {
			Cases  int `json:"cases"`
			Closed int `json:"closed"`
		}
		e.apiGet("/api/v1/cases/metrics", &m)
		if m.Cases != 1 || m.Closed != 1 {
			t.Fatalf("API metrics %+v", m)
		}
		// An analyst creates and deletes a rule; an agent may not.
		if status, _, _ := agent.do("POST", "/app/alerts/rules", url.Values{"name": {"Low"}, "max_score": {"3"}}); status != http.StatusForbidden {
			t.Errorf("agent creates a rule: %d", status)
		}
		if status, body, _ := analyst.do("POST", "/app/alerts/rules", url.Values{"name": {"Very low"}, "max_score": {"3"}, "sla_hours": {"8"}}); status != http.StatusSeeOther {
			t.Fatalf("create rule: %d %.500s", status, body)
		}
		if status, _, _ := analyst.do("POST", "/app/alerts/rules", url.Values{"name": {"Bad"}, "max_score": {"x"}}); status != http.StatusUnprocessableEntity {
			t.Errorf("bad max_score: %d", status)
		}
		rules, _ := db.AlertRules(ctx, e.ws.ID)
		if len(rules) != 2 {
			t.Fatalf("rules: %+v", rules)
		}
		if status, _, _ := analyst.do("POST", "/app/alerts/rules/"+itoa(rules[1].ID)+"/delete", url.Values{}); status != http.StatusSeeOther {
			t.Fatalf("delete rule: %d", status)
		}
		if rules, _ = db.AlertRules(ctx, e.ws.ID); len(rules) != 1 {
			t.Fatalf("rules after delete: %+v", rules)
		}
	})
}

// TestLoopPagesEmptyWorkspace: every page of themes, alerts and surveys
// renders for a viewer of an empty workspace with its empty state.
func TestLoopPagesEmptyWorkspace(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *acctEnv) {
		c := e.login("viewer")
		for path, key := range map[string]string{"/app/themes": "empty.themes", "/app/alerts": "empty.cases", "/app/surveys": "empty.surveys"} {
			r := c.do("GET", path, nil)
			if r.status != http.StatusOK {
				t.Fatalf("GET %s: %d %.500s", path, r.status, r.body)
			}
			if want := e.srv.translate(key); !strings.Contains(r.body, html.EscapeString(want)) {
				t.Errorf("GET %s: no empty state %q", path, want)
			}
			if !strings.Contains(r.body, "<h1>") {
				t.Errorf("GET %s: no heading", path)
			}
		}
		for _, path := range []string{"/app/alerts/cases/1", "/app/surveys/nps", "/app/themes/none"} {
			if r := c.do("GET", path, nil); r.status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", path, r.status)
			}
		}
	})
}
