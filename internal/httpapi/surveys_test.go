package httpapi

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

func TestSurveyDesignAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		// From a template, in four languages.
		r := e.must(http.StatusCreated, "POST", "/api/v1/surveys", e.keyA, `{"key":"support-ces","template":"ces","name":"After support"}`)
		got := r.json(t)
		design := got["design"].(map[string]any)
		if got["kind"] != "ces" || got["scale_max"] != float64(7) || got["name"] != "After support" || len(design["texts"].(map[string]any)) != 4 {
			t.Fatalf("created %s", r.body)
		}
		r = e.must(http.StatusOK, "GET", "/api/v1/surveys/support-ces?lang=zh-CN", e.keyA, "")
		loc := r.json(t)["localized"].(map[string]any)
		if loc["lang"] != "zh-Hans" || !strings.Contains(loc["question"].(string), "容易") {
			t.Errorf("localized %v", loc)
		}
		e.must(http.StatusUnprocessableEntity, "GET", "/api/v1/surveys/support-ces?lang=fr", e.keyA, "")

		// Validation names the field.
		for _, tc := range []struct{ body, field string }{
			{`{"key":"x","template":"sus"}`, "template"},
			{`{"key":"x","template":"nps","kind":"csat"}`, "kind"},
			{`{"key":"x","kind":"nps","design":{"brand_color":"red"}}`, "design.brand_color"},
			{`{"key":"x","kind":"nps","design":{"questions":[{"id":"price","type":"text","driver":true}]}}`, "design.questions[0].driver"},
			{`{"key":"x","kind":"nps","design":{"texts":{"not a tag":{}}}}`, "design.texts.not a tag"},
		} {
			r := e.must(http.StatusUnprocessableEntity, "POST", "/api/v1/surveys", e.keyA, tc.body)
			if !strings.Contains(string(r.body), `"field":"`+tc.field+`"`) {
				t.Errorf("%s: body %s does not name %s", tc.body, r.body, tc.field)
			}
		}

		// Update: design with a driver question, then the new name.
		r = e.must(http.StatusOK, "PATCH", "/api/v1/surveys/support-ces", e.keyA,
			`{"name":"CES","design":{"default_language":"ro","brand_color":"#123456","questions":[{"id":"support","type":"rating","driver":true}]}}`)
		if g := r.json(t); g["name"] != "CES" || g["design"].(map[string]any)["brand_color"] != "#123456" {
			t.Errorf("patched %s", r.body)
		}
		e.must(http.StatusNotFound, "PATCH", "/api/v1/surveys/support-ces", e.keyB, `{"name":"x"}`)
		e.must(http.StatusForbidden, "PATCH", "/api/v1/surveys/support-ces", e.readA, `{"name":"x"}`)
		e.must(http.StatusBadRequest, "PATCH", "/api/v1/surveys/support-ces", e.keyA, `{"nme":"x"}`)

		// Archive, restore, delete; a survey with responses cannot be deleted.
		r = e.must(http.StatusOK, "POST", "/api/v1/surveys/support-ces/archive", e.keyA, "")
		if r.json(t)["archived_at"] == nil {
			t.Errorf("archive: %s", r.body)
		}
		r = e.must(http.StatusOK, "POST", "/api/v1/surveys/support-ces/archive", e.keyA, `{"archived":false}`)
		if r.json(t)["archived_at"] != nil {
			t.Errorf("restore: %s", r.body)
		}
		e.must(http.StatusCreated, "POST", "/api/v1/responses", e.keyA, nps("ana", 9, ""))
		e.must(http.StatusConflict, "DELETE", "/api/v1/surveys/nps", e.keyA, "")
		e.must(http.StatusNoContent, "DELETE", "/api/v1/surveys/support-ces", e.keyA, "")
		e.must(http.StatusNotFound, "GET", "/api/v1/surveys/support-ces", e.keyA, "")

		// Widget settings.
		r = e.must(http.StatusOK, "GET", "/api/v1/widget", e.keyA, "")
		pk := r.json(t)["public_key"].(string)
		if !strings.HasPrefix(pk, "pk_") {
			t.Errorf("public key %q", pk)
		}
		r = e.must(http.StatusOK, "PUT", "/api/v1/widget", e.keyA, `{"allowed_origins":["https://Shop.example.com"]}`)
		if g := r.json(t); g["public_key"] != pk || g["allowed_origins"].([]any)[0] != "https://shop.example.com" {
			t.Errorf("widget %s", r.body)
		}
		e.must(http.StatusUnprocessableEntity, "PUT", "/api/v1/widget", e.keyA, `{"allowed_origins":["https://shop.example.com/path"]}`)
	})
}
