package text

// ScoredComment is a survey comment with the score given with it, the raw
// material of a workspace model.
type ScoredComment struct {
	Kind  string // survey kind: "nps", "csat" or "ces"
	Score int
	Text  string
	Lang  Lang // "" to detect
}

// TrainFromScores trains a workspace model from scored comments: each
// comment is labelled by LabelFromScore and analysed by a. Neutral scores
// (NPS passives, CSAT 3, CES 4) are left out unless withNeutral is set,
// which trains a three-class model. Comments without text or with an
// unknown kind or out-of-range score are skipped. It returns
// ErrTooFewExamples (wrapped) when the workspace should keep using the
// builtin lexicon.
func TrainFromScores(a *Analyzer, comments []ScoredComment, withNeutral bool, opts TrainOptions) (*Model, TrainReport, error) {
	var ex []Example
	for _, c := range comments {
		if c.Text == "" {
			continue
		}
		label, ok := LabelFromScore(c.Kind, c.Score)
		if !ok || label == Neutral && !withNeutral {
			continue
		}
		var doc Document
		if c.Lang == "" {
			doc = a.Analyze(c.Text)
		} else {
			doc = a.AnalyzeAs(c.Text, c.Lang)
		}
		ex = append(ex, Example{Tokens: doc.Tokens, Label: label, Lang: doc.Lang})
	}
	return Train(ex, opts)
}
