// Package analytics keeps an in-memory columnar index of a workspace's
// survey responses and answers dashboard queries from it in milliseconds:
// counts per score value overall, per time bucket (day, ISO week, month,
// quarter in the workspace's time zone, optionally over rolling windows) and
// per segment, with every statistic computed by internal/metrics.
//
// The database stays the source of truth: the index is built from it
// (store.DB.ScanResponses), appended to after each ingest (Index.Add,
// Index.AddIDs) and rebuilt on demand (Index.Rebuild). Its answers equal
// the same query done in plain SQL (sqlref.go; checked on random data on
// SQLite and PostgreSQL by index_sql_test.go).
//
// Layout, per response: the survey (uint16 code), the score minus the
// survey's scale minimum (int8), the submission time (uint32 Unix seconds)
// and one dictionary-encoded column per attribute (uint16 codes, widened to
// uint32 past 65,535 distinct values; 0 = missing): the built-in language,
// channel and touchpoint, each response attribute by its name, and each
// customer attribute as "customer.<name>". That is 7 bytes plus 2 per
// attribute: 29 bytes for 11 attributes. Each block of 4,096 rows also keeps
// its time span, so a query over a recent period skips the older blocks.
//
// A query is one pass over the rows, split between GOMAXPROCS goroutines by
// row range: per block, a selection vector of the rows in the survey and time
// range, narrowed by each filter through a per-code lookup table, then
// counted per score value per local day (through a quarter-hour → day table,
// so no time zone arithmetic per row) and per group code. Buckets, rolling
// windows and the statistics are computed from those counts.
//
// Customer attributes are read when a response is indexed; a change to a
// customer's attributes shows after Rebuild.
package analytics
