package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/survey"
)

//go:embed templates/survey/*.html
var surveyTemplateFS embed.FS

//go:embed static/survey static/widget.js
var surveyStaticFS embed.FS

// formTokenTTL is how long a rendered survey form can be posted.
const formTokenTTL = 6 * time.Hour

// rebuildDelay is how long a changed score waits before the workspace's
// analytics index is rebuilt (changes in between share one rebuild).
const rebuildDelay = 5 * time.Second

// publicState is what the hosted pages and the widget keep: the token
// signer (its secret is read from the database on first use), the
// rate limiters and the pending index rebuilds.
type publicState struct {
	mu       sync.Mutex
	signer   *survey.Signer
	ipLimit  *surveyLimiter
	keyLimit *surveyLimiter
	rebuilds map[int64]bool // workspaces with an index rebuild pending
	submit   *submitter
	invs     *store.InvitationReader

	surveys ttlCache[surveyRef, cx.Survey]
	widgets ttlCache[string, store.WidgetSettings]
	pages   ttlCache[scorePageKey, []byte] // rendered score steps
}

// surveyRef names a survey of a workspace.
type surveyRef struct {
	ws  int64
	key string
}

// scorePageKey names a rendered score step: it depends on the survey's
// design, the language and the form token (which changes every hour).
type scorePageKey struct {
	ws, survey, updated, bucket int64
	lang                        string
}

var surveyTemplates = template.Must(template.New("survey").ParseFS(surveyTemplateFS, "templates/survey/*.html"))

// surveyState returns the public pages' state, loading the signing secret once.
func (s *Server) surveyState(ctx context.Context) (*publicState, error) {
	p := &s.public
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.signer == nil {
		secret, err := s.db.Secret(ctx, survey.SecretName)
		if err != nil {
			return nil, fmt.Errorf("web: survey secret: %w", err)
		}
		if p.signer, err = survey.NewSigner(secret); err != nil {
			return nil, err
		}
		rate, burst := s.opts.PublicRate, s.opts.PublicBurst
		if rate <= 0 {
			rate = 5
		}
		if burst <= 0 {
			burst = 30
		}
		p.ipLimit, p.keyLimit = newSurveyLimiter(rate, burst), newSurveyLimiter(rate, burst)
		p.rebuilds = map[int64]bool{}
		if p.invs, err = s.db.PrepareInvitationReader(ctx); err != nil {
			p.signer = nil
			return nil, err
		}
		p.submit = newSubmitter(s.db, s.logger)
	}
	return p, nil
}

// Signer returns the signer of survey links, so other parts of the server
// (invitation emails) make tokens the pages accept.
func (s *Server) Signer(ctx context.Context) (*survey.Signer, error) {
	p, err := s.surveyState(ctx)
	if err != nil {
		return nil, err
	}
	return p.signer, nil
}

// InvitationPath returns the path of an invitation's survey page, e.g.
// /s/AQcB….Xy; append ?score=N for a one-click score link.
func InvitationPath(sg *survey.Signer, ws int64, in cx.Invitation) string {
	return "/s/" + sg.Sign(survey.Token{Kind: survey.TokenInvitation, Workspace: ws, ID: in.ID, Expires: in.ExpiresAt})
}

// AnonymousLinkPath returns the path of a survey's anonymous link:
// /s/{public key}/{survey key}.
func AnonymousLinkPath(publicKey, surveyKey string) string {
	return "/s/" + url.PathEscape(publicKey) + "/" + url.PathEscape(surveyKey)
}

// survey returns a survey of workspace ws, cached for surveyCacheTTL.
func (s *Server) survey(ctx context.Context, p *publicState, ws int64, key string) (cx.Survey, error) {
	return p.surveys.get(surveyRef{ws, key}, s.opts.Now(), func() (cx.Survey, error) { return s.db.Survey(ctx, ws, key) })
}

// widget returns the widget settings of a public key, cached for surveyCacheTTL.
func (s *Server) widget(ctx context.Context, p *publicState, pk string) (store.WidgetSettings, error) {
	return p.widgets.get(pk, s.opts.Now(), func() (store.WidgetSettings, error) { return s.db.WidgetByKey(ctx, pk) })
}

// surveyPageRoutes are the public pages: hosted surveys, the widget and
// its endpoint.
func (s *Server) surveyPageRoutes() []page {
	static, _ := fs.Sub(surveyStaticFS, "static/survey")
	files := http.StripPrefix("/s/static/", http.FileServer(http.FS(static)))
	return append([]page{
		{"GET /s/static/{file}", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "public, max-age=3600")
			files.ServeHTTP(w, r)
		}},
		{"GET /s/{ref}", s.invitationPage},
		{"POST /s/{ref}", s.invitationPage},
		{"GET /s/{pk}/{survey}", s.linkPage},
		{"POST /s/{pk}/{survey}", s.linkPage},
	}, s.widgetRoutes()...)
}

// pageData is what the survey templates show.
type pageData struct {
	Lang, Title, Brand, Logo string
	Step                     string // score, comment, thanks or problem
	Action                   string
	FormToken, Nonce         string
	ResponseToken            string
	L                        survey.Localized
	UI                       map[string]string
	Scores                   []int
	Min, Max, Current        int
	Error                    string
	ChangeURL                string
	FollowUp                 string
	NoComment                bool
	ThankYou, Referral       string
	ProblemTitle             string
	ProblemBody              string
}

// Range lists the integers lo..hi, for rating questions.
func (pageData) Range(lo, hi int) []int {
	out := make([]int, 0, hi-lo+1)
	for i := lo; i <= hi; i++ {
		out = append(out, i)
	}
	return out
}

// surveyClientIP is the peer address; a proxy in front should be configured to
// pass the real one (cxlens does not trust X-Forwarded-For by default).
func surveyClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// surveyAllowed applies the per-IP and per-token rate limits; when one is
// exceeded it answers 429 and reports false.
func (s *Server) surveyAllowed(w http.ResponseWriter, r *http.Request, p *publicState, token string) bool {
	now := s.opts.Now()
	if p.ipLimit.allow(surveyClientIP(r), now) && (token == "" || p.keyLimit.allow(token, now)) {
		return true
	}
	w.Header().Set("Retry-After", "60")
	return false
}

// surveySameOrigin rejects cross-site form posts (CSRF): browsers say
// where a post comes from in Sec-Fetch-Site, older ones in Origin.
func surveySameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" {
		return site == "same-origin" || site == "none"
	}
	o := r.Header.Get("Origin")
	if o == "" {
		return true // not a browser form post from another site
	}
	u, err := url.Parse(o)
	return err == nil && o != "null" && strings.EqualFold(u.Host, r.Host)
}

// surveyProblem renders the friendly error page in lang with status.
func (s *Server) surveyProblem(w http.ResponseWriter, p *publicState, status int, lang, what string) {
	ui := survey.UI(lang)
	d := pageData{Lang: lang, Title: ui[what+"_title"], Step: "problem", UI: ui, ProblemTitle: ui[what+"_title"], ProblemBody: ui[what+"_body"]}
	if u := survey.Match(lang, survey.Languages); u != "" {
		d.Lang = u
	} else {
		d.Lang = "en"
	}
	s.renderSurvey(w, p, status, d)
}

// surveyAcceptLang is the page language when only the browser's is known.
func surveyAcceptLang(r *http.Request) string {
	return survey.Negotiate(r.URL.Query().Get("lang"), "", r.Header.Get("Accept-Language"), survey.Languages, "en")
}

func (s *Server) renderSurvey(w http.ResponseWriter, _ *publicState, status int, d pageData) {
	b, err := renderSurveyPage(d)
	if err != nil {
		s.logger.Error("render survey page", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	writeSurveyPage(w, status, b)
}

// renderSurveyPage executes the page template.
func renderSurveyPage(d pageData) ([]byte, error) {
	var b bytes.Buffer
	if err := surveyTemplates.ExecuteTemplate(&b, "page", d); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeSurveyPage sends a rendered page with the headers of every survey page.
func writeSurveyPage(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin") // the token in the URL never leaves the site
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	w.WriteHeader(status)
	w.Write(b)
}

// basePage fills the data every step shows.
func basePage(sv cx.Survey, lang string) pageData {
	l := survey.Localize(sv, lang)
	d := pageData{Lang: lang, Title: l.Question, L: l, UI: l.UI, Brand: sv.Design.BrandColor, Logo: sv.Design.LogoURL,
		Min: sv.ScaleMin, Max: sv.ScaleMax, Current: sv.ScaleMin - 1, NoComment: sv.Design.NoComment}
	d.Scores = d.Range(sv.ScaleMin, sv.ScaleMax)
	return d
}

// commentStep turns d into the comment step for score.
func commentStep(d pageData, sv cx.Survey, score int) pageData {
	d.Step, d.Current = "comment", score
	d.FollowUp = survey.Pick(d.L.FollowUp, survey.Categorize(sv, score))
	return d
}

// thanksStep turns d into the thank-you step for score.
func thanksStep(d pageData, sv cx.Survey, score int) pageData {
	c := survey.Categorize(sv, score)
	d.Step, d.ThankYou = "thanks", survey.Pick(d.L.ThankYou, c)
	if c == survey.Promoter {
		d.Referral = sv.Design.ReferralURL
	}
	return d
}

// formToken signs the survey a form belongs to, so only forms this server
// rendered (recently) are accepted.
// The expiry is rounded to the hour so that a page rendered for one
// visitor can be served to the next (see scorePageKey).
func (s *Server) formToken(p *publicState, ws, surveyID int64) string {
	return p.signer.Sign(survey.Token{Kind: survey.TokenForm, Workspace: ws, ID: surveyID, Expires: s.opts.Now().Truncate(time.Hour).Add(formTokenTTL)})
}

func (s *Server) checkFormToken(p *publicState, r *http.Request, ws, surveyID int64) bool {
	t, err := p.signer.Verify(r.PostFormValue("ft"), survey.TokenForm, s.opts.Now())
	return err == nil && t.Workspace == ws && t.ID == surveyID
}

// readSurveyForm parses a posted form within the body limit (64 KiB at
// most: a comment is at most 10,000 bytes); when it is too large or
// malformed it answers and reports false.
func (s *Server) readSurveyForm(w http.ResponseWriter, r *http.Request, p *publicState) bool {
	if r.Method != http.MethodPost {
		return true
	}
	r.Body = http.MaxBytesReader(w, r.Body, min(s.opts.MaxBodyBytes, 64<<10))
	if err := r.ParseForm(); err != nil {
		status := http.StatusBadRequest
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			status = http.StatusRequestEntityTooLarge
		}
		s.surveyProblem(w, p, status, surveyAcceptLang(r), "error")
		return false
	}
	return true
}

// parseSurveyScore reads a score on sv's scale.
func parseSurveyScore(v string, sv cx.Survey) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	return n, err == nil && n >= sv.ScaleMin && n <= sv.ScaleMax
}

// indexNew tells the analytics index about a new response.
func (s *Server) indexNew(ctx context.Context, ws, id int64) {
	if err := s.opts.Indexes.AddIDs(ctx, ws, []int64{id}); err != nil {
		s.logger.Error("index new response", "workspace", ws, "err", err)
	}
}

// indexChanged schedules a rebuild of the workspace's index after a score
// or answer changed (the index only appends): one rebuild per workspace
// per rebuildDelay, however many answers changed meanwhile.
func (s *Server) indexChanged(p *publicState, ws int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.rebuilds[ws] {
		return
	}
	p.rebuilds[ws] = true
	time.AfterFunc(rebuildDelay, func() {
		p.mu.Lock()
		delete(p.rebuilds, ws)
		p.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		if err := s.opts.Indexes.Rebuild(ctx, ws); err != nil {
			s.logger.Error("rebuild index after a changed answer", "workspace", ws, "err", err)
		}
	})
}

// invitationPage serves /s/{token}: GET shows the score step (or, once a
// score is stored, the comment step; ?score=N stores a score first, for
// one-click email links), POST stores the score or the comment.
func (s *Server) invitationPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := s.surveyState(ctx)
	if err != nil {
		s.logger.Error("survey page", "err", err)
		s.surveyProblem(w, p, http.StatusServiceUnavailable, surveyAcceptLang(r), "error")
		return
	}
	ref := r.PathValue("ref")
	if !s.surveyAllowed(w, r, p, ref) {
		s.surveyProblem(w, p, http.StatusTooManyRequests, surveyAcceptLang(r), "busy")
		return
	}
	if !s.readSurveyForm(w, r, p) {
		return
	}
	now := s.opts.Now()
	tok, err := p.signer.Verify(ref, survey.TokenInvitation, now)
	switch {
	case errors.Is(err, survey.ErrTokenExpired):
		s.surveyProblem(w, p, http.StatusGone, surveyAcceptLang(r), "expired")
		return
	case err != nil:
		s.surveyProblem(w, p, http.StatusNotFound, surveyAcceptLang(r), "invalid")
		return
	}
	ws := tok.Workspace
	inv, err := p.invs.Invitation(ctx, ws, tok.ID)
	if errors.Is(err, cx.ErrNotFound) {
		s.surveyProblem(w, p, http.StatusNotFound, surveyAcceptLang(r), "invalid")
		return
	}
	if err != nil {
		s.surveyFail(w, r, p, err)
		return
	}
	sv, err := s.survey(ctx, p, ws, inv.Survey)
	if err != nil {
		s.surveyFail(w, r, p, err)
		return
	}
	lang := s.pageLang(ctx, ws, inv, sv, r)
	if !now.Before(inv.ExpiresAt) || inv.Status == cx.InvitationCancelled || sv.ArchivedAt != nil {
		s.surveyProblem(w, p, http.StatusGone, lang, "expired")
		return
	}
	if inv.OpenedAt == nil {
		if _, err := s.db.MarkInvitationOpened(ctx, ws, inv.ID, now); err != nil {
			s.logger.Error("mark invitation opened", "workspace", ws, "invitation", inv.ID, "err", err)
		}
	}
	d := basePage(sv, lang)
	d.ChangeURL = "/s/" + ref + "?step=score"
	d.FormToken = s.formToken(p, ws, sv.ID)

	answer := func(score int, attrs cx.Attributes) (cx.Response, bool) {
		resp, created, err := s.db.AnswerInvitation(ctx, ws, inv.ID, store.Answer{Score: score, Language: lang, Attributes: attrs})
		if errors.Is(err, store.ErrInvitationExpired) {
			s.surveyProblem(w, p, http.StatusGone, lang, "expired")
			return resp, false
		}
		if err != nil {
			s.surveyFail(w, r, p, err)
			return resp, false
		}
		if created {
			s.indexNew(ctx, ws, resp.ID)
		} else {
			s.indexChanged(p, ws)
		}
		return resp, true
	}

	// takeScore stores the score v (a one-click link or the score form)
	// and moves on to the comment step.
	takeScore := func(v string) {
		score, ok := parseSurveyScore(v, sv)
		if !ok {
			d.Step, d.Error = "score", d.UI["choose_score"]
			s.renderSurvey(w, p, http.StatusUnprocessableEntity, d)
			return
		}
		if _, ok := answer(score, nil); ok {
			s.afterScore(w, p, d, sv, score)
		}
	}

	if r.Method == http.MethodGet {
		q := r.URL.Query()
		if v := q.Get("score"); v != "" {
			takeScore(v)
			return
		}
		if inv.ResponseID == 0 && len(q) == 0 {
			// The common case, an invitation opened for the first time:
			// the same page for everyone with this survey and language.
			key := scorePageKey{ws, sv.ID, sv.UpdatedAt.UnixMilli(), now.Truncate(time.Hour).Unix(), lang}
			b, err := p.pages.get(key, now, func() ([]byte, error) {
				d.Step = "score"
				return renderSurveyPage(d)
			})
			if err != nil {
				s.surveyFail(w, r, p, err)
				return
			}
			writeSurveyPage(w, http.StatusOK, b)
			return
		}
		if inv.ResponseID == 0 || q.Get("step") == "score" {
			d.Step = "score"
			if inv.ResponseID != 0 {
				if resp, err := s.db.Response(ctx, ws, inv.ResponseID); err == nil {
					d.Current = *resp.Score
				}
			}
			s.renderSurvey(w, p, http.StatusOK, d)
			return
		}
		resp, err := s.db.Response(ctx, ws, inv.ResponseID)
		if err != nil {
			s.surveyFail(w, r, p, err)
			return
		}
		s.renderSurvey(w, p, http.StatusOK, commentStep(d, sv, *resp.Score))
		return
	}

	// POST: a score or a comment.
	if !surveySameOrigin(r) {
		s.surveyProblem(w, p, http.StatusForbidden, lang, "invalid")
		return
	}
	if !s.checkFormToken(p, r, ws, sv.ID) {
		// An old or forged form: show the page again, fresh.
		d.Step, d.Error = "score", d.UI["error_body"]
		s.renderSurvey(w, p, http.StatusForbidden, d)
		return
	}
	if r.PostForm.Get("website") != "" {
		// The honeypot: a bot filled the hidden field. Thank it, store nothing.
		s.renderSurvey(w, p, http.StatusOK, thanksStep(d, sv, sv.ScaleMax))
		return
	}
	switch r.PostForm.Get("step") {
	case "comment":
		if inv.ResponseID == 0 {
			d.Step, d.Error = "score", d.UI["choose_score"]
			s.renderSurvey(w, p, http.StatusUnprocessableEntity, d)
			return
		}
		resp, err := s.db.Response(ctx, ws, inv.ResponseID)
		if err != nil {
			s.surveyFail(w, r, p, err)
			return
		}
		s.saveComment(w, r, p, d, sv, ws, resp)
	default:
		takeScore(r.PostForm.Get("score"))
	}
}

// afterScore shows the comment step, or the thanks when there is nothing
// more to ask.
func (s *Server) afterScore(w http.ResponseWriter, p *publicState, d pageData, sv cx.Survey, score int) {
	if sv.Design.NoComment && len(sv.Design.Questions) == 0 {
		s.renderSurvey(w, p, http.StatusOK, thanksStep(d, sv, score))
		return
	}
	s.renderSurvey(w, p, http.StatusOK, commentStep(d, sv, score))
}

// saveComment stores the comment step's comment and extra answers on resp.
func (s *Server) saveComment(w http.ResponseWriter, r *http.Request, p *publicState, d pageData, sv cx.Survey, ws int64, resp cx.Response) {
	ctx := r.Context()
	attrs, bad := survey.ParseAnswers(sv, r.PostForm)
	if len(bad) > 0 {
		d = commentStep(d, sv, *resp.Score)
		d.Error = bad[0].Field + ": " + bad[0].Reason
		s.renderSurvey(w, p, http.StatusUnprocessableEntity, d)
		return
	}
	if err := s.db.UpdateResponseComment(ctx, ws, resp.ID, r.PostForm.Get("comment")); err != nil {
		if errors.Is(err, cx.ErrInvalid) {
			d = commentStep(d, sv, *resp.Score)
			d.Error = err.Error()
			s.renderSurvey(w, p, http.StatusUnprocessableEntity, d)
			return
		}
		s.surveyFail(w, r, p, err)
		return
	}
	if len(attrs) > 0 {
		if err := s.db.UpdateResponseAnswer(ctx, ws, resp.ID, *resp.Score, attrs); err != nil {
			s.surveyFail(w, r, p, err)
			return
		}
		s.indexChanged(p, ws)
	}
	s.renderSurvey(w, p, http.StatusOK, thanksStep(d, sv, *resp.Score))
}

// surveyFail logs an internal error and shows the friendly error page.
func (s *Server) surveyFail(w http.ResponseWriter, r *http.Request, p *publicState, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return
	}
	s.logger.Error("survey page", "path", r.URL.Path, "err", err)
	s.surveyProblem(w, p, http.StatusInternalServerError, surveyAcceptLang(r), "error")
}

// pageLang negotiates the page language: the invitation's, the
// customer's language attribute, the browser's, the survey's default.
func (s *Server) pageLang(ctx context.Context, ws int64, inv cx.Invitation, sv cx.Survey, r *http.Request) string {
	avail := survey.Available(sv)
	if l := survey.Match(r.URL.Query().Get("lang"), avail); l != "" {
		return l // the visitor switched language explicitly
	}
	if l := survey.Match(r.PostForm.Get("lang"), avail); l != "" {
		return l
	}
	custLang := ""
	if survey.Match(inv.Language, avail) == "" && inv.Customer != "" {
		if c, err := s.db.Customer(ctx, ws, inv.Customer); err == nil {
			custLang = c.Attributes.String("language")
		}
	}
	return survey.Negotiate(inv.Language, custLang, r.Header.Get("Accept-Language"), avail, sv.Design.DefaultLanguage)
}

// linkPage serves the anonymous link /s/{public key}/{survey key}: anyone
// with the link may answer; each score creates one response (a nonce in
// the form makes a re-posted form update it instead), and the comment step
// carries a signed reference to that response.
func (s *Server) linkPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := s.surveyState(ctx)
	if err != nil {
		s.logger.Error("survey page", "err", err)
		s.surveyProblem(w, p, http.StatusServiceUnavailable, surveyAcceptLang(r), "error")
		return
	}
	if !s.surveyAllowed(w, r, p, "") {
		s.surveyProblem(w, p, http.StatusTooManyRequests, surveyAcceptLang(r), "busy")
		return
	}
	if !s.readSurveyForm(w, r, p) {
		return
	}
	wsSet, err := s.widget(ctx, p, r.PathValue("pk"))
	if errors.Is(err, cx.ErrNotFound) {
		s.surveyProblem(w, p, http.StatusNotFound, surveyAcceptLang(r), "invalid")
		return
	}
	if err != nil {
		s.surveyFail(w, r, p, err)
		return
	}
	ws := wsSet.WorkspaceID
	sv, err := s.survey(ctx, p, ws, r.PathValue("survey"))
	if errors.Is(err, cx.ErrNotFound) {
		s.surveyProblem(w, p, http.StatusNotFound, surveyAcceptLang(r), "invalid")
		return
	}
	if err != nil {
		s.surveyFail(w, r, p, err)
		return
	}
	lang := s.pageLang(ctx, ws, cx.Invitation{}, sv, r)
	if sv.ArchivedAt != nil {
		s.surveyProblem(w, p, http.StatusGone, lang, "expired")
		return
	}
	d := basePage(sv, lang)
	d.Action = r.URL.Path
	d.ChangeURL = r.URL.Path
	d.FormToken = s.formToken(p, ws, sv.ID)
	if r.Method == http.MethodGet {
		d.Step, d.Nonce = "score", surveyNonce()
		s.renderSurvey(w, p, http.StatusOK, d)
		return
	}
	if !surveySameOrigin(r) {
		s.surveyProblem(w, p, http.StatusForbidden, lang, "invalid")
		return
	}
	if !s.checkFormToken(p, r, ws, sv.ID) {
		d.Step, d.Nonce, d.Error = "score", surveyNonce(), d.UI["error_body"]
		s.renderSurvey(w, p, http.StatusForbidden, d)
		return
	}
	if r.PostForm.Get("website") != "" {
		s.renderSurvey(w, p, http.StatusOK, thanksStep(d, sv, sv.ScaleMax))
		return
	}
	if r.PostForm.Get("step") == "comment" {
		t, err := p.signer.Verify(r.PostForm.Get("rt"), survey.TokenResponse, s.opts.Now())
		if err != nil || t.Workspace != ws {
			d.Step, d.Nonce, d.Error = "score", surveyNonce(), d.UI["error_body"]
			s.renderSurvey(w, p, http.StatusForbidden, d)
			return
		}
		resp, err := s.db.Response(ctx, ws, t.ID)
		if err != nil || resp.Survey != sv.Key {
			s.surveyProblem(w, p, http.StatusNotFound, lang, "invalid")
			return
		}
		d.ResponseToken = r.PostForm.Get("rt")
		s.saveComment(w, r, p, d, sv, ws, resp)
		return
	}
	score, ok := parseSurveyScore(r.PostForm.Get("score"), sv)
	nonce := r.PostForm.Get("n")
	if !ok || !validNonce(nonce) {
		d.Step, d.Nonce, d.Error = "score", surveyNonce(), d.UI["choose_score"]
		s.renderSurvey(w, p, http.StatusUnprocessableEntity, d)
		return
	}
	res := p.submit.submit(ctx, ws, cx.Response{Survey: sv.Key, SubmittedAt: s.opts.Now(), Score: &score,
		Language: lang, Channel: cx.ChannelLink, IdempotencyKey: "link:" + nonce})
	if res.Err != nil {
		s.surveyFail(w, r, p, res.Err)
		return
	}
	id, created := res.ID, res.Created
	if created {
		s.indexNew(ctx, ws, id)
	} else {
		s.indexChanged(p, ws)
	}
	d.ResponseToken = p.signer.Sign(survey.Token{Kind: survey.TokenResponse, Workspace: ws, ID: id, Expires: s.opts.Now().Add(formTokenTTL)})
	d.Nonce = nonce
	s.afterScore(w, p, d, sv, score)
}

// surveyNonce returns 16 random bytes in hex: the idempotency key of an
// anonymous answer.
func surveyNonce() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func validNonce(n string) bool {
	if len(n) != 32 {
		return false
	}
	_, err := hex.DecodeString(n)
	return err == nil
}
