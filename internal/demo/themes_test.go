package demo

import (
	"context"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
	"github.com/cxlens/cxlens/internal/text"
)

// TestDemoThemes: the demo's comments and feedback are tagged as they are
// loaded, and each language shows the themes its corpus is about.
func TestDemoThemes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.New(t, store.SQLite, store.Options{})
	ws, _, err := Create(ctx, db, Options{Seed: 3, Customers: 300, Now: testNow, WorkspaceName: "Demo themes"})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.ThemeRows(ctx, ws.ID, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	perLang := map[string]map[string]int{}
	docs := map[string]int{}
	sources := map[string]int{}
	for _, r := range rows {
		lang := text.Lang(r.Language).Base()
		if perLang[lang] == nil {
			perLang[lang] = map[string]int{}
		}
		docs[lang]++
		sources[r.Source]++
		for _, th := range r.Themes {
			perLang[lang][th]++
		}
	}
	for _, src := range []string{"survey", "twitter", "review_site", "app_store"} {
		if sources[src] == 0 {
			t.Errorf("no analysed comments from %s: %v", src, sources)
		}
	}
	// Each language's corpus is about these (airline tweets, food delivery
	// reviews, product reviews); each must reach the given share of its
	// comments (lost luggage is a small reason among the airline tweets).
	want := map[string]map[string]int{ // theme → least percent
		"en": {"delays": 5, "support": 5, "staff": 5, "lost-luggage": 2},
		"zh": {"food-taste": 5, "delivery-speed": 5, "delivery": 5},
		"ro": {"quality": 5, "price": 5, "delivery": 5},
	}
	for lang, ids := range want {
		var top []string
		for id := range perLang[lang] {
			top = append(top, id)
		}
		sort.Slice(top, func(i, j int) bool { return perLang[lang][top[i]] > perLang[lang][top[j]] })
		t.Logf("%s: %d comments; themes %v", lang, docs[lang], func() []string {
			var s []string
			for _, id := range top {
				s = append(s, id+"="+strconv.Itoa(perLang[lang][id]))
			}
			return s
		}())
		for id, pct := range ids {
			if perLang[lang][id]*100 < pct*docs[lang] {
				t.Errorf("%s: theme %s on %d of %d comments, want ≥ %d%%", lang, id, perLang[lang][id], docs[lang], pct)
			}
		}
	}
}
