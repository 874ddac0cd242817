// Command text evaluates cxlens's text pipeline (internal/text) on the
// public datasets in ../shared/data: language detection, the workspace
// sentiment model trained on each dataset's training rows, the builtin
// lexicon, and throughput. Rows with index % 10 == 7 are the test slice;
// models train on the other rows only.
//
//	go run ./bench/text [-data ../shared/data] [-seconds 2]
package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/text"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench/text:", err)
		os.Exit(1)
	}
}

// dataset is one labelled corpus.
type dataset struct {
	name    string
	lang    text.Lang
	texts   []string
	labels  []text.Polarity
	classes []text.Polarity
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench/text", flag.ContinueOnError)
	dataDir := fs.String("data", "../shared/data", "directory holding the datasets")
	seconds := fs.Float64("seconds", 2, "seconds per throughput measurement")
	fastZh := fs.Bool("fast-zh", false, "cut Chinese without the HMM (AnalyzerOptions.FastChinese)")
	phrases := fs.Int("phrases", 0, "also print this many collocations per dataset (training rows, count ≥ 20, NPMI ≥ 0.3)")
	scaleTrain := fs.Int("train-scale", 0, "also time Train on this many comments (the training rows of all datasets, repeated)")
	validate := fs.Bool("validate", false, "tune: evaluate on training rows with index % 10 == 3 instead of the test slice, training on the remaining training rows")
	var opts text.TrainOptions
	fs.IntVar(&opts.Epochs, "epochs", 0, "training epochs (0: default)")
	fs.Float64Var(&opts.L2, "l2", 0, "L2 penalty (0: default)")
	fs.Float64Var(&opts.Rate, "rate", 0, "AdaGrad rate (0: default)")
	fs.IntVar(&opts.HashBits, "bits", 0, "hash bits (0: default)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	start := time.Now()
	seg, err := text.NewSegmenter()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Chinese segmenter dictionary load: %v\n\n", time.Since(start).Round(time.Millisecond))
	an := text.NewAnalyzer(text.AnalyzerOptions{Segmenter: seg, FastChinese: *fastZh})

	sets, err := loadAll(*dataDir)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "| dataset | lang | test rows | detect acc | workspace acc | workspace macro-F1 | workspace AUC | ECE | Brier | train s | builtin acc | builtin macro-F1 | comments/s |\n")
	fmt.Fprintf(stdout, "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, d := range sets {
		r, err := evaluate(d, an, *seconds, *validate, opts)
		if err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
		fmt.Fprintf(stdout, "| %s | %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.1f | %.3f | %.3f | %.0f |\n",
			d.name, d.lang, r.testRows, r.detectAcc, r.wsAcc, r.wsF1, r.wsAUC, r.ece, r.brier, r.trainSeconds, r.builtinAcc, r.builtinF1, r.perSecond)
	}
	if *scaleTrain > 0 {
		var pool []text.Example
		for _, d := range sets {
			for i, t := range d.texts {
				if !text.IsTestRow(i) && d.labels[i] != text.Neutral {
					pool = append(pool, text.Example{Tokens: an.AnalyzeAs(t, d.lang).Tokens, Label: d.labels[i]})
				}
			}
		}
		ex := make([]text.Example, *scaleTrain)
		for i := range ex {
			ex[i] = pool[i%len(pool)]
		}
		t0 := time.Now()
		if _, _, err := text.Train(ex, opts); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\ntraining on %d comments (5 calibration folds + final fit): %.1f s\n", len(ex), time.Since(t0).Seconds())
	}
	if *phrases > 0 {
		fmt.Fprintln(stdout)
		for _, d := range sets {
			var docs [][]string
			for i, t := range d.texts {
				if !text.IsTestRow(i) {
					docs = append(docs, an.AnalyzeAs(t, d.lang).Tokens)
				}
			}
			ps := text.Collocations(docs, d.lang, 20, 0.3)
			var out []string
			for _, p := range ps[:min(*phrases, len(ps))] {
				out = append(out, fmt.Sprintf("%s (%d, %.2f)", p.Text, p.Count, p.NPMI))
			}
			fmt.Fprintf(stdout, "phrases %s: %s\n", d.name, strings.Join(out, " · "))
		}
	}
	fmt.Fprintf(stdout, "\nthroughput: detect + normalise + tokenise + workspace sentiment, one goroutine, GOMAXPROCS=%d\n", runtime.GOMAXPROCS(0))
	return nil
}

type result struct {
	testRows                 int
	detectAcc                float64
	wsAcc, wsF1, wsAUC       float64
	ece, brier, trainSeconds float64
	builtinAcc, builtinF1    float64
	perSecond                float64
}

func evaluate(d dataset, an *text.Analyzer, seconds float64, validate bool, opts text.TrainOptions) (result, error) {
	var r result
	classIndex := map[text.Polarity]int{}
	for i, c := range d.classes {
		classIndex[c] = i
	}
	var train []text.Example
	var testTok [][]string
	var testTruth []int
	var testTexts []string
	detected := 0
	for i, t := range d.texts {
		doc := an.AnalyzeAs(t, d.lang)
		isEval := text.IsTestRow(i)
		if validate {
			if isEval {
				continue
			}
			isEval = i%10 == 3
		}
		if !isEval {
			train = append(train, text.Example{Tokens: doc.Tokens, Label: d.labels[i]})
			continue
		}
		if text.DetectLanguage(t).Lang == d.lang {
			detected++
		}
		testTok = append(testTok, doc.Tokens)
		testTruth = append(testTruth, classIndex[d.labels[i]])
		testTexts = append(testTexts, t)
	}
	r.testRows = len(testTok)
	r.detectAcc = float64(detected) / float64(len(testTok))

	t0 := time.Now()
	m, _, err := text.Train(train, opts)
	if err != nil {
		return r, err
	}
	r.trainSeconds = time.Since(t0).Seconds()
	k := len(d.classes)
	pred := make([]int, len(testTok))
	probs := make([][]float64, len(testTok))
	bpred := make([]int, len(testTok))
	lex := text.BuiltinLexicon()
	for i, toks := range testTok {
		p := m.Predict(toks)
		probs[i] = make([]float64, k)
		for j, c := range d.classes {
			probs[i][j] = p.Probs[c]
		}
		pred[i] = argmax(probs[i])
		b := lex.Predict(toks)
		switch {
		case k == 2 && b.Probs[text.Positive] >= b.Probs[text.Negative]:
			bpred[i] = classIndex[text.Positive]
		case k == 2:
			bpred[i] = classIndex[text.Negative]
		default:
			bpred[i] = classIndex[b.Label]
		}
	}
	r.wsAcc = text.Accuracy(testTruth, pred)
	r.wsF1 = text.MacroF1(testTruth, pred, k)
	if k == 2 {
		s := make([]float64, len(probs))
		pos := make([]bool, len(probs))
		for i := range probs {
			s[i] = probs[i][1]
			pos[i] = testTruth[i] == 1
		}
		r.wsAUC = text.ROCAUC(s, pos)
	} else {
		r.wsAUC = text.MacroAUC(probs, testTruth, k)
	}
	r.ece = text.ExpectedCalibrationError(probs, testTruth, 10)
	r.brier = text.BrierScore(probs, testTruth)
	r.builtinAcc = text.Accuracy(testTruth, bpred)
	r.builtinF1 = text.MacroF1(testTruth, bpred, k)

	// Throughput: the full path a new comment takes.
	n := 0
	deadline := time.Now().Add(time.Duration(seconds * float64(time.Second)))
	t1 := time.Now()
	for time.Now().Before(deadline) {
		for _, t := range testTexts {
			lang := text.DetectLanguage(t).Lang
			doc := an.AnalyzeAs(t, lang)
			m.Predict(doc.Tokens)
		}
		n += len(testTexts)
	}
	r.perSecond = float64(n) / time.Since(t1).Seconds()
	return r, nil
}

func argmax(p []float64) int {
	best := 0
	for i := range p {
		if p[i] > p[best] {
			best = i
		}
	}
	return best
}

func loadAll(dir string) ([]dataset, error) {
	var out []dataset
	air, err := readCSV(filepath.Join(dir, "airline-tweets", "tweets.csv"))
	if err != nil {
		return nil, err
	}
	d := dataset{name: "airline-tweets (3 classes)", lang: text.LangEnglish, classes: []text.Polarity{text.Negative, text.Neutral, text.Positive}}
	for _, row := range air.rows {
		d.texts = append(d.texts, row[air.col["text"]])
		switch row[air.col["airline_sentiment"]] {
		case "negative":
			d.labels = append(d.labels, text.Negative)
		case "neutral":
			d.labels = append(d.labels, text.Neutral)
		case "positive":
			d.labels = append(d.labels, text.Positive)
		default:
			return nil, fmt.Errorf("airline: unknown sentiment %q", row[air.col["airline_sentiment"]])
		}
	}
	out = append(out, d)

	wm, err := readCSV(filepath.Join(dir, "zh-waimai-10k", "waimai_10k.csv"))
	if err != nil {
		return nil, err
	}
	d = dataset{name: "zh-waimai-10k", lang: text.LangChineseSimplified, classes: []text.Polarity{text.Negative, text.Positive}}
	for _, row := range wm.rows {
		d.texts = append(d.texts, row[wm.col["review"]])
		d.labels = append(d.labels, binary(row[wm.col["label"]] == "1"))
	}
	out = append(out, d)

	ro, err := readCSV(filepath.Join(dir, "ro-laroseda", "laroseda.csv"))
	if err != nil {
		return nil, err
	}
	d = dataset{name: "ro-laroseda", lang: text.LangRomanian, classes: []text.Polarity{text.Negative, text.Positive}}
	for _, row := range ro.rows {
		d.texts = append(d.texts, row[ro.col["title"]]+"\n"+row[ro.col["content"]])
		d.labels = append(d.labels, binary(row[ro.col["polarity"]] == "positive"))
	}
	out = append(out, d)
	return out, nil
}

func binary(pos bool) text.Polarity {
	if pos {
		return text.Positive
	}
	return text.Negative
}

type table struct {
	col  map[string]int
	rows [][]string
}

func readCSV(path string) (*table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	t := &table{col: map[string]int{}}
	for i, h := range header {
		t.col[strings.TrimSpace(h)] = i
	}
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		t.rows = append(t.rows, row)
	}
	return t, nil
}
