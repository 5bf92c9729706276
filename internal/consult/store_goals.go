package consult

// Declared goals of a consultation and the progress reported on them.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/glasnost/glasnost/internal/db"
)

// Goal is a goal of a declaration with its target indicator and progress.
type Goal struct {
	ID             int64
	ConsultationID int64
	Position       int
	Title          string
	DepartmentID   int64
	Department     string
	Indicator      string
	Unit           string
	Target         string
	Progress       []Progress
}

// Progress is one report on a goal.
type Progress struct {
	ID      int64
	OnDate  string
	Planned string
	Actual  string
	Comment string
}

// AddGoal appends a goal to a declaration.
func (s *Store) AddGoal(ctx context.Context, tx *db.Tx, g *Goal) error {
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM consult_goals WHERE consultation_id = ?`, g.ConsultationID).Scan(&g.Position); err != nil {
		return fmt.Errorf("next goal position: %w", err)
	}
	id, err := db.InsertID(ctx, tx, `INSERT INTO consult_goals (consultation_id, position, title, department_id, indicator, unit, target, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		g.ConsultationID, g.Position, g.Title, nullID(g.DepartmentID), g.Indicator, g.Unit, g.Target, s.DB.Now())
	if err != nil {
		return fmt.Errorf("add goal: %w", err)
	}
	g.ID = id
	return nil
}

// Goals lists a declaration's goals with their progress, in two queries.
func (s *Store) Goals(ctx context.Context, consultationID int64) ([]Goal, error) {
	rows, err := s.DB.Query(ctx, `SELECT g.id, g.consultation_id, g.position, g.title, COALESCE(g.department_id, 0), COALESCE(d.name, ''), g.indicator, g.unit, g.target
		FROM consult_goals g LEFT JOIN departments d ON d.id = g.department_id WHERE g.consultation_id = ? ORDER BY g.position`, consultationID)
	if err != nil {
		return nil, fmt.Errorf("list goals: %w", err)
	}
	var out []Goal
	idx := map[int64]int{}
	for rows.Next() {
		var g Goal
		if err := rows.Scan(&g.ID, &g.ConsultationID, &g.Position, &g.Title, &g.DepartmentID, &g.Department, &g.Indicator, &g.Unit, &g.Target); err != nil {
			rows.Close()
			return nil, err
		}
		idx[g.ID] = len(out)
		out = append(out, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	prow, err := s.DB.Query(ctx, `SELECT p.goal_id, p.id, p.on_date, p.planned, p.actual, p.comment FROM consult_goal_progress p JOIN consult_goals g ON g.id = p.goal_id
		WHERE g.consultation_id = ? ORDER BY p.on_date, p.id`, consultationID)
	if err != nil {
		return nil, fmt.Errorf("list goal progress: %w", err)
	}
	defer prow.Close()
	for prow.Next() {
		var gid int64
		var p Progress
		if err := prow.Scan(&gid, &p.ID, &p.OnDate, &p.Planned, &p.Actual, &p.Comment); err != nil {
			return nil, err
		}
		if i, ok := idx[gid]; ok {
			out[i].Progress = append(out[i].Progress, p)
		}
	}
	return out, prow.Err()
}

// Goal returns one goal of a municipality's declaration.
func (s *Store) Goal(ctx context.Context, munID, id int64) (Goal, error) {
	var g Goal
	err := s.DB.QueryRow(ctx, `SELECT g.id, g.consultation_id, g.position, g.title, COALESCE(g.department_id, 0), g.indicator, g.unit, g.target
		FROM consult_goals g JOIN consultations c ON c.id = g.consultation_id WHERE c.municipality_id = ? AND g.id = ?`, munID, id).
		Scan(&g.ID, &g.ConsultationID, &g.Position, &g.Title, &g.DepartmentID, &g.Indicator, &g.Unit, &g.Target)
	if errors.Is(err, sql.ErrNoRows) {
		return g, fmt.Errorf("goal %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return g, fmt.Errorf("get goal: %w", err)
	}
	return g, nil
}

// AddProgress records a progress report on a goal.
func (s *Store) AddProgress(ctx context.Context, tx *db.Tx, goalID int64, p *Progress, by int64) error {
	id, err := db.InsertID(ctx, tx, `INSERT INTO consult_goal_progress (goal_id, on_date, planned, actual, comment, entered_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		goalID, p.OnDate, p.Planned, p.Actual, p.Comment, nullID(by), s.DB.Now())
	if err != nil {
		return fmt.Errorf("add progress: %w", err)
	}
	p.ID = id
	return nil
}
