package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/cxlens/cxlens/internal/cx"
)

// insertResponsesAfter is InsertResponses with one more step in the same
// transaction, run for each created response with its id: what the survey
// pages use to link an invitation to the response it created.
func (db *DB) insertResponsesAfter(ctx context.Context, ws int64, rs []cx.Response, opts BatchOptions, then func(ctx context.Context, tx dbtx, id int64) error) (BatchResult, error) {
	res, _, err := db.insertResponses(ctx, ws, rs, opts, false, then)
	return res, err
}

// InsertSurveyResponse stores one response given on a survey page or the
// widget (atomic, with alerts and webhooks like InsertResponses). A
// response whose idempotency key is already stored is not added again:
// its score is updated instead, so a second click changes the answer. It
// returns the response's id and whether it was created.
func (db *DB) InsertSurveyResponse(ctx context.Context, ws int64, r cx.Response) (int64, bool, error) {
	res, err := db.insertResponsesAfter(ctx, ws, []cx.Response{r}, BatchOptions{}, nil)
	if err != nil {
		return 0, false, err
	}
	it := res.Items[0]
	if it.Status == Created {
		return it.ID, true, nil
	}
	if err := db.UpdateResponseAnswer(ctx, ws, it.ID, *r.Score, r.Attributes); err != nil {
		return 0, false, err
	}
	return it.ID, false, nil
}

// SurveyAnswerResult is the outcome of one answer of InsertSurveyAnswers.
type SurveyAnswerResult struct {
	ID      int64
	Created bool  // false when an answer with its idempotency key was updated
	Err     error // a *cx.ValidationError for a rejected answer
}

// InsertSurveyAnswers stores answers given on survey pages and the widget
// in one transaction (group commit), each accepted or rejected on its own:
// one bad answer never fails the others. An answer whose idempotency key is
// already stored updates that response's score and attributes instead.
func (db *DB) InsertSurveyAnswers(ctx context.Context, ws int64, rs []cx.Response) ([]SurveyAnswerResult, error) {
	res, err := db.insertResponsesAfter(ctx, ws, rs, BatchOptions{Partial: true}, nil)
	if err != nil {
		return nil, err
	}
	out := make([]SurveyAnswerResult, len(rs))
	for i, it := range res.Items {
		switch it.Status {
		case Created:
			out[i] = SurveyAnswerResult{ID: it.ID, Created: true}
		case Rejected:
			out[i] = SurveyAnswerResult{Err: fmt.Errorf("store: insert survey answer: %w", &cx.ValidationError{Fields: it.Errors})}
		default:
			out[i] = SurveyAnswerResult{ID: it.ID, Err: db.UpdateResponseAnswer(ctx, ws, it.ID, *rs[i].Score, rs[i].Attributes)}
		}
	}
	return out, nil
}

// UpdateResponseAnswer changes a response's score (checked against its
// survey's scale) and merges attrs into its attributes.
func (db *DB) UpdateResponseAnswer(ctx context.Context, ws, id int64, score int, attrs cx.Attributes) error {
	defer db.touch(ws, true) // see Generation
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var lo, hi int
		var stored []byte
		err := tx.QueryRowContext(ctx, db.q(`SELECT s.scale_min, s.scale_max, r.attributes FROM responses r
			JOIN surveys s ON s.workspace_id = r.workspace_id AND s.id = r.survey_id
			WHERE r.workspace_id = ? AND r.id = ?`), ws, id).Scan(&lo, &hi, &stored)
		if errors.Is(err, sql.ErrNoRows) {
			return cx.ErrNotFound
		}
		if err != nil {
			return err
		}
		if score < lo || score > hi {
			return cx.Invalid("score", fmt.Sprintf("must be %d–%d", lo, hi))
		}
		merged, err := decodeAttrs(stored)
		if err != nil {
			return err
		}
		if len(attrs) > 0 && merged == nil {
			merged = cx.Attributes{}
		}
		for k, v := range attrs {
			merged[k] = v
		}
		enc, err := encodeAttrs(merged)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, db.q("UPDATE responses SET score = ?, attributes = ? WHERE workspace_id = ? AND id = ?"), score, enc, ws, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: update response %d: %w", id, err)
	}
	return nil
}

// UpdateResponseComment sets the comment of a stored response: the second
// step of a survey page, after the score.
func (db *DB) UpdateResponseComment(ctx context.Context, ws, id int64, comment string) error {
	defer db.touch(ws, true) // see Generation
	comment = strings.TrimSpace(comment)
	if len(comment) > cx.MaxText {
		return fmt.Errorf("store: update response %d: %w", id, cx.Invalid("comment", fmt.Sprintf("longer than %d bytes", cx.MaxText)))
	}
	if !utf8.ValidString(comment) {
		return fmt.Errorf("store: update response %d: %w", id, cx.Invalid("comment", "is not valid UTF-8"))
	}
	res, err := db.write.ExecContext(ctx, db.q("UPDATE responses SET comment = ? WHERE workspace_id = ? AND id = ?"), comment, ws, id)
	if err != nil {
		return fmt.Errorf("store: update response %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("store: update response %d: %w", id, cx.ErrNotFound)
	}
	// Language, sentiment and themes of the new comment (text analytics).
	return db.TagResponse(ctx, ws, id)
}
