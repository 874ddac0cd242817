package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cxlens/cxlens/internal/cx"
)

// CreateSurvey creates a survey; cx.ErrConflict when its key is taken.
func (db *DB) CreateSurvey(ctx context.Context, ws int64, s cx.Survey) (cx.Survey, error) {
	if err := s.Validate(); err != nil {
		return cx.Survey{}, fmt.Errorf("store: create survey: %w", err)
	}
	s.CreatedAt = db.now().Truncate(1e6)
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		ids, err := db.allocIDs(ctx, tx, "surveys", ws, 1)
		if err != nil {
			return err
		}
		s.ID = ids[0]
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO surveys (workspace_id, id, key, name, kind, scale_min, scale_max, question, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), ws, s.ID, s.Key, s.Name, string(s.Kind), s.ScaleMin, s.ScaleMax, s.Question, ms(s.CreatedAt))
		return err
	})
	if isUniqueViolation(err) {
		return cx.Survey{}, fmt.Errorf("store: create survey: key %q is taken: %w", s.Key, cx.ErrConflict)
	}
	if err != nil {
		return cx.Survey{}, fmt.Errorf("store: create survey: %w", err)
	}
	return s, nil
}

const surveyColumns = "id, key, name, kind, scale_min, scale_max, question, created_at"

func scanSurvey(row interface{ Scan(...any) error }) (cx.Survey, error) {
	var s cx.Survey
	var kind string
	var created int64
	err := row.Scan(&s.ID, &s.Key, &s.Name, &kind, &s.ScaleMin, &s.ScaleMax, &s.Question, &created)
	s.Kind = cx.SurveyKind(kind)
	s.CreatedAt = fromMS(created)
	return s, err
}

// Surveys lists a workspace's surveys by key.
func (db *DB) Surveys(ctx context.Context, ws int64) ([]cx.Survey, error) {
	rows, err := db.read.QueryContext(ctx, db.q("SELECT "+surveyColumns+" FROM surveys WHERE workspace_id = ? ORDER BY key"), ws)
	if err != nil {
		return nil, fmt.Errorf("store: list surveys: %w", err)
	}
	defer rows.Close()
	out := []cx.Survey{}
	for rows.Next() {
		s, err := scanSurvey(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list surveys: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Survey returns the survey with key, or cx.ErrNotFound.
func (db *DB) Survey(ctx context.Context, ws int64, key string) (cx.Survey, error) {
	s, err := scanSurvey(db.read.QueryRowContext(ctx, db.q("SELECT "+surveyColumns+" FROM surveys WHERE workspace_id = ? AND key = ?"), ws, key))
	if errors.Is(err, sql.ErrNoRows) {
		return cx.Survey{}, fmt.Errorf("store: survey %q: %w", key, cx.ErrNotFound)
	}
	if err != nil {
		return cx.Survey{}, fmt.Errorf("store: survey %q: %w", key, err)
	}
	return s, nil
}
