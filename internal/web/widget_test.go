package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

func TestWidgetScriptSize(t *testing.T) {
	b, err := surveyStaticFS.ReadFile("static/widget.js")
	if err != nil {
		t.Fatal(err)
	}
	var z bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	gz.Write(b)
	gz.Close()
	if z.Len() > 10*1024 {
		t.Errorf("widget.js is %d bytes gzipped, over 10 KB", z.Len())
	}
	t.Logf("widget.js: %d bytes, %d gzipped", len(b), z.Len())
}

func TestWidgetEndpoint(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newSurveyEnv(t, db, Options{})
		ctx := context.Background()
		before, err := db.Widget(ctx, e.ws)
		if err != nil {
			t.Fatal(err)
		}
		call := func(method, path, origin, body string) (int, http.Header, map[string]any) {
			t.Helper()
			req := httptest.NewRequest(method, path, strings.NewReader(body))
			if origin != "" {
				req.Header.Set("Origin", origin)
			}
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			rec := httptest.NewRecorder()
			e.srv.ServeHTTP(rec, req)
			var v map[string]any
			json.Unmarshal(rec.Body.Bytes(), &v)
			return rec.Code, rec.Header(), v
		}
		good, evil := "https://shop.example.com", "https://evil.example.com"
		q := "?key=" + before.PublicKey
		// Refused before the origin is allowed, accepted right after (the
		// cached settings are read again before refusing).
		if code, _, _ := call("GET", "/w/v1/surveys/ces"+q, good, ""); code != 403 {
			t.Errorf("design before the origin is allowed: %d", code)
		}
		set, err := db.SetWidgetOrigins(ctx, e.ws, []string{good})
		if err != nil || set.PublicKey != before.PublicKey {
			t.Fatal(set, err)
		}

		if code, h, _ := call("OPTIONS", "/w/v1/responses"+q, good, ""); code != 204 || h.Get("Access-Control-Allow-Origin") != good || !strings.Contains(h.Get("Access-Control-Allow-Headers"), "Content-Type") {
			t.Errorf("preflight from allowed origin: %d %v", code, h)
		}
		if code, h, _ := call("OPTIONS", "/w/v1/responses"+q, evil, ""); code != 403 || h.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("preflight from other origin: %d %v", code, h)
		}
		code, h, d := call("GET", "/w/v1/surveys/ces"+q+"&lang=zh-TW&customer=li", good, "")
		if code != 200 || h.Get("Access-Control-Allow-Origin") != good || d["lang"] != "zh-Hant" || !strings.Contains(d["question"].(string), "容易") || d["scale_max"] != float64(7) {
			t.Fatalf("design %d %v", code, d)
		}
		if _, ok := d["eligible"].(bool); !ok {
			t.Errorf("no eligibility in %v", d)
		}
		if code, _, _ := call("GET", "/w/v1/surveys/ces"+q, evil, ""); code != 403 {
			t.Errorf("design for other origin: %d", code)
		}
		if code, _, _ := call("GET", "/w/v1/surveys/ces?key=pk_nope", good, ""); code != 404 {
			t.Errorf("unknown key: %d", code)
		}
		answer := `{"survey":"ces","customer":"web-7","score":6,"lang":"ro","nonce":"0123456789abcdef0123456789abcdef"}`
		if code, _, _ := call("POST", "/w/v1/responses"+q, evil, answer); code != 403 {
			t.Errorf("post from other origin: %d", code)
		}
		if code, _, _ := call("POST", "/w/v1/responses"+q, "", answer); code != 403 {
			t.Errorf("post without origin: %d", code)
		}
		code, h, r := call("POST", "/w/v1/responses"+q, good, answer)
		if code != 201 || h.Get("Access-Control-Allow-Origin") != good || r["category"] != "promoter" {
			t.Fatalf("answer %d %v", code, r)
		}
		call("POST", "/w/v1/responses"+q, good, answer) // retried: no second response
		code, _, _ = call("POST", "/w/v1/responses"+q, good, `{"survey":"ces","token":"`+r["token"].(string)+`","comment":"smooth"}`)
		if code != 200 {
			t.Fatalf("comment %d", code)
		}
		var widget []string
		for _, x := range e.responses() {
			if x.Channel == "widget" {
				widget = append(widget, x.Customer+"/"+x.Comment+"/"+x.Language)
			}
		}
		if len(widget) != 1 || widget[0] != "web-7/smooth/ro" {
			t.Errorf("widget responses %v", widget)
		}
		for name, body := range map[string]string{
			"score off scale": `{"survey":"ces","score":9,"nonce":"0123456789abcdef0123456789abcdef"}`,
			"no nonce":        `{"survey":"ces","score":5}`,
			"unknown survey":  `{"survey":"zzz","score":5,"nonce":"0123456789abcdef0123456789abcdef"}`,
			"unknown field":   `{"survey":"ces","score":5,"admin":true}`,
			"forged token":    `{"survey":"ces","token":"AQ.x","comment":"x"}`,
		} {
			if code, _, _ := call("POST", "/w/v1/responses"+q, good, body); code < 400 || code >= 500 {
				t.Errorf("%s: %d", name, code)
			}
		}
		if code, _, _ := call("POST", "/w/v1/responses"+q, good, `{"survey":"ces","comment":"`+strings.Repeat("x", 40<<10)+`"}`); code != http.StatusRequestEntityTooLarge {
			t.Errorf("huge body: %d", code)
		}
		req := httptest.NewRequest("GET", "/w/widget.js", nil)
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/javascript") {
			t.Errorf("widget.js %d %v", rec.Code, rec.Header())
		}
	})
}

// TestWidgetConcurrentSubmissions posts answers at once: the submitter
// commits them in groups, and every acknowledged answer is stored once.
func TestWidgetConcurrentSubmissions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newSurveyEnv(t, db, Options{PublicRate: 1e6, PublicBurst: 1e6})
		set, err := db.SetWidgetOrigins(context.Background(), e.ws, []string{"https://shop.example.com"})
		if err != nil {
			t.Fatal(err)
		}
		const n = 60
		codes := make(chan int, n)
		for i := range n {
			go func() {
				body := fmt.Sprintf(`{"survey":"ces","score":%d,"nonce":"%032x"}`, 1+i%7, i)
				req := httptest.NewRequest("POST", "/w/v1/responses?key="+set.PublicKey, strings.NewReader(body))
				req.Header.Set("Origin", "https://shop.example.com")
				rec := httptest.NewRecorder()
				e.srv.ServeHTTP(rec, req)
				codes <- rec.Code
			}()
		}
		for range n {
			if c := <-codes; c != http.StatusCreated {
				t.Errorf("status %d", c)
			}
		}
		if got := len(e.responses()); got != n {
			t.Errorf("%d responses stored, want %d", got, n)
		}
	})
}
