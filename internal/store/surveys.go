package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/cxlens/cxlens/internal/cx"
)

// CreateSurvey creates a survey; cx.ErrConflict when its key is taken.
func (db *DB) CreateSurvey(ctx context.Context, ws int64, s cx.Survey) (cx.Survey, error) {
	if err := s.Validate(); err != nil {
		return cx.Survey{}, fmt.Errorf("store: create survey: %w", err)
	}
	s.CreatedAt = db.now().Truncate(1e6)
	s.UpdatedAt = s.CreatedAt
	design, err := json.Marshal(s.Design)
	if err != nil {
		return cx.Survey{}, fmt.Errorf("store: create survey: %w", err)
	}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		ids, err := db.allocIDs(ctx, tx, "surveys", ws, 1)
		if err != nil {
			return err
		}
		s.ID = ids[0]
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO surveys (workspace_id, id, key, name, kind, scale_min, scale_max, question, created_at, design, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), ws, s.ID, s.Key, s.Name, string(s.Kind), s.ScaleMin, s.ScaleMax, s.Question, ms(s.CreatedAt), string(design), ms(s.UpdatedAt))
		return err
	})
	if isUniqueViolation(err) {
		return cx.Survey{}, fmt.Errorf("store: create survey: key %q is taken: %w", s.Key, cx.ErrConflict)
	}
	if err != nil {
		return cx.Survey{}, fmt.Errorf("store: create survey: %w", err)
	}
	return s, nil
}

const surveyColumns = "id, key, name, kind, scale_min, scale_max, question, created_at, design, archived_at, updated_at"

func scanSurvey(row interface{ Scan(...any) error }) (cx.Survey, error) {
	var s cx.Survey
	var kind string
	var created, updated int64
	var design []byte
	var archived sql.NullInt64
	err := row.Scan(&s.ID, &s.Key, &s.Name, &kind, &s.ScaleMin, &s.ScaleMax, &s.Question, &created, &design, &archived, &updated)
	if err != nil {
		return s, err
	}
	s.Kind = cx.SurveyKind(kind)
	s.CreatedAt = fromMS(created)
	s.UpdatedAt = fromMS(max(updated, created))
	s.ArchivedAt = fromNullMS(archived)
	if len(design) > 0 {
		if err := json.Unmarshal(design, &s.Design); err != nil {
			return s, fmt.Errorf("decode survey design: %w", err)
		}
	}
	return s, nil
}

// Surveys lists a workspace's surveys by key.
func (db *DB) Surveys(ctx context.Context, ws int64) ([]cx.Survey, error) {
	rows, err := db.read.QueryContext(ctx, db.q("SELECT "+surveyColumns+" FROM surveys WHERE workspace_id = ? ORDER BY key"), ws)
	if err != nil {
		return nil, fmt.Errorf("store: list surveys: %w", err)
	}
	defer rows.Close()
	out := []cx.Survey{}
	for rows.Next() {
		s, err := scanSurvey(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list surveys: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Survey returns the survey with key, or cx.ErrNotFound.
func (db *DB) Survey(ctx context.Context, ws int64, key string) (cx.Survey, error) {
	s, err := scanSurvey(db.read.QueryRowContext(ctx, db.q("SELECT "+surveyColumns+" FROM surveys WHERE workspace_id = ? AND key = ?"), ws, key))
	if errors.Is(err, sql.ErrNoRows) {
		return cx.Survey{}, fmt.Errorf("store: survey %q: %w", key, cx.ErrNotFound)
	}
	if err != nil {
		return cx.Survey{}, fmt.Errorf("store: survey %q: %w", key, err)
	}
	return s, nil
}

// UpdateSurvey replaces a survey's name, question, scale and design (its key
// and kind stay), checked as on creation; cx.ErrNotFound when absent.
func (db *DB) UpdateSurvey(ctx context.Context, ws int64, s cx.Survey) (cx.Survey, error) {
	old, err := db.Survey(ctx, ws, s.Key)
	if err != nil {
		return cx.Survey{}, err
	}
	s.ID, s.Kind, s.CreatedAt, s.ArchivedAt = old.ID, old.Kind, old.CreatedAt, old.ArchivedAt
	if err := s.Validate(); err != nil {
		return cx.Survey{}, fmt.Errorf("store: update survey: %w", err)
	}
	if (s.ScaleMin != old.ScaleMin || s.ScaleMax != old.ScaleMax) && db.surveyHasResponses(ctx, ws, s.ID) {
		return cx.Survey{}, fmt.Errorf("store: update survey: %w", cx.Invalid("scale_max", "cannot change the scale of a survey that has responses"))
	}
	design, err := json.Marshal(s.Design)
	if err != nil {
		return cx.Survey{}, fmt.Errorf("store: update survey: %w", err)
	}
	s.UpdatedAt = db.now().Truncate(1e6)
	_, err = db.write.ExecContext(ctx, db.q(`UPDATE surveys SET name = ?, scale_min = ?, scale_max = ?, question = ?, design = ?, updated_at = ?
		WHERE workspace_id = ? AND id = ?`), s.Name, s.ScaleMin, s.ScaleMax, s.Question, string(design), ms(s.UpdatedAt), ws, s.ID)
	if err != nil {
		return cx.Survey{}, fmt.Errorf("store: update survey: %w", err)
	}
	return s, nil
}

func (db *DB) surveyHasResponses(ctx context.Context, ws, id int64) bool {
	var one int
	err := db.read.QueryRowContext(ctx, db.q("SELECT 1 FROM responses WHERE workspace_id = ? AND survey_id = ? LIMIT 1"), ws, id).Scan(&one)
	return err == nil
}

// ArchiveSurvey hides a survey from its pages and the widget (new answers
// are refused) while keeping its responses; archive=false restores it.
func (db *DB) ArchiveSurvey(ctx context.Context, ws int64, key string, archive bool) (cx.Survey, error) {
	var at any
	if archive {
		at = ms(db.now())
	}
	res, err := db.write.ExecContext(ctx, db.q("UPDATE surveys SET archived_at = ?, updated_at = ? WHERE workspace_id = ? AND key = ?"), at, ms(db.now()), ws, key)
	if err != nil {
		return cx.Survey{}, fmt.Errorf("store: archive survey %q: %w", key, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return cx.Survey{}, fmt.Errorf("store: archive survey %q: %w", key, cx.ErrNotFound)
	}
	return db.Survey(ctx, ws, key)
}

// DeleteSurvey deletes a survey that has no responses and no invitations;
// one that has them gives cx.ErrConflict (archive it instead).
func (db *DB) DeleteSurvey(ctx context.Context, ws int64, key string) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, db.q("SELECT id FROM surveys WHERE workspace_id = ? AND key = ?"), ws, key).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return cx.ErrNotFound
		}
		if err != nil {
			return err
		}
		var n int
		err = tx.QueryRowContext(ctx, db.q(`SELECT (SELECT count(*) FROM responses WHERE workspace_id = ? AND survey_id = ?)
			+ (SELECT count(*) FROM invitations WHERE workspace_id = ? AND survey_id = ?)`), ws, id, ws, id).Scan(&n)
		if err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("survey %q has responses or invitations; archive it instead: %w", key, cx.ErrConflict)
		}
		_, err = tx.ExecContext(ctx, db.q("DELETE FROM surveys WHERE workspace_id = ? AND id = ?"), ws, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: delete survey %q: %w", key, err)
	}
	return nil
}

// WidgetSettings are a workspace's web widget settings.
type WidgetSettings struct {
	WorkspaceID int64 `json:"-"`
	// PublicKey names the workspace in the embed snippet and the anonymous
	// survey links; it is public, not a credential.
	PublicKey string `json:"public_key"`
	// AllowedOrigins are the sites that may embed the widget, e.g.
	// https://shop.example.com; the widget endpoint refuses others.
	AllowedOrigins []string `json:"allowed_origins"`
}

// Widget returns the workspace's widget settings, creating its public key
// on first use (race-safe: concurrent first calls agree on one key).
func (db *DB) Widget(ctx context.Context, ws int64) (WidgetSettings, error) {
	w, err := db.scanWidget(db.write.QueryRowContext(ctx, db.q("SELECT workspace_id, public_key, allowed_origins FROM widget_settings WHERE workspace_id = ?"), ws))
	if err == nil {
		return w, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return WidgetSettings{}, fmt.Errorf("store: widget settings: %w", err)
	}
	key := make([]byte, 12)
	if _, err := rand.Read(key); err != nil {
		return WidgetSettings{}, fmt.Errorf("store: widget settings: %w", err)
	}
	_, err = db.write.ExecContext(ctx, db.q("INSERT INTO widget_settings (workspace_id, public_key, allowed_origins, updated_at) VALUES (?, ?, '[]', ?) ON CONFLICT (workspace_id) DO NOTHING"),
		ws, "pk_"+hex.EncodeToString(key), ms(db.now()))
	if err != nil {
		return WidgetSettings{}, fmt.Errorf("store: widget settings: %w", err)
	}
	w, err = db.scanWidget(db.write.QueryRowContext(ctx, db.q("SELECT workspace_id, public_key, allowed_origins FROM widget_settings WHERE workspace_id = ?"), ws))
	if err != nil {
		return WidgetSettings{}, fmt.Errorf("store: widget settings: %w", err)
	}
	return w, nil
}

func (db *DB) scanWidget(row *sql.Row) (WidgetSettings, error) {
	var w WidgetSettings
	var origins []byte
	if err := row.Scan(&w.WorkspaceID, &w.PublicKey, &origins); err != nil {
		return w, err
	}
	if err := json.Unmarshal(origins, &w.AllowedOrigins); err != nil {
		return w, fmt.Errorf("decode allowed origins: %w", err)
	}
	if w.AllowedOrigins == nil {
		w.AllowedOrigins = []string{}
	}
	return w, nil
}

// WidgetByKey returns the widget settings whose public key is key, or
// cx.ErrNotFound.
func (db *DB) WidgetByKey(ctx context.Context, key string) (WidgetSettings, error) {
	w, err := db.scanWidget(db.read.QueryRowContext(ctx, db.q("SELECT workspace_id, public_key, allowed_origins FROM widget_settings WHERE public_key = ?"), key))
	if errors.Is(err, sql.ErrNoRows) {
		return WidgetSettings{}, fmt.Errorf("store: widget key: %w", cx.ErrNotFound)
	}
	if err != nil {
		return WidgetSettings{}, fmt.Errorf("store: widget key: %w", err)
	}
	return w, nil
}

// SetWidgetOrigins replaces the origins allowed to embed the widget; each
// must be scheme://host[:port] with no path.
func (db *DB) SetWidgetOrigins(ctx context.Context, ws int64, origins []string) (WidgetSettings, error) {
	if len(origins) > 50 {
		return WidgetSettings{}, fmt.Errorf("store: widget origins: %w", cx.Invalid("allowed_origins", "at most 50 origins"))
	}
	clean := make([]string, 0, len(origins))
	for i, o := range origins {
		u, err := url.Parse(strings.TrimSpace(o))
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
			return WidgetSettings{}, fmt.Errorf("store: widget origins: %w", cx.Invalid(fmt.Sprintf("allowed_origins[%d]", i), "must be an origin like https://shop.example.com (scheme, host, optional port, no path)"))
		}
		clean = append(clean, strings.ToLower(u.Scheme+"://"+u.Host))
	}
	if _, err := db.Widget(ctx, ws); err != nil {
		return WidgetSettings{}, err
	}
	b, err := json.Marshal(clean)
	if err != nil {
		return WidgetSettings{}, fmt.Errorf("store: widget origins: %w", err)
	}
	if _, err := db.write.ExecContext(ctx, db.q("UPDATE widget_settings SET allowed_origins = ?, updated_at = ? WHERE workspace_id = ?"), string(b), ms(db.now()), ws); err != nil {
		return WidgetSettings{}, fmt.Errorf("store: widget origins: %w", err)
	}
	return db.Widget(ctx, ws)
}
