package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cxlens/cxlens/internal/cx"

	"github.com/cxlens/cxlens/internal/text"
	"github.com/cxlens/cxlens/internal/text/themes"
)

// SentimentModelInfo describes a workspace's trained sentiment model.
type SentimentModelInfo struct {
	// Model is text.ModelWorkspace when a workspace model is in use, else
	// text.ModelBuiltin (too few scored comments).
	Model     string         `json:"model"`
	Examples  int            `json:"examples"`
	Comments  int            `json:"comments"` // survey comments read when it was trained
	Languages map[string]int `json:"languages,omitempty"`
	ECE       float64        `json:"ece,omitempty"`
	Brier     float64        `json:"brier,omitempty"`
	TrainedAt *time.Time     `json:"trained_at,omitempty"`
	// Reason says why the builtin lexicon is used, when it is.
	Reason string `json:"reason,omitempty"`
}

// TrainSentiment trains the workspace's sentiment model from its scored
// comments (promoters positive, detractors negative; CSAT 4–5 vs 1–2; see
// text.LabelFromScore) and stores it, so later tagging uses it. With too
// few scored comments the stored model is removed and the builtin lexicon
// is used; the returned info says which. Existing comments are not
// re-scored: call Retag for that.
func (db *DB) TrainSentiment(ctx context.Context, ws int64) (SentimentModelInfo, error) {
	comments, err := db.ScoredComments(ctx, ws)
	if err != nil {
		return SentimentModelInfo{}, fmt.Errorf("store: train sentiment: %w", err)
	}
	m, rep, err := text.TrainFromScores(analyzer(), comments, false, text.TrainOptions{})
	if errors.Is(err, text.ErrTooFewExamples) {
		now := db.now()
		info := SentimentModelInfo{Model: text.ModelBuiltin, Examples: rep.Examples, Comments: len(comments), TrainedAt: &now,
			Reason: fmt.Sprintf("%d labelled comments; a workspace model needs %d (%d per class)", rep.Examples, text.MinTrainingExamples, text.MinClassExamples)}
		report, err := json.Marshal(info)
		if err != nil {
			return SentimentModelInfo{}, fmt.Errorf("store: train sentiment: %w", err)
		}
		err = db.inWriteTx(ctx, func(tx dbtx) error {
			_, err := tx.ExecContext(ctx, db.q(`INSERT INTO text_state (workspace_id, model_id, model, model_report, model_trained_at) VALUES (?, '', NULL, ?, ?)
				ON CONFLICT (workspace_id) DO UPDATE SET model_id = '', model = NULL, model_report = excluded.model_report, model_trained_at = excluded.model_trained_at`),
				ws, string(report), ms(now))
			return err
		})
		if err != nil {
			return SentimentModelInfo{}, fmt.Errorf("store: train sentiment: %w", err)
		}
		return info, nil
	}
	if err != nil {
		return SentimentModelInfo{}, fmt.Errorf("store: train sentiment: %w", err)
	}
	blob, err := m.MarshalBinary()
	if err != nil {
		return SentimentModelInfo{}, fmt.Errorf("store: train sentiment: %w", err)
	}
	id, err := newModelID()
	if err != nil {
		return SentimentModelInfo{}, fmt.Errorf("store: train sentiment: %w", err)
	}
	now := db.now()
	info := SentimentModelInfo{Model: text.ModelWorkspace, Examples: rep.Examples, Comments: len(comments), Languages: m.Languages, ECE: rep.ECE, Brier: rep.Brier, TrainedAt: &now}
	report, err := json.Marshal(info)
	if err != nil {
		return SentimentModelInfo{}, fmt.Errorf("store: train sentiment: %w", err)
	}
	err = db.inWriteTx(ctx, func(tx dbtx) error {
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO text_state (workspace_id, model_id, model, model_report, model_trained_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (workspace_id) DO UPDATE SET model_id = excluded.model_id, model = excluded.model,
			model_report = excluded.model_report, model_trained_at = excluded.model_trained_at`), ws, id, blob, string(report), ms(now))
		return err
	})
	if err != nil {
		return SentimentModelInfo{}, fmt.Errorf("store: train sentiment: %w", err)
	}
	return info, nil
}

// SentimentModel describes the sentiment model tagging uses for the
// workspace now.
func (db *DB) SentimentModel(ctx context.Context, ws int64) (SentimentModelInfo, error) {
	var report []byte
	var id string
	err := db.read.QueryRowContext(ctx, db.q("SELECT model_id, model_report FROM text_state WHERE workspace_id = ?"), ws).Scan(&id, &report)
	if errors.Is(err, sql.ErrNoRows) {
		return SentimentModelInfo{Model: text.ModelBuiltin, Reason: "no workspace model trained yet"}, nil
	}
	if err != nil {
		return SentimentModelInfo{}, fmt.Errorf("store: sentiment model: %w", err)
	}
	var info SentimentModelInfo
	if err := json.Unmarshal(report, &info); err != nil {
		return SentimentModelInfo{}, fmt.Errorf("store: sentiment model: %w", err)
	}
	if id == "" {
		info.Model = text.ModelBuiltin
		if info.Reason == "" {
			info.Reason = "no workspace model trained yet"
		}
	}
	return info, nil
}

// RebuildText trains the workspace's sentiment model afresh and then
// re-analyses every comment and feedback item (Retag): the re-tag command,
// and what a server runs in the background with its index rebuilds.
func (db *DB) RebuildText(ctx context.Context, ws int64) (SentimentModelInfo, int, error) {
	info, err := db.TrainSentiment(ctx, ws)
	if err != nil {
		return info, 0, err
	}
	n, err := db.Retag(ctx, ws)
	return info, n, err
}

// maxDiscoverComments bounds the comments DiscoverThemes reads: the most
// recent ones.
const maxDiscoverComments = 100000

// minDiscoverComments is the fewest comments discovery runs on.
const minDiscoverComments = 20

// DiscoverThemes proposes a codeframe from the workspace's most recent
// comments and feedback items (at most 100,000), without labels (see
// themes.Discover). It returns the proposal and the number of comments
// read; nothing is saved.
func (db *DB) DiscoverThemes(ctx context.Context, ws int64, opts themes.DiscoverOptions) (themes.Discovery, int, error) {
	rows, err := db.read.QueryContext(ctx, db.q(`SELECT t, l FROM (
		SELECT r.comment AS t, r.language AS l, r.submitted_at AS at FROM responses r WHERE r.workspace_id = ? AND r.comment <> ''
		UNION ALL SELECT f.text, f.language, f.occurred_at FROM feedback f WHERE f.workspace_id = ?) x ORDER BY at DESC LIMIT ?`), ws, ws, maxDiscoverComments)
	if err != nil {
		return themes.Discovery{}, 0, fmt.Errorf("store: discover themes: %w", err)
	}
	defer rows.Close()
	var docs []text.Document
	for rows.Next() {
		var t, l string
		if err := rows.Scan(&t, &l); err != nil {
			return themes.Discovery{}, 0, fmt.Errorf("store: discover themes: %w", err)
		}
		docs = append(docs, discoverAnalyzer().AnalyzeAs(t, itemLang(l, t)))
	}
	if err := rows.Err(); err != nil {
		return themes.Discovery{}, 0, fmt.Errorf("store: discover themes: %w", err)
	}
	if len(docs) < minDiscoverComments {
		return themes.Discovery{}, len(docs), fmt.Errorf("store: discover themes: %w",
			cx.Invalid("comments", fmt.Sprintf("%d comments; discovery needs at least %d", len(docs), minDiscoverComments)))
	}
	return themes.Discover(docs, opts), len(docs), nil
}

// ScoredComments returns the workspace's survey comments with their scores
// and survey kinds, in id order: the training data of the sentiment model.
func (db *DB) ScoredComments(ctx context.Context, ws int64) ([]text.ScoredComment, error) {
	rows, err := db.read.QueryContext(ctx, db.q(`SELECT s.kind, r.score, r.comment, r.language FROM responses r
		JOIN surveys s ON s.workspace_id = r.workspace_id AND s.id = r.survey_id
		WHERE r.workspace_id = ? AND r.comment <> '' ORDER BY r.id`), ws)
	if err != nil {
		return nil, fmt.Errorf("store: scored comments: %w", err)
	}
	defer rows.Close()
	var comments []text.ScoredComment
	for rows.Next() {
		var c text.ScoredComment
		var lang string
		if err := rows.Scan(&c.Kind, &c.Score, &c.Text, &lang); err != nil {
			return nil, fmt.Errorf("store: scored comments: %w", err)
		}
		c.Lang = itemLang(lang, c.Text)
		comments = append(comments, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: scored comments: %w", err)
	}
	return comments, nil
}

// RefreshText re-trains the workspace's sentiment model and re-analyses its
// comments when its survey comments grew by at least a tenth (and 50)
// since the last training, or were never trained on: what a server runs in
// the background, e.g. with its index rebuilds. It reports whether it
// re-trained.
func (db *DB) RefreshText(ctx context.Context, ws int64) (bool, error) {
	info, err := db.SentimentModel(ctx, ws)
	if err != nil {
		return false, err
	}
	var n int
	if err := db.read.QueryRowContext(ctx, db.q("SELECT count(*) FROM responses WHERE workspace_id = ? AND comment <> ''"), ws).Scan(&n); err != nil {
		return false, fmt.Errorf("store: refresh text: %w", err)
	}
	if info.TrainedAt != nil && (n-info.Comments < 50 || float64(n) < 1.1*float64(info.Comments)) {
		return false, nil
	}
	if _, _, err := db.RebuildText(ctx, ws); err != nil {
		return false, err
	}
	return true, nil
}
