package web

import (
	"net/http"

	"github.com/cxlens/cxlens/internal/store"
)

// changePassword changes the logged-in user's own password (Settings ›
// Your account): the current password, then the new one twice. Attempts
// are limited as logins are, per client IP and per account (the login's
// bucket, so the form is no way around it). The new password is hashed
// with argon2id (auth_password.go); store.SetPassword ends every session
// of the user, and this browser gets a fresh one, so only it stays logged
// in.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, v *view) {
	d := s.settingsData(v, nil)
	d.Path = "/app/settings" // the account tab
	now := s.opts.Now()
	lim := s.limits()
	if !lim.ip.allow(v.ip, now) || !lim.account.allow(v.User.Email, now) {
		w.Header().Set("Retry-After", "60")
		d.Error = "error.ratelimit"
		s.renderBlock(w, r, v, http.StatusTooManyRequests, "settings", blockFor(r), d)
		return
	}
	// The current password is checked whatever else is wrong, so every
	// attempt costs the same and counts.
	if v.User.PasswordHash == "" || !verifyPassword(v.User.PasswordHash, r.PostFormValue("current_password")) {
		d.Fields["current_password"] = "settings.password.wrong"
	}
	pw := newPassword(r, "new_password", "new_password2", d.Fields)
	if len(d.Fields) > 0 {
		d.Error = "error.invalid"
		if d.Fields["current_password"] != "" {
			s.logger.Info("web: password change refused", "user", v.User.ID, "ip", v.ip)
		}
		s.renderBlock(w, r, v, http.StatusUnprocessableEntity, "settings", blockFor(r), d)
		return
	}
	if err := s.db.SetPassword(r.Context(), v.User.ID, hashPassword(pw)); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.startSession(w, r, v.User, v.session.WorkspaceID); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.audit(r, store.AuditEntry{WorkspaceID: v.Workspace.ID, UserID: v.User.ID, Actor: v.User.Email, Action: "user.password_changed",
		Target: v.User.Email, Detail: "other sessions ended", IP: v.ip})
	back(w, r, "/app/settings", "password")
}
