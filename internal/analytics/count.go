package analytics

import (
	"runtime"
	"sync"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/metrics"
)

// plan is a query resolved against one generation of the columns: what the
// counting kernel needs, with no maps or interfaces left in it.
type plan struct {
	d        *data
	width    int // scale values
	kind     cx.SurveyKind
	scale    metrics.Scale
	lo, hi   uint32 // submission time range, inclusive
	surveyOK []bool // by survey code; nil admits every survey
	filters  []colFilter
	days     *dayTable // nil: no per-day counts
	group    *column   // nil: no per-group counts
	none     bool      // no row can match
}

// tally holds counts per scale value: overall, per day (relative to the
// day table's day0) and per group code, each flattened as [i*width+v].
type tally struct {
	overall []uint32
	days    []uint32
	groups  []uint32
}

// block is the number of rows whose selection vector is built at a time:
// small enough to stay in L1 with the columns it touches.
const block = 4096

// run counts the matching rows with up to workers goroutines, each over its
// own range of rows, and adds their tallies.
func (p *plan) run(workers int) tally {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := p.d.n
	if p.none || n == 0 {
		return p.newTally()
	}
	// Below ~64k rows a goroutine costs more than it saves.
	workers = max(1, min(workers, n/65536))
	parts := make([]tally, workers)
	var wg sync.WaitGroup
	// Ranges start on block boundaries, where the blocks' time spans are.
	nb := (n + block - 1) / block
	for w := range workers {
		lo, hi := nb*w/workers*block, min(nb*(w+1)/workers*block, n)
		parts[w] = p.newTally()
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.count(lo, hi, &parts[w])
		}()
	}
	wg.Wait()
	t := parts[0]
	for _, o := range parts[1:] {
		addInto(t.overall, o.overall)
		addInto(t.days, o.days)
		addInto(t.groups, o.groups)
	}
	// The overall counts are the sum of either breakdown when there is one.
	switch {
	case t.days != nil:
		sumRows(t.overall, t.days, p.width)
	case t.groups != nil:
		sumRows(t.overall, t.groups, p.width)
	}
	return t
}

func (p *plan) newTally() tally {
	t := tally{overall: make([]uint32, p.width)}
	if p.days != nil {
		t.days = make([]uint32, p.days.nDays*p.width)
	}
	if p.group != nil {
		t.groups = make([]uint32, p.group.cardinality()*p.width)
	}
	return t
}

func addInto(dst, src []uint32) {
	for i, v := range src {
		dst[i] += v
	}
}

func sumRows(dst, m []uint32, width int) {
	for i := 0; i < len(m); i += width {
		for v := range width {
			dst[v] += m[i+v]
		}
	}
}

// count tallies rows lo..hi-1; lo is a multiple of block.
func (p *plan) count(lo, hi int, t *tally) {
	sel := make([]int32, block)
	surveys := p.d.cols[colSurvey].u16
	for b := lo; b < hi; b += block {
		e := min(b+block, hi)
		// The block's time span decides: skip it, take every row, or test
		// each row's time.
		bmin, bmax := p.d.blockMin[b/block], p.d.blockMax[b/block]
		if bmax < p.lo || bmin > p.hi {
			continue
		}
		inside := bmin >= p.lo && bmax <= p.hi
		var s []int32
		switch {
		case p.surveyOK != nil:
			s = selectSurveyTime(surveys, p.surveyOK, p.d.sec, p.lo, p.hi, b, e, sel)
		case inside:
			s = sel[:e-b]
			for i := range s {
				s[i] = int32(b + i)
			}
		default:
			s = selectTime(p.d.sec, p.lo, p.hi, b, e, sel)
		}
		for i := range p.filters {
			if len(s) == 0 {
				break
			}
			s = p.filters[i].apply(s)
		}
		if len(s) > 0 {
			p.tally(s, t)
		}
	}
}

// selectTime writes the rows of b..e-1 submitted in lo..hi into sel. The
// store is unconditional and the increment a flag, so a mix of matches does
// not cost branch mispredictions.
func selectTime(sec []uint32, lo, hi uint32, b, e int, sel []int32) []int32 {
	k := 0
	sec = sec[b:e]
	sel = sel[:len(sec)]
	for i, s := range sec {
		sel[k] = int32(b + i)
		k += b2i(s >= lo && s <= hi)
	}
	return sel[:k]
}

func selectSurveyTime(surveys []uint16, ok []bool, sec []uint32, lo, hi uint32, b, e int, sel []int32) []int32 {
	k := 0
	sec = sec[b:e]
	surveys = surveys[b:e]
	sel = sel[:len(sec)]
	for i, s := range sec {
		sel[k] = int32(b + i)
		k += b2i(ok[surveys[i]] && s >= lo && s <= hi)
	}
	return sel[:k]
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// tally adds the selected rows to t.
func (p *plan) tally(sel []int32, t *tally) {
	score := p.d.score
	w := p.width
	switch {
	case p.days != nil && p.group != nil:
		if p.group.u32 != nil {
			countDaysGroups(sel, score, p.d.sec, p.days, p.group.u32, w, t)
		} else {
			countDaysGroups(sel, score, p.d.sec, p.days, p.group.u16, w, t)
		}
	case p.days != nil:
		dt, days := p.days, t.days
		for _, i := range sel {
			days[dt.day(p.d.sec[i])*w+int(score[i])]++
		}
	case p.group != nil:
		if p.group.u32 != nil {
			countGroups(sel, score, p.group.u32, w, t.groups)
		} else {
			countGroups(sel, score, p.group.u16, w, t.groups)
		}
	default:
		o := t.overall
		for _, i := range sel {
			o[score[i]]++
		}
	}
}

func countGroups[T uint16 | uint32](sel []int32, score []int8, codes []T, w int, groups []uint32) {
	for _, i := range sel {
		groups[int(codes[i])*w+int(score[i])]++
	}
}

func countDaysGroups[T uint16 | uint32](sel []int32, score []int8, sec []uint32, dt *dayTable, codes []T, w int, t *tally) {
	days, groups := t.days, t.groups
	tab, base := dt.tab, dt.base
	for _, i := range sel {
		v := int(score[i])
		s := sec[i]
		d := tab[s/quarterSec-base]
		dd := int(d)
		if d == slowDay {
			dd = dt.day(s)
		}
		days[dd*w+v]++
		groups[int(codes[i])*w+v]++
	}
}
