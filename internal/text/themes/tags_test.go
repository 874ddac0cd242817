package themes

import (
	"reflect"
	"testing"
)

func TestTags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		tags func() Tags
		want []string
	}{
		{"auto only", func() Tags { return Tags{}.WithAuto([]string{"price", "delivery"}) }, []string{"delivery", "price"}},
		{"manual add survives re-run", func() Tags {
			return Tags{}.WithAuto([]string{"price"}).Add("staff").WithAuto([]string{"delivery"})
		}, []string{"delivery", "staff"}},
		{"manual removal sticks", func() Tags {
			return Tags{}.WithAuto([]string{"price", "app"}).Remove("price").WithAuto([]string{"price", "app"})
		}, []string{"app"}},
		{"add undoes removal", func() Tags {
			return Tags{}.WithAuto([]string{"price"}).Remove("price").Add("price").WithAuto(nil)
		}, []string{"price"}},
		{"remove undoes add", func() Tags {
			return Tags{}.Add("staff").Remove("staff").WithAuto([]string{"staff"})
		}, nil},
		{"duplicates", func() Tags { return Tags{}.WithAuto([]string{"app"}).Add("app").Add("app") }, []string{"app"}},
		{"rewrite after merge", func() Tags {
			return Tags{}.WithAuto([]string{"speed", "price"}).Add("delivery").Remove("app").
				Rewrite(map[string]string{"speed": "delivery", "app": ""})
		}, []string{"delivery", "price"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tg := tt.tags()
			got := tg.Themes()
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Themes = %v, want %v (%+v)", got, tt.want, tg)
			}
			for _, id := range got {
				if !tg.Has(id) {
					t.Errorf("Has(%q) = false", id)
				}
			}
		})
	}
	// Edits never alias the receiver's slices.
	a := Tags{Added: make([]string, 0, 4)}
	b := a.Add("x")
	c := a.Add("y")
	if b.Added[0] != "x" || c.Added[0] != "y" {
		t.Errorf("aliasing: %v %v", b.Added, c.Added)
	}
}
