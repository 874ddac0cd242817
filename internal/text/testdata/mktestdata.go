//go:build ignore

// mktestdata copies the small, deterministic slices of the evaluation
// datasets that the package tests use (see SOURCE.md). Run from this
// directory:
//
//	go run mktestdata.go -data /work/shared/data
package main

import (
	"encoding/csv"
	"flag"
	"log"
	"os"
	"path/filepath"
)

func main() {
	data := flag.String("data", "../../../../shared/data", "dataset directory")
	flag.Parse()
	// Training rows: index % 20 == 3 (never in the test slice); test rows:
	// index % 20 == 7 (inside the bench's index % 10 == 7 test slice).
	// Romanian reviews are long, so every 40th row is taken instead.
	copySlice(filepath.Join(*data, "airline-tweets/tweets.csv"), "sentiment_en.csv", 20, func(col map[string]int, row []string) (string, string) {
		return row[col["airline_sentiment"]], row[col["text"]]
	})
	copySlice(filepath.Join(*data, "zh-waimai-10k/waimai_10k.csv"), "sentiment_zh.csv", 20, func(col map[string]int, row []string) (string, string) {
		label := "negative"
		if row[col["label"]] == "1" {
			label = "positive"
		}
		return label, row[col["review"]]
	})
	copySlice(filepath.Join(*data, "ro-laroseda/laroseda.csv"), "sentiment_ro.csv", 40, func(col map[string]int, row []string) (string, string) {
		return row[col["polarity"]], row[col["title"]] + "\n" + row[col["content"]]
	})
}

func copySlice(src, dst string, every int, pick func(map[string]int, []string) (label, text string)) {
	f, err := os.Open(src)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		log.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	out, err := os.Create(dst)
	if err != nil {
		log.Fatal(err)
	}
	w := csv.NewWriter(out)
	w.Write([]string{"row", "split", "label", "text"})
	for i, row := range rows[1:] {
		split := ""
		switch i % every {
		case 3:
			split = "train"
		case 7:
			split = "test"
		default:
			continue
		}
		label, text := pick(col, row)
		w.Write([]string{itoa(i), split, label, text})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		log.Fatal(err)
	}
	if err := out.Close(); err != nil {
		log.Fatal(err)
	}
}

func itoa(i int) string {
	b := []byte{}
	if i == 0 {
		return "0"
	}
	for i > 0 {
		b = append([]byte{byte('0' + i%10)}, b...)
		i /= 10
	}
	return string(b)
}
