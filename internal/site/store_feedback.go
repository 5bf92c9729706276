package site

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/web"
)

// ErrAlreadyRated means this browser or address rated the page today.
var ErrAlreadyRated = web.Invalid("Вы уже оценили эту страницу сегодня. Спасибо!")

// InsertFeedback stores a rating; the unique keys refuse a second one for
// the same page and day.
func (st *Store) InsertFeedback(ctx context.Context, munID int64, f Feedback, ipKey, browserKey, day string) error {
	_, err := st.DB.Exec(ctx, `INSERT INTO site_feedback (municipality_id, path, section_id, relevance, completeness, usefulness, suggestion, ip_key, browser_key, day, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		munID, f.Path, nullID(f.SectionID), nullScore(f.Relevance), nullScore(f.Completeness), nullScore(f.Usefulness), f.Suggestion, ipKey, browserKey, day, st.DB.Now())
	if db.IsUniqueViolation(err) {
		return ErrAlreadyRated
	}
	if err != nil {
		return fmt.Errorf("store feedback: %w", err)
	}
	return nil
}

// SectionForPath finds the deepest section whose address contains path, so
// that a rating of a page counts for its section (0 when none does).
func (st *Store) SectionForPath(ctx context.Context, munID int64, path string) (int64, error) {
	rest, ok := strings.CutPrefix(path, "/sections/")
	if !ok {
		return 0, nil
	}
	rest = strings.Trim(rest, "/")
	segs := strings.Split(rest, "/")
	var candidates []any
	for i := len(segs); i > 0; i-- {
		candidates = append(candidates, strings.Join(segs[:i], "/"))
	}
	if len(candidates) == 0 {
		return 0, nil
	}
	var id int64
	err := st.DB.QueryRow(ctx, `SELECT id FROM site_sections WHERE municipality_id = ? AND path IN (`+db.Placeholders(len(candidates))+`) ORDER BY LENGTH(path) DESC LIMIT 1`,
		append([]any{munID}, candidates...)...).Scan(&id)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, nil
		}
		return 0, fmt.Errorf("section for path: %w", err)
	}
	return id, nil
}

// FeedbackScope limits a report to some sections (an editor's); nil
// Sections means the whole site (an administrator's).
type FeedbackScope struct {
	Sections []int64
}

func (s FeedbackScope) where(munID int64) (string, []any) {
	w := `f.municipality_id = ?`
	args := []any{munID}
	if s.Sections != nil {
		if len(s.Sections) == 0 {
			return w + ` AND 1 = 0`, args
		}
		w += ` AND f.section_id IN (` + db.Placeholders(len(s.Sections)) + `)`
		for _, id := range s.Sections {
			args = append(args, id)
		}
	}
	return w, args
}

const summaryColumns = `COUNT(*), AVG(f.relevance * 1.0), AVG(f.completeness * 1.0), AVG(f.usefulness * 1.0), SUM(CASE WHEN f.suggestion <> '' THEN 1 ELSE 0 END)`

func scanSummary(row interface{ Scan(...any) error }, s *FeedbackSummary, extra ...any) error {
	var rel, comp, use *float64
	var sugg *int64
	if err := row.Scan(append(extra, &s.Count, &rel, &comp, &use, &sugg)...); err != nil {
		return err
	}
	if rel != nil {
		s.Relevance, s.Completeness, s.Usefulness = *rel, *comp, *use
	}
	if sugg != nil {
		s.Suggestions = int(*sugg)
	}
	return nil
}

// FeedbackTotals sums up every rating in scope.
func (st *Store) FeedbackTotals(ctx context.Context, munID int64, scope FeedbackScope) (FeedbackSummary, error) {
	w, args := scope.where(munID)
	var s FeedbackSummary
	if err := scanSummary(st.DB.QueryRow(ctx, `SELECT `+summaryColumns+` FROM site_feedback f WHERE `+w, args...), &s); err != nil {
		return s, fmt.Errorf("feedback totals: %w", err)
	}
	return s, nil
}

// FeedbackByPage returns one page of per-address summaries, the most rated
// first, and the number of addresses.
func (st *Store) FeedbackByPage(ctx context.Context, munID int64, scope FeedbackScope, limit, offset int) ([]FeedbackSummary, int, error) {
	w, args := scope.where(munID)
	var total int
	if err := st.DB.QueryRow(ctx, `SELECT COUNT(DISTINCT f.path) FROM site_feedback f WHERE `+w, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count rated pages: %w", err)
	}
	rows, err := st.DB.Query(ctx, `SELECT f.path, `+summaryColumns+` FROM site_feedback f WHERE `+w+` GROUP BY f.path ORDER BY COUNT(*) DESC, f.path LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("feedback by page: %w", err)
	}
	defer rows.Close()
	var out []FeedbackSummary
	for rows.Next() {
		var s FeedbackSummary
		if err := scanSummary(rows, &s, &s.Key); err != nil {
			return nil, 0, err
		}
		s.Href = s.Key
		out = append(out, s)
	}
	return out, total, rows.Err()
}

// FeedbackBySection sums up ratings per section in scope.
func (st *Store) FeedbackBySection(ctx context.Context, munID int64, scope FeedbackScope) ([]FeedbackSummary, error) {
	w, args := scope.where(munID)
	rows, err := st.DB.Query(ctx, `SELECT s.title, s.path, `+summaryColumns+` FROM site_feedback f JOIN site_sections s ON s.id = f.section_id WHERE `+w+` GROUP BY s.id, s.title, s.path ORDER BY s.path`, args...)
	if err != nil {
		return nil, fmt.Errorf("feedback by section: %w", err)
	}
	defer rows.Close()
	var out []FeedbackSummary
	for rows.Next() {
		var s FeedbackSummary
		var path string
		if err := scanSummary(rows, &s, &s.Key, &path); err != nil {
			return nil, err
		}
		s.Href = "/sections/" + path
		out = append(out, s)
	}
	return out, rows.Err()
}

// Suggestions returns one page of the «что добавить на сайт?» answers,
// newest first, and their number; path narrows to one address.
func (st *Store) Suggestions(ctx context.Context, munID int64, scope FeedbackScope, path string, limit, offset int) ([]Feedback, int, error) {
	w, args := scope.where(munID)
	w += ` AND f.suggestion <> ''`
	if path != "" {
		w += ` AND f.path = ?`
		args = append(args, path)
	}
	var total int
	if err := st.DB.QueryRow(ctx, `SELECT COUNT(*) FROM site_feedback f WHERE `+w, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count suggestions: %w", err)
	}
	rows, err := st.DB.Query(ctx, `SELECT f.id, f.path, COALESCE(f.section_id, 0), COALESCE(f.relevance, 0), COALESCE(f.completeness, 0), COALESCE(f.usefulness, 0), f.suggestion, f.created_at FROM site_feedback f WHERE `+w+` ORDER BY f.created_at DESC, f.id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list suggestions: %w", err)
	}
	defer rows.Close()
	var out []Feedback
	for rows.Next() {
		var f Feedback
		if err := rows.Scan(&f.ID, &f.Path, &f.SectionID, &f.Relevance, &f.Completeness, &f.Usefulness, &f.Suggestion, &f.CreatedAt); err != nil {
			return nil, 0, err
		}
		out = append(out, f)
	}
	return out, total, rows.Err()
}

// SectionsOfDepartment lists the ids of the sections a department owns,
// for an editor's view of the feedback.
func (st *Store) SectionsOfDepartment(ctx context.Context, munID, deptID int64) ([]int64, error) {
	rows, err := st.DB.Query(ctx, `SELECT id FROM site_sections WHERE municipality_id = ? AND department_id = ?`, munID, deptID)
	if err != nil {
		return nil, fmt.Errorf("department sections: %w", err)
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
