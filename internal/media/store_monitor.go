package media

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/web"
)

// ErrSourceExists is a second source with the same address.
var ErrSourceExists = web.Invalid("Источник с этим адресом уже есть.")

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

const sourceCols = `s.id, s.title, s.url, s.etag, s.last_modified, s.last_fetched_at, s.last_ok_at, s.next_fetch_at, s.failures, s.last_error`

func scanSource(sc interface{ Scan(...any) error }, extra ...any) (Source, error) {
	var s Source
	var f, ok, next sql.NullTime
	err := sc.Scan(append([]any{&s.ID, &s.Title, &s.URL, &s.ETag, &s.LastModified, &f, &ok, &next, &s.Failures, &s.LastError}, extra...)...)
	s.LastFetchedAt, s.LastOKAt, s.NextFetchAt = nullTime(f), nullTime(ok), nullTime(next)
	return s, err
}

// Sources lists the municipality's sources with their mention counts.
func Sources(ctx context.Context, q db.Querier, munID int64) ([]Source, error) {
	rows, err := q.Query(ctx, `SELECT `+sourceCols+`, (SELECT COUNT(*) FROM media_mention_sources ms WHERE ms.source_id = s.id)
		FROM media_sources s WHERE s.municipality_id = ? ORDER BY s.title, s.id`, munID)
	if err != nil {
		return nil, fmt.Errorf("media sources: %w", err)
	}
	defer rows.Close()
	var out []Source
	for rows.Next() {
		var n int
		s, err := scanSource(rows, &n)
		if err != nil {
			return nil, err
		}
		s.Mentions = n
		out = append(out, s)
	}
	return out, rows.Err()
}

// GetSource reads one source.
func GetSource(ctx context.Context, q db.Querier, munID, id int64) (Source, error) {
	s, err := scanSource(q.QueryRow(ctx, `SELECT `+sourceCols+` FROM media_sources s WHERE s.municipality_id = ? AND s.id = ?`, munID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return s, db.ErrNotFound
	}
	return s, err
}

// DueSources are the sources whose next fetch is due, in every municipality.
func DueSources(ctx context.Context, q db.Querier, now time.Time, limit int) ([]int64, []Source, error) {
	rows, err := q.Query(ctx, `SELECT s.municipality_id, `+sourceCols+` FROM media_sources s
		WHERE s.next_fetch_at IS NULL OR s.next_fetch_at <= ? ORDER BY s.next_fetch_at, s.id LIMIT ?`, now, limit)
	if err != nil {
		return nil, nil, fmt.Errorf("due media sources: %w", err)
	}
	defer rows.Close()
	var muns []int64
	var out []Source
	for rows.Next() {
		var mun int64
		var s Source
		var f, ok, next sql.NullTime
		if err := rows.Scan(&mun, &s.ID, &s.Title, &s.URL, &s.ETag, &s.LastModified, &f, &ok, &next, &s.Failures, &s.LastError); err != nil {
			return nil, nil, err
		}
		s.LastFetchedAt, s.LastOKAt, s.NextFetchAt = nullTime(f), nullTime(ok), nullTime(next)
		muns, out = append(muns, mun), append(out, s)
	}
	return muns, out, rows.Err()
}

// CreateSource adds a source.
func CreateSource(ctx context.Context, tx *db.Tx, munID int64, s *Source, now time.Time) error {
	id, err := db.InsertID(ctx, tx, `INSERT INTO media_sources (municipality_id, title, url, created_at) VALUES (?, ?, ?, ?)`, munID, s.Title, s.URL, now)
	if db.IsUniqueViolation(err) {
		return ErrSourceExists
	}
	if err != nil {
		return fmt.Errorf("create media source: %w", err)
	}
	s.ID = id
	return nil
}

// DeleteSource removes a source with the mentions found only there.
func DeleteSource(ctx context.Context, tx *db.Tx, munID, id int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM media_mention_sources WHERE source_id = ? AND source_id IN (SELECT id FROM media_sources WHERE municipality_id = ?)`, id, munID); err != nil {
		return err
	}
	// A mention first found here but republished elsewhere moves to another source.
	if _, err := tx.Exec(ctx, `UPDATE media_mentions SET source_id = (SELECT MIN(ms.source_id) FROM media_mention_sources ms WHERE ms.mention_id = media_mentions.id)
		WHERE municipality_id = ? AND source_id = ? AND EXISTS (SELECT 1 FROM media_mention_sources ms WHERE ms.mention_id = media_mentions.id)`, munID, id); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM media_mentions WHERE municipality_id = ? AND source_id = ?`, munID, id); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `DELETE FROM media_sources WHERE municipality_id = ? AND id = ?`, munID, id)
	return err
}

// RecordFetch saves a fetch's outcome on its source.
func RecordFetch(ctx context.Context, tx *db.Tx, munID int64, s Source, now, next time.Time, fetchErr error) error {
	if fetchErr != nil {
		_, err := tx.Exec(ctx, `UPDATE media_sources SET last_fetched_at = ?, next_fetch_at = ?, failures = failures + 1, last_error = ? WHERE municipality_id = ? AND id = ?`,
			now, next, fetchErr.Error(), munID, s.ID)
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE media_sources SET last_fetched_at = ?, last_ok_at = ?, next_fetch_at = ?, failures = 0, last_error = '', etag = ?, last_modified = ?
		WHERE municipality_id = ? AND id = ?`, now, now, next, s.ETag, s.LastModified, munID, s.ID)
	return err
}

// Rules lists the keyword rules.
func Rules(ctx context.Context, q db.Querier, munID int64) ([]Rule, error) {
	rows, err := q.Query(ctx, `SELECT id, phrase, topic FROM media_rules WHERE municipality_id = ? ORDER BY topic, phrase, id`, munID)
	if err != nil {
		return nil, fmt.Errorf("media rules: %w", err)
	}
	defer rows.Close()
	var out []Rule
	for rows.Next() {
		var r Rule
		if err := rows.Scan(&r.ID, &r.Phrase, &r.Topic); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CreateRule adds a rule.
func CreateRule(ctx context.Context, tx *db.Tx, munID int64, r *Rule, now time.Time) error {
	id, err := db.InsertID(ctx, tx, `INSERT INTO media_rules (municipality_id, phrase, topic, created_at) VALUES (?, ?, ?, ?)`, munID, r.Phrase, r.Topic, now)
	r.ID = id
	return err
}

// DeleteRule removes a rule.
func DeleteRule(ctx context.Context, tx *db.Tx, munID, id int64) error {
	_, err := tx.Exec(ctx, `DELETE FROM media_rules WHERE municipality_id = ? AND id = ?`, munID, id)
	return err
}

// AddMention stores a matched entry of a source, or, when the same story is
// already known (same normalised title or link), records that this source
// republished it. It reports whether a new mention was made.
func AddMention(ctx context.Context, tx *db.Tx, munID int64, m Mention, now time.Time) (bool, error) {
	titleKey, linkKey := TitleKey(m.Title), LinkKey(m.Link)
	if titleKey == "" {
		return false, nil
	}
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM media_mentions WHERE municipality_id = ? AND (title_key = ? OR (link_key <> '' AND link_key = ?)) ORDER BY id LIMIT 1`, munID, titleKey, linkKey).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		id, err = db.InsertID(ctx, tx, `INSERT INTO media_mentions (municipality_id, source_id, title, link, summary, title_key, link_key, published_at, found_at, topic, matched)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, munID, m.SourceID, m.Title, m.Link, m.Summary, titleKey, linkKey, m.PublishedAt.UTC(), now, m.Topic, m.Matched)
		if err != nil {
			return false, fmt.Errorf("add mention: %w", err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO media_mention_sources (mention_id, source_id, link) VALUES (?, ?, ?)`, id, m.SourceID, m.Link)
		return true, err
	case err != nil:
		return false, err
	}
	res, err := tx.Exec(ctx, `INSERT INTO media_mention_sources (mention_id, source_id, link) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, id, m.SourceID, m.Link)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		_, err = tx.Exec(ctx, `UPDATE media_mentions SET republished = republished + 1 WHERE id = ?`, id)
	}
	return false, err
}

// MentionFilter narrows the mentions list.
type MentionFilter struct {
	From, To time.Time // published in [From, To); zero for no bound
	Tonality string    // a tonality, "none" for not yet set, "" for any
	SourceID int64
	Topic    string
}

func (f MentionFilter) where(munID int64) (string, []any) {
	w := []string{"m.municipality_id = ?"}
	args := []any{munID}
	if !f.From.IsZero() {
		w, args = append(w, "m.published_at >= ?"), append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		w, args = append(w, "m.published_at < ?"), append(args, f.To.UTC())
	}
	switch f.Tonality {
	case "":
	case "none":
		w = append(w, "m.tonality = ''")
	default:
		w, args = append(w, "m.tonality = ?"), append(args, f.Tonality)
	}
	if f.SourceID != 0 {
		w, args = append(w, "m.source_id = ?"), append(args, f.SourceID)
	}
	if f.Topic != "" {
		w, args = append(w, "m.topic = ?"), append(args, f.Topic)
	}
	return " WHERE " + strings.Join(w, " AND "), args
}

// Mentions lists one page of mentions, newest first, and the total.
func Mentions(ctx context.Context, q db.Querier, munID int64, f MentionFilter, limit, offset int) ([]Mention, int, error) {
	where, args := f.where(munID)
	var total int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM media_mentions m`+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := q.Query(ctx, `SELECT m.id, m.source_id, s.title, m.title, m.link, m.summary, m.published_at, m.topic, m.matched, m.republished, m.tonality, m.tonality_by
		FROM media_mentions m JOIN media_sources s ON s.id = m.source_id`+where+` ORDER BY m.published_at DESC, m.id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("media mentions: %w", err)
	}
	defer rows.Close()
	var out []Mention
	for rows.Next() {
		var m Mention
		if err := rows.Scan(&m.ID, &m.SourceID, &m.Source, &m.Title, &m.Link, &m.Summary, &m.PublishedAt, &m.Topic, &m.Matched, &m.Republished, &m.Tonality, &m.TonalityBy); err != nil {
			return nil, 0, err
		}
		out = append(out, m)
	}
	return out, total, rows.Err()
}

// GetMention reads one mention.
func GetMention(ctx context.Context, q db.Querier, munID, id int64) (Mention, error) {
	var m Mention
	err := q.QueryRow(ctx, `SELECT m.id, m.source_id, s.title, m.title, m.link, m.summary, m.published_at, m.topic, m.matched, m.republished, m.tonality, m.tonality_by
		FROM media_mentions m JOIN media_sources s ON s.id = m.source_id WHERE m.municipality_id = ? AND m.id = ?`, munID, id).
		Scan(&m.ID, &m.SourceID, &m.Source, &m.Title, &m.Link, &m.Summary, &m.PublishedAt, &m.Topic, &m.Matched, &m.Republished, &m.Tonality, &m.TonalityBy)
	if errors.Is(err, sql.ErrNoRows) {
		return m, db.ErrNotFound
	}
	return m, err
}

// SetTonality records the tonality staff decided.
func SetTonality(ctx context.Context, tx *db.Tx, munID, id int64, tonality, by string, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE media_mentions SET tonality = ?, tonality_by = ?, tonality_at = ? WHERE municipality_id = ? AND id = ?`, tonality, by, now, munID, id)
	return err
}

// LexiconText is the municipality's lexicon, or the default one.
func LexiconText(ctx context.Context, q db.Querier, munID int64) (string, error) {
	var s string
	err := q.QueryRow(ctx, `SELECT lexicon FROM media_settings WHERE municipality_id = ?`, munID).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultLexicon, nil
	}
	return s, err
}

// SaveLexicon stores the municipality's lexicon.
func SaveLexicon(ctx context.Context, tx *db.Tx, munID int64, text string, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO media_settings (municipality_id, lexicon, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (municipality_id) DO UPDATE SET lexicon = excluded.lexicon, updated_at = excluded.updated_at`, munID, text, now)
	return err
}
