package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/survey"
)

// widgetRoutes are the web widget's script and its public endpoint. A site
// embeds the widget with
//
//	<script src="https://cx.example.com/w/widget.js" data-key="PUBLIC_KEY"
//	  data-survey="nps" data-customer="ext-id" data-lang="zh-Hans" async></script>
//
// and the endpoint answers only the origins the workspace allows (CORS).
func (s *Server) widgetRoutes() []page {
	return []page{
		{"GET /w/widget.js", s.widgetScript},
		{"GET /w/v1/surveys/{key}", s.widgetSurvey},
		{"OPTIONS /w/v1/surveys/{key}", s.widgetPreflight},
		{"POST /w/v1/responses", s.widgetRespond},
		{"OPTIONS /w/v1/responses", s.widgetPreflight},
	}
}

// maxWidgetBody bounds a widget post: a score, a comment and a few answers.
const maxWidgetBody = 32 << 10

func (s *Server) widgetScript(w http.ResponseWriter, r *http.Request) {
	b, err := surveyStaticFS.ReadFile("static/widget.js")
	if err != nil {
		http.Error(w, "widget unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(b)
}

// widgetError answers a widget call with {"error": msg}.
func widgetError(w http.ResponseWriter, status int, msg string, fields ...cx.FieldError) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(struct {
		Error  string          `json:"error"`
		Fields []cx.FieldError `json:"fields,omitempty"`
	}{msg, fields})
}

func widgetJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// widgetAccess finds the workspace of the ?key= public key and applies the
// CORS policy: a request from a browser page (with an Origin header) must
// come from one of the workspace's allowed origins; requireOrigin refuses
// requests without one. On success the CORS headers are set.
func (s *Server) widgetAccess(w http.ResponseWriter, r *http.Request, requireOrigin bool) (store.WidgetSettings, bool) {
	w.Header().Add("Vary", "Origin")
	ctx := r.Context()
	p, err := s.surveyState(ctx)
	if err != nil {
		s.logger.Error("widget", "err", err)
		widgetError(w, http.StatusServiceUnavailable, "unavailable")
		return store.WidgetSettings{}, false
	}
	if !s.surveyAllowed(w, r, p, "") {
		widgetError(w, http.StatusTooManyRequests, "too many requests")
		return store.WidgetSettings{}, false
	}
	pk := r.URL.Query().Get("key")
	set, err := s.widget(ctx, p, pk)
	if errors.Is(err, cx.ErrNotFound) || pk == "" {
		widgetError(w, http.StatusNotFound, "unknown public key (the key parameter)")
		return store.WidgetSettings{}, false
	}
	if err != nil {
		s.logger.Error("widget", "err", err)
		widgetError(w, http.StatusInternalServerError, "internal error")
		return store.WidgetSettings{}, false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		if requireOrigin {
			widgetError(w, http.StatusForbidden, "the widget endpoint answers browsers on allowed origins only")
			return store.WidgetSettings{}, false
		}
		return set, true
	}
	if !slices.Contains(set.AllowedOrigins, strings.ToLower(origin)) {
		// The cached settings may predate the origin being allowed: read
		// them again before refusing.
		p.widgets.forget(pk)
		if set, err = s.widget(ctx, p, pk); err != nil {
			s.logger.Error("widget", "err", err)
			widgetError(w, http.StatusInternalServerError, "internal error")
			return store.WidgetSettings{}, false
		}
	}
	if !slices.Contains(set.AllowedOrigins, strings.ToLower(origin)) {
		widgetError(w, http.StatusForbidden, "origin "+origin+" is not allowed to embed this widget")
		return store.WidgetSettings{}, false
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	return set, true
}

// widgetPreflight answers CORS preflight requests from allowed origins.
func (s *Server) widgetPreflight(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.widgetAccess(w, r, true); !ok {
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET, POST")
	h.Set("Access-Control-Allow-Headers", "Content-Type")
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}

// widgetDesign is the survey as the widget shows it.
type widgetDesign struct {
	Survey     string            `json:"survey"`
	Kind       cx.SurveyKind     `json:"kind"`
	ScaleMin   int               `json:"scale_min"`
	ScaleMax   int               `json:"scale_max"`
	Lang       string            `json:"lang"`
	Question   string            `json:"question"`
	LowLabel   string            `json:"low_label"`
	HighLabel  string            `json:"high_label"`
	FollowUp   cx.CategoryTexts  `json:"follow_up"`
	ThankYou   cx.CategoryTexts  `json:"thank_you"`
	UI         map[string]string `json:"ui"`
	BrandColor string            `json:"brand_color,omitempty"`
	NoComment  bool              `json:"no_comment,omitempty"`
	Eligible   bool              `json:"eligible"`
	Reason     string            `json:"reason,omitempty"`
}

// widgetSurvey handles GET /w/v1/surveys/{key}?key=PUBLIC_KEY[&lang=][&customer=]:
// the localized survey and whether this customer may be asked now.
func (s *Server) widgetSurvey(w http.ResponseWriter, r *http.Request) {
	set, ok := s.widgetAccess(w, r, false)
	if !ok {
		return
	}
	ctx := r.Context()
	ws := set.WorkspaceID
	p, _ := s.surveyState(ctx)
	sv, err := s.survey(ctx, p, ws, r.PathValue("key"))
	if errors.Is(err, cx.ErrNotFound) {
		widgetError(w, http.StatusNotFound, "no survey with this key")
		return
	}
	if err != nil {
		s.logger.Error("widget survey", "err", err)
		widgetError(w, http.StatusInternalServerError, "internal error")
		return
	}
	q := r.URL.Query()
	avail := survey.Available(sv)
	custLang := ""
	var customerID int64
	if ext := q.Get("customer"); ext != "" {
		if c, err := s.db.Customer(ctx, ws, ext); err == nil {
			customerID = c.ID
			custLang = c.Attributes.String("language")
		}
	}
	lang := survey.Negotiate(q.Get("lang"), custLang, r.Header.Get("Accept-Language"), avail, sv.Design.DefaultLanguage)
	l := survey.Localize(sv, lang)
	d := widgetDesign{Survey: sv.Key, Kind: sv.Kind, ScaleMin: sv.ScaleMin, ScaleMax: sv.ScaleMax, Lang: lang, Question: l.Question,
		LowLabel: l.LowLabel, HighLabel: l.HighLabel, FollowUp: l.FollowUp, ThankYou: l.ThankYou, UI: l.UI,
		BrandColor: sv.Design.BrandColor, NoComment: sv.Design.NoComment, Eligible: true}
	switch {
	case sv.ArchivedAt != nil:
		d.Eligible, d.Reason = false, "archived"
	case customerID != 0:
		ok, reason, err := s.db.MaySurvey(ctx, ws, customerID, sv.ID, s.opts.Now())
		if err != nil {
			s.logger.Error("widget eligibility", "err", err)
			d.Eligible, d.Reason = false, "unavailable"
		} else {
			d.Eligible, d.Reason = ok, reason
		}
	}
	widgetJSON(w, http.StatusOK, d)
}

// widgetAnswer is the body of POST /w/v1/responses: a score (with a nonce
// the widget picks once per prompt, so a retry updates instead of adding),
// or a comment for the response a token names.
type widgetAnswer struct {
	Survey   string `json:"survey"`
	Customer string `json:"customer"`
	Score    *int   `json:"score"`
	Lang     string `json:"lang"`
	Nonce    string `json:"nonce"`
	Token    string `json:"token"`
	Comment  string `json:"comment"`
}

// widgetRespond handles POST /w/v1/responses?key=PUBLIC_KEY.
func (s *Server) widgetRespond(w http.ResponseWriter, r *http.Request) {
	set, ok := s.widgetAccess(w, r, true)
	if !ok {
		return
	}
	ctx := r.Context()
	ws := set.WorkspaceID
	p, _ := s.surveyState(ctx)
	var in widgetAnswer
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxWidgetBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			widgetError(w, http.StatusRequestEntityTooLarge, "body too large")
			return
		}
		widgetError(w, http.StatusBadRequest, "body must be a JSON object: "+err.Error())
		return
	}
	sv, err := s.survey(ctx, p, ws, in.Survey)
	if errors.Is(err, cx.ErrNotFound) {
		widgetError(w, http.StatusUnprocessableEntity, "invalid input", cx.FieldError{Field: "survey", Reason: "no survey with this key"})
		return
	}
	if err != nil {
		s.logger.Error("widget respond", "err", err)
		widgetError(w, http.StatusInternalServerError, "internal error")
		return
	}
	if sv.ArchivedAt != nil {
		widgetError(w, http.StatusGone, "this survey is closed")
		return
	}
	if in.Token != "" {
		t, err := p.signer.Verify(in.Token, survey.TokenResponse, s.opts.Now())
		if err != nil || t.Workspace != ws {
			widgetError(w, http.StatusForbidden, "invalid or expired token")
			return
		}
		resp, err := s.db.Response(ctx, ws, t.ID)
		if err != nil || resp.Survey != sv.Key {
			widgetError(w, http.StatusNotFound, "no such response")
			return
		}
		if err := s.db.UpdateResponseComment(ctx, ws, t.ID, in.Comment); err != nil {
			var ve *cx.ValidationError
			if errors.As(err, &ve) {
				widgetError(w, http.StatusUnprocessableEntity, "invalid input", ve.Fields...)
				return
			}
			s.logger.Error("widget comment", "err", err)
			widgetError(w, http.StatusInternalServerError, "internal error")
			return
		}
		widgetJSON(w, http.StatusOK, map[string]any{"id": t.ID})
		return
	}
	var bad []cx.FieldError
	if in.Score == nil || *in.Score < sv.ScaleMin || *in.Score > sv.ScaleMax {
		bad = append(bad, cx.FieldError{Field: "score", Reason: "is required, on the survey's scale"})
	}
	if !validNonce(in.Nonce) {
		bad = append(bad, cx.FieldError{Field: "nonce", Reason: "must be 32 hex digits, chosen once per prompt"})
	}
	if len(bad) > 0 {
		widgetError(w, http.StatusUnprocessableEntity, "invalid input", bad...)
		return
	}
	lang := survey.Match(in.Lang, survey.Available(sv))
	res := p.submit.submit(ctx, ws, cx.Response{Survey: sv.Key, Customer: in.Customer, SubmittedAt: s.opts.Now(),
		Score: in.Score, Language: lang, Channel: cx.ChannelWidget, IdempotencyKey: "widget:" + in.Nonce})
	id, created, err := res.ID, res.Created, res.Err
	if err != nil {
		var ve *cx.ValidationError
		if errors.As(err, &ve) {
			widgetError(w, http.StatusUnprocessableEntity, "invalid input", ve.Fields...)
			return
		}
		s.logger.Error("widget respond", "err", err)
		widgetError(w, http.StatusInternalServerError, "internal error")
		return
	}
	if created {
		s.indexNew(ctx, ws, id)
	} else {
		s.indexChanged(p, ws)
	}
	tok := p.signer.Sign(survey.Token{Kind: survey.TokenResponse, Workspace: ws, ID: id, Expires: s.opts.Now().Add(formTokenTTL)})
	widgetJSON(w, http.StatusCreated, map[string]any{"id": id, "token": tok, "category": survey.Categorize(sv, *in.Score)})
}
