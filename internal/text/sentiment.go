package text

import "fmt"

// Polarity is a sentiment class.
type Polarity int

// The sentiment classes, in the order of Prediction.Probs.
const (
	Negative Polarity = iota
	Neutral
	Positive
)

// String returns "negative", "neutral" or "positive".
func (p Polarity) String() string {
	switch p {
	case Negative:
		return "negative"
	case Neutral:
		return "neutral"
	case Positive:
		return "positive"
	}
	return fmt.Sprintf("Polarity(%d)", int(p))
}

// Names of the models a Prediction can come from.
const (
	ModelWorkspace = "workspace" // trained on the workspace's own scored comments
	ModelBuiltin   = "builtin"   // the lexicon shipped with the binary
)

// Prediction is the sentiment of a comment or sentence.
type Prediction struct {
	Label Polarity
	// Probs are the probabilities of Negative, Neutral and Positive; a
	// two-class model leaves Neutral at 0.
	Probs [3]float64
	// Score is Probs[Positive] − Probs[Negative], in −1..1.
	Score float64
	Model string // ModelWorkspace or ModelBuiltin
}

// finish sets Label and Score from Probs.
func (p *Prediction) finish() {
	best := Negative
	for c := Neutral; c <= Positive; c++ {
		if p.Probs[c] > p.Probs[best] {
			best = c
		}
	}
	p.Label = best
	p.Score = p.Probs[Positive] - p.Probs[Negative]
}

// LabelFromScore maps a survey score to the polarity it stands for when
// training a workspace model: NPS 9–10 positive, 0–6 negative, 7–8
// neutral; CSAT (1–5) 4–5 positive, 1–2 negative, 3 neutral; CES (1–7)
// 5–7 positive, 1–3 negative, 4 neutral. ok is false for an unknown kind
// or a score out of range. Train two-class models on the non-neutral
// labels only.
func LabelFromScore(kind string, score int) (p Polarity, ok bool) {
	switch kind {
	case "nps":
		switch {
		case score < 0 || score > 10:
			return 0, false
		case score >= 9:
			return Positive, true
		case score >= 7:
			return Neutral, true
		}
		return Negative, true
	case "csat":
		switch {
		case score < 1 || score > 5:
			return 0, false
		case score >= 4:
			return Positive, true
		case score == 3:
			return Neutral, true
		}
		return Negative, true
	case "ces":
		switch {
		case score < 1 || score > 7:
			return 0, false
		case score >= 5:
			return Positive, true
		case score == 4:
			return Neutral, true
		}
		return Negative, true
	}
	return 0, false
}

// Predictor scores tokenised text; *Model and *Lexicon are Predictors.
type Predictor interface {
	Predict(tokens []string) Prediction
}

// Sentiment scores comments and their sentences with a workspace model
// when there is one that covers the comment's language (Model.Covers), and
// with the builtin lexicon otherwise. Each prediction names the model used.
type Sentiment struct {
	analyzer  *Analyzer
	workspace *Model
	builtin   *Lexicon
}

// NewSentiment returns a scorer that analyses text with a and uses
// workspace (nil when the workspace has too few labelled comments) before
// the builtin lexicon.
func NewSentiment(a *Analyzer, workspace *Model) *Sentiment {
	return &Sentiment{analyzer: a, workspace: workspace, builtin: BuiltinLexicon()}
}

// CommentSentiment is the sentiment of a comment and of each of its
// sentences.
type CommentSentiment struct {
	Lang      Lang
	Overall   Prediction
	Sentences []SentenceSentiment
}

// SentenceSentiment is the sentiment of one sentence.
type SentenceSentiment struct {
	Sentence
	Prediction
}

// Comment scores a comment as a whole and sentence by sentence.
func (s *Sentiment) Comment(text string) CommentSentiment {
	lang := DetectLanguage(text).Lang
	doc := s.analyzer.AnalyzeAs(text, lang)
	pr := s.predictor(lang)
	out := CommentSentiment{Lang: lang, Overall: pr.Predict(doc.Tokens)}
	sents := SplitSentences(text)
	if len(sents) == 1 {
		return CommentSentiment{Lang: lang, Overall: out.Overall, Sentences: []SentenceSentiment{{Sentence: sents[0], Prediction: out.Overall}}}
	}
	for _, sen := range sents {
		d := s.analyzer.AnalyzeAs(sen.Text, lang)
		out.Sentences = append(out.Sentences, SentenceSentiment{Sentence: sen, Prediction: pr.Predict(d.Tokens)})
	}
	return out
}

// Document scores an already analysed text.
func (s *Sentiment) Document(doc Document) Prediction {
	return s.predictor(doc.Lang).Predict(doc.Tokens)
}

func (s *Sentiment) predictor(lang Lang) Predictor {
	if s.workspace != nil && s.workspace.Covers(lang) {
		return s.workspace
	}
	return s.builtin
}
