package survey

import (
	"strings"
	"testing"

	"github.com/cxlens/cxlens/internal/cx"
)

func TestCategorize(t *testing.T) {
	nps := cx.Survey{Kind: cx.NPS, ScaleMin: 0, ScaleMax: 10}
	csat := cx.Survey{Kind: cx.CSAT, ScaleMin: 1, ScaleMax: 5}
	ces := cx.Survey{Kind: cx.CES, ScaleMin: 1, ScaleMax: 7}
	custom := cx.Survey{Kind: cx.CustomKind, ScaleMin: 1, ScaleMax: 9}
	tests := []struct {
		name  string
		s     cx.Survey
		score int
		want  Category
	}{
		{"nps 0", nps, 0, Detractor}, {"nps 6", nps, 6, Detractor}, {"nps 7", nps, 7, Passive}, {"nps 8", nps, 8, Passive},
		{"nps 9", nps, 9, Promoter}, {"nps 10", nps, 10, Promoter},
		{"csat 2", csat, 2, Detractor}, {"csat 3", csat, 3, Passive}, {"csat 4", csat, 4, Promoter}, {"csat 5", csat, 5, Promoter},
		{"ces 3", ces, 3, Detractor}, {"ces 4", ces, 4, Passive}, {"ces 5", ces, 5, Promoter}, {"ces 7", ces, 7, Promoter},
		{"custom 3", custom, 3, Detractor}, {"custom 4", custom, 4, Passive}, {"custom 6", custom, 6, Passive}, {"custom 7", custom, 7, Promoter},
	}
	for _, tt := range tests {
		if got := Categorize(tt.s, tt.score); got != tt.want {
			t.Errorf("%s: Categorize = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestNegotiate(t *testing.T) {
	all := []string{"en", "ro", "zh-Hans", "zh-Hant"}
	tests := []struct {
		name                   string
		inv, cust, accept, def string
		available              []string
		want                   string
	}{
		{"invitation wins", "ro", "zh-Hans", "zh-TW", "en", all, "ro"},
		{"customer next", "", "zh-hant", "ro", "en", all, "zh-Hant"},
		{"unknown invitation falls through", "fr", "", "ro-RO,ro;q=0.9", "en", all, "ro"},
		{"accept by q", "", "", "fr;q=1, zh-CN;q=0.8, en;q=0.5", "en", all, "zh-Hans"},
		{"zh-TW is traditional", "", "", "zh-TW", "en", all, "zh-Hant"},
		{"zh-HK is traditional", "", "", "zh-HK,zh;q=0.9", "en", all, "zh-Hant"},
		{"bare zh is simplified", "", "", "zh", "en", all, "zh-Hans"},
		{"no cross-script match", "", "", "zh-Hant", "en", []string{"en", "zh-Hans"}, "en"},
		{"en-GB to en", "", "", "en-GB", "ro", all, "en"},
		{"q=0 ignored", "", "", "ro;q=0, en", "zh-Hans", all, "en"},
		{"default", "", "", "", "ro", all, "ro"},
		{"garbage header", "", "", ";;,,q=x", "en", all, "en"},
	}
	for _, tt := range tests {
		if got := Negotiate(tt.inv, tt.cust, tt.accept, tt.available, tt.def); got != tt.want {
			t.Errorf("%s: Negotiate = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestTemplatesLocalize(t *testing.T) {
	for _, name := range TemplateNames() {
		s, err := FromTemplate(name, name+"-1")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := Available(s); len(got) != 4 || got[0] != "en" {
			t.Errorf("%s: Available = %v", name, got)
		}
		for _, lang := range Languages {
			l := Localize(s, lang)
			for field, v := range map[string]string{"question": l.Question, "low": l.LowLabel, "high": l.HighLabel,
				"follow_up.detractor": l.FollowUp.Detractor, "follow_up.promoter": l.FollowUp.Promoter, "thank_you.passive": l.ThankYou.Passive, "send": l.UI["send"]} {
				if v == "" {
					t.Errorf("%s %s: %s is empty", name, lang, field)
				}
			}
			if lang != "en" && l.Question == Localize(s, "en").Question {
				t.Errorf("%s %s: question not translated", name, lang)
			}
		}
	}
	ces, _ := FromTemplate("ces", "ces")
	if q := Localize(ces, "en").Question; q != "How easy was it to resolve your issue today?" {
		t.Errorf("CES question %q", q)
	}
	if _, err := FromTemplate("nope", "x"); err == nil || !strings.Contains(err.Error(), "template") {
		t.Errorf("unknown template: %v", err)
	}
	// A survey with a key only still gets the shipped translations; one
	// with its own question and texts falls back to its default language.
	plain := cx.Survey{Key: "nps", Kind: cx.NPS, ScaleMin: 0, ScaleMax: 10}
	if l := Localize(plain, "zh-Hans"); !strings.Contains(l.Question, "推荐") {
		t.Errorf("plain NPS in zh-Hans: %q", l.Question)
	}
	own := cx.Survey{Key: "own", Kind: cx.CSAT, ScaleMin: 1, ScaleMax: 5, Question: "Did the courier arrive on time?",
		Design: cx.SurveyDesign{DefaultLanguage: "en", Texts: map[string]cx.SurveyTexts{"ro": {Question: "A ajuns curierul la timp?"}},
			Questions: []cx.SurveyQuestion{{ID: "support", Type: cx.QuestionRating, Driver: true, ScaleMin: 1, ScaleMax: 5}}}}
	if got := Available(own); len(got) != 2 {
		t.Errorf("own Available = %v", got)
	}
	if l := Localize(own, "ro"); l.Question != "A ajuns curierul la timp?" || l.FollowUp.Detractor == "" || l.Questions[0].Label != "Asistență clienți" {
		t.Errorf("own ro = %+v", l)
	}
	if l := Localize(own, "en"); l.Question != "Did the courier arrive on time?" {
		t.Errorf("own en = %q", l.Question)
	}
}

func TestParseAnswers(t *testing.T) {
	s := cx.Survey{Design: cx.SurveyDesign{Questions: []cx.SurveyQuestion{
		{ID: "support", Type: cx.QuestionRating, Driver: true, ScaleMin: 1, ScaleMax: 5},
		{ID: "plan", Type: cx.QuestionSingle, Options: []string{"basic", "pro"}, Required: true},
		{ID: "used", Type: cx.QuestionMultiple, Options: []string{"app", "web", "phone"}},
		{ID: "other", Type: cx.QuestionText},
	}}}
	tests := []struct {
		name    string
		form    map[string][]string
		want    cx.Attributes
		badKeys []string
	}{
		{"all", map[string][]string{"q_support": {"4"}, "q_plan": {"pro"}, "q_used": {"web", "app", "web"}, "q_other": {" hi "}},
			cx.Attributes{"rating_support": 4, "q_plan": "pro", "q_used": "web,app", "q_other": "hi"}, nil},
		{"required missing", map[string][]string{}, cx.Attributes{}, []string{"q_plan"}},
		{"out of range and unknown option", map[string][]string{"q_support": {"9"}, "q_plan": {"gold"}, "q_used": {"fax"}},
			cx.Attributes{}, []string{"q_support", "q_plan", "q_used"}},
	}
	for _, tt := range tests {
		got, errs := ParseAnswers(s, tt.form)
		if len(got) != len(tt.want) {
			t.Errorf("%s: attrs = %v, want %v", tt.name, got, tt.want)
		}
		for k, v := range tt.want {
			if got[k] != v {
				t.Errorf("%s: %s = %v, want %v", tt.name, k, got[k], v)
			}
		}
		if len(errs) != len(tt.badKeys) {
			t.Errorf("%s: errors = %v, want fields %v", tt.name, errs, tt.badKeys)
			continue
		}
		for i, e := range errs {
			if e.Field != tt.badKeys[i] {
				t.Errorf("%s: error %d field %s, want %s", tt.name, i, e.Field, tt.badKeys[i])
			}
		}
	}
}
