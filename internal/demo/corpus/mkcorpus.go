//go:build ignore

// mkcorpus writes the demo comment corpus (en.csv, zh.csv, ro.csv) from the
// source datasets described in SOURCE.md. Run it from this directory:
//
//	go run mkcorpus.go -data /work/shared/data
//
// The slice is deterministic: within each label, rows that pass the filters
// are taken every k-th (k = filtered count / target), in file order.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"html"
	"io"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

func main() {
	data := flag.String("data", "/work/shared/data", "folder holding airline-tweets/, zh-waimai-10k/, ro-laroseda/")
	flag.Parse()
	if err := english(filepath.Join(*data, "airline-tweets", "tweets.csv")); err != nil {
		log.Fatal(err)
	}
	if err := chinese(filepath.Join(*data, "zh-waimai-10k", "waimai_10k.csv")); err != nil {
		log.Fatal(err)
	}
	if err := romanian(filepath.Join(*data, "ro-laroseda", "laroseda.csv")); err != nil {
		log.Fatal(err)
	}
}

// readCSV returns the header and rows of a CSV file.
func readCSV(path string) (map[string]int, [][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		rows = append(rows, rec)
	}
	return col, rows, nil
}

// everyK keeps every k-th candidate so that about target remain.
func everyK[T any](cands []T, target int) []T {
	if len(cands) <= target {
		return cands
	}
	k := len(cands) / target
	var out []T
	for i := 0; i < len(cands) && len(out) < target; i += k {
		out = append(out, cands[i])
	}
	return out
}

func write(path string, head []string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(head)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

var (
	leadingHandles = regexp.MustCompile(`^(\s*@\w+[:,]?\s*)+`)
	airlineHandle  = regexp.MustCompile(`(?i)@(united|usairways|americanair|southwestair|jetblue|virginamerica|delta|deltaassist)\b`)
	otherHandle    = regexp.MustCompile(`@\w+`)
	airlineName    = regexp.MustCompile(`(?i)(virgin ?america|united ?airlines|southwest ?air(lines)?|delta ?air ?lines|us ?airways|american ?air(lines)?|jet ?blue|southwest|\bunited\b|\bdelta\b)`)
	url            = regexp.MustCompile(`https?://\S+`)
	spaces         = regexp.MustCompile(`\s+`)
	contrast       = regexp.MustCompile(`但|不过|可惜|只是`)
)

// cleanTweet makes a tweet read like a comment about a generic company.
func cleanTweet(s string) string {
	s = html.UnescapeString(s)
	// Undo a find-and-replace the upstream dataset suffered (its labels were
	// pasted into the text: "Cancelled Flightled" was "cancelled").
	s = strings.NewReplacer("Cancelled Flight", "cancel", "Late Flight", "late", "Flight Booking Problems", "booking").Replace(s)
	s = url.ReplaceAllString(s, "")
	s = spaces.ReplaceAllString(s, " ")
	s = leadingHandles.ReplaceAllString(s, "")
	s = airlineHandle.ReplaceAllString(s, "@Acme")
	s = otherHandle.ReplaceAllStringFunc(s, func(h string) string {
		if h == "@Acme" {
			return h
		}
		return "@someone"
	})
	s = airlineName.ReplaceAllString(s, "Acme")
	return strings.TrimSpace(s)
}

func english(path string) error {
	col, rows, err := readCSV(path)
	if err != nil {
		return err
	}
	targets := map[string]int{"negative": 700, "neutral": 400, "positive": 400}
	cands := map[string][][]string{}
	seen := map[string]bool{}
	for _, r := range rows {
		sent := r[col["airline_sentiment"]]
		conf, _ := strconv.ParseFloat(r[col["airline_sentiment_confidence"]], 64)
		reason := r[col["negativereason"]]
		rconf, _ := strconv.ParseFloat(r[col["negativereason_confidence"]], 64)
		if conf < 0.8 || (sent == "negative" && rconf < 0.6) {
			continue
		}
		text := cleanTweet(r[col["text"]])
		if len(text) < 30 || len(strings.Fields(text)) < 5 || seen[text] {
			continue
		}
		seen[text] = true
		cands[sent] = append(cands[sent], []string{r[col["tweet_id"]], sent, reason, text})
	}
	var out [][]string
	for _, s := range []string{"negative", "neutral", "positive"} {
		out = append(out, everyK(cands[s], targets[s])...)
	}
	return write("en.csv", []string{"tweet_id", "sentiment", "negativereason", "text"}, out)
}

func chinese(path string) error {
	col, rows, err := readCSV(path)
	if err != nil {
		return err
	}
	cands := map[string][][]string{}
	seen := map[string]bool{}
	for i, r := range rows {
		text := strings.TrimSpace(r[col["review"]])
		n := utf8.RuneCountInString(text)
		if n < 6 || n > 120 || seen[text] {
			continue
		}
		seen[text] = true
		label := r[col["label"]]
		key := label
		if label == "1" && contrast.MatchString(text) {
			key = "1-mixed" // positive with a "but": the demo's mixed pool
		}
		cands[key] = append(cands[key], []string{strconv.Itoa(i + 1), label, text})
	}
	out := append(everyK(cands["0"], 600), everyK(cands["1"], 600)...)
	out = append(out, everyK(cands["1-mixed"], 400)...)
	return write("zh.csv", []string{"row", "label", "review"}, out)
}

func romanian(path string) error {
	col, rows, err := readCSV(path)
	if err != nil {
		return err
	}
	cands := map[string][][]string{}
	seen := map[string]bool{}
	for _, r := range rows {
		text := spaces.ReplaceAllString(strings.TrimSpace(r[col["content"]]), " ")
		if len(text) < 30 || len(text) > 400 || seen[text] {
			continue
		}
		seen[text] = true
		stars := r[col["star_rating"]]
		cands[stars] = append(cands[stars], []string{r[col["index"]], stars, text})
	}
	var out [][]string
	for _, s := range []string{"1", "2", "4", "5"} {
		out = append(out, everyK(cands[s], 300)...)
	}
	return write("ro.csv", []string{"index", "star_rating", "content"}, out)
}
