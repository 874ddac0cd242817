package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/cxlens/cxlens/internal/store"
)

func TestUserCreate(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	ws := e.setup(t)
	e.stdin = "correct horse battery\n"
	if r := e.must(t, "user", "create", "--workspace", ws, "--email", "Ana@Example.com", "--role", "owner", "--password-stdin"); r.stdout != "" {
		t.Errorf("stdout = %q, want nothing", r.stdout)
	}
	e.stdin = ""
	r := e.must(t, "user", "create", "--workspace", ws, "--email", "bob@example.com", "--role", "analyst")
	if !regexp.MustCompile(`^[A-Z2-7]{26}\n$`).MatchString(r.stdout) {
		t.Errorf("generated password = %q", r.stdout)
	}
	// Again: the role changes, no password is printed.
	if r := e.must(t, "user", "create", "--workspace", ws, "--email", "bob@example.com", "--role", "viewer"); r.stdout != "" || !strings.Contains(r.stderr, "password unchanged") {
		t.Errorf("existing user: stdout %q stderr %q", r.stdout, r.stderr)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--workspace", ws, "--role", "viewer"}, "--email"},
		{[]string{"--workspace", ws, "--email", "x@example.com", "--role", "boss"}, "--role"},
		{[]string{"--email", "x@example.com"}, "--workspace"},
		{[]string{"--workspace", ws, "--email", "not-an-email"}, "email"},
	} {
		r := e.cxlens(t, append([]string{"user", "create"}, tc.args...)...)
		if r.code != 2 || r.err == nil || !strings.Contains(r.err.Error(), tc.want) {
			t.Errorf("user create %v: code %d, err %v; want 2 naming %s", tc.args, r.code, r.err, tc.want)
		}
	}
	e.stdin = "short\n"
	if r := e.cxlens(t, "user", "create", "--workspace", ws, "--email", "c@example.com", "--password-stdin"); r.code != 2 || r.err == nil || !strings.Contains(r.err.Error(), "at least 10") {
		t.Errorf("short password: code %d, err %v", r.code, r.err)
	}
}
