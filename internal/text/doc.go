// Package text analyses the free-text comments of survey responses in
// English, Chinese (Simplified and Traditional) and Romanian, offline and in
// pure Go.
//
// The pipeline for a comment is DetectLanguage → Normalize (→ ToSimplified
// for Chinese) → Tokenizer (gse word segmentation for Chinese, with an
// embedded dictionary), wrapped by Analyzer. On top of it: stopwords
// (IsStopword), collocations (Collocations), sentence splitting
// (SplitSentences), and sentiment per comment and per sentence (Sentiment),
// from a workspace's own calibrated model (Train, TrainFromScores) or, with
// too few scored comments, from the builtin lexicon (BuiltinLexicon). Every
// prediction says which model produced it.
//
// The evaluation metrics (Accuracy, MacroF1, ROCAUC, MacroAUC,
// ExpectedCalibrationError, BrierScore) and the dataset split (IsTestRow)
// live here too, so bench/text and the tests use one implementation.
// Embedded data and its sources and licences are described in
// data/SOURCE.md.
package text
