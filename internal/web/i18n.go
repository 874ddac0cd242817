package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The dashboard's UI languages. Every UI string is a key in each of the
// catalogues i18n/{en,zh,ro}.json (flat objects, key → text with optional
// fmt verbs); i18n_test.go fails on a key missing from one of them or a
// template using an unknown key.
var uiLangs = []string{"en", "zh", "ro"}

// defaultLang is the fallback language, and its catalogue the fallback text.
const defaultLang = "en"

// langCookie remembers the language chosen with the switcher (before login).
const langCookie = "cxl_lang"

//go:embed i18n/*.json
var catalogueFS embed.FS

// catalogues maps language → key → text.
var catalogues = sync.OnceValues(loadCatalogues)

func loadCatalogues() (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, lang := range uiLangs {
		b, err := catalogueFS.ReadFile(path.Join("i18n", lang+".json"))
		if err != nil {
			return nil, fmt.Errorf("web: catalogue %s: %w", lang, err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("web: catalogue %s: %w", lang, err)
		}
		out[lang] = m
	}
	return out, nil
}

// translator returns the T function of language lang: the key's text
// there, else in English, else the key itself (so a missing key is
// visible on the page, and caught by the catalogue test).
func translator(lang string) func(key string, args ...any) string {
	cats, err := catalogues()
	if err != nil {
		cats = nil
	}
	cat, en := cats[lang], cats[defaultLang]
	return func(key string, args ...any) string {
		s, ok := cat[key]
		if !ok {
			if s, ok = en[key]; !ok {
				s = key
			}
		}
		if len(args) > 0 {
			return fmt.Sprintf(s, args...)
		}
		return s
	}
}

// supportedLang returns lang if it is a UI language ("zh-CN" → "zh"), else "".
func supportedLang(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	base, _, _ := strings.Cut(lang, "-")
	base, _, _ = strings.Cut(base, "_")
	if slices.Contains(uiLangs, base) {
		return base
	}
	return ""
}

// pickLang chooses the UI language: the user's preference, then the
// language cookie, then the best Accept-Language match, then English.
func pickLang(r *http.Request, pref string) string {
	if l := supportedLang(pref); l != "" {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if l := supportedLang(c.Value); l != "" {
			return l
		}
	}
	if l := acceptLanguage(r.Header.Get("Accept-Language")); l != "" {
		return l
	}
	return defaultLang
}

// acceptLanguage returns the supported language with the highest q in an
// Accept-Language header (RFC 9110 §12.5.4), or "".
func acceptLanguage(h string) string {
	best, bestQ := "", 0.0
	for part := range strings.SplitSeq(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		if l := supportedLang(tag); l != "" && q > bestQ {
			best, bestQ = l, q
		}
	}
	return best
}

// langName is each UI language's name in itself, for the switcher.
var langName = map[string]string{"en": "English", "zh": "简体中文", "ro": "Română"}
