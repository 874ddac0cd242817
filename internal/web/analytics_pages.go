package web

// The dashboard's analysis pages: overview, segments, drivers, support,
// say vs do, customers, responses and journey. Each page has a data
// function (page_*.go) that computes what the page shows with the same
// internal/report functions the API calls, so a figure on a page equals
// the API's figure for the same query; the handler renders it, or writes
// its table as CSV with ?format=csv. Filters (date range, segment) stay in
// the URL so a link can be shared.

import (
	"bytes"
	"embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cxlens/cxlens/internal/analytics"
	"github.com/cxlens/cxlens/internal/cx"
)

// vendorFS holds third-party browser code (Apache ECharts), fetched from
// npm by scripts/assets; see static/vendor/SOURCE.md.
//
//go:embed static/vendor
var vendorFS embed.FS

// analyticsPageRoutes are the dashboard's analysis pages.
func (s *Server) analyticsPageRoutes() []page {
	return []page{
		{"GET /app", s.app(RoleViewer, s.overviewPage)},
		{"GET /app/overview/tiles", s.app(RoleViewer, s.overviewTilesPage)},
		{"GET /app/segments", s.app(RoleViewer, s.segmentsPage)},
		{"GET /app/drivers", s.app(RoleViewer, s.driversPage)},
		{"GET /app/support", s.app(RoleViewer, s.supportPage)},
		{"GET /app/say-vs-do", s.app(RoleViewer, s.sayVsDoPage)},
		{"GET /app/customers", s.app(RoleViewer, s.customersPage)},
		{"GET /app/customers/{id}", s.app(RoleViewer, s.customerPage)},
		{"GET /app/responses", s.app(RoleViewer, s.responsesPage)},
		{"GET /app/responses/{id}", s.app(RoleViewer, s.responsePage)},
		{"GET /app/journey", s.app(RoleViewer, s.journeyPage)},
		{"GET /static/vendor/{file...}", s.vendorStatic},
	}
}

func init() {
	// Template helpers of the analysis pages, added to the dashboard's
	// function map before any template is parsed (parsing is lazy).
	appFuncs["vendor"] = vendorURL
	appFuncs["num"] = fmtNum
	appFuncs["pct"] = fmtPct
	appFuncs["signed"] = fmtSigned
	appFuncs["dur"] = fmtDuration
	appFuncs["chartJSON"] = chartJSON
	appFuncs["part"] = renderPart
	appFuncs["hiddenParams"] = hiddenParams
	appFuncs["add"] = func(a, b int) int { return a + b }
	appFuncs["deref"] = func(p *int) int { return *p }
	appFuncs["val"] = func(p *float64) float64 {
		if p == nil {
			return 0
		}
		return *p
	}
}

// filters are the date range and segment of a page, read from the URL.
type filters struct {
	From, To time.Time // [From, To) at midnight in the workspace's zone
	FromStr  string    // YYYY-MM-DD as in the URL (To is shown inclusive)
	ToStr    string
	Segment  string // "attr=value[,value]" of the analytics index, or ""
	Interval analytics.Interval
}

// segmentFilters returns the segment as a filter list for report requests.
func (f filters) segmentFilters() []string {
	if f.Segment == "" {
		return nil
	}
	return []string{f.Segment}
}

// parseFilters reads from, to (inclusive dates), seg and interval; the
// default range is the 90 days up to today.
func parseFilters(v *view) (filters, error) {
	q := v.Query
	today := time.Date(v.Now.In(v.Loc).Year(), v.Now.In(v.Loc).Month(), v.Now.In(v.Loc).Day(), 0, 0, 0, 0, v.Loc)
	f := filters{To: today.AddDate(0, 0, 1)}
	day := func(name string) (time.Time, bool, error) {
		s := strings.TrimSpace(q.Get(name))
		if s == "" {
			return time.Time{}, false, nil
		}
		t, err := time.ParseInLocation("2006-01-02", s, v.Loc)
		if err != nil {
			return time.Time{}, false, cx.Invalid(name, "must be a date, YYYY-MM-DD")
		}
		return t, true, nil
	}
	if t, ok, err := day("to"); err != nil {
		return f, err
	} else if ok {
		f.To = t.AddDate(0, 0, 1)
	}
	f.From = f.To.AddDate(0, 0, -90)
	if t, ok, err := day("from"); err != nil {
		return f, err
	} else if ok {
		f.From = t
	}
	if !f.From.Before(f.To) {
		return f, cx.Invalid("from", "must be on or before to")
	}
	if f.To.Sub(f.From) > 20*366*24*time.Hour {
		return f, cx.Invalid("from", "the range may span at most 20 years")
	}
	f.FromStr, f.ToStr = f.From.Format("2006-01-02"), f.To.AddDate(0, 0, -1).Format("2006-01-02")
	if seg := strings.TrimSpace(q.Get("seg")); seg != "" {
		if _, err := analytics.ParseFilter(seg); err != nil {
			return f, cx.Invalid("seg", "must be attribute=value, like customer.plan=pro")
		}
		f.Segment = seg
	}
	switch iv := analytics.Interval(q.Get("interval")); {
	case iv == "":
		days := f.To.Sub(f.From).Hours() / 24
		switch {
		case days <= 45:
			f.Interval = analytics.Interval("day")
		case days <= 400:
			f.Interval = analytics.Interval("week")
		default:
			f.Interval = analytics.Interval("month")
		}
	case iv.Valid():
		f.Interval = iv
	default:
		return f, cx.Invalid("interval", "must be day, week, month or quarter")
	}
	return f, nil
}

// fieldMessage turns a validation error into a sentence naming the field.
func fieldMessage(v *view, err error) string {
	var ve *cx.ValidationError
	if errors.As(err, &ve) && len(ve.Fields) > 0 {
		parts := make([]string, len(ve.Fields))
		for i, fe := range ve.Fields {
			parts[i] = v.T("analytics.error.field", fe.Field, fe.Reason)
		}
		return strings.Join(parts, "; ")
	}
	return err.Error()
}

// writeTableCSV writes a table as an attachment named name.csv.
func writeTableCSV(w http.ResponseWriter, name string, header []string, rows [][]string) {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write(header)
	for _, row := range rows {
		// A cell starting with = + - @ could run as a formula in a
		// spreadsheet (CSV injection); text cells get a leading quote.
		for i, c := range row {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				if _, err := strconv.ParseFloat(c, 64); err != nil {
					row[i] = "'" + c
				}
			}
		}
		cw.Write(row)
	}
	cw.Flush()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	safe := strings.Map(func(r rune) rune {
		if r < 128 && (r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return r
		}
		return '_'
	}, name)
	w.Header().Set("Content-Disposition", `attachment; filename="`+safe+`.csv"`)
	w.Write(buf.Bytes())
}

// csvFloat formats an optional number for CSV ("" when absent).
func csvFloat(p *float64) string { return csvFixed(p, -1) }

// csvFixed formats an optional number for CSV with digits decimals ("" when
// absent or NaN; -1 digits: as many as needed).
func csvFixed(p *float64, digits int) string {
	if p == nil || math.IsNaN(*p) {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', digits, 64)
}

// csvInt formats an optional integer, such as a score, for CSV ("" when
// absent).
func csvInt(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

// fmtNum formats a number for a page: nil or NaN is an en dash.
func fmtNum(x any, digits int) string {
	f, ok := toFloat(x)
	if !ok {
		return "–"
	}
	return strconv.FormatFloat(f, 'f', digits, 64)
}

// fmtPct formats a 0–1 fraction as a percentage.
func fmtPct(x any, digits int) string {
	f, ok := toFloat(x)
	if !ok {
		return "–"
	}
	return strconv.FormatFloat(100*f, 'f', digits, 64) + "%"
}

// fmtSigned formats a change with its sign.
func fmtSigned(x any, digits int) string {
	f, ok := toFloat(x)
	if !ok {
		return "–"
	}
	s := strconv.FormatFloat(f, 'f', digits, 64)
	if f > 0 {
		s = "+" + s
	}
	return s
}

// fmtDuration formats seconds as a short duration (1h 5m, 45s).
func fmtDuration(x any) string {
	f, ok := toFloat(x)
	if !ok {
		return "–"
	}
	d := time.Duration(f * float64(time.Second)).Round(time.Second)
	switch {
	case d >= 24*time.Hour:
		return fmt.Sprintf("%.1fd", d.Hours()/24)
	case d >= time.Hour:
		return fmt.Sprintf("%dh %dm", int(d.Hours()), int(d.Minutes())%60)
	case d >= time.Minute:
		return fmt.Sprintf("%dm %ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%ds", int(d.Seconds()))
}

func toFloat(x any) (float64, bool) {
	var f float64
	switch v := x.(type) {
	case float64:
		f = v
	case *float64:
		if v == nil {
			return 0, false
		}
		f = *v
	case int:
		f = float64(v)
	case int64:
		f = float64(v)
	default:
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// chart is what static/app/charts.js draws from a data-chart attribute:
// a line with a CI band ("line"), bars with error bars ("bars") or an
// importance–performance scatter ("scatter").
type chart struct {
	Type   string     `json:"type"`
	Title  string     `json:"title"`
	X      []string   `json:"x,omitempty"`  // categories (line, bars)
	Y      []*float64 `json:"y,omitempty"`  // values
	Lo     []*float64 `json:"lo,omitempty"` // interval bounds
	Hi     []*float64 `json:"hi,omitempty"`
	Muted  []bool     `json:"muted,omitempty"`  // small samples (bars)
	Points []point    `json:"points,omitempty"` // scatter
	XName  string     `json:"xName,omitempty"`
	YName  string     `json:"yName,omitempty"`
	File   string     `json:"file,omitempty"` // PNG download name
}

// point is one dot of a scatter chart.
type point struct {
	Name string  `json:"name"`
	X    float64 `json:"x"`
	Y    float64 `json:"y"`
	Mark bool    `json:"mark,omitempty"` // highlighted, e.g. "fix first"
}

// chartJSON encodes a chart for a data- attribute.
func chartJSON(c chart) string {
	b, err := json.Marshal(c)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// finite returns p, or nil when it is NaN or infinite (JSON cannot carry those).
func finite(p *float64) *float64 {
	if p == nil || math.IsNaN(*p) || math.IsInf(*p, 0) {
		return nil
	}
	return p
}

// vendorFiles are the embedded vendor scripts with hash and gzip form.
var vendorFiles = sync.OnceValue(func() map[string]*staticFile {
	return loadStatic(vendorFS, "static/vendor", func(p string) bool { return strings.HasSuffix(p, ".js") })
})

// vendorURL is the long-cached URL of a vendor file.
func vendorURL(name string) string {
	if f := vendorFiles()[name]; f != nil {
		return "/static/vendor/" + name + "?v=" + f.etag
	}
	return "/static/vendor/" + name
}

// vendorStatic serves static/vendor/.
func (s *Server) vendorStatic(w http.ResponseWriter, r *http.Request) {
	s.serveStatic(w, r, vendorFiles())
}

// segmentChoices lists the index's attributes a page offers to filter or
// group by: those with 2–200 values, built-ins first.
func segmentChoices(ix *analytics.Index) []string {
	var out []string
	for name, n := range ix.Attributes() {
		if n >= 2 && n <= 200 && name != analytics.AttrSurvey {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// pageBase is what every analysis page's data carries: the filters, an
// error about them, and the segment attributes for the filter form.
type pageBase struct {
	F        filters
	Err      string
	Segments []string
}

// errorsIsNotFound reports whether err is a missing record.
func errorsIsNotFound(err error) bool { return errors.Is(err, cx.ErrNotFound) }

// isInvalid reports whether err is bad input.
func isInvalid(err error) bool {
	var ve *cx.ValidationError
	return errors.As(err, &ve)
}

func intStr(n int) string { return strconv.Itoa(n) }

func boolStr(b bool) string { return strconv.FormatBool(b) }

// analyticsPartials are the blocks the analysis pages share (filter form,
// chart with its table, pager), in templates/app/analytics_partials.tmpl:
// the page files are parsed one by one with the layout, so shared blocks
// live apart and are called with {{part "name" . arg}}.
var analyticsPartials = sync.OnceValues(func() (*template.Template, error) {
	t, err := template.New("partials").Funcs(appFuncs).ParseFS(appTemplateFS, "templates/app/analytics_partials.tmpl")
	if err != nil {
		return nil, fmt.Errorf("web: analytics partials: %w", err)
	}
	return t, nil
})

// partDot is dot inside a shared block: the page's appData and an argument.
type partDot struct {
	appData
	Arg any
}

// renderPart executes shared block name with the page's dot and arg.
func renderPart(name string, d appData, arg any) (template.HTML, error) {
	t, err := analyticsPartials()
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, partDot{appData: d, Arg: arg}); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// hiddenParams are the query parameters a filter form carries over
// unchanged (page-specific choices), sorted by name.
func hiddenParams(v *view) [][2]string {
	var out [][2]string
	for k, vs := range v.Query {
		switch k {
		case "from", "to", "seg", "interval", "page", "format", "ws":
			continue
		}
		for _, x := range vs {
			out = append(out, [2]string{k, x})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}
