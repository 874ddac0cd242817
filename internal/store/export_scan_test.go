package store

import (
	"context"
	"strings"
)

// ResponseRowsPlanForTest returns PostgreSQL's plan (EXPLAIN) of
// ResponseRows's query for ids.
func ResponseRowsPlanForTest(ctx context.Context, db *DB, ws int64, ids []int64) (string, error) {
	rows, err := db.read.QueryContext(ctx, "EXPLAIN "+db.q(responseRowsProbe), ids, ws)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return "", err
		}
		b.WriteString(line + "\n")
	}
	return b.String(), rows.Err()
}
