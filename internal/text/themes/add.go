package themes

import (
	"fmt"
	"strings"
)

// Add returns c with theme t appended; an empty t.ID is made from t.Name
// (and made unique). The new theme's ID is returned too.
func Add(c Codeframe, t Theme) (Codeframe, string, error) {
	if strings.TrimSpace(t.Name) == "" {
		return Codeframe{}, "", fmt.Errorf("%w: empty name", ErrInvalid)
	}
	if t.ID == "" {
		t.ID = uniqueID(c, slug(t.Name))
	} else if c.index(t.ID) >= 0 {
		return Codeframe{}, "", fmt.Errorf("%w: duplicate theme id %q", ErrInvalid, t.ID)
	}
	out := c.clone()
	out.Themes = append(out.Themes, t.clone())
	if err := out.Validate(); err != nil {
		return Codeframe{}, "", err
	}
	return out, t.ID, nil
}

// Delete returns c without theme id; its sub-themes move up to id's parent.
// Tags naming id should be dropped by the caller.
func Delete(c Codeframe, id string) (Codeframe, error) {
	i := c.index(id)
	if i < 0 {
		return Codeframe{}, fmt.Errorf("%w: delete %q", ErrNotFound, id)
	}
	parent := c.Themes[i].Parent
	out := Codeframe{Name: c.Name}
	for _, t := range c.clone().Themes {
		if t.ID == id {
			continue
		}
		if t.Parent == id {
			t.Parent = parent
		}
		out.Themes = append(out.Themes, t)
	}
	return out, out.Validate()
}
