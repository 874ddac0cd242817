package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/cxlens/cxlens/internal/store"
)

// SQLCounts is the answer of the plain SQL reference: counts per score
// value (the score itself, not its offset) overall, per bucket and per
// group. Buckets are keyed by their first local day (2006-01-02); groups by
// value, "" for missing.
type SQLCounts struct {
	// Overall maps a score to its count.
	Overall map[int]int64
	// Buckets maps a bucket's first day to its counts; empty without an
	// interval.
	Buckets map[string]map[int]int64
	// Groups maps a group value to its counts; empty without GroupBy.
	Groups map[string]map[int]int64
}

// SQLReference answers q's counts with plain SQL on db (json_extract on
// SQLite, ->> on PostgreSQL; customers joined for customer attributes), the
// reference the index is tested and benchmarked against. tz is the
// workspace time zone; SQLite can bucket only in UTC. Rolling, TopN and the
// statistics are not part of it: they are computed from these counts.
// Attribute values are compared as text, so the reference is exact for
// string attributes (SQLite's json_extract returns numbers and booleans as
// such). Personal-data attributes (cx.IsPII) are not indexed, so they are
// not compared.
func SQLReference(ctx context.Context, db *store.DB, ws int64, q Query, tz string) (SQLCounts, error) {
	var out SQLCounts
	where := []string{"r.workspace_id = ?"}
	args := []any{ws}
	if q.Survey != "" {
		where = append(where, "s.key = ?")
		args = append(args, q.Survey)
	}
	if q.Kind != "" {
		where = append(where, "s.kind = ?")
		args = append(args, string(q.Kind))
	}
	if !q.From.IsZero() {
		where = append(where, "r.submitted_at >= ?")
		args = append(args, q.From.Unix()*1000)
	}
	if !q.To.IsZero() {
		where = append(where, "r.submitted_at < ?")
		args = append(args, q.To.Unix()*1000)
	}
	pg := db.Dialect() == store.Postgres
	for _, f := range q.Filters {
		expr, eargs := sqlAttr(f.Attr, pg)
		where = append(where, "coalesce("+expr+", '') IN (?"+strings.Repeat(", ?", len(f.Values)-1)+")")
		args = append(args, eargs...)
		for _, v := range f.Values {
			args = append(args, v)
		}
	}
	from := ` FROM responses r
	JOIN surveys s ON s.workspace_id = r.workspace_id AND s.id = r.survey_id
	LEFT JOIN customers c ON c.workspace_id = r.workspace_id AND c.id = r.customer_id
	WHERE ` + strings.Join(where, " AND ")

	var err error
	one, err := sqlCounts(ctx, db, "SELECT '', r.score, count(*)"+from+" GROUP BY r.score", args)
	if err != nil {
		return out, err
	}
	out.Overall = one[""]
	if out.Overall == nil {
		out.Overall = map[int]int64{}
	}
	if q.Interval != NoInterval {
		expr, err := sqlBucket(q.Interval, pg, tz)
		if err != nil {
			return out, err
		}
		if out.Buckets, err = sqlCounts(ctx, db, "SELECT "+expr+", r.score, count(*)"+from+" GROUP BY 1, 2", args); err != nil {
			return out, err
		}
	}
	if q.GroupBy != "" {
		expr, eargs := sqlAttr(q.GroupBy, pg)
		gargs := append(append([]any{}, eargs...), args...)
		if out.Groups, err = sqlCounts(ctx, db, "SELECT coalesce("+expr+", ''), r.score, count(*)"+from+" GROUP BY 1, 2", gargs); err != nil {
			return out, err
		}
	}
	return out, nil
}

// sqlAttr is the SQL expression of an attribute, with its arguments.
func sqlAttr(attr string, pg bool) (string, []any) {
	json := func(col, key string) (string, []any) {
		if pg {
			return col + " ->> ?::text", []any{key}
		}
		return "json_extract(" + col + ", ?)", []any{`$."` + strings.ReplaceAll(key, `"`, `\"`) + `"`}
	}
	switch {
	case attr == AttrSurvey:
		return "s.key", nil
	case attr == AttrLanguage, attr == AttrChannel, attr == AttrTouchpoint:
		return "r." + attr, nil
	case strings.HasPrefix(attr, CustomerPrefix):
		return json("c.attributes", strings.TrimPrefix(attr, CustomerPrefix))
	case strings.HasPrefix(attr, ResponsePrefix):
		return json("r.attributes", strings.TrimPrefix(attr, ResponsePrefix))
	}
	return json("r.attributes", attr)
}

// sqlBucket is the SQL expression of a bucket's first local day.
func sqlBucket(iv Interval, pg bool, tz string) (string, error) {
	if pg {
		unit := map[Interval]string{Day: "day", Week: "week", Month: "month", Quarter: "quarter"}[iv]
		// tz is a zone name the workspace validated; quoted as a literal
		// because date_trunc's unit must be one too.
		return fmt.Sprintf("to_char(date_trunc('%s', to_timestamp(r.submitted_at / 1000) AT TIME ZONE '%s'), 'YYYY-MM-DD')",
			unit, strings.ReplaceAll(tz, "'", "''")), nil
	}
	if tz != "" && tz != "UTC" {
		return "", fmt.Errorf("analytics: SQL reference: SQLite buckets only in UTC, not %s", tz)
	}
	const t = "r.submitted_at / 1000, 'unixepoch'"
	switch iv {
	case Day:
		return "date(" + t + ")", nil
	case Week:
		return "date(" + t + ", '-6 days', 'weekday 1')", nil
	case Month:
		return "date(" + t + ", 'start of month')", nil
	}
	return "date(" + t + ", 'start of month', printf('-%d months', (cast(strftime('%m', " + t + ") AS INTEGER) - 1) % 3))", nil
}

// sqlCounts runs a query returning (key, score, count) rows.
func sqlCounts(ctx context.Context, db *store.DB, query string, args []any) (map[string]map[int]int64, error) {
	rows, err := db.ReadQuery(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("analytics: SQL reference: %w", err)
	}
	defer rows.Close()
	out := map[string]map[int]int64{}
	for rows.Next() {
		var key sql.NullString
		var score int
		var n int64
		if err := rows.Scan(&key, &score, &n); err != nil {
			return nil, fmt.Errorf("analytics: SQL reference: %w", err)
		}
		if out[key.String] == nil {
			out[key.String] = map[int]int64{}
		}
		out[key.String][score] += n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("analytics: SQL reference: %w", err)
	}
	return out, nil
}
