package roadmap

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/glasnost/glasnost/internal/db"
)

// Criterion is one question of the openness self-assessment, with its weight.
type Criterion struct {
	ID       int64
	Title    string
	Weight   int
	Position int
	Retired  bool
}

// DefaultCriteria are the questions an administration starts with; they
// follow the methodological recommendations on open administration
// (Правительственная комиссия, 2014): is the mechanism regulated, used,
// visible, does it reach people and do they answer.
var DefaultCriteria = []Criterion{
	{Title: "Порядок работы механизма закреплён правовым актом", Weight: 2},
	{Title: "Назначены ответственные и соблюдаются сроки", Weight: 2},
	{Title: "Информация о механизме размещена на официальном сайте", Weight: 1},
	{Title: "Механизмом регулярно пользуются жители и организации", Weight: 3},
	{Title: "Результаты применения механизма публикуются и учитываются", Weight: 2},
}

// Criterion values: how far a criterion is met.
const (
	ValueNo      = 0 // нет
	ValuePartly  = 1 // частично
	ValueYes     = 2 // да
	valueMaximum = ValueYes
)

// ValueLabel is the Russian answer for a criterion value.
func ValueLabel(v int) string {
	switch v {
	case ValueYes:
		return "да"
	case ValuePartly:
		return "частично"
	}
	return "нет"
}

// Stages of development of a mechanism, from 1 to 4.
var Stages = []string{"", "не внедрён", "начальный", "развивается", "внедрён полностью"}

// StageLabel is the Russian name of a stage.
func StageLabel(n int) string {
	if n < 1 || n >= len(Stages) {
		return "не оценён"
	}
	return Stages[n]
}

// Answer is the value given to one criterion, with the weight it had then,
// so that history keeps its scores when weights change.
type Answer struct {
	CriterionID int64
	Value       int
	Weight      int
}

// Score is the weighted share of the criteria met, in whole percent.
func Score(answers []Answer) int {
	total, got := 0, 0
	for _, a := range answers {
		if a.Weight <= 0 {
			continue
		}
		v := min(max(a.Value, ValueNo), valueMaximum)
		total += a.Weight * valueMaximum
		got += a.Weight * v
	}
	if total == 0 {
		return 0
	}
	return (got*100 + total/2) / total
}

// SuggestStage is the stage a score suggests; staff may set another, since
// a stage also reflects what no criterion asks.
func SuggestStage(score int) int {
	switch {
	case score >= 85:
		return 4
	case score >= 50:
		return 3
	case score > 0:
		return 2
	}
	return 1
}

// Assessment is a mechanism's self-assessment for one year.
type Assessment struct {
	ID          int64
	MechanismID int64
	Year        int
	Stage       int
	Score       int
	Note        string
	Answers     []Answer
	UpdatedAt   time.Time
}

// Criteria lists a municipality's criteria in order, retired ones included
// when all is set.
func (s *Store) Criteria(ctx context.Context, munID int64, all bool) ([]Criterion, error) {
	q := `SELECT id, title, weight, position, retired FROM roadmap_criteria WHERE municipality_id = ?`
	if !all {
		q += ` AND retired = FALSE`
	}
	rows, err := s.DB.Query(ctx, q+` ORDER BY position, id`, munID)
	if err != nil {
		return nil, fmt.Errorf("list criteria: %w", err)
	}
	defer rows.Close()
	var out []Criterion
	for rows.Next() {
		var c Criterion
		if err := rows.Scan(&c.ID, &c.Title, &c.Weight, &c.Position, &c.Retired); err != nil {
			return nil, fmt.Errorf("scan criterion: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// EnsureCriteria gives a municipality the default criteria unless it has any.
func (s *Store) EnsureCriteria(ctx context.Context, tx *db.Tx, munID int64) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM roadmap_criteria WHERE municipality_id = ?`, munID).Scan(&n); err != nil {
		return fmt.Errorf("count criteria: %w", err)
	}
	if n > 0 {
		return nil
	}
	for i, c := range DefaultCriteria {
		if _, err := tx.Exec(ctx, `INSERT INTO roadmap_criteria (municipality_id, title, weight, position) VALUES (?, ?, ?, ?)`, munID, c.Title, c.Weight, i+1); err != nil {
			return fmt.Errorf("insert criterion: %w", err)
		}
	}
	return nil
}

// SaveCriterion inserts (ID 0) or updates a criterion.
func (s *Store) SaveCriterion(ctx context.Context, tx *db.Tx, munID int64, c *Criterion) error {
	if c.ID == 0 {
		id, err := db.InsertID(ctx, tx, `INSERT INTO roadmap_criteria (municipality_id, title, weight, position, retired) VALUES (?, ?, ?, ?, ?)`, munID, c.Title, c.Weight, c.Position, c.Retired)
		if err != nil {
			return fmt.Errorf("insert criterion: %w", err)
		}
		c.ID = id
		return nil
	}
	res, err := tx.Exec(ctx, `UPDATE roadmap_criteria SET title = ?, weight = ?, position = ?, retired = ? WHERE municipality_id = ? AND id = ?`, c.Title, c.Weight, c.Position, c.Retired, munID, c.ID)
	if err != nil {
		return fmt.Errorf("update criterion %d: %w", c.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("criterion %d: %w", c.ID, db.ErrNotFound)
	}
	return nil
}

// Assessments returns every year's assessments of a roadmap's mechanisms,
// by mechanism then year, in two queries.
func (s *Store) Assessments(ctx context.Context, munID, roadmapID int64) ([]Assessment, error) {
	rows, err := s.DB.Query(ctx, `SELECT a.id, a.mechanism_id, a.year, a.stage, a.score, a.note, a.updated_at FROM roadmap_assessments a
		JOIN roadmap_mechanisms m ON m.id = a.mechanism_id WHERE a.municipality_id = ? AND m.roadmap_id = ? ORDER BY m.number, a.year`, munID, roadmapID)
	if err != nil {
		return nil, fmt.Errorf("list assessments: %w", err)
	}
	var out []Assessment
	index := map[int64]int{}
	for rows.Next() {
		var a Assessment
		if err := rows.Scan(&a.ID, &a.MechanismID, &a.Year, &a.Stage, &a.Score, &a.Note, &a.UpdatedAt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan assessment: %w", err)
		}
		index[a.ID] = len(out)
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	arows, err := s.DB.Query(ctx, `SELECT s.assessment_id, s.criterion_id, s.value, s.weight FROM roadmap_assessment_scores s
		JOIN roadmap_assessments a ON a.id = s.assessment_id JOIN roadmap_mechanisms m ON m.id = a.mechanism_id
		WHERE a.municipality_id = ? AND m.roadmap_id = ? ORDER BY s.assessment_id, s.criterion_id`, munID, roadmapID)
	if err != nil {
		return nil, fmt.Errorf("list assessment answers: %w", err)
	}
	defer arows.Close()
	for arows.Next() {
		var id int64
		var an Answer
		if err := arows.Scan(&id, &an.CriterionID, &an.Value, &an.Weight); err != nil {
			return nil, fmt.Errorf("scan answer: %w", err)
		}
		if i, ok := index[id]; ok {
			out[i].Answers = append(out[i].Answers, an)
		}
	}
	return out, arows.Err()
}

// SaveAssessment stores a mechanism's assessment for its year, replacing
// the one there was, with its score computed from the answers. It returns
// the assessment as it was before (ID 0 when there was none), for the audit.
func (s *Store) SaveAssessment(ctx context.Context, tx *db.Tx, munID int64, a *Assessment) (Assessment, error) {
	var before Assessment
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM roadmap_mechanisms WHERE municipality_id = ? AND id = ?`, munID, a.MechanismID).Scan(&n); err != nil {
		return before, fmt.Errorf("check mechanism: %w", err)
	}
	if n == 0 {
		return before, fmt.Errorf("mechanism %d: %w", a.MechanismID, db.ErrNotFound)
	}
	err := tx.QueryRow(ctx, `SELECT id, stage, score, note FROM roadmap_assessments WHERE mechanism_id = ? AND year = ?`, a.MechanismID, a.Year).
		Scan(&before.ID, &before.Stage, &before.Score, &before.Note)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return before, fmt.Errorf("find assessment: %w", err)
	}
	sort.Slice(a.Answers, func(i, j int) bool { return a.Answers[i].CriterionID < a.Answers[j].CriterionID })
	a.Score = Score(a.Answers)
	a.UpdatedAt = s.DB.Now()
	if before.ID == 0 {
		a.ID, err = db.InsertID(ctx, tx, `INSERT INTO roadmap_assessments (municipality_id, mechanism_id, year, stage, score, note, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			munID, a.MechanismID, a.Year, a.Stage, a.Score, a.Note, a.UpdatedAt)
		if err != nil {
			return before, fmt.Errorf("insert assessment: %w", err)
		}
	} else {
		a.ID = before.ID
		if _, err := tx.Exec(ctx, `UPDATE roadmap_assessments SET stage = ?, score = ?, note = ?, updated_at = ? WHERE id = ?`, a.Stage, a.Score, a.Note, a.UpdatedAt, a.ID); err != nil {
			return before, fmt.Errorf("update assessment: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM roadmap_assessment_scores WHERE assessment_id = ?`, a.ID); err != nil {
			return before, fmt.Errorf("clear answers: %w", err)
		}
	}
	for _, an := range a.Answers {
		if _, err := tx.Exec(ctx, `INSERT INTO roadmap_assessment_scores (assessment_id, criterion_id, value, weight) VALUES (?, ?, ?, ?)`, a.ID, an.CriterionID, an.Value, an.Weight); err != nil {
			return before, fmt.Errorf("insert answer: %w", err)
		}
	}
	return before, nil
}
