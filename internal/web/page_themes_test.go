package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/alert"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// member is a user of the demo workspace with a session.
type member struct {
	e      *dashEnv
	cookie string
	csrf   string
}

// member creates a user with role in the demo workspace and a session.
func (e *dashEnv) member(role string) *member {
	e.t.Helper()
	ctx := context.Background()
	u, err := e.db.CreateUser(ctx, store.User{Email: role + "@loop.example", PasswordHash: hashPassword(testPassword)}, e.ws.ID, role)
	if err != nil {
		e.t.Fatal(err)
	}
	m := &member{e: e, cookie: newToken(), csrf: newToken()}
	if err := e.db.CreateSession(ctx, store.Session{TokenHash: hashToken(m.cookie), UserID: u.ID, CSRF: m.csrf, CreatedAt: dashNow,
		SeenAt: dashNow, ExpiresAt: dashNow.Add(sessionAbsolute)}); err != nil {
		e.t.Fatal(err)
	}
	return m
}

// do sends a request as the member (a form is posted with the CSRF token).
func (m *member) do(method, target string, form url.Values) (int, string, http.Header) {
	m.e.t.Helper()
	var body io.Reader
	if form != nil {
		form.Set("csrf", m.csrf)
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: m.cookie})
	rec := httptest.NewRecorder()
	m.e.web.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(b), rec.Result().Header
}

// get GETs target and requires status 200.
func (m *member) get(target string) string {
	m.e.t.Helper()
	status, body, _ := m.do("GET", target, nil)
	if status != http.StatusOK {
		m.e.t.Fatalf("GET %s: %d\n%.800s", target, status, body)
	}
	return body
}

// apiGet GETs an API path with the read key and decodes the JSON.
func (e *dashEnv) apiGet(path string, out any) {
	e.t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+e.apiKey)
	rec := httptest.NewRecorder()
	e.api.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		e.t.Fatalf("API %s: %d %s", path, rec.Code, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
		e.t.Fatal(err)
	}
}

// apiThemes is the part of GET /api/v1/themes the tests read.
type apiThemes struct {
	Themes []struct {
		ID     string `json:"id"`
		Name   string `json:"name"`
		Volume int64  `json:"volume"`
	} `json:"themes"`
}

// openDemoCase adds a detractor rule and a detractor response of a demo
// customer, which opens a case, and returns it.
func openDemoCase(t *testing.T, e *dashEnv) store.Case {
	t.Helper()
	ctx := context.Background()
	if _, err := e.db.CreateAlertRule(ctx, e.ws.ID, alert.Rule{Name: "Detractor", MaxScore: 6, SLAHours: 24,
		Actions: []alert.Action{alert.ActionCreateCase}}); err != nil {
		t.Fatal(err)
	}
	var survey, customer string
	p, err := e.db.Responses(ctx, e.ws.ID, store.ResponseFilter{ListFilter: store.ListFilter{Limit: 50}})
	if err != nil {
		t.Fatal(err)
	}
	svs, err := e.db.Surveys(ctx, e.ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, sv := range svs {
		if sv.Kind == cx.NPS {
			survey = sv.Key
			break
		}
	}
	for _, r := range p.Items {
		if r.Customer != "" {
			customer = r.Customer
			break
		}
	}
	score := 2
	res, err := e.db.InsertResponses(ctx, e.ws.ID, []cx.Response{{Survey: survey, Customer: customer, Score: &score,
		SubmittedAt: dashNow.Add(-3600e9), Comment: "The delivery was late and support never answered."}}, store.BatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cases, err := e.db.Cases(ctx, e.ws.ID, store.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range cases.Items {
		if k.ResponseID == res.Items[0].ID {
			return k
		}
	}
	t.Fatalf("no case opened for response %d", res.Items[0].ID)
	return store.Case{}
}

func TestThemesPageMatchesAPIAndHighlights(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDashEnv(t, db)
		viewer := e.member("viewer")
		q := "from=2026-04-01&to=2026-06-29"
		body := viewer.get("/app/themes?" + q)
		var api apiThemes
		loc := location(e.ws.TimeZone)
		e.apiGet("/api/v1/themes?from="+url.QueryEscape(time.Date(2026, 4, 1, 0, 0, 0, 0, loc).Format(time.RFC3339))+
			"&to="+url.QueryEscape(time.Date(2026, 6, 30, 0, 0, 0, 0, loc).Format(time.RFC3339)), &api)
		rows := e.csv("/app/themes?" + q)
		if len(rows) < 2 || rows[0][0] != "id" {
			t.Fatalf("themes CSV: %v", rows)
		}
		apiVol := map[string]int64{}
		for _, th := range api.Themes {
			apiVol[th.ID] = th.Volume
		}
		var top string
		for _, row := range rows[1:] {
			if got, want := row[3], apiVol[row[0]]; got != itoa(want) {
				t.Errorf("theme %s: volume %s on the page, %d in the API", row[0], got, want)
			}
			if top == "" && row[3] != "0" {
				top = row[0]
			}
			if !strings.Contains(body, "/app/themes/"+row[0]) {
				t.Errorf("theme %s not linked from the page", row[0])
			}
		}
		if top == "" {
			t.Fatal("no theme has comments in the demo data")
		}
		page := viewer.get("/app/themes/" + top + "?" + q)
		if !strings.Contains(page, "<mark>") {
			t.Fatalf("theme %s: no highlighted match\n%.1500s", top, page)
		}
		if strings.Contains(page, `action="/app/themes/`+top+`/rename"`) {
			t.Error("a viewer sees the codeframe forms")
		}
		vs := e.csv("/app/themes/" + top + "?" + q)
		if len(vs) < 2 || vs[0][8] != "text" || vs[1][9] == "" {
			t.Fatalf("verbatims CSV: %.300v", vs)
		}
		if status, _, _ := viewer.do("GET", "/app/themes/no-such-theme", nil); status != http.StatusNotFound {
			t.Errorf("unknown theme: %d", status)
		}
		if status, _, _ := viewer.do("GET", "/app/themes?from=yesterday", nil); status != http.StatusBadRequest {
			t.Errorf("bad from: %d", status)
		}
		if status, body, _ := viewer.do("GET", "/app/themes/"+top+"?from=yesterday", nil); status != http.StatusBadRequest || !strings.Contains(body, "from") {
			t.Errorf("bad from on a theme: %d\n%.500s", status, body)
		}
	})
}

func TestAnalystEditsCodeframe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDashEnv(t, db)
		analyst, viewer := e.member("analyst"), e.member("viewer")
		cf, err := db.Codeframe(context.Background(), e.ws.ID)
		if err != nil {
			t.Fatal(err)
		}
		id := cf.Codeframe.Themes[0].ID
		other := cf.Codeframe.Themes[1].ID
		for _, path := range []string{"rename", "terms", "merge", "split"} {
			if status, _, _ := viewer.do("POST", "/app/themes/"+id+"/"+path, url.Values{"name": {"X"}, "into": {other}, "lang": {"en"}, "terms": {"x"}}); status != http.StatusForbidden {
				t.Errorf("viewer POST %s: %d, want 403", path, status)
			}
		}
		status, body, h := analyst.do("POST", "/app/themes/"+id+"/rename", url.Values{"name": {"Renamed in the dashboard"}})
		if status != http.StatusSeeOther {
			t.Fatalf("rename: %d %.500s", status, body)
		}
		if loc := h.Get("Location"); !strings.HasPrefix(loc, "/app/themes/"+id) {
			t.Fatalf("rename redirects to %q", loc)
		}
		var api struct {
			Themes []struct{ ID, Name string } `json:"themes"`
		}
		e.apiGet("/api/v1/codeframe", &api)
		found := false
		for _, th := range api.Themes {
			if th.ID == id {
				found = th.Name == "Renamed in the dashboard"
			}
		}
		if !found {
			t.Fatalf("the API does not show the new name: %+v", api.Themes)
		}
		var rep apiThemes
		e.apiGet("/api/v1/themes?from=2026-01-01T00:00:00Z&to=2026-06-30T00:00:00Z", &rep)
		seen := false
		for _, th := range rep.Themes {
			seen = seen || th.Name == "Renamed in the dashboard"
		}
		if !seen {
			t.Error("GET /api/v1/themes does not show the new name")
		}
		if !strings.Contains(analyst.get("/app/themes/"+id), "Renamed in the dashboard") {
			t.Error("the theme page does not show the new name")
		}
		// Terms, then a bad language, a split and a merge.
		if status, body, _ := analyst.do("POST", "/app/themes/"+id+"/terms", url.Values{"lang": {"en"}, "add": {"zzyzx, quux"}}); status != http.StatusSeeOther {
			t.Fatalf("terms: %d %.300s", status, body)
		}
		cf, _ = db.Codeframe(context.Background(), e.ws.ID)
		th, _ := cf.Codeframe.Theme(id)
		if !strings.Contains(strings.Join(th.Terms["en"], ","), "zzyzx") {
			t.Fatalf("terms not added: %v", th.Terms["en"])
		}
		if status, _, _ := analyst.do("POST", "/app/themes/"+id+"/terms", url.Values{"lang": {"xx"}, "add": {"a"}}); status != http.StatusUnprocessableEntity {
			t.Errorf("bad language: %d, want 422", status)
		}
		status, _, h = analyst.do("POST", "/app/themes/"+id+"/split", url.Values{"name": {"Quux things"}, "lang": {"en"}, "terms": {"quux"}})
		if status != http.StatusSeeOther {
			t.Fatalf("split: %d", status)
		}
		newID := strings.TrimPrefix(strings.SplitN(h.Get("Location"), "?", 2)[0], "/app/themes/")
		if _, ok := func() (any, bool) {
			cf, _ := db.Codeframe(context.Background(), e.ws.ID)
			return cf.Codeframe.Theme(newID)
		}(); !ok {
			t.Fatalf("split made no theme %q", newID)
		}
		if status, _, _ := analyst.do("POST", "/app/themes/"+newID+"/merge", url.Values{"into": {id}}); status != http.StatusSeeOther {
			t.Fatalf("merge: %d", status)
		}
		cf, _ = db.Codeframe(context.Background(), e.ws.ID)
		if _, ok := cf.Codeframe.Theme(newID); ok {
			t.Error("merged theme still exists")
		}
	})
}

func TestResponseManualTag(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDashEnv(t, db)
		ctx := context.Background()
		analyst, viewer := e.member("analyst"), e.member("viewer")
		rows, err := db.ThemeRows(ctx, e.ws.ID, dashNow.AddDate(0, -2, 0), dashNow)
		if err != nil || len(rows) == 0 {
			t.Fatalf("theme rows: %v %d", err, len(rows))
		}
		var id int64
		for _, r := range rows {
			if r.Kind == store.TextResponse {
				id = r.ID
				break
			}
		}
		cf, _ := db.Codeframe(ctx, e.ws.ID)
		theme := cf.Codeframe.Themes[len(cf.Codeframe.Themes)-1].ID
		target := "/app/responses/" + itoa(id) + "/themes"
		if !strings.Contains(viewer.get("/app/responses/"+itoa(id)), target) {
			t.Error("the response page does not load its themes")
		}
		if strings.Contains(viewer.get(target), `name="action" value="add"`) {
			t.Error("a viewer sees the tag form")
		}
		if status, _, _ := viewer.do("POST", target, url.Values{"theme": {theme}, "action": {"add"}}); status != http.StatusForbidden {
			t.Errorf("viewer tag: %d", status)
		}
		if status, body, _ := analyst.do("POST", target, url.Values{"theme": {theme}, "action": {"add"}}); status != http.StatusSeeOther {
			t.Fatalf("add tag: %d %.300s", status, body)
		}
		has := func() string {
			an, err := db.ItemTexts(ctx, e.ws.ID, store.TextResponse, []int64{id})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range an[id].Themes {
				if it.Theme == theme {
					return it.Source
				}
			}
			return ""
		}
		if got := has(); got != store.TagManual {
			t.Fatalf("after add: tag source %q", got)
		}
		if !strings.Contains(analyst.get(target), `value="`+theme+`"><input type="hidden" name="action" value="remove"`) {
			t.Error("the manual tag has no remove button")
		}
		if status, _, _ := analyst.do("POST", target, url.Values{"theme": {theme}, "action": {"remove"}}); status != http.StatusSeeOther {
			t.Fatalf("remove tag: %d", status)
		}
		if got := has(); got != store.TagRemoved && got != "" {
			t.Fatalf("after remove: tag source %q", got)
		}
	})
}
