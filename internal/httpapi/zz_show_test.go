package httpapi

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/cxlens/cxlens/internal/cx"
	"testing"
)

func TestZZShow(t *testing.T) {
	e := newEnv(t, newTestDB(t))
	for _, c := range [][3]string{
		{"POST", "/api/v1/responses", `[{"survey":"nps","score":1,"submitted_at":"yesterday"}]`},
		{"POST", "/api/v1/tickets", `{"customer":"x","opened_at":"2026-01-01T00:00:00Z","resolved_at":"no"}`},
		{"POST", "/api/v1/responses", `[{"survey":"nps",}]`},
		{"POST", "/api/v1/responses", "[{\"survey\":\"nps\",\n\"x\":1}]"},
		{"POST", "/api/v1/responses", `{"survey":"nps","score":11,"submitted_at":"2026-01-01T00:00:00Z","attributes":{"a":[1]}}`},
		{"POST", "/api/v1/responses", `{"survey":"nps","score":1.5,"submitted_at":"2026-01-01T00:00:00Z"}`},
		{"POST", "/api/v1/responses", `{"survey":"nps","score":5,"submitted_at":"2026-01-01T00:00:00Z"}`},
		{"POST", "/api/v1/customers", `{"external_id":"x","email":"bad"}`},
		{"GET", "/api/v1/responses?from=x", ``},
		{"POST", "/api/v1/events", `{"customer":"x","type":"purchase","occurred_at":"2026-01-01T00:00:00Z","value":-1}`},
		{"POST", "/api/v1/events", `{"customer":"x","type":"purchase","occurred_at":"2026-01-01T00:00:00Z","value":"1"}`},
	} {
		r := e.do(c[0], c[1], e.keyA, c[2])
		fmt.Printf("%s %s %.60s\n  -> %d %s", c[0], c[1], c[2], r.status, r.body)
	}
}

func BenchmarkZZNDJSON(b *testing.B) {
	var buf []byte
	for i := range 1000 {
		buf = append(buf, fmt.Sprintf(`{"survey":"nps","customer":"cust-%d","score":%d,"submitted_at":"2026-03-01T10:%02d:00Z","comment":"fast delivery, friendly staff","channel":"email","attributes":{"plan":"pro"}}`+"\n", i, i%11, i%60)...)
	}
	arr := []byte("[" + string(buf[:len(buf)-1]) + "]")
	arr = []byte(strings.ReplaceAll(string(arr), "}\n{", "},{"))
	b.Run("ndjson", func(b *testing.B) {
		for b.Loop() {
			if _, err := decodeItems[cx.Response](bytes.NewReader(buf), true); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("array", func(b *testing.B) {
		for b.Loop() {
			if _, err := decodeItems[cx.Response](bytes.NewReader(arr), false); err != nil {
				b.Fatal(err)
			}
		}
	})
}
