//go:build ignore

// mkdict writes zh_dict.txt.gz, the Chinese segmentation dictionary
// embedded by package text: the words of gse's simplified-Chinese
// dictionary (data/dict/zh/s_1.txt, Apache-2.0 OR MIT) whose frequency is at
// least -min, as "word freq" lines. Run from this directory:
//
//	go run mkdict.go -src $(go env GOMODCACHE)/github.com/go-ego/gse@v0.80.3/data/dict/zh/s_1.txt
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"
)

func main() {
	src := flag.String("src", "", "gse s_1.txt")
	minFreq := flag.Float64("min", 5, "minimum word frequency kept")
	out := flag.String("out", "zh_dict.txt.gz", "output file")
	flag.Parse()
	in, err := os.Open(*src)
	if err != nil {
		log.Fatal(err)
	}
	defer in.Close()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(zw)
	sc := bufio.NewScanner(in)
	kept := 0
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		freq, err := strconv.ParseFloat(fields[1], 64)
		if err != nil || freq < *minFreq {
			continue
		}
		fmt.Fprintf(w, "%s %s\n", fields[0], fields[1])
		kept++
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	log.Printf("kept %d words", kept)
}
