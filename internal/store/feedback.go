package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/text"
)

var feedbackColumns = []string{"workspace_id", "id", "customer_id", "source", "rating", "rating_scale", "author", "url",
	"text", "language", "occurred_at", "idempotency_key", "created_at"}

// FeedbackFilter filters feedback items.
type FeedbackFilter struct {
	ListFilter        // From/To bound occurred_at
	Source     string // e.g. app_store; "" for all
}

// InsertFeedback validates and stores feedback items, creating the
// customers they name, and analyses each one (language, sentiment, themes)
// in the same transaction. See BatchOptions for atomic and partial batches.
func (db *DB) InsertFeedback(ctx context.Context, ws int64, fs []text.Feedback, opts BatchOptions) (BatchResult, error) {
	now := db.now()
	created := ms(now)
	ids := make([]int64, len(fs))
	return db.ingest(ctx, ws, opts, batchSpec{
		what: "feedback", table: "feedback", columns: feedbackColumns, n: len(fs),
		validate: func(i int) []cx.FieldError { return fs[i].Validate(now) },
		key:      func(i int) string { return fs[i].IdempotencyKey },
		customer: func(i int) (string, time.Time) { return fs[i].Customer, fs[i].OccurredAt },
		row: func(i int, id, customer int64) ([]any, error) {
			ids[i] = id
			f := &fs[i]
			var rating, scale any
			if f.Rating != nil {
				rating, scale = *f.Rating, f.RatingScale
			}
			return []any{ws, id, nullID(customer), f.Source, rating, scale, f.Author, f.URL, f.Text, f.Language,
				ms(f.OccurredAt), nullString(f.IdempotencyKey), created}, nil
		},
		after: func(ctx context.Context, tx dbtx, fresh []int, _ map[string]int64) error {
			items := make([]textItem, 0, len(fresh))
			for _, i := range fresh {
				items = append(items, textItem{kind: TextFeedback, id: ids[i], text: fs[i].Text, lang: fs[i].Language})
			}
			return db.analyseTx(ctx, tx, ws, items, true)
		},
	})
}

const feedbackSelect = `SELECT f.id, f.source, f.rating, f.rating_scale, f.author, f.url, f.text, f.language, f.occurred_at,
	coalesce(c.external_id, ''), coalesce(f.idempotency_key, ''), f.created_at
	FROM feedback f LEFT JOIN customers c ON c.workspace_id = f.workspace_id AND c.id = f.customer_id`

func scanFeedback(row interface{ Scan(...any) error }) (text.Feedback, int64, error) {
	var f text.Feedback
	var rating sql.NullFloat64
	var scale sql.NullInt64
	var occurred, created int64
	err := row.Scan(&f.ID, &f.Source, &rating, &scale, &f.Author, &f.URL, &f.Text, &f.Language, &occurred,
		&f.Customer, &f.IdempotencyKey, &created)
	if err != nil {
		return f, 0, err
	}
	if rating.Valid {
		f.Rating, f.RatingScale = &rating.Float64, int(scale.Int64)
	}
	f.OccurredAt, f.CreatedAt = fromMS(occurred), fromMS(created)
	return f, f.ID, nil
}

// Feedback lists feedback items in the order they were stored.
func (db *DB) Feedback(ctx context.Context, ws int64, f FeedbackFilter) (Page[text.Feedback], error) {
	var l listQuery
	if err := l.common(ws, "f", "occurred_at", f.ListFilter); err != nil {
		return Page[text.Feedback]{}, fmt.Errorf("store: list feedback: %w", err)
	}
	if f.Source != "" {
		l.add("f.source = ?", f.Source)
	}
	page, err := list(ctx, db, l.sql(feedbackSelect, "f", f.limit()), l.args, f.limit(), scanFeedback)
	if err != nil {
		return page, fmt.Errorf("store: list feedback: %w", err)
	}
	return page, nil
}

// FeedbackItem returns one feedback item, or cx.ErrNotFound.
func (db *DB) FeedbackItem(ctx context.Context, ws, id int64) (text.Feedback, error) {
	f, _, err := scanFeedback(db.read.QueryRowContext(ctx, db.q(feedbackSelect+" WHERE f.workspace_id = ? AND f.id = ?"), ws, id))
	if errors.Is(err, sql.ErrNoRows) {
		return text.Feedback{}, fmt.Errorf("store: feedback %d: %w", id, cx.ErrNotFound)
	}
	if err != nil {
		return text.Feedback{}, fmt.Errorf("store: feedback %d: %w", id, err)
	}
	return f, nil
}

// eraseCustomerTextTx removes the free text a customer left outside survey
// comments and everything derived from their texts, for EraseCustomer: their
// feedback items keep source, rating and time (so counts keep their value)
// but lose text, author and URL; the language, sentiment and themes of
// their responses and feedback are deleted.
func (db *DB) eraseCustomerTextTx(ctx context.Context, tx dbtx, ws, customerID int64) error {
	for _, src := range []struct{ kind, table string }{{TextResponse, "responses"}, {TextFeedback, "feedback"}} {
		for _, derived := range []string{"text_sentiment", "response_themes"} {
			if _, err := tx.ExecContext(ctx, db.q("DELETE FROM "+derived+` WHERE workspace_id = ? AND kind = ? AND item_id IN (
				SELECT id FROM `+src.table+" WHERE workspace_id = ? AND customer_id = ?)"), ws, src.kind, ws, customerID); err != nil {
				return fmt.Errorf("erase %s of %s: %w", derived, src.table, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, db.q("UPDATE feedback SET text = '', author = '', url = '' WHERE workspace_id = ? AND customer_id = ?"), ws, customerID); err != nil {
		return fmt.Errorf("erase feedback text: %w", err)
	}
	return nil
}
