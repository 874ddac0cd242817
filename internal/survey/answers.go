package survey

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cxlens/cxlens/internal/cx"
)

// ParseAnswers reads the answers to survey s's extra questions from form
// values named "q_<id>" and returns them as response attributes (driver
// ratings as rating_<id>, see cx.SurveyQuestion.AttributeKey). Unanswered
// optional questions are left out; bad values are field errors.
func ParseAnswers(s cx.Survey, form map[string][]string) (cx.Attributes, []cx.FieldError) {
	attrs := cx.Attributes{}
	var errs []cx.FieldError
	bad := func(q cx.SurveyQuestion, reason string) {
		errs = append(errs, cx.FieldError{Field: "q_" + q.ID, Reason: reason})
	}
	for _, q := range s.Design.Questions {
		vals := form["q_"+q.ID]
		var nonEmpty []string
		for _, v := range vals {
			if v = strings.TrimSpace(v); v != "" {
				nonEmpty = append(nonEmpty, v)
			}
		}
		if len(nonEmpty) == 0 {
			if q.Required {
				bad(q, "is required")
			}
			continue
		}
		switch q.Type {
		case cx.QuestionRating:
			n, err := strconv.Atoi(nonEmpty[0])
			if err != nil || n < q.ScaleMin || n > q.ScaleMax || len(nonEmpty) > 1 {
				bad(q, fmt.Sprintf("must be one whole number %d–%d", q.ScaleMin, q.ScaleMax))
				continue
			}
			attrs[q.AttributeKey()] = n
		case cx.QuestionSingle:
			if len(nonEmpty) > 1 || !slices.Contains(q.Options, nonEmpty[0]) {
				bad(q, "must be one of the options")
				continue
			}
			attrs[q.AttributeKey()] = nonEmpty[0]
		case cx.QuestionMultiple:
			var picked []string
			for _, v := range nonEmpty {
				if !slices.Contains(q.Options, v) {
					bad(q, fmt.Sprintf("%q is not an option", v))
					picked = nil
					break
				}
				if !slices.Contains(picked, v) {
					picked = append(picked, v)
				}
			}
			if picked != nil {
				attrs[q.AttributeKey()] = strings.Join(picked, ",")
			}
		case cx.QuestionText:
			v := nonEmpty[0]
			if len(v) > cx.MaxAttributeValue {
				bad(q, fmt.Sprintf("longer than %d bytes", cx.MaxAttributeValue))
				continue
			}
			attrs[q.AttributeKey()] = v
		}
	}
	return attrs, errs
}
