package themes

import (
	"errors"
	"reflect"
	"testing"
)

func TestEdits(t *testing.T) {
	t.Parallel()
	base := sampleCodeframe(t)
	tests := []struct {
		name  string
		edit  func(Codeframe) (Codeframe, error)
		check func(t *testing.T, c Codeframe)
		err   error
	}{
		{"rename", func(c Codeframe) (Codeframe, error) { return Rename(c, "price", "Pricing") },
			func(t *testing.T, c Codeframe) {
				if th, _ := c.Theme("price"); th.Name != "Pricing" {
					t.Errorf("name = %q", th.Name)
				}
			}, nil},
		{"rename empty", func(c Codeframe) (Codeframe, error) { return Rename(c, "price", " ") }, nil, ErrInvalid},
		{"rename unknown", func(c Codeframe) (Codeframe, error) { return Rename(c, "x", "X") }, nil, ErrNotFound},
		{"merge", func(c Codeframe) (Codeframe, error) { return Merge(c, "price", "delivery") },
			func(t *testing.T, c Codeframe) {
				if _, ok := c.Theme("delivery"); ok {
					t.Error("delivery still there")
				}
				th, _ := c.Theme("price")
				if want := []string{"price", "expensive", "delivery", "late"}; !reflect.DeepEqual(th.Terms["en"], want) {
					t.Errorf("terms = %v, want %v", th.Terms["en"], want)
				}
				if sp, _ := c.Theme("speed"); sp.Parent != "price" {
					t.Errorf("speed parent = %q, want price", sp.Parent)
				}
			}, nil},
		{"merge parent into child", func(c Codeframe) (Codeframe, error) { return Merge(c, "speed", "delivery") },
			func(t *testing.T, c Codeframe) {
				sp, _ := c.Theme("speed")
				if sp.Parent != "" || len(sp.Terms["en"]) != 4 {
					t.Errorf("speed = %+v", sp)
				}
			}, nil},
		{"merge self", func(c Codeframe) (Codeframe, error) { return Merge(c, "price", "price") }, nil, ErrInvalid},
		{"merge unknown", func(c Codeframe) (Codeframe, error) { return Merge(c, "price", "x") }, nil, ErrNotFound},
		{"split", func(c Codeframe) (Codeframe, error) {
			out, id, err := Split(c, "speed", "Fast delivery", map[string][]string{"en": {"fast"}})
			if err == nil && id != "fast-delivery" {
				t.Errorf("id = %q", id)
			}
			return out, err
		}, func(t *testing.T, c Codeframe) {
			sp, _ := c.Theme("speed")
			fd, _ := c.Theme("fast-delivery")
			if !reflect.DeepEqual(sp.Terms["en"], []string{"slow"}) || !reflect.DeepEqual(fd.Terms["en"], []string{"fast"}) || fd.Parent != "delivery" {
				t.Errorf("speed %+v, fast %+v", sp, fd)
			}
		}, nil},
		{"split taken id", func(c Codeframe) (Codeframe, error) {
			out, id, err := Split(c, "delivery", "Price", nil)
			if err == nil && id != "price-2" {
				t.Errorf("id = %q", id)
			}
			return out, err
		}, nil, nil},
		{"move", func(c Codeframe) (Codeframe, error) { return Move(c, "price", "delivery") },
			func(t *testing.T, c Codeframe) {
				if c.Root("price") != "delivery" {
					t.Error("price not under delivery")
				}
			}, nil},
		{"move to top", func(c Codeframe) (Codeframe, error) { return Move(c, "speed", "") },
			func(t *testing.T, c Codeframe) {
				if c.Root("speed") != "speed" {
					t.Error("speed not top level")
				}
			}, nil},
		{"move under descendant", func(c Codeframe) (Codeframe, error) { return Move(c, "delivery", "speed") }, nil, ErrInvalid},
		{"move to unknown", func(c Codeframe) (Codeframe, error) { return Move(c, "delivery", "x") }, nil, ErrInvalid},
		{"add terms", func(c Codeframe) (Codeframe, error) { return AddTerms(c, "price", "ro", "preț", "scump", " ") },
			func(t *testing.T, c Codeframe) {
				th, _ := c.Theme("price")
				if !reflect.DeepEqual(th.Terms["ro"], []string{"preț", "scump"}) {
					t.Errorf("ro = %v", th.Terms["ro"])
				}
			}, nil},
		{"remove terms", func(c Codeframe) (Codeframe, error) { return RemoveTerms(c, "price", "ro", "preț") },
			func(t *testing.T, c Codeframe) {
				th, _ := c.Theme("price")
				if _, ok := th.Terms["ro"]; ok {
					t.Errorf("ro = %v", th.Terms["ro"])
				}
			}, nil},
		{"exclude", func(c Codeframe) (Codeframe, error) { return Exclude(c, "price", "en", "free wifi") },
			func(t *testing.T, c Codeframe) {
				th, _ := c.Theme("price")
				if !reflect.DeepEqual(th.Exclude["en"], []string{"free wifi"}) {
					t.Errorf("exclude = %v", th.Exclude)
				}
			}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			before, _ := base.MarshalJSON()
			got, err := tt.edit(base)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if after, _ := base.MarshalJSON(); string(after) != string(before) {
				t.Error("edit modified its argument")
			}
			if tt.check != nil && err == nil {
				tt.check(t, got)
			}
		})
	}
}
