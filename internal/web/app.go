package web

// The dashboard base: every dashboard page is a handler wrapped by app(),
// which checks the session, the workspace and the role, and renders with
// render() inside the one layout (templates/app/layout.html).
//
// Contract for page authors:
//
//	mux: {"GET /app/segments", s.app(RoleViewer, s.segmentsPage)}
//	func (s *Server) segmentsPage(w http.ResponseWriter, r *http.Request, v *view) {
//		... query with v.Workspace.ID only ...
//		s.render(w, r, v, "segments", data) // templates/app/segments.html
//	}
//
// A page template file templates/app/NAME.html defines "content" (the
// page's main), and may define "title" (text of <title> and the <h1>),
// "head" (extra tags in <head>, e.g. a script of static/app/) and any
// partial blocks. Inside, dot is an appData: {{.T "key"}} translates,
// {{.V.Workspace.Name}} etc. read the view, {{.Data}} is the page's data;
// in a range use {{$.T "key"}}. Forms that POST carry
// {{template "csrf" .}}; htmx requests send the token in the X-CSRF-Token
// header (set on <body> by the layout). An htmx request (HX-Request
// without HX-Boosted) gets only "content"; renderPartial renders any block.
// Files in static/app/ are served at /static/app/ (use {{asset "x.js"}}
// for a content-hashed, long-cached URL).
//
// Page paths (nav): /app (overview), /app/segments, /app/drivers,
// /app/themes, /app/responses, /app/customers, /app/journey,
// /app/support, /app/say-vs-do, /app/surveys, /app/alerts, /app/settings.

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

//go:embed templates/app
var appTemplateFS embed.FS

//go:embed static/app
var appStaticFS embed.FS

// Role is a user's role in a workspace; a higher role can do everything a
// lower one can.
type Role int

// Roles, weakest first.
const (
	RoleNone    Role = iota // not a member
	RoleViewer              // reads dashboards
	RoleAgent               // also works alerts and cases
	RoleAnalyst             // also edits surveys, themes, exports data
	RoleAdmin               // also manages users, API keys, webhooks, erasure
	RoleOwner               // also manages admins and owners
)

var roleNames = []string{"", "viewer", "agent", "analyst", "admin", "owner"}

// String returns the role's name as stored ("viewer" … "owner").
func (r Role) String() string {
	if r < 0 || int(r) >= len(roleNames) {
		return ""
	}
	return roleNames[r]
}

// parseRole returns the role named s, or RoleNone.
func parseRole(s string) Role {
	if i := slices.Index(roleNames, s); i > 0 {
		return Role(i)
	}
	return RoleNone
}

// view is what every dashboard handler and template knows about the
// request: who, in which workspace, with which role and language.
type view struct {
	User       store.User
	Workspace  cx.Workspace       // the current workspace (ID, Name, TimeZone)
	Workspaces []store.Membership // every workspace of the user, for the switcher
	Role       Role               // the user's role in Workspace
	Lang       string             // UI language: en, zh or ro
	CSRF       string             // the session's synchronizer token
	T          func(key string, args ...any) string
	Now        time.Time
	Loc        *time.Location // the workspace's time zone
	Path       string         // request path, e.g. /app/segments
	Query      url.Values     // request query (filters stay in the URL)

	session store.Session
	ip      string
}

// Can reports whether the user's role is at least min.
func (v *view) Can(min Role) bool { return v.Role >= min }

// appData is dot in the dashboard templates.
type appData struct {
	V    *view
	Data any
	Nav  []navItem
}

// T translates key in the view's language.
func (d appData) T(key string, args ...any) string { return d.V.T(key, args...) }

// navItem is one link of the dashboard's navigation.
type navItem struct {
	Key     string // catalogue key of its label
	Path    string
	Min     Role
	Current bool
}

// nav lists every dashboard page, in menu order.
var nav = []navItem{
	{Key: "nav.overview", Path: "/app", Min: RoleViewer},
	{Key: "nav.segments", Path: "/app/segments", Min: RoleViewer},
	{Key: "nav.drivers", Path: "/app/drivers", Min: RoleViewer},
	{Key: "nav.themes", Path: "/app/themes", Min: RoleViewer},
	{Key: "nav.responses", Path: "/app/responses", Min: RoleViewer},
	{Key: "nav.customers", Path: "/app/customers", Min: RoleViewer},
	{Key: "nav.journey", Path: "/app/journey", Min: RoleViewer},
	{Key: "nav.support", Path: "/app/support", Min: RoleViewer},
	{Key: "nav.sayvsdo", Path: "/app/say-vs-do", Min: RoleViewer},
	{Key: "nav.surveys", Path: "/app/surveys", Min: RoleViewer},
	{Key: "nav.alerts", Path: "/app/alerts", Min: RoleViewer},
	{Key: "nav.settings", Path: "/app/settings", Min: RoleViewer},
}

func (v *view) nav() []navItem {
	out := make([]navItem, 0, len(nav))
	for _, n := range nav {
		if v.Role < n.Min {
			continue
		}
		n.Current = v.Path == n.Path || (n.Path != "/app" && strings.HasPrefix(v.Path, n.Path+"/"))
		out = append(out, n)
	}
	return out
}

// appRoutes are the dashboard's base routes: landing, static files,
// accounts (auth.go) and settings (settings.go).
func (s *Server) appRoutes() []page {
	return slices.Concat([]page{
		{"GET /{$}", s.landing},
		{"GET /static/app/{file...}", s.appStatic},
		{"POST /app/workspace", s.app(RoleViewer, s.switchWorkspace)},
		{"POST /lang", s.switchLang},
		{"/", s.NotFound},
	}, s.authRoutes(), s.settingsRoutes())
}

// landing sends / to the dashboard, the login page or first-run setup.
func (s *Server) landing(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.currentSession(r); ok {
		http.Redirect(w, r, "/app", http.StatusSeeOther)
		return
	}
	n, err := s.db.CountUsers(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if n == 0 {
		http.Redirect(w, r, "/setup", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// idle and absolute session lifetimes.
const (
	sessionIdle     = 12 * time.Hour
	sessionAbsolute = 14 * 24 * time.Hour
	touchEvery      = time.Minute // seen_at is written at most this often
)

// app wraps a dashboard handler: it requires a live session and a role of
// at least min in the current workspace (the ?ws= parameter, else the one
// chosen in the switcher, else the user's first), checks the CSRF token
// of every state-changing request, and builds the view.
func (s *Server) app(min Role, h func(w http.ResponseWriter, r *http.Request, v *view)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w)
		r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
		now := s.opts.Now()
		sess, ok := s.currentSession(r)
		if !ok {
			s.toLogin(w, r)
			return
		}
		ctx := r.Context()
		user, err := s.db.User(ctx, sess.UserID)
		if err != nil {
			s.toLogin(w, r)
			return
		}
		lang := pickLang(r, user.Lang)
		v := &view{User: user, Lang: lang, CSRF: sess.CSRF, T: translator(lang), Now: now, Loc: time.UTC,
			Path: r.URL.Path, Query: r.URL.Query(), session: sess, ip: clientIP(r)}
		if v.Workspaces, err = s.db.Memberships(ctx, user.ID); err != nil {
			s.serverError(w, r, err)
			return
		}
		if isStateChanging(r.Method) && !s.validCSRF(r, sess.CSRF) {
			s.appError(w, r, v, http.StatusForbidden, "error.csrf")
			return
		}
		want := sess.WorkspaceID
		if q := r.URL.Query().Get("ws"); q != "" {
			id, err := strconv.ParseInt(q, 10, 64)
			if err != nil {
				s.appError(w, r, v, http.StatusNotFound, "error.notfound")
				return
			}
			want = id
			if !slices.ContainsFunc(v.Workspaces, func(m store.Membership) bool { return m.Workspace.ID == id }) {
				// Another workspace's page is not found, never forbidden:
				// its existence is not disclosed.
				s.appError(w, r, v, http.StatusNotFound, "error.notfound")
				return
			}
		}
		for _, m := range v.Workspaces {
			if m.Workspace.ID == want || (v.Role == RoleNone && want == 0) {
				v.Workspace, v.Role = m.Workspace, parseRole(m.Role)
			}
		}
		if v.Role == RoleNone && len(v.Workspaces) > 0 {
			v.Workspace, v.Role = v.Workspaces[0].Workspace, parseRole(v.Workspaces[0].Role)
		}
		if v.Role == RoleNone {
			s.appError(w, r, v, http.StatusForbidden, "error.noworkspace")
			return
		}
		v.Loc = location(v.Workspace.TimeZone)
		if v.Role < min {
			s.appError(w, r, v, http.StatusForbidden, "error.forbidden")
			return
		}
		if now.Sub(sess.SeenAt) > touchEvery {
			if err := s.db.TouchSession(ctx, sess.TokenHash, now); err != nil {
				s.logger.Warn("web: touch session", "err", err)
			}
		}
		h(w, r, v)
	}
}

// locations caches loaded time zones (LoadLocation reads the zone file).
var locations sync.Map

// location returns the named time zone, or UTC if it is unknown.
func location(name string) *time.Location {
	if l, ok := locations.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		l = time.UTC
	}
	locations.Store(name, l)
	return l
}

func isStateChanging(method string) bool {
	return method != http.MethodGet && method != http.MethodHead && method != http.MethodOptions
}

// setPageHeaders marks a dashboard response private and unframeable.
func setPageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'")
}

// toLogin sends an anonymous request to the login page, coming back after.
func (s *Server) toLogin(w http.ResponseWriter, r *http.Request) {
	target := "/login?next=" + url.QueryEscape(r.URL.RequestURI())
	if r.Header.Get("HX-Request") != "" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if isStateChanging(r.Method) {
		target = "/login"
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// switchWorkspace is the workspace switcher: the chosen workspace (one of
// the user's) becomes the session's current one.
func (s *Server) switchWorkspace(w http.ResponseWriter, r *http.Request, v *view) {
	id, _ := strconv.ParseInt(r.PostFormValue("workspace"), 10, 64)
	if !slices.ContainsFunc(v.Workspaces, func(m store.Membership) bool { return m.Workspace.ID == id }) {
		s.appError(w, r, v, http.StatusNotFound, "error.notfound")
		return
	}
	if err := s.db.SetSessionWorkspace(r.Context(), v.session.TokenHash, id); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/app", http.StatusSeeOther)
}

// switchLang is the language switcher: it sets the language cookie, and
// the user's preference when logged in. It works before login too (its
// CSRF token is then the pre-session one).
func (s *Server) switchLang(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
	lang := supportedLang(r.PostFormValue("lang"))
	sess, loggedIn := s.currentSession(r)
	okToken := false
	if loggedIn {
		okToken = s.validCSRF(r, sess.CSRF)
	} else {
		okToken = s.validPreCSRF(r)
	}
	if !okToken {
		s.plainError(w, r, http.StatusForbidden, "error.csrf")
		return
	}
	if lang == "" {
		s.plainError(w, r, http.StatusBadRequest, "error.lang")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	if loggedIn {
		if err := s.db.SetUserLang(r.Context(), sess.UserID, lang); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	http.Redirect(w, r, localPath(r.PostFormValue("next"), "/"), http.StatusSeeOther)
}

// localPath returns p if it is a path on this site, else def (no open
// redirects through next=).
func localPath(p, def string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") {
		return def
	}
	return p
}

// formField is one labelled input of a form, with its error.
type formField struct {
	D                              appData
	Name, Type, Label, Auto, Value string
	Err                            string // catalogue key, "" if fine
}

// fieldErrorer is page data with per-field errors (catalogue keys).
type fieldErrorer interface{ fieldErrors() map[string]string }

func (f authForm) fieldErrors() map[string]string { return f.Fields }

// fieldOf builds a formField for the "field" template.
func fieldOf(d appData, name, typ, label, auto, value string) formField {
	f := formField{D: d, Name: name, Type: typ, Label: label, Auto: auto, Value: value}
	if fe, ok := d.Data.(fieldErrorer); ok {
		f.Err = fe.fieldErrors()[name]
	}
	return f
}

// appTemplates parses the layout with each page file of templates/app/,
// once, on first use (so page files' init functions can add to appFuncs).
var appTemplates = sync.OnceValues(parseAppTemplates)

var appFuncs = template.FuncMap{
	"asset": assetURL,
	"roleName": func(r Role) string {
		return r.String()
	},
	"langName": func(l string) string { return langName[l] },
	"fieldOf":  fieldOf,
	"langs":    func() []string { return uiLangs },
	// fmtTime formats t in the workspace's time zone.
	"fmtTime": func(v *view, t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(v.Loc).Format("2006-01-02 15:04")
	},
	// withQuery returns the current path and query with key set to value
	// (removed when value is ""), for filters that stay in the URL.
	"withQuery": func(v *view, kv ...string) string {
		q := url.Values{}
		for k, vs := range v.Query {
			q[k] = slices.Clone(vs)
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				q.Del(kv[i])
			} else {
				q.Set(kv[i], kv[i+1])
			}
		}
		if len(q) == 0 {
			return v.Path
		}
		return v.Path + "?" + q.Encode()
	},
}

// appTemplateSet is every page template; a page that fails to parse is
// kept apart in errs, so one broken page does not take down the others
// (TestAppTemplatesParse fails on it).
type appTemplateSet struct {
	pages map[string]*template.Template
	errs  map[string]error
}

func parseAppTemplates() (appTemplateSet, error) {
	set := appTemplateSet{pages: map[string]*template.Template{}, errs: map[string]error{}}
	base, err := template.New("app").Funcs(appFuncs).ParseFS(appTemplateFS, "templates/app/layout.html")
	if err != nil {
		return set, fmt.Errorf("web: app layout: %w", err)
	}
	files, err := fs.Glob(appTemplateFS, "templates/app/*.html")
	if err != nil {
		return set, err
	}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(appTemplateFS, f)
		if err != nil {
			set.errs[name] = fmt.Errorf("web: app template %s: %w", name, err)
			continue
		}
		set.pages[name] = t
	}
	return set, nil
}

// render writes page name (templates/app/NAME.html) in the layout with
// status 200; an htmx request (not boosted) gets only its "content".
func (s *Server) render(w http.ResponseWriter, r *http.Request, v *view, name string, data any) {
	block := "layout"
	if r.Header.Get("HX-Request") != "" && r.Header.Get("HX-Boosted") == "" {
		block = "content"
	}
	s.renderBlock(w, r, v, http.StatusOK, name, block, data)
}

// renderPartial writes one block defined in page name, e.g. a table
// refreshed by htmx.
func (s *Server) renderPartial(w http.ResponseWriter, r *http.Request, v *view, name, block string, data any) {
	s.renderBlock(w, r, v, http.StatusOK, name, block, data)
}

// renderBlock executes block of page name into a buffer, so an error
// becomes a clean 500, then writes it (gzipped if the client accepts it).
func (s *Server) renderBlock(w http.ResponseWriter, r *http.Request, v *view, status int, name, block string, data any) {
	ts, err := appTemplates()
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	t := ts.pages[name]
	if t == nil {
		err := ts.errs[name]
		if err == nil {
			err = fmt.Errorf("web: no app template %q", name)
		}
		s.serverError(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, appData{V: v, Data: data, Nav: v.nav()}); err != nil {
		s.serverError(w, r, fmt.Errorf("web: render %s/%s: %w", name, block, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", v.Lang)
	w.Header().Add("Vary", "Accept-Encoding")
	if buf.Len() > 1024 && acceptsGzip(r) {
		w.Header().Set("Content-Encoding", "gzip")
		w.WriteHeader(status)
		zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
		zw.Write(buf.Bytes())
		zw.Close()
		return
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func acceptsGzip(r *http.Request) bool {
	for part := range strings.SplitSeq(r.Header.Get("Accept-Encoding"), ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(enc, "gzip") && strings.ReplaceAll(params, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// errorData is what the error page shows.
type errorData struct {
	Status  int
	Message string // catalogue key
}

// appError renders the friendly error page inside the layout.
func (s *Server) appError(w http.ResponseWriter, r *http.Request, v *view, status int, key string) {
	if v.Role == RoleNone && len(v.Workspaces) > 0 {
		v.Workspace = v.Workspaces[0].Workspace
	}
	s.renderBlock(w, r, v, status, "error", "layout", errorData{Status: status, Message: key})
}

// plainError renders the error page for a request without a session.
func (s *Server) plainError(w http.ResponseWriter, r *http.Request, status int, key string) {
	setPageHeaders(w)
	lang := pickLang(r, "")
	v := &view{Lang: lang, T: translator(lang), Now: s.opts.Now(), Loc: time.UTC, Path: r.URL.Path, Query: r.URL.Query()}
	s.renderBlock(w, r, v, status, "error", "layout", errorData{Status: status, Message: key})
}

// NotFound writes the friendly 404 page; serve uses it for paths no
// handler claims.
func (s *Server) NotFound(w http.ResponseWriter, r *http.Request) {
	if sess, ok := s.currentSession(r); ok {
		if u, err := s.db.User(r.Context(), sess.UserID); err == nil {
			lang := pickLang(r, u.Lang)
			v := &view{User: u, Lang: lang, CSRF: sess.CSRF, T: translator(lang), Now: s.opts.Now(), Loc: time.UTC, Path: r.URL.Path, Query: r.URL.Query(), session: sess}
			v.Workspaces, _ = s.db.Memberships(r.Context(), u.ID)
			setPageHeaders(w)
			s.appError(w, r, v, http.StatusNotFound, "error.notfound")
			return
		}
	}
	s.plainError(w, r, http.StatusNotFound, "error.notfound")
}

// serverError logs err and answers 500 without its details.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.logger.Error("web: dashboard", "path", r.URL.Path, "err", err)
	if errors.Is(err, cx.ErrNotFound) {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	http.Error(w, "internal error", http.StatusInternalServerError)
}

// staticFile is an embedded asset with its content hash and gzip form.
type staticFile struct {
	body, gz []byte
	etag     string // first 16 hex digits of the SHA-256
	ctype    string
}

var appStatic = sync.OnceValue(func() map[string]*staticFile { return loadStatic(appStaticFS, "static/app", nil) })

// loadStatic reads the embedded files under dir (those keep accepts, or
// all), keyed by their path below dir, with their content hash and, when
// it is smaller, their gzip form.
func loadStatic(fsys fs.ReadFileFS, dir string, keep func(name string) bool) map[string]*staticFile {
	out := map[string]*staticFile{}
	fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (keep != nil && !keep(p)) {
			return err
		}
		b, err := fsys.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		f := &staticFile{body: b, etag: hex.EncodeToString(sum[:8]), ctype: mime.TypeByExtension(path.Ext(p))}
		if f.ctype == "" {
			f.ctype = "application/octet-stream"
		}
		if len(b) > 512 {
			var z bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
			zw.Write(b)
			zw.Close()
			if z.Len() < len(b) {
				f.gz = z.Bytes()
			}
		}
		out[strings.TrimPrefix(p, dir+"/")] = f
		return nil
	})
	return out
}

// assetURL is the URL of static/app/name with its content hash, served
// with a one-year immutable cache.
func assetURL(name string) string {
	if f := appStatic()[name]; f != nil {
		return "/static/app/" + name + "?v=" + f.etag
	}
	return "/static/app/" + name
}

// appStatic serves static/app/.
func (s *Server) appStatic(w http.ResponseWriter, r *http.Request) {
	s.serveStatic(w, r, appStatic())
}

// serveStatic serves the file of files named by the {file} path value with
// an ETag; a URL carrying the current content hash (?v=) is cached for a
// year, others revalidate.
func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request, files map[string]*staticFile) {
	f := files[r.PathValue("file")]
	if f == nil {
		s.NotFound(w, r)
		return
	}
	h := w.Header()
	etag := `"` + f.etag + `"`
	h.Set("ETag", etag)
	h.Set("Content-Type", f.ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept-Encoding")
	if r.URL.Query().Get("v") == f.etag {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300, must-revalidate")
	}
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.body
	if f.gz != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = f.gz
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}
