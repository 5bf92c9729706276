package consult

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
	// ClosedEarlyOn is the day staff ended the discussion before its planned
	// end, with the reason they gave; zero when it ran its course.
	ClosedEarlyOn     deadline.Date
	ClosedEarlyReason string
	CreatedBy         int64
	CreatedAt         time.Time
	UpdatedAt         time.Time
	Spheres           []tenant.Sphere
	Periods           []Period
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

// Store reads and writes consultations.
type Store struct {
	DB *db.DB
}

const consultationCols = `c.id, c.municipality_id, c.kind, c.title, c.summary, COALESCE(c.department_id, 0), COALESCE(d.name, ''), c.impact, c.participation, c.moderation, c.stage,
	c.published_at, c.opened_at, c.results_published_at, c.act_number, c.act_date, c.act_url, c.closed_early_on, c.closed_early_reason, COALESCE(c.created_by, 0), c.created_at, c.updated_at`

func scanConsultation(row interface{ Scan(...any) error }) (Consultation, error) {
	var c Consultation
	var pub, opened, res sql.NullTime
	var closedOn string
	err := row.Scan(&c.ID, &c.MunicipalityID, &c.Kind, &c.Title, &c.Summary, &c.DepartmentID, &c.Department, &c.Impact, &c.Participation, &c.Moderation, &c.Stage,
		&pub, &opened, &res, &c.ActNumber, &c.ActDate, &c.ActURL, &closedOn, &c.ClosedEarlyReason, &c.CreatedBy, &c.CreatedAt, &c.UpdatedAt)
	c.PublishedAt, c.OpenedAt, c.ResultsPublishedAt = pub.Time, opened.Time, res.Time
	if closedOn != "" {
		c.ClosedEarlyOn, _ = deadline.ParseDate(closedOn)
	}
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

// SetClosedEarly records that the discussion was ended on day, before its
// planned end, for reason.
func (s *Store) SetClosedEarly(ctx context.Context, tx *db.Tx, munID, id int64, day deadline.Date, reason string) error {
	if _, err := tx.Exec(ctx, `UPDATE consultations SET closed_early_on = ?, closed_early_reason = ?, updated_at = ? WHERE municipality_id = ? AND id = ?`,
		day.String(), reason, s.DB.Now(), munID, id); err != nil {
		return fmt.Errorf("record the early end of %d: %w", id, err)
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
