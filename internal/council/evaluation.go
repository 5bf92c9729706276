package council

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/glasnost/glasnost/internal/db"
)

// Methodology is how the council evaluates the administration: criteria
// with weights, a scale from 1 to ScaleMax, who scores, and its act.
type Methodology struct {
	ID                         int64
	Title                      string
	ScaleMax                   int
	Scorers                    string
	ActURL, ActNumber, ActDate string
	ApprovedAt                 time.Time
	Criteria                   []Criterion
}

// Criterion is one criterion of a methodology.
type Criterion struct {
	ID     int64
	Title  string
	Weight int
}

// Run is one evaluation by the council members.
type Run struct {
	ID            int64
	MethodologyID int64
	Title         string
	Status        string // open, published
	Scorers       int
	TotalX100     int
	OpenedAt      time.Time
	ClosedAt      time.Time
}

// Total is the weighted result in points of the scale.
func (r Run) Total() float64 { return float64(r.TotalX100) / 100 }

// Score is one member's score of one criterion.
type Score struct {
	CriterionID int64
	AccountID   int64
	Score       int
	Comment     string
}

// Result is a criterion's aggregated score in a run.
type Result struct {
	CriterionID int64
	Title       string
	Weight      int
	AverageX100 int
	Scorers     int
}

// Average is the criterion's mean in points of the scale.
func (r Result) Average() float64 { return float64(r.AverageX100) / 100 }

// Aggregate computes each criterion's mean score (in hundredths, rounded
// half up) and the weighted total: Σ weight·mean / Σ weight over the
// criteria that got at least one score. scorers is the number of distinct
// members who scored.
func Aggregate(criteria []Criterion, scores []Score) (results []Result, totalX100, scorers int) {
	sum := map[int64]int{}
	cnt := map[int64]int{}
	who := map[int64]bool{}
	for _, s := range scores {
		sum[s.CriterionID] += s.Score
		cnt[s.CriterionID]++
		who[s.AccountID] = true
	}
	var wsum, wtotal int
	for _, c := range criteria {
		r := Result{CriterionID: c.ID, Title: c.Title, Weight: c.Weight, Scorers: cnt[c.ID]}
		if n := cnt[c.ID]; n > 0 {
			r.AverageX100 = (sum[c.ID]*200 + n) / (2 * n)
			wsum += c.Weight * r.AverageX100
			wtotal += c.Weight
		}
		results = append(results, r)
	}
	if wtotal > 0 {
		totalX100 = (2*wsum + wtotal) / (2 * wtotal)
	}
	return results, totalX100, len(who)
}

// Evaluation errors.
var (
	ErrScored    = errors.New("council: already scored in this run")
	ErrRunClosed = errors.New("council: run is closed")
)

// Methodology loads the latest methodology with its criteria, or ErrNotFound.
func (s *Store) Methodology(ctx context.Context, q db.Querier, munID, id int64) (Methodology, error) {
	var m Methodology
	var at sql.NullTime
	query := `SELECT id, title, scale_max, scorers, act_url, act_number, act_date, approved_at FROM council_methodologies WHERE municipality_id = ? `
	args := []any{munID}
	if id != 0 {
		query += `AND id = ?`
		args = append(args, id)
	} else {
		query += `ORDER BY id DESC LIMIT 1`
	}
	err := q.QueryRow(ctx, query, args...).Scan(&m.ID, &m.Title, &m.ScaleMax, &m.Scorers, &m.ActURL, &m.ActNumber, &m.ActDate, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return m, db.ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("load methodology: %w", err)
	}
	m.ApprovedAt = at.Time
	rows, err := q.Query(ctx, `SELECT id, title, weight FROM council_criteria WHERE methodology_id = ? ORDER BY sort, id`, m.ID)
	if err != nil {
		return m, fmt.Errorf("list criteria: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c Criterion
		if err := rows.Scan(&c.ID, &c.Title, &c.Weight); err != nil {
			return m, err
		}
		m.Criteria = append(m.Criteria, c)
	}
	return m, rows.Err()
}

// CreateMethodology stores a methodology with its criteria.
func (s *Store) CreateMethodology(ctx context.Context, tx *db.Tx, munID int64, m Methodology) (int64, error) {
	id, err := db.InsertID(ctx, tx, `INSERT INTO council_methodologies (municipality_id, title, scale_max, scorers, act_url, act_number, act_date, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		munID, m.Title, m.ScaleMax, m.Scorers, m.ActURL, m.ActNumber, m.ActDate, s.DB.Now())
	if err != nil {
		return 0, fmt.Errorf("create methodology: %w", err)
	}
	for i, c := range m.Criteria {
		if _, err := tx.Exec(ctx, `INSERT INTO council_criteria (municipality_id, methodology_id, title, weight, sort) VALUES (?, ?, ?, ?, ?)`, munID, id, c.Title, c.Weight, i+1); err != nil {
			return 0, fmt.Errorf("add criterion: %w", err)
		}
	}
	return id, nil
}

// ApproveMethodology records the approving act.
func (s *Store) ApproveMethodology(ctx context.Context, tx *db.Tx, munID, id int64, number, date, url string) error {
	res, err := tx.Exec(ctx, `UPDATE council_methodologies SET act_number = ?, act_date = ?, act_url = ?, approved_at = ? WHERE municipality_id = ? AND id = ?`, number, date, url, s.DB.Now(), munID, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return db.ErrNotFound
	}
	return nil
}

const runCols = `id, methodology_id, title, status, scorers, total_x100, opened_at, closed_at`

func scanRun(sc interface{ Scan(...any) error }) (Run, error) {
	var r Run
	var closed sql.NullTime
	err := sc.Scan(&r.ID, &r.MethodologyID, &r.Title, &r.Status, &r.Scorers, &r.TotalX100, &r.OpenedAt, &closed)
	r.ClosedAt = closed.Time
	return r, err
}

// Run loads one run.
func (s *Store) Run(ctx context.Context, q db.Querier, munID, id int64) (Run, error) {
	r, err := scanRun(q.QueryRow(ctx, `SELECT `+runCols+` FROM council_runs WHERE municipality_id = ? AND id = ?`, munID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, db.ErrNotFound
	}
	return r, err
}

// Runs lists runs, latest first; published only when onlyPublished.
func (s *Store) Runs(ctx context.Context, munID int64, onlyPublished bool) ([]Run, error) {
	q := `SELECT ` + runCols + ` FROM council_runs WHERE municipality_id = ?`
	if onlyPublished {
		q += ` AND status = 'published'`
	}
	rows, err := s.DB.Query(ctx, q+` ORDER BY id DESC LIMIT 50`, munID)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// OpenRun opens an evaluation run on a methodology.
func (s *Store) OpenRun(ctx context.Context, tx *db.Tx, munID, methodologyID int64, title string) (int64, error) {
	return db.InsertID(ctx, tx, `INSERT INTO council_runs (municipality_id, methodology_id, title, status, opened_at) VALUES (?, ?, ?, 'open', ?)`, munID, methodologyID, title, s.DB.Now())
}

// HasScored reports whether an account has scored in a run.
func (s *Store) HasScored(ctx context.Context, q db.Querier, runID, accountID int64) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM council_scores WHERE run_id = ? AND account_id = ?`, runID, accountID).Scan(&n)
	return n > 0, err
}

// SubmitScores stores a member's scores of every criterion, once per run.
func (s *Store) SubmitScores(ctx context.Context, tx *db.Tx, munID, runID, accountID int64, scores []Score) error {
	r, err := s.Run(ctx, tx, munID, runID)
	if err != nil {
		return err
	}
	if r.Status != "open" {
		return ErrRunClosed
	}
	done, err := s.HasScored(ctx, tx, runID, accountID)
	if err != nil {
		return err
	}
	if done {
		return ErrScored
	}
	for _, sc := range scores {
		_, err := tx.Exec(ctx, `INSERT INTO council_scores (municipality_id, run_id, criterion_id, account_id, score, comment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			munID, runID, sc.CriterionID, accountID, sc.Score, sc.Comment, s.DB.Now())
		if db.IsUniqueViolation(err) {
			return ErrScored
		}
		if err != nil {
			return fmt.Errorf("store score: %w", err)
		}
	}
	return nil
}

// CloseRun aggregates a run's scores and publishes its results.
func (s *Store) CloseRun(ctx context.Context, tx *db.Tx, munID, runID int64) (Run, error) {
	r, err := s.Run(ctx, tx, munID, runID)
	if err != nil {
		return r, err
	}
	if r.Status != "open" {
		return r, ErrRunClosed
	}
	m, err := s.Methodology(ctx, tx, munID, r.MethodologyID)
	if err != nil {
		return r, err
	}
	rows, err := tx.Query(ctx, `SELECT criterion_id, account_id, score FROM council_scores WHERE run_id = ?`, runID)
	if err != nil {
		return r, fmt.Errorf("read scores: %w", err)
	}
	var scores []Score
	for rows.Next() {
		var sc Score
		if err := rows.Scan(&sc.CriterionID, &sc.AccountID, &sc.Score); err != nil {
			rows.Close()
			return r, err
		}
		scores = append(scores, sc)
	}
	rows.Close()
	results, total, scorers := Aggregate(m.Criteria, scores)
	for _, res := range results {
		if _, err := tx.Exec(ctx, `INSERT INTO council_results (run_id, criterion_id, municipality_id, average_x100, scorers) VALUES (?, ?, ?, ?, ?)`, runID, res.CriterionID, munID, res.AverageX100, res.Scorers); err != nil {
			return r, fmt.Errorf("store result: %w", err)
		}
	}
	now := s.DB.Now()
	if _, err := tx.Exec(ctx, `UPDATE council_runs SET status = 'published', scorers = ?, total_x100 = ?, closed_at = ? WHERE id = ?`, scorers, total, now, runID); err != nil {
		return r, err
	}
	r.Status, r.Scorers, r.TotalX100, r.ClosedAt = "published", scorers, total, now
	return r, nil
}

// Results lists a published run's results by criterion.
func (s *Store) Results(ctx context.Context, munID, runID int64) ([]Result, error) {
	rows, err := s.DB.Query(ctx, `SELECT r.criterion_id, c.title, c.weight, r.average_x100, r.scorers FROM council_results r JOIN council_criteria c ON c.id = r.criterion_id
		WHERE r.municipality_id = ? AND r.run_id = ? ORDER BY c.sort, c.id`, munID, runID)
	if err != nil {
		return nil, fmt.Errorf("list results: %w", err)
	}
	defer rows.Close()
	var out []Result
	for rows.Next() {
		var r Result
		if err := rows.Scan(&r.CriterionID, &r.Title, &r.Weight, &r.AverageX100, &r.Scorers); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
