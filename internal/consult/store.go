package consult

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/tenant"
)

// Consultation is one document put before the public.
type Consultation struct {
	ID                 int64
	MunicipalityID     int64
	Kind               Kind
	Title              string
	Summary            string
	DepartmentID       int64
	Department         string
	Impact             Impact
	Participation      Participation
	Moderation         Moderation
	Stage              Stage
	PublishedAt        time.Time
	OpenedAt           time.Time
	ResultsPublishedAt time.Time
	ActNumber          string
	ActDate            string
	ActURL             string
	CreatedBy          int64
	CreatedAt          time.Time
	UpdatedAt          time.Time
	Spheres            []tenant.Sphere
	Periods            []Period
}

// Published reports whether the public may see the consultation.
func (c Consultation) Published() bool { return !c.PublishedAt.IsZero() }

// SphereIDs lists the ids of the consultation's spheres.
func (c Consultation) SphereIDs() []int64 {
	out := make([]int64, len(c.Spheres))
	for i, s := range c.Spheres {
		out[i] = s.ID
	}
	return out
}

// SphereSlugs lists the slugs of the consultation's spheres.
func (c Consultation) SphereSlugs() []string {
	out := make([]string, len(c.Spheres))
	for i, s := range c.Spheres {
		out[i] = s.Slug
	}
	return out
}

// Until is the last day of the current stage (zero when open-ended).
func (c Consultation) Until() deadline.Date { return Until(c.Periods, c.Stage) }

// Open reports whether comments are accepted now.
func (c Consultation) Open() bool { return c.Published() && c.Stage.Open() }

// Version is one version of the draft.
type Version struct {
	ID             int64
	ConsultationID int64
	Number         int
	Final          bool
	Note           string
	Body           string
	CreatedAt      time.Time
}

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

// Store reads and writes consultations.
type Store struct {
	DB *db.DB
}

const consultationCols = `c.id, c.municipality_id, c.kind, c.title, c.summary, COALESCE(c.department_id, 0), COALESCE(d.name, ''), c.impact, c.participation, c.moderation, c.stage,
	c.published_at, c.opened_at, c.results_published_at, c.act_number, c.act_date, c.act_url, COALESCE(c.created_by, 0), c.created_at, c.updated_at`

func scanConsultation(row interface{ Scan(...any) error }) (Consultation, error) {
	var c Consultation
	var pub, opened, res sql.NullTime
	err := row.Scan(&c.ID, &c.MunicipalityID, &c.Kind, &c.Title, &c.Summary, &c.DepartmentID, &c.Department, &c.Impact, &c.Participation, &c.Moderation, &c.Stage,
		&pub, &opened, &res, &c.ActNumber, &c.ActDate, &c.ActURL, &c.CreatedBy, &c.CreatedAt, &c.UpdatedAt)
	c.PublishedAt, c.OpenedAt, c.ResultsPublishedAt = pub.Time, opened.Time, res.Time
	return c, err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// Create inserts a consultation with its schedule and spheres.
func (s *Store) Create(ctx context.Context, tx *db.Tx, c *Consultation, sphereIDs []int64) error {
	now := s.DB.Now()
	id, err := db.InsertID(ctx, tx, `INSERT INTO consultations (municipality_id, kind, title, summary, department_id, impact, participation, moderation, stage, act_number, act_date, act_url, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '', '', '', ?, ?, ?)`,
		c.MunicipalityID, c.Kind, c.Title, c.Summary, nullID(c.DepartmentID), c.Impact, c.Participation, c.Moderation, nullID(c.CreatedBy), now, now)
	if err != nil {
		return fmt.Errorf("create consultation: %w", err)
	}
	c.ID, c.CreatedAt, c.UpdatedAt = id, now, now
	return s.saveRelations(ctx, tx, c.ID, c.Periods, sphereIDs)
}

func (s *Store) saveRelations(ctx context.Context, tx *db.Tx, id int64, periods []Period, sphereIDs []int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM consultation_stages WHERE consultation_id = ?`, id); err != nil {
		return fmt.Errorf("clear stages: %w", err)
	}
	for i, p := range periods {
		ends := ""
		if !p.Ends.IsZero() {
			ends = p.Ends.String()
		}
		if _, err := tx.Exec(ctx, `INSERT INTO consultation_stages (consultation_id, stage, position, starts_on, ends_on) VALUES (?, ?, ?, ?, ?)`,
			id, p.Stage, i, p.Starts.String(), ends); err != nil {
			return fmt.Errorf("save stage %s: %w", p.Stage, err)
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM consultation_spheres WHERE consultation_id = ?`, id); err != nil {
		return fmt.Errorf("clear spheres: %w", err)
	}
	for _, sid := range sphereIDs {
		if _, err := tx.Exec(ctx, `INSERT INTO consultation_spheres (consultation_id, sphere_id) VALUES (?, ?)`, id, sid); err != nil {
			return fmt.Errorf("save sphere: %w", err)
		}
	}
	return nil
}

// Update saves the editable fields, schedule and spheres.
func (s *Store) Update(ctx context.Context, tx *db.Tx, c Consultation, sphereIDs []int64) error {
	_, err := tx.Exec(ctx, `UPDATE consultations SET title = ?, summary = ?, department_id = ?, impact = ?, participation = ?, moderation = ?, updated_at = ?, rev = rev + 1 WHERE municipality_id = ? AND id = ?`,
		c.Title, c.Summary, nullID(c.DepartmentID), c.Impact, c.Participation, c.Moderation, s.DB.Now(), c.MunicipalityID, c.ID)
	if err != nil {
		return fmt.Errorf("update consultation %d: %w", c.ID, err)
	}
	return s.saveRelations(ctx, tx, c.ID, c.Periods, sphereIDs)
}

// Get returns a consultation with its spheres and schedule.
func (s *Store) Get(ctx context.Context, q db.Querier, munID, id int64) (Consultation, error) {
	c, err := scanConsultation(q.QueryRow(ctx, `SELECT `+consultationCols+` FROM consultations c LEFT JOIN departments d ON d.id = c.department_id WHERE c.municipality_id = ? AND c.id = ?`, munID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("consultation %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("get consultation %d: %w", id, err)
	}
	if c.Periods, err = s.periods(ctx, q, id); err != nil {
		return c, err
	}
	rows, err := q.Query(ctx, `SELECT sp.id, sp.slug, sp.name FROM consultation_spheres cs JOIN spheres sp ON sp.id = cs.sphere_id WHERE cs.consultation_id = ? ORDER BY sp.name`, id)
	if err != nil {
		return c, fmt.Errorf("consultation spheres: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sp tenant.Sphere
		if err := rows.Scan(&sp.ID, &sp.Slug, &sp.Name); err != nil {
			return c, err
		}
		c.Spheres = append(c.Spheres, sp)
	}
	return c, rows.Err()
}

func (s *Store) periods(ctx context.Context, q db.Querier, id int64) ([]Period, error) {
	rows, err := q.Query(ctx, `SELECT stage, starts_on, ends_on FROM consultation_stages WHERE consultation_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, fmt.Errorf("consultation stages: %w", err)
	}
	defer rows.Close()
	var out []Period
	for rows.Next() {
		var p Period
		var starts, ends string
		if err := rows.Scan(&p.Stage, &starts, &ends); err != nil {
			return nil, err
		}
		p.Starts, _ = deadline.ParseDate(starts)
		if ends != "" {
			p.Ends, _ = deadline.ParseDate(ends)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Filter narrows a list of consultations.
type Filter struct {
	Kind       Kind
	Stage      Stage
	PublicOnly bool
	Open       bool // only those accepting comments now
}

// List returns one page of consultations, newest first, and the total.
// Periods are loaded for the page in one query.
func (s *Store) List(ctx context.Context, munID int64, f Filter, limit, offset int) ([]Consultation, int, error) {
	where := `WHERE c.municipality_id = ?`
	args := []any{munID}
	if f.PublicOnly {
		where += ` AND c.published_at IS NOT NULL`
	}
	if f.Kind != "" {
		where += ` AND c.kind = ?`
		args = append(args, f.Kind)
	}
	if f.Stage != "" {
		where += ` AND c.stage = ?`
		args = append(args, f.Stage)
	}
	if f.Open {
		where += ` AND c.stage IN ('proposals', 'discussion')`
	}
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM consultations c `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count consultations: %w", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT `+consultationCols+` FROM consultations c LEFT JOIN departments d ON d.id = c.department_id `+where+` ORDER BY c.created_at DESC, c.id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list consultations: %w", err)
	}
	defer rows.Close()
	var out []Consultation
	for rows.Next() {
		c, err := scanConsultation(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("scan consultation: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if err := s.attachPeriods(ctx, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

func (s *Store) attachPeriods(ctx context.Context, cs []Consultation) error {
	if len(cs) == 0 {
		return nil
	}
	ids := make([]any, len(cs))
	idx := map[int64]int{}
	for i, c := range cs {
		ids[i] = c.ID
		idx[c.ID] = i
	}
	rows, err := s.DB.Query(ctx, `SELECT consultation_id, stage, starts_on, ends_on FROM consultation_stages WHERE consultation_id IN (`+db.Placeholders(len(ids))+`) ORDER BY consultation_id, position`, ids...)
	if err != nil {
		return fmt.Errorf("list stages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var p Period
		var starts, ends string
		if err := rows.Scan(&id, &p.Stage, &starts, &ends); err != nil {
			return err
		}
		p.Starts, _ = deadline.ParseDate(starts)
		if ends != "" {
			p.Ends, _ = deadline.ParseDate(ends)
		}
		cs[idx[id]].Periods = append(cs[idx[id]].Periods, p)
	}
	return rows.Err()
}

// Active lists every published consultation that has not reached its
// last stage, across municipalities, for the scheduler.
func (s *Store) Active(ctx context.Context) ([]Consultation, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+consultationCols+` FROM consultations c LEFT JOIN departments d ON d.id = c.department_id WHERE c.published_at IS NOT NULL AND c.stage <> 'final' ORDER BY c.id`)
	if err != nil {
		return nil, fmt.Errorf("list active consultations: %w", err)
	}
	defer rows.Close()
	var out []Consultation
	for rows.Next() {
		c, err := scanConsultation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.attachPeriods(ctx, out)
}

// SetStage records the consultation's current stage; the first open or
// published stage also stamps when it opened.
func (s *Store) SetStage(ctx context.Context, tx *db.Tx, munID, id int64, st Stage) error {
	now := s.DB.Now()
	_, err := tx.Exec(ctx, `UPDATE consultations SET stage = ?, opened_at = COALESCE(opened_at, ?), updated_at = ? WHERE municipality_id = ? AND id = ?`, st, now, now, munID, id)
	if err != nil {
		return fmt.Errorf("set stage of %d: %w", id, err)
	}
	return nil
}

// SetPublished publishes (or withdraws, with a zero time) a consultation.
func (s *Store) SetPublished(ctx context.Context, tx *db.Tx, munID, id int64, at time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE consultations SET published_at = ?, updated_at = ? WHERE municipality_id = ? AND id = ?`, nullTime(at), s.DB.Now(), munID, id)
	if err != nil {
		return fmt.Errorf("publish consultation %d: %w", id, err)
	}
	return nil
}

// SetResultsPublished stamps the publication of the summary and conclusion.
func (s *Store) SetResultsPublished(ctx context.Context, tx *db.Tx, munID, id int64, at time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE consultations SET results_published_at = ?, updated_at = ?, rev = rev + 1 WHERE municipality_id = ? AND id = ?`, nullTime(at), s.DB.Now(), munID, id)
	if err != nil {
		return fmt.Errorf("publish results of %d: %w", id, err)
	}
	return nil
}

// SetAct links the act that approved the consultation's document.
func (s *Store) SetAct(ctx context.Context, tx *db.Tx, munID, id int64, number, date, url string) error {
	_, err := tx.Exec(ctx, `UPDATE consultations SET act_number = ?, act_date = ?, act_url = ?, updated_at = ?, rev = rev + 1 WHERE municipality_id = ? AND id = ?`, number, date, url, s.DB.Now(), munID, id)
	if err != nil {
		return fmt.Errorf("link act to %d: %w", id, err)
	}
	return nil
}

// AddVersion stores the next version of the draft.
func (s *Store) AddVersion(ctx context.Context, tx *db.Tx, v *Version, by int64) error {
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM consultation_versions WHERE consultation_id = ?`, v.ConsultationID).Scan(&v.Number); err != nil {
		return fmt.Errorf("next version number: %w", err)
	}
	v.CreatedAt = s.DB.Now()
	id, err := db.InsertID(ctx, tx, `INSERT INTO consultation_versions (consultation_id, number, final, note, body, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		v.ConsultationID, v.Number, v.Final, v.Note, v.Body, nullID(by), v.CreatedAt)
	if err != nil {
		return fmt.Errorf("add version: %w", err)
	}
	v.ID = id
	return nil
}

// Versions lists a consultation's versions, oldest first.
func (s *Store) Versions(ctx context.Context, q db.Querier, consultationID int64) ([]Version, error) {
	rows, err := q.Query(ctx, `SELECT id, consultation_id, number, final, note, body, created_at FROM consultation_versions WHERE consultation_id = ? ORDER BY number`, consultationID)
	if err != nil {
		return nil, fmt.Errorf("list versions: %w", err)
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		var v Version
		if err := rows.Scan(&v.ID, &v.ConsultationID, &v.Number, &v.Final, &v.Note, &v.Body, &v.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Drafts splits versions into the discussed draft (the latest that is not
// final) and the final text, either of which may be missing.
func Drafts(vs []Version) (draft, final *Version) {
	for i := range vs {
		if vs[i].Final {
			final = &vs[i]
		} else {
			draft = &vs[i]
		}
	}
	return draft, final
}

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

// Participants are the confirmed e-mail addresses of a consultation's
// participants, each once: accounts that commented and the addresses
// anonymous participants left for notifications.
func (s *Store) Participants(ctx context.Context, q db.Querier, consultationID int64) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT COALESCE(a.email, cc.email) FROM consultation_comments cc LEFT JOIN accounts a ON a.id = cc.account_id
		WHERE cc.consultation_id = ? AND cc.status <> 'rejected' AND COALESCE(a.email, cc.email) <> ''`, consultationID)
	if err != nil {
		return nil, fmt.Errorf("list participants: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Ban is a participant barred from commenting; lifting it keeps the record.
type Ban struct {
	ID        int64
	AccountID int64
	Email     string
	Reason    string
	CreatedAt time.Time
	LiftedAt  time.Time
}

// AddBlock bars an account or an e-mail address.
func (s *Store) AddBlock(ctx context.Context, tx *db.Tx, munID int64, b *Ban, by int64) error {
	b.CreatedAt = s.DB.Now()
	id, err := db.InsertID(ctx, tx, `INSERT INTO consult_blocks (municipality_id, account_id, email, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		munID, nullID(b.AccountID), strings.ToLower(b.Email), b.Reason, nullID(by), b.CreatedAt)
	if err != nil {
		return fmt.Errorf("add block: %w", err)
	}
	b.ID = id
	return nil
}

// LiftBlock ends a block; the record stays.
func (s *Store) LiftBlock(ctx context.Context, tx *db.Tx, munID, id, by int64) error {
	res, err := tx.Exec(ctx, `UPDATE consult_blocks SET lifted_by = ?, lifted_at = ? WHERE municipality_id = ? AND id = ? AND lifted_at IS NULL`, nullID(by), s.DB.Now(), munID, id)
	if err != nil {
		return fmt.Errorf("lift block %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("block %d: %w", id, db.ErrNotFound)
	}
	return nil
}

// Blocks lists a municipality's blocks, active first.
func (s *Store) Blocks(ctx context.Context, munID int64, limit, offset int) ([]Ban, int, error) {
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM consult_blocks WHERE municipality_id = ?`, munID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count blocks: %w", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT id, COALESCE(account_id, 0), email, reason, created_at, lifted_at FROM consult_blocks WHERE municipality_id = ?
		ORDER BY CASE WHEN lifted_at IS NULL THEN 0 ELSE 1 END, id DESC LIMIT ? OFFSET ?`, munID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("list blocks: %w", err)
	}
	defer rows.Close()
	var out []Ban
	for rows.Next() {
		var b Ban
		var lifted sql.NullTime
		if err := rows.Scan(&b.ID, &b.AccountID, &b.Email, &b.Reason, &b.CreatedAt, &lifted); err != nil {
			return nil, 0, err
		}
		b.LiftedAt = lifted.Time
		out = append(out, b)
	}
	return out, total, rows.Err()
}

// Blocked reports whether an account or address is barred now.
func (s *Store) Blocked(ctx context.Context, munID, accountID int64, email string) (bool, error) {
	var n int
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM consult_blocks WHERE municipality_id = ? AND lifted_at IS NULL AND ((account_id IS NOT NULL AND account_id = ?) OR (email <> '' AND email = ?))`,
		munID, accountID, strings.ToLower(strings.TrimSpace(email))).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check block: %w", err)
	}
	return n > 0, nil
}

// Settings are a municipality's editable lists.
type Settings struct {
	WordList        string
	WordingRules    string
	ModerationRules string
}

// defaultWordingText is the default rules in their editable form; building
// it compiles every rule, so it is done once.
var defaultWordingText = sync.OnceValue(func() string { return FormatWordingRules(DefaultWordingRules()) })

// Settings returns the municipality's settings, defaults where unset.
func (s *Store) Settings(ctx context.Context, munID int64) (Settings, error) {
	var st Settings
	err := s.DB.QueryRow(ctx, `SELECT word_list, wording_rules, moderation_rules FROM consult_settings WHERE municipality_id = ?`, munID).Scan(&st.WordList, &st.WordingRules, &st.ModerationRules)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return st, fmt.Errorf("read consultation settings: %w", err)
	}
	if strings.TrimSpace(st.WordList) == "" {
		st.WordList = DefaultWordList
	}
	if strings.TrimSpace(st.WordingRules) == "" {
		st.WordingRules = defaultWordingText()
	}
	if strings.TrimSpace(st.ModerationRules) == "" {
		st.ModerationRules = DefaultModerationRules
	}
	return st, nil
}

// SaveSettings stores the settings.
func (s *Store) SaveSettings(ctx context.Context, tx *db.Tx, munID int64, st Settings) error {
	res, err := tx.Exec(ctx, `UPDATE consult_settings SET word_list = ?, wording_rules = ?, moderation_rules = ?, updated_at = ? WHERE municipality_id = ?`,
		st.WordList, st.WordingRules, st.ModerationRules, s.DB.Now(), munID)
	if err != nil {
		return fmt.Errorf("save consultation settings: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	_, err = tx.Exec(ctx, `INSERT INTO consult_settings (municipality_id, word_list, wording_rules, moderation_rules, updated_at) VALUES (?, ?, ?, ?, ?)`,
		munID, st.WordList, st.WordingRules, st.ModerationRules, s.DB.Now())
	if err != nil {
		return fmt.Errorf("save consultation settings: %w", err)
	}
	return nil
}

// Expert statuses.
const (
	ExpertPending  = "pending"
	ExpertVerified = "verified"
	ExpertRejected = "rejected"
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
	Email               string
	CreatedAt           time.Time
}

const expertCols = `e.id, e.account_id, e.kind, e.name, e.accreditation_number, e.accreditation_date, e.members, e.status, e.reject_reason, a.email, e.created_at`

func scanExpert(row interface{ Scan(...any) error }) (Expert, error) {
	var e Expert
	err := row.Scan(&e.ID, &e.AccountID, &e.Kind, &e.Name, &e.AccreditationNumber, &e.AccreditationDate, &e.Members, &e.Status, &e.RejectReason, &e.Email, &e.CreatedAt)
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
	e, err := scanExpert(s.DB.QueryRow(ctx, `SELECT `+expertCols+` FROM consult_experts e JOIN accounts a ON a.id = e.account_id WHERE e.municipality_id = ? AND e.account_id = ?`, munID, accountID))
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
	e, err := scanExpert(q.QueryRow(ctx, `SELECT `+expertCols+` FROM consult_experts e JOIN accounts a ON a.id = e.account_id WHERE e.municipality_id = ? AND e.id = ?`, munID, id))
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
	rows, err := s.DB.Query(ctx, `SELECT `+expertCols+` FROM consult_experts e JOIN accounts a ON a.id = e.account_id WHERE e.municipality_id = ?
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

// MarkReminded records that n reminders have gone out for a conclusion.
func (s *Store) MarkReminded(ctx context.Context, tx *db.Tx, id int64, n int) error {
	if _, err := tx.Exec(ctx, `UPDATE consult_conclusions SET reminders_sent = ? WHERE id = ?`, n, id); err != nil {
		return fmt.Errorf("mark reminder: %w", err)
	}
	return nil
}

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
