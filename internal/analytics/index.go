package analytics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// Source is what the index reads from the database; *store.DB is one.
type Source interface {
	Workspace(ctx context.Context, id int64) (cx.Workspace, error)
	Surveys(ctx context.Context, ws int64) ([]cx.Survey, error)
	ScanResponses(ctx context.Context, ws, afterID int64, fn func(store.ResponseRow) error) error
	ResponseRows(ctx context.Context, ws int64, ids []int64) ([]store.ResponseRow, error)
}

// Options tunes an Index.
type Options struct {
	// Logger receives build progress; slog.Default() when nil.
	Logger *slog.Logger
	// ProgressEvery is how often a build logs its progress; 5 s when 0.
	ProgressEvery time.Duration
	// Workers is how many goroutines a query uses; GOMAXPROCS when 0.
	Workers int
}

// Built-in attribute names. Response attributes with one of these names, or
// starting with CustomerPrefix, are indexed as "response.<name>".
const (
	AttrSurvey     = "survey"
	AttrLanguage   = "language"
	AttrChannel    = "channel"
	AttrTouchpoint = "touchpoint"
	// CustomerPrefix starts the name of every customer attribute.
	CustomerPrefix = "customer."
	// ResponsePrefix starts the name of a response attribute whose own name
	// is taken by a built-in.
	ResponsePrefix = "response."
)

// Index is the in-memory columnar index of one workspace's responses. It is
// safe for concurrent use: queries share a read lock, Add and the end of a
// Rebuild take the write lock briefly.
type Index struct {
	src  Source
	ws   int64
	opts Options

	mu sync.RWMutex
	d  *data

	// While a rebuild runs, added rows are also kept here, so the rebuilt
	// data gets those its scan did not see.
	pmu        sync.Mutex
	rebuilding bool
	pending    map[int64]store.ResponseRow
}

// surveyInfo is what a query needs of a survey.
type surveyInfo struct {
	id    int64
	key   string
	kind  cx.SurveyKind
	min   int
	width int // scale max − min + 1
}

// data is one generation of the columns; Rebuild replaces it whole.
type data struct {
	loc      *time.Location
	surveys  []surveyInfo // by survey code − 1
	byID     map[int64]uint32
	n        int
	score    []int8   // score − scale minimum
	sec      []uint32 // submitted_at, Unix seconds
	cols     []*column
	colIdx   map[string]int
	min, max uint32 // submission time range
	maxID    int64
	// Per block of rows (see block), the smallest and largest submission
	// time, so a time range skips the blocks outside it: responses arrive
	// roughly in time order, so blocks are narrow.
	blockMin, blockMax []uint32
}

// column indexes of the built-ins.
const (
	colSurvey = iota
	colLanguage
	colChannel
	colTouchpoint
)

// ErrUnknownSurvey is returned by Add for a row of a survey the index does
// not know even after reloading the surveys.
var ErrUnknownSurvey = errors.New("analytics: unknown survey")

func newData(loc *time.Location, surveys []cx.Survey) *data {
	d := &data{loc: loc, byID: map[int64]uint32{}, colIdx: map[string]int{}, min: math.MaxUint32}
	for _, name := range []string{AttrSurvey, AttrLanguage, AttrChannel, AttrTouchpoint} {
		d.colIdx[name] = len(d.cols)
		d.cols = append(d.cols, newColumn(name, 0))
	}
	d.setSurveys(surveys)
	return d
}

// setSurveys adds surveys not yet known; codes of known ones never change.
func (d *data) setSurveys(surveys []cx.Survey) {
	for _, s := range surveys {
		if _, ok := d.byID[s.ID]; ok {
			continue
		}
		c := d.cols[colSurvey].code(s.Key)
		for len(d.surveys) < int(c) {
			d.surveys = append(d.surveys, surveyInfo{})
		}
		d.surveys[c-1] = surveyInfo{id: s.ID, key: s.Key, kind: s.Kind, min: s.ScaleMin, width: s.ScaleMax - s.ScaleMin + 1}
		d.byID[s.ID] = c
	}
}

// column returns the named column, creating it with rows missing values
// if new.
func (d *data) column(name string, rows int) *column {
	if i, ok := d.colIdx[name]; ok {
		return d.cols[i]
	}
	c := newColumn(name, rows)
	d.colIdx[name] = len(d.cols)
	d.cols = append(d.cols, c)
	return c
}

// responseAttr is the column name of a response attribute.
func responseAttr(k string) string {
	switch {
	case k == AttrSurvey, k == AttrLanguage, k == AttrChannel, k == AttrTouchpoint,
		strings.HasPrefix(k, CustomerPrefix), strings.HasPrefix(k, ResponsePrefix):
		return ResponsePrefix + k
	}
	return k
}

// add appends one response.
func (d *data) add(r *store.ResponseRow) error {
	sc, ok := d.byID[r.SurveyID]
	if !ok {
		return fmt.Errorf("%w: id %d (response %d)", ErrUnknownSurvey, r.SurveyID, r.ID)
	}
	s := d.surveys[sc-1]
	v := r.Score - s.min
	if v < 0 || v >= s.width {
		return fmt.Errorf("analytics: response %d: score %d outside the scale of survey %q", r.ID, r.Score, s.key)
	}
	t := r.SubmittedAt.Unix()
	if t < 0 || t > math.MaxUint32 {
		return fmt.Errorf("analytics: response %d: submitted_at %s outside 1970–2106", r.ID, r.SubmittedAt)
	}
	for _, c := range d.cols {
		c.push(0)
	}
	d.cols[colSurvey].set(d.n, sc)
	d.cols[colLanguage].set(d.n, d.cols[colLanguage].code(r.Language))
	d.cols[colChannel].set(d.n, d.cols[colChannel].code(r.Channel))
	d.cols[colTouchpoint].set(d.n, d.cols[colTouchpoint].code(r.Touchpoint))
	// Personal data (cx.IsPII) is not a segment and must not outlive an
	// erasure in memory: it is not indexed.
	for k := range r.Attributes {
		if cx.IsPII(k) {
			continue
		}
		c := d.column(responseAttr(k), d.n+1)
		c.set(d.n, c.code(r.Attributes.String(k)))
	}
	for k := range r.CustomerAttributes {
		if cx.IsPII(k) {
			continue
		}
		c := d.column(CustomerPrefix+k, d.n+1)
		c.set(d.n, c.code(r.CustomerAttributes.String(k)))
	}
	d.score = append(d.score, int8(v))
	d.sec = append(d.sec, uint32(t))
	d.min, d.max = min(d.min, uint32(t)), max(d.max, uint32(t))
	if b := d.n / block; b == len(d.blockMin) {
		d.blockMin, d.blockMax = append(d.blockMin, uint32(t)), append(d.blockMax, uint32(t))
	} else {
		d.blockMin[b], d.blockMax[b] = min(d.blockMin[b], uint32(t)), max(d.blockMax[b], uint32(t))
	}
	d.maxID = max(d.maxID, r.ID)
	d.n++
	return nil
}

func (d *data) trim() {
	d.score = append([]int8(nil), d.score...)
	d.sec = append([]uint32(nil), d.sec...)
	d.blockMin = append([]uint32(nil), d.blockMin...)
	d.blockMax = append([]uint32(nil), d.blockMax...)
	for _, c := range d.cols {
		c.trim()
	}
}

// Stats describes the index's size.
type Stats struct {
	// Rows is the number of responses indexed.
	Rows int
	// Columns lists the attribute names, built-ins first.
	Columns []string
	// Bytes is the memory held by the columns and dictionaries.
	Bytes int64
	// BytesPerResponse is Bytes / Rows.
	BytesPerResponse float64
	// MaxID is the largest response id indexed.
	MaxID int64
}

// Stats returns the index's size.
func (ix *Index) Stats() Stats {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	d := ix.d
	st := Stats{Rows: d.n, MaxID: d.maxID, Bytes: int64(cap(d.score)) + 4*int64(cap(d.sec)+cap(d.blockMin)+cap(d.blockMax))}
	for _, c := range d.cols {
		st.Columns = append(st.Columns, c.name)
		st.Bytes += c.bytes()
	}
	if d.n > 0 {
		st.BytesPerResponse = float64(st.Bytes) / float64(d.n)
	}
	return st
}

// Attributes lists the names that Filter.Attr and Query.GroupBy accept, with
// the number of distinct values of each.
func (ix *Index) Attributes() map[string]int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make(map[string]int, len(ix.d.cols))
	for _, c := range ix.d.cols {
		out[c.name] = len(c.values)
	}
	return out
}
