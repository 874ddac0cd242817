package web

import (
	"context"
	"log/slog"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// maxSubmitBatch is the most answers one transaction commits.
const maxSubmitBatch = 512

// submitter commits the answers of anonymous links and the widget in
// groups (group commit): while one transaction is being synced to disk,
// the answers that arrive queue up and the next transaction takes them
// all. Every answer is acknowledged only after its transaction committed,
// so durability is that of a transaction per answer, for a fraction of the
// syncs. On SQLite, which has one writer, this is what lets submissions
// scale past one fsync per answer.
type submitter struct {
	db     *store.DB
	logger *slog.Logger
	queue  chan *submission
}

type submission struct {
	ws   int64
	r    cx.Response
	done chan store.SurveyAnswerResult
}

func newSubmitter(db *store.DB, logger *slog.Logger) *submitter {
	s := &submitter{db: db, logger: logger, queue: make(chan *submission, 4*maxSubmitBatch)}
	// SQLite has one writer: one flusher makes the largest groups. On
	// PostgreSQL several transactions commit at once, so a few flushers
	// overlap their commits (bench/survey: see the README).
	flushers := 1
	if db.Dialect() == store.Postgres {
		flushers = 4
	}
	for range flushers {
		go s.run()
	}
	return s
}

// submit stores r in workspace ws and waits for the commit.
func (s *submitter) submit(ctx context.Context, ws int64, r cx.Response) store.SurveyAnswerResult {
	sub := &submission{ws: ws, r: r, done: make(chan store.SurveyAnswerResult, 1)}
	select {
	case s.queue <- sub:
	case <-ctx.Done():
		return store.SurveyAnswerResult{Err: ctx.Err()}
	}
	// Once queued the answer will be committed or fail; wait for which, so
	// the caller never reports a failure for an answer that was stored.
	return <-sub.done
}

func (s *submitter) run() {
	for first := range s.queue {
		batch := []*submission{first}
	collect:
		for len(batch) < maxSubmitBatch {
			select {
			case sub := <-s.queue:
				batch = append(batch, sub)
			default:
				break collect
			}
		}
		s.flush(batch)
	}
}

// flush commits a batch, one transaction per workspace.
func (s *submitter) flush(batch []*submission) {
	byWS := map[int64][]*submission{}
	var order []int64
	for _, sub := range batch {
		if _, ok := byWS[sub.ws]; !ok {
			order = append(order, sub.ws)
		}
		byWS[sub.ws] = append(byWS[sub.ws], sub)
	}
	for _, ws := range order {
		subs := byWS[ws]
		rs := make([]cx.Response, len(subs))
		for i, sub := range subs {
			rs[i] = sub.r
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		res, err := s.db.InsertSurveyAnswers(ctx, ws, rs)
		cancel()
		for i, sub := range subs {
			if err != nil {
				sub.done <- store.SurveyAnswerResult{Err: err}
				continue
			}
			sub.done <- res[i]
		}
	}
}
