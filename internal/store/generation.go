package store

import "sync/atomic"

// Generation returns a number that changes whenever this DB writes the
// customers, events or tickets of workspace ws (inserts, upserts,
// erasure), and with responses also its survey responses. Caches of data
// derived from them (report.Snapshots) compare it to know whether they are
// stale. It sees only this process's writes; caches bound their age for
// the writes of others.
func (db *DB) Generation(ws int64, responses bool) uint64 {
	g := db.counter(ws, false).Load()
	if responses {
		g += db.counter(ws, true).Load()
	}
	return g
}

// touch moves ws's generation on; write functions call it once their
// change is committed (or may have been: a failed commit only costs a
// cache a needless reload). Writes of responses move only their counter,
// so caches of the behavioural data survive a stream of survey answers.
func (db *DB) touch(ws int64, responses bool) {
	db.counter(ws, responses).Add(1)
}

// counter returns one of ws's two write counters.
func (db *DB) counter(ws int64, responses bool) *atomic.Uint64 {
	type key struct {
		ws        int64
		responses bool
	}
	k := key{ws, responses}
	if c, ok := db.generations.Load(k); ok {
		return c.(*atomic.Uint64)
	}
	c, _ := db.generations.LoadOrStore(k, new(atomic.Uint64))
	return c.(*atomic.Uint64)
}
