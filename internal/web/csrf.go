package web

import (
	"crypto/subtle"
	"net/http"
)

// CSRF protection. Logged-in forms carry the session's synchronizer token
// (stored with the session, rotated with it) in the "csrf" field, or htmx
// sends it in the X-CSRF-Token header. Forms used before login (login,
// setup, reset, invitation, language) use a double-submit token: a random
// HttpOnly SameSite=Strict cookie whose value the form repeats.

// csrfField and csrfHeader carry the token.
const (
	csrfField  = "csrf"
	csrfHeader = "X-CSRF-Token"
	preCookie  = "cxl_pre"
)

// validCSRF reports whether r carries want in the header or the form.
func (s *Server) validCSRF(r *http.Request, want string) bool {
	got := r.Header.Get(csrfHeader)
	if got == "" {
		got = r.PostFormValue(csrfField)
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// preCSRF returns the pre-session token, setting its cookie if needed.
func (s *Server) preCSRF(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(preCookie); err == nil && len(c.Value) == 64 {
		return c.Value
	}
	t := newToken()
	http.SetCookie(w, &http.Cookie{Name: preCookie, Value: t, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(r)})
	return t
}

// validPreCSRF checks a pre-session form's token against its cookie.
func (s *Server) validPreCSRF(r *http.Request) bool {
	c, err := r.Cookie(preCookie)
	if err != nil || len(c.Value) != 64 {
		return false
	}
	return s.validCSRF(r, c.Value)
}
