package alert

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	texttemplate "text/template"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/metrics"
)

// Digest is a workspace's weekly digest: the KPIs of the week with their
// change from the week before, the top themes, and the open cases.
type Digest struct {
	Workspace    string
	Week         string // ISO week reported, e.g. 2026-W09
	From, To     time.Time
	KPIs         []DigestKPI
	Themes       []DigestTheme
	OpenCases    int
	OverdueCases int
	Cases        []DigestCase // the oldest open cases, at most DigestMaxCases
	DashboardURL string
}

// DigestMaxCases is how many open cases a digest lists.
const DigestMaxCases = 10

// DigestKPI is one survey's metric in the digest.
type DigestKPI struct {
	Survey  string
	Metric  string  // NPS, CSAT (% 4–5 of 5), CES (% 5–7)
	Value   float64 // this week
	N       int64
	Change  float64 // this week − last week, in points
	P       float64
	Valid   bool // the test could be computed
	Signif  bool // P < 0.05
	PrevN   int64
	HasPrev bool
}

// DigestTheme is a theme's count of comments in the week.
type DigestTheme struct {
	Theme    string
	Comments int
}

// DigestCase is an open case in the digest.
type DigestCase struct {
	ID      int64
	Title   string
	Owner   string
	Overdue bool
	URL     string
}

// WeekBounds returns the ISO week before the one holding now, [from, to)
// in UTC: the week a digest sent at now reports.
func WeekBounds(now time.Time) (from, to time.Time) {
	now = now.UTC()
	wd := (int(now.Weekday()) + 6) % 7 // Monday 0
	to = time.Date(now.Year(), now.Month(), now.Day()-wd, 0, 0, 0, 0, time.UTC)
	return to.AddDate(0, 0, -7), to
}

// DigestKPIFor compares a survey's week with the week before: NPS by its
// z test, CSAT by the top-2-box share, CES by the share of 5–7 answers
// (the tests of MetricDrop).
func DigestKPIFor(survey string, kind cx.SurveyKind, cur, prev metrics.Distribution) DigestKPI {
	var cfg metrics.Config
	k := DigestKPI{Survey: survey, N: cur.N(), PrevN: prev.N(), HasPrev: prev.N() > 0}
	var d metrics.Difference
	switch kind {
	case cx.NPS:
		k.Metric = "NPS"
		if cur.N() > 0 {
			k.Value = cfg.NPS(cur).Score
		}
		d = cfg.NPSDifference(cur, prev)
	case cx.CES:
		k.Metric = "CES % easy (5–7)"
		if n := cur.N(); n > 0 && cur.Scale() == metrics.CESScale {
			k.Value = 100 * float64(cur.CountBetween(5, 7)) / float64(n)
		}
		d, _ = cfg.CESDifference(cur, prev)
	default:
		s := cur.Scale()
		k.Metric = fmt.Sprintf("CSAT %% top-2 (%d–%d)", s.Max-1, s.Max)
		if n := cur.N(); n > 0 {
			k.Value = 100 * float64(cur.CountBetween(s.Max-1, s.Max)) / float64(n)
		}
		d, _ = cfg.CSATDifference(cur, prev)
	}
	k.Value = round(k.Value)
	k.Change, k.P, k.Valid = round(d.Estimate), d.P, d.Valid
	k.Signif = d.Valid && d.P < DefaultAlpha
	return k
}

var digestFuncs = map[string]any{
	"signed": func(x float64) string { return fmt.Sprintf("%+.1f", x) },
	"date":   func(t time.Time) string { return t.UTC().Format("2006-01-02") },
	"pval":   func(p float64) string { return fmt.Sprintf("%.3g", p) },
}

var digestText = texttemplate.Must(texttemplate.New("digest").Funcs(digestFuncs).Parse(`Weekly CX digest: {{.Workspace}}, {{.Week}} ({{date .From}} to {{date .To}}, exclusive)

KPIs (change vs the week before; * significant at p < 0.05)
{{range .KPIs}}- {{.Survey}}: {{.Metric}} {{printf "%.1f" .Value}} (n = {{.N}}){{if .HasPrev}}, {{signed .Change}}{{if .Valid}} (p = {{pval .P}}){{end}}{{if .Signif}} *{{end}}{{else}}, no answers the week before{{end}}
{{else}}- no survey answers this week
{{end}}
Top themes
{{range .Themes}}- {{.Theme}}: {{.Comments}} comments
{{else}}- no themed comments this week
{{end}}
Open cases: {{.OpenCases}} ({{.OverdueCases}} overdue)
{{range .Cases}}- #{{.ID}} {{.Title}}{{if .Owner}} [{{.Owner}}]{{end}}{{if .Overdue}} OVERDUE{{end}} {{.URL}}
{{end}}`))

var digestHTML = htmltemplate.Must(htmltemplate.New("digest").Funcs(digestFuncs).Parse(`<!doctype html>
<html><body style="font-family:sans-serif">
<h1>Weekly CX digest: {{.Workspace}}</h1>
<p>{{.Week}} ({{date .From}} to {{date .To}}, exclusive)</p>
<h2>KPIs</h2>
<table>
<tr><th>Survey</th><th>Metric</th><th>Value</th><th>n</th><th>Change vs week before</th><th>p</th></tr>
{{range .KPIs}}<tr><td>{{.Survey}}</td><td>{{.Metric}}</td><td>{{printf "%.1f" .Value}}</td><td>{{.N}}</td>
<td>{{if .HasPrev}}{{signed .Change}}{{if .Signif}} <strong>significant</strong>{{end}}{{else}}no answers the week before{{end}}</td>
<td>{{if .Valid}}{{pval .P}}{{end}}</td></tr>
{{else}}<tr><td colspan="6">No survey answers this week.</td></tr>
{{end}}</table>
<h2>Top themes</h2>
<ul>{{range .Themes}}<li>{{.Theme}}: {{.Comments}} comments</li>{{else}}<li>No themed comments this week.</li>{{end}}</ul>
<h2>Open cases: {{.OpenCases}} ({{.OverdueCases}} overdue)</h2>
<ul>{{range .Cases}}<li><a href="{{.URL}}">#{{.ID}} {{.Title}}</a>{{if .Owner}} ({{.Owner}}){{end}}{{if .Overdue}} <strong>overdue</strong>{{end}}</li>{{end}}</ul>
</body></html>
`))

// DigestEmail renders the digest for address to, in text and HTML.
func DigestEmail(to string, d Digest) (Email, error) {
	var t, h bytes.Buffer
	if err := digestText.Execute(&t, d); err != nil {
		return Email{}, fmt.Errorf("alert: render digest: %w", err)
	}
	if err := digestHTML.Execute(&h, d); err != nil {
		return Email{}, fmt.Errorf("alert: render digest: %w", err)
	}
	return Email{To: to, Subject: fmt.Sprintf("[cxlens] Weekly digest %s: %s", d.Week, d.Workspace), Text: t.String(), HTML: h.String(),
		Kind: "digest", Ref: "digest:" + d.Week}, nil
}
