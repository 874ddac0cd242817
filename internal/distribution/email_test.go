package distribution

import (
	"fmt"
	"strings"
	"testing"
)

func TestEmailRender(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, subject string }{
		{"en", "Acme would like your feedback"},
		{"zh-Hans", "Acme 想听听您的意见"},
		{"ro", "Acme vă roagă să ne spuneți părerea"},
		{"fr", "Acme would like your feedback"},
	} {
		e := Email{Language: tt.lang, Workspace: "Acme", Question: "How likely…? <b>", ScaleMin: 0, ScaleMax: 10,
			ScoreURL: func(n int) string { return fmt.Sprintf("https://cx.example/s/T?score=%d", n) },
			PageURL:  "https://cx.example/s/T", Unsubscribe: "https://cx.example/u/U", Anchors: true}
		subject, text, html, err := e.Render()
		if err != nil {
			t.Fatal(err)
		}
		if subject != tt.subject {
			t.Errorf("%s: subject %q", tt.lang, subject)
		}
		for n := 0; n <= 10; n++ {
			link := fmt.Sprintf("https://cx.example/s/T?score=%d", n)
			if !strings.Contains(text, link) || !strings.Contains(html, `href="`+link+`"`) {
				t.Errorf("%s: score %d link missing", tt.lang, n)
			}
		}
		if !strings.Contains(html, "https://cx.example/u/U") || !strings.Contains(text, "https://cx.example/u/U") {
			t.Errorf("%s: unsubscribe link missing", tt.lang)
		}
		if strings.Contains(html, "<b>") {
			t.Errorf("%s: question not escaped in HTML", tt.lang)
		}
	}
	if _, _, _, err := (Email{ScaleMin: 5, ScaleMax: 1, ScoreURL: func(int) string { return "" }}).Render(); err == nil {
		t.Error("a reversed scale rendered")
	}
}
