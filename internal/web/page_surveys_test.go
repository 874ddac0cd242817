package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

func TestSurveysPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDashEnv(t, db)
		ctx := context.Background()
		viewer, analyst := e.member("viewer"), e.member("analyst")
		svs, err := db.Surveys(ctx, e.ws.ID)
		if err != nil || len(svs) == 0 {
			t.Fatalf("surveys: %v %d", err, len(svs))
		}
		body := viewer.get("/app/surveys")
		for _, sv := range svs {
			if !strings.Contains(body, `href="/app/surveys/`+sv.Key+`"`) {
				t.Errorf("survey %s not listed", sv.Key)
			}
		}
		if strings.Contains(body, `action="/app/surveys"`) {
			t.Error("a viewer sees the create form")
		}
		rows := e.csv("/app/surveys")
		if len(rows) != len(svs)+1 || rows[0][4] != "responses" {
			t.Fatalf("surveys CSV: %v", rows)
		}
		var total int
		for _, r := range rows[1:] {
			total += int(num(t, r[4]))
		}
		if total == 0 {
			t.Error("no responses counted on the demo data")
		}
		key := svs[0].Key
		page := viewer.get("/app/surveys/" + key)
		wg, err := db.Widget(ctx, e.ws.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"/app/surveys/" + key + "/preview?lang=", AnonymousLinkPath(wg.PublicKey, key), "data-key=&#34;" + wg.PublicKey + "&#34;", "&lt;script src=&#34;"} {
			if !strings.Contains(page, want) {
				t.Errorf("survey page lacks %q", want)
			}
		}
		for _, lang := range surveyLangs(svs[0]) {
			status, prev, h := viewer.do("GET", "/app/surveys/"+key+"/preview?lang="+lang, nil)
			if n := strings.Count(prev, `name="score"`); n != svs[0].ScaleMax-svs[0].ScaleMin+1 {
				t.Errorf("preview %s: %d score buttons", lang, n)
			}
			if status != http.StatusOK || !strings.Contains(prev, `lang="`+lang+`"`) {
				t.Errorf("preview %s: %d %.300s", lang, status, prev)
			}
			if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'self'") || !strings.Contains(h.Get("Content-Security-Policy"), "form-action 'none'") {
				t.Errorf("preview headers: %v", h)
			}
		}
		// The funnel CSV parses (the demo sends no invitations: header only).
		fr, err := db.Funnel(ctx, e.ws.ID, key, zeroTime, zeroTime)
		if err != nil {
			t.Fatal(err)
		}
		if rows := e.csv("/app/surveys/" + key); len(rows) != len(fr)+1 || rows[0][4] != "sent" {
			t.Fatalf("funnel CSV: %v", rows)
		}
		if rows := e.csv("/app/surveys/" + key + "?table=triggers"); len(rows) < 1 || rows[0][0] != "id" {
			t.Fatalf("triggers CSV: %v", rows)
		}
		// Creating from a template: viewer refused, analyst creates, bad input 422.
		form := url.Values{"template": {"csat"}, "key": {"after-visit"}, "name": {"After the visit"}}
		if status, _, _ := viewer.do("POST", "/app/surveys", form); status != http.StatusForbidden {
			t.Errorf("viewer create: %d", status)
		}
		status, b, h := analyst.do("POST", "/app/surveys", url.Values{"template": {"csat"}, "key": {"after-visit"}, "name": {"After the visit"}})
		if status != http.StatusSeeOther || h.Get("Location") != "/app/surveys/after-visit" {
			t.Fatalf("create: %d %q %.500s", status, h.Get("Location"), b)
		}
		sv, err := db.Survey(ctx, e.ws.ID, "after-visit")
		if err != nil || sv.Kind != "csat" || sv.Name != "After the visit" || len(sv.Design.Texts) < 2 {
			t.Fatalf("created survey: %+v %v", sv, err)
		}
		if status, b, _ := analyst.do("POST", "/app/surveys", url.Values{"template": {"csat"}, "key": {"after-visit"}}); status != http.StatusUnprocessableEntity || !strings.Contains(b, "after-visit") {
			t.Errorf("duplicate key: %d", status)
		}
		if status, _, _ := analyst.do("POST", "/app/surveys", url.Values{"template": {"nope"}, "key": {"x1"}}); status != http.StatusUnprocessableEntity {
			t.Errorf("bad template: %d", status)
		}
	})
}
