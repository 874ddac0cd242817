package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
	"github.com/cxlens/cxlens/internal/survey"
)

func TestUnsubscribePage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w, err := db.CreateWorkspace(ctx, cx.Workspace{Name: "Acme"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateSurvey(ctx, w.ID, cx.Survey{Key: "nps", Kind: cx.NPS}); err != nil {
			t.Fatal(err)
		}
		ins, err := db.CreateInvitations(ctx, w.ID, []cx.Invitation{
			{Survey: "nps", Customer: "c1", Email: "Ana@Example.com", Language: "ro"},
			{Survey: "nps", Customer: "c1", Email: "Ana@Example.com", Language: "ro"},
		})
		if err != nil {
			t.Fatal(err)
		}
		s := New(db, nil, Options{})
		sg, err := s.Signer(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tok := func(kind survey.TokenKind, id int64, exp time.Time) string {
			return sg.Sign(survey.Token{Kind: kind, Workspace: w.ID, ID: id, Expires: exp})
		}
		later := time.Now().Add(time.Hour)
		get := func(method, path, lang string) (int, string) {
			req := httptest.NewRequest(method, path, nil)
			if lang != "" {
				req.Header.Set("Accept-Language", lang)
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			b, _ := io.ReadAll(rec.Body)
			return rec.Code, string(b)
		}
		tests := []struct {
			name, method, path, lang string
			status                   int
			want                     string
		}{
			{"forged, Chinese browser", "GET", "/u/AAAA.BBBB", "zh-CN,zh;q=0.9", http.StatusNotFound, "此链接无效"},
			{"expired", "GET", "/u/" + tok(survey.TokenUnsubscribe, ins[0].ID, time.Now().Add(-time.Hour)), "en", http.StatusNotFound, "does not work"},
			{"invitation token is not an unsubscribe token", "POST", "/u/" + tok(survey.TokenInvitation, ins[0].ID, later), "", http.StatusNotFound, "does not work"},
			{"unknown invitation", "GET", "/u/" + tok(survey.TokenUnsubscribe, 999, later), "", http.StatusNotFound, "does not work"},
			{"confirm in the invitation's language", "GET", "/u/" + tok(survey.TokenUnsubscribe, ins[0].ID, later), "en", http.StatusOK, "Dezabonare"},
			{"explicit language wins", "GET", "/u/" + tok(survey.TokenUnsubscribe, ins[0].ID, later) + "?lang=zh", "", http.StatusOK, "退订"},
		}
		for _, tt := range tests {
			code, body := get(tt.method, tt.path, tt.lang)
			if code != tt.status || !strings.Contains(body, tt.want) {
				t.Errorf("%s: %d, want %d with %q:\n%s", tt.name, code, tt.status, tt.want, body)
			}
		}
		if sup, _ := db.Suppressed(ctx, w.ID, "ana@example.com"); sup {
			t.Fatal("suppressed before any POST")
		}
		for range 2 { // twice: still fine
			code, body := get("POST", "/u/"+tok(survey.TokenUnsubscribe, ins[0].ID, later), "")
			if code != http.StatusOK || !strings.Contains(body, "V-ați dezabonat") {
				t.Fatalf("unsubscribe: %d %s", code, body)
			}
		}
		if sup, _ := db.Suppressed(ctx, w.ID, "ana@example.com"); !sup {
			t.Error("not suppressed after POST")
		}
		other, _ := db.Invitation(ctx, w.ID, ins[1].ID)
		if other.Status != cx.InvitationSuppressed {
			t.Errorf("the address's scheduled invitation is %s", other.Status)
		}
	})
}

func TestUnsubscribeLang(t *testing.T) {
	for _, tt := range []struct{ tag, accept, want string }{
		{"", "", "en"}, {"zh-Hant", "", "zh"}, {"", "fr-FR, ro;q=0.8", "ro"}, {"de", "de", "en"}, {"RO", "", "ro"},
	} {
		if got := unsubscribeLang(tt.tag, tt.accept); got != tt.want {
			t.Errorf("unsubscribeLang(%q, %q) = %q, want %q", tt.tag, tt.accept, got, tt.want)
		}
	}
}
