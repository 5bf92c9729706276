package consult

// Comments on a consultation: receipts, moderation, answers and the tally.

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
)

// Comment is a participant's comment or proposal and the drafter's answer.
type Comment struct {
	ID             int64
	MunicipalityID int64
	ConsultationID int64
	VersionID      int64
	Receipt        string
	AccountID      int64
	AuthorKind     string
	AuthorName     string
	Organisation   string
	Email          string
	Point          string
	PointLabel     string
	Quote          string
	QuoteStart     int
	QuoteEnd       int
	Body           string
	Status         string
	HeldReason     string
	RejectReason   string
	Decision       Decision
	DecisionReason string
	AnsweredAt     time.Time
	CreatedAt      time.Time
	// Number is the comment's position in the summary (1-based), filled by
	// list queries ordered by id.
	Number int
	// Consultation title, filled by the moderation queue.
	ConsultationTitle string
}

// Author is the author as published.
func (c Comment) Author() string { return AuthorDisplay(c.AuthorKind, c.AuthorName, c.Organisation) }

func randomTail() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	var b [4]byte
	_, _ = rand.Read(b[:])
	out := make([]byte, 4)
	for i, x := range b {
		out[i] = alphabet[int(x)%len(alphabet)]
	}
	return string(out)
}

// AddComment stores a comment and gives it its receipt number. The
// consultation's counter row serialises concurrent comments on PostgreSQL.
func (s *Store) AddComment(ctx context.Context, tx *db.Tx, c *Comment) error {
	var seq int
	if _, err := tx.Exec(ctx, `UPDATE consultations SET comment_seq = comment_seq + 1, rev = rev + 1 WHERE id = ?`, c.ConsultationID); err != nil {
		return fmt.Errorf("next comment number: %w", err)
	}
	if err := tx.QueryRow(ctx, `SELECT comment_seq FROM consultations WHERE id = ?`, c.ConsultationID).Scan(&seq); err != nil {
		return fmt.Errorf("read comment number: %w", err)
	}
	c.Receipt = FormatReceipt(c.ConsultationID, seq, randomTail())
	c.CreatedAt = s.DB.Now()
	id, err := db.InsertID(ctx, tx, `INSERT INTO consultation_comments (municipality_id, consultation_id, version_id, receipt, account_id, author_kind, author_name, organisation, email, point, point_label, quote, quote_start, quote_end, body, status, held_reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.MunicipalityID, c.ConsultationID, c.VersionID, c.Receipt, nullID(c.AccountID), c.AuthorKind, c.AuthorName, c.Organisation, c.Email, c.Point, c.PointLabel, c.Quote, c.QuoteStart, c.QuoteEnd, c.Body, c.Status, c.HeldReason, c.CreatedAt)
	if err != nil {
		return fmt.Errorf("add comment: %w", err)
	}
	c.ID = id
	if c.Status == StatusPublished {
		return bumpCount(ctx, tx, c.ConsultationID, c.Point, 1)
	}
	return nil
}

// bumpCount keeps consult_point_counts in step with published comments.
func bumpCount(ctx context.Context, tx *db.Tx, consultationID int64, point string, delta int) error {
	_, err := tx.Exec(ctx, `INSERT INTO consult_point_counts (consultation_id, point, published) VALUES (?, ?, ?)
		ON CONFLICT (consultation_id, point) DO UPDATE SET published = consult_point_counts.published + excluded.published`, consultationID, point, delta)
	if err != nil {
		return fmt.Errorf("count published comments: %w", err)
	}
	return nil
}

const commentCols = `cc.id, cc.municipality_id, cc.consultation_id, cc.version_id, cc.receipt, COALESCE(cc.account_id, 0), cc.author_kind, cc.author_name, cc.organisation, cc.email, cc.point, cc.point_label,
	cc.quote, cc.quote_start, cc.quote_end, cc.body, cc.status, cc.held_reason, cc.reject_reason, cc.decision, cc.decision_reason, cc.answered_at, cc.created_at`

func scanComment(row interface{ Scan(...any) error }, extra ...any) (Comment, error) {
	var c Comment
	var answered sql.NullTime
	dest := []any{&c.ID, &c.MunicipalityID, &c.ConsultationID, &c.VersionID, &c.Receipt, &c.AccountID, &c.AuthorKind, &c.AuthorName, &c.Organisation, &c.Email, &c.Point, &c.PointLabel,
		&c.Quote, &c.QuoteStart, &c.QuoteEnd, &c.Body, &c.Status, &c.HeldReason, &c.RejectReason, &c.Decision, &c.DecisionReason, &answered, &c.CreatedAt}
	err := row.Scan(append(dest, extra...)...)
	c.AnsweredAt = answered.Time
	return c, err
}

// CommentFilter narrows a list of comments.
type CommentFilter struct {
	Statuses   []string
	Point      string
	Unanswered bool
}

func (f CommentFilter) where(consultationID int64) (string, []any) {
	where := `WHERE cc.consultation_id = ?`
	args := []any{consultationID}
	if len(f.Statuses) > 0 {
		where += ` AND cc.status IN (` + db.Placeholders(len(f.Statuses)) + `)`
		for _, st := range f.Statuses {
			args = append(args, st)
		}
	}
	if f.Point != "" {
		where += ` AND cc.point = ?`
		args = append(args, f.Point)
	}
	if f.Unanswered {
		where += ` AND cc.decision = ''`
	}
	return where, args
}

// Comments returns one page of a consultation's comments in order of
// arrival, and the total.
func (s *Store) Comments(ctx context.Context, consultationID int64, f CommentFilter, limit, offset int) ([]Comment, int, error) {
	where, args := f.where(consultationID)
	var total int
	var err error
	if len(f.Statuses) == 1 && f.Statuses[0] == StatusPublished && !f.Unanswered {
		// The public list: its total is kept by point, not counted.
		q, qargs := `SELECT COALESCE(SUM(published), 0) FROM consult_point_counts WHERE consultation_id = ?`, []any{consultationID}
		if f.Point != "" {
			q, qargs = q+` AND point = ?`, append(qargs, f.Point)
		}
		err = s.DB.QueryRow(ctx, q, qargs...).Scan(&total)
	} else {
		err = s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM consultation_comments cc `+where, args...).Scan(&total)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("count comments: %w", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT `+commentCols+` FROM consultation_comments cc `+where+` ORDER BY cc.id LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list comments: %w", err)
	}
	defer rows.Close()
	var out []Comment
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("scan comment: %w", err)
		}
		c.Number = offset + len(out) + 1
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// EachComment streams every comment matching f in order, for exports that
// must not hold 10,000 rows at once.
func (s *Store) EachComment(ctx context.Context, consultationID int64, f CommentFilter, fn func(Comment) error) error {
	where, args := f.where(consultationID)
	rows, err := s.DB.Query(ctx, `SELECT `+commentCols+` FROM consultation_comments cc `+where+` ORDER BY cc.id`, args...)
	if err != nil {
		return fmt.Errorf("list comments: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return fmt.Errorf("scan comment: %w", err)
		}
		n++
		c.Number = n
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}

// PointCounts counts published comments by point, in one query.
func (s *Store) PointCounts(ctx context.Context, consultationID int64) (map[string]int, error) {
	rows, err := s.DB.Query(ctx, `SELECT point, published FROM consult_point_counts WHERE consultation_id = ?`, consultationID)
	if err != nil {
		return nil, fmt.Errorf("count comments by point: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var p string
		var n int
		if err := rows.Scan(&p, &n); err != nil {
			return nil, err
		}
		out[p] = n
	}
	return out, rows.Err()
}

// Tally is the count behind the conclusion.
type Tally struct {
	Comments     int
	Participants int
	Answered     int
	ByDecision   map[Decision]int
}

// TakenIntoAccount counts proposals accepted fully or partly.
func (t Tally) TakenIntoAccount() int { return t.ByDecision[Accepted] + t.ByDecision[PartlyAccepted] }

// Tally counts a consultation's published comments, their participants
// and decisions.
func (s *Store) Tally(ctx context.Context, consultationID int64) (Tally, error) {
	t := Tally{ByDecision: map[Decision]int{}}
	// A participant is an account, else an e-mail, else the comment itself
	// (an anonymous resident who left no address).
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*), COUNT(DISTINCT CASE WHEN account_id IS NOT NULL THEN 'a' || CAST(account_id AS TEXT) WHEN email <> '' THEN 'e' || email ELSE 'c' || CAST(id AS TEXT) END)
		FROM consultation_comments WHERE consultation_id = ? AND status = 'published'`, consultationID).Scan(&t.Comments, &t.Participants)
	if err != nil {
		return t, fmt.Errorf("tally comments: %w", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT decision, COUNT(*) FROM consultation_comments WHERE consultation_id = ? AND status = 'published' AND decision <> '' GROUP BY decision`, consultationID)
	if err != nil {
		return t, fmt.Errorf("tally decisions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d Decision
		var n int
		if err := rows.Scan(&d, &n); err != nil {
			return t, err
		}
		t.ByDecision[d] = n
		t.Answered += n
	}
	return t, rows.Err()
}

// Comment returns one comment of a municipality.
func (s *Store) Comment(ctx context.Context, q db.Querier, munID, id int64) (Comment, error) {
	c, err := scanComment(q.QueryRow(ctx, `SELECT `+commentCols+` FROM consultation_comments cc WHERE cc.municipality_id = ? AND cc.id = ?`, munID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("comment %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("get comment %d: %w", id, err)
	}
	return c, nil
}

// CommentByReceipt finds a comment by its receipt number.
func (s *Store) CommentByReceipt(ctx context.Context, munID int64, receipt string) (Comment, error) {
	c, err := scanComment(s.DB.QueryRow(ctx, `SELECT `+commentCols+` FROM consultation_comments cc WHERE cc.municipality_id = ? AND cc.receipt = ?`, munID, receipt))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("receipt %q: %w", receipt, db.ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("find receipt: %w", err)
	}
	return c, nil
}

// CommentNumber is a published comment's position in the summary.
func (s *Store) CommentNumber(ctx context.Context, c Comment) (int, error) {
	var n int
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM consultation_comments WHERE consultation_id = ? AND status = 'published' AND id <= ?`, c.ConsultationID, c.ID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("comment number: %w", err)
	}
	return n, nil
}

// Answer records the drafter's decision on a comment.
func (s *Store) Answer(ctx context.Context, tx *db.Tx, munID, id int64, d Decision, reason string, by int64) error {
	_, err := tx.Exec(ctx, `UPDATE consultation_comments SET decision = ?, decision_reason = ?, answered_by = ?, answered_at = ? WHERE municipality_id = ? AND id = ?`,
		d, strings.TrimSpace(reason), nullID(by), s.DB.Now(), munID, id)
	if err != nil {
		return fmt.Errorf("answer comment %d: %w", id, err)
	}
	return touchByComment(ctx, tx, id)
}

// touchByComment raises the revision of a comment's consultation.
func touchByComment(ctx context.Context, tx *db.Tx, commentID int64) error {
	if _, err := tx.Exec(ctx, `UPDATE consultations SET rev = rev + 1 WHERE id = (SELECT consultation_id FROM consultation_comments WHERE id = ?)`, commentID); err != nil {
		return fmt.Errorf("touch consultation: %w", err)
	}
	return nil
}

// Revision is a consultation's revision: it changes whenever its summary may.
func (s *Store) Revision(ctx context.Context, id int64) (int64, error) {
	var rev int64
	if err := s.DB.QueryRow(ctx, `SELECT rev FROM consultations WHERE id = ?`, id).Scan(&rev); err != nil {
		return 0, fmt.Errorf("consultation revision: %w", err)
	}
	return rev, nil
}

// Moderate publishes or rejects comments.
func (s *Store) Moderate(ctx context.Context, tx *db.Tx, munID int64, ids []int64, status, reason string, by int64) error {
	for _, id := range ids {
		var old, point string
		var cid int64
		err := tx.QueryRow(ctx, `SELECT status, point, consultation_id FROM consultation_comments WHERE municipality_id = ? AND id = ?`, munID, id).Scan(&old, &point, &cid)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("comment %d: %w", id, db.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("read comment %d: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE consultation_comments SET status = ?, reject_reason = ?, moderated_by = ?, moderated_at = ? WHERE municipality_id = ? AND id = ?`,
			status, reason, nullID(by), s.DB.Now(), munID, id); err != nil {
			return fmt.Errorf("moderate comment %d: %w", id, err)
		}
		if err := touchByComment(ctx, tx, id); err != nil {
			return err
		}
		switch {
		case old != StatusPublished && status == StatusPublished:
			err = bumpCount(ctx, tx, cid, point, 1)
		case old == StatusPublished && status != StatusPublished:
			err = bumpCount(ctx, tx, cid, point, -1)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Queue is one page of comments awaiting moderation across consultations.
func (s *Store) Queue(ctx context.Context, munID int64, limit, offset int) ([]Comment, int, error) {
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM consultation_comments WHERE municipality_id = ? AND status IN ('pending', 'held')`, munID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count moderation queue: %w", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT `+commentCols+`, c.title FROM consultation_comments cc JOIN consultations c ON c.id = cc.consultation_id
		WHERE cc.municipality_id = ? AND cc.status IN ('pending', 'held') ORDER BY cc.id LIMIT ? OFFSET ?`, munID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("moderation queue: %w", err)
	}
	defer rows.Close()
	var out []Comment
	for rows.Next() {
		var title string
		c, err := scanComment(rows, &title)
		if err != nil {
			return nil, 0, err
		}
		c.ConsultationTitle = title
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// Participants are a consultation's participants, each once: the accounts
// that commented (auth gives their addresses, to those it may write to) and
// the addresses anonymous participants left for notifications.
func (s *Store) Participants(ctx context.Context, q db.Querier, consultationID int64) (accountIDs []int64, addresses []string, err error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT COALESCE(cc.account_id, 0), CASE WHEN cc.account_id IS NULL THEN cc.email ELSE '' END FROM consultation_comments cc
		WHERE cc.consultation_id = ? AND cc.status <> 'rejected' AND (cc.account_id IS NOT NULL OR cc.email <> '')`, consultationID)
	if err != nil {
		return nil, nil, fmt.Errorf("list participants: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var e string
		if err := rows.Scan(&id, &e); err != nil {
			return nil, nil, fmt.Errorf("list participants: %w", err)
		}
		if id != 0 {
			accountIDs = append(accountIDs, id)
		} else {
			addresses = append(addresses, e)
		}
	}
	return accountIDs, addresses, rows.Err()
}
