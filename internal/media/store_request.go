package media

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
)

const reqCols = `id, number, outlet, certificate, journalist, contact, question, received_on, channel, COALESCE(account_id, 0), accredited,
	notice_by, answer_by, status, notice_kind, notice_reason, notice_until, notice_official, notice_text, draft, drafted_by, COALESCE(drafted_by_id, 0),
	remarks, checked_by, answer, answered_at, published`

func scanRequest(s interface{ Scan(...any) error }) (Request, error) {
	var r Request
	var at sql.NullTime
	err := s.Scan(&r.ID, &r.Number, &r.Outlet, &r.Certificate, &r.Journalist, &r.Contact, &r.Question, &r.ReceivedOn, &r.Channel, &r.AccountID, &r.Accredited,
		&r.NoticeBy, &r.AnswerBy, &r.Status, &r.NoticeKind, &r.NoticeReason, &r.NoticeUntil, &r.NoticeOfficial, &r.NoticeText, &r.Draft, &r.DraftedBy, &r.DraftedByID,
		&r.Remarks, &r.CheckedBy, &r.Answer, &at, &r.Published)
	r.AnsweredAt = nullTime(at)
	return r, err
}

// CreateRequest registers a request with its number.
func CreateRequest(ctx context.Context, tx *db.Tx, munID int64, r *Request, now time.Time) error {
	year := now.Year()
	if t, err := time.Parse(time.DateOnly, r.ReceivedOn); err == nil {
		year = t.Year()
	}
	var seq int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM media_requests WHERE municipality_id = ? AND year = ?`, munID, year).Scan(&seq); err != nil {
		return err
	}
	r.Number = fmt.Sprintf("СМИ-%d-%03d", year, seq)
	if r.Status == "" {
		r.Status = ReqRegistered
	}
	id, err := db.InsertID(ctx, tx, `INSERT INTO media_requests (municipality_id, number, year, seq, outlet, certificate, journalist, contact, question, received_on, channel,
		account_id, accredited, notice_by, answer_by, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		munID, r.Number, year, seq, r.Outlet, r.Certificate, r.Journalist, r.Contact, r.Question, r.ReceivedOn, r.Channel,
		nullID(r.AccountID), r.Accredited, r.NoticeBy, r.AnswerBy, r.Status, now)
	if err != nil {
		return fmt.Errorf("register media request: %w", err)
	}
	r.ID = id
	return nil
}

// GetRequest reads one request.
func GetRequest(ctx context.Context, q db.Querier, munID, id int64) (Request, error) {
	r, err := scanRequest(q.QueryRow(ctx, `SELECT `+reqCols+` FROM media_requests WHERE municipality_id = ? AND id = ?`, munID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, db.ErrNotFound
	}
	return r, err
}

// RequestFilter narrows the list.
type RequestFilter struct {
	Status    string // a status, "open", "overdue" or ""
	Today     string
	AccountID int64
	Published bool
}

// Requests lists one page of requests, newest first.
func Requests(ctx context.Context, q db.Querier, munID int64, f RequestFilter, limit, offset int) ([]Request, int, error) {
	w := []string{"municipality_id = ?"}
	args := []any{munID}
	switch f.Status {
	case "":
	case "open":
		w = append(w, "status NOT IN ('answered', 'refused')")
	case "overdue":
		w, args = append(w, "status NOT IN ('answered', 'refused') AND answer_by < ?"), append(args, f.Today)
	default:
		w, args = append(w, "status = ?"), append(args, f.Status)
	}
	if f.AccountID != 0 {
		w, args = append(w, "account_id = ?"), append(args, f.AccountID)
	}
	if f.Published {
		w = append(w, "published = TRUE AND status = 'answered'")
	}
	where := " WHERE " + strings.Join(w, " AND ")
	var total int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM media_requests`+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := q.Query(ctx, `SELECT `+reqCols+` FROM media_requests`+where+` ORDER BY received_on DESC, id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("media requests: %w", err)
	}
	defer rows.Close()
	var out []Request
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// SaveNotice records a sent notice of deferral or refusal.
func SaveNotice(ctx context.Context, tx *db.Tx, munID int64, r Request, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE media_requests SET status = ?, notice_kind = ?, notice_reason = ?, notice_until = ?, notice_official = ?, notice_text = ?, notice_at = ?, answer_by = ?
		WHERE municipality_id = ? AND id = ?`, r.Status, r.NoticeKind, r.NoticeReason, r.NoticeUntil, r.NoticeOfficial, r.NoticeText, now, r.AnswerBy, munID, r.ID)
	return err
}

// SaveDraft records a drafted answer sent for the check.
func SaveDraft(ctx context.Context, tx *db.Tx, munID int64, r Request, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE media_requests SET status = ?, draft = ?, drafted_by = ?, drafted_by_id = ?, drafted_at = ? WHERE municipality_id = ? AND id = ?`,
		ReqReview, r.Draft, r.DraftedBy, nullID(r.DraftedByID), now, munID, r.ID)
	return err
}

// SaveCheck records the check: approved (the answer is sent) or returned.
func SaveCheck(ctx context.Context, tx *db.Tx, munID int64, r Request, now time.Time) error {
	var answered any
	if r.Status == ReqAnswered {
		answered = now
	}
	_, err := tx.Exec(ctx, `UPDATE media_requests SET status = ?, remarks = ?, checked_by = ?, checked_at = ?, answer = ?, answered_at = ? WHERE municipality_id = ? AND id = ? AND status = 'review'`,
		r.Status, r.Remarks, r.CheckedBy, now, r.Answer, answered, munID, r.ID)
	return err
}

// SetPublished publishes an answer in the press centre or withdraws it.
func SetPublished(ctx context.Context, tx *db.Tx, munID, id int64, on bool) error {
	_, err := tx.Exec(ctx, `UPDATE media_requests SET published = ? WHERE municipality_id = ? AND id = ? AND status = 'answered'`, on, munID, id)
	return err
}

// Accreditations lists the register.
func Accreditations(ctx context.Context, q db.Querier, munID int64) ([]Accreditation, error) {
	rows, err := q.Query(ctx, `SELECT id, outlet, person, valid_from, valid_to, status FROM media_accreditations WHERE municipality_id = ? ORDER BY outlet, person, id`, munID)
	if err != nil {
		return nil, fmt.Errorf("media accreditations: %w", err)
	}
	defer rows.Close()
	var out []Accreditation
	for rows.Next() {
		var a Accreditation
		if err := rows.Scan(&a.ID, &a.Outlet, &a.Person, &a.ValidFrom, &a.ValidTo, &a.Status); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// IsAccredited reports whether a journalist of an outlet is accredited on a day.
func IsAccredited(ctx context.Context, q db.Querier, munID int64, outlet, person, day string) (bool, error) {
	rows, err := q.Query(ctx, `SELECT id, outlet, person, valid_from, valid_to, status FROM media_accreditations
		WHERE municipality_id = ? AND status = 'active' AND valid_from <= ? AND valid_to >= ?`, munID, day, day)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		var a Accreditation
		if err := rows.Scan(&a.ID, &a.Outlet, &a.Person, &a.ValidFrom, &a.ValidTo, &a.Status); err != nil {
			return false, err
		}
		if a.Covers(outlet, person, day) {
			return true, nil
		}
	}
	return false, rows.Err()
}

// CreateAccreditation adds an entry to the register.
func CreateAccreditation(ctx context.Context, tx *db.Tx, munID int64, a *Accreditation, now time.Time) error {
	id, err := db.InsertID(ctx, tx, `INSERT INTO media_accreditations (municipality_id, outlet, person, valid_from, valid_to, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		munID, a.Outlet, a.Person, a.ValidFrom, a.ValidTo, a.Status, now)
	a.ID = id
	return err
}

// SetAccreditationStatus changes an entry's status.
func SetAccreditationStatus(ctx context.Context, tx *db.Tx, munID, id int64, status string) error {
	_, err := tx.Exec(ctx, `UPDATE media_accreditations SET status = ? WHERE municipality_id = ? AND id = ?`, status, munID, id)
	return err
}
