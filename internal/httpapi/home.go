package httpapi

import (
	"html/template"
	"net/http"
)

// homePage is what a browser sees at the server's root until the dashboard
// exists: what is running and where to go next. It shows no workspace data
// (it needs no key).
var homePage = template.Must(template.New("home").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>cxlens</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#1d2733}
code,pre{background:#f1f4f8;border-radius:4px;padding:.1rem .3rem}pre{padding:.8rem;overflow-x:auto}a{color:#0b5cad}</style>
</head><body>
<h1>cxlens is running</h1>
<p>Customer-experience measurement: NPS, CSAT and CES responses, customer events and support tickets, on {{.Dialect}}.</p>
<ul>
<li><a href="/api/v1/openapi.json">API reference</a> (OpenAPI 3.1) — every route under <code>/api/v1</code> takes <code>Authorization: Bearer &lt;key&gt;</code></li>
<li><a href="/healthz">/healthz</a> and <a href="/readyz">/readyz</a></li>
</ul>
<p>Try it with the key <code>make demo</code> printed:</p>
<pre>curl -H "Authorization: Bearer $KEY" {{.Base}}/api/v1/responses?survey=nps&amp;limit=5</pre>
<p>This handler serves the API only; <code>cxlens serve</code> adds the web dashboard at <code>/app</code> (first run: <code>/setup</code>, or <code>cxlens user create</code>).</p>
</body></html>
`))

// home serves the landing page.
func (s *server) home(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	homePage.Execute(w, struct{ Dialect, Base string }{s.db.Dialect(), "http://" + r.Host})
}
