package httpapi

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// BenchmarkPostResponses posts batches of 1,000 NPS responses over HTTP
// (httptest.Server on loopback) to SQLite and PostgreSQL, through the whole
// stack (auth, streaming decode, store, answer), one request at a time, and
// reports responses per second.
func BenchmarkPostResponses(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(d, func(b *testing.B) { benchmarkPostResponses(b, storetest.New(b, d, store.Options{})) })
	}
}

func benchmarkPostResponses(b *testing.B, db *store.DB) {
	e := newEnv(b, db)
	const batch = 1000
	bodies := make([][]byte, 16)
	for n := range bodies {
		var buf bytes.Buffer
		buf.WriteByte('[')
		for i := range batch {
			if i > 0 {
				buf.WriteByte(',')
			}
			fmt.Fprintf(&buf, `{"survey":"nps","customer":"cust-%d","score":%d,"submitted_at":"2026-03-01T10:%02d:00Z","comment":"fast delivery, friendly staff","channel":"email","attributes":{"plan":"pro"}}`,
				(n*batch+i)%5000, i%11, i%60)
		}
		buf.WriteByte(']')
		bodies[n] = buf.Bytes()
	}
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	client := srv.Client()
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; b.Loop(); i++ {
		req, err := http.NewRequest("POST", srv.URL+"/api/v1/responses", bytes.NewReader(bodies[i%len(bodies)]))
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+e.keyA)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			b.Fatalf("status %d: %s", resp.StatusCode, body)
		}
	}
	b.ReportMetric(float64(b.N*batch)/time.Since(start).Seconds(), "responses/s")
}

// BenchmarkDecodeItems measures decoding alone: 1,000 responses as a JSON
// array and as NDJSON.
func BenchmarkDecodeItems(b *testing.B) {
	var nd []byte
	for i := range 1000 {
		nd = fmt.Appendf(nd, `{"survey":"nps","customer":"cust-%d","score":%d,"submitted_at":"2026-03-01T10:%02d:00Z","comment":"fast delivery, friendly staff","channel":"email","attributes":{"plan":"pro"}}`+"\n", i, i%11, i%60)
	}
	arr := append([]byte{'['}, bytes.ReplaceAll(bytes.TrimSpace(nd), []byte("}\n{"), []byte("},{"))...)
	arr = append(arr, ']')
	for _, c := range []struct {
		name   string
		body   []byte
		ndjson bool
	}{{"array", arr, false}, {"ndjson", nd, true}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.body)))
			for b.Loop() {
				d, err := decodeItems[cx.Response](bytes.NewReader(c.body), c.ndjson, int64(len(c.body)))
				if err != nil || len(d.items) != 1000 {
					b.Fatal(len(d.items), err)
				}
			}
		})
	}
}
