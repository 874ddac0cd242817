package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"strings"

	"github.com/cxlens/cxlens/internal/store"
)

// sessionCookie holds the session token; the database keeps its SHA-256.
const sessionCookie = "cxl_session"

// newToken returns 32 random bytes in hex.
func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// hashToken is the stored form of a session, reset or invitation token.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// currentSession returns the request's live session: the cookie's token is
// known, and neither idle for longer than sessionIdle nor past its
// absolute expiry.
func (s *Server) currentSession(r *http.Request) (store.Session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || len(c.Value) != 64 {
		return store.Session{}, false
	}
	sess, err := s.db.Session(r.Context(), hashToken(c.Value))
	if err != nil {
		return store.Session{}, false
	}
	now := s.opts.Now()
	if !now.Before(sess.ExpiresAt) || now.Sub(sess.SeenAt) > sessionIdle {
		return store.Session{}, false
	}
	return sess, true
}

// startSession logs user in: any session the request already had is
// deleted and a new token is issued (rotation at login, so a token planted
// before login is worthless after it).
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, user store.User, ws int64) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.db.DeleteSession(r.Context(), hashToken(c.Value)); err != nil {
			return err
		}
	}
	now := s.opts.Now()
	token := newToken()
	ua := r.UserAgent()
	if len(ua) > 200 {
		ua = ua[:200]
	}
	err := s.db.CreateSession(r.Context(), store.Session{TokenHash: hashToken(token), UserID: user.ID, WorkspaceID: ws, CSRF: newToken(),
		CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(sessionAbsolute), IP: clientIP(r), UserAgent: ua})
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secure(r), MaxAge: int(sessionAbsolute.Seconds())})
	return nil
}

// endSession logs the request's session out and clears the cookie.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.db.DeleteSession(r.Context(), hashToken(c.Value)); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secure(r), MaxAge: -1})
	return nil
}

// secure reports whether cookies must be Secure: the request came over
// TLS, through a proxy saying https, or the public base URL is https.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") || strings.HasPrefix(s.opts.BaseURL, "https://")
}

// clientIP is the request's remote address without the port.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
