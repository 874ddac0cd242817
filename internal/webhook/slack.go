package webhook

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cxlens/cxlens/internal/store"
)

// SlackMessage is the body of a Slack incoming-webhook request
// (https://api.slack.com/messaging/webhooks): a fallback text for
// notifications and Block Kit blocks.
type SlackMessage struct {
	Text   string       `json:"text"`
	Blocks []SlackBlock `json:"blocks"`
}

// SlackBlock is one Block Kit block: a header, a section with text and/or
// fields, or a context line.
type SlackBlock struct {
	Type     string      `json:"type"`
	Text     *SlackText  `json:"text,omitempty"`
	Fields   []SlackText `json:"fields,omitempty"`
	Elements []SlackText `json:"elements,omitempty"`
	BlockID  string      `json:"block_id,omitempty"`
}

// SlackText is a Block Kit text object: "plain_text" or "mrkdwn".
type SlackText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

func mrkdwn(s string) SlackText { return SlackText{Type: "mrkdwn", Text: s} }

// slackEscape escapes the three characters Slack's mrkdwn treats as
// control characters, so a customer's comment cannot inject links or
// mentions.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// maxSlackText is Slack's limit on a section's text (3,000 characters);
// comments are cut below it.
const maxSlackText = 2900

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// NewSlackMessage renders outbox message m for a Slack endpoint. An
// alert.fired message shows the alert's title, the score, the customer,
// the comment, and a link to the case in the dashboard; other event types
// a one-line summary. The id in the context line lets readers match it to
// the delivery log.
func NewSlackMessage(m store.OutboxMessage) (SlackMessage, error) {
	if m.Topic != AlertFired {
		text := fmt.Sprintf("cxlens: %s", m.Topic)
		return SlackMessage{Text: text, Blocks: []SlackBlock{
			{Type: "section", BlockID: "summary", Text: &SlackText{Type: "mrkdwn", Text: fmt.Sprintf("*%s* in workspace %d", slackEscape(m.Topic), m.WorkspaceID)}},
			{Type: "context", Elements: []SlackText{mrkdwn("id " + m.UID)}},
		}}, nil
	}
	var ev store.AlertFired
	if err := json.Unmarshal(m.Payload, &ev); err != nil {
		return SlackMessage{}, fmt.Errorf("webhook: decode %s message %s: %w", m.Topic, m.UID, err)
	}
	title := ev.Alert.Title
	if ev.Case != nil && ev.Case.Title != "" {
		title = ev.Case.Title
	}
	if title == "" {
		title = "Alert: " + ev.Rule.Name
	}
	customer := ev.Alert.Customer
	if customer == "" {
		customer = "anonymous"
	}
	score, comment := "–", ""
	if r := ev.Response; r != nil {
		if r.Score != nil {
			score = fmt.Sprintf("%d (%s)", *r.Score, r.Survey)
		}
		comment = r.Comment
	}
	msg := SlackMessage{Text: cut(title, 300)}
	msg.Blocks = append(msg.Blocks,
		SlackBlock{Type: "header", BlockID: "title", Text: &SlackText{Type: "plain_text", Text: cut(title, 150)}},
		SlackBlock{Type: "section", BlockID: "facts", Fields: []SlackText{
			mrkdwn("*Score*\n" + slackEscape(score)),
			mrkdwn("*Customer*\n" + slackEscape(customer)),
			mrkdwn("*Rule*\n" + slackEscape(ev.Rule.Name)),
		}})
	if comment != "" {
		msg.Blocks = append(msg.Blocks, SlackBlock{Type: "section", BlockID: "comment",
			Text: &SlackText{Type: "mrkdwn", Text: "*Comment*\n>" + strings.ReplaceAll(slackEscape(cut(comment, maxSlackText)), "\n", "\n>")}})
	}
	if ev.Case != nil && ev.CaseURL != "" {
		msg.Blocks = append(msg.Blocks, SlackBlock{Type: "section", BlockID: "case",
			Text: &SlackText{Type: "mrkdwn", Text: fmt.Sprintf("<%s|Open case #%d>", slackEscape(ev.CaseURL), ev.Case.ID)}})
	}
	msg.Blocks = append(msg.Blocks, SlackBlock{Type: "context", Elements: []SlackText{mrkdwn(fmt.Sprintf("cxlens alert %d · id %s", ev.Alert.ID, m.UID))}})
	return msg, nil
}

// encodeFor returns the body of m for webhook h: the signed JSON envelope,
// or a Slack message for a Slack endpoint.
func encodeFor(h store.Webhook, m store.OutboxMessage, envelope []byte) ([]byte, error) {
	if h.Format != store.WebhookSlack {
		return envelope, nil
	}
	msg, err := NewSlackMessage(m)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(msg)
	if err != nil {
		return nil, fmt.Errorf("webhook: encode Slack message %s: %w", m.UID, err)
	}
	return b, nil
}
