package training

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/glasnost/glasnost/internal/db"
)

// Store is the area's SQL.
type Store struct {
	DB *db.DB
}

const courseCols = `id, municipality_id, title, description, code_title, code_url, material, quiz, pass_mark, max_attempts, created_at, updated_at`

func scanCourse(row interface{ Scan(...any) error }) (Course, error) {
	var c Course
	err := row.Scan(&c.ID, &c.MunicipalityID, &c.Title, &c.Description, &c.CodeTitle, &c.CodeURL, &c.Material, &c.Quiz, &c.PassMark, &c.MaxAttempts, &c.CreatedAt, &c.UpdatedAt)
	return c, err
}

// Courses lists the municipality's courses.
func (s *Store) Courses(ctx context.Context, q db.Querier, munID int64) ([]Course, error) {
	rows, err := q.Query(ctx, `SELECT `+courseCols+` FROM training_courses WHERE municipality_id = ? ORDER BY id`, munID)
	if err != nil {
		return nil, fmt.Errorf("list courses: %w", err)
	}
	defer rows.Close()
	var out []Course
	for rows.Next() {
		c, err := scanCourse(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Course returns one course.
func (s *Store) Course(ctx context.Context, q db.Querier, munID, id int64) (Course, error) {
	c, err := scanCourse(q.QueryRow(ctx, `SELECT `+courseCols+` FROM training_courses WHERE municipality_id = ? AND id = ?`, munID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Course{}, db.ErrNotFound
	}
	if err != nil {
		return Course{}, fmt.Errorf("get course: %w", err)
	}
	return c, nil
}

// Save inserts (ID 0) or updates a course.
func (s *Store) Save(ctx context.Context, tx *db.Tx, c *Course, now time.Time) error {
	if c.ID == 0 {
		id, err := db.InsertID(ctx, tx, `INSERT INTO training_courses (municipality_id, title, description, code_title, code_url, material, quiz, pass_mark, max_attempts, created_at, updated_at)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.MunicipalityID, c.Title, c.Description, c.CodeTitle, c.CodeURL, c.Material, c.Quiz, c.PassMark, c.MaxAttempts, now, now)
		if err != nil {
			return fmt.Errorf("insert course: %w", err)
		}
		c.ID, c.CreatedAt, c.UpdatedAt = id, now, now
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE training_courses SET title = ?, description = ?, code_title = ?, code_url = ?, material = ?, quiz = ?, pass_mark = ?, max_attempts = ?, updated_at = ?
 WHERE municipality_id = ? AND id = ?`, c.Title, c.Description, c.CodeTitle, c.CodeURL, c.Material, c.Quiz, c.PassMark, c.MaxAttempts, now, c.MunicipalityID, c.ID)
	if err != nil {
		return fmt.Errorf("update course: %w", err)
	}
	c.UpdatedAt = now
	return nil
}

// Attempts counts an account's attempts at a course.
func (s *Store) Attempts(ctx context.Context, q db.Querier, courseID, accountID int64) (int, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM training_attempts WHERE course_id = ? AND account_id = ?`, courseID, accountID).Scan(&n)
	return n, err
}

// AddAttempt records attempt number n; a concurrent attempt with the same
// number fails as a unique violation.
func (s *Store) AddAttempt(ctx context.Context, tx *db.Tx, munID, courseID, accountID int64, n int, r Result, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO training_attempts (municipality_id, course_id, account_id, number, correct, total, score, passed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		munID, courseID, accountID, n, r.Correct, r.Total, r.Score, r.Passed, now)
	if err != nil {
		return fmt.Errorf("record attempt: %w", err)
	}
	return nil
}

// ResetAttempts clears an account's failed attempts (an administrator
// grants new ones).
func (s *Store) ResetAttempts(ctx context.Context, tx *db.Tx, courseID, accountID int64) (int64, error) {
	res, err := tx.Exec(ctx, `DELETE FROM training_attempts WHERE course_id = ? AND account_id = ? AND passed = FALSE`, courseID, accountID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Completion is a course passed, with its certificate's code.
type Completion struct {
	ID          int64
	CourseID    int64
	AccountID   int64
	FullName    string
	CourseTitle string
	Score       int
	Code        string
	CompletedAt time.Time
}

const completionCols = `id, course_id, account_id, full_name, course_title, score, code, completed_at`

func scanCompletion(row interface{ Scan(...any) error }) (Completion, error) {
	var c Completion
	err := row.Scan(&c.ID, &c.CourseID, &c.AccountID, &c.FullName, &c.CourseTitle, &c.Score, &c.Code, &c.CompletedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Completion{}, db.ErrNotFound
	}
	return c, err
}

// AddCompletion records a completion.
func (s *Store) AddCompletion(ctx context.Context, tx *db.Tx, munID int64, c *Completion) error {
	id, err := db.InsertID(ctx, tx, `INSERT INTO training_completions (municipality_id, course_id, account_id, full_name, course_title, score, code, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		munID, c.CourseID, c.AccountID, c.FullName, c.CourseTitle, c.Score, c.Code, c.CompletedAt)
	if err != nil {
		return fmt.Errorf("record completion: %w", err)
	}
	c.ID = id
	return nil
}

// CompletionOf returns the account's completion of a course.
func (s *Store) CompletionOf(ctx context.Context, q db.Querier, courseID, accountID int64) (Completion, error) {
	return scanCompletion(q.QueryRow(ctx, `SELECT `+completionCols+` FROM training_completions WHERE course_id = ? AND account_id = ?`, courseID, accountID))
}

// ByCode returns the completion with a certificate code in the municipality.
func (s *Store) ByCode(ctx context.Context, munID int64, code string) (Completion, error) {
	return scanCompletion(s.DB.QueryRow(ctx, `SELECT `+completionCols+` FROM training_completions WHERE municipality_id = ? AND code = ?`, munID, code))
}

// Completions lists a course's completions by account.
func (s *Store) Completions(ctx context.Context, courseID int64) (map[int64]Completion, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+completionCols+` FROM training_completions WHERE course_id = ?`, courseID)
	if err != nil {
		return nil, fmt.Errorf("list completions: %w", err)
	}
	defer rows.Close()
	out := map[int64]Completion{}
	for rows.Next() {
		c, err := scanCompletion(rows)
		if err != nil {
			return nil, err
		}
		out[c.AccountID] = c
	}
	return out, rows.Err()
}

// AttemptCounts is the number of attempts per account at a course.
func (s *Store) AttemptCounts(ctx context.Context, courseID int64) (map[int64]int, error) {
	rows, err := s.DB.Query(ctx, `SELECT account_id, COUNT(*) FROM training_attempts WHERE course_id = ? GROUP BY account_id`, courseID)
	if err != nil {
		return nil, fmt.Errorf("count attempts: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// CompletedCount counts a course's completions.
func (s *Store) CompletedCount(ctx context.Context, q db.Querier, courseID int64) (int, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM training_completions WHERE course_id = ?`, courseID).Scan(&n)
	return n, err
}
