package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/alert"
	"github.com/cxlens/cxlens/internal/cx"
)

const assignmentColumns = "id, position, segment_key, segment_value, owners, created_at"

func scanAssignment(row interface{ Scan(...any) error }) (alert.AssignmentRule, error) {
	var a alert.AssignmentRule
	var owners string
	var created int64
	if err := row.Scan(&a.ID, &a.Position, &a.SegmentKey, &a.SegmentValue, &owners, &created); err != nil {
		return a, err
	}
	a.Owners = strings.Split(owners, ",")
	a.CreatedAt = fromMS(created)
	return a, nil
}

// CreateAssignmentRule validates and stores a case assignment rule.
func (db *DB) CreateAssignmentRule(ctx context.Context, ws int64, a alert.AssignmentRule) (alert.AssignmentRule, error) {
	if err := a.Validate(); err != nil {
		return a, fmt.Errorf("store: create assignment rule: %w", err)
	}
	if _, err := db.Workspace(ctx, ws); err != nil {
		return a, fmt.Errorf("store: create assignment rule: %w", err)
	}
	a.CreatedAt = db.now().Truncate(time.Millisecond)
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		ids, err := db.allocIDs(ctx, tx, "case_assignment_rules", ws, 1)
		if err != nil {
			return err
		}
		a.ID = ids[0]
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO case_assignment_rules (workspace_id, `+assignmentColumns+`, next_index)
			VALUES (?, ?, ?, ?, ?, ?, ?, 0)`), ws, a.ID, a.Position, a.SegmentKey, a.SegmentValue, strings.Join(a.Owners, ","), ms(a.CreatedAt))
		return err
	})
	if err != nil {
		return a, fmt.Errorf("store: create assignment rule: %w", err)
	}
	return a, nil
}

// AssignmentRules lists workspace ws's assignment rules in the order they
// are tried.
func (db *DB) AssignmentRules(ctx context.Context, ws int64) ([]alert.AssignmentRule, error) {
	out, err := db.assignmentRules(ctx, db.read, ws)
	if err != nil {
		return nil, fmt.Errorf("store: list assignment rules: %w", err)
	}
	return out, nil
}

func (db *DB) assignmentRules(ctx context.Context, q dbtx, ws int64) ([]alert.AssignmentRule, error) {
	rows, err := q.QueryContext(ctx, db.q("SELECT "+assignmentColumns+" FROM case_assignment_rules WHERE workspace_id = ? ORDER BY position, id"), ws)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []alert.AssignmentRule{}
	for rows.Next() {
		a, err := scanAssignment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// DeleteAssignmentRule removes an assignment rule.
func (db *DB) DeleteAssignmentRule(ctx context.Context, ws, id int64) error {
	res, err := db.write.ExecContext(ctx, db.q("DELETE FROM case_assignment_rules WHERE workspace_id = ? AND id = ?"), ws, id)
	if err != nil {
		return fmt.Errorf("store: delete assignment rule %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: delete assignment rule %d: %w", id, cx.ErrNotFound)
	}
	return nil
}

// assignOwners gives each new case without an owner one from the
// assignment rules, in tx. Each rule's turn counter is advanced by one
// UPDATE … RETURNING per rule and batch, which on PostgreSQL holds the
// rule's row lock until commit: concurrent transactions take consecutive
// turns, so the round-robin stays even under concurrency.
func (db *DB) assignOwners(ctx context.Context, tx dbtx, ws int64, cases []*Case) error {
	rules, err := db.assignmentRules(ctx, tx, ws)
	if err != nil {
		return fmt.Errorf("load assignment rules: %w", err)
	}
	if len(rules) == 0 {
		return nil
	}
	need := map[int64]bool{}
	for _, k := range cases {
		if k.CustomerID != 0 {
			need[k.CustomerID] = true
		}
	}
	attrs, err := db.customerAttributes(ctx, tx, ws, need)
	if err != nil {
		return err
	}
	byRule := map[int][]*Case{}
	var order []int
	for _, k := range cases {
		if k.Owner != "" {
			continue
		}
		var a cx.Attributes
		if k.CustomerID != 0 {
			a = attrs[k.CustomerID]
		}
		i := alert.MatchAssignment(rules, a)
		if i < 0 {
			continue
		}
		if _, ok := byRule[i]; !ok {
			order = append(order, i)
		}
		byRule[i] = append(byRule[i], k)
	}
	for _, i := range order {
		ks := byRule[i]
		var next int64
		if err := tx.QueryRowContext(ctx, db.q(`UPDATE case_assignment_rules SET next_index = next_index + ?
			WHERE workspace_id = ? AND id = ? RETURNING next_index`), len(ks), ws, rules[i].ID).Scan(&next); err != nil {
			return fmt.Errorf("take assignment turn: %w", err)
		}
		start := next - int64(len(ks))
		for n, k := range ks {
			k.Owner = alert.RoundRobin(rules[i].Owners, start+int64(n))
		}
	}
	return nil
}
