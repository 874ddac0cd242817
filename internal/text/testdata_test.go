package text

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
)

// sliceRow is one row of a testdata/sentiment_*.csv slice.
type sliceRow struct {
	split string // "train" or "test"
	label Polarity
	text  string
}

func readSlice(t testing.TB, name string) []sliceRow {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []sliceRow
	for _, r := range recs[1:] {
		var p Polarity
		switch r[2] {
		case "negative":
			p = Negative
		case "neutral":
			p = Neutral
		case "positive":
			p = Positive
		default:
			t.Fatalf("%s: label %q", name, r[2])
		}
		rows = append(rows, sliceRow{split: r[1], label: p, text: r[3]})
	}
	return rows
}
