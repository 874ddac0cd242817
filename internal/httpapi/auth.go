package httpapi

import (
	"net/http"
	"strings"

	"github.com/cxlens/cxlens/internal/cx"
)

// keyHandler handles a request made with an authenticated API key. The
// key's WorkspaceID scopes every store call; the request never names one.
type keyHandler func(w http.ResponseWriter, r *http.Request, key cx.APIKey)

// requireKey resolves the Authorization: Bearer key and runs h when the
// key is live and carries scope: 401 without a usable key, 403 without the
// scope. The key goes to h as an argument rather than through the context,
// so the tenant of every call is explicit.
func (s *server) requireKey(scope string, h keyHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secret, ok := bearer(r.Header.Get("Authorization"))
		if !ok {
			s.fail(w, r, cx.ErrUnauthorized)
			return
		}
		key, err := s.db.AuthenticateAPIKey(r.Context(), secret)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if rec, ok := w.(*recorder); ok {
			rec.workspace = key.WorkspaceID
		}
		if !key.HasScope(scope) {
			s.fail(w, r, &apiError{status: http.StatusForbidden, msg: "this API key lacks the " + scope + " scope"})
			return
		}
		h(w, r, key)
	})
}

// bearer extracts the token of an "Authorization: Bearer <token>" header.
func bearer(header string) (string, bool) {
	const prefix = "bearer "
	if len(header) <= len(prefix) || !strings.EqualFold(header[:len(prefix)], prefix) {
		return "", false
	}
	token := strings.TrimSpace(header[len(prefix):])
	return token, token != ""
}
