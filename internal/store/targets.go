package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cxlens/cxlens/internal/cx"
)

// SetTarget creates or replaces the target of a metric (and survey).
func (db *DB) SetTarget(ctx context.Context, ws int64, t cx.Target) (cx.Target, error) {
	if err := t.Validate(); err != nil {
		return cx.Target{}, fmt.Errorf("store: set target: %w", err)
	}
	t.UpdatedAt = db.now().Truncate(1e6)
	_, err := db.write.ExecContext(ctx, db.q(`INSERT INTO metric_targets (workspace_id, metric, survey, target, benchmark, benchmark_source, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (workspace_id, metric, survey) DO UPDATE SET target = excluded.target, benchmark = excluded.benchmark,
		benchmark_source = excluded.benchmark_source, updated_at = excluded.updated_at`),
		ws, t.Metric, t.Survey, floatOrNil(t.Target), floatOrNil(t.Benchmark), t.BenchmarkSource, ms(t.UpdatedAt))
	if err != nil {
		return cx.Target{}, fmt.Errorf("store: set target: %w", err)
	}
	return t, nil
}

// Targets lists a workspace's targets by metric and survey.
func (db *DB) Targets(ctx context.Context, ws int64) ([]cx.Target, error) {
	rows, err := db.read.QueryContext(ctx, db.q(`SELECT metric, survey, target, benchmark, benchmark_source, updated_at
		FROM metric_targets WHERE workspace_id = ? ORDER BY metric, survey`), ws)
	if err != nil {
		return nil, fmt.Errorf("store: list targets: %w", err)
	}
	defer rows.Close()
	out := []cx.Target{}
	for rows.Next() {
		t, err := scanTarget(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list targets: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Target returns the target of metric for survey, falling back to the
// metric's all-surveys target; cx.ErrNotFound when neither is set.
func (db *DB) Target(ctx context.Context, ws int64, metric, survey string) (cx.Target, error) {
	t, err := scanTarget(db.read.QueryRowContext(ctx, db.q(`SELECT metric, survey, target, benchmark, benchmark_source, updated_at
		FROM metric_targets WHERE workspace_id = ? AND metric = ? AND survey IN (?, '') ORDER BY survey DESC LIMIT 1`), ws, metric, survey))
	if errors.Is(err, sql.ErrNoRows) {
		return cx.Target{}, fmt.Errorf("store: target %s: %w", metric, cx.ErrNotFound)
	}
	if err != nil {
		return cx.Target{}, fmt.Errorf("store: target %s: %w", metric, err)
	}
	return t, nil
}

// DeleteTarget removes the target of metric (and survey).
func (db *DB) DeleteTarget(ctx context.Context, ws int64, metric, survey string) error {
	res, err := db.write.ExecContext(ctx, db.q("DELETE FROM metric_targets WHERE workspace_id = ? AND metric = ? AND survey = ?"), ws, metric, survey)
	if err != nil {
		return fmt.Errorf("store: delete target: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: target %s: %w", metric, cx.ErrNotFound)
	}
	return nil
}

func scanTarget(row interface{ Scan(...any) error }) (cx.Target, error) {
	var t cx.Target
	var target, bench sql.NullFloat64
	var updated int64
	if err := row.Scan(&t.Metric, &t.Survey, &target, &bench, &t.BenchmarkSource, &updated); err != nil {
		return t, err
	}
	if target.Valid {
		t.Target = &target.Float64
	}
	if bench.Valid {
		t.Benchmark = &bench.Float64
	}
	t.UpdatedAt = fromMS(updated)
	return t, nil
}

func floatOrNil(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}
