package themes

import "sort"

// Tags are the themes of one response: those the tagger assigned and the
// manual corrections of a person. Re-running the tagger replaces Auto only,
// so a manual tag survives, and so does a manual removal of an automatic tag
// (manual wins).
type Tags struct {
	Auto    []string `json:"auto,omitempty"`
	Added   []string `json:"added,omitempty"`   // manual tags
	Removed []string `json:"removed,omitempty"` // themes a person took off
}

// Themes returns the effective themes, sorted: (Auto ∪ Added) − Removed.
func (t Tags) Themes() []string {
	var out []string
	for _, list := range [][]string{t.Auto, t.Added} {
		for _, id := range list {
			if !contains(t.Removed, id) && !contains(out, id) {
				out = append(out, id)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Has reports whether id is among the effective themes.
func (t Tags) Has(id string) bool {
	return !contains(t.Removed, id) && (contains(t.Auto, id) || contains(t.Added, id))
}

// WithAuto returns t with the automatic tags of a new tagger run, keeping the
// manual ones.
func (t Tags) WithAuto(auto []string) Tags {
	t.Auto = append([]string(nil), auto...)
	return t
}

// Add returns t with id tagged by hand; it undoes an earlier manual removal.
func (t Tags) Add(id string) Tags {
	t.Removed = without(t.Removed, id)
	if !contains(t.Added, id) {
		t.Added = append(append([]string(nil), t.Added...), id)
	}
	return t
}

// Remove returns t with id taken off by hand, whether the tagger or a person
// put it there; later tagger runs do not bring it back.
func (t Tags) Remove(id string) Tags {
	t.Added = without(t.Added, id)
	if !contains(t.Removed, id) {
		t.Removed = append(append([]string(nil), t.Removed...), id)
	}
	return t
}

// Rewrite returns t with theme IDs renamed by m (old → new), as needed after
// Merge; an ID mapped to "" is dropped.
func (t Tags) Rewrite(m map[string]string) Tags {
	re := func(s []string) []string {
		var out []string
		for _, id := range s {
			if n, ok := m[id]; ok {
				id = n
			}
			if id != "" && !contains(out, id) {
				out = append(out, id)
			}
		}
		return out
	}
	return Tags{Auto: re(t.Auto), Added: re(t.Added), Removed: re(t.Removed)}
}

// without returns a copy of s without v.
func without(s []string, v string) []string {
	var out []string
	for _, x := range s {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}
