package httpapi

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// TestThemesAPI: feedback ingest, theme analytics, verbatims with offsets,
// codeframe edits, manual tags, bad input named, tenancy.
func TestThemesAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		at := time.Now().UTC().Add(-48 * time.Hour).Format(time.RFC3339)

		// Bad feedback names index and field; nothing is stored.
		r := e.do("POST", "/api/v1/feedback", e.keyA, `[{"source":"twitter","text":"ok","occurred_at":"`+at+`"},{"source":"twitter","occurred_at":"`+at+`","rating":9,"rating_scale":5}]`)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), `"index":1`) || !strings.Contains(string(r.body), `"field":"text"`) || !strings.Contains(string(r.body), `"field":"rating"`) {
			t.Fatalf("bad feedback: %d %s", r.status, r.body)
		}
		if n := e.count("/api/v1/feedback", e.keyA); n != 0 {
			t.Fatalf("%d feedback items after a bad batch", n)
		}
		// NDJSON feedback, like a webhook intake would send.
		nd := fmt.Sprintf("{\"source\":\"app_store\",\"rating\":1,\"rating_scale\":5,\"text\":\"The delivery was late again.\",\"occurred_at\":%q}\n{\"source\":\"twitter\",\"text\":\"Courier was late, food cold.\",\"occurred_at\":%q}\n", at, at)
		e.must(http.StatusCreated, "POST", "/api/v1/feedback", e.keyA, nd, "Content-Type", "application/x-ndjson")
		if n := e.count("/api/v1/feedback?source=twitter", e.keyA); n != 1 {
			t.Errorf("twitter feedback = %d, want 1", n)
		}
		var responses []string
		for i := range 6 {
			comment, score := "Great price, very cheap.", 10
			if i%2 == 1 {
				comment, score = "Slow delivery. The package arrived late.", 2
			}
			responses = append(responses, fmt.Sprintf(`{"survey":"nps","score":%d,"comment":%q,"submitted_at":%q}`, score, comment, at))
		}
		res := e.must(http.StatusCreated, "POST", "/api/v1/responses", e.keyA, "["+strings.Join(responses, ",")+"]").json(t)
		firstID := int(res["items"].([]any)[0].(map[string]any)["id"].(float64))

		rep := e.must(http.StatusOK, "GET", "/api/v1/themes?interval=week&group_by=source", e.readA, "").json(t)
		if rep["codeframe"] != "starter" || rep["comments"].(float64) != 8 {
			t.Fatalf("themes report: %v", rep)
		}
		figs := map[string]map[string]any{}
		for _, th := range rep["themes"].([]any) {
			m := th.(map[string]any)
			figs[m["id"].(string)] = m
		}
		// delivery: 3 detractor responses + 2 feedback items; without them
		// the 3 promoters give NPS 100, overall 0 → impact −100.
		if d := figs["delivery"]; d["volume"].(float64) != 5 || d["impact"].(float64) != -100 {
			t.Errorf("delivery figures: %v", d)
		}
		if p := figs["price"]; p["volume"].(float64) != 3 || p["impact"].(float64) != 100 { // without it: 3 detractors
			t.Errorf("price figures: %v", p)
		}
		if segs := rep["segments"].([]any); len(segs) != 3 {
			t.Errorf("segments by source: %v", segs)
		}
		// Only feedback.
		rep = e.must(http.StatusOK, "GET", "/api/v1/themes?source=app_store,twitter", e.readA, "").json(t)
		if rep["comments"].(float64) != 2 {
			t.Errorf("feedback-only comments = %v", rep["comments"])
		}

		// Verbatims with the matched sentence offsets.
		v := e.must(http.StatusOK, "GET", "/api/v1/themes/delivery/responses?limit=2", e.readA, "").json(t)
		items := v["items"].([]any)
		if len(items) != 2 || v["next_cursor"] == "" {
			t.Fatalf("verbatims: %v", v)
		}
		for _, it := range items {
			m := it.(map[string]any)
			text := m["text"].(string)
			s := m["sentences"].([]any)[0].([]any)
			if sent := text[int(s[0].(float64)):int(s[1].(float64))]; !strings.Contains(strings.ToLower(sent), "deliver") && !strings.Contains(sent, "late") {
				t.Errorf("highlighted %q of %q", sent, text)
			}
		}
		e.must(http.StatusNotFound, "GET", "/api/v1/themes/nope/responses", e.readA, "")

		// Manual tags.
		path := fmt.Sprintf("/api/v1/responses/%d/themes/staff", firstID)
		e.must(http.StatusForbidden, "PUT", path, e.readA, "")
		e.must(http.StatusNotFound, "PUT", path, e.keyB, "")
		if got := string(e.must(http.StatusOK, "PUT", path, e.keyA, "").body); !strings.Contains(got, `"theme":"staff","source":"manual"`) {
			t.Errorf("manual tag: %s", got)
		}

		got0 := string(e.must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/responses/%d/themes", firstID), e.readA, "").body)
		if !strings.Contains(got0, `"theme":"price","source":"auto","sentences":[[0,24]]`) || !strings.Contains(got0, `"model":"builtin"`) {
			t.Errorf("response themes: %s", got0)
		}
		e.must(http.StatusNotFound, "GET", fmt.Sprintf("/api/v1/responses/%d/themes", firstID), e.keyB, "")

		// Codeframe edits: add a theme, patch, merge; the manual tag stays.
		e.must(http.StatusCreated, "POST", "/api/v1/themes", e.keyA, `{"name":"Lost luggage","terms":{"en":["luggage","bag*"]}}`)
		cf := e.must(http.StatusOK, "PATCH", "/api/v1/themes/price", e.keyA, `{"name":"Cost","add_terms":{"en":["cheap"]}}`).json(t)
		if cf["own"] != true || !strings.Contains(fmt.Sprint(cf["themes"]), "Cost") {
			t.Errorf("patched codeframe: %v", cf)
		}
		for _, b := range []struct{ method, path, body, field string }{
			{"PATCH", "/api/v1/themes/price", `{"add_terms":{"fr":["cher"]}}`, "add_terms.fr"},
			{"PATCH", "/api/v1/themes/price", `{"parent":"nope"}`, "theme"},
			{"POST", "/api/v1/themes/price/merge", `{"into":"nope"}`, "into"},
			{"POST", "/api/v1/themes", `{"terms":{"en":["x"]}}`, "theme"},
			{"GET", "/api/v1/themes?interval=year", "", "interval"},
		} {
			if r := e.do(b.method, b.path, e.keyA, b.body); r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), b.field) {
				t.Errorf("%s %s %s: %d %s, want 422 naming %s", b.method, b.path, b.body, r.status, r.body, b.field)
			}
		}
		e.must(http.StatusNotFound, "PATCH", "/api/v1/themes/nope", e.keyA, `{"name":"x"}`)
		e.must(http.StatusOK, "POST", "/api/v1/themes/staff/merge", e.keyA, `{"into":"support"}`)
		got := string(e.must(http.StatusOK, "GET", "/api/v1/feedback", e.readA, "").body)
		if !strings.Contains(got, `"analysis"`) {
			t.Errorf("feedback list without analysis: %s", got)
		}
		rep = e.must(http.StatusOK, "GET", "/api/v1/themes", e.readA, "").json(t)
		found := false
		for _, th := range rep["themes"].([]any) {
			m := th.(map[string]any)
			if m["id"] == "support" && m["volume"].(float64) == 1 {
				found = true
			}
			if m["id"] == "staff" {
				t.Errorf("merged theme still reported")
			}
		}
		if !found {
			t.Errorf("manual staff tag did not move to support: %v", rep["themes"])
		}
		// Workspace B sees the starter and none of A's comments.
		if b := e.must(http.StatusOK, "GET", "/api/v1/themes", e.keyB, "").json(t); b["codeframe"] != "starter" || b["comments"].(float64) != 0 {
			t.Errorf("workspace B: %v", b)
		}
		// Whole-codeframe replace, split, delete and reset.
		cf = e.must(http.StatusOK, "PUT", "/api/v1/codeframe", e.keyA, `{"themes":[{"id":"late","name":"Late","terms":{"en":["late","slow"]}},{"id":"cheap","name":"Cheap","terms":{"en":["cheap","price"]}}],"excluded":["cheap"]}`).json(t)
		if cf["retagged"].(float64) != 8 || fmt.Sprint(cf["excluded"]) != "[cheap]" {
			t.Errorf("PUT codeframe: %v", cf)
		}
		e.must(http.StatusCreated, "POST", "/api/v1/themes/late/split", e.keyA, `{"name":"Slow","terms":{"en":["slow"]}}`)
		e.must(http.StatusOK, "DELETE", "/api/v1/themes/cheap", e.keyA, "")
		got = string(e.must(http.StatusOK, "GET", "/api/v1/codeframe", e.readA, "").body)
		if !strings.Contains(got, `"id":"slow"`) || strings.Contains(got, `"cheap"`) {
			t.Errorf("codeframe after split and delete: %s", got)
		}
		if r := e.do("PUT", "/api/v1/codeframe", e.keyA, `{"themes":[{"id":"a","name":"A","parent":"zz"}]}`); r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "codeframe") {
			t.Errorf("invalid codeframe: %d %s", r.status, r.body)
		}
		if cf := e.must(http.StatusOK, "DELETE", "/api/v1/codeframe", e.keyA, "").json(t); cf["own"] != false {
			t.Errorf("reset codeframe: %v", cf)
		}
		// Discovery proposes themes from the workspace's comments.
		var more []string
		for i := range 30 {
			more = append(more, fmt.Sprintf(`{"source":"chat","text":"the refund for order %d never came, refund support ignored","occurred_at":%q}`, i, at),
				fmt.Sprintf(`{"source":"chat","text":"room %d was dirty, dirty towels and bathroom","occurred_at":%q}`, i, at))
		}
		e.must(http.StatusCreated, "POST", "/api/v1/feedback", e.keyA, "["+strings.Join(more, ",")+"]")
		d := e.must(http.StatusOK, "POST", "/api/v1/themes/discover", e.keyA, `{"themes":2,"apply":true}`).json(t)
		if d["applied"] != true || d["comments"].(float64) != 68 || len(d["themes"].([]any)) == 0 {
			t.Errorf("discover: %v", d)
		}
		if r := e.do("POST", "/api/v1/themes/discover", e.keyA, `{"themes":99}`); r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "themes") {
			t.Errorf("discover themes=99: %d %s", r.status, r.body)
		}
		// Discovery needs comments.
		if r := e.do("POST", "/api/v1/themes/discover", e.keyB, ""); r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "comments") {
			t.Errorf("discover on empty workspace: %d %s", r.status, r.body)
		}
	})
}
