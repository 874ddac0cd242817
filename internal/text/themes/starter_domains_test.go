package themes

import (
	"reflect"
	"testing"

	"github.com/cxlens/cxlens/internal/text"
)

func TestStarterWithDomains(t *testing.T) {
	t.Parallel()
	c := StarterWithDomains()
	if got, want := c.Children(""), Starter().Children(""); !reflect.DeepEqual(got, want) {
		t.Fatalf("top-level themes = %v, want the starter's %v", got, want)
	}
	tg := NewTagger(c, text.NewAnalyzer(text.AnalyzerOptions{}))
	tests := []struct {
		comment string
		want    string
	}{
		{"My flight was delayed three hours.", "delays"},
		{"They lost my luggage in Chicago.", "lost-luggage"},
		{"The food was bland and cold.", "food-taste"},
		{"The room was dirty and smelled.", "cleanliness"},
		{"Super fast delivery, thanks!", "delivery-speed"},
		{"味道很好，送餐也很快", "food-taste"},
		{"送餐太慢了，等了两个小时", "delays"},
		{"Mâncarea a avut un gust excelent.", "food-taste"},
		{"Bagajul meu a fost pierdut.", "lost-luggage"},
		{"Camera era murdară.", "cleanliness"},
	}
	for _, tt := range tests {
		ids := RollUp(c, ThemeIDs(tg.Tag(tt.comment)))
		found := false
		for _, id := range ids {
			found = found || id == tt.want
		}
		if !found {
			t.Errorf("%q: themes %v, want %s", tt.comment, ids, tt.want)
		}
	}
}
