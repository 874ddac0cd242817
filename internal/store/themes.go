package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/text"
	"github.com/cxlens/cxlens/internal/text/themes"
)

// Kinds of analysed text items.
const (
	TextResponse = "response" // a survey response's comment
	TextFeedback = "feedback" // a feedback item
)

// Sources of a theme tag.
const (
	TagAuto    = "auto"    // assigned by the tagger; replaced on every re-run
	TagManual  = "manual"  // added by a person; kept across re-runs
	TagRemoved = "removed" // taken off by a person; re-runs do not bring it back
)

// Theme statuses.
const (
	ThemeActive   = "active"
	ThemeExcluded = "excluded" // kept in the codeframe, never tagged or reported
)

// WorkspaceCodeframe is the codeframe a workspace tags with.
type WorkspaceCodeframe struct {
	Codeframe themes.Codeframe
	Excluded  []string // IDs of excluded themes, sorted
	// Own is false while the workspace uses the starter codeframe
	// (themes.Starter) because it has not saved one of its own.
	Own bool
	// Hash identifies the codeframe's content; "" for the starter.
	Hash string
}

// IsExcluded reports whether theme id is excluded.
func (w WorkspaceCodeframe) IsExcluded(id string) bool {
	i := sort.SearchStrings(w.Excluded, id)
	return i < len(w.Excluded) && w.Excluded[i] == id
}

// Codeframe returns the workspace's codeframe, or the starter codeframe
// when it has none of its own.
func (db *DB) Codeframe(ctx context.Context, ws int64) (WorkspaceCodeframe, error) {
	w, err := loadCodeframe(ctx, db, db.read, ws)
	if err != nil {
		return WorkspaceCodeframe{}, fmt.Errorf("store: codeframe: %w", err)
	}
	return w, nil
}

func loadCodeframe(ctx context.Context, db *DB, q dbtx, ws int64) (WorkspaceCodeframe, error) {
	rows, err := q.QueryContext(ctx, db.q("SELECT id, parent, name, terms, exclude, status FROM text_themes WHERE workspace_id = ? ORDER BY position"), ws)
	if err != nil {
		return WorkspaceCodeframe{}, err
	}
	defer rows.Close()
	var list []themes.Theme
	var excluded []string
	for rows.Next() {
		var t themes.Theme
		var terms, excl []byte
		var status string
		if err := rows.Scan(&t.ID, &t.Parent, &t.Name, &terms, &excl, &status); err != nil {
			return WorkspaceCodeframe{}, err
		}
		if err := json.Unmarshal(terms, &t.Terms); err != nil {
			return WorkspaceCodeframe{}, fmt.Errorf("theme %q terms: %w", t.ID, err)
		}
		if err := json.Unmarshal(excl, &t.Exclude); err != nil {
			return WorkspaceCodeframe{}, fmt.Errorf("theme %q exclude: %w", t.ID, err)
		}
		if status == ThemeExcluded {
			excluded = append(excluded, t.ID)
		}
		list = append(list, t)
	}
	if err := rows.Err(); err != nil {
		return WorkspaceCodeframe{}, err
	}
	if len(list) == 0 {
		return WorkspaceCodeframe{Codeframe: themes.Starter()}, nil
	}
	c, err := themes.New("workspace", list)
	if err != nil {
		return WorkspaceCodeframe{}, err
	}
	sort.Strings(excluded)
	return WorkspaceCodeframe{Codeframe: c, Excluded: excluded, Own: true, Hash: codeframeHash(c, excluded)}, nil
}

// codeframeHash identifies a codeframe's content, so compiled taggers can
// be shared by every workspace (and database) holding the same one.
func codeframeHash(c themes.Codeframe, excluded []string) string {
	b, _ := json.Marshal(c) // a validated codeframe always encodes
	h := sha256.New()
	h.Write(b)
	h.Write([]byte(strings.Join(excluded, "\x00")))
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// CodeframeChange is an edit to save with SaveCodeframe.
type CodeframeChange struct {
	Codeframe themes.Codeframe
	Excluded  []string // IDs of excluded themes
	// Rewrite renames theme IDs in stored tags (old → new, "" to drop), as
	// after a merge; tags of themes no longer in the codeframe are dropped.
	Rewrite map[string]string
}

// SaveCodeframe replaces the workspace's codeframe, rewrites or drops the
// stored tags of renamed and deleted themes, and re-tags every comment
// with the new codeframe (manual tags are kept). It returns the number of
// comments re-tagged.
func (db *DB) SaveCodeframe(ctx context.Context, ws int64, ch CodeframeChange) (int, error) {
	if len(ch.Codeframe.Themes) == 0 {
		return 0, fmt.Errorf("store: save codeframe: %w", cx.Invalid("codeframe", "needs at least one theme (reset it to return to the starter)"))
	}
	c, err := themes.New("workspace", ch.Codeframe.Themes)
	if err != nil {
		return 0, fmt.Errorf("store: save codeframe: %w", cx.Invalid("codeframe", err.Error()))
	}
	excluded := map[string]bool{}
	for _, id := range ch.Excluded {
		if _, ok := c.Theme(id); !ok {
			return 0, fmt.Errorf("store: save codeframe: %w", cx.Invalid("excluded", fmt.Sprintf("unknown theme %q", id)))
		}
		excluded[id] = true
	}
	now := ms(db.now())
	err = db.inWriteTx(ctx, func(tx dbtx) error {
		if _, err := tx.ExecContext(ctx, db.q("DELETE FROM text_themes WHERE workspace_id = ?"), ws); err != nil {
			return err
		}
		for i, t := range c.Themes {
			terms, err := json.Marshal(orEmpty(t.Terms))
			if err != nil {
				return err
			}
			excl, err := json.Marshal(orEmpty(t.Exclude))
			if err != nil {
				return err
			}
			status := ThemeActive
			if excluded[t.ID] {
				status = ThemeExcluded
			}
			if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO text_themes (workspace_id, id, parent, name, terms, exclude, status, position, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), ws, t.ID, t.Parent, t.Name, string(terms), string(excl), status, i, now); err != nil {
				return err
			}
		}
		for _, old := range sortedKeys(ch.Rewrite) {
			to := ch.Rewrite[old]
			if to == "" {
				continue
			}
			// A tag already on the target wins over the renamed one.
			if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM response_themes WHERE workspace_id = ? AND theme_id = ? AND EXISTS (
				SELECT 1 FROM response_themes o WHERE o.workspace_id = response_themes.workspace_id AND o.kind = response_themes.kind
				AND o.item_id = response_themes.item_id AND o.theme_id = ?)`), ws, old, to); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, db.q("UPDATE response_themes SET theme_id = ? WHERE workspace_id = ? AND theme_id = ?"), to, ws, old); err != nil {
				return err
			}
		}
		ids := make([]any, 0, len(c.Themes)+1)
		ids = append(ids, ws)
		for _, t := range c.Themes {
			ids = append(ids, t.ID)
		}
		if _, err := tx.ExecContext(ctx, db.q("DELETE FROM response_themes WHERE workspace_id = ? AND theme_id NOT IN ("+placeholders(len(c.Themes))+")"), ids...); err != nil {
			return err
		}
		return db.setTextState(ctx, tx, ws, "codeframe_hash", codeframeHash(c, sortedKeys(excluded)))
	})
	if err != nil {
		return 0, fmt.Errorf("store: save codeframe: %w", err)
	}
	n, err := db.Retag(ctx, ws)
	if err != nil {
		return 0, fmt.Errorf("store: save codeframe: %w", err)
	}
	return n, nil
}

// ResetCodeframe deletes the workspace's own codeframe, so the starter
// codeframe applies again, and re-tags every comment.
func (db *DB) ResetCodeframe(ctx context.Context, ws int64) (int, error) {
	err := db.inWriteTx(ctx, func(tx dbtx) error {
		if _, err := tx.ExecContext(ctx, db.q("DELETE FROM text_themes WHERE workspace_id = ?"), ws); err != nil {
			return err
		}
		return db.setTextState(ctx, tx, ws, "codeframe_hash", "")
	})
	if err != nil {
		return 0, fmt.Errorf("store: reset codeframe: %w", err)
	}
	return db.Retag(ctx, ws)
}

func orEmpty(m map[string][]string) map[string][]string {
	if m == nil {
		return map[string][]string{}
	}
	return m
}

// setTextState sets one column of the workspace's text_state row.
func (db *DB) setTextState(ctx context.Context, tx dbtx, ws int64, col string, v any) error {
	_, err := tx.ExecContext(ctx, db.q("INSERT INTO text_state (workspace_id, "+col+") VALUES (?, ?) ON CONFLICT (workspace_id) DO UPDATE SET "+col+" = excluded."+col), ws, v)
	return err
}

// textEngine is what tagging needs for one workspace: the compiled
// codeframe and the sentiment scorer.
type textEngine struct {
	cf        WorkspaceCodeframe
	tagger    *themes.Tagger
	sentiment *text.Sentiment
}

// Compiled taggers and decoded models are memoised by content (codeframe
// hash, random model id), never by workspace, so they cannot leak between
// workspaces or databases; the maps are small and dropped when they grow.
var (
	// Tagging and sentiment cut Chinese by the dictionary alone: 1.3 times
	// faster at ingest (BenchmarkIngestPath200ChineseFast), and terms go
	// through the same cut, so they match alike. Discovery shows words to
	// people and keeps the HMM for unknown words.
	analyzer         = sync.OnceValue(func() *text.Analyzer { return text.NewAnalyzer(text.AnalyzerOptions{FastChinese: true}) })
	discoverAnalyzer = sync.OnceValue(func() *text.Analyzer { return text.NewAnalyzer(text.AnalyzerOptions{}) })
	starterTag       = sync.OnceValue(func() *themes.Tagger { return themes.NewTagger(themes.Starter(), analyzer()) })
	engineMu         sync.Mutex
	taggerCache      = map[string]*themes.Tagger{}
	modelCache       = map[string]*text.Model{}
	maxCacheSize     = 64
)

// TextAnalyzer returns the analyzer the store tags with, shared so that the
// Chinese dictionary is loaded once.
func TextAnalyzer() *text.Analyzer { return analyzer() }

// engine loads the workspace's codeframe and sentiment model through q.
func (db *DB) engine(ctx context.Context, q dbtx, ws int64) (*textEngine, error) {
	var hash, modelID string
	err := q.QueryRowContext(ctx, db.q("SELECT codeframe_hash, model_id FROM text_state WHERE workspace_id = ?"), ws).Scan(&hash, &modelID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("load text state: %w", err)
	}
	e := &textEngine{}
	engineMu.Lock()
	e.tagger = taggerCache[hash]
	model := modelCache[modelID]
	engineMu.Unlock()
	if hash == "" {
		e.cf = WorkspaceCodeframe{Codeframe: themes.Starter()}
		e.tagger = starterTag()
	} else {
		if e.cf, err = loadCodeframe(ctx, db, q, ws); err != nil {
			return nil, fmt.Errorf("load codeframe: %w", err)
		}
		if e.tagger == nil {
			e.tagger = themes.NewTagger(activeCodeframe(e.cf), analyzer())
			engineMu.Lock()
			if len(taggerCache) >= maxCacheSize {
				clear(taggerCache)
			}
			taggerCache[hash] = e.tagger
			engineMu.Unlock()
		}
	}
	if modelID != "" && model == nil {
		var blob []byte
		if err := q.QueryRowContext(ctx, db.q("SELECT model FROM text_state WHERE workspace_id = ?"), ws).Scan(&blob); err != nil {
			return nil, fmt.Errorf("load sentiment model: %w", err)
		}
		model = &text.Model{}
		if err := model.UnmarshalBinary(blob); err != nil {
			return nil, fmt.Errorf("decode sentiment model: %w", err)
		}
		engineMu.Lock()
		if len(modelCache) >= maxCacheSize {
			clear(modelCache)
		}
		modelCache[modelID] = model
		engineMu.Unlock()
	}
	e.sentiment = text.NewSentiment(analyzer(), model)
	return e, nil
}

// activeCodeframe is c without the terms of its excluded themes, which
// therefore never match.
func activeCodeframe(w WorkspaceCodeframe) themes.Codeframe {
	out := themes.Codeframe{Name: w.Codeframe.Name}
	for _, t := range w.Codeframe.Themes {
		if w.IsExcluded(t.ID) {
			t.Terms = nil
		}
		out.Themes = append(out.Themes, t)
	}
	return out
}

// textItem is one comment to analyse.
type textItem struct {
	kind string
	id   int64
	text string
	lang string // the item's language tag, "" to detect
}

// analysis is the result of analysing one textItem.
type analysis struct {
	lang      text.Lang
	pred      text.Prediction
	sentences map[string][][2]int // theme → matched sentence byte ranges
	order     []string            // themes in first-match order
}

// analyse detects the language, scores the sentiment and tags the themes
// (rolled up to their ancestors, which get the sentences of their
// sub-themes) of one comment.
func (e *textEngine) analyse(it textItem) analysis {
	lang := itemLang(it.lang, it.text)
	// One analysis serves both: the tagger's per-sentence tokens are the
	// comment's tokens for sentiment.
	matches, toks := e.tagger.TagTokens(it.text, lang)
	a := analysis{lang: lang, pred: e.sentiment.Document(text.Document{Lang: lang, Tokens: toks}), sentences: map[string][][2]int{}}
	for _, m := range matches {
		for _, id := range themes.RollUp(e.cf.Codeframe, []string{m.Theme}) {
			if e.cf.IsExcluded(id) {
				continue
			}
			span := [2]int{m.Sentence.Start, m.Sentence.End}
			prev, seen := a.sentences[id]
			if !seen {
				a.order = append(a.order, id)
			}
			if len(prev) == 0 || prev[len(prev)-1] != span {
				a.sentences[id] = append(prev, span)
			}
		}
	}
	return a
}

// itemLang is the language to analyse a comment as: its stored tag when it
// names a language the analyzer knows, else the detected one.
func itemLang(tag, s string) text.Lang {
	base, region, _ := strings.Cut(strings.ToLower(tag), "-")
	switch base {
	case "en":
		return text.LangEnglish
	case "ro":
		return text.LangRomanian
	case "zh":
		switch region {
		case "hant", "tw", "hk", "mo":
			return text.LangChineseTraditional
		}
		return text.LangChineseSimplified
	}
	return text.DetectLanguage(s).Lang
}

var sentimentColumns = []string{"workspace_id", "kind", "item_id", "language", "score", "label", "model", "analyzed_at"}
var themeTagColumns = []string{"workspace_id", "kind", "item_id", "theme_id", "source", "sentences"}

// analyseTx analyses items and writes their sentiment and automatic theme
// tags in tx. With fresh set the items are new (nothing derived exists
// yet); otherwise their derived rows are replaced, keeping manual tags and
// removals.
func (db *DB) analyseTx(ctx context.Context, tx dbtx, ws int64, items []textItem, fresh bool) error {
	if len(items) == 0 {
		return nil
	}
	e, err := db.engine(ctx, tx, ws)
	if err != nil {
		return err
	}
	return db.writeAnalysesTx(ctx, tx, ws, e, items, fresh)
}

func (db *DB) writeAnalysesTx(ctx context.Context, tx dbtx, ws int64, e *textEngine, items []textItem, fresh bool) error {
	manual := map[textKey]bool{}
	if !fresh {
		for _, kind := range []string{TextResponse, TextFeedback} {
			var ids []any
			for _, it := range items {
				if it.kind == kind {
					ids = append(ids, it.id)
				}
			}
			for start := 0; start < len(ids); start += 500 {
				chunk := ids[start:min(start+500, len(ids))]
				in := " AND kind = ? AND item_id IN (" + placeholders(len(chunk)) + ")"
				args := append([]any{ws, kind}, chunk...)
				if _, err := tx.ExecContext(ctx, db.q("DELETE FROM text_sentiment WHERE workspace_id = ?"+in), args...); err != nil {
					return fmt.Errorf("clear sentiment: %w", err)
				}
				if _, err := tx.ExecContext(ctx, db.q("DELETE FROM response_themes WHERE workspace_id = ? AND source = 'auto'"+in), args...); err != nil {
					return fmt.Errorf("clear themes: %w", err)
				}
				rows, err := tx.QueryContext(ctx, db.q("SELECT item_id, theme_id FROM response_themes WHERE workspace_id = ?"+in), args...)
				if err != nil {
					return fmt.Errorf("read manual themes: %w", err)
				}
				for rows.Next() {
					var k textKey
					k.kind = kind
					if err := rows.Scan(&k.id, &k.theme); err != nil {
						rows.Close()
						return err
					}
					manual[k] = true
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return err
				}
			}
		}
	}
	now := ms(db.now())
	var sents, tags [][]any
	for _, it := range items {
		if strings.TrimSpace(it.text) == "" {
			continue
		}
		sent, t, err := analysisRows(ws, it.kind, it.id, e.analyse(it), manual, now)
		if err != nil {
			return err
		}
		sents = append(sents, sent)
		tags = append(tags, t...)
	}
	if err := db.insertRows(ctx, tx, "text_sentiment", sentimentColumns, sents); err != nil {
		return err
	}
	return db.insertRows(ctx, tx, "response_themes", themeTagColumns, tags)
}

type textKey struct {
	kind  string
	id    int64
	theme string
}

// TagResponse (re-)analyses the comment of one stored response: language,
// sentiment and automatic themes, keeping manual tags. The survey pages
// call it (through UpdateResponseComment) when a comment arrives after the
// score.
func (db *DB) TagResponse(ctx context.Context, ws, id int64) error {
	err := db.inWriteTx(ctx, func(tx dbtx) error {
		var comment, lang string
		err := tx.QueryRowContext(ctx, db.q("SELECT comment, language FROM responses WHERE workspace_id = ? AND id = ?"), ws, id).Scan(&comment, &lang)
		if errors.Is(err, sql.ErrNoRows) {
			return cx.ErrNotFound
		}
		if err != nil {
			return err
		}
		return db.analyseTx(ctx, tx, ws, []textItem{{kind: TextResponse, id: id, text: comment, lang: lang}}, false)
	})
	if err != nil {
		return fmt.Errorf("store: tag response %d: %w", id, err)
	}
	return nil
}

// retagPage is how many comments Retag analyses per transaction.
const retagPage = 2000

// Retag rebuilds everything derived from the workspace's comments and
// feedback: language, sentiment (with the workspace model when there is
// one) and automatic themes, keeping manual tags and removals. It returns
// the number of items analysed.
func (db *DB) Retag(ctx context.Context, ws int64) (int, error) {
	total := 0
	for _, src := range []struct{ kind, query string }{
		{TextResponse, "SELECT id, comment, language FROM responses WHERE workspace_id = ? AND id > ? AND comment <> '' ORDER BY id LIMIT ?"},
		{TextFeedback, "SELECT id, text, language FROM feedback WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?"},
	} {
		var after int64
		for {
			var items []textItem
			rows, err := db.read.QueryContext(ctx, db.q(src.query), ws, after, retagPage)
			if err != nil {
				return total, fmt.Errorf("store: retag: %w", err)
			}
			for rows.Next() {
				it := textItem{kind: src.kind}
				if err := rows.Scan(&it.id, &it.text, &it.lang); err != nil {
					rows.Close()
					return total, fmt.Errorf("store: retag: %w", err)
				}
				items = append(items, it)
				after = it.id
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return total, fmt.Errorf("store: retag: %w", err)
			}
			if len(items) == 0 {
				break
			}
			if err := db.inWriteTx(ctx, func(tx dbtx) error { return db.analyseTx(ctx, tx, ws, items, false) }); err != nil {
				return total, fmt.Errorf("store: retag: %w", err)
			}
			total += len(items)
			if len(items) < retagPage {
				break
			}
		}
	}
	return total, nil
}

// SetItemTheme tags one response or feedback item with a theme by hand
// (add true) or takes the theme off by hand (add false); re-runs of the
// tagger keep the choice.
func (db *DB) SetItemTheme(ctx context.Context, ws int64, kind string, id int64, theme string, add bool) error {
	cf, err := db.Codeframe(ctx, ws)
	if err != nil {
		return err
	}
	if _, ok := cf.Codeframe.Theme(theme); !ok {
		return fmt.Errorf("store: set theme: theme %q: %w", theme, cx.ErrNotFound)
	}
	table := map[string]string{TextResponse: "responses", TextFeedback: "feedback"}[kind]
	if table == "" {
		return fmt.Errorf("store: set theme: %w", cx.Invalid("kind", "must be response or feedback"))
	}
	source := TagManual
	if !add {
		source = TagRemoved
	}
	err = db.inWriteTx(ctx, func(tx dbtx) error {
		var one int
		err := tx.QueryRowContext(ctx, db.q("SELECT 1 FROM "+table+" WHERE workspace_id = ? AND id = ?"), ws, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%s %d: %w", kind, id, cx.ErrNotFound)
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO response_themes (workspace_id, kind, item_id, theme_id, source, sentences) VALUES (?, ?, ?, ?, ?, '[]')
			ON CONFLICT (workspace_id, kind, item_id, theme_id) DO UPDATE SET source = excluded.source`), ws, kind, id, theme, source)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: set theme: %w", err)
	}
	return nil
}

// ItemTheme is one theme on a comment.
type ItemTheme struct {
	Theme     string   `json:"theme"`
	Source    string   `json:"source"`              // TagAuto, TagManual or TagRemoved
	Sentences [][2]int `json:"sentences,omitempty"` // matched byte ranges of the text
}

// ItemText is the text analysis of one comment.
type ItemText struct {
	Kind      string      `json:"kind"`
	ID        int64       `json:"id"`
	Language  string      `json:"language,omitempty"`
	Sentiment *Sentiment  `json:"sentiment,omitempty"`
	Themes    []ItemTheme `json:"themes"`
}

// Sentiment is the stored sentiment of a comment.
type Sentiment struct {
	Score float64 `json:"score"` // −1..1
	Label string  `json:"label"` // negative, neutral, positive
	Model string  `json:"model"` // workspace or builtin
}

// ItemTexts returns the stored analysis of the given items of one kind,
// by id; items without text are missing.
func (db *DB) ItemTexts(ctx context.Context, ws int64, kind string, ids []int64) (map[int64]*ItemText, error) {
	out := map[int64]*ItemText{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := []any{ws, kind}
		for _, id := range chunk {
			args = append(args, id)
		}
		in := " WHERE workspace_id = ? AND kind = ? AND item_id IN (" + placeholders(len(chunk)) + ")"
		get := func(id int64) *ItemText {
			it := out[id]
			if it == nil {
				it = &ItemText{Kind: kind, ID: id, Themes: []ItemTheme{}}
				out[id] = it
			}
			return it
		}
		rows, err := db.read.QueryContext(ctx, db.q("SELECT item_id, language, score, label, model FROM text_sentiment"+in), args...)
		if err != nil {
			return nil, fmt.Errorf("store: item texts: %w", err)
		}
		for rows.Next() {
			var id int64
			var s Sentiment
			var lang string
			if err := rows.Scan(&id, &lang, &s.Score, &s.Label, &s.Model); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: item texts: %w", err)
			}
			it := get(id)
			it.Language, it.Sentiment = lang, &s
		}
		rows.Close()
		rows, err = db.read.QueryContext(ctx, db.q("SELECT item_id, theme_id, source, sentences FROM response_themes"+in+" ORDER BY item_id, theme_id"), args...)
		if err != nil {
			return nil, fmt.Errorf("store: item texts: %w", err)
		}
		for rows.Next() {
			var id int64
			var t ItemTheme
			var sents []byte
			if err := rows.Scan(&id, &t.Theme, &t.Source, &sents); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: item texts: %w", err)
			}
			if err := json.Unmarshal(sents, &t.Sentences); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: item texts: sentences: %w", err)
			}
			it := get(id)
			it.Themes = append(it.Themes, t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: item texts: %w", err)
		}
	}
	return out, nil
}

// newModelID returns a random id for a trained model.
func newModelID() (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// preparedText is the analysis of a batch's comments, done before the
// write transaction (see batchSpec.prepare).
type preparedText struct {
	// By batch index, for the items with a comment (has): their
	// text_sentiment row and response_themes rows, built outside the
	// write transaction; the transaction fills in the item id and time.
	has  []bool
	sent [][]any
	tags [][][]any
	err  error // the first error building rows
	mu   sync.Mutex
}

// prepareResponseText analyses the comments of a batch of responses
// outside the write transaction, on up to GOMAXPROCS goroutines (an
// engine is safe for concurrent use: concurrent batches share it). The
// codeframe and sentiment model are read from the read pool: a codeframe
// saved meanwhile re-tags the whole workspace itself, so nothing stays
// tagged with the old one.
func (db *DB) prepareResponseText(ctx context.Context, ws int64, rs []cx.Response) (*preparedText, error) {
	p := &preparedText{has: make([]bool, len(rs))}
	var todo []int
	for i := range rs {
		if strings.TrimSpace(rs[i].Comment) != "" {
			todo = append(todo, i)
		}
	}
	if len(todo) == 0 {
		return p, nil
	}
	e, err := db.engine(ctx, db.read, ws)
	if err != nil {
		return nil, fmt.Errorf("analyse comments: %w", err)
	}
	p.sent, p.tags = make([][]any, len(rs)), make([][][]any, len(rs))
	analyse := func(part []int) {
		for _, i := range part {
			a := e.analyse(textItem{kind: TextResponse, text: rs[i].Comment, lang: rs[i].Language})
			sent, tags, err := analysisRows(ws, TextResponse, 0, a, nil, 0)
			if err != nil {
				p.mu.Lock()
				p.err = cmp.Or(p.err, err)
				p.mu.Unlock()
				continue
			}
			p.sent[i], p.tags[i], p.has[i] = sent, tags, true
		}
	}
	// Goroutines only pay off on batches of some size.
	workers := min(runtime.GOMAXPROCS(0), len(todo)/64)
	if workers <= 1 {
		analyse(todo)
	} else {
		var wg sync.WaitGroup
		per := (len(todo) + workers - 1) / workers
		for start := 0; start < len(todo); start += per {
			part := todo[start:min(start+per, len(todo))]
			wg.Go(func() { analyse(part) })
		}
		wg.Wait()
	}
	if p.err != nil {
		return nil, fmt.Errorf("analyse comments: %w", p.err)
	}
	return p, nil
}

// writeResponseTextTx writes the prepared analyses of the responses the
// batch created.
func (db *DB) writeResponseTextTx(ctx context.Context, tx dbtx, ws int64, p *preparedText, ids []int64, fresh []int) error {
	if p == nil || p.sent == nil {
		return nil
	}
	now := ms(db.now())
	var sents, tags [][]any
	for _, i := range fresh {
		if !p.has[i] {
			continue
		}
		// Columns as in sentimentColumns and themeTagColumns: item_id is
		// the third, analyzed_at the last.
		s := p.sent[i]
		s[2], s[len(s)-1] = ids[i], now
		sents = append(sents, s)
		for _, t := range p.tags[i] {
			t[2] = ids[i]
			tags = append(tags, t)
		}
	}
	if err := db.insertRows(ctx, tx, "text_sentiment", sentimentColumns, sents); err != nil {
		return fmt.Errorf("analyse comments: %w", err)
	}
	if err := db.insertRows(ctx, tx, "response_themes", themeTagColumns, tags); err != nil {
		return fmt.Errorf("analyse comments: %w", err)
	}
	return nil
}

// analysisRows are the text_sentiment row and the automatic
// response_themes rows of one analysed item, leaving out the themes
// tagged by hand.
func analysisRows(ws int64, kind string, id int64, a analysis, manual map[textKey]bool, now int64) ([]any, [][]any, error) {
	sent := []any{ws, kind, id, string(a.lang), a.pred.Score, a.pred.Label.String(), a.pred.Model, now}
	var tags [][]any
	for _, theme := range a.order {
		if manual[textKey{kind, id, theme}] {
			continue
		}
		b, err := json.Marshal(a.sentences[theme])
		if err != nil {
			return nil, nil, err
		}
		tags = append(tags, []any{ws, kind, id, theme, TagAuto, string(b)})
	}
	return sent, tags, nil
}
