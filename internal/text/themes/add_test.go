package themes

import (
	"errors"
	"testing"
)

func TestAddDelete(t *testing.T) {
	c, err := New("t", []Theme{{ID: "a", Name: "A"}, {ID: "b", Name: "B", Parent: "a"}, {ID: "c", Name: "C", Parent: "b"}})
	if err != nil {
		t.Fatal(err)
	}
	c2, id, err := Add(c, Theme{Name: "Lost luggage", Parent: "a", Terms: map[string][]string{"en": {"lost bag*"}}})
	if err != nil || id != "lost-luggage" || len(c2.Themes) != 4 || len(c.Themes) != 3 {
		t.Fatalf("Add = %v, %q, %v", c2, id, err)
	}
	if _, _, err := Add(c, Theme{ID: "a", Name: "Again"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("duplicate id: %v", err)
	}
	if _, _, err := Add(c, Theme{Name: "X", Parent: "nope"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown parent: %v", err)
	}
	d, err := Delete(c, "b")
	if err != nil || len(d.Themes) != 2 {
		t.Fatalf("Delete = %v, %v", d, err)
	}
	if th, _ := d.Theme("c"); th.Parent != "a" {
		t.Errorf("child of deleted theme has parent %q, want a", th.Parent)
	}
	if _, err := Delete(c, "zz"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Delete unknown: %v", err)
	}
}
