package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cxlens/cxlens/internal/store"
)

func TestSurveyTemplateShowUpdate(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	ws := e.setup(t)
	e.must(t, "survey", "create", "--workspace", ws, "--template", "ces", "--key", "support", "--brand-color", "#0b5394")
	show := e.must(t, "survey", "show", "--workspace", ws, "--key", "support", "--lang", "zh-TW").stdout
	for _, want := range []string{"zh-Hant", "今天解決您的問題有多容易？", "en, ro, zh-Hans, zh-Hant", "/s/pk_", `data-survey="support"`} {
		if !strings.Contains(show, want) {
			t.Errorf("survey show lacks %q:\n%s", want, show)
		}
	}
	design := filepath.Join(t.TempDir(), "design.json")
	os.WriteFile(design, []byte(`{"default_language":"ro","questions":[{"id":"price","type":"rating","driver":true}]}`), 0o600)
	e.must(t, "survey", "update", "--workspace", ws, "--key", "support", "--design", design, "--name", "Support CES", "--archive")
	show = e.must(t, "survey", "show", "--workspace", ws, "--key", "support").stdout
	for _, want := range []string{"Support CES", "rating_price", "archived"} {
		if !strings.Contains(show, want) {
			t.Errorf("after update, survey show lacks %q:\n%s", want, show)
		}
	}
	if !regexp.MustCompile(`shown in +ro\n`).MatchString(show) {
		t.Errorf("not shown in the new default language ro:\n%s", show)
	}
	if list := e.must(t, "survey", "list", "--workspace", ws).stdout; !strings.Contains(list, "archived") {
		t.Errorf("list:\n%s", list)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"brand_color":"blue"}`), 0o600)
	for name, args := range map[string][]string{
		"no kind or template": {"survey", "create", "--workspace", ws, "--key", "x"},
		"unknown template":    {"survey", "create", "--workspace", ws, "--key", "x", "--template", "sus"},
		"kind contradicts":    {"survey", "create", "--workspace", ws, "--key", "x", "--template", "nps", "--kind", "ces"},
		"bad colour":          {"survey", "update", "--workspace", ws, "--key", "support", "--design", bad},
		"unknown language":    {"survey", "show", "--workspace", ws, "--key", "nps", "--lang", "fr"},
		"archive both ways":   {"survey", "update", "--workspace", ws, "--key", "support", "--archive", "--unarchive"},
	} {
		if r := e.cxlens(t, args...); r.code != 2 {
			t.Errorf("%s: code %d, err %v", name, r.code, r.err)
		}
	}
}
