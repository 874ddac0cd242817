package themes

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Errors returned by codeframe operations, wrapped with details.
var (
	// ErrInvalid means a codeframe or an edit would break its rules.
	ErrInvalid = errors.New("themes: invalid codeframe")
	// ErrNotFound means a theme ID is not in the codeframe.
	ErrNotFound = errors.New("themes: theme not found")
)

// Theme is one node of a codeframe.
type Theme struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Parent string `json:"parent,omitempty"` // "" for a top-level theme
	// Terms are the words or phrases that signal the theme, per base
	// language ("en", "ro", "zh"; see text.Lang.Base). They are matched on
	// the analyzer's normalised tokens (for Chinese, on segmenter word
	// boundaries); a trailing "*" on a word matches any word it begins.
	Terms map[string][]string `json:"terms,omitempty"`
	// Exclude are terms that veto the theme in the sentence they occur in
	// ("free wifi" under a price theme).
	Exclude map[string][]string `json:"exclude,omitempty"`
}

// Codeframe is a hierarchy of themes. Build one with New or ParseCodeframe,
// which validate it; the editing functions return new codeframes and never
// modify their argument.
type Codeframe struct {
	Name   string  `json:"name"`
	Themes []Theme `json:"themes"`
}

// New returns a validated codeframe holding copies of themes.
func New(name string, themes []Theme) (Codeframe, error) {
	c := Codeframe{Name: name, Themes: make([]Theme, len(themes))}
	for i, t := range themes {
		c.Themes[i] = t.clone()
	}
	if err := c.Validate(); err != nil {
		return Codeframe{}, err
	}
	return c, nil
}

// ParseCodeframe decodes a codeframe from JSON and validates it.
func ParseCodeframe(data []byte) (Codeframe, error) {
	var c Codeframe
	if err := json.Unmarshal(data, &c); err != nil {
		return Codeframe{}, fmt.Errorf("themes: parse codeframe: %w", err)
	}
	if err := c.Validate(); err != nil {
		return Codeframe{}, err
	}
	return c, nil
}

// Validate checks that IDs are non-empty and unique, names are non-empty,
// parents exist and the parent links have no cycle.
func (c Codeframe) Validate() error {
	index := make(map[string]int, len(c.Themes))
	for i, t := range c.Themes {
		if strings.TrimSpace(t.ID) == "" {
			return fmt.Errorf("%w: theme %d has no id", ErrInvalid, i)
		}
		if strings.TrimSpace(t.Name) == "" {
			return fmt.Errorf("%w: theme %q has no name", ErrInvalid, t.ID)
		}
		if _, dup := index[t.ID]; dup {
			return fmt.Errorf("%w: duplicate theme id %q", ErrInvalid, t.ID)
		}
		index[t.ID] = i
	}
	for _, t := range c.Themes {
		if t.Parent == "" {
			continue
		}
		if _, ok := index[t.Parent]; !ok {
			return fmt.Errorf("%w: theme %q has unknown parent %q", ErrInvalid, t.ID, t.Parent)
		}
		// Walking up more steps than there are themes means a cycle.
		p, steps := t.Parent, 0
		for p != "" {
			if p == t.ID || steps > len(c.Themes) {
				return fmt.Errorf("%w: theme %q is its own ancestor", ErrInvalid, t.ID)
			}
			p = c.Themes[index[p]].Parent
			steps++
		}
	}
	return nil
}

// Theme returns the theme with id.
func (c Codeframe) Theme(id string) (Theme, bool) {
	i := c.index(id)
	if i < 0 {
		return Theme{}, false
	}
	return c.Themes[i], true
}

// Children returns the IDs of id's direct sub-themes, in codeframe order;
// id "" gives the top-level themes.
func (c Codeframe) Children(id string) []string {
	var out []string
	for _, t := range c.Themes {
		if t.Parent == id {
			out = append(out, t.ID)
		}
	}
	return out
}

// Root returns the top-level ancestor of id (id itself when it is top
// level), or "" when id is unknown.
func (c Codeframe) Root(id string) string {
	for steps := 0; steps <= len(c.Themes); steps++ {
		t, ok := c.Theme(id)
		if !ok {
			return ""
		}
		if t.Parent == "" {
			return id
		}
		id = t.Parent
	}
	return ""
}

// Languages returns the base languages that have terms in some theme, sorted.
func (c Codeframe) Languages() []string {
	seen := map[string]bool{}
	for _, t := range c.Themes {
		for l := range t.Terms {
			seen[l] = true
		}
	}
	out := make([]string, 0, len(seen))
	for l := range seen {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

func (c Codeframe) index(id string) int {
	for i, t := range c.Themes {
		if t.ID == id {
			return i
		}
	}
	return -1
}

func (c Codeframe) clone() Codeframe {
	out := Codeframe{Name: c.Name, Themes: make([]Theme, len(c.Themes))}
	for i, t := range c.Themes {
		out.Themes[i] = t.clone()
	}
	return out
}

func (t Theme) clone() Theme {
	t.Terms = cloneTerms(t.Terms)
	t.Exclude = cloneTerms(t.Exclude)
	return t
}

func cloneTerms(m map[string][]string) map[string][]string {
	if m == nil {
		return nil
	}
	out := make(map[string][]string, len(m))
	for l, ts := range m {
		out[l] = append([]string(nil), ts...)
	}
	return out
}

// MarshalJSON encodes the codeframe; ParseCodeframe reads it back.
func (c Codeframe) MarshalJSON() ([]byte, error) {
	type plain Codeframe // without this method, to avoid recursion
	return json.MarshalIndent(plain(c), "", "  ")
}
