package web

import (
	"context"
	"encoding/csv"
	"github.com/cxlens/cxlens/internal/text"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

var shownKey = regexp.MustCompile(`<p class="secret" id="new-key">(cxl_[^<]+)</p>`)

func TestAPIKeysPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *acctEnv) {
		ctx := context.Background()
		c := e.login("admin")
		c.do("GET", "/app/settings/keys", nil)
		if r := c.post("/app/settings/keys", url.Values{"name": {""}, "scope": {"admin"}}); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad key form: %d", r.status)
		}
		r := c.post("/app/settings/keys", url.Values{"name": {"CRM sync"}, "scope": {"write"}})
		m := shownKey.FindStringSubmatch(r.body)
		if r.status != 200 || m == nil {
			t.Fatalf("create: %d, key shown: %v", r.status, m != nil)
		}
		k, err := e.db.AuthenticateAPIKey(ctx, m[1])
		if err != nil || k.WorkspaceID != e.a.ID || !k.HasScope(cx.ScopeWrite) {
			t.Fatalf("the shown key does not work: %+v, %v", k, err)
		}
		// Shown once: the list shows the prefix only.
		r = c.do("GET", "/app/settings/keys", nil)
		if strings.Contains(r.body, m[1]) || !strings.Contains(r.body, k.Prefix) {
			t.Fatal("the key list shows the secret, or not the prefix")
		}
		r = c.do("GET", "/app/settings/keys?format=csv", nil)
		rows, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
		if err != nil || len(rows) != 2 || rows[1][1] != "CRM sync" || r.header.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("csv = %v, %v", rows, err)
		}
		if r := c.post("/app/settings/keys/"+itoa(k.ID)+"/revoke", nil); r.status != http.StatusSeeOther {
			t.Fatalf("revoke: %d", r.status)
		}
		if _, err := e.db.AuthenticateAPIKey(ctx, m[1]); err == nil {
			t.Fatal("revoked key still works")
		}
		log, _ := e.db.AuditLog(ctx, e.a.ID, 0, 10)
		if len(log) != 2 || log[0].Action != "apikey.revoked" || log[1].Action != "apikey.created" {
			t.Fatalf("audit = %+v", log)
		}
		r = c.do("GET", "/app/settings/audit?format=csv", nil)
		if !strings.Contains(r.body, "apikey.created") {
			t.Fatalf("audit csv: %s", r.body)
		}
	})
}

func TestEraseCustomerPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *acctEnv) {
		ctx := context.Background()
		if _, err := e.db.UpsertCustomers(ctx, e.a.ID, []cx.Customer{{ExternalID: "c-42", Email: "li@example.com", Name: "Li Wei"}}, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		c := e.login("admin")
		r := c.do("GET", "/app/settings/erase?customer=c-42", nil)
		if r.status != 200 || !strings.Contains(r.body, "li@example.com") {
			t.Fatalf("lookup: %d", r.status)
		}
		if r := c.post("/app/settings/erase", url.Values{"customer": {"c-42"}, "confirm": {"c-4"}}); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong confirmation: %d", r.status)
		}
		if cust, _ := e.db.Customer(ctx, e.a.ID, "c-42"); cust.Email == "" {
			t.Fatal("erased without confirmation")
		}
		if r := c.post("/app/settings/erase", url.Values{"customer": {"c-42"}, "confirm": {"c-42"}}); r.status != http.StatusSeeOther {
			t.Fatalf("erase: %d %s", r.status, r.body)
		}
		if _, err := e.db.Customer(ctx, e.a.ID, "c-42"); err == nil {
			t.Fatal("the customer is still found by external id")
		}
		log, _ := e.db.AuditLog(ctx, e.a.ID, 0, 10)
		if len(log) != 1 || log[0].Action != "customer.erased" || log[0].Target != "c-42" {
			t.Fatalf("audit = %+v", log)
		}
		if r := c.post("/app/settings/erase", url.Values{"customer": {"c-42"}, "confirm": {"c-42"}}); r.status != http.StatusNotFound {
			t.Fatalf("erase again: %d", r.status)
		}
	})
}

func TestWebhooksExportAndEmailPages(t *testing.T) {
	e := newAcctEnv(t, store.SQLite)
	ctx := context.Background()
	c := e.login("owner")
	c.do("GET", "/app/settings/webhooks", nil)
	if r := c.post("/app/settings/webhooks", url.Values{"url": {"ftp://x"}, "events": {"*"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "url: must be an absolute http or https URL") {
		t.Fatalf("bad webhook: %d", r.status)
	}
	r := c.post("/app/settings/webhooks", url.Values{"url": {"https://hooks.example.com/cx"}, "events": {"response.created, alert.fired"}, "format": {"json"}})
	if r.status != 200 || !strings.Contains(r.body, "whsec_") {
		t.Fatalf("create webhook: %d", r.status)
	}
	hooks, _ := e.db.Webhooks(ctx, e.a.ID)
	if len(hooks) != 1 || len(hooks[0].Events) != 2 {
		t.Fatalf("webhooks = %+v", hooks)
	}
	if r := c.post("/app/settings/webhooks/"+itoa(hooks[0].ID)+"/active", url.Values{"active": {"false"}}); r.status != http.StatusSeeOther {
		t.Fatalf("pause: %d", r.status)
	}
	if h, _ := e.db.Webhook(ctx, e.a.ID, hooks[0].ID); h.Active {
		t.Fatal("webhook not paused")
	}
	if r := c.do("GET", "/app/settings/webhooks?format=csv", nil); !strings.Contains(r.body, "https://hooks.example.com/cx") {
		t.Fatal("webhooks csv")
	}
	e.db.UpsertCustomers(ctx, e.a.ID, []cx.Customer{{ExternalID: "c-1", Email: "a@example.com"}}, store.BatchOptions{})
	r = c.do("GET", "/app/settings/export/customers.ndjson", nil)
	if r.status != 200 || !strings.Contains(r.body, `"c-1"`) || r.header.Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("export: %d %q", r.status, r.body)
	}
	if r := c.do("GET", "/app/settings/export", nil); !strings.Contains(r.body, "/app/settings/export/feedback.csv") {
		t.Fatal("export page does not offer feedback")
	}
	if _, err := e.db.InsertFeedback(ctx, e.a.ID, []text.Feedback{{Source: "app_store", Text: "slow checkout", OccurredAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}}, store.BatchOptions{}); err != nil {
		t.Fatal(err)
	}
	if r := c.do("GET", "/app/settings/export/feedback.csv", nil); r.status != 200 || !strings.Contains(r.body, "slow checkout") {
		t.Fatalf("feedback export: %d %q", r.status, r.body)
	}
	if r := c.do("GET", "/app/settings/export/secrets.csv", nil); r.status != http.StatusNotFound {
		t.Fatalf("unknown export: %d", r.status)
	}
	if r := c.do("GET", "/app/settings/email", nil); !strings.Contains(r.body, "No SMTP relay is configured") {
		t.Fatal("email page without SMTP")
	}
	e.srv.opts.SMTP = SMTPStatus{Enabled: true, Host: "smtp.example.com", Port: "587", TLS: "starttls", From: "cx@example.com"}
	if r := c.do("GET", "/app/settings/email", nil); !strings.Contains(r.body, "smtp.example.com:587") {
		t.Fatal("email page with SMTP")
	}
}

func TestAuditLogPages(t *testing.T) {
	e := newAcctEnv(t, store.SQLite)
	ctx := context.Background()
	for i := range 5 {
		if _, err := e.db.Audit(ctx, store.AuditEntry{WorkspaceID: e.a.ID, Actor: "x@acme.example", Action: "apikey.created", Target: "key " + itoa(int64(i))}); err != nil {
			t.Fatal(err)
		}
	}
	defer func(n int) { auditPageSize = n }(auditPageSize)
	auditPageSize = 2
	c := e.login("admin")
	r := c.do("GET", "/app/settings/audit", nil)
	if !strings.Contains(r.body, "key 4") || strings.Contains(r.body, "key 2") || !strings.Contains(r.body, `hx-get="/app/settings/audit?before=`) {
		t.Fatalf("first page:\n%s", r.body)
	}
	next := regexp.MustCompile(`hx-get="([^"]+)"`).FindStringSubmatch(r.body)[1]
	req := newReq("GET", strings.ReplaceAll(next, "&amp;", "&"), "")
	req.Header.Set("HX-Request", "true")
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.cookies[sessionCookie]})
	rec := serve(e.srv, req)
	body := rec.Body.String()
	if rec.Code != 200 || !strings.HasPrefix(body, "<tr>") || !strings.Contains(body, "key 2") || strings.Contains(body, "key 4") || strings.Contains(body, "<main") {
		t.Fatalf("htmx rows: %d\n%s", rec.Code, body)
	}
}
