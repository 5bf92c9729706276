package consult

// Independent anti-corruption experts and their conclusions.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
)

// Expert is an independent expert or expert organisation accredited by the
// Ministry of Justice.
type Expert struct {
	ID                  int64
	AccountID           int64
	Kind                string // "person" or "organisation"
	Name                string
	AccreditationNumber string
	AccreditationDate   string
	Members             string // an organisation's experts, one a line
	Status              string
	RejectReason        string
	// Email is the account's address, filled for the staff list by auth.
	Email     string
	CreatedAt time.Time
}

const expertCols = `e.id, e.account_id, e.kind, e.name, e.accreditation_number, e.accreditation_date, e.members, e.status, e.reject_reason, e.created_at`

func scanExpert(row interface{ Scan(...any) error }) (Expert, error) {
	var e Expert
	err := row.Scan(&e.ID, &e.AccountID, &e.Kind, &e.Name, &e.AccreditationNumber, &e.AccreditationDate, &e.Members, &e.Status, &e.RejectReason, &e.CreatedAt)
	return e, err
}

// SaveExpert registers an account as an expert or resubmits its details,
// which sends it back for verification.
func (s *Store) SaveExpert(ctx context.Context, tx *db.Tx, munID int64, e *Expert) error {
	res, err := tx.Exec(ctx, `UPDATE consult_experts SET kind = ?, name = ?, accreditation_number = ?, accreditation_date = ?, members = ?, status = 'pending', reject_reason = '', verified_by = NULL, verified_at = NULL
		WHERE municipality_id = ? AND account_id = ?`, e.Kind, e.Name, e.AccreditationNumber, e.AccreditationDate, e.Members, munID, e.AccountID)
	if err != nil {
		return fmt.Errorf("update expert: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		e.Status = ExpertPending
		return nil
	}
	e.CreatedAt = s.DB.Now()
	e.Status = ExpertPending
	e.ID, err = db.InsertID(ctx, tx, `INSERT INTO consult_experts (municipality_id, account_id, kind, name, accreditation_number, accreditation_date, members, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
		munID, e.AccountID, e.Kind, e.Name, e.AccreditationNumber, e.AccreditationDate, e.Members, e.CreatedAt)
	if err != nil {
		return fmt.Errorf("register expert: %w", err)
	}
	return nil
}

// ExpertByAccount returns the expert record of an account.
func (s *Store) ExpertByAccount(ctx context.Context, munID, accountID int64) (Expert, error) {
	e, err := scanExpert(s.DB.QueryRow(ctx, `SELECT `+expertCols+` FROM consult_experts e WHERE e.municipality_id = ? AND e.account_id = ?`, munID, accountID))
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("expert of account %d: %w", accountID, db.ErrNotFound)
	}
	if err != nil {
		return e, fmt.Errorf("find expert: %w", err)
	}
	return e, nil
}

// Expert returns one expert record.
func (s *Store) Expert(ctx context.Context, q db.Querier, munID, id int64) (Expert, error) {
	e, err := scanExpert(q.QueryRow(ctx, `SELECT `+expertCols+` FROM consult_experts e WHERE e.municipality_id = ? AND e.id = ?`, munID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("expert %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return e, fmt.Errorf("get expert: %w", err)
	}
	return e, nil
}

// Experts lists experts, those awaiting verification first.
func (s *Store) Experts(ctx context.Context, munID int64, limit, offset int) ([]Expert, int, error) {
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM consult_experts WHERE municipality_id = ?`, munID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count experts: %w", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT `+expertCols+` FROM consult_experts e WHERE e.municipality_id = ?
		ORDER BY CASE e.status WHEN 'pending' THEN 0 ELSE 1 END, e.id DESC LIMIT ? OFFSET ?`, munID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("list experts: %w", err)
	}
	defer rows.Close()
	var out []Expert
	for rows.Next() {
		e, err := scanExpert(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// VerifyExpert records staff's verification of the accreditation.
func (s *Store) VerifyExpert(ctx context.Context, tx *db.Tx, munID, id int64, status, reason string, by int64) error {
	res, err := tx.Exec(ctx, `UPDATE consult_experts SET status = ?, reject_reason = ?, verified_by = ?, verified_at = ? WHERE municipality_id = ? AND id = ?`,
		status, reason, nullID(by), s.DB.Now(), munID, id)
	if err != nil {
		return fmt.Errorf("verify expert %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("expert %d: %w", id, db.ErrNotFound)
	}
	return nil
}

// Conclusion is an expert's conclusion and the administration's answer.
type Conclusion struct {
	ID             int64
	ConsultationID int64
	ExpertID       int64
	ExpertName     string
	ExpertKind     string
	Accreditation  string
	ShowName       bool
	Factors        []FactorFinding
	Body           string
	ReceivedOn     deadline.Date
	DueOn          deadline.Date
	RemindersSent  int
	Answer         string
	AnsweredAt     time.Time
	CreatedAt      time.Time
	// ConsultationTitle is filled by lists across consultations.
	ConsultationTitle string
}

// PublicExpert is how the expert is named on public pages: by name when
// the expert chose so, otherwise by accreditation alone.
func (c Conclusion) PublicExpert() string {
	if c.ShowName {
		return c.ExpertName
	}
	if c.ExpertKind == "organisation" {
		return "Аккредитованная экспертная организация"
	}
	return "Независимый эксперт"
}

// AddConclusion stores a conclusion.
func (s *Store) AddConclusion(ctx context.Context, tx *db.Tx, munID int64, c *Conclusion) error {
	f, err := json.Marshal(c.Factors)
	if err != nil {
		return fmt.Errorf("encode factors: %w", err)
	}
	c.CreatedAt = s.DB.Now()
	c.ID, err = db.InsertID(ctx, tx, `INSERT INTO consult_conclusions (municipality_id, consultation_id, expert_id, show_name, factors, body, received_on, due_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		munID, c.ConsultationID, c.ExpertID, c.ShowName, string(f), c.Body, c.ReceivedOn.String(), c.DueOn.String(), c.CreatedAt)
	if err != nil {
		return fmt.Errorf("add conclusion: %w", err)
	}
	return nil
}

const conclusionCols = `k.id, k.consultation_id, k.expert_id, e.name, e.kind, e.accreditation_number, k.show_name, k.factors, k.body, k.received_on, k.due_on, k.reminders_sent, k.answer, k.answered_at, k.created_at, c.title`

func scanConclusion(row interface{ Scan(...any) error }) (Conclusion, error) {
	var k Conclusion
	var factors, received, due string
	var answered sql.NullTime
	err := row.Scan(&k.ID, &k.ConsultationID, &k.ExpertID, &k.ExpertName, &k.ExpertKind, &k.Accreditation, &k.ShowName, &factors, &k.Body, &received, &due, &k.RemindersSent, &k.Answer, &answered, &k.CreatedAt, &k.ConsultationTitle)
	if err != nil {
		return k, err
	}
	k.AnsweredAt = answered.Time
	k.ReceivedOn, _ = deadline.ParseDate(received)
	k.DueOn, _ = deadline.ParseDate(due)
	if err := json.Unmarshal([]byte(factors), &k.Factors); err != nil {
		return k, fmt.Errorf("decode factors of conclusion %d: %w", k.ID, err)
	}
	return k, nil
}

const conclusionFrom = ` FROM consult_conclusions k JOIN consult_experts e ON e.id = k.expert_id JOIN consultations c ON c.id = k.consultation_id `

func (s *Store) conclusions(ctx context.Context, q db.Querier, where string, args ...any) ([]Conclusion, error) {
	rows, err := q.Query(ctx, `SELECT `+conclusionCols+conclusionFrom+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list conclusions: %w", err)
	}
	defer rows.Close()
	var out []Conclusion
	for rows.Next() {
		k, err := scanConclusion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// Conclusions lists a consultation's conclusions in order of receipt.
func (s *Store) Conclusions(ctx context.Context, consultationID int64) ([]Conclusion, error) {
	return s.conclusions(ctx, s.DB, `WHERE k.consultation_id = ? ORDER BY k.id`, consultationID)
}

// UnansweredConclusions lists conclusions awaiting an answer, by due day,
// across every municipality (munID 0) or one.
func (s *Store) UnansweredConclusions(ctx context.Context, munID int64) ([]Conclusion, error) {
	if munID == 0 {
		return s.conclusions(ctx, s.DB, `WHERE k.answered_at IS NULL ORDER BY k.due_on, k.id`)
	}
	return s.conclusions(ctx, s.DB, `WHERE k.municipality_id = ? AND k.answered_at IS NULL ORDER BY k.due_on, k.id`, munID)
}

// Conclusion returns one conclusion.
func (s *Store) Conclusion(ctx context.Context, q db.Querier, munID, id int64) (Conclusion, error) {
	out, err := s.conclusions(ctx, q, `WHERE k.municipality_id = ? AND k.id = ?`, munID, id)
	if err != nil {
		return Conclusion{}, err
	}
	if len(out) == 0 {
		return Conclusion{}, fmt.Errorf("conclusion %d: %w", id, db.ErrNotFound)
	}
	return out[0], nil
}

// AnswerConclusion records the administration's reasoned answer.
func (s *Store) AnswerConclusion(ctx context.Context, tx *db.Tx, munID, id int64, answer string, by int64) error {
	_, err := tx.Exec(ctx, `UPDATE consult_conclusions SET answer = ?, answered_by = ?, answered_at = ? WHERE municipality_id = ? AND id = ?`, answer, nullID(by), s.DB.Now(), munID, id)
	if err != nil {
		return fmt.Errorf("answer conclusion %d: %w", id, err)
	}
	return nil
}

// MarkReminded records that n reminders have gone out for a conclusion
// that had from. It reports false, changing nothing, when another run got
// there first: two runs of the reminder job at once must not both write
// to the author.
func (s *Store) MarkReminded(ctx context.Context, tx *db.Tx, id int64, from, n int) (bool, error) {
	res, err := tx.Exec(ctx, `UPDATE consult_conclusions SET reminders_sent = ? WHERE id = ? AND reminders_sent = ?`, n, id, from)
	if err != nil {
		return false, fmt.Errorf("mark reminder: %w", err)
	}
	changed, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("mark reminder: %w", err)
	}
	return changed == 1, nil
}
