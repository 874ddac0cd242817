package text

// Analyzer runs the language pipeline on a comment: detect, normalise,
// map Traditional to Simplified Chinese, tokenise. It is safe for
// concurrent use.
type Analyzer struct {
	tok *Tokenizer
}

// AnalyzerOptions configure an Analyzer; the zero value is the default.
type AnalyzerOptions struct {
	// Segmenter cuts Chinese; nil means DefaultSegmenter, loaded on the
	// first Chinese text.
	Segmenter *Segmenter
	// FastChinese cuts Chinese by the dictionary alone (Segmenter.Cut)
	// instead of with the HMM for unknown words (Segmenter.CutHMM): 2.5
	// times faster on the ingest path (themes.BenchmarkIngestPath200ChineseFast
	// against ...Chinese, per CPU-second, 2026-11-24) with the same
	// sentiment quality, but words missing from the dictionary (送餐) come
	// out as single characters, so leave it off where words are shown to
	// people.
	FastChinese bool
}

// NewAnalyzer returns an analyzer configured by opts.
func NewAnalyzer(opts AnalyzerOptions) *Analyzer {
	return &Analyzer{tok: NewTokenizer(opts.Segmenter, opts.FastChinese)}
}

// Document is an analysed comment.
type Document struct {
	Lang       Lang
	Normalized string   // Normalize(text), in Simplified script for Chinese
	Tokens     []string // tokens of Normalized
}

// Analyze detects the language of text and analyses it as that language.
func (a *Analyzer) Analyze(text string) Document {
	return a.AnalyzeAs(text, DetectLanguage(text).Lang)
}

// AnalyzeAs analyses text as lang, for comments whose language is known
// (a survey's language, a response's stored language).
func (a *Analyzer) AnalyzeAs(text string, lang Lang) Document {
	n := Normalize(text)
	if lang.IsChinese() {
		n = ToSimplified(n)
	}
	return Document{Lang: lang, Normalized: n, Tokens: a.tok.Tokens(n)}
}

// AppendTokens appends the tokens of text analysed as lang to dst, as
// AnalyzeAs(text, lang).Tokens would give them, for callers that reuse a
// buffer or gather the tokens of several sentences in one slice.
func (a *Analyzer) AppendTokens(dst []string, text string, lang Lang) []string {
	n := Normalize(text)
	if lang.IsChinese() {
		n = ToSimplified(n)
	}
	return a.tok.AppendTokens(dst, n)
}
