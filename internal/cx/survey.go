package cx

import (
	"regexp"
	"strings"
	"time"
)

// SurveyKind is the kind of question a survey asks.
type SurveyKind string

// Survey kinds and their default scales.
const (
	NPS        SurveyKind = "nps"    // 0–10 "how likely are you to recommend us"
	CSAT       SurveyKind = "csat"   // 1–5 "how satisfied were you"
	CES        SurveyKind = "ces"    // 1–7 "how easy was it to resolve your issue"
	CustomKind SurveyKind = "custom" // any integer scale
)

// Survey is a question asked of customers. Responses name it by Key.
type Survey struct {
	ID        int64      `json:"id"`
	Key       string     `json:"key"`
	Name      string     `json:"name"`
	Kind      SurveyKind `json:"kind"`
	ScaleMin  int        `json:"scale_min"`
	ScaleMax  int        `json:"scale_max"`
	Question  string     `json:"question,omitempty"`
	CreatedAt time.Time  `json:"created_at"`

	// Design is how the survey is presented: follow-up, extra questions,
	// translations, thank-you messages, branding. See SurveyDesign.
	Design     SurveyDesign `json:"design"`
	ArchivedAt *time.Time   `json:"archived_at,omitempty"`
	UpdatedAt  time.Time    `json:"updated_at"`
}

var surveyKeyRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// DefaultScale returns the scale a kind uses when none is given.
func (k SurveyKind) DefaultScale() (min, max int) {
	switch k {
	case NPS:
		return 0, 10
	case CES:
		return 1, 7
	default:
		return 1, 5
	}
}

// DefaultQuestion returns the classic wording for a kind.
func (k SurveyKind) DefaultQuestion() string {
	switch k {
	case NPS:
		return "How likely are you to recommend us to a friend or colleague?"
	case CSAT:
		return "How satisfied were you with your experience?"
	case CES:
		return "How easy was it to resolve your issue today?"
	}
	return ""
}

// Validate checks a survey and fills in the default scale, name and question.
func (s *Survey) Validate() error {
	var fe fieldErrors
	s.Key = strings.TrimSpace(s.Key)
	if !surveyKeyRE.MatchString(s.Key) {
		fe.add("key", "must be 1–64 characters of a–z, 0–9, '-' or '_', starting with a letter or digit")
	}
	switch s.Kind {
	case NPS, CSAT, CES, CustomKind:
	case "":
		fe.add("kind", "is required (nps, csat, ces or custom)")
	default:
		fe.add("kind", "must be nps, csat, ces or custom")
	}
	if s.ScaleMin == 0 && s.ScaleMax == 0 {
		s.ScaleMin, s.ScaleMax = s.Kind.DefaultScale()
	}
	if s.Kind == NPS && (s.ScaleMin != 0 || s.ScaleMax != 10) {
		fe.add("scale_max", "an NPS survey is scored 0–10")
	}
	if s.ScaleMax <= s.ScaleMin || s.ScaleMax-s.ScaleMin > 100 {
		fe.add("scale_max", "must be above scale_min, at most 100 steps")
	}
	if strings.TrimSpace(s.Name) == "" {
		s.Name = s.Key
	}
	if s.Question == "" {
		s.Question = s.Kind.DefaultQuestion()
	}
	checkText(&fe, "name", s.Name, MaxShortText)
	checkText(&fe, "question", s.Question, MaxShortText*4)
	s.Design.validate(&fe)
	return fe.err()
}
