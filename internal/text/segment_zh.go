package text

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"sync"

	"github.com/go-ego/gse"
)

// zhDict is gse's simplified-Chinese dictionary cut to its 140,151 words of
// frequency ≥ 5 (data/mkdict.go, data/SOURCE.md). gse's own embedded
// dictionaries are not used: LoadDictEmbed links the Japanese and both
// Chinese dictionaries into the binary (+33 MB) and loads 350,000 words.
//
//go:embed data/zh_dict.txt.gz
var zhDict []byte

// Segmenter cuts Chinese text into words with gse (dictionary DAG, and
// optionally its HMM for unknown words). It is safe for concurrent use once
// built.
type Segmenter struct {
	seg gse.Segmenter
}

// NewSegmenter builds a segmenter from the embedded dictionary, without
// network or file access. It takes a few hundred milliseconds; most callers
// share DefaultSegmenter.
func NewSegmenter() (*Segmenter, error) {
	zr, err := gzip.NewReader(bytes.NewReader(zhDict))
	if err != nil {
		return nil, fmt.Errorf("text: segmenter dictionary: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("text: segmenter dictionary: %w", err)
	}
	s := &Segmenter{}
	s.seg.SkipLog = true
	if err := s.seg.LoadDictStr(string(raw)); err != nil {
		return nil, fmt.Errorf("text: segmenter dictionary: %w", err)
	}
	return s, nil
}

// defaultSegmenter loads the dictionary once per process, on first use.
var defaultSegmenter = sync.OnceValues(NewSegmenter)

// DefaultSegmenter returns the process-wide segmenter, built on first use.
// It panics if the embedded dictionary is corrupt, which a test catches.
func DefaultSegmenter() *Segmenter {
	s, err := defaultSegmenter()
	if err != nil {
		panic(err)
	}
	return s
}

// Cut splits a run of Chinese text into words by the dictionary alone (the
// most probable path through the word DAG). Punctuation and spaces come back
// as their own pieces; callers filter them. On the waimai validation rows
// it gives the same sentiment macro-F1 as CutHMM (0.879 against 0.877) at
// 1.5 times the speed, because character-pair features cover words missing
// from the dictionary; but those words come out as single characters.
func (s *Segmenter) Cut(text string) []string {
	return s.seg.Cut(text, false)
}

// CutHMM is Cut with gse's hidden Markov model joining the characters of
// words missing from the dictionary (送餐, 太慢), as jieba does. Tokenizer
// uses it unless told to be fast.
func (s *Segmenter) CutHMM(text string) []string {
	return s.seg.Cut(text, true)
}
