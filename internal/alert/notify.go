package alert

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// Email is one email to send. Its JSON is that of mail.Envelope (the
// payload of a "mail.send" outbox message); the store encodes it, since
// the mail package depends on the store.
type Email struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html,omitempty"`
	Kind    string `json:"kind,omitempty"`
	Ref     string `json:"ref,omitempty"`
}

// Notice is what a notification says about a fired alert.
type Notice struct {
	AlertID  int64
	Rule     string
	Title    string // the case title or the finding's
	Customer string // external id; "" when anonymous or not about a customer
	Survey   string
	Score    *int
	Comment  string
	CaseID   int64
	CaseURL  string // link to the case in the dashboard, when one was opened
	FiredAt  time.Time
}

// CaseURL returns the dashboard link of case id: base + /app/cases/{id},
// relative when base is "".
func CaseURL(base string, id int64) string {
	return fmt.Sprintf("%s/app/cases/%d", strings.TrimRight(base, "/"), id)
}

// Recipients returns the addresses an email action notifies: the case
// owner when it is an email address, then the rule's subscribers, each once.
func Recipients(r Rule, owner string) []string {
	var out []string
	if strings.Contains(owner, "@") && !strings.ContainsAny(owner, " \r\n<>") {
		out = append(out, owner)
	}
	for _, s := range r.Subscribers {
		if !strings.EqualFold(s, owner) {
			out = append(out, s)
		}
	}
	return out
}

var alertText = texttemplate.Must(texttemplate.New("alert").Funcs(texttemplate.FuncMap{"deref": func(p *int) int { return *p }}).Parse(`{{.Title}}

Rule: {{.Rule}}
{{if .Customer}}Customer: {{.Customer}}
{{end}}{{if .Score}}Score: {{deref .Score}}{{if .Survey}} ({{.Survey}}){{end}}
{{end}}{{if .Comment}}Comment: {{.Comment}}
{{end}}Fired at: {{.FiredAt.UTC.Format "2006-01-02 15:04 MST"}}
{{if .CaseURL}}
Open the case: {{.CaseURL}}
{{end}}`))

var alertHTML = htmltemplate.Must(htmltemplate.New("alert").Funcs(htmltemplate.FuncMap{"deref": func(p *int) int { return *p }}).Parse(`<!doctype html>
<html><body style="font-family:sans-serif">
<p><strong>{{.Title}}</strong></p>
<table>
<tr><td>Rule</td><td>{{.Rule}}</td></tr>
{{if .Customer}}<tr><td>Customer</td><td>{{.Customer}}</td></tr>{{end}}
{{if .Score}}<tr><td>Score</td><td>{{deref .Score}}{{if .Survey}} ({{.Survey}}){{end}}</td></tr>{{end}}
{{if .Comment}}<tr><td>Comment</td><td>{{.Comment}}</td></tr>{{end}}
<tr><td>Fired at</td><td>{{.FiredAt.UTC.Format "2006-01-02 15:04 MST"}}</td></tr>
</table>
{{if .CaseURL}}<p><a href="{{.CaseURL}}">Open the case</a></p>{{end}}
</body></html>
`))

// AlertEmail renders the email of a fired alert to address to, in text and
// HTML (html/template escapes the customer's comment).
func AlertEmail(to string, n Notice) (Email, error) {
	var t, h bytes.Buffer
	if err := alertText.Execute(&t, n); err != nil {
		return Email{}, fmt.Errorf("alert: render email: %w", err)
	}
	if err := alertHTML.Execute(&h, n); err != nil {
		return Email{}, fmt.Errorf("alert: render email: %w", err)
	}
	subject := strings.Join(strings.Fields("[cxlens] "+n.Title), " ")
	if len(subject) > 200 {
		subject = subject[:200]
	}
	return Email{To: to, Subject: subject, Text: t.String(), HTML: h.String(), Kind: "alert", Ref: fmt.Sprintf("alert:%d", n.AlertID)}, nil
}

// AssignmentRule assigns new cases to owners: the first rule (by Position)
// whose segment matches the case's customer (SegmentKey "" matches every
// case) gives it the next of its Owners, in turn.
type AssignmentRule struct {
	ID           int64     `json:"id"`
	Position     int       `json:"position"`
	SegmentKey   string    `json:"segment_key"`
	SegmentValue string    `json:"segment_value"`
	Owners       []string  `json:"owners"`
	CreatedAt    time.Time `json:"created_at"`
}

// Validate normalises a and names its bad fields.
func (a *AssignmentRule) Validate() error {
	var errs []cx.FieldError
	a.SegmentKey, a.SegmentValue = strings.TrimSpace(a.SegmentKey), strings.TrimSpace(a.SegmentValue)
	if len(a.SegmentKey) > cx.MaxShortText || len(a.SegmentValue) > cx.MaxShortText {
		errs = append(errs, cx.FieldError{Field: "segment_key", Reason: fmt.Sprintf("segment key and value must be at most %d bytes", cx.MaxShortText)})
	}
	if a.SegmentKey == "" && a.SegmentValue != "" {
		errs = append(errs, cx.FieldError{Field: "segment_key", Reason: "is required with segment_value"})
	}
	var owners []string
	for _, o := range a.Owners {
		o = strings.TrimSpace(o)
		switch {
		case o == "" || strings.Contains(o, ","):
			errs = append(errs, cx.FieldError{Field: "owners", Reason: fmt.Sprintf("%q: an owner must be non-empty, without commas", o)})
		case len(o) > cx.MaxShortText:
			errs = append(errs, cx.FieldError{Field: "owners", Reason: fmt.Sprintf("each owner must be at most %d bytes", cx.MaxShortText)})
		default:
			owners = append(owners, o)
		}
	}
	if len(a.Owners) == 0 {
		errs = append(errs, cx.FieldError{Field: "owners", Reason: "must list at least one owner"})
	}
	if len(a.Owners) > 100 {
		errs = append(errs, cx.FieldError{Field: "owners", Reason: "must list at most 100 owners"})
	}
	if a.Position < 0 || a.Position > 1_000_000 {
		errs = append(errs, cx.FieldError{Field: "position", Reason: "must be 0–1000000"})
	}
	a.Owners = owners
	if len(errs) > 0 {
		return &cx.ValidationError{Fields: errs}
	}
	return nil
}

// MatchAssignment returns the index in rules (sorted by Position) of the
// first rule matching a customer with attributes attrs (nil for none), or -1.
func MatchAssignment(rules []AssignmentRule, attrs cx.Attributes) int {
	for i, r := range rules {
		if r.SegmentKey == "" || (attrs != nil && attrs.String(r.SegmentKey) == r.SegmentValue) {
			return i
		}
	}
	return -1
}

// RoundRobin returns the owner of the n-th case a rule assigns (n from 0).
func RoundRobin(owners []string, n int64) string {
	if len(owners) == 0 {
		return ""
	}
	return owners[int(n%int64(len(owners)))]
}
