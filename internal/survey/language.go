package survey

import (
	"sort"
	"strconv"
	"strings"
)

// Languages are the languages the built-in templates and page wording ship in.
var Languages = []string{"en", "zh-Hans", "zh-Hant", "ro"}

// Negotiate picks the language to show a survey in, from the first source
// that names one the survey has: the invitation's language, then the
// customer's language attribute, then the browser's Accept-Language
// header (by q-value), then the survey's default. available lists the
// survey's languages; a match ignores case and understands that zh-CN/zh-SG
// mean zh-Hans and zh-TW/zh-HK/zh-MO mean zh-Hant.
func Negotiate(invitation, customer, acceptLanguage string, available []string, def string) string {
	for _, want := range []string{invitation, customer} {
		if l := Match(want, available); l != "" {
			return l
		}
	}
	for _, want := range parseAccept(acceptLanguage) {
		if l := Match(want, available); l != "" {
			return l
		}
	}
	if l := Match(def, available); l != "" {
		return l
	}
	if len(available) > 0 {
		return available[0]
	}
	return "en"
}

// Match returns the tag of available that best fits want, or "".
func Match(want string, available []string) string {
	w := canonical(want)
	if w == "" {
		return ""
	}
	for _, a := range available {
		if strings.EqualFold(canonical(a), w) {
			return a
		}
	}
	// The base language alone: "en-GB" → "en", "ro-RO" → "ro"; never across
	// Chinese scripts.
	base, _, _ := strings.Cut(w, "-")
	if strings.EqualFold(base, "zh") {
		return ""
	}
	for _, a := range available {
		if ab, _, _ := strings.Cut(canonical(a), "-"); strings.EqualFold(ab, base) {
			return a
		}
	}
	return ""
}

// canonical maps region-style Chinese tags to script tags.
func canonical(tag string) string {
	tag = strings.TrimSpace(strings.ReplaceAll(tag, "_", "-"))
	switch strings.ToLower(tag) {
	case "zh-cn", "zh-sg", "zh-hans-cn", "zh-hans-sg", "zh-my":
		return "zh-Hans"
	case "zh-tw", "zh-hk", "zh-mo", "zh-hant-tw", "zh-hant-hk":
		return "zh-Hant"
	case "zh":
		return "zh-Hans"
	}
	return tag
}

// parseAccept returns the tags of an Accept-Language header, best first.
func parseAccept(h string) []string {
	if len(h) > 1024 {
		h = h[:1024]
	}
	type tq struct {
		tag string
		q   float64
		i   int
	}
	var list []tq
	for i, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.TrimSpace(tag)
		if tag == "" || tag == "*" {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		if q > 0 {
			list = append(list, tq{tag, q, i})
		}
	}
	sort.SliceStable(list, func(a, b int) bool { return list[a].q > list[b].q })
	out := make([]string, len(list))
	for i, t := range list {
		out[i] = t.tag
	}
	return out
}
