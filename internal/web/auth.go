package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/mail"
	"github.com/cxlens/cxlens/internal/store"
)

// Token lifetimes.
const (
	resetTTL      = time.Hour
	invitationTTL = 7 * 24 * time.Hour
)

// acctState holds the login rate limiters, made on first use.
type acctState struct {
	once    sync.Once
	ip      *surveyLimiter // login, setup, reset and invitation posts per client IP
	account *surveyLimiter // login attempts and reset requests per email
}

// limits returns the limiters: per IP a burst of 20 posts refilled at one
// per 6 s (enough for an office behind one NAT), per account a burst of 5
// attempts refilled at one per minute (an online guesser gets about 1,440
// tries a day against one account, far too few against a 10-character
// password).
func (s *Server) limits() *acctState {
	a := &s.acct
	a.once.Do(func() {
		a.ip = newSurveyLimiter(1.0/6, 20)
		a.account = newSurveyLimiter(1.0/60, 5)
	})
	return a
}

// authRoutes are login, logout, first-run setup, password reset and
// invitation acceptance: the pages used without a session.
func (s *Server) authRoutes() []page {
	return []page{
		{"GET /login", s.loginPage},
		{"POST /login", s.loginPage},
		{"POST /logout", s.logout},
		{"GET /setup", s.setupPage},
		{"POST /setup", s.setupPage},
		{"GET /password/forgot", s.forgotPage},
		{"POST /password/forgot", s.forgotPage},
		{"GET /password/reset", s.resetPage},
		{"POST /password/reset", s.resetPage},
		{"GET /join", s.joinPage},
		{"POST /join", s.joinPage},
	}
}

// authForm is what the account pages show.
type authForm struct {
	Email, Name, Workspace, TimeZone string
	Next, Token                      string
	Error                            string            // catalogue key of a form-wide error
	Fields                           map[string]string // field → catalogue key
	Done                             bool              // the action succeeded (forgot: mail sent)
	NeedWorkspace                    bool              // setup: no workspace exists yet
	Invitation                       store.UserInvitation
	WorkspaceName                    string
	Existing                         bool // join: the invited email has an account
}

// preView is the view of a page without a session; its CSRF token is the
// pre-session one.
func (s *Server) preView(w http.ResponseWriter, r *http.Request) *view {
	setPageHeaders(w)
	lang := pickLang(r, "")
	return &view{Lang: lang, T: translator(lang), Now: s.opts.Now(), Loc: time.UTC, Path: r.URL.Path, Query: r.URL.Query(),
		CSRF: s.preCSRF(w, r), ip: clientIP(r)}
}

// preForm reads a pre-session form post: size limit, CSRF and IP rate
// limit. It answers and returns false when the post must stop.
func (s *Server) preForm(w http.ResponseWriter, r *http.Request, v *view) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.renderBlock(w, r, v, http.StatusBadRequest, "error", "layout", errorData{Status: http.StatusBadRequest, Message: "error.invalid"})
		return false
	}
	if !s.validPreCSRF(r) {
		s.renderBlock(w, r, v, http.StatusForbidden, "error", "layout", errorData{Status: http.StatusForbidden, Message: "error.csrf"})
		return false
	}
	if !s.limits().ip.allow(v.ip, s.opts.Now()) {
		w.Header().Set("Retry-After", "60")
		s.renderBlock(w, r, v, http.StatusTooManyRequests, "error", "layout", errorData{Status: http.StatusTooManyRequests, Message: "error.ratelimit"})
		return false
	}
	return true
}

// loginPage shows and handles the login form.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	v := s.preView(w, r)
	f := authForm{Next: localPath(r.FormValue("next"), "/app")}
	if r.Method == http.MethodGet {
		if n, err := s.db.CountUsers(r.Context()); err == nil && n == 0 {
			http.Redirect(w, r, "/setup", http.StatusSeeOther)
			return
		}
		s.renderBlock(w, r, v, http.StatusOK, "login", "layout", f)
		return
	}
	if !s.preForm(w, r, v) {
		return
	}
	f.Email = store.NormalizeEmail(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	now := s.opts.Now()
	// The account bucket is checked before the password is, so a
	// guesser cannot learn anything once it is empty.
	if !s.limits().account.allow(f.Email, now) {
		w.Header().Set("Retry-After", "60")
		f.Error = "error.ratelimit"
		s.renderBlock(w, r, v, http.StatusTooManyRequests, "login", "layout", f)
		return
	}
	u, err := s.db.UserByEmail(r.Context(), f.Email)
	if err != nil && !errors.Is(err, cx.ErrNotFound) {
		s.serverError(w, r, err)
		return
	}
	ok := false
	if err == nil && u.PasswordHash != "" {
		ok = verifyPassword(u.PasswordHash, password)
	} else {
		verifyPassword(dummyHash(), password)
	}
	if !ok {
		f.Error = "auth.login.wrong"
		s.renderBlock(w, r, v, http.StatusUnauthorized, "login", "layout", f)
		return
	}
	if _, err := s.db.PurgeSessions(r.Context(), now, now.Add(-sessionIdle)); err != nil {
		s.logger.Warn("web: purge sessions", "err", err)
	}
	if err := s.startSession(w, r, u, 0); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.logger.Info("web: login", "user", u.ID, "ip", v.ip)
	http.Redirect(w, r, f.Next, http.StatusSeeOther)
}

// logout ends the session. It needs the session's CSRF token, so another
// site cannot log a user out.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	sess, ok := s.currentSession(r)
	if ok && !s.validCSRF(r, sess.CSRF) {
		s.plainError(w, r, http.StatusForbidden, "error.csrf")
		return
	}
	if err := s.endSession(w, r); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// setupPage is first-run setup: while there are no users, it creates the
// owner (and a workspace if there is none) and logs them in.
func (s *Server) setupPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	n, err := s.db.CountUsers(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if n > 0 {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	wss, err := s.db.Workspaces(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := s.preView(w, r)
	f := authForm{NeedWorkspace: len(wss) == 0, TimeZone: "UTC", Fields: map[string]string{}}
	if r.Method == http.MethodGet {
		s.renderBlock(w, r, v, http.StatusOK, "setup", "layout", f)
		return
	}
	if !s.preForm(w, r, v) {
		return
	}
	f.Email = store.NormalizeEmail(r.PostFormValue("email"))
	f.Name = strings.TrimSpace(r.PostFormValue("name"))
	f.Workspace = strings.TrimSpace(r.PostFormValue("workspace"))
	if tz := strings.TrimSpace(r.PostFormValue("time_zone")); tz != "" {
		f.TimeZone = tz
	}
	if !validEmail(f.Email) {
		f.Fields["email"] = "auth.email.invalid"
	}
	password := newPassword(r, "password", "password2", f.Fields)
	if f.NeedWorkspace {
		if f.Workspace == "" {
			f.Fields["workspace"] = "auth.workspace.required"
		}
		if _, err := time.LoadLocation(f.TimeZone); err != nil {
			f.Fields["time_zone"] = "auth.timezone.invalid"
		}
	}
	if len(f.Fields) > 0 {
		f.Error = "error.invalid"
		s.renderBlock(w, r, v, http.StatusUnprocessableEntity, "setup", "layout", f)
		return
	}
	u, ws, err := s.db.Setup(ctx, store.User{Email: f.Email, Name: f.Name, PasswordHash: hashPassword(password), Lang: v.Lang}, f.Workspace, f.TimeZone)
	if errors.Is(err, cx.ErrConflict) {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	if errors.Is(err, cx.ErrInvalid) {
		f.Error = "error.invalid"
		f.Fields["workspace"] = "auth.workspace.required"
		s.renderBlock(w, r, v, http.StatusUnprocessableEntity, "setup", "layout", f)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.audit(r, store.AuditEntry{WorkspaceID: ws.ID, UserID: u.ID, Actor: u.Email, Action: "setup.owner_created", Target: u.Email, IP: v.ip})
	if err := s.startSession(w, r, u, ws.ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/app", http.StatusSeeOther)
}

// validEmail reports whether s is a plain, lower-cased email address.
func validEmail(s string) bool {
	return mail.Envelope{To: s, Subject: "x", Text: "x"}.Validate() == nil && len(s) <= 254
}

// baseURL is the public address for links in emails.
func (s *Server) baseURL(r *http.Request) string {
	if s.opts.BaseURL != "" {
		return strings.TrimSuffix(s.opts.BaseURL, "/")
	}
	scheme := "http"
	if s.secure(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// forgotPage sends a password reset link. It answers the same whether or
// not the email has an account, so it cannot be used to find accounts.
func (s *Server) forgotPage(w http.ResponseWriter, r *http.Request) {
	v := s.preView(w, r)
	f := authForm{}
	if r.Method == http.MethodGet {
		s.renderBlock(w, r, v, http.StatusOK, "forgot", "layout", f)
		return
	}
	if !s.preForm(w, r, v) {
		return
	}
	f.Email = store.NormalizeEmail(r.PostFormValue("email"))
	f.Done = true
	if !s.limits().account.allow("reset:"+f.Email, s.opts.Now()) {
		s.renderBlock(w, r, v, http.StatusOK, "forgot", "layout", f)
		return
	}
	if err := s.sendReset(r, v, f.Email); err != nil {
		s.logger.Warn("web: password reset", "err", err)
	}
	s.renderBlock(w, r, v, http.StatusOK, "forgot", "layout", f)
}

// sendReset creates a reset token for the user with email, if any, and
// enqueues the email with its link.
func (s *Server) sendReset(r *http.Request, v *view, email string) error {
	ctx := r.Context()
	u, err := s.db.UserByEmail(ctx, email)
	if errors.Is(err, cx.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	ms, err := s.db.Memberships(ctx, u.ID)
	if err != nil {
		return err
	}
	if len(ms) == 0 {
		return fmt.Errorf("user %d has no workspace to send mail from", u.ID)
	}
	token := newToken()
	T := translator(pickLang(r, u.Lang))
	link := s.baseURL(r) + "/password/reset?token=" + token
	msg, err := mail.Envelope{To: u.Email, Subject: T("mail.reset.subject"), Text: T("mail.reset.text", link, int(resetTTL.Minutes())),
		Kind: "password-reset", Ref: fmt.Sprintf("user:%d", u.ID)}.Message()
	if err != nil {
		return err
	}
	return s.db.CreatePasswordReset(ctx, ms[0].Workspace.ID, u.ID, hashToken(token), s.opts.Now().Add(resetTTL), msg)
}

// resetPage sets a new password with a reset link's token (once).
func (s *Server) resetPage(w http.ResponseWriter, r *http.Request) {
	v := s.preView(w, r)
	f := authForm{Token: r.FormValue("token"), Fields: map[string]string{}}
	ctx := r.Context()
	if r.Method == http.MethodGet {
		if _, err := s.db.PasswordResetUser(ctx, hashToken(f.Token)); err != nil {
			f.Error = "auth.reset.invalid"
			s.renderBlock(w, r, v, http.StatusNotFound, "reset", "layout", f)
			return
		}
		s.renderBlock(w, r, v, http.StatusOK, "reset", "layout", f)
		return
	}
	if !s.preForm(w, r, v) {
		return
	}
	password := newPassword(r, "password", "password2", f.Fields)
	if len(f.Fields) > 0 {
		f.Error = "error.invalid"
		s.renderBlock(w, r, v, http.StatusUnprocessableEntity, "reset", "layout", f)
		return
	}
	u, err := s.db.UsePasswordReset(ctx, hashToken(f.Token), hashPassword(password))
	if errors.Is(err, cx.ErrNotFound) {
		f.Error = "auth.reset.invalid"
		s.renderBlock(w, r, v, http.StatusNotFound, "reset", "layout", f)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.startSession(w, r, u, 0); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/app", http.StatusSeeOther)
}

// joinPage accepts an invitation: a new user chooses a name and password;
// an existing user joins the workspace and logs in as usual.
func (s *Server) joinPage(w http.ResponseWriter, r *http.Request) {
	v := s.preView(w, r)
	ctx := r.Context()
	f := authForm{Token: r.FormValue("token"), Fields: map[string]string{}}
	in, err := s.db.UserInvitationByToken(ctx, hashToken(f.Token))
	if err != nil {
		if !errors.Is(err, cx.ErrNotFound) {
			s.serverError(w, r, err)
			return
		}
		f.Error = "auth.join.invalid"
		s.renderBlock(w, r, v, http.StatusNotFound, "join", "layout", f)
		return
	}
	f.Invitation, f.Email = in, in.Email
	if ws, err := s.db.Workspace(ctx, in.WorkspaceID); err == nil {
		f.WorkspaceName = ws.Name
	}
	_, err = s.db.UserByEmail(ctx, in.Email)
	f.Existing = err == nil
	if r.Method == http.MethodGet {
		s.renderBlock(w, r, v, http.StatusOK, "join", "layout", f)
		return
	}
	if !s.preForm(w, r, v) {
		return
	}
	f.Name = strings.TrimSpace(r.PostFormValue("name"))
	hash := ""
	if !f.Existing {
		password := newPassword(r, "password", "password2", f.Fields)
		if len(f.Fields) > 0 {
			f.Error = "error.invalid"
			s.renderBlock(w, r, v, http.StatusUnprocessableEntity, "join", "layout", f)
			return
		}
		hash = hashPassword(password)
	}
	u, in, err := s.db.AcceptUserInvitation(ctx, hashToken(f.Token), f.Name, hash)
	if errors.Is(err, cx.ErrNotFound) {
		f.Error = "auth.join.invalid"
		s.renderBlock(w, r, v, http.StatusNotFound, "join", "layout", f)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.audit(r, store.AuditEntry{WorkspaceID: in.WorkspaceID, UserID: u.ID, Actor: u.Email, Action: "user.joined", Target: u.Email, Detail: in.Role, IP: v.ip})
	if f.Existing {
		// Knowing the invitation link is not knowing the password.
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	if err := s.startSession(w, r, u, in.WorkspaceID); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/app", http.StatusSeeOther)
}

// audit records an admin action; a failure is logged, not shown (the
// action itself is done).
func (s *Server) audit(r *http.Request, e store.AuditEntry) {
	if _, err := s.db.Audit(r.Context(), e); err != nil {
		s.logger.Error("web: audit", "action", e.Action, "err", err)
	}
}
