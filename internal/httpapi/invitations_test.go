package httpapi

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// TestDistributionAPI: invitations, suppressions, triggers and the throttle
// through the API: good requests, bad fields named, tenancy.
func TestDistributionAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		// Bad input names the field; nothing is written.
		bad := []struct{ method, path, body, field string }{
			{"POST", "/api/v1/surveys/nps/invitations", `[{"customer": "c1", "email": "a@example.com"}, {"email": "b@example.com"}]`, "customer"},
			{"POST", "/api/v1/surveys/nps/invitations", `{"customer": "c1", "email": "not-an-address"}`, "email"},
			{"POST", "/api/v1/surveys/nps/invitations", `{"customer": "c1", "email": "a@example.com", "language": "english!"}`, "language"},
			{"POST", "/api/v1/suppressions", `[{"email": "a@example.com"}, {"email": "x"}]`, "email"},
			{"POST", "/api/v1/suppressions", `{"email": "a@example.com", "reason": "spite"}`, "reason"},
			{"POST", "/api/v1/triggers", `{"survey": "nps", "source": "event"}`, "event_type"},
			{"POST", "/api/v1/triggers", `{"survey": "nope", "source": "periodic", "every_days": 90}`, "survey"},
			{"PUT", "/api/v1/throttle", `{"recontact_days": -1, "quiet_start": "25:00", "quiet_end": "07:00", "surveys": {"nps": {"sample_percent": 120}}}`, "surveys.nps.sample_percent"},
			{"GET", "/api/v1/invitations?status=lost", "", "status"},
			{"GET", "/api/v1/metrics/response_rate?group_by=agent", "", "group_by"},
		}
		for _, b := range bad {
			r := e.do(b.method, b.path, e.keyA, b.body, "Content-Type", "application/json")
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), b.field) {
				t.Errorf("%s %s %s: %d %s, want 422 naming %s", b.method, b.path, b.body, r.status, r.body, b.field)
			}
		}
		if n := e.count("/api/v1/invitations", e.keyA); n != 0 {
			t.Fatalf("%d invitations after bad batches", n)
		}
		if n := e.count("/api/v1/suppressions", e.keyA); n != 0 {
			t.Fatalf("%d suppressions after bad batches", n)
		}
		e.must(http.StatusNotFound, "POST", "/api/v1/surveys/nope/invitations", e.keyA, `{"customer": "c1", "email": "a@example.com"}`)

		// Suppression first, then an invitation to that address is stored suppressed.
		e.must(http.StatusCreated, "POST", "/api/v1/suppressions", e.keyA, `{"email": "Gone@Example.com", "reason": "complaint"}`)
		r := e.must(http.StatusCreated, "POST", "/api/v1/surveys/nps/invitations", e.keyA,
			`[{"customer": "c1", "email": "ok@example.com", "idempotency_key": "a"}, {"customer": "c2", "email": "gone@example.com"}]`)
		if !strings.Contains(string(r.body), `"status":"scheduled"`) || !strings.Contains(string(r.body), `"error":"suppressed"`) {
			t.Errorf("invitations %s", r.body)
		}
		// The same idempotency key returns the stored invitation.
		e.must(http.StatusCreated, "POST", "/api/v1/surveys/nps/invitations", e.keyA, `{"customer": "c1", "email": "ok@example.com", "idempotency_key": "a"}`)
		if n := e.count("/api/v1/invitations", e.keyA); n != 2 {
			t.Errorf("%d invitations, want 2", n)
		}
		if n := e.count("/api/v1/invitations?status=suppressed", e.keyA); n != 1 {
			t.Errorf("%d suppressed, want 1", n)
		}
		id := int(e.must(http.StatusOK, "GET", "/api/v1/invitations?limit=1", e.keyA, "").json(t)["items"].([]any)[0].(map[string]any)["id"].(float64))
		path := "/api/v1/invitations/" + itoa(id)
		e.must(http.StatusOK, "GET", path, e.keyA, "")
		// Tenancy: workspace B sees none of it.
		e.must(http.StatusNotFound, "GET", path, e.keyB, "")
		if n := e.count("/api/v1/suppressions", e.keyB); n != 0 {
			t.Errorf("workspace B sees %d suppressions", n)
		}
		e.must(http.StatusNotFound, "DELETE", "/api/v1/suppressions/gone@example.com", e.keyB, "")
		e.must(http.StatusNoContent, "DELETE", "/api/v1/suppressions/gone@example.com", e.keyA, "")
		// Read-only keys cannot write.
		e.must(http.StatusForbidden, "POST", "/api/v1/suppressions", e.readA, `{"email": "a@example.com"}`)

		// Triggers CRUD.
		tr := e.must(http.StatusCreated, "POST", "/api/v1/triggers", e.keyA, `{"survey": "nps", "source": "ticket_resolved", "delay_seconds": 3600}`).json(t)
		tpath := "/api/v1/triggers/" + itoa(int(tr["id"].(float64)))
		if tr["enabled"] != true || tr["touchpoint"] != "support" {
			t.Errorf("trigger %v", tr)
		}
		up := e.must(http.StatusOK, "PUT", tpath, e.keyA, `{"delay_seconds": 7200, "enabled": false}`).json(t)
		if up["delay_seconds"].(float64) != 7200 || up["enabled"] != false {
			t.Errorf("updated %v", up)
		}
		e.must(http.StatusNotFound, "GET", tpath, e.keyB, "")
		e.must(http.StatusNoContent, "DELETE", tpath, e.keyA, "")
		e.must(http.StatusNotFound, "GET", tpath, e.keyA, "")

		// Throttle.
		th := e.must(http.StatusOK, "PUT", "/api/v1/throttle", e.keyA,
			`{"recontact_days": 90, "quiet_start": "21:00", "quiet_end": "08:00", "time_zone": "Europe/Bucharest", "surveys": {"nps": {"sample_percent": 25, "reminder_days": 0}}}`).json(t)
		if th["recontact_days"].(float64) != 90 || th["surveys"].(map[string]any)["nps"].(map[string]any)["sample_percent"].(float64) != 25 {
			t.Errorf("throttle %v", th)
		}
		if b := e.must(http.StatusOK, "GET", "/api/v1/throttle", e.keyB, "").json(t); b["recontact_days"].(float64) != 0 {
			t.Errorf("workspace B throttle %v", b)
		}

		// Response rate before anything was sent: null with a reason.
		rr := e.must(http.StatusOK, "GET", "/api/v1/metrics/response_rate", e.keyB, "").json(t)
		if rr["value"] != nil || rr["reason"] == "" || rr["n"].(float64) != 0 {
			t.Errorf("zero-safe response rate %v", rr)
		}
	})
}
