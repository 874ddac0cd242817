// Package alert holds the pure logic of alert rules: what a rule is, how it
// is validated, whether a response matches it, its deduplication key and
// its cooldown. Storage and delivery live in the store and webhook adapters.
package alert

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// Kind is what a rule watches.
type Kind string

// Rule kinds. KindScore is evaluated on ingest; the others by the
// scheduler (see Scheduled).
const (
	// KindScore fires on a response scored at or below the rule's MaxScore.
	KindScore Kind = "score"
	// KindMetricChange fires when a survey metric's last 7 days are
	// significantly below the 4 weeks before (MetricDrop).
	KindMetricChange Kind = "metric_change"
	// KindEmergingTheme fires when a theme's share of comments rises
	// significantly (ThemeFindings).
	KindEmergingTheme Kind = "emerging_theme"
	// KindThemeSentiment fires when the share of negative answers among
	// the comments of a theme rises significantly (ThemeFindings).
	KindThemeSentiment Kind = "theme_sentiment"
	// KindAtRisk fires for a customer in the top TopPercent by predicted
	// CLV whose P(alive) fell, or who answered as a detractor (AtRiskFindings).
	KindAtRisk Kind = "at_risk"
	// KindSLABreach fires for a ticket not answered within
	// FirstResponseMinutes (SLAFindings).
	KindSLABreach Kind = "sla_breach"
)

// Kinds lists the rule kinds.
var Kinds = []Kind{KindScore, KindMetricChange, KindEmergingTheme, KindThemeSentiment, KindAtRisk, KindSLABreach}

// Scheduled reports whether rules of kind k run on a schedule rather than
// on ingest.
func (k Kind) Scheduled() bool { return k != KindScore && slices.Contains(Kinds, k) }

// Action is what happens when a rule fires, besides storing the alert.
type Action string

// Actions a rule can take.
const (
	ActionCreateCase Action = "create_case" // open a case for follow-up
	ActionWebhook    Action = "webhook"     // send alert.fired to subscribed webhooks (JSON or Slack format)
	ActionEmail      Action = "email"       // email the case owner and the rule's subscribers
)

// Actions lists the actions.
var Actions = []Action{ActionCreateCase, ActionWebhook, ActionEmail}

// Rule is a workspace's alert rule.
type Rule struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Kind   Kind   `json:"kind"`
	Survey string `json:"survey"` // survey key; "" matches every survey
	// MaxScore: the rule fires when a response's score is at or below it.
	MaxScore int `json:"max_score"`
	// MinCustomerValue, when set, restricts the rule to customers whose
	// numeric attribute "value" (a number or numeric string) exceeds it;
	// anonymous responses and customers without the attribute never match.
	MinCustomerValue *float64 `json:"min_customer_value,omitempty"`
	// CooldownSeconds: after the rule fires for a customer, it stays quiet
	// for that customer this long (measured on fired_at, processing time).
	CooldownSeconds int `json:"cooldown_seconds"`
	// SLAHours sets the due date of the cases the rule opens (0: none).
	SLAHours  int       `json:"sla_hours"`
	Actions   []Action  `json:"actions"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`

	// Params are the settings of the scheduled kinds and the email action.
	Params
}

// Params are a rule's settings beyond the score threshold; each kind reads
// the ones its doc names. Validate fills the defaults.
type Params struct {
	// Metric is nps, csat or ces (metric_change); default from the survey kind.
	Metric string `json:"metric,omitempty"`
	// SegmentKey and SegmentValue restrict metric_change to the responses
	// of customers whose attribute SegmentKey equals SegmentValue.
	SegmentKey   string `json:"segment_key,omitempty"`
	SegmentValue string `json:"segment_value,omitempty"`
	// Alpha is the significance level (metric_change, theme kinds: the
	// false discovery rate); default 0.05.
	Alpha float64 `json:"alpha,omitempty"`
	// MinResponses is the fewest answers each period needs (metric_change,
	// theme kinds); default 30.
	MinResponses int `json:"min_responses,omitempty"`
	// Theme restricts the theme kinds to one theme id; "" watches all.
	Theme string `json:"theme,omitempty"`
	// TopPercent is the share of customers, by predicted CLV, counted as
	// high-value (at_risk); default 10.
	TopPercent float64 `json:"top_percent,omitempty"`
	// PAliveDrop is how far P(alive) must fall over 7 days (at_risk);
	// default 0.1.
	PAliveDrop float64 `json:"p_alive_drop,omitempty"`
	// FirstResponseMinutes is the first-response SLA (sla_breach).
	FirstResponseMinutes int `json:"first_response_minutes,omitempty"`
	// EveryMinutes is how often a scheduled rule runs; default 60.
	EveryMinutes int `json:"every_minutes,omitempty"`
	// Subscribers are email addresses told of every alert (email action).
	Subscribers []string `json:"subscribers,omitempty"`
}

// Defaults of Params.
const (
	DefaultAlpha        = 0.05
	DefaultMinResponses = 30
	DefaultTopPercent   = 10
	DefaultPAliveDrop   = 0.1
	DefaultEveryMinutes = 60
	MaxSubscribers      = 50
)

// Limits on rules.
const (
	MaxCooldownSeconds = 365 * 24 * 3600
	MaxSLAHours        = 365 * 24
)

// Has reports whether the rule takes action a.
func (r Rule) Has(a Action) bool { return slices.Contains(r.Actions, a) }

// Validate normalises r (trims names, defaults Kind to score, removes
// repeated actions) and returns a *cx.ValidationError naming every bad
// field, or nil.
func (r *Rule) Validate() error {
	var errs []cx.FieldError
	add := func(field, reason string) { errs = append(errs, cx.FieldError{Field: field, Reason: reason}) }
	r.Name = strings.TrimSpace(r.Name)
	switch {
	case r.Name == "":
		add("name", "is required")
	case len(r.Name) > cx.MaxShortText:
		add("name", fmt.Sprintf("must be at most %d bytes", cx.MaxShortText))
	}
	if r.Kind == "" {
		r.Kind = KindScore
	}
	if !slices.Contains(Kinds, r.Kind) {
		add("kind", "must be score, metric_change, emerging_theme, theme_sentiment, at_risk or sla_breach")
	}
	r.Survey = strings.TrimSpace(r.Survey)
	if len(r.Survey) > 64 {
		add("survey", "must be a survey key (at most 64 characters), or empty for every survey")
	}
	if r.MaxScore < -100 || r.MaxScore > 100 {
		add("max_score", "must be between -100 and 100")
	}
	if v := r.MinCustomerValue; v != nil && (*v < 0 || math.IsNaN(*v) || math.IsInf(*v, 0)) {
		add("min_customer_value", "must be a non-negative number")
	}
	if r.CooldownSeconds < 0 || r.CooldownSeconds > MaxCooldownSeconds {
		add("cooldown_seconds", fmt.Sprintf("must be 0–%d", MaxCooldownSeconds))
	}
	if r.SLAHours < 0 || r.SLAHours > MaxSLAHours {
		add("sla_hours", fmt.Sprintf("must be 0–%d", MaxSLAHours))
	}
	var actions []Action
	for _, a := range r.Actions {
		if !slices.Contains(Actions, a) {
			add("actions", fmt.Sprintf("unknown action %q (create_case, webhook or email)", a))
			continue
		}
		if !slices.Contains(actions, a) {
			actions = append(actions, a)
		}
	}
	r.Actions = actions
	errs = append(errs, r.validateParams()...)
	if len(errs) > 0 {
		return &cx.ValidationError{Fields: errs}
	}
	return nil
}

// Match reports whether response resp, answering survey s, triggers rule r
// on its own: the rule is an active score rule for that survey (or for any
// survey) and the score is at or below MaxScore. The customer-value
// condition is checked apart, by ValueQualifies, because it needs the
// customer's attributes, which callers load only for matching responses.
func Match(r Rule, resp cx.Response, s cx.Survey) bool {
	if !r.Active || r.Kind != KindScore || resp.Score == nil {
		return false
	}
	if r.Survey != "" && r.Survey != s.Key {
		return false
	}
	return *resp.Score <= r.MaxScore
}

// ValueQualifies reports whether a customer with attributes attrs passes
// the rule's MinCustomerValue (always true when the rule sets none).
// known is false for an anonymous response.
func ValueQualifies(r Rule, known bool, attrs cx.Attributes) bool {
	if r.MinCustomerValue == nil {
		return true
	}
	if !known {
		return false
	}
	v, ok := CustomerValue(attrs)
	return ok && v > *r.MinCustomerValue
}

// CustomerValue reads the customer's "value" attribute: a JSON number or a
// numeric string.
func CustomerValue(attrs cx.Attributes) (float64, bool) {
	switch x := attrs["value"].(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}

// DedupKey is the key that makes one incident alert once: per rule,
// customer and UTC day of the response's submission, so a customer who
// answers twice the same day raises one alert. An anonymous response
// (customer 0) has no one to group by, so its key is per response.
func DedupKey(ruleID, customerID, responseID int64, submitted time.Time) string {
	if customerID == 0 {
		return fmt.Sprintf("r%d:resp%d", ruleID, responseID)
	}
	return fmt.Sprintf("r%d:c%d:%s", ruleID, customerID, submitted.UTC().Format(time.DateOnly))
}

// InCooldown reports whether a rule that last fired for a customer at last
// is still quiet at now. A zero last means it never fired.
func InCooldown(r Rule, last, now time.Time) bool {
	if last.IsZero() || r.CooldownSeconds <= 0 {
		return false
	}
	return now.Sub(last) < time.Duration(r.CooldownSeconds)*time.Second
}
