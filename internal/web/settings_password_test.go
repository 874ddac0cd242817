package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func pwForm(current, next, again string) url.Values {
	return url.Values{"current_password": {current}, "new_password": {next}, "new_password2": {again}}
}

func TestChangePassword(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *acctEnv) {
		ctx := context.Background()
		const next = "a brand new passphrase"
		a, other := e.login("viewer"), e.login("viewer") // two browsers of one user
		if r := a.do("GET", "/app/settings", nil); !strings.Contains(r.body, `action="/app/settings/password"`) || !strings.Contains(r.body, `autocomplete="current-password"`) {
			t.Fatalf("settings page lacks the form: %.300s", r.body)
		}

		// A wrong current password is refused, whatever the new one.
		r := a.post("/app/settings/password", pwForm("not my password", next, next))
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "The current password is wrong.") || !strings.Contains(r.body, `aria-describedby="current_password-err"`) {
			t.Fatalf("wrong current password: %d %.300s", r.status, r.body)
		}
		// A short or mismatched new password too.
		r = a.post("/app/settings/password", pwForm(testPassword, "short", "short"))
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="new_password-err"`) || strings.Contains(r.body, `id="current_password-err"`) {
			t.Fatalf("short password: %d", r.status)
		}
		if r := a.post("/app/settings/password", pwForm(testPassword, next, next+"x")); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="new_password2-err"`) {
			t.Fatalf("mismatch: %d", r.status)
		}
		u, _ := e.db.User(ctx, e.users["viewer"].ID)
		if !verifyPassword(u.PasswordHash, testPassword) {
			t.Fatal("a refused change changed the password")
		}
		if r := other.do("GET", "/app/settings", nil); r.status != http.StatusOK {
			t.Fatalf("a refused change ended the other session: %d", r.status)
		}
		// Without the CSRF token: 403.
		if r := a.do("POST", "/app/settings/password", pwForm(testPassword, next, next)); r.status != http.StatusForbidden {
			t.Fatalf("no CSRF token: %d", r.status)
		}

		// The change: this browser stays logged in (a new session), the other is logged out.
		oldCookie := a.cookies[sessionCookie]
		r = a.post("/app/settings/password", pwForm(testPassword, next, next))
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/app/settings?done=password" {
			t.Fatalf("change: %d %q %.300s", r.status, r.header.Get("Location"), r.body)
		}
		if a.cookies[sessionCookie] == oldCookie || a.cookies[sessionCookie] == "" {
			t.Error("the session token was not rotated")
		}
		if r := a.do("GET", "/app/settings?done=password", nil); r.status != http.StatusOK || !strings.Contains(r.body, "Password changed.") {
			t.Errorf("after the change: %d", r.status)
		}
		if r := other.do("GET", "/app/settings", nil); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
			t.Errorf("the other session still works: %d", r.status)
		}
		u, _ = e.db.User(ctx, e.users["viewer"].ID)
		if !strings.HasPrefix(u.PasswordHash, "$argon2id$") || !verifyPassword(u.PasswordHash, next) || verifyPassword(u.PasswordHash, testPassword) {
			t.Errorf("stored hash: %q", u.PasswordHash)
		}
		log, _ := e.db.AuditLog(ctx, e.a.ID, 0, 10)
		if len(log) == 0 || log[0].Action != "user.password_changed" || log[0].Actor != "viewer@acme.example" {
			t.Errorf("audit: %+v", log)
		}
		// Logging in: the old password fails, the new one works (after
		// the per-account bucket the four attempts above used refills).
		e.advance(3 * time.Minute)
		if r := e.anon().loginForm("viewer@acme.example", testPassword); r.status != http.StatusUnauthorized {
			t.Errorf("login with the old password: %d", r.status)
		}
		if r := e.anon().loginForm("viewer@acme.example", next); r.status != http.StatusSeeOther {
			t.Errorf("login with the new password: %d", r.status)
		}
	})
}

// TestChangePasswordRateLimited checks that guessing the current password
// through the form spends the login's per-account bucket.
func TestChangePasswordRateLimited(t *testing.T) {
	e := newAcctEnv(t, "sqlite")
	c := e.login("agent")
	var last int
	for i := 0; i < 6; i++ {
		last = c.post("/app/settings/password", pwForm("guess number "+itoa(int64(i)), "a brand new passphrase", "a brand new passphrase")).status
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("6th guess: %d, want 429", last)
	}
	// The bucket is the login's: logging in is refused as well, even with the right password.
	if r := e.anon().loginForm("agent@acme.example", testPassword); r.status != http.StatusTooManyRequests {
		t.Errorf("login after the guesses: %d", r.status)
	}
}
