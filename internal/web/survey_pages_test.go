package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
	"github.com/cxlens/cxlens/internal/survey"
)

// surveyEnv is a web server over a database with a workspace, a CES
// survey from the template and an invitation.
type surveyEnv struct {
	t   *testing.T
	db  *store.DB
	srv *Server
	ws  int64
	inv cx.Invitation
	tok string
}

func newSurveyEnv(t *testing.T, db *store.DB, opts Options) *surveyEnv {
	t.Helper()
	ctx := context.Background()
	w, err := db.CreateWorkspace(ctx, cx.Workspace{Name: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	sv, _ := survey.FromTemplate("ces", "ces")
	sv.Design.ReferralURL = "https://reviews.example.com/acme"
	if _, err := db.CreateSurvey(ctx, w.ID, sv); err != nil {
		t.Fatal(err)
	}
	invs, err := db.CreateInvitations(ctx, w.ID, []cx.Invitation{{Survey: "ces", Customer: "li", Email: "li@example.com", Language: "zh-Hans",
		Touchpoint: "support", TouchpointRef: "T-42", Attributes: cx.Attributes{"agent": "mei", "channel": "chat"}}})
	if err != nil {
		t.Fatal(err)
	}
	e := &surveyEnv{t: t, db: db, srv: New(db, nil, opts), ws: w.ID, inv: invs[0]}
	sg, err := e.srv.Signer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e.tok = strings.TrimPrefix(InvitationPath(sg, w.ID, invs[0]), "/s/")
	return e
}

type surveyResult struct {
	status int
	body   string
	header http.Header
}

func (e *surveyEnv) do(method, target string, form url.Values, headers ...string) surveyResult {
	e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	return surveyResult{rec.Code, rec.Body.String(), rec.Header()}
}

var surveyFormTokenRE = regexp.MustCompile(`name="ft" value="([^"]+)"`)

func surveyFormToken(t *testing.T, body string) string {
	t.Helper()
	m := surveyFormTokenRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no form token in page:\n%s", body)
	}
	return m[1]
}

func (e *surveyEnv) responses() []cx.Response {
	e.t.Helper()
	p, err := e.db.Responses(context.Background(), e.ws, store.ResponseFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return p.Items
}

func TestInvitationPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newSurveyEnv(t, db, Options{})
		// The invitation's language (zh-Hans) wins over the browser's.
		p := e.do("GET", "/s/"+e.tok, nil, "Accept-Language", "ro")
		if p.status != 200 || !strings.Contains(p.body, `lang="zh-Hans"`) || !strings.Contains(p.body, "今天解决您的问题有多容易？") ||
			!strings.Contains(p.body, "<legend>") || !strings.Contains(p.body, `value="7"`) {
			t.Fatalf("page %d:\n%s", p.status, p.body)
		}
		if inv, _ := db.Invitation(context.Background(), e.ws, e.inv.ID); inv.OpenedAt == nil {
			t.Error("opening the page did not mark the invitation opened")
		}
		// One-click score from the email, clicked twice: one response, updated.
		p = e.do("GET", "/s/"+e.tok+"?score=2", nil)
		if p.status != 200 || !strings.Contains(p.body, "哪里让您觉得困难") || !strings.Contains(p.body, `name="comment"`) {
			t.Fatalf("after one-click 2 (detractor follow-up expected) %d:\n%s", p.status, p.body)
		}
		p = e.do("GET", "/s/"+e.tok+"?score=6", nil)
		if p.status != 200 || !strings.Contains(p.body, "哪里让您觉得容易") {
			t.Fatalf("after one-click 6 (easy follow-up expected) %d:\n%s", p.status, p.body)
		}
		rs := e.responses()
		if len(rs) != 1 || *rs[0].Score != 6 || rs[0].Channel != "email" || rs[0].Touchpoint != "support" ||
			rs[0].Attributes["touchpoint_ref"] != "T-42" || rs[0].Attributes["agent"] != "mei" || rs[0].Customer != "li" {
			t.Fatalf("responses = %+v", rs)
		}
		// Reopening shows the comment step; the comment updates the same response.
		p = e.do("GET", "/s/"+e.tok, nil)
		ft := surveyFormToken(t, p.body)
		p = e.do("POST", "/s/"+e.tok, url.Values{"ft": {ft}, "step": {"comment"}, "comment": {"客服很快"}, "lang": {"zh-Hans"}})
		if p.status != 200 || !strings.Contains(p.body, "很高兴一切都很容易") || !strings.Contains(p.body, "reviews.example.com") {
			t.Fatalf("thanks %d:\n%s", p.status, p.body)
		}
		if rs := e.responses(); len(rs) != 1 || rs[0].Comment != "客服很快" {
			t.Fatalf("after comment: %+v", rs)
		}
		// A posted score without a valid form token is refused, as is a cross-site post.
		if p := e.do("POST", "/s/"+e.tok, url.Values{"ft": {"x.y"}, "score": {"1"}}); p.status != http.StatusForbidden {
			t.Errorf("forged form: %d", p.status)
		}
		if p := e.do("POST", "/s/"+e.tok, url.Values{"ft": {ft}, "score": {"1"}}, "Origin", "https://evil.example"); p.status != http.StatusForbidden {
			t.Errorf("cross-origin post: %d", p.status)
		}
		if p := e.do("POST", "/s/"+e.tok, url.Values{"ft": {ft}, "score": {"1"}, "website": {"spam"}}); p.status != 200 {
			t.Errorf("honeypot: %d", p.status)
		}
		if p := e.do("POST", "/s/"+e.tok, url.Values{"ft": {ft}, "score": {"99"}}); p.status != http.StatusUnprocessableEntity {
			t.Errorf("score 99: %d", p.status)
		}
		if p := e.do("POST", "/s/"+e.tok, url.Values{"ft": {ft}, "step": {"comment"}, "comment": {strings.Repeat("x", 70<<10)}}); p.status != http.StatusRequestEntityTooLarge {
			t.Errorf("huge comment: %d", p.status)
		}
		if rs := e.responses(); len(rs) != 1 || *rs[0].Score != 6 {
			t.Fatalf("refused posts changed the response: %+v", rs)
		}
		// Bad and expired links: friendly pages, right status, browser language.
		bad := e.tok[:len(e.tok)-3] + "AAA"
		if p := e.do("GET", "/s/"+bad, nil, "Accept-Language", "ro-RO"); p.status != 404 || !strings.Contains(p.body, "Acest link nu este valid") {
			t.Errorf("tampered token %d:\n%s", p.status, p.body)
		}
		if p := e.do("GET", "/s/nonsense.token", nil); p.status != 404 || !strings.Contains(p.body, "This link is not valid") {
			t.Errorf("garbage token %d", p.status)
		}
		sg, _ := e.srv.Signer(context.Background())
		old := e.inv
		old.ExpiresAt = time.Now().Add(-time.Hour)
		if p := e.do("GET", InvitationPath(sg, e.ws, old), nil, "Accept-Language", "zh-TW"); p.status != 410 || !strings.Contains(p.body, "此調查已結束") {
			t.Errorf("expired token %d:\n%s", p.status, p.body)
		}
		// No invitation language: the customer's language attribute beats
		// the browser's.
		ctx := context.Background()
		if _, err := db.UpsertCustomers(ctx, e.ws, []cx.Customer{{ExternalID: "ion", Attributes: cx.Attributes{"language": "ro"}}}, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		ion, err := db.CreateInvitations(ctx, e.ws, []cx.Invitation{{Survey: "ces", Customer: "ion", Channel: cx.ChannelLink}})
		if err != nil {
			t.Fatal(err)
		}
		if p := e.do("GET", InvitationPath(sg, e.ws, ion[0]), nil, "Accept-Language", "zh-CN"); p.status != 200 || !strings.Contains(p.body, `lang="ro"`) {
			t.Errorf("customer language: %d\n%s", p.status, p.body)
		}
		other := e.inv
		other.ID = 999
		if p := e.do("GET", InvitationPath(sg, e.ws, other), nil); p.status != 404 {
			t.Errorf("unknown invitation %d", p.status)
		}
	})
}

func TestSurveyRateLimit(t *testing.T) {
	e := newSurveyEnv(t, storetest.New(t, store.SQLite, store.Options{}), Options{PublicRate: 0.001, PublicBurst: 3})
	codes := []int{}
	for range 4 {
		codes = append(codes, e.do("GET", "/s/"+e.tok, nil).status)
	}
	if codes[2] != 200 || codes[3] != http.StatusTooManyRequests {
		t.Errorf("statuses %v, want the 4th refused", codes)
	}
}

func TestAnonymousLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var shift time.Duration // the pages cache surveys for a few seconds
		e := newSurveyEnv(t, db, Options{Now: func() time.Time { return time.Now().Add(shift) }})
		ctx := context.Background()
		set, err := db.Widget(ctx, e.ws)
		if err != nil {
			t.Fatal(err)
		}
		path := AnonymousLinkPath(set.PublicKey, "ces")
		p := e.do("GET", path, nil, "Accept-Language", "en-US,en;q=0.9")
		if p.status != 200 || !strings.Contains(p.body, "How easy was it to resolve your issue today?") {
			t.Fatalf("link page %d:\n%s", p.status, p.body)
		}
		nonce := regexp.MustCompile(`name="n" value="([0-9a-f]+)"`).FindStringSubmatch(p.body)[1]
		form := url.Values{"ft": {surveyFormToken(t, p.body)}, "n": {nonce}, "score": {"3"}, "lang": {"en"}}
		p = e.do("POST", path, form)
		p = e.do("POST", path, form) // the form posted again: same response
		rt := regexp.MustCompile(`name="rt" value="([^"]+)"`).FindStringSubmatch(p.body)
		if p.status != 200 || rt == nil {
			t.Fatalf("after score %d:\n%s", p.status, p.body)
		}
		p = e.do("POST", path, url.Values{"ft": form["ft"], "rt": {rt[1]}, "step": {"comment"}, "comment": {"slow"}})
		if p.status != 200 || !strings.Contains(p.body, "Thank you. We will work on making this easier.") {
			t.Fatalf("thanks %d:\n%s", p.status, p.body)
		}
		rs := e.responses()
		if len(rs) != 1 || rs[0].Channel != "link" || rs[0].Comment != "slow" || *rs[0].Score != 3 || rs[0].Language != "en" {
			t.Fatalf("responses %+v", rs)
		}
		if p := e.do("GET", AnonymousLinkPath("pk_nope", "ces"), nil); p.status != 404 {
			t.Errorf("unknown key: %d", p.status)
		}
		if _, err := db.ArchiveSurvey(ctx, e.ws, "ces", true); err != nil {
			t.Fatal(err)
		}
		if p := e.do("GET", path, nil); p.status != 200 {
			t.Errorf("archived survey within the cache time: %d", p.status)
		}
		shift = surveyCacheTTL
		if p := e.do("GET", path, nil); p.status != 410 {
			t.Errorf("archived survey: %d", p.status)
		}
	})
}

// TestDriverQuestions answers a survey with a driver rating and a choice on
// the comment step: they are stored as response attributes the key-driver
// analysis reads (rating_support).
func TestDriverQuestions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newSurveyEnv(t, db, Options{})
		ctx := context.Background()
		sv, err := db.Survey(ctx, e.ws, "ces")
		if err != nil {
			t.Fatal(err)
		}
		sv.Design.Questions = []cx.SurveyQuestion{
			{ID: "support", Type: cx.QuestionRating, Driver: true, ScaleMin: 1, ScaleMax: 5},
			{ID: "contact", Type: cx.QuestionSingle, Options: []string{"chat", "phone"}, Required: true},
		}
		if _, err := db.UpdateSurvey(ctx, e.ws, sv); err != nil {
			t.Fatal(err)
		}
		p := e.do("GET", "/s/"+e.tok+"?score=5", nil)
		if p.status != 200 || !strings.Contains(p.body, "客户支持") || !strings.Contains(p.body, `name="q_contact"`) {
			t.Fatalf("comment step %d:\n%s", p.status, p.body)
		}
		ft := surveyFormToken(t, p.body)
		if p := e.do("POST", "/s/"+e.tok, url.Values{"ft": {ft}, "step": {"comment"}, "q_support": {"4"}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "q_contact") {
			t.Errorf("missing required answer: %d", p.status)
		}
		if p := e.do("POST", "/s/"+e.tok, url.Values{"ft": {ft}, "step": {"comment"}, "q_support": {"4"}, "q_contact": {"chat"}, "comment": {"ok"}}); p.status != 200 {
			t.Fatalf("answers: %d\n%s", p.status, p.body)
		}
		rs := e.responses()
		if len(rs) != 1 || rs[0].Attributes["rating_support"] != float64(4) || rs[0].Attributes["q_contact"] != "chat" || rs[0].Comment != "ok" {
			t.Fatalf("responses %+v", rs)
		}
	})
}
