package web

import (
	"embed"
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/survey"
)

//go:embed templates/distribution/*.html
var distributionTemplateFS embed.FS

var distributionTemplates = template.Must(template.New("distribution").ParseFS(distributionTemplateFS, "templates/distribution/*.html"))

// unsubscribeText is the unsubscribe page's wording in one language.
type unsubscribeText struct {
	Title, Confirm, Button, Done, DoneBody, ProblemTitle, ProblemBody string
}

var unsubscribeTexts = map[string]unsubscribeText{
	"en": {
		Title:        "Unsubscribe",
		Confirm:      "Stop receiving survey emails from us? We will not ask you again.",
		Button:       "Unsubscribe",
		Done:         "You are unsubscribed",
		DoneBody:     "We will not send you survey emails again. Thank you for your time.",
		ProblemTitle: "This link does not work",
		ProblemBody:  "The unsubscribe link is incomplete or has expired. Reply to the email and we will remove you by hand.",
	},
	"zh": {
		Title:        "退订",
		Confirm:      "不再接收我们的问卷邮件？我们将不会再打扰您。",
		Button:       "退订",
		Done:         "您已成功退订",
		DoneBody:     "我们不会再向您发送问卷邮件。感谢您的时间。",
		ProblemTitle: "此链接无效",
		ProblemBody:  "退订链接不完整或已过期。请回复该邮件，我们会为您手动处理。",
	},
	"ro": {
		Title:        "Dezabonare",
		Confirm:      "Nu mai doriți să primiți chestionare pe e-mail de la noi? Nu vă vom mai întreba.",
		Button:       "Dezabonare",
		Done:         "V-ați dezabonat",
		DoneBody:     "Nu vă vom mai trimite chestionare pe e-mail. Vă mulțumim pentru timpul acordat.",
		ProblemTitle: "Acest link nu funcționează",
		ProblemBody:  "Linkul de dezabonare este incomplet sau a expirat. Răspundeți la e-mail și vă vom elimina manual.",
	},
}

// distributionPageRoutes are the public pages of email distribution:
// unsubscribe.
func (s *Server) distributionPageRoutes() []page {
	return []page{
		{"GET /u/{token}", s.unsubscribePage},
		{"POST /u/{token}", s.unsubscribePage},
	}
}

// unsubscribePage handles /u/{token}: GET asks for confirmation (mail
// scanners follow links; they must not unsubscribe anybody), POST — from
// the page's button, or a mail client's RFC 8058 one-click
// "List-Unsubscribe=One-Click" — puts the invitation's address on the
// workspace's suppression list. Done twice, it says done twice.
func (s *Server) unsubscribePage(w http.ResponseWriter, r *http.Request) {
	lang := unsubscribeLang(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"))
	data := map[string]any{"Lang": lang, "T": unsubscribeTexts[lang], "Step": "problem", "Action": r.URL.Path}
	status := http.StatusOK
	show := func() {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Robots-Tag", "noindex")
		w.WriteHeader(status)
		if err := distributionTemplates.ExecuteTemplate(w, "unsubscribe", data); err != nil {
			s.logger.Error("unsubscribe page", "err", err)
		}
	}
	sg, err := s.Signer(r.Context())
	if err != nil {
		s.logger.Error("unsubscribe: signer", "err", err)
		status = http.StatusInternalServerError
		show()
		return
	}
	tok, err := sg.Verify(r.PathValue("token"), survey.TokenUnsubscribe, s.opts.Now())
	if err != nil {
		status = http.StatusNotFound
		show()
		return
	}
	in, err := s.db.Invitation(r.Context(), tok.Workspace, tok.ID)
	if err != nil {
		status = http.StatusNotFound
		if !errors.Is(err, cx.ErrNotFound) {
			s.logger.Error("unsubscribe: invitation", "err", err)
			status = http.StatusInternalServerError
		}
		show()
		return
	}
	if in.Language != "" && r.URL.Query().Get("lang") == "" {
		lang = unsubscribeLang(in.Language, "")
		data["Lang"], data["T"] = lang, unsubscribeTexts[lang]
	}
	if r.Method == http.MethodGet {
		data["Step"] = "confirm"
		show()
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if _, err := s.db.Unsubscribe(r.Context(), tok.Workspace, tok.ID); err != nil {
		s.logger.Error("unsubscribe", "workspace", tok.Workspace, "invitation", tok.ID, "err", err)
		status = http.StatusInternalServerError
		show()
		return
	}
	data["Step"] = "done"
	show()
}

// unsubscribeLang picks en, zh or ro from an explicit tag, else the first
// Accept-Language entry we have, else English.
func unsubscribeLang(tag, accept string) string {
	cands := []string{tag}
	for _, part := range strings.Split(accept, ",") {
		l, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		cands = append(cands, l)
	}
	for _, c := range cands {
		base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(c)), "-")
		if _, ok := unsubscribeTexts[base]; ok {
			return base
		}
	}
	return "en"
}
