package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/survey"
)

// editForm is the editor's form for sv as the page fills it, with changes.
func editForm(changes map[string]string) url.Values {
	f := url.Values{"name": {"Net Promoter"}, "status": {"active"}, "design.default_language": {"en"}}
	for k, v := range changes {
		f.Set(k, v)
	}
	return f
}

func TestSurveyEditor(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *acctEnv) {
		ctx := context.Background()
		sv, err := survey.FromTemplate("nps", "nps-edit")
		if err != nil {
			t.Fatal(err)
		}
		if sv, err = e.db.CreateSurvey(ctx, e.a.ID, sv); err != nil {
			t.Fatal(err)
		}
		const path = "/app/surveys/nps-edit/edit"

		// Viewers and agents cannot open or save the editor, nor preview.
		for _, who := range []string{"viewer", "agent"} {
			c := e.login(who)
			c.do("GET", "/app/settings", nil) // reads the CSRF token
			if r := c.do("GET", path, nil); r.status != http.StatusForbidden {
				t.Errorf("%s GET editor: %d", who, r.status)
			}
			if r := c.post(path, editForm(map[string]string{"name": "Hijacked"})); r.status != http.StatusForbidden {
				t.Errorf("%s save: %d", who, r.status)
			}
			if r := c.post(path+"/preview", editForm(nil)); r.status != http.StatusForbidden {
				t.Errorf("%s preview: %d", who, r.status)
			}
			if r := c.do("GET", "/app/surveys/nps-edit", nil); strings.Contains(r.body, `href="`+path+`"`) {
				t.Errorf("%s sees the edit link", who)
			}
		}
		if got, _ := e.db.Survey(ctx, e.a.ID, "nps-edit"); got.Name != sv.Name {
			t.Fatalf("a viewer or agent renamed the survey to %q", got.Name)
		}

		c := e.login("analyst")
		if r := c.do("GET", "/app/surveys/nps-edit", nil); !strings.Contains(r.body, `href="`+path+`"`) {
			t.Error("the analyst has no edit link")
		}
		r := c.do("GET", path, nil)
		if r.status != http.StatusOK {
			t.Fatalf("GET editor: %d %.300s", r.status, r.body)
		}
		for _, want := range []string{`hx-post="` + path + `/preview"`, `hx-trigger="input changed delay:300ms"`, `name="csrf"`,
			`name="design.texts.zh-Hant.question"`, `name="design.texts.ro.follow_up.detractor"`, `sandbox="allow-scripts" srcdoc="`,
			"Cât de probabil este"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("editor lacks %q", want)
			}
		}
		// Without the CSRF token nothing is saved.
		if r := c.do("POST", path, editForm(map[string]string{"name": "No token"})); r.status != http.StatusForbidden {
			t.Errorf("save without CSRF: %d", r.status)
		}

		// The preview renders the form as typed, in the chosen language.
		r = c.post(path+"/preview", editForm(map[string]string{"design.texts.ro.question": "Ne-ați recomanda vecinilor?", "preview_lang": "ro"}))
		if r.status != http.StatusOK || !strings.Contains(r.body, "Ne-ați recomanda vecinilor?") || !strings.Contains(r.body, `lang=&#34;ro&#34;`) ||
			strings.Contains(r.body, "<html") {
			t.Errorf("preview: %d %.500s", r.status, r.body)
		}
		r = c.post(path+"/preview", editForm(map[string]string{"design.texts.en.follow_up.detractor": "What went wrong?", "preview_lang": "en", "preview_step": "0"}))
		if !strings.Contains(r.body, "What went wrong?") {
			t.Errorf("preview of the follow-up: %.500s", r.body)
		}
		if got, _ := e.db.Survey(ctx, e.a.ID, "nps-edit"); got.Design.Texts["ro"].Question == "Ne-ați recomanda vecinilor?" {
			t.Fatal("the preview saved the survey")
		}

		// Invalid input: 422, the error at its field, nothing saved.
		r = c.post(path, editForm(map[string]string{"name": strings.Repeat("n", 300), "design.texts.zh-Hans.question": strings.Repeat("问", 400)}))
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("invalid save: %d", r.status)
		}
		for _, want := range []string{`id="e-name" name="name"`, `aria-describedby="e-name-err"`, `id="e-name-err" class="field-error">longer than 256 bytes`,
			`id="e-zh-Hans-question-err" class="field-error">longer than 1024 bytes`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("invalid save: page lacks %q", want)
			}
		}
		if got, _ := e.db.Survey(ctx, e.a.ID, "nps-edit"); got.Name != sv.Name {
			t.Fatalf("an invalid form was saved: %q", got.Name)
		}

		// A valid save: texts, follow-up, status; the rest of the design stays.
		r = c.post(path, editForm(map[string]string{"name": "NPS (edited)", "status": "archived", "preview_lang": "ro",
			"design.texts.en.question": "Would you recommend us?", "design.texts.ro.question": "Ne-ați recomanda?",
			"design.texts.en.follow_up.detractor": "What went wrong?", "design.texts.zh-Hant.low_label": "",
		}))
		if r.status != http.StatusSeeOther || r.header.Get("Location") != path+"?saved=1&lang=ro" {
			t.Fatalf("save: %d %q %.300s", r.status, r.header.Get("Location"), r.body)
		}
		got, err := e.db.Survey(ctx, e.a.ID, "nps-edit")
		if err != nil {
			t.Fatal(err)
		}
		en := got.Design.Texts["en"]
		if got.Name != "NPS (edited)" || got.Question != "Would you recommend us?" || en.Question != got.Question ||
			got.Design.Texts["ro"].Question != "Ne-ați recomanda?" || en.FollowUp.Detractor != "What went wrong?" || got.ArchivedAt == nil {
			t.Errorf("saved survey: %+v", got)
		}
		// Fields the form did not send, and texts it does not show, stay.
		if en.ThankYou != sv.Design.Texts["en"].ThankYou || got.Design.Texts["zh-Hans"].Question != sv.Design.Texts["zh-Hans"].Question ||
			got.Design.Texts["zh-Hant"].HighLabel != sv.Design.Texts["zh-Hant"].HighLabel || got.Design.Texts["zh-Hant"].LowLabel != "" {
			t.Errorf("other texts changed: %+v", got.Design.Texts)
		}
		log, _ := e.db.AuditLog(ctx, e.a.ID, 0, 10)
		if len(log) == 0 || log[0].Action != "survey.updated" || log[0].Target != "nps-edit" || log[0].Actor != "analyst@acme.example" ||
			!strings.Contains(log[0].Detail, "status archived") {
			t.Errorf("audit: %+v", log)
		}
		if r := c.do("GET", path+"?saved=1&lang=ro", nil); !strings.Contains(r.body, `role="status"`) || !strings.Contains(r.body, "Ne-ați recomanda?") {
			t.Errorf("after save: %.300s", r.body)
		}
		// Another workspace's owner does not find it.
		if r := e.login("ownerB").do("GET", path, nil); r.status != http.StatusNotFound {
			t.Errorf("other workspace: %d", r.status)
		}
	})
}

// TestApplyEditForm checks how the form maps to a design: an emptied
// language keeps the texts the form does not show, a language the form
// does not send stays, an empty one is not added, and the main question
// follows the default language's.
func TestApplyEditForm(t *testing.T) {
	sv, _ := survey.FromTemplate("csat", "c1")
	sv.Design.Texts["de"] = sv.Design.Texts["en"]
	form := url.Values{"design.default_language": {"ro"}}
	for _, f := range editTextFields {
		form.Set("design.texts.zh-Hant."+f.Suffix, "")
	}
	form.Set("design.texts.ro.question", " Cum a fost? ")
	got := applyEditForm(sv, form)
	zt, ok := got.Design.Texts["zh-Hant"]
	if !ok || zt.Question != "" || zt.LowLabel != "" || zt.ThankYou != sv.Design.Texts["zh-Hant"].ThankYou {
		t.Errorf("zh-Hant: %+v %v", zt, ok)
	}
	if _, ok := got.Design.Texts["de"]; !ok {
		t.Error("a language the form did not send was dropped")
	}
	if got.Question != "Cum a fost?" || got.Design.DefaultLanguage != "ro" {
		t.Errorf("question %q, default %q", got.Question, got.Design.DefaultLanguage)
	}
	if sv.Design.Texts["ro"].Question == "Cum a fost?" {
		t.Error("applyEditForm changed its argument's texts")
	}
	got = applyEditForm(cx.Survey{Key: "bare", Kind: cx.NPS}, url.Values{"design.texts.ro.question": {""}, "design.texts.en.question": {"Q?"}})
	if _, ok := got.Design.Texts["ro"]; ok {
		t.Error("an empty language was added")
	}
	if got.Design.Texts["en"].Question != "Q?" || got.Question != "Q?" {
		t.Errorf("bare survey: %+v", got)
	}
}
