package transfer

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// BenchmarkImportResponsesCSV measures a CSV import of NPS responses into
// SQLite, end to end (parse, convert, validate, derive keys, store), in
// rows/s. Each iteration imports fresh rows.
func BenchmarkImportResponsesCSV(b *testing.B) {
	db := storetest.New(b, store.SQLite, store.Options{})
	ws := newWorkspace(b, db)
	const rows = 10000
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		var src bytes.Buffer
		src.WriteString("survey,customer,score,comment,submitted_at,channel,plan\n")
		for j := range rows {
			k := n + j
			fmt.Fprintf(&src, "nps,cust-%d,%d,Delivery was quick but the app keeps logging me out,2026-01-%02dT%02d:%02d:%02dZ,email,pro\n",
				k%20000, k%11, 1+k%28, k%24, k%60, (k/60)%60)
		}
		n += rows
		b.StartTimer()
		im := Importer{DB: db, Workspace: ws, Type: Responses, Format: CSV}
		if _, err := im.Import(context.Background(), &src); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "rows/s")
}
