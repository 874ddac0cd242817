package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/text"
)

// ThemeRow is one analysed comment as theme analytics reads it: a survey
// response with a comment, or a feedback item.
type ThemeRow struct {
	Kind       string // TextResponse or TextFeedback
	ID         int64
	At         time.Time // submitted_at or occurred_at
	Text       string
	Source     string // feedback source; "survey" for responses
	Survey     string // survey key (responses)
	SurveyKind string // nps, csat, ces (responses)
	ScaleMin   int
	ScaleMax   int
	Score      int
	Rating     *float64 // feedback rating
	Language   string   // as analysed (en, ro, zh-Hans, …)
	Channel    string
	Touchpoint string
	Attributes cx.Attributes
	Customer   cx.Attributes // the customer's attributes, nil when anonymous
	Sentiment  float64
	Model      string
	// Themes are the effective themes (automatic and manual, without the
	// ones a person removed).
	Themes []string
	// Sentences are the matched byte ranges per theme, for highlighting.
	Sentences map[string][][2]int
}

// Attr is the value of a filter or group-by attribute on the row: survey,
// language (its base, e.g. zh), channel, touchpoint, source, kind,
// customer.<name> or a response attribute (optionally response.<name>).
func (r *ThemeRow) Attr(name string) string {
	switch name {
	case "survey":
		return r.Survey
	case "language":
		return text.Lang(r.Language).Base()
	case "channel":
		return r.Channel
	case "touchpoint":
		return r.Touchpoint
	case "source":
		return r.Source
	case "kind":
		return r.Kind
	}
	if c, ok := strings.CutPrefix(name, "customer."); ok {
		return r.Customer.String(c)
	}
	return r.Attributes.String(strings.TrimPrefix(name, "response."))
}

// ThemeRows returns the analysed comments of the workspace whose time is in
// [from, to), responses first, each in id order.
func (db *DB) ThemeRows(ctx context.Context, ws int64, from, to time.Time) ([]ThemeRow, error) {
	var out []ThemeRow
	index := map[[2]any]int{}
	lo, hi := ms(from), ms(to)
	if to.IsZero() {
		hi = 1 << 62
	}
	rows, err := db.read.QueryContext(ctx, db.q(`SELECT r.id, r.submitted_at, r.comment, s.key, s.kind, s.scale_min, s.scale_max, r.score,
		ts.language, r.channel, r.touchpoint, r.attributes, c.attributes, ts.score, ts.model
		FROM responses r
		JOIN text_sentiment ts ON ts.workspace_id = r.workspace_id AND ts.kind = 'response' AND ts.item_id = r.id
		JOIN surveys s ON s.workspace_id = r.workspace_id AND s.id = r.survey_id
		LEFT JOIN customers c ON c.workspace_id = r.workspace_id AND c.id = r.customer_id
		WHERE r.workspace_id = ? AND r.submitted_at >= ? AND r.submitted_at < ? ORDER BY r.id`), ws, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: theme rows: %w", err)
	}
	for rows.Next() {
		t := ThemeRow{Kind: TextResponse, Source: "survey"}
		var at int64
		var attrs, cattrs []byte
		if err := rows.Scan(&t.ID, &at, &t.Text, &t.Survey, &t.SurveyKind, &t.ScaleMin, &t.ScaleMax, &t.Score,
			&t.Language, &t.Channel, &t.Touchpoint, &attrs, &cattrs, &t.Sentiment, &t.Model); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: theme rows: %w", err)
		}
		t.At = fromMS(at)
		if t.Attributes, err = decodeAttrs(attrs); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: theme rows: %w", err)
		}
		if cattrs != nil {
			if t.Customer, err = decodeAttrs(cattrs); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: theme rows: %w", err)
			}
		}
		index[[2]any{TextResponse, t.ID}] = len(out)
		out = append(out, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: theme rows: %w", err)
	}
	rows, err = db.read.QueryContext(ctx, db.q(`SELECT f.id, f.occurred_at, f.text, f.source, f.rating, ts.language, c.attributes, ts.score, ts.model
		FROM feedback f
		JOIN text_sentiment ts ON ts.workspace_id = f.workspace_id AND ts.kind = 'feedback' AND ts.item_id = f.id
		LEFT JOIN customers c ON c.workspace_id = f.workspace_id AND c.id = f.customer_id
		WHERE f.workspace_id = ? AND f.occurred_at >= ? AND f.occurred_at < ? ORDER BY f.id`), ws, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: theme rows: %w", err)
	}
	for rows.Next() {
		t := ThemeRow{Kind: TextFeedback}
		var at int64
		var rating sql.NullFloat64
		var cattrs []byte
		if err := rows.Scan(&t.ID, &at, &t.Text, &t.Source, &rating, &t.Language, &cattrs, &t.Sentiment, &t.Model); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: theme rows: %w", err)
		}
		t.At = fromMS(at)
		if rating.Valid {
			t.Rating = &rating.Float64
		}
		if cattrs != nil {
			if t.Customer, err = decodeAttrs(cattrs); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: theme rows: %w", err)
			}
		}
		index[[2]any{TextFeedback, t.ID}] = len(out)
		out = append(out, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: theme rows: %w", err)
	}
	for _, src := range []struct{ kind, table, col string }{
		{TextResponse, "responses", "submitted_at"}, {TextFeedback, "feedback", "occurred_at"},
	} {
		rows, err := db.read.QueryContext(ctx, db.q(`SELECT rt.item_id, rt.theme_id, rt.sentences FROM response_themes rt
			JOIN `+src.table+` x ON x.workspace_id = rt.workspace_id AND x.id = rt.item_id
			WHERE rt.workspace_id = ? AND rt.kind = ? AND rt.source <> 'removed' AND x.`+src.col+` >= ? AND x.`+src.col+` < ?
			ORDER BY rt.item_id, rt.theme_id`), ws, src.kind, lo, hi)
		if err != nil {
			return nil, fmt.Errorf("store: theme rows: %w", err)
		}
		for rows.Next() {
			var id int64
			var theme string
			var sents []byte
			if err := rows.Scan(&id, &theme, &sents); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: theme rows: %w", err)
			}
			i, ok := index[[2]any{src.kind, id}]
			if !ok {
				continue // a manual tag on an item with no analysis yet
			}
			t := &out[i]
			t.Themes = append(t.Themes, theme)
			if len(sents) > 2 {
				if t.Sentences == nil {
					t.Sentences = map[string][][2]int{}
				}
				var s [][2]int
				if err := json.Unmarshal(sents, &s); err != nil {
					rows.Close()
					return nil, fmt.Errorf("store: theme rows: %w", err)
				}
				t.Sentences[theme] = s
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: theme rows: %w", err)
		}
	}
	return out, nil
}
