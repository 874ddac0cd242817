package cx

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// QuestionType is the type of an extra survey question.
type QuestionType string

// Question types.
const (
	QuestionRating   QuestionType = "rating"   // an integer scale
	QuestionSingle   QuestionType = "single"   // one option
	QuestionMultiple QuestionType = "multiple" // any options
	QuestionText     QuestionType = "text"     // free text
)

// SurveyDesign is how a survey is presented beyond its main question: the
// follow-up asking why, extra questions, translations, thank-you messages
// and branding. Texts are per language; a language without a text falls
// back to DefaultLanguage, then to the built-in wording.
type SurveyDesign struct {
	DefaultLanguage string                 `json:"default_language,omitempty"`
	Questions       []SurveyQuestion       `json:"questions,omitempty"`
	Texts           map[string]SurveyTexts `json:"texts,omitempty"` // by BCP 47 tag
	// ReferralURL, when set, is offered to promoters on the thank-you page
	// (a review site or referral programme).
	ReferralURL string `json:"referral_url,omitempty"`
	BrandColor  string `json:"brand_color,omitempty"` // #rrggbb
	LogoURL     string `json:"logo_url,omitempty"`
	// NoComment skips the comment step.
	NoComment bool `json:"no_comment,omitempty"`
}

// SurveyQuestion is an extra question asked with the comment. A driver
// rating question (Driver set) is stored as the response attribute
// "rating_<id>", the name key-driver analysis looks for; other answers are
// stored as "q_<id>" (multiple choices joined by commas).
type SurveyQuestion struct {
	ID       string       `json:"id"`
	Type     QuestionType `json:"type"`
	Driver   bool         `json:"driver,omitempty"`
	ScaleMin int          `json:"scale_min,omitempty"`
	ScaleMax int          `json:"scale_max,omitempty"`
	Options  []string     `json:"options,omitempty"` // option ids; labels come from the texts
	Required bool         `json:"required,omitempty"`
}

// AttributeKey is the response attribute the question's answer goes to.
func (q SurveyQuestion) AttributeKey() string {
	if q.Driver {
		return "rating_" + q.ID
	}
	return "q_" + q.ID
}

// SurveyTexts are a survey's words in one language; empty fields fall back.
type SurveyTexts struct {
	Question  string        `json:"question,omitempty"`
	LowLabel  string        `json:"low_label,omitempty"`  // under the lowest score
	HighLabel string        `json:"high_label,omitempty"` // under the highest score
	FollowUp  CategoryTexts `json:"follow_up,omitzero"`   // "what is the main reason for your score?"
	ThankYou  CategoryTexts `json:"thank_you,omitzero"`
	// Questions are the labels of the extra questions, by question id.
	Questions map[string]QuestionTexts `json:"questions,omitempty"`
}

// CategoryTexts is a text worded per score category.
type CategoryTexts struct {
	Detractor string `json:"detractor,omitempty"`
	Passive   string `json:"passive,omitempty"`
	Promoter  string `json:"promoter,omitempty"`
}

// QuestionTexts are the label of an extra question and of its options.
type QuestionTexts struct {
	Label   string            `json:"label,omitempty"`
	Options map[string]string `json:"options,omitempty"` // by option id
}

var (
	questionIDRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)
	colorRE      = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
)

// Limits on a survey design.
const (
	MaxSurveyQuestions = 20
	MaxSurveyLanguages = 30
	MaxQuestionOptions = 30
)

func (d *SurveyDesign) validate(fe *fieldErrors) {
	d.DefaultLanguage = strings.TrimSpace(d.DefaultLanguage)
	if d.DefaultLanguage == "" {
		d.DefaultLanguage = "en"
	}
	if !languageRE.MatchString(d.DefaultLanguage) {
		fe.add("design.default_language", "must be a BCP 47 tag such as en, zh-Hans or ro")
	}
	if len(d.Questions) > MaxSurveyQuestions {
		fe.add("design.questions", fmt.Sprintf("at most %d questions", MaxSurveyQuestions))
	}
	ids := map[string]bool{}
	for i := range d.Questions {
		q := &d.Questions[i]
		f := fmt.Sprintf("design.questions[%d]", i)
		if !questionIDRE.MatchString(q.ID) {
			fe.add(f+".id", "must be 1–40 characters of a–z, 0–9 or '_', starting with a letter")
		} else if ids[q.ID] {
			fe.add(f+".id", fmt.Sprintf("%q is used twice", q.ID))
		}
		ids[q.ID] = true
		switch q.Type {
		case QuestionRating:
			if q.ScaleMin == 0 && q.ScaleMax == 0 {
				q.ScaleMin, q.ScaleMax = 1, 5
			}
			if q.ScaleMax <= q.ScaleMin || q.ScaleMax-q.ScaleMin > 10 {
				fe.add(f+".scale_max", "must be above scale_min, at most 10 steps")
			}
		case QuestionSingle, QuestionMultiple:
			if len(q.Options) < 2 || len(q.Options) > MaxQuestionOptions {
				fe.add(f+".options", fmt.Sprintf("must list 2–%d option ids", MaxQuestionOptions))
			}
			seen := map[string]bool{}
			for _, o := range q.Options {
				if !questionIDRE.MatchString(o) || seen[o] {
					fe.add(f+".options", fmt.Sprintf("option %q must be a unique id of a–z, 0–9 or '_'", o))
				}
				seen[o] = true
			}
		case QuestionText:
		case "":
			fe.add(f+".type", "is required (rating, single, multiple or text)")
		default:
			fe.add(f+".type", "must be rating, single, multiple or text")
		}
		if q.Driver && q.Type != QuestionRating {
			fe.add(f+".driver", "only a rating question can be a driver")
		}
	}
	if len(d.Texts) > MaxSurveyLanguages {
		fe.add("design.texts", fmt.Sprintf("at most %d languages", MaxSurveyLanguages))
	}
	for lang, t := range d.Texts {
		f := "design.texts." + lang
		if !languageRE.MatchString(lang) {
			fe.add(f, "language must be a BCP 47 tag such as en, zh-Hans or ro")
		}
		for name, v := range map[string]string{"question": t.Question, "low_label": t.LowLabel, "high_label": t.HighLabel,
			"follow_up.detractor": t.FollowUp.Detractor, "follow_up.passive": t.FollowUp.Passive, "follow_up.promoter": t.FollowUp.Promoter,
			"thank_you.detractor": t.ThankYou.Detractor, "thank_you.passive": t.ThankYou.Passive, "thank_you.promoter": t.ThankYou.Promoter} {
			checkText(fe, f+"."+name, v, MaxShortText*4)
		}
		for id, qt := range t.Questions {
			if !ids[id] {
				fe.add(f+".questions."+id, "no question with this id")
			}
			checkText(fe, f+".questions."+id+".label", qt.Label, MaxShortText*4)
			for _, o := range qt.Options {
				checkText(fe, f+".questions."+id+".options", o, MaxShortText)
			}
		}
	}
	if d.BrandColor != "" && !colorRE.MatchString(d.BrandColor) {
		fe.add("design.brand_color", "must be a colour like #1a73e8")
	}
	checkURL(fe, "design.logo_url", d.LogoURL)
	checkURL(fe, "design.referral_url", d.ReferralURL)
}

// checkURL accepts "" or an absolute http(s) URL.
func checkURL(fe *fieldErrors, field, s string) {
	if s == "" {
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(s) > 2048 {
		fe.add(field, "must be an absolute http or https URL")
	}
}
