package distribution

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"strings"
)

// Email is what an invitation email needs: the question, the scale, and
// the links (already signed).
type Email struct {
	Language  string // BCP 47; unknown languages fall back to English
	Workspace string // sender's name, shown in the greeting
	Question  string // in the email's language; empty: the kind's default
	ScaleMin  int
	ScaleMax  int
	// ScoreURL returns the one-click link that records score n.
	ScoreURL    func(n int) string
	PageURL     string // the survey page without a score
	Unsubscribe string // the unsubscribe page
	Reminder    bool
	// Anchors shows the NPS scale's end labels ("not at all likely" …
	// "extremely likely"); other scales carry their meaning in the question.
	Anchors bool
}

// emailText is one language's wording.
type emailText struct {
	Subject, Reminder, Intro, Low, High, Open, Unsubscribe string
}

var emailTexts = map[string]emailText{
	"en": {
		Subject:  "%s would like your feedback",
		Reminder: "Reminder: %s would like your feedback",
		Intro:    "It takes one click: choose a score below.",
		Low:      "Not at all likely", High: "Extremely likely",
		Open:        "Or open the survey",
		Unsubscribe: "Don't want these emails? Unsubscribe",
	},
	"zh": {
		Subject:  "%s 想听听您的意见",
		Reminder: "提醒：%s 想听听您的意见",
		Intro:    "只需点击一下：请在下方选择分数。",
		Low:      "完全不可能", High: "非常可能",
		Open:        "或打开问卷",
		Unsubscribe: "不想再收到此类邮件？退订",
	},
	"ro": {
		Subject:  "%s vă roagă să ne spuneți părerea",
		Reminder: "Reamintire: %s vă roagă să ne spuneți părerea",
		Intro:    "Durează un clic: alegeți o notă mai jos.",
		Low:      "Deloc probabil", High: "Foarte probabil",
		Open:        "Sau deschideți chestionarul",
		Unsubscribe: "Nu mai doriți aceste e-mailuri? Dezabonare",
	},
}

// BaseLanguage returns the shipped language for tag: en, zh or ro
// (zh-Hans and zh-Hant read the zh text), English otherwise.
func BaseLanguage(tag string) string {
	base, _, _ := strings.Cut(strings.ToLower(tag), "-")
	if _, ok := emailTexts[base]; ok {
		return base
	}
	return "en"
}

var emailHTML = htmltemplate.Must(htmltemplate.New("email").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{.Subject}}</title></head>
<body style="font-family:system-ui,sans-serif;color:#1a1a1a;max-width:600px;margin:0 auto;padding:16px">
<p style="font-size:18px">{{.Question}}</p>
<p>{{.T.Intro}}</p>
<table role="presentation" style="border-collapse:collapse"><tr>
{{range .Scores}}<td style="padding:2px"><a href="{{.URL}}" style="display:inline-block;min-width:32px;padding:8px 4px;text-align:center;border:1px solid #555;border-radius:4px;color:#1a1a1a;text-decoration:none">{{.N}}</a></td>
{{end}}</tr></table>
{{if .Anchors}}<p style="font-size:12px;color:#444">{{.Min}} = {{.T.Low}} · {{.Max}} = {{.T.High}}</p>{{end}}
<p><a href="{{.Page}}">{{.T.Open}}</a></p>
<p style="font-size:12px;color:#444"><a href="{{.Unsubscribe}}">{{.T.Unsubscribe}}</a></p>
</body></html>`))

type scoreLink struct {
	N   int
	URL string
}

// Render returns the subject, plain text and HTML of the email.
func (e Email) Render() (subject, text, html string, err error) {
	lang := BaseLanguage(e.Language)
	t := emailTexts[lang]
	name := e.Workspace
	if name == "" {
		name = "cxlens"
	}
	subject = fmt.Sprintf(t.Subject, name)
	if e.Reminder {
		subject = fmt.Sprintf(t.Reminder, name)
	}
	if e.ScaleMax < e.ScaleMin || e.ScaleMax-e.ScaleMin > 20 || e.ScoreURL == nil {
		return "", "", "", fmt.Errorf("distribution: email: bad scale %d–%d", e.ScaleMin, e.ScaleMax)
	}
	var scores []scoreLink
	var tb strings.Builder
	fmt.Fprintf(&tb, "%s\n\n%s\n\n", e.Question, t.Intro)
	for n := e.ScaleMin; n <= e.ScaleMax; n++ {
		u := e.ScoreURL(n)
		scores = append(scores, scoreLink{n, u})
		fmt.Fprintf(&tb, "%2d: %s\n", n, u)
	}
	if e.Anchors {
		fmt.Fprintf(&tb, "\n%d = %s, %d = %s\n", e.ScaleMin, t.Low, e.ScaleMax, t.High)
	}
	fmt.Fprintf(&tb, "\n%s: %s\n\n%s: %s\n", t.Open, e.PageURL, t.Unsubscribe, e.Unsubscribe)
	var hb bytes.Buffer
	err = emailHTML.Execute(&hb, map[string]any{
		"Lang": lang, "Subject": subject, "Question": e.Question, "T": t, "Scores": scores,
		"Anchors": e.Anchors, "Min": e.ScaleMin, "Max": e.ScaleMax, "Page": e.PageURL, "Unsubscribe": e.Unsubscribe,
	})
	if err != nil {
		return "", "", "", fmt.Errorf("distribution: email: %w", err)
	}
	return subject, tb.String(), hb.String(), nil
}
