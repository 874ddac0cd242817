package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// acctEnv is a dashboard over a database with two workspaces: A with an
// owner, an admin, an analyst, an agent and a viewer, and B with its own
// owner. Sessions are made directly in the store (logging in through the
// form is tested in auth_test.go).
type acctEnv struct {
	t     testing.TB
	db    *store.DB
	srv   *Server
	a, b  cx.Workspace
	users map[string]store.User // by role name in A; "ownerB" for B

	mu  sync.Mutex
	now time.Time
}

const testPassword = "correct horse battery"

// newAcctEnv makes the environment on a fresh database of dialect whose
// clock is the environment's.
func newAcctEnv(t testing.TB, dialect string) *acctEnv {
	t.Helper()
	ctx := context.Background()
	e := &acctEnv{t: t, users: map[string]store.User{}, now: time.Now().UTC().Truncate(time.Millisecond)}
	db := storetest.New(t, dialect, store.Options{Now: e.clock})
	e.db = db
	var err error
	if e.a, err = db.CreateWorkspace(ctx, cx.Workspace{Name: "Acme", TimeZone: "Europe/Bucharest"}); err != nil {
		t.Fatal(err)
	}
	if e.b, err = db.CreateWorkspace(ctx, cx.Workspace{Name: "Globex"}); err != nil {
		t.Fatal(err)
	}
	hash := hashPassword(testPassword)
	for _, role := range []string{"owner", "admin", "analyst", "agent", "viewer"} {
		u, err := db.CreateUser(ctx, store.User{Email: role + "@acme.example", PasswordHash: hash}, e.a.ID, role)
		if err != nil {
			t.Fatal(err)
		}
		e.users[role] = u
	}
	u, err := db.CreateUser(ctx, store.User{Email: "owner@globex.example", PasswordHash: hash}, e.b.ID, "owner")
	if err != nil {
		t.Fatal(err)
	}
	e.users["ownerB"] = u
	e.srv = New(db, nil, Options{Now: e.clock})
	return e
}

// eachEnv runs fn on an environment per database dialect.
func eachEnv(t *testing.T, fn func(t *testing.T, e *acctEnv)) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) { fn(t, newAcctEnv(t, d)) })
	}
}

func (e *acctEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *acctEnv) advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

// client is a browser: cookies and the page's CSRF token.
type client struct {
	e       *acctEnv
	cookies map[string]string
	csrf    string
	ip      string
}

// login returns a client with a session of user (by role name).
func (e *acctEnv) login(who string) *client {
	e.t.Helper()
	token := newToken()
	now := e.clock()
	sess := store.Session{TokenHash: hashToken(token), UserID: e.users[who].ID, CSRF: newToken(), CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(sessionAbsolute)}
	if err := e.db.CreateSession(context.Background(), sess); err != nil {
		e.t.Fatal(err)
	}
	return &client{e: e, cookies: map[string]string{sessionCookie: token}, csrf: sess.CSRF, ip: "192.0.2.1"}
}

func (e *acctEnv) anon() *client {
	return &client{e: e, cookies: map[string]string{}, ip: "192.0.2.1"}
}

type result struct {
	status int
	body   string
	header http.Header
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// do sends a request; form values are posted as a form. It keeps cookies
// and the CSRF token of pages it reads.
func (c *client) do(method, target string, form url.Values) result {
	c.e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.RemoteAddr = c.ip + ":4242"
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	rec := httptest.NewRecorder()
	c.e.srv.ServeHTTP(rec, req)
	res := rec.Result()
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	b, _ := io.ReadAll(res.Body)
	if m := csrfInput.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return result{status: res.StatusCode, body: string(b), header: res.Header}
}

// post posts form with the client's CSRF token.
func (c *client) post(target string, form url.Values) result {
	c.e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", c.csrf)
	return c.do("POST", target, form)
}

func TestAppRequiresSession(t *testing.T) {
	e := newAcctEnv(t, store.SQLite)
	c := e.anon()
	r := c.do("GET", "/app/settings", nil)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login?next=%2Fapp%2Fsettings" {
		t.Fatalf("anonymous GET: %d %q", r.status, r.header.Get("Location"))
	}
	r = c.do("POST", "/app/settings/keys", url.Values{"name": {"x"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" {
		t.Fatalf("anonymous POST: %d %q", r.status, r.header.Get("Location"))
	}
	if r := c.do("GET", "/", nil); r.header.Get("Location") != "/login" {
		t.Fatalf("/ with users: %q", r.header.Get("Location"))
	}
	if r := e.login("viewer").do("GET", "/", nil); r.header.Get("Location") != "/app" {
		t.Fatalf("/ logged in: %q", r.header.Get("Location"))
	}
}

// postRoutes lists every dashboard POST route, with {id} set to 1.
func postRoutes(s *Server) []string {
	var out []string
	for _, p := range s.pages() {
		method, path, ok := strings.Cut(p.pattern, " ")
		if !ok || method != "POST" || !strings.HasPrefix(path, "/app/") {
			continue
		}
		out = append(out, regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(path, "1"))
	}
	return out
}

func TestViewerCannotChangeAnything(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *acctEnv) {
		db := e.db
		c := e.login("viewer")
		routes := postRoutes(e.srv)
		if len(routes) < 10 {
			t.Fatalf("only %d POST routes found: %v", len(routes), routes)
		}
		for _, path := range routes {
			if path == "/app/workspace" || path == "/app/settings/password" { // choosing a workspace changes nothing; a viewer changes their own password (settings_password_test.go)
				continue
			}
			r := c.post(path, url.Values{"role": {"owner"}, "name": {"k"}, "scope": {"write"}, "email": {"x@example.com"},
				"customer": {"c1"}, "confirm": {"c1"}, "url": {"https://example.com/h"}, "events": {"*"}, "active": {"false"}})
			if r.status != http.StatusForbidden {
				t.Errorf("viewer POST %s: status %d, want 403", path, r.status)
			}
		}
		keys, _ := db.APIKeys(context.Background(), e.a.ID)
		if len(keys) != 0 {
			t.Fatalf("a viewer created keys: %+v", keys)
		}
	})
}

func TestRolesPerPage(t *testing.T) {
	e := newAcctEnv(t, store.SQLite)
	cases := []struct {
		who, path string
		want      int
	}{
		{"viewer", "/app/settings", 200},
		{"viewer", "/app/settings/users", 403},
		{"viewer", "/app/settings/export", 403},
		{"agent", "/app/settings/keys", 403},
		{"analyst", "/app/settings/users", 403},
		{"analyst", "/app/settings/keys", 403},
		{"analyst", "/app/settings/audit", 403},
		{"analyst", "/app/settings/export", 200},
		{"admin", "/app/settings/users", 200},
		{"admin", "/app/settings/keys", 200},
		{"admin", "/app/settings/webhooks", 200},
		{"admin", "/app/settings/erase", 200},
		{"admin", "/app/settings/email", 200},
		{"admin", "/app/settings/audit", 200},
		{"owner", "/app/settings/users?format=csv", 200},
	}
	for _, tc := range cases {
		if r := e.login(tc.who).do("GET", tc.path, nil); r.status != tc.want {
			t.Errorf("%s GET %s: %d, want %d", tc.who, tc.path, r.status, tc.want)
		}
	}
}

func TestAnalystCannotManageUsers(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *acctEnv) {
		db := e.db
		c := e.login("analyst")
		viewer := e.users["viewer"].ID
		for _, tc := range []struct {
			path string
			form url.Values
		}{
			{"/app/settings/users/invite", url.Values{"email": {"new@acme.example"}, "role": {"viewer"}}},
			{"/app/settings/users/" + itoa(viewer) + "/role", url.Values{"role": {"analyst"}}},
			{"/app/settings/users/" + itoa(viewer) + "/remove", nil},
		} {
			if r := c.post(tc.path, tc.form); r.status != http.StatusForbidden {
				t.Errorf("analyst POST %s: %d, want 403", tc.path, r.status)
			}
		}
		ms, _ := db.Memberships(context.Background(), viewer)
		if len(ms) != 1 || ms[0].Role != "viewer" {
			t.Fatalf("viewer's membership changed: %+v", ms)
		}
		if inv, _ := db.PendingUserInvitations(context.Background(), e.a.ID); len(inv) != 0 {
			t.Fatalf("analyst invited: %+v", inv)
		}
		// An admin can, but cannot make an owner.
		admin := e.login("admin")
		if r := admin.post("/app/settings/users/"+itoa(viewer)+"/role", url.Values{"role": {"owner"}}); r.status != http.StatusForbidden {
			t.Errorf("admin grants owner: %d, want 403", r.status)
		}
		if r := admin.post("/app/settings/users/"+itoa(e.users["owner"].ID)+"/remove", nil); r.status != http.StatusForbidden {
			t.Errorf("admin removes owner: %d, want 403", r.status)
		}
		if r := admin.post("/app/settings/users/"+itoa(viewer)+"/role", url.Values{"role": {"analyst"}}); r.status != http.StatusSeeOther {
			t.Fatalf("admin changes role: %d %s", r.status, r.body)
		}
		log, _ := db.AuditLog(context.Background(), e.a.ID, 0, 10)
		if len(log) != 1 || log[0].Action != "user.role_changed" || log[0].Target != "viewer@acme.example" || log[0].Detail != "viewer → analyst" {
			t.Fatalf("audit log = %+v", log)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestWorkspaceIsolation(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *acctEnv) {
		db := e.db
		ctx := context.Background()
		_, keyB, err := db.CreateAPIKey(ctx, e.b.ID, "B's key", []string{"read"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpsertCustomers(ctx, e.b.ID, []cx.Customer{{ExternalID: "globex-1", Email: "c@globex.example"}}, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		c := e.login("owner") // owner of A, not a member of B
		for _, path := range []string{"/app/settings/keys?ws=" + itoa(e.b.ID), "/app/settings?ws=" + itoa(e.b.ID), "/app/settings/users?ws=99999", "/app/settings?ws=x"} {
			if r := c.do("GET", path, nil); r.status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", path, r.status)
			}
		}
		r := c.do("GET", "/app/settings/keys", nil)
		if strings.Contains(r.body, "B&#39;s key") || strings.Contains(r.body, keyB.Prefix) {
			t.Fatal("A's key page shows B's key")
		}
		// Ids are per workspace: B's key id does not exist in A.
		if r := c.post("/app/settings/keys/"+itoa(keyB.ID)+"/revoke", nil); r.status != http.StatusNotFound {
			t.Errorf("revoke B's key from A: %d, want 404", r.status)
		}
		if r := c.post("/app/settings/keys/"+itoa(keyB.ID)+"/revoke?ws="+itoa(e.b.ID), nil); r.status != http.StatusNotFound {
			t.Errorf("revoke with ?ws=B: %d, want 404", r.status)
		}
		if r := c.do("GET", "/app/settings/erase?customer=globex-1", nil); !strings.Contains(r.body, e.srv.translate("settings.erase.notfound")) {
			t.Error("A's erasure page finds B's customer")
		}
		if r := c.post("/app/settings/erase", url.Values{"customer": {"globex-1"}, "confirm": {"globex-1"}}); r.status != http.StatusNotFound {
			t.Errorf("erase B's customer from A: %d, want 404", r.status)
		}
		if r := c.post("/app/workspace", url.Values{"workspace": {itoa(e.b.ID)}}); r.status != http.StatusNotFound {
			t.Errorf("switch to B: %d, want 404", r.status)
		}
		keys, _ := db.APIKeys(ctx, e.b.ID)
		if keys[0].RevokedAt != nil {
			t.Fatal("B's key was revoked")
		}
		if cust, err := db.Customer(ctx, e.b.ID, "globex-1"); err != nil || cust.Email == "" {
			t.Fatalf("B's customer = %+v, %v", cust, err)
		}
	})
}

func TestWorkspaceSwitcher(t *testing.T) {
	e := newAcctEnv(t, store.SQLite)
	ctx := context.Background()
	if err := e.db.SetRole(ctx, e.b.ID, e.users["viewer"].ID, "admin"); err != nil {
		t.Fatal(err)
	}
	c := e.login("viewer")
	if r := c.do("GET", "/app/settings/keys", nil); r.status != http.StatusForbidden {
		t.Fatalf("viewer of A on keys: %d", r.status)
	}
	if r := c.do("GET", "/app/settings/keys?ws="+itoa(e.b.ID), nil); r.status != http.StatusOK {
		t.Fatalf("admin of B with ?ws=: %d", r.status)
	}
	r := c.do("GET", "/app/settings", nil)
	if !strings.Contains(r.body, `id="ws-switch"`) || !strings.Contains(r.body, "Globex") {
		t.Fatal("no workspace switcher for a member of two workspaces")
	}
	if r := c.post("/app/workspace", url.Values{"workspace": {itoa(e.b.ID)}}); r.status != http.StatusSeeOther {
		t.Fatalf("switch: %d", r.status)
	}
	if r := c.do("GET", "/app/settings/keys", nil); r.status != http.StatusOK {
		t.Fatalf("after switching to B: %d", r.status)
	}
}

func TestCSRF(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *acctEnv) {
		db := e.db
		c := e.login("owner")
		form := url.Values{"name": {"ci"}, "scope": {"read"}}
		if r := c.do("POST", "/app/settings/keys", form); r.status != http.StatusForbidden {
			t.Errorf("no token: %d, want 403", r.status)
		}
		form.Set("csrf", strings.Repeat("0", 64))
		if r := c.do("POST", "/app/settings/keys", form); r.status != http.StatusForbidden {
			t.Errorf("wrong token: %d, want 403", r.status)
		}
		// Another session's token is no good either.
		form.Set("csrf", e.login("admin").csrf)
		if r := c.do("POST", "/app/settings/keys", form); r.status != http.StatusForbidden {
			t.Errorf("another session's token: %d, want 403", r.status)
		}
		if keys, _ := db.APIKeys(context.Background(), e.a.ID); len(keys) != 0 {
			t.Fatalf("keys created without a token: %d", len(keys))
		}
		// htmx sends it in a header.
		req := httptest.NewRequest("POST", "/app/settings/keys", strings.NewReader("name=ci&scope=read"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-CSRF-Token", c.csrf)
		req.Header.Set("HX-Request", "true")
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.cookies[sessionCookie]})
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "cxl_") || strings.Contains(rec.Body.String(), "<html") {
			t.Fatalf("htmx post with header token: %d (want only the content block)", rec.Code)
		}
		// Pre-session forms: login without the cookie's token is refused.
		a := e.anon()
		if r := a.do("POST", "/login", url.Values{"email": {"owner@acme.example"}, "password": {testPassword}}); r.status != http.StatusForbidden {
			t.Errorf("login without token: %d, want 403", r.status)
		}
		a.do("GET", "/login", nil)
		if r := a.post("/login", url.Values{"email": {"owner@acme.example"}, "password": {testPassword}}); r.status != http.StatusSeeOther {
			t.Errorf("login with token: %d, want 303", r.status)
		}
	})
}

func TestSessionExpiry(t *testing.T) {
	e := newAcctEnv(t, store.SQLite)
	c := e.login("viewer")
	for range 3 { // activity keeps it alive past the idle limit
		e.advance(sessionIdle - time.Hour)
		if r := c.do("GET", "/app/settings", nil); r.status != http.StatusOK {
			t.Fatalf("active session: %d", r.status)
		}
	}
	e.advance(sessionIdle + time.Minute)
	if r := c.do("GET", "/app/settings", nil); r.status != http.StatusSeeOther {
		t.Fatalf("idle session: %d, want a redirect to login", r.status)
	}
	c = e.login("viewer")
	start := e.clock()
	for e.clock().Before(start.Add(sessionAbsolute - time.Hour)) {
		e.advance(sessionIdle / 2)
		c.do("GET", "/app/settings", nil)
	}
	e.advance(2 * time.Hour)
	if r := c.do("GET", "/app/settings", nil); r.status != http.StatusSeeOther {
		t.Fatalf("session past its absolute expiry: %d", r.status)
	}
}

func TestNotFoundAndStatic(t *testing.T) {
	e := newAcctEnv(t, store.SQLite)
	c := e.login("viewer")
	r := c.do("GET", "/app/no-such-page", nil)
	if r.status != http.StatusNotFound || !strings.Contains(r.body, `<main id="main"`) || !strings.Contains(r.body, "Page not found") {
		t.Fatalf("404 page: %d\n%s", r.status, r.body)
	}
	if r := e.anon().do("GET", "/nowhere", nil); r.status != http.StatusNotFound || !strings.Contains(r.body, "Page not found") {
		t.Fatalf("anonymous 404: %d", r.status)
	}
	css := assetURL("app.css")
	if !strings.Contains(css, "?v=") {
		t.Fatalf("asset URL without hash: %s", css)
	}
	req := httptest.NewRequest("GET", css, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") || rec.Header().Get("ETag") == "" {
		t.Fatalf("css: %d %v", rec.Code, rec.Header())
	}
	req = httptest.NewRequest("GET", "/static/app/htmx.min.js", nil)
	req.Header.Set("If-None-Match", rec.Header().Get("ETag"))
	rec2 := httptest.NewRecorder()
	e.srv.ServeHTTP(rec2, req)
	if rec2.Code != 200 || strings.Contains(rec2.Header().Get("Cache-Control"), "immutable") {
		t.Fatalf("htmx without hash: %d %v", rec2.Code, rec2.Header())
	}
	req = httptest.NewRequest("GET", css, nil)
	req.Header.Set("If-None-Match", rec.Header().Get("ETag"))
	rec3 := httptest.NewRecorder()
	e.srv.ServeHTTP(rec3, req)
	if rec3.Code != http.StatusNotModified {
		t.Fatalf("If-None-Match: %d, want 304", rec3.Code)
	}
}

func newReq(method, target, accept string) *http.Request {
	req := httptest.NewRequest(method, target, nil)
	if accept != "" {
		req.Header.Set("Accept-Language", accept)
	}
	return req
}

func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// translate returns key's English text (tests compare pages with it).
func (s *Server) translate(key string, args ...any) string {
	return translator(defaultLang)(key, args...)
}

// BenchmarkAppPage measures a dashboard request through app() and the
// layout: session, user, memberships, role check and render.
func BenchmarkAppPage(b *testing.B) {
	e := newAcctEnv(b, store.SQLite)
	c := e.login("owner")
	req := httptest.NewRequest("GET", "/app/settings/users", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.cookies[sessionCookie]})
	for b.Loop() {
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}
