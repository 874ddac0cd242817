package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cxlens/cxlens/internal/transfer"
)

// TestCataloguesComplete fails when a key is missing from one catalogue,
// a text is empty, or its fmt verbs differ from the English text.
func TestCataloguesComplete(t *testing.T) {
	cats, err := catalogues()
	if err != nil {
		t.Fatal(err)
	}
	verb := regexp.MustCompile(`%(\[\d+\])?[-+#0]*\d*(\.\d+)?[vsdqfgxt]`)
	all := map[string]bool{}
	for _, c := range cats {
		for k := range c {
			all[k] = true
		}
	}
	for k := range all {
		for _, lang := range uiLangs {
			s, ok := cats[lang][k]
			switch {
			case !ok:
				t.Errorf("%s.json: key %q is missing", lang, k)
			case strings.TrimSpace(s) == "":
				t.Errorf("%s.json: key %q is empty", lang, k)
			case len(verb.FindAllString(s, -1)) != len(verb.FindAllString(cats[defaultLang][k], -1)):
				t.Errorf("%s.json: key %q has other fmt verbs than en: %q", lang, k, s)
			}
		}
	}
}

// usedKeys returns the catalogue keys the templates and the package's Go
// files name literally.
func usedKeys(t *testing.T) map[string]string {
	t.Helper()
	used := map[string]string{} // key → where
	tmplKey := regexp.MustCompile(`(?:\.|\$)T "([^"]+)"`)
	files, err := fs.Glob(appTemplateFS, "templates/app/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, _ := appTemplateFS.ReadFile(f)
		for _, m := range tmplKey.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = f
		}
	}
	goKey := regexp.MustCompile(`\bT\("([^"]+)"`)
	// Keys of this file's areas held in variables (field errors, nav).
	ownKey := regexp.MustCompile(`"((?:auth|settings|error|layout|nav|role|mail|table)\.[a-z0-9_.\-]*[a-z0-9])"`)
	own := []string{"app.go", "auth.go", "auth_password.go", "settings.go", "session.go", "csrf.go", "i18n.go"}
	gofiles, _ := filepath.Glob("*.go")
	for _, f := range gofiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goKey.FindAllStringSubmatch(string(b), -1) {
			if !strings.HasSuffix(m[1], ".") { // a prefix completed at run time
				used[m[1]] = f
			}
		}
		if slices.Contains(own, f) {
			for _, m := range ownKey.FindAllStringSubmatch(string(b), -1) {
				used[m[1]] = f
			}
		}
	}
	// Keys made at run time.
	for _, r := range roleNames[1:] {
		used["role."+r] = "roleNames"
	}
	for _, d := range doneNotices {
		used["settings.done."+d] = "doneNotices"
	}
	for _, n := range nav {
		used[n.Key] = "nav"
	}
	for _, tab := range settingsTabs {
		used[tab.Key] = "settingsTabs"
	}
	for _, typ := range transfer.ImportTypes {
		used["settings.export."+string(typ)] = "transfer.ImportTypes"
	}
	return used
}

// TestTemplatesUseKnownKeys fails when a template or handler names a key
// that the English catalogue lacks (TestCataloguesComplete then covers
// the other languages).
func TestTemplatesUseKnownKeys(t *testing.T) {
	cats, err := catalogues()
	if err != nil {
		t.Fatal(err)
	}
	used := usedKeys(t)
	if len(used) < 100 {
		t.Fatalf("only %d keys found: the scan is broken", len(used))
	}
	for k, where := range used {
		if _, ok := cats[defaultLang][k]; !ok {
			t.Errorf("%s uses key %q, missing from en.json", where, k)
		}
	}
}

// TestAppTemplatesParse fails on a page template that does not parse.
func TestAppTemplatesParse(t *testing.T) {
	set, err := appTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for name, err := range set.errs {
		t.Errorf("%s: %v", name, err)
	}
	for _, name := range []string{"error", "login", "setup", "forgot", "reset", "join", "settings", "settings_users", "settings_keys",
		"settings_webhooks", "settings_export", "settings_erase", "settings_email", "settings_audit"} {
		if set.pages[name] == nil {
			t.Errorf("page %s is missing", name)
		}
	}
}

func TestAcceptLanguage(t *testing.T) {
	for _, tc := range []struct{ h, want string }{
		{"zh-Hans-CN, en;q=0.8", "zh"},
		{"en;q=0.2, ro;q=0.9", "ro"},
		{"de, fr", ""},
		{"ro;q=abc, zh;q=0.1", "zh"},
		{"", ""},
	} {
		if got := acceptLanguage(tc.h); got != tc.want {
			t.Errorf("acceptLanguage(%q) = %q, want %q", tc.h, got, tc.want)
		}
	}
}
