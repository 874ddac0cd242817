package themes

import (
	"fmt"
	"strings"
	"unicode"
)

// Rename returns c with theme id named name.
func Rename(c Codeframe, id, name string) (Codeframe, error) {
	return edit(c, id, func(c *Codeframe, i int) error {
		if strings.TrimSpace(name) == "" {
			return fmt.Errorf("%w: empty name", ErrInvalid)
		}
		c.Themes[i].Name = name
		return nil
	})
}

// Merge returns c with theme from folded into theme into: into gains from's
// terms and exclusions, from's sub-themes move under into, and from is
// removed. Tags naming from should be rewritten to into by the caller.
func Merge(c Codeframe, into, from string) (Codeframe, error) {
	if into == from {
		return Codeframe{}, fmt.Errorf("%w: merge %q into itself", ErrInvalid, into)
	}
	out := c.clone()
	i, j := out.index(into), out.index(from)
	if i < 0 || j < 0 {
		return Codeframe{}, fmt.Errorf("%w: merge %q into %q", ErrNotFound, from, into)
	}
	f := out.Themes[j]
	out.Themes[i].Terms = addTerms(out.Themes[i].Terms, f.Terms)
	out.Themes[i].Exclude = addTerms(out.Themes[i].Exclude, f.Exclude)
	if isAncestor(out, from, into) {
		// into sits under from: lift it to from's place so it keeps a parent.
		out.Themes[i].Parent = f.Parent
	}
	for k := range out.Themes {
		if out.Themes[k].Parent == from {
			out.Themes[k].Parent = into
		}
	}
	out.Themes = append(out.Themes[:j], out.Themes[j+1:]...)
	if err := out.Validate(); err != nil {
		return Codeframe{}, err
	}
	return out, nil
}

// Split returns c with a new theme named newName beside theme id (same
// parent) that takes terms (per language) away from id. The new theme's ID is
// made from newName and is returned too.
func Split(c Codeframe, id, newName string, terms map[string][]string) (Codeframe, string, error) {
	i := c.index(id)
	if i < 0 {
		return Codeframe{}, "", fmt.Errorf("%w: split %q", ErrNotFound, id)
	}
	if strings.TrimSpace(newName) == "" {
		return Codeframe{}, "", fmt.Errorf("%w: empty name", ErrInvalid)
	}
	out := c.clone()
	newID := uniqueID(out, slug(newName))
	out.Themes[i].Terms = removeTerms(out.Themes[i].Terms, terms)
	nt := Theme{ID: newID, Name: newName, Parent: out.Themes[i].Parent, Terms: addTerms(nil, terms)}
	out.Themes = append(out.Themes[:i+1], append([]Theme{nt}, out.Themes[i+1:]...)...)
	if err := out.Validate(); err != nil {
		return Codeframe{}, "", err
	}
	return out, newID, nil
}

// Move returns c with theme id under parent ("" for top level). Moving a
// theme under one of its own descendants is ErrInvalid.
func Move(c Codeframe, id, parent string) (Codeframe, error) {
	return edit(c, id, func(c *Codeframe, i int) error {
		c.Themes[i].Parent = parent
		return nil
	})
}

// AddTerms returns c with terms added to theme id's terms in lang (a base
// language such as "en"); terms it already has are not repeated.
func AddTerms(c Codeframe, id, lang string, terms ...string) (Codeframe, error) {
	return edit(c, id, func(c *Codeframe, i int) error {
		c.Themes[i].Terms = addTerms(c.Themes[i].Terms, map[string][]string{lang: terms})
		return nil
	})
}

// RemoveTerms returns c without terms among theme id's terms in lang.
func RemoveTerms(c Codeframe, id, lang string, terms ...string) (Codeframe, error) {
	return edit(c, id, func(c *Codeframe, i int) error {
		c.Themes[i].Terms = removeTerms(c.Themes[i].Terms, map[string][]string{lang: terms})
		return nil
	})
}

// Exclude returns c with terms added to theme id's exclusions in lang: a
// sentence containing one of them is never tagged with the theme.
func Exclude(c Codeframe, id, lang string, terms ...string) (Codeframe, error) {
	return edit(c, id, func(c *Codeframe, i int) error {
		c.Themes[i].Exclude = addTerms(c.Themes[i].Exclude, map[string][]string{lang: terms})
		return nil
	})
}

// edit applies f to a copy of c at theme id and validates the result.
func edit(c Codeframe, id string, f func(c *Codeframe, i int) error) (Codeframe, error) {
	out := c.clone()
	i := out.index(id)
	if i < 0 {
		return Codeframe{}, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	if err := f(&out, i); err != nil {
		return Codeframe{}, err
	}
	if err := out.Validate(); err != nil {
		return Codeframe{}, err
	}
	return out, nil
}

// isAncestor reports whether a is a proper ancestor of id.
func isAncestor(c Codeframe, a, id string) bool {
	for steps := 0; steps <= len(c.Themes); steps++ {
		t, ok := c.Theme(id)
		if !ok || t.Parent == "" {
			return false
		}
		if t.Parent == a {
			return true
		}
		id = t.Parent
	}
	return false
}

func addTerms(dst, src map[string][]string) map[string][]string {
	for lang, ts := range src {
		for _, term := range ts {
			term = strings.TrimSpace(term)
			if term == "" || contains(dst[lang], term) {
				continue
			}
			if dst == nil {
				dst = map[string][]string{}
			}
			dst[lang] = append(dst[lang], term)
		}
	}
	return dst
}

func removeTerms(dst, src map[string][]string) map[string][]string {
	for lang, ts := range src {
		kept := dst[lang][:0]
		for _, term := range dst[lang] {
			if !contains(ts, term) {
				kept = append(kept, term)
			}
		}
		if len(kept) == 0 {
			delete(dst, lang)
		} else {
			dst[lang] = kept
		}
	}
	return dst
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// slug makes an ID from a name: lower-case letters and digits of any script,
// other runs replaced by "-".
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "theme"
	}
	return b.String()
}

func uniqueID(c Codeframe, id string) string {
	if c.index(id) < 0 {
		return id
	}
	for n := 2; ; n++ {
		cand := fmt.Sprintf("%s-%d", id, n)
		if c.index(cand) < 0 {
			return cand
		}
	}
}
