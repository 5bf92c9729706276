package media

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/glasnost/glasnost/internal/db"
)

// WeekNews lists the portal's news published in [from, to), read-only from
// the site's table.
func WeekNews(ctx context.Context, q db.Querier, munID int64, from, to time.Time) ([]Publication, error) {
	rows, err := q.Query(ctx, `SELECT id, title, published_at FROM site_news WHERE municipality_id = ? AND state = 'published'
		AND published_at >= ? AND published_at < ? ORDER BY published_at, id LIMIT 500`, munID, from.UTC(), to.UTC())
	if err != nil {
		return nil, fmt.Errorf("week news: %w", err)
	}
	defer rows.Close()
	var out []Publication
	for rows.Next() {
		var id int64
		var p Publication
		if err := rows.Scan(&id, &p.Title, &p.At); err != nil {
			return nil, err
		}
		p.Source, p.URL = "Новости портала", "/news/"+strconv.FormatInt(id, 10)
		out = append(out, p)
	}
	return out, rows.Err()
}

// SaveReport stores a week's report; a second report of the same week is
// ErrDuplicate.
func SaveReport(ctx context.Context, tx *db.Tx, munID int64, r *Report, now time.Time) error {
	body, err := json.Marshal(r.Rows)
	if err != nil {
		return err
	}
	id, err := db.InsertID(ctx, tx, `INSERT INTO media_week_reports (municipality_id, week_start, planned, done, moved, cancelled, open_items, items, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, munID, r.WeekStart, r.Planned, r.Done, r.Moved, r.Cancelled, r.Open, string(body), now)
	if db.IsUniqueViolation(err) {
		return ErrDuplicate
	}
	if err != nil {
		return fmt.Errorf("save week report: %w", err)
	}
	r.ID, r.CreatedAt = id, now
	return nil
}

const reportCols = `id, week_start, planned, done, moved, cancelled, open_items, created_at`

func scanReport(s interface{ Scan(...any) error }, withRows bool) (Report, error) {
	var r Report
	var body string
	dest := []any{&r.ID, &r.WeekStart, &r.Planned, &r.Done, &r.Moved, &r.Cancelled, &r.Open, &r.CreatedAt}
	if withRows {
		dest = append(dest, &body)
	}
	if err := s.Scan(dest...); err != nil {
		return r, err
	}
	if withRows && body != "" {
		if err := json.Unmarshal([]byte(body), &r.Rows); err != nil {
			return r, fmt.Errorf("week report %d: %w", r.ID, err)
		}
	}
	return r, nil
}

// Reports lists one page of the weekly reports, newest first.
func Reports(ctx context.Context, q db.Querier, munID int64, limit, offset int) ([]Report, int, error) {
	var total int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM media_week_reports WHERE municipality_id = ?`, munID).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := q.Query(ctx, `SELECT `+reportCols+` FROM media_week_reports WHERE municipality_id = ? ORDER BY week_start DESC LIMIT ? OFFSET ?`, munID, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Report
	for rows.Next() {
		r, err := scanReport(rows, false)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// GetReport reads one report with its rows.
func GetReport(ctx context.Context, q db.Querier, munID, id int64) (Report, error) {
	r, err := scanReport(q.QueryRow(ctx, `SELECT `+reportCols+`, items FROM media_week_reports WHERE municipality_id = ? AND id = ?`, munID, id), true)
	if errors.Is(err, sql.ErrNoRows) {
		return r, db.ErrNotFound
	}
	return r, err
}

// HasReport reports whether the week already has its report.
func HasReport(ctx context.Context, q db.Querier, munID int64, monday string) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM media_week_reports WHERE municipality_id = ? AND week_start = ?`, munID, monday).Scan(&n)
	return n > 0, err
}
