package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

var responseColumns = []string{"workspace_id", "id", "customer_id", "survey_id", "submitted_at", "score", "comment",
	"language", "channel", "touchpoint", "attributes", "idempotency_key", "created_at"}

// InsertResponses validates and stores survey responses, creating the
// customers they name. See BatchOptions for atomic and partial batches.
func (db *DB) InsertResponses(ctx context.Context, ws int64, rs []cx.Response, opts BatchOptions) (BatchResult, error) {
	res, _, err := db.insertResponses(ctx, ws, rs, opts, false, nil)
	return res, err
}

// InsertResponsesRows is InsertResponses that also returns the responses
// it created as the analytics index reads them (what ResponseRows would
// return for their ids), built from the batch itself and the customer
// attributes its customer lookup read: ingest hands them to the index
// instead of the index reading back the rows just written.
func (db *DB) InsertResponsesRows(ctx context.Context, ws int64, rs []cx.Response, opts BatchOptions) (BatchResult, []ResponseRow, error) {
	return db.insertResponses(ctx, ws, rs, opts, true, nil)
}

// insertResponses writes a batch of responses with everything that goes
// with them in the same transaction: comment analysis, response.created
// messages and alert rules. then, if not nil, runs for each created
// response with its id; wantRows returns the created rows as
// InsertResponsesRows does.
func (db *DB) insertResponses(ctx context.Context, ws int64, rs []cx.Response, opts BatchOptions, wantRows bool, then func(ctx context.Context, tx dbtx, id int64) error) (BatchResult, []ResponseRow, error) {
	surveys, err := db.surveysByKey(ctx, ws)
	if err != nil {
		return BatchResult{}, nil, fmt.Errorf("store: insert responses: %w", err)
	}
	now := db.now()
	created := ms(now)
	ids := make([]int64, len(rs))
	var comments *preparedText
	var customerAttrs map[string][]byte
	var createdIdx []int
	var customerIDs map[string]int64
	if wantRows {
		customerAttrs = map[string][]byte{}
	}
	res, err := db.ingest(ctx, ws, opts, batchSpec{
		prepare: func(ctx context.Context) (err error) {
			comments, err = db.prepareResponseText(ctx, ws, rs)
			return err
		},
		what: "responses", table: "responses", columns: responseColumns, n: len(rs),
		validate: func(i int) []cx.FieldError {
			s, ok := surveys[rs[i].Survey]
			if !ok {
				return rs[i].Validate(nil, now)
			}
			rs[i].SurveyID = s.ID
			return rs[i].Validate(&s, now)
		},
		key:      func(i int) string { return rs[i].IdempotencyKey },
		customer: func(i int) (string, time.Time) { return rs[i].Customer, rs[i].SubmittedAt },
		row: func(i int, id, customer int64) ([]any, error) {
			ids[i] = id
			r := &rs[i]
			attrs, err := encodeAttrs(r.Attributes)
			if err != nil {
				return nil, err
			}
			return []any{ws, id, nullID(customer), r.SurveyID, ms(r.SubmittedAt), *r.Score, r.Comment,
				r.Language, r.Channel, r.Touchpoint, attrs, nullString(r.IdempotencyKey), created}, nil
		},
		customerAttrs: customerAttrs,
		after: func(ctx context.Context, tx dbtx, fresh []int, customers map[string]int64) error {
			createdIdx, customerIDs = fresh, customers
			if then != nil {
				for _, i := range fresh {
					if err := then(ctx, tx, ids[i]); err != nil {
						return err
					}
				}
			}
			if err := db.enqueueResponsesCreated(ctx, tx, ws, rs, ids, fresh, fromMS(created)); err != nil {
				return err
			}
			if err := db.writeResponseTextTx(ctx, tx, ws, comments, ids, fresh); err != nil {
				return err
			}
			return db.evaluateAlerts(ctx, tx, ws, rs, ids, fresh, customers, surveys, fromMS(created))
		},
	})
	if err != nil || !wantRows {
		return res, nil, err
	}
	rows, err := responseRowsOf(rs, ids, createdIdx, customerIDs, customerAttrs)
	if err != nil {
		return BatchResult{}, nil, fmt.Errorf("store: insert responses: %w", err)
	}
	return res, rows, nil
}

// responseRowsOf builds the ResponseRows of the created responses (the
// batch indexes in fresh, in id order) as ResponseRows would read them
// back: times at the stored millisecond, attributes through their stored
// JSON, customers' attributes as stored (none for a new customer).
func responseRowsOf(rs []cx.Response, ids []int64, fresh []int, customers map[string]int64, attrs map[string][]byte) ([]ResponseRow, error) {
	out := make([]ResponseRow, 0, len(fresh))
	decoded := map[string]cx.Attributes{}
	for _, i := range fresh {
		r := &rs[i]
		row := ResponseRow{ID: ids[i], SurveyID: r.SurveyID, SubmittedAt: fromMS(ms(r.SubmittedAt)), Score: *r.Score,
			Language: r.Language, Channel: r.Channel, Touchpoint: r.Touchpoint}
		if len(r.Attributes) > 0 {
			enc, err := encodeAttrs(r.Attributes)
			if err != nil {
				return nil, err
			}
			if row.Attributes, err = decodeAttrs([]byte(enc)); err != nil {
				return nil, fmt.Errorf("response %d: %w", row.ID, err)
			}
		}
		if r.Customer != "" {
			row.CustomerID = customers[r.Customer]
			a, ok := decoded[r.Customer]
			if !ok {
				var err error
				if a, err = decodeAttrs(attrs[r.Customer]); err != nil {
					return nil, fmt.Errorf("response %d: customer: %w", row.ID, err)
				}
				decoded[r.Customer] = a
			}
			row.CustomerAttributes = a
		}
		out = append(out, row)
	}
	return out, nil
}

// TopicResponseCreated is the outbox topic (and webhook event type) of a
// stored response.
const TopicResponseCreated = "response.created"

// enqueueResponsesCreated writes a response.created outbox message per
// created response, in the ingest transaction, when a webhook listens: the
// payload is the response as GET /api/v1/responses/{id} shows it.
func (db *DB) enqueueResponsesCreated(ctx context.Context, tx dbtx, ws int64, rs []cx.Response, ids []int64, fresh []int, created time.Time) error {
	if len(fresh) == 0 {
		return nil
	}
	ok, err := db.subscribed(ctx, tx, ws, TopicResponseCreated)
	if err != nil || !ok {
		return err
	}
	msgs := make([]Message, 0, len(fresh))
	for _, i := range fresh {
		r := rs[i]
		r.ID, r.CreatedAt = ids[i], created
		b, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("encode %s: %w", TopicResponseCreated, err)
		}
		msgs = append(msgs, Message{Topic: TopicResponseCreated, Payload: b})
	}
	_, err = db.enqueueTx(ctx, tx, ws, msgs)
	return err
}

// surveysByKey loads every survey of the workspace; there are few.
func (db *DB) surveysByKey(ctx context.Context, ws int64) (map[string]cx.Survey, error) {
	list, err := db.Surveys(ctx, ws)
	if err != nil {
		return nil, err
	}
	out := make(map[string]cx.Survey, len(list))
	for _, s := range list {
		out[s.Key] = s
	}
	return out, nil
}

const responseSelect = `SELECT r.id, s.key, coalesce(c.external_id, ''), r.submitted_at, r.score, r.comment, r.language,
	r.channel, r.touchpoint, r.attributes, coalesce(r.idempotency_key, ''), r.created_at
	FROM responses r
	JOIN surveys s ON s.workspace_id = r.workspace_id AND s.id = r.survey_id
	LEFT JOIN customers c ON c.workspace_id = r.workspace_id AND c.id = r.customer_id`

func scanResponse(row interface{ Scan(...any) error }) (cx.Response, int64, error) {
	var r cx.Response
	var submitted, created int64
	var score int
	var attrs []byte
	err := row.Scan(&r.ID, &r.Survey, &r.Customer, &submitted, &score, &r.Comment, &r.Language,
		&r.Channel, &r.Touchpoint, &attrs, &r.IdempotencyKey, &created)
	if err != nil {
		return r, 0, err
	}
	r.Score = &score
	r.SubmittedAt, r.CreatedAt = fromMS(submitted), fromMS(created)
	r.Attributes, err = decodeAttrs(attrs)
	return r, r.ID, err
}

// Responses lists responses in the order they were stored.
func (db *DB) Responses(ctx context.Context, ws int64, f ResponseFilter) (Page[cx.Response], error) {
	var l listQuery
	if err := l.common(ws, "r", "submitted_at", f.ListFilter); err != nil {
		return Page[cx.Response]{}, fmt.Errorf("store: list responses: %w", err)
	}
	if f.Survey != "" {
		l.add("s.key = ?", f.Survey)
	}
	page, err := list(ctx, db, l.sql(responseSelect, "r", f.limit()), l.args, f.limit(), scanResponse)
	if err != nil {
		return page, fmt.Errorf("store: list responses: %w", err)
	}
	return page, nil
}

// Response returns one response, or cx.ErrNotFound.
func (db *DB) Response(ctx context.Context, ws, id int64) (cx.Response, error) {
	r, _, err := scanResponse(db.read.QueryRowContext(ctx, db.q(responseSelect+" WHERE r.workspace_id = ? AND r.id = ?"), ws, id))
	if errors.Is(err, sql.ErrNoRows) {
		return cx.Response{}, fmt.Errorf("store: response %d: %w", id, cx.ErrNotFound)
	}
	if err != nil {
		return cx.Response{}, fmt.Errorf("store: response %d: %w", id, err)
	}
	return r, nil
}

// nullID stores 0 as NULL (an anonymous response has no customer).
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// nullString stores "" as NULL (no idempotency key).
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
