package web

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/mail"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/transfer"
)

// settingsRoutes are the settings pages. Reading a settings page needs
// the role that may change it; every POST is checked again on the server.
func (s *Server) settingsRoutes() []page {
	return []page{
		{"GET /app/settings", s.app(RoleViewer, s.settingsIndex)},
		{"POST /app/settings/password", s.app(RoleViewer, s.changePassword)},
		{"GET /app/settings/users", s.app(RoleAdmin, s.usersPage)},
		{"POST /app/settings/users/invite", s.app(RoleAdmin, s.inviteUser)},
		{"POST /app/settings/users/{id}/role", s.app(RoleAdmin, s.changeRole)},
		{"POST /app/settings/users/{id}/remove", s.app(RoleAdmin, s.removeUser)},
		{"POST /app/settings/invitations/{id}/revoke", s.app(RoleAdmin, s.revokeInvitation)},
		{"GET /app/settings/keys", s.app(RoleAdmin, s.keysPage)},
		{"POST /app/settings/keys", s.app(RoleAdmin, s.createKey)},
		{"POST /app/settings/keys/{id}/revoke", s.app(RoleAdmin, s.revokeKey)},
		{"GET /app/settings/webhooks", s.app(RoleAdmin, s.webhooksPage)},
		{"POST /app/settings/webhooks", s.app(RoleAdmin, s.createWebhook)},
		{"POST /app/settings/webhooks/{id}/active", s.app(RoleAdmin, s.setWebhookActive)},
		{"GET /app/settings/export", s.app(RoleAnalyst, s.exportPage)},
		{"GET /app/settings/export/{file}", s.app(RoleAnalyst, s.exportFile)},
		{"GET /app/settings/erase", s.app(RoleAdmin, s.erasePage)},
		{"POST /app/settings/erase", s.app(RoleAdmin, s.eraseCustomer)},
		{"GET /app/settings/email", s.app(RoleAdmin, s.emailPage)},
		{"GET /app/settings/audit", s.app(RoleAdmin, s.auditPage)},
	}
}

// settingsTab is one tab of the settings pages.
type settingsTab struct {
	Key, Path string
	Min       Role
}

var settingsTabs = []settingsTab{
	{"settings.tab.account", "/app/settings", RoleViewer},
	{"settings.tab.users", "/app/settings/users", RoleAdmin},
	{"settings.tab.keys", "/app/settings/keys", RoleAdmin},
	{"settings.tab.webhooks", "/app/settings/webhooks", RoleAdmin},
	{"settings.tab.export", "/app/settings/export", RoleAnalyst},
	{"settings.tab.erase", "/app/settings/erase", RoleAdmin},
	{"settings.tab.email", "/app/settings/email", RoleAdmin},
	{"settings.tab.audit", "/app/settings/audit", RoleAdmin},
}

// doneNotices are the ?done= values of redirects after a change; each
// shows the message settings.done.<value>.
var doneNotices = []string{"invited", "role", "removed", "revoked", "key-revoked", "erased", "webhook-paused", "webhook-resumed", "password"}

// settingsData is the data of every settings page; Page holds the tab's own.
type settingsData struct {
	Tabs   []settingsTab
	Path   string
	Notice string            // catalogue key of a success message
	Error  string            // catalogue key of a form-wide error
	Detail string            // the error's details, e.g. a field reason
	Fields map[string]string // field → catalogue key
	Page   any
}

func (d settingsData) fieldErrors() map[string]string { return d.Fields }

func (s *Server) settingsData(v *view, page any) settingsData {
	d := settingsData{Path: v.Path, Page: page, Fields: map[string]string{}}
	for _, t := range settingsTabs {
		if v.Role >= t.Min {
			d.Tabs = append(d.Tabs, t)
		}
	}
	if done := v.Query.Get("done"); slices.Contains(doneNotices, done) {
		d.Notice = "settings.done." + done
	}
	return d
}

// settingsIndex shows the user's own account and the tabs they may open.
func (s *Server) settingsIndex(w http.ResponseWriter, r *http.Request, v *view) {
	s.render(w, r, v, "settings", s.settingsData(v, nil))
}

// wantsCSV reports whether the table is asked for as CSV (?format=csv).
func wantsCSV(r *http.Request) bool { return r.URL.Query().Get("format") == "csv" }

// writeCSV writes a table as a CSV download.
func writeCSV(w http.ResponseWriter, name string, header []string, rows [][]string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+".csv"))
	cw := csv.NewWriter(w)
	cw.Write(header)
	for _, row := range rows {
		// A cell starting with = + - @ would be a formula in a spreadsheet.
		for i, c := range row {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				row[i] = "'" + c
			}
		}
		cw.Write(row)
	}
	cw.Flush()
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func csvTimePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return csvTime(*t)
}

// back redirects to a settings page with a success notice.
func back(w http.ResponseWriter, r *http.Request, path, done string) {
	http.Redirect(w, r, path+"?done="+done, http.StatusSeeOther)
}

// pathID reads the {id} path value.
func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// usersData is the users-and-roles tab.
type usersData struct {
	Members     []store.Member
	Invitations []store.UserInvitation
	Roles       []Role // the roles the viewer may grant
	Email, Role string // the invite form's values after an error
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, v *view) {
	s.showUsers(w, r, v, http.StatusOK, s.settingsData(v, nil), usersData{})
}

func (s *Server) showUsers(w http.ResponseWriter, r *http.Request, v *view, status int, d settingsData, u usersData) {
	ctx := r.Context()
	var err error
	if u.Members, err = s.db.Members(ctx, v.Workspace.ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	if wantsCSV(r) && r.URL.Query().Get("table") == "invitations" {
		invs, err := s.db.PendingUserInvitations(ctx, v.Workspace.ID)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		rows := make([][]string, 0, len(invs))
		for _, in := range invs {
			rows = append(rows, []string{strconv.FormatInt(in.ID, 10), in.Email, in.Role, csvTime(in.CreatedAt), csvTime(in.ExpiresAt)})
		}
		writeCSV(w, "invitations", []string{"id", "email", "role", "created_at", "expires_at"}, rows)
		return
	}
	if wantsCSV(r) {
		rows := make([][]string, 0, len(u.Members))
		for _, m := range u.Members {
			rows = append(rows, []string{m.User.Email, m.User.Name, m.Role, csvTime(m.CreatedAt)})
		}
		writeCSV(w, "users", []string{"email", "name", "role", "joined_at"}, rows)
		return
	}
	if u.Invitations, err = s.db.PendingUserInvitations(ctx, v.Workspace.ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	for role := RoleViewer; role <= v.Role; role++ {
		u.Roles = append(u.Roles, role)
	}
	d.Page = u
	s.renderBlock(w, r, v, status, "settings_users", blockFor(r), d)
}

// blockFor is the block render() would pick: the page, or for htmx only its content.
func blockFor(r *http.Request) string {
	if r.Header.Get("HX-Request") != "" && r.Header.Get("HX-Boosted") == "" {
		return "content"
	}
	return "layout"
}

// mayGrant reports whether v may give or take role: nobody grants above
// their own role, and only an owner touches owners.
func mayGrant(v *view, role Role) bool {
	return role != RoleNone && role <= v.Role && (role != RoleOwner || v.Role == RoleOwner)
}

// inviteUser invites an email address with a role; the email goes out
// through the outbox (topic mail.send) in the same transaction.
func (s *Server) inviteUser(w http.ResponseWriter, r *http.Request, v *view) {
	d := s.settingsData(v, nil)
	u := usersData{Email: store.NormalizeEmail(r.PostFormValue("email")), Role: r.PostFormValue("role")}
	role := parseRole(u.Role)
	if !validEmail(u.Email) {
		d.Fields["email"] = "auth.email.invalid"
	}
	if !mayGrant(v, role) {
		d.Fields["role"] = "settings.users.role.invalid"
	}
	if len(d.Fields) > 0 {
		d.Error = "error.invalid"
		s.showUsers(w, r, v, http.StatusUnprocessableEntity, d, u)
		return
	}
	token := newToken()
	link := s.baseURL(r) + "/join?token=" + token
	inviter := v.User.Email
	if v.User.Name != "" {
		inviter = v.User.Name + " (" + v.User.Email + ")"
	}
	roleName := v.T("role." + role.String())
	msg, err := mail.Envelope{To: u.Email, Subject: v.T("mail.invite.subject", v.Workspace.Name),
		Text: v.T("mail.invite.text", inviter, v.Workspace.Name, roleName, link), Kind: "user-invitation"}.Message()
	if err != nil {
		d.Error, d.Fields["email"] = "error.invalid", "auth.email.invalid"
		s.showUsers(w, r, v, http.StatusUnprocessableEntity, d, u)
		return
	}
	in, err := s.db.CreateUserInvitation(r.Context(), store.UserInvitation{WorkspaceID: v.Workspace.ID, Email: u.Email, Role: role.String(),
		InvitedBy: v.User.ID, ExpiresAt: v.Now.Add(invitationTTL)}, hashToken(token), msg)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.audit(r, store.AuditEntry{WorkspaceID: v.Workspace.ID, UserID: v.User.ID, Actor: v.User.Email, Action: "user.invited",
		Target: in.Email, Detail: "role " + in.Role, IP: v.ip})
	back(w, r, "/app/settings/users", "invited")
}

// memberOf returns user id's membership of v's workspace.
func (s *Server) memberOf(r *http.Request, v *view, id int64) (store.Member, bool, error) {
	ms, err := s.db.Members(r.Context(), v.Workspace.ID)
	if err != nil {
		return store.Member{}, false, err
	}
	for _, m := range ms {
		if m.User.ID == id {
			return m, true, nil
		}
	}
	return store.Member{}, false, nil
}

// pathMember returns the workspace member named by the path's {id}; when
// there is none, or on an error, it has answered and ok is false.
func (s *Server) pathMember(w http.ResponseWriter, r *http.Request, v *view) (store.Member, bool) {
	id, ok := pathID(r)
	if !ok {
		s.appError(w, r, v, http.StatusNotFound, "error.notfound")
		return store.Member{}, false
	}
	m, ok, err := s.memberOf(r, v, id)
	if err != nil {
		s.serverError(w, r, err)
		return m, false
	}
	if !ok {
		s.appError(w, r, v, http.StatusNotFound, "error.notfound")
	}
	return m, ok
}

// lastOwner answers a change that would leave the workspace without an
// owner: 409 with the users page and its message.
func (s *Server) lastOwner(w http.ResponseWriter, r *http.Request, v *view) {
	d := s.settingsData(v, nil)
	d.Error = "settings.users.lastowner"
	s.showUsers(w, r, v, http.StatusConflict, d, usersData{})
}

// changeRole changes a member's role.
func (s *Server) changeRole(w http.ResponseWriter, r *http.Request, v *view) {
	m, ok := s.pathMember(w, r, v)
	if !ok {
		return
	}
	role := parseRole(r.PostFormValue("role"))
	if !mayGrant(v, role) || !mayGrant(v, parseRole(m.Role)) {
		s.appError(w, r, v, http.StatusForbidden, "error.forbidden")
		return
	}
	err := s.db.SetRole(r.Context(), v.Workspace.ID, m.User.ID, role.String())
	if errors.Is(err, cx.ErrConflict) {
		s.lastOwner(w, r, v)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.audit(r, store.AuditEntry{WorkspaceID: v.Workspace.ID, UserID: v.User.ID, Actor: v.User.Email, Action: "user.role_changed",
		Target: m.User.Email, Detail: m.Role + " → " + role.String(), IP: v.ip})
	back(w, r, "/app/settings/users", "role")
}

// removeUser removes a member from the workspace.
func (s *Server) removeUser(w http.ResponseWriter, r *http.Request, v *view) {
	m, ok := s.pathMember(w, r, v)
	if !ok {
		return
	}
	if !mayGrant(v, parseRole(m.Role)) {
		s.appError(w, r, v, http.StatusForbidden, "error.forbidden")
		return
	}
	err := s.db.RemoveMember(r.Context(), v.Workspace.ID, m.User.ID)
	if errors.Is(err, cx.ErrConflict) {
		s.lastOwner(w, r, v)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.audit(r, store.AuditEntry{WorkspaceID: v.Workspace.ID, UserID: v.User.ID, Actor: v.User.Email, Action: "user.removed",
		Target: m.User.Email, Detail: "was " + m.Role, IP: v.ip})
	back(w, r, "/app/settings/users", "removed")
}

// revokeInvitation withdraws a pending invitation.
func (s *Server) revokeInvitation(w http.ResponseWriter, r *http.Request, v *view) {
	s.changeByID(w, r, v, s.db.RevokeUserInvitation, "user.invitation_revoked", "invitation", "/app/settings/users", "revoked")
}

// changeByID runs change on the record named by the path's {id} in the
// current workspace (404 when there is none), audits action on it, and
// returns to the tab at backTo with its notice.
func (s *Server) changeByID(w http.ResponseWriter, r *http.Request, v *view, change func(ctx context.Context, ws, id int64) error,
	action, what, backTo, notice string) {
	id, ok := pathID(r)
	if !ok {
		s.appError(w, r, v, http.StatusNotFound, "error.notfound")
		return
	}
	err := change(r.Context(), v.Workspace.ID, id)
	if errors.Is(err, cx.ErrNotFound) {
		s.appError(w, r, v, http.StatusNotFound, "error.notfound")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.audit(r, store.AuditEntry{WorkspaceID: v.Workspace.ID, UserID: v.User.ID, Actor: v.User.Email, Action: action,
		Target: what + " " + strconv.FormatInt(id, 10), IP: v.ip})
	back(w, r, backTo, notice)
}

// keysData is the API keys tab.
type keysData struct {
	Keys    []cx.APIKey
	NewKey  string // the key just created, shown once
	NewName string
	Name    string
	Scope   string
}

func (s *Server) keysPage(w http.ResponseWriter, r *http.Request, v *view) {
	s.showKeys(w, r, v, http.StatusOK, s.settingsData(v, nil), keysData{})
}

func (s *Server) showKeys(w http.ResponseWriter, r *http.Request, v *view, status int, d settingsData, k keysData) {
	var err error
	if k.Keys, err = s.db.APIKeys(r.Context(), v.Workspace.ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	if wantsCSV(r) {
		rows := make([][]string, 0, len(k.Keys))
		for _, key := range k.Keys {
			rows = append(rows, []string{strconv.FormatInt(key.ID, 10), key.Name, key.Prefix, strings.Join(key.Scopes, " "),
				csvTime(key.CreatedAt), csvTimePtr(key.LastUsedAt), csvTimePtr(key.RevokedAt)})
		}
		writeCSV(w, "api-keys", []string{"id", "name", "prefix", "scopes", "created_at", "last_used_at", "revoked_at"}, rows)
		return
	}
	d.Page = k
	s.renderBlock(w, r, v, status, "settings_keys", blockFor(r), d)
}

// createKey creates an API key and shows it once.
func (s *Server) createKey(w http.ResponseWriter, r *http.Request, v *view) {
	d := s.settingsData(v, nil)
	k := keysData{Name: strings.TrimSpace(r.PostFormValue("name")), Scope: r.PostFormValue("scope")}
	scopes := map[string][]string{"read": {cx.ScopeRead}, "write": {cx.ScopeRead, cx.ScopeWrite}}[k.Scope]
	if scopes == nil {
		d.Fields["scope"] = "settings.keys.scope.invalid"
	}
	if k.Name == "" || len(k.Name) > 100 {
		d.Fields["name"] = "settings.keys.name.invalid"
	}
	if len(d.Fields) > 0 {
		d.Error = "error.invalid"
		s.showKeys(w, r, v, http.StatusUnprocessableEntity, d, k)
		return
	}
	key, created, err := s.db.CreateAPIKey(r.Context(), v.Workspace.ID, k.Name, scopes)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.audit(r, store.AuditEntry{WorkspaceID: v.Workspace.ID, UserID: v.User.ID, Actor: v.User.Email, Action: "apikey.created",
		Target: fmt.Sprintf("key %d (%s)", created.ID, created.Prefix), Detail: created.Name + ": " + strings.Join(created.Scopes, " "), IP: v.ip})
	d.Notice = "settings.keys.created"
	// Rendered, not redirected: the key is in this response and nowhere else.
	s.showKeys(w, r, v, http.StatusOK, d, keysData{NewKey: key, NewName: created.Name})
}

// revokeKey revokes an API key.
func (s *Server) revokeKey(w http.ResponseWriter, r *http.Request, v *view) {
	s.changeByID(w, r, v, s.db.RevokeAPIKey, "apikey.revoked", "key", "/app/settings/keys", "key-revoked")
}

// webhooksData is the webhooks tab.
type webhooksData struct {
	Webhooks  []store.Webhook
	NewSecret string // the signing secret of the webhook just created, shown once
	URL       string
	Events    string
	Format    string
}

func (s *Server) webhooksPage(w http.ResponseWriter, r *http.Request, v *view) {
	s.showWebhooks(w, r, v, http.StatusOK, s.settingsData(v, nil), webhooksData{Events: "*"})
}

func (s *Server) showWebhooks(w http.ResponseWriter, r *http.Request, v *view, status int, d settingsData, h webhooksData) {
	var err error
	if h.Webhooks, err = s.db.Webhooks(r.Context(), v.Workspace.ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	if wantsCSV(r) {
		rows := make([][]string, 0, len(h.Webhooks))
		for _, x := range h.Webhooks {
			rows = append(rows, []string{strconv.FormatInt(x.ID, 10), x.URL, strings.Join(x.Events, " "), x.Format, strconv.FormatBool(x.Active), csvTime(x.CreatedAt)})
		}
		writeCSV(w, "webhooks", []string{"id", "url", "events", "format", "active", "created_at"}, rows)
		return
	}
	d.Page = h
	s.renderBlock(w, r, v, status, "settings_webhooks", blockFor(r), d)
}

// createWebhook subscribes a URL to event types.
func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request, v *view) {
	d := s.settingsData(v, nil)
	h := webhooksData{URL: strings.TrimSpace(r.PostFormValue("url")), Events: r.PostFormValue("events"), Format: r.PostFormValue("format")}
	events := strings.FieldsFunc(h.Events, func(c rune) bool { return c == ',' || c == ' ' || c == '\n' || c == '\r' })
	created, err := s.db.CreateWebhook(r.Context(), v.Workspace.ID, store.Webhook{URL: h.URL, Events: events, Format: h.Format, Active: true})
	var ve *cx.ValidationError
	if errors.As(err, &ve) {
		d.Error = "error.invalid"
		var details []string
		for _, f := range ve.Fields {
			d.Fields[f.Field] = "settings.webhooks.invalid"
			details = append(details, f.Field+": "+f.Reason)
		}
		d.Detail = strings.Join(details, "; ")
		s.showWebhooks(w, r, v, http.StatusUnprocessableEntity, d, h)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.audit(r, store.AuditEntry{WorkspaceID: v.Workspace.ID, UserID: v.User.ID, Actor: v.User.Email, Action: "webhook.created",
		Target: fmt.Sprintf("webhook %d", created.ID), Detail: created.URL + " " + strings.Join(created.Events, " "), IP: v.ip})
	d.Notice = "settings.webhooks.created"
	s.showWebhooks(w, r, v, http.StatusOK, d, webhooksData{NewSecret: created.Secret, Events: "*"})
}

// setWebhookActive pauses (active=false) or resumes a webhook.
func (s *Server) setWebhookActive(w http.ResponseWriter, r *http.Request, v *view) {
	active := r.PostFormValue("active") == "true"
	action, done := "webhook.paused", "webhook-paused"
	if active {
		action, done = "webhook.resumed", "webhook-resumed"
	}
	set := func(ctx context.Context, ws, id int64) error { return s.db.SetWebhookActive(ctx, ws, id, active) }
	s.changeByID(w, r, v, set, action, "webhook", "/app/settings/webhooks", done)
}

// exportLink is one download of the export tab.
type exportLink struct {
	Type   string
	Format string
	Path   string
}

func (s *Server) exportPage(w http.ResponseWriter, r *http.Request, v *view) {
	var links []exportLink
	for _, t := range transfer.ImportTypes { // every type export writes and import reads back
		for _, f := range []transfer.Format{transfer.CSV, transfer.NDJSON} {
			links = append(links, exportLink{Type: string(t), Format: string(f), Path: "/app/settings/export/" + string(t) + "." + string(f)})
		}
	}
	s.render(w, r, v, "settings_export", s.settingsData(v, links))
}

// exportFile streams a workspace's records of one type (internal/transfer,
// the same files `cxlens export` writes and `cxlens import` reads).
func (s *Server) exportFile(w http.ResponseWriter, r *http.Request, v *view) {
	name, ext, _ := strings.Cut(r.PathValue("file"), ".")
	typ, err1 := transfer.ParseType(name)
	format, err2 := transfer.ParseFormat(ext)
	if err1 != nil || err2 != nil {
		s.appError(w, r, v, http.StatusNotFound, "error.notfound")
		return
	}
	ctype := "text/csv; charset=utf-8"
	if format == transfer.NDJSON {
		ctype = "application/x-ndjson"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", fmt.Sprintf("%s-%d.%s", typ, v.Workspace.ID, format)))
	ex := transfer.Exporter{DB: s.db, Workspace: v.Workspace.ID, Type: typ, Format: format}
	n, err := ex.Export(r.Context(), w)
	if err != nil {
		// Headers are gone; the truncated file ends the response.
		s.logger.Error("web: export", "type", typ, "err", err)
		return
	}
	s.audit(r, store.AuditEntry{WorkspaceID: v.Workspace.ID, UserID: v.User.ID, Actor: v.User.Email, Action: "data.exported",
		Target: string(typ), Detail: fmt.Sprintf("%d records, %s", n, format), IP: v.ip})
}

// eraseData is the customer erasure tab: look up, confirm, erase.
type eraseData struct {
	External string
	Customer *cx.Customer
	Counts   [3]int // responses, events, tickets
}

func (s *Server) erasePage(w http.ResponseWriter, r *http.Request, v *view) {
	d := s.settingsData(v, nil)
	e := eraseData{External: strings.TrimSpace(r.URL.Query().Get("customer"))}
	if e.External != "" {
		exp, err := s.db.ExportCustomer(r.Context(), v.Workspace.ID, e.External)
		switch {
		case errors.Is(err, cx.ErrNotFound):
			d.Error = "settings.erase.notfound"
		case err != nil:
			s.serverError(w, r, err)
			return
		default:
			e.Customer = &exp.Customer
			e.Counts = [3]int{len(exp.Responses), len(exp.Events), len(exp.Tickets)}
		}
	}
	d.Page = e
	s.render(w, r, v, "settings_erase", d)
}

// eraseCustomer erases a customer's personal data after confirmation: the
// form repeats the external id in a "confirm" field.
func (s *Server) eraseCustomer(w http.ResponseWriter, r *http.Request, v *view) {
	ext := strings.TrimSpace(r.PostFormValue("customer"))
	d := s.settingsData(v, nil)
	if ext == "" || r.PostFormValue("confirm") != ext {
		d.Error = "settings.erase.confirm.invalid"
		d.Page = eraseData{External: ext}
		s.renderBlock(w, r, v, http.StatusUnprocessableEntity, "settings_erase", blockFor(r), d)
		return
	}
	err := s.db.EraseCustomer(r.Context(), v.Workspace.ID, ext)
	if errors.Is(err, cx.ErrNotFound) {
		d.Error = "settings.erase.notfound"
		d.Page = eraseData{}
		s.renderBlock(w, r, v, http.StatusNotFound, "settings_erase", blockFor(r), d)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.audit(r, store.AuditEntry{WorkspaceID: v.Workspace.ID, UserID: v.User.ID, Actor: v.User.Email, Action: "customer.erased",
		Target: ext, IP: v.ip})
	back(w, r, "/app/settings/erase", "erased")
}

// emailPage shows the SMTP configuration serve was started with (no password).
func (s *Server) emailPage(w http.ResponseWriter, r *http.Request, v *view) {
	s.render(w, r, v, "settings_email", s.settingsData(v, s.opts.SMTP))
}

// auditPage lists the workspace's audit log, newest first, 100 a page;
// "Older entries" fetches the next rows with htmx (partial=rows) and
// works as a plain link without JavaScript.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, v *view) {
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	limit := auditPageSize
	if wantsCSV(r) {
		limit = 1000
	}
	entries, err := s.db.AuditLog(r.Context(), v.Workspace.ID, before, limit)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if wantsCSV(r) {
		rows := make([][]string, 0, len(entries))
		for _, e := range entries {
			rows = append(rows, []string{strconv.FormatInt(e.ID, 10), csvTime(e.CreatedAt), e.Actor, e.Action, e.Target, e.Detail, e.IP})
		}
		writeCSV(w, "audit-log", []string{"id", "time", "actor", "action", "target", "detail", "ip"}, rows)
		return
	}
	var next int64
	if len(entries) == limit {
		next = entries[len(entries)-1].ID
	}
	d := s.settingsData(v, auditData{Entries: entries, Next: next})
	if r.URL.Query().Get("partial") == "rows" && r.Header.Get("HX-Request") != "" {
		s.renderPartial(w, r, v, "settings_audit", "auditRows", d)
		return
	}
	s.render(w, r, v, "settings_audit", d)
}

// auditPageSize is how many audit entries a page shows.
var auditPageSize = 100

// auditData is the audit log tab.
type auditData struct {
	Entries []store.AuditEntry
	Next    int64 // before= of the next page, 0 if none
}

// SMTPStatus is the mail configuration serve runs with, shown read-only
// in the settings (never the password).
type SMTPStatus struct {
	Enabled bool   // this instance sends mail
	Host    string // empty: no SMTP relay configured
	Port    string
	TLS     string // none, starttls or tls
	User    string // AUTH user, empty for none
	From    string
}
