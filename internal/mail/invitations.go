package mail

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/distribution"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/survey"
)

// TokenSecret is the name of the server secret (store.Secret) that signs
// invitation and unsubscribe tokens; the hosted pages verify with the same.
const TokenSecret = "survey-token"

// UnsubscribeTTL is how long an unsubscribe link works after the
// invitation expires: people unsubscribe from old mail too.
const UnsubscribeTTL = 2 * 365 * 24 * time.Hour

// Invitations renders invitation emails: the survey's question in the
// invitation's language, the scale as one-click links BASE/s/{token}?score=N
// and the unsubscribe link BASE/u/{token}.
type Invitations struct {
	db      *store.DB
	baseURL string
	signer  *survey.Signer
}

// NewInvitations returns a renderer whose links start with baseURL (the
// server's public address, e.g. https://cx.example.com).
func NewInvitations(ctx context.Context, db *store.DB, baseURL string) (*Invitations, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("mail: %w", cx.Invalid("base-url", "must be the public http(s) address of the server, like https://cx.example.com"))
	}
	secret, err := db.Secret(ctx, TokenSecret)
	if err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	signer, err := survey.NewSigner(secret)
	if err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	return &Invitations{db: db, baseURL: strings.TrimRight(baseURL, "/"), signer: signer}, nil
}

// Links returns the survey page and unsubscribe URLs of invitation in.
func (r *Invitations) Links(ws int64, in cx.Invitation) (page, unsubscribe string) {
	tok := r.signer.Sign(survey.Token{Kind: survey.TokenInvitation, Workspace: ws, ID: in.ID, Expires: in.ExpiresAt})
	unsub := r.signer.Sign(survey.Token{Kind: survey.TokenUnsubscribe, Workspace: ws, ID: in.ID, Expires: in.ExpiresAt.Add(UnsubscribeTTL)})
	return r.baseURL + "/s/" + tok, r.baseURL + "/u/" + unsub
}

// Render is a store.RenderFunc: the "mail.send" message of invitation in
// (or its reminder).
func (r *Invitations) Render(ctx context.Context, ws int64, in cx.Invitation, reminder bool) (store.Message, error) {
	s, err := r.db.Survey(ctx, ws, in.Survey)
	if err != nil {
		return store.Message{}, fmt.Errorf("mail: render invitation %d: %w", in.ID, err)
	}
	w, err := r.db.Workspace(ctx, ws)
	if err != nil {
		return store.Message{}, fmt.Errorf("mail: render invitation %d: %w", in.ID, err)
	}
	page, unsub := r.Links(ws, in)
	e := distribution.Email{
		Language: in.Language, Workspace: w.Name, Question: Question(s, in.Language),
		ScaleMin: s.ScaleMin, ScaleMax: s.ScaleMax, PageURL: page, Unsubscribe: unsub, Reminder: reminder,
		Anchors:  s.Kind == cx.NPS,
		ScoreURL: func(n int) string { return page + "?score=" + strconv.Itoa(n) },
	}
	subject, text, html, err := e.Render()
	if err != nil {
		return store.Message{}, fmt.Errorf("mail: render invitation %d: %w", in.ID, err)
	}
	kind := "invitation"
	if reminder {
		kind = "reminder"
	}
	env := Envelope{To: in.Email, Subject: subject, Text: text, HTML: html, Kind: kind,
		Ref: "invitation:" + strconv.FormatInt(in.ID, 10), Unsubscribe: unsub}
	return env.Message()
}

// Question returns survey s's question in language lang: the design's text
// for lang, for its base language, for the design's default language, the
// survey's own question, or the kind's classic wording.
func Question(s cx.Survey, lang string) string {
	base, _, _ := strings.Cut(lang, "-")
	for _, l := range []string{lang, base, s.Design.DefaultLanguage} {
		if t, ok := s.Design.Texts[l]; ok && l != "" && t.Question != "" {
			return t.Question
		}
	}
	if s.Question != "" {
		return s.Question
	}
	return s.Kind.DefaultQuestion()
}
