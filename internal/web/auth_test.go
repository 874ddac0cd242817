package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/mail"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

func TestPasswordHash(t *testing.T) {
	h := hashPassword(testPassword)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash = %s", h)
	}
	if !verifyPassword(h, testPassword) || verifyPassword(h, testPassword+"x") || verifyPassword("", testPassword) || verifyPassword("$argon2id$v=19$m=1,t=1,p=1$$", "") {
		t.Fatal("verifyPassword is wrong")
	}
	if h2 := hashPassword(testPassword); h2 == h {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if _, err := HashPassword("short"); err == nil {
		t.Fatal("a 5-character password was accepted")
	}
}

// loginForm logs c in through the form and returns the response.
func (c *client) loginForm(email, password string) result {
	c.e.t.Helper()
	c.do("GET", "/login", nil)
	return c.post("/login", url.Values{"email": {email}, "password": {password}})
}

func TestLoginRotatesSession(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *acctEnv) {
		db := e.db
		c := e.login("viewer") // a session the attacker planted, say
		old := c.cookies[sessionCookie]
		r := c.loginForm("Owner@Acme.Example", testPassword)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/app" {
			t.Fatalf("login: %d %q", r.status, r.header.Get("Location"))
		}
		setCookie := r.header.Get("Set-Cookie")
		if !strings.Contains(setCookie, "HttpOnly") || !strings.Contains(setCookie, "SameSite=Lax") || strings.Contains(setCookie, "Secure") {
			t.Fatalf("cookie flags: %s", setCookie)
		}
		if c.cookies[sessionCookie] == old {
			t.Fatal("the session token did not change at login")
		}
		if _, err := db.Session(context.Background(), hashToken(old)); err == nil {
			t.Fatal("the old session survived the login")
		}
		got, err := db.Session(context.Background(), hashToken(c.cookies[sessionCookie]))
		if err != nil || got.UserID != e.users["owner"].ID {
			t.Fatalf("new session = %+v, %v", got, err)
		}
		if r := c.do("GET", "/app/settings/users", nil); r.status != 200 {
			t.Fatalf("owner after login: %d", r.status)
		}
		// Logout ends it, and needs the token.
		if r := c.do("POST", "/logout", url.Values{}); r.status != http.StatusForbidden {
			t.Fatalf("logout without token: %d", r.status)
		}
		tok := c.cookies[sessionCookie]
		if r := c.post("/logout", nil); r.status != http.StatusSeeOther {
			t.Fatalf("logout: %d", r.status)
		}
		if _, err := db.Session(context.Background(), hashToken(tok)); err == nil {
			t.Fatal("session survived logout")
		}
	})
}

func TestLoginHTTPSCookieAndNext(t *testing.T) {
	e := newAcctEnv(t, store.SQLite)
	e.srv.opts.BaseURL = "https://cx.example.com"
	c := e.anon()
	c.do("GET", "/login?next=/app/settings/keys", nil)
	r := c.post("/login", url.Values{"email": {"admin@acme.example"}, "password": {testPassword}, "next": {"/app/settings/keys"}})
	if r.header.Get("Location") != "/app/settings/keys" || !strings.Contains(r.header.Get("Set-Cookie"), "Secure") {
		t.Fatalf("login: %q %q", r.header.Get("Location"), r.header.Get("Set-Cookie"))
	}
	c = e.anon()
	c.do("GET", "/login", nil)
	if r := c.post("/login", url.Values{"email": {"admin@acme.example"}, "password": {testPassword}, "next": {"//evil.example/x"}}); r.header.Get("Location") != "/app" {
		t.Fatalf("open redirect: %q", r.header.Get("Location"))
	}
}

func TestLoginRateLimits(t *testing.T) {
	e := newAcctEnv(t, store.SQLite)
	c := e.anon()
	c.do("GET", "/login", nil)
	for i := range 5 {
		if r := c.post("/login", url.Values{"email": {"owner@acme.example"}, "password": {"wrong password " + itoa(int64(i))}}); r.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401", i, r.status)
		}
	}
	// The account is locked for a while, even with the right password and from another IP.
	c2 := e.anon()
	c2.ip = "198.51.100.7"
	c2.do("GET", "/login", nil)
	if r := c2.post("/login", url.Values{"email": {"owner@acme.example"}, "password": {testPassword}}); r.status != http.StatusTooManyRequests {
		t.Fatalf("6th attempt: %d, want 429", r.status)
	}
	if r := c2.post("/login", url.Values{"email": {"admin@acme.example"}, "password": {testPassword}}); r.status != http.StatusSeeOther {
		t.Fatalf("another account: %d, want 303", r.status)
	}
	e.advance(2 * time.Minute)
	if r := c2.post("/login", url.Values{"email": {"owner@acme.example"}, "password": {testPassword}}); r.status != http.StatusSeeOther {
		t.Fatalf("after 2 minutes: %d, want 303", r.status)
	}
	// Per IP: a burst of 20 posts, whatever the account.
	c3 := e.anon()
	c3.ip = "203.0.113.9"
	c3.do("GET", "/login", nil)
	statuses := map[int]int{}
	for i := range 25 {
		r := c3.post("/login", url.Values{"email": {"nobody" + itoa(int64(i)) + "@example.com"}, "password": {"x"}})
		statuses[r.status]++
	}
	if statuses[http.StatusUnauthorized] != 20 || statuses[http.StatusTooManyRequests] != 5 {
		t.Fatalf("statuses from one IP = %v, want 20×401 and 5×429", statuses)
	}
}

func TestFirstRunSetup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv := New(db, nil, Options{})
		e := &acctEnv{t: t, db: db, srv: srv, now: time.Now()}
		c := e.anon()
		if r := c.do("GET", "/", nil); r.header.Get("Location") != "/setup" {
			t.Fatalf("/ on an empty database: %q", r.header.Get("Location"))
		}
		if r := c.do("GET", "/login", nil); r.header.Get("Location") != "/setup" {
			t.Fatalf("/login on an empty database: %q", r.header.Get("Location"))
		}
		r := c.do("GET", "/setup", nil)
		if r.status != 200 || !strings.Contains(r.body, `name="workspace"`) {
			t.Fatalf("setup page: %d", r.status)
		}
		r = c.post("/setup", url.Values{"email": {"ana@example.com"}, "password": {"short"}, "password2": {"short"}, "workspace": {"Acme"}, "time_zone": {"Mars/Olympus"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "at least 10 characters") || !strings.Contains(r.body, "Unknown time zone") {
			t.Fatalf("bad setup: %d", r.status)
		}
		r = c.post("/setup", url.Values{"email": {"ana@example.com"}, "name": {"Ana"}, "password": {testPassword}, "password2": {testPassword}, "workspace": {"Acme"}, "time_zone": {"Europe/Bucharest"}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/app" {
			t.Fatalf("setup: %d %s", r.status, r.body)
		}
		if r := c.do("GET", "/app/settings/users", nil); r.status != 200 || !strings.Contains(r.body, "ana@example.com") {
			t.Fatalf("owner's users page: %d", r.status)
		}
		// Setup is closed once a user exists.
		other := e.anon()
		if r := other.do("GET", "/setup", nil); r.header.Get("Location") != "/login" {
			t.Fatalf("setup after setup: %d %q", r.status, r.header.Get("Location"))
		}
		wss, _ := db.Workspaces(context.Background())
		if len(wss) != 1 || wss[0].TimeZone != "Europe/Bucharest" {
			t.Fatalf("workspaces = %+v", wss)
		}
	})
}

// outboxMail returns the envelopes in the outbox.
func outboxMail(t *testing.T, db *store.DB) []mail.Envelope {
	t.Helper()
	msgs, err := db.ClaimOutbox(context.Background(), "test", 100, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	var out []mail.Envelope
	for _, m := range msgs {
		if m.Topic != mail.TopicSend {
			continue
		}
		var env mail.Envelope
		if err := json.Unmarshal(m.Payload, &env); err != nil {
			t.Fatal(err)
		}
		out = append(out, env)
	}
	return out
}

var linkToken = regexp.MustCompile(`token=([0-9a-f]{64})`)

func TestPasswordResetByEmail(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *acctEnv) {
		db := e.db
		c := e.anon()
		c.do("GET", "/password/forgot", nil)
		sent := c.post("/password/forgot", url.Values{"email": {"analyst@acme.example"}})
		unknown := c.post("/password/forgot", url.Values{"email": {"nobody@acme.example"}})
		if sent.status != 200 || unknown.status != 200 || !strings.Contains(sent.body, "If an account exists") || !strings.Contains(unknown.body, "If an account exists") {
			t.Fatalf("forgot: %d %d", sent.status, unknown.status)
		}
		mails := outboxMail(t, db)
		if len(mails) != 1 || mails[0].To != "analyst@acme.example" || mails[0].Kind != "password-reset" {
			t.Fatalf("mails = %+v", mails)
		}
		m := linkToken.FindStringSubmatch(mails[0].Text)
		if m == nil || !strings.Contains(mails[0].Text, "http://example.com/password/reset?token=") {
			t.Fatalf("no link in %q", mails[0].Text)
		}
		old := e.login("analyst")
		c.do("GET", "/password/reset?token="+m[1], nil)
		newPassword := "a much better passphrase"
		r := c.post("/password/reset", url.Values{"token": {m[1]}, "password": {newPassword}, "password2": {newPassword}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("reset: %d %s", r.status, r.body)
		}
		if r := old.do("GET", "/app/settings", nil); r.status != http.StatusSeeOther {
			t.Fatalf("a session from before the reset still works: %d", r.status)
		}
		// Single use.
		if r := c.post("/password/reset", url.Values{"token": {m[1]}, "password": {newPassword}, "password2": {newPassword}}); r.status != http.StatusNotFound {
			t.Fatalf("second use: %d, want 404", r.status)
		}
		if r := e.anon().loginForm("analyst@acme.example", newPassword); r.status != http.StatusSeeOther {
			t.Fatalf("login with the new password: %d", r.status)
		}
		// Expiry.
		c.post("/password/forgot", url.Values{"email": {"viewer@acme.example"}})
		m = linkToken.FindStringSubmatch(outboxMail(t, db)[0].Text)
		e.advance(resetTTL + time.Minute)
		if r := c.do("GET", "/password/reset?token="+m[1], nil); r.status != http.StatusNotFound {
			t.Fatalf("expired link: %d, want 404", r.status)
		}
	})
}

func TestInviteAndJoin(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *acctEnv) {
		db := e.db
		admin := e.login("admin")
		admin.do("GET", "/app/settings/users", nil)
		if r := admin.post("/app/settings/users/invite", url.Values{"email": {"new@acme.example"}, "role": {"owner"}}); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("admin invites an owner: %d, want 422", r.status)
		}
		if r := admin.post("/app/settings/users/invite", url.Values{"email": {"not an email"}, "role": {"viewer"}}); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad email: %d, want 422", r.status)
		}
		if r := admin.post("/app/settings/users/invite", url.Values{"email": {"New@Acme.Example"}, "role": {"analyst"}}); r.status != http.StatusSeeOther {
			t.Fatalf("invite: %d %s", r.status, r.body)
		}
		mails := outboxMail(t, db)
		if len(mails) != 1 || mails[0].To != "new@acme.example" || !strings.Contains(mails[0].Subject, "Acme") {
			t.Fatalf("mails = %+v", mails)
		}
		if r := admin.do("GET", "/app/settings/users?format=csv&table=invitations", nil); !strings.Contains(r.body, "new@acme.example,analyst") {
			t.Fatalf("invitations csv: %q", r.body)
		}
		tok := linkToken.FindStringSubmatch(mails[0].Text)[1]
		c := e.anon()
		if r := c.do("GET", "/join?token="+tok, nil); r.status != 200 || !strings.Contains(r.body, "new@acme.example") {
			t.Fatalf("join page: %d", r.status)
		}
		if r := c.post("/join", url.Values{"token": {tok}, "name": {"Nia"}, "password": {testPassword}, "password2": {testPassword}}); r.status != http.StatusSeeOther {
			t.Fatalf("join: %d %s", r.status, r.body)
		}
		if r := c.do("GET", "/app/settings/export", nil); r.status != 200 {
			t.Fatalf("new analyst on export: %d", r.status)
		}
		if r := e.anon().do("GET", "/join?token="+tok, nil); r.status != http.StatusNotFound {
			t.Fatalf("used invitation: %d, want 404", r.status)
		}
		log, _ := db.AuditLog(context.Background(), e.a.ID, 0, 10)
		if len(log) != 2 || log[0].Action != "user.joined" || log[1].Action != "user.invited" || log[1].Actor != "admin@acme.example" {
			t.Fatalf("audit = %+v", log)
		}
	})
}

func TestLanguage(t *testing.T) {
	e := newAcctEnv(t, store.SQLite)
	c := e.anon()
	c.do("GET", "/login", nil)
	cases := []struct{ accept, want string }{
		{"zh-CN,zh;q=0.9,en;q=0.5", "登录"},
		{"ro-RO", "Autentificare"},
		{"fr, en;q=0.1", "Log in"},
		{"", "Log in"},
	}
	for _, tc := range cases {
		req := newReq("GET", "/login", tc.accept)
		rec := serve(e.srv, req)
		if !strings.Contains(rec.Body.String(), "<h1>"+tc.want+"</h1>") {
			t.Errorf("Accept-Language %q: no %q", tc.accept, tc.want)
		}
	}
	// Cookie beats Accept-Language; the user's preference beats the cookie.
	if r := c.post("/lang", url.Values{"lang": {"ro"}, "next": {"/login"}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" {
		t.Fatalf("switch language: %d %q", r.status, r.header.Get("Location"))
	}
	if r := c.do("GET", "/login", nil); !strings.Contains(r.body, `<html lang="ro">`) {
		t.Fatal("language cookie ignored")
	}
	u := e.login("viewer")
	u.cookies[langCookie] = "ro"
	u.do("GET", "/app/settings", nil)
	if r := u.post("/lang", url.Values{"lang": {"zh"}, "next": {"/app/settings"}}); r.status != http.StatusSeeOther {
		t.Fatalf("switch language logged in: %d", r.status)
	}
	u.cookies[langCookie] = "ro"
	if r := u.do("GET", "/app/settings", nil); !strings.Contains(r.body, `<html lang="zh">`) || !strings.Contains(r.body, "设置") {
		t.Fatal("user preference ignored")
	}
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		hashPassword(testPassword)
	}
}
