package text

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Minimum training data for a workspace model; with less, Train returns
// ErrTooFewExamples and callers fall back to the builtin lexicon.
// A workspace model answers for a language only when it saw at least
// MinLanguageExamples comments in it.
const (
	MinTrainingExamples = 200
	MinClassExamples    = 50
	MinLanguageExamples = 100
)

// ErrTooFewExamples means there are too few labelled comments to train a
// workspace model.
var ErrTooFewExamples = errors.New("text: too few labelled comments to train a sentiment model")

// Example is one labelled comment for training: its tokens (from
// Analyzer) and the polarity its score stands for (LabelFromScore).
type Example struct {
	Tokens []string
	Label  Polarity
	Lang   Lang // optional; counted so the model knows which languages it covers
}

// TrainOptions tune Train; the zero value gives the defaults.
type TrainOptions struct {
	HashBits int     // feature space 2^HashBits; default 18
	Epochs   int     // passes of AdaGrad; default 10
	Rate     float64 // AdaGrad base learning rate; default 0.1
	L2       float64 // L2 penalty per example; default 1e-6
	Folds    int     // cross-fitting folds for calibration; default 5
	Seed     uint64  // shuffling seed; default 1
}

func (o TrainOptions) withDefaults() TrainOptions {
	if o.HashBits == 0 {
		o.HashBits = 18
	}
	if o.Epochs == 0 {
		o.Epochs = 10
	}
	if o.Rate == 0 {
		o.Rate = 0.1
	}
	if o.L2 == 0 {
		o.L2 = 1e-6
	}
	if o.Folds == 0 {
		o.Folds = 5
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	return o
}

// Model is a workspace's sentiment model: multinomial logistic regression
// with L2 penalty on hashed word, word-pair and Chinese character-pair
// features, with probabilities calibrated on out-of-fold predictions. It
// learns from any language mix; the features of each language are
// disjoint. A Model is read-only once trained and safe for concurrent use.
type Model struct {
	Classes     []Polarity // the classes seen in training, in Polarity order
	HashBits    int
	Weights     []float32 // len(Classes) weights per feature, feature-major
	Bias        []float64
	Calibration Calibration
	Trained     int            // examples used
	Languages   map[string]int // examples per base language (Lang.Base), when given
}

// Covers reports whether the model saw enough comments in lang to be used
// for it. A model trained without languages on its examples covers all.
func (m *Model) Covers(lang Lang) bool {
	if len(m.Languages) == 0 {
		return true
	}
	return m.Languages[lang.Base()] >= MinLanguageExamples
}

// TrainReport describes a training run.
type TrainReport struct {
	Examples    int
	PerClass    map[Polarity]int
	Calibration Calibration
	// ECE and Brier of the calibrated out-of-fold predictions (see
	// ExpectedCalibrationError and BrierScore).
	ECE, Brier float64
}

// Train fits a Model to examples: cross-fitted models on Folds folds give
// out-of-fold scores to fit the calibration (Platt scaling for two classes,
// temperature scaling for three), then a final model is fitted on all
// examples. Neutral examples make it a three-class model; leave them out
// for a positive/negative model. Classes are weighted to balance.
func Train(examples []Example, opts TrainOptions) (*Model, TrainReport, error) {
	opts = opts.withDefaults()
	rep := TrainReport{Examples: len(examples), PerClass: map[Polarity]int{}}
	for _, e := range examples {
		if e.Label < Negative || e.Label > Positive {
			return nil, rep, fmt.Errorf("text: train: label %d out of range", e.Label)
		}
		rep.PerClass[e.Label]++
	}
	var classes []Polarity
	for p := Negative; p <= Positive; p++ {
		if rep.PerClass[p] > 0 {
			classes = append(classes, p)
		}
	}
	if len(examples) < MinTrainingExamples || rep.PerClass[Negative] < MinClassExamples || rep.PerClass[Positive] < MinClassExamples {
		return nil, rep, fmt.Errorf("%w: %d examples, %d negative, %d positive (need %d, and %d of each)",
			ErrTooFewExamples, len(examples), rep.PerClass[Negative], rep.PerClass[Positive], MinTrainingExamples, MinClassExamples)
	}
	bits := uint(opts.HashBits)
	feats := make([][]feature, len(examples))
	labels := make([]int, len(examples))
	classIndex := map[Polarity]int{}
	for i, c := range classes {
		classIndex[c] = i
	}
	for i, e := range examples {
		feats[i] = extractFeatures(e.Tokens, bits, nil)
		labels[i] = classIndex[e.Label]
	}
	weights := make([]float64, len(classes))
	for i, c := range classes {
		weights[i] = float64(len(examples)) / (float64(len(classes)) * float64(rep.PerClass[c]))
	}

	// Out-of-fold scores for calibration.
	oof := make([][]float64, len(examples))
	for f := 0; f < opts.Folds; f++ {
		var train []int
		for i := range examples {
			if i%opts.Folds != f {
				train = append(train, i)
			}
		}
		m := fit(feats, labels, weights, train, classes, opts)
		for i := f; i < len(examples); i += opts.Folds {
			oof[i] = m.logits(feats[i])
		}
	}
	cal := fitCalibration(oof, labels, len(classes))
	final := fit(feats, labels, weights, nil, classes, opts)
	final.Calibration = cal
	final.Trained = len(examples)
	for _, e := range examples {
		if e.Lang != "" {
			if final.Languages == nil {
				final.Languages = map[string]int{}
			}
			final.Languages[e.Lang.Base()]++
		}
	}

	probs := make([][]float64, len(examples))
	for i := range oof {
		probs[i] = cal.apply(oof[i])
	}
	rep.Calibration = cal
	rep.ECE = ExpectedCalibrationError(probs, labels, 10)
	rep.Brier = BrierScore(probs, labels)
	return final, rep, nil
}

// fit runs AdaGrad (Duchi, Hazan & Singer 2011) on the weighted softmax
// log-loss with an L2 penalty applied to the weights an example touches.
// rows selects the examples (nil: all).
func fit(feats [][]feature, labels []int, classWeight []float64, rows []int, classes []Polarity, opts TrainOptions) *Model {
	k := len(classes)
	dim := 1 << uint(opts.HashBits)
	w := make([]float64, dim*k)
	g2 := make([]float64, dim*k)
	bias := make([]float64, k)
	bg2 := make([]float64, k)
	if rows == nil {
		rows = make([]int, len(feats))
		for i := range rows {
			rows[i] = i
		}
	} else {
		rows = append([]int(nil), rows...)
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x9e3779b97f4a7c15))
	z := make([]float64, k)
	for epoch := 0; epoch < opts.Epochs; epoch++ {
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		for _, r := range rows {
			fs := feats[r]
			for c := 0; c < k; c++ {
				z[c] = bias[c]
			}
			for _, f := range fs {
				base := int(f.index) * k
				for c := 0; c < k; c++ {
					z[c] += w[base+c] * float64(f.value)
				}
			}
			softmaxInPlace(z)
			cw := classWeight[labels[r]]
			for c := 0; c < k; c++ {
				y := 0.0
				if c == labels[r] {
					y = 1
				}
				g := (z[c] - y) * cw
				bg2[c] += g * g
				bias[c] -= opts.Rate * g / (math.Sqrt(bg2[c]) + 1e-8)
				for _, f := range fs {
					i := int(f.index)*k + c
					gi := g*float64(f.value) + opts.L2*w[i]
					g2[i] += gi * gi
					w[i] -= opts.Rate * gi / (math.Sqrt(g2[i]) + 1e-8)
				}
			}
		}
	}
	m := &Model{Classes: classes, HashBits: opts.HashBits, Weights: make([]float32, len(w)), Bias: bias, Calibration: Calibration{Temperature: 1, PlattA: 1}}
	for i, v := range w {
		m.Weights[i] = float32(v)
	}
	return m
}

// logits are the raw class scores of a feature vector.
func (m *Model) logits(fs []feature) []float64 {
	k := len(m.Classes)
	z := make([]float64, k)
	copy(z, m.Bias)
	for _, f := range fs {
		base := int(f.index) * k
		for c := 0; c < k; c++ {
			z[c] += float64(m.Weights[base+c]) * float64(f.value)
		}
	}
	return z
}

// Predict scores a tokenised comment or sentence with calibrated
// probabilities. The prediction's Model is ModelWorkspace.
func (m *Model) Predict(tokens []string) Prediction {
	var buf [128]feature
	fs := extractFeatures(tokens, uint(m.HashBits), buf[:0])
	probs := m.Calibration.apply(m.logits(fs))
	var p Prediction
	p.Model = ModelWorkspace
	for i, c := range m.Classes {
		p.Probs[c] = probs[i]
	}
	p.finish()
	return p
}

// modelData is Model's stored form; gob would call Model.MarshalBinary
// again if given a *Model.
type modelData struct {
	Classes     []Polarity
	HashBits    int
	Weights     []float32
	Bias        []float64
	Calibration Calibration
	Trained     int
	Languages   map[string]int
}

// MarshalBinary encodes the model for storage (encoding/gob).
func (m *Model) MarshalBinary() ([]byte, error) {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(modelData(*m)); err != nil {
		return nil, fmt.Errorf("text: encode model: %w", err)
	}
	return b.Bytes(), nil
}

// UnmarshalBinary decodes a model written by MarshalBinary.
func (m *Model) UnmarshalBinary(data []byte) error {
	var d modelData
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&d); err != nil {
		return fmt.Errorf("text: decode model: %w", err)
	}
	if d.HashBits < 1 || d.HashBits > 30 || len(d.Classes) < 2 || len(d.Weights) != len(d.Classes)<<uint(d.HashBits) || len(d.Bias) != len(d.Classes) {
		return fmt.Errorf("text: decode model: inconsistent shape")
	}
	*m = Model(d)
	return nil
}

// softmaxInPlace turns scores into probabilities, stably.
func softmaxInPlace(z []float64) {
	mx := math.Inf(-1)
	for _, v := range z {
		mx = math.Max(mx, v)
	}
	sum := 0.0
	for i, v := range z {
		z[i] = math.Exp(v - mx)
		sum += z[i]
	}
	for i := range z {
		z[i] /= sum
	}
}
