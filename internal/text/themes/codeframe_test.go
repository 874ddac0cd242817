package themes

import (
	"errors"
	"reflect"
	"testing"
)

func sampleCodeframe(t *testing.T) Codeframe {
	t.Helper()
	c, err := New("sample", []Theme{
		{ID: "delivery", Name: "Delivery", Terms: map[string][]string{"en": {"delivery", "late"}}},
		{ID: "speed", Name: "Speed", Parent: "delivery", Terms: map[string][]string{"en": {"slow", "fast"}}},
		{ID: "price", Name: "Price", Terms: map[string][]string{"en": {"price", "expensive"}, "ro": {"preț"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		themes []Theme
		ok     bool
	}{
		{"empty", nil, true},
		{"flat", []Theme{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}}, true},
		{"nested", []Theme{{ID: "a", Name: "A"}, {ID: "b", Name: "B", Parent: "a"}}, true},
		{"no id", []Theme{{Name: "A"}}, false},
		{"no name", []Theme{{ID: "a"}}, false},
		{"duplicate", []Theme{{ID: "a", Name: "A"}, {ID: "a", Name: "B"}}, false},
		{"unknown parent", []Theme{{ID: "a", Name: "A", Parent: "x"}}, false},
		{"self parent", []Theme{{ID: "a", Name: "A", Parent: "a"}}, false},
		{"cycle", []Theme{{ID: "a", Name: "A", Parent: "b"}, {ID: "b", Name: "B", Parent: "a"}}, false},
		{"long cycle", []Theme{{ID: "a", Name: "A", Parent: "c"}, {ID: "b", Name: "B", Parent: "a"}, {ID: "c", Name: "C", Parent: "b"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := New("x", tt.themes)
			if (err == nil) != tt.ok {
				t.Fatalf("New: err = %v, want ok = %v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestCodeframeJSONRoundTrip(t *testing.T) {
	t.Parallel()
	c := sampleCodeframe(t)
	data, err := c.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseCodeframe(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, c)
	}
	if _, err := ParseCodeframe([]byte(`{"themes":[{"id":"a","name":"A","parent":"a"}]}`)); !errors.Is(err, ErrInvalid) {
		t.Errorf("cyclic JSON: err = %v, want ErrInvalid", err)
	}
	if _, err := ParseCodeframe([]byte(`{`)); err == nil {
		t.Error("broken JSON parsed")
	}
}

func TestNavigation(t *testing.T) {
	t.Parallel()
	c := sampleCodeframe(t)
	if got := c.Children(""); !reflect.DeepEqual(got, []string{"delivery", "price"}) {
		t.Errorf("Children(\"\") = %v", got)
	}
	if got := c.Children("delivery"); !reflect.DeepEqual(got, []string{"speed"}) {
		t.Errorf("Children(delivery) = %v", got)
	}
	for id, want := range map[string]string{"speed": "delivery", "delivery": "delivery", "price": "price", "nope": ""} {
		if got := c.Root(id); got != want {
			t.Errorf("Root(%q) = %q, want %q", id, got, want)
		}
	}
	if got := c.Languages(); !reflect.DeepEqual(got, []string{"en", "ro"}) {
		t.Errorf("Languages = %v", got)
	}
}
