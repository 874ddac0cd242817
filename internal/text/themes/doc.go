// Package themes tags free-text comments with the themes of a codeframe and
// measures what each theme does to the scores.
//
// A Codeframe is a validated hierarchy of themes, each with terms (words or
// phrases) per language; editing operations (Rename, Merge, Split, Move,
// AddTerms, RemoveTerms, Exclude) are pure functions returning a new
// codeframe. Starter returns the built-in codeframe for common CX domains in
// English, Simplified Chinese and Romanian; Discover proposes one from
// unlabelled comments. A Tagger assigns themes to a comment with the sentence
// that matched; Tags keeps a user's manual tags across re-runs. Analyze
// (volume, share, NPS and impact per theme) and Emerging (rising shares
// between two periods) compute theme analytics on top of internal/metrics.
// NMI and Purity score discovered themes against known labels.
package themes
