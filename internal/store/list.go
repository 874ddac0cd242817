package store

import (
	"context"
	"fmt"
	"strings"
)

// listQuery builds the WHERE clause of a time-ordered, cursor-paged list.
type listQuery struct {
	where []string
	args  []any
}

func (l *listQuery) add(cond string, args ...any) {
	l.where = append(l.where, cond)
	l.args = append(l.args, args...)
}

// common adds the filters every list shares; alias is the main table's
// alias, timeCol its time column, and c the customers join alias.
func (l *listQuery) common(ws int64, alias, timeCol string, f ListFilter) error {
	after, err := decodeCursor(f.Cursor)
	if err != nil {
		return err
	}
	l.add(alias+".workspace_id = ?", ws)
	if after > 0 {
		l.add(alias+".id > ?", after)
	}
	if !f.From.IsZero() {
		l.add(alias+"."+timeCol+" >= ?", ms(f.From))
	}
	if !f.To.IsZero() {
		l.add(alias+"."+timeCol+" < ?", ms(f.To))
	}
	if f.Customer != "" {
		l.add("c.external_id = ?", f.Customer)
	}
	return nil
}

func (l *listQuery) sql(selectFrom, alias string, limit int) string {
	return selectFrom + " WHERE " + strings.Join(l.where, " AND ") + " ORDER BY " + alias + ".id LIMIT " + fmt.Sprint(limit+1)
}

// list runs a paged query and scans each row with scan.
func list[T any](ctx context.Context, db *DB, query string, args []any, limit int, scan func(interface{ Scan(...any) error }) (T, int64, error)) (Page[T], error) {
	rows, err := db.read.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return Page[T]{}, err
	}
	defer rows.Close()
	page := Page[T]{Items: []T{}}
	var lastID int64
	for rows.Next() {
		if len(page.Items) == limit {
			page.NextCursor = encodeCursor(lastID)
			break
		}
		item, id, err := scan(rows)
		if err != nil {
			return Page[T]{}, err
		}
		page.Items = append(page.Items, item)
		lastID = id
	}
	return page, rows.Err()
}
