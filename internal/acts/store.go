package acts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/web"
)

// Store reads and writes acts, explanations and reviews. Every function takes
// a Querier so that it runs inside the caller's transaction or on the read
// pool, and every query is scoped to a municipality.
type Store struct {
	DB *db.DB
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

// SphereIDs maps a municipality's sphere slugs to ids.
func (s *Store) SphereIDs(ctx context.Context, q db.Querier, munID int64) (map[string]int64, error) {
	rows, err := q.Query(ctx, `SELECT id, slug FROM spheres WHERE municipality_id = ?`, munID)
	if err != nil {
		return nil, fmt.Errorf("list spheres: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id int64
		var slug string
		if err := rows.Scan(&id, &slug); err != nil {
			return nil, fmt.Errorf("scan sphere: %w", err)
		}
		out[slug] = id
	}
	return out, rows.Err()
}

// CreateAct inserts an act with its spheres and sets a.ID.
func (s *Store) CreateAct(ctx context.Context, tx *db.Tx, a *Act, createdBy int64) error {
	now := s.DB.Now()
	id, err := db.InsertID(ctx, tx, `INSERT INTO acts (municipality_id, kind, number, act_date, title, status, department_id, body_md, body_html, published, published_at, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, a.Kind, a.Number, a.Date, a.Title, a.Status, nullID(a.DepartmentID), a.Text, a.HTML, a.Published, nullTime(a.PublishedAt), nullID(createdBy), now, now)
	if err != nil {
		if db.IsUniqueViolation(err) {
			return ErrDuplicate
		}
		return fmt.Errorf("create act: %w", err)
	}
	a.ID, a.CreatedAt, a.UpdatedAt = id, now, now
	return s.setSpheres(ctx, tx, a.MunicipalityID, a.ID, a.Spheres)
}

// ErrDuplicate means an act of the same kind, number and date exists.
var ErrDuplicate = web.Invalid("Акт этого вида с таким номером и датой уже есть в реестре.")

// UpdateAct saves every field of an act and its spheres.
func (s *Store) UpdateAct(ctx context.Context, tx *db.Tx, a *Act) error {
	a.UpdatedAt = s.DB.Now()
	res, err := tx.Exec(ctx, `UPDATE acts SET kind = ?, number = ?, act_date = ?, title = ?, status = ?, department_id = ?, body_md = ?, body_html = ?, published = ?, published_at = ?, updated_at = ? WHERE id = ? AND municipality_id = ?`,
		a.Kind, a.Number, a.Date, a.Title, a.Status, nullID(a.DepartmentID), a.Text, a.HTML, a.Published, nullTime(a.PublishedAt), a.UpdatedAt, a.ID, a.MunicipalityID)
	if err != nil {
		if db.IsUniqueViolation(err) {
			return ErrDuplicate
		}
		return fmt.Errorf("update act %d: %w", a.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("act %d: %w", a.ID, db.ErrNotFound)
	}
	return s.setSpheres(ctx, tx, a.MunicipalityID, a.ID, a.Spheres)
}

// SetStatus changes only an act's status (a link took effect).
func (s *Store) SetStatus(ctx context.Context, tx *db.Tx, munID, id int64, status string) error {
	_, err := tx.Exec(ctx, `UPDATE acts SET status = ?, updated_at = ? WHERE id = ? AND municipality_id = ?`, status, s.DB.Now(), id, munID)
	if err != nil {
		return fmt.Errorf("set status of act %d: %w", id, err)
	}
	return nil
}

func (s *Store) setSpheres(ctx context.Context, tx *db.Tx, munID, actID int64, slugs []string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM act_spheres WHERE act_id = ?`, actID); err != nil {
		return fmt.Errorf("clear spheres of act %d: %w", actID, err)
	}
	if len(slugs) == 0 {
		return nil
	}
	args := []any{actID, munID}
	for _, sl := range slugs {
		args = append(args, sl)
	}
	_, err := tx.Exec(ctx, `INSERT INTO act_spheres (act_id, sphere_id) SELECT ?, id FROM spheres WHERE municipality_id = ? AND slug IN (`+db.Placeholders(len(slugs))+`)`, args...)
	if err != nil {
		return fmt.Errorf("set spheres of act %d: %w", actID, err)
	}
	return nil
}

const actColumns = `a.id, a.municipality_id, a.kind, a.number, a.act_date, a.title, a.status, COALESCE(a.department_id, 0), COALESCE(d.name, ''), a.published, a.published_at, a.created_at, a.updated_at`

func scanAct(row interface{ Scan(...any) error }, withText bool) (Act, error) {
	var a Act
	var pub sql.NullTime
	dest := []any{&a.ID, &a.MunicipalityID, &a.Kind, &a.Number, &a.Date, &a.Title, &a.Status, &a.DepartmentID, &a.Department, &a.Published, &pub, &a.CreatedAt, &a.UpdatedAt}
	if withText {
		dest = append(dest, &a.Text, &a.HTML)
	}
	if err := row.Scan(dest...); err != nil {
		return a, err
	}
	if pub.Valid {
		a.PublishedAt = pub.Time.UTC()
	}
	return a, nil
}

// GetAct returns an act with its text and spheres.
func (s *Store) GetAct(ctx context.Context, q db.Querier, munID, id int64) (Act, error) {
	a, err := scanAct(q.QueryRow(ctx, `SELECT `+actColumns+`, a.body_md, a.body_html FROM acts a LEFT JOIN departments d ON d.id = a.department_id WHERE a.municipality_id = ? AND a.id = ?`, munID, id), true)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("act %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("get act %d: %w", id, err)
	}
	sp, err := s.spheresOf(ctx, q, []int64{id})
	if err != nil {
		return a, err
	}
	a.Spheres, a.SphereNames = sp[id].slugs, sp[id].names
	return a, nil
}

// FindAct finds an act by kind, number and date (the demo and imports use
// it to stay idempotent).
func (s *Store) FindAct(ctx context.Context, q db.Querier, munID int64, kind, number, date string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM acts WHERE municipality_id = ? AND kind = ? AND number = ? AND act_date = ?`, munID, kind, number, date).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("act %s %s %s: %w", kind, number, date, db.ErrNotFound)
	}
	return id, err
}

// sphereSet is the spheres of one act: slugs for code, names for people.
type sphereSet struct{ slugs, names []string }

// spheresOf loads the spheres of many acts in one query.
func (s *Store) spheresOf(ctx context.Context, q db.Querier, ids []int64) (map[int64]sphereSet, error) {
	out := map[int64]sphereSet{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := q.Query(ctx, `SELECT x.act_id, s.slug, s.name FROM act_spheres x JOIN spheres s ON s.id = x.sphere_id WHERE x.act_id IN (`+db.Placeholders(len(ids))+`) ORDER BY s.name`, args...)
	if err != nil {
		return nil, fmt.Errorf("load act spheres: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var slug, name string
		if err := rows.Scan(&id, &slug, &name); err != nil {
			return nil, fmt.Errorf("scan act sphere: %w", err)
		}
		set := out[id]
		set.slugs, set.names = append(set.slugs, slug), append(set.names, name)
		out[id] = set
	}
	return out, rows.Err()
}

// Filter narrows a list of acts. Zero values do not filter.
type Filter struct {
	Kind       string
	Year       int
	Status     string
	Sphere     string // slug
	PublicOnly bool
	Published  string // "yes", "no" or "" (staff lists)
	Query      string // words of the title or number (staff lists)
}

// ListActs returns one page of acts, newest first, and the total count.
func (s *Store) ListActs(ctx context.Context, q db.Querier, munID int64, f Filter, limit, offset int) ([]Act, int, error) {
	where := []string{`a.municipality_id = ?`}
	args := []any{munID}
	if f.PublicOnly {
		where = append(where, `a.published = TRUE AND a.status <> ?`)
		args = append(args, StatusDraft)
	}
	switch f.Published {
	case "yes":
		where = append(where, `a.published = TRUE`)
	case "no":
		where = append(where, `a.published = FALSE`)
	}
	if f.Kind != "" {
		where = append(where, `a.kind = ?`)
		args = append(args, f.Kind)
	}
	if f.Status != "" {
		where = append(where, `a.status = ?`)
		args = append(args, f.Status)
	}
	if f.Year > 0 {
		// ISO dates compare as strings, so the index on act_date serves.
		where = append(where, `a.act_date >= ? AND a.act_date < ?`)
		args = append(args, fmt.Sprintf("%04d-01-01", f.Year), fmt.Sprintf("%04d-01-01", f.Year+1))
	}
	if f.Sphere != "" {
		where = append(where, `EXISTS (SELECT 1 FROM act_spheres x JOIN spheres s ON s.id = x.sphere_id WHERE x.act_id = a.id AND s.slug = ?)`)
		args = append(args, f.Sphere)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where = append(where, `(LOWER(a.title) LIKE LOWER(?) ESCAPE '\' OR a.number = ?)`)
		args = append(args, db.Like(q), q)
	}
	w := strings.Join(where, " AND ")
	var total int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM acts a WHERE `+w, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count acts: %w", err)
	}
	rows, err := q.Query(ctx, `SELECT `+actColumns+` FROM acts a LEFT JOIN departments d ON d.id = a.department_id WHERE `+w+` ORDER BY a.act_date DESC, a.id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list acts: %w", err)
	}
	defer rows.Close()
	var out []Act
	var ids []int64
	for rows.Next() {
		a, err := scanAct(rows, false)
		if err != nil {
			return nil, 0, fmt.Errorf("scan act: %w", err)
		}
		out = append(out, a)
		ids = append(ids, a.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	sp, err := s.spheresOf(ctx, q, ids)
	if err != nil {
		return nil, 0, err
	}
	for i := range out {
		out[i].Spheres, out[i].SphereNames = sp[out[i].ID].slugs, sp[out[i].ID].names
	}
	return out, total, nil
}

// Years lists the years that have public acts, newest first, for the filter.
func (s *Store) Years(ctx context.Context, q db.Querier, munID int64) ([]int, error) {
	// One seek in the index per year, newest first (each step finds the
	// latest date before the year of the last), where DISTINCT read every
	// published act.
	rows, err := q.Query(ctx, `WITH RECURSIVE y(d) AS (
		SELECT MAX(act_date) FROM acts WHERE municipality_id = ? AND published = TRUE
		UNION ALL
		SELECT (SELECT MAX(a.act_date) FROM acts a WHERE a.municipality_id = ? AND a.published = TRUE AND a.act_date < SUBSTR(y.d, 1, 4) || '-01-01')
		FROM y WHERE y.d IS NOT NULL)
	SELECT SUBSTR(d, 1, 4) FROM y WHERE d IS NOT NULL`, munID, munID)
	if err != nil {
		return nil, fmt.Errorf("list act years: %w", err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y string
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		if n, err := strconv.Atoi(y); err == nil {
			out = append(out, n)
		}
	}
	return out, rows.Err()
}

// Link is a link between two acts, seen from one of them.
type Link struct {
	ID    int64
	Kind  string
	Other Act // the act at the other end (without text)
}

// AddLink links from → to and returns the link's id.
func (s *Store) AddLink(ctx context.Context, tx *db.Tx, munID, from, to int64, kind string) (int64, error) {
	id, err := db.InsertID(ctx, tx, `INSERT INTO act_links (municipality_id, from_act_id, to_act_id, kind, created_at) VALUES (?, ?, ?, ?, ?)`, munID, from, to, kind, s.DB.Now())
	if err != nil {
		if db.IsUniqueViolation(err) {
			return 0, ErrLinkExists
		}
		return 0, fmt.Errorf("link act %d to %d: %w", from, to, err)
	}
	return id, nil
}

// ErrLinkExists means the same link is already recorded.
var ErrLinkExists = web.Invalid("Такая связь уже указана.")

// DeleteLink removes a link held by act from.
func (s *Store) DeleteLink(ctx context.Context, tx *db.Tx, munID, from, linkID int64) error {
	res, err := tx.Exec(ctx, `DELETE FROM act_links WHERE id = ? AND from_act_id = ? AND municipality_id = ?`, linkID, from, munID)
	if err != nil {
		return fmt.Errorf("delete link %d: %w", linkID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("link %d: %w", linkID, db.ErrNotFound)
	}
	return nil
}

// Links returns the links an act holds (outgoing) and those that point at
// it (incoming). With publicOnly, acts at the other end that are not public
// are left out.
func (s *Store) Links(ctx context.Context, q db.Querier, munID, actID int64, publicOnly bool) (out, in []Link, err error) {
	pub := ``
	args := []any{actID, actID, munID, actID, actID}
	if publicOnly {
		pub = ` AND a.published = TRUE AND a.status <> ?`
		args = append(args, StatusDraft)
	}
	rows, err := q.Query(ctx, `SELECT l.id, l.kind, l.from_act_id = ?, `+actColumns+` FROM act_links l
		JOIN acts a ON a.id = CASE WHEN l.from_act_id = ? THEN l.to_act_id ELSE l.from_act_id END
		LEFT JOIN departments d ON d.id = a.department_id
		WHERE l.municipality_id = ? AND (l.from_act_id = ? OR l.to_act_id = ?)`+pub+` ORDER BY a.act_date, a.id`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("list links of act %d: %w", actID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var l Link
		var outgoing bool
		var pubAt sql.NullTime
		o := &l.Other
		if err := rows.Scan(&l.ID, &l.Kind, &outgoing, &o.ID, &o.MunicipalityID, &o.Kind, &o.Number, &o.Date, &o.Title, &o.Status, &o.DepartmentID, &o.Department, &o.Published, &pubAt, &o.CreatedAt, &o.UpdatedAt); err != nil {
			return nil, nil, fmt.Errorf("scan link: %w", err)
		}
		if pubAt.Valid {
			o.PublishedAt = pubAt.Time.UTC()
		}
		if outgoing {
			out = append(out, l)
		} else {
			in = append(in, l)
		}
	}
	return out, in, rows.Err()
}

// Attachment is a file attached to an act.
type Attachment struct {
	FileID      int64
	Title       string
	Name        string
	ContentType string
	Size        int64
}

// SizeLabel is the size for people: «1,2 МБ».
func (a Attachment) SizeLabel() string { return SizeLabel(a.Size) }

// TypeLabel is the file type for people: «PDF».
func (a Attachment) TypeLabel() string {
	switch a.ContentType {
	case "application/pdf":
		return "PDF"
	case "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
		return "DOCX"
	default:
		return a.ContentType
	}
}

// SizeLabel formats a byte count in Russian units.
func SizeLabel(n int64) string {
	switch {
	case n >= 1<<20:
		return strings.Replace(strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64), ".", ",", 1) + " МБ"
	case n >= 1<<10:
		return strconv.FormatInt((n+512)>>10, 10) + " КБ"
	default:
		return strconv.FormatInt(n, 10) + " Б"
	}
}

// AddAttachment attaches a stored file to an act.
func (s *Store) AddAttachment(ctx context.Context, tx *db.Tx, actID, fileID int64, title string) error {
	_, err := tx.Exec(ctx, `INSERT INTO act_files (act_id, file_id, title, created_at) VALUES (?, ?, ?, ?)`, actID, fileID, title, s.DB.Now())
	if err != nil {
		return fmt.Errorf("attach file %d to act %d: %w", fileID, actID, err)
	}
	return nil
}

// RemoveAttachment detaches a file from an act. The stored file stays: the
// audit log refers to it.
func (s *Store) RemoveAttachment(ctx context.Context, tx *db.Tx, actID, fileID int64) error {
	res, err := tx.Exec(ctx, `DELETE FROM act_files WHERE act_id = ? AND file_id = ?`, actID, fileID)
	if err != nil {
		return fmt.Errorf("detach file %d from act %d: %w", fileID, actID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("attachment %d: %w", fileID, db.ErrNotFound)
	}
	return nil
}

// Attachments lists an act's files in the order they were attached.
func (s *Store) Attachments(ctx context.Context, q db.Querier, actID int64) ([]Attachment, error) {
	rows, err := q.Query(ctx, `SELECT f.id, x.title, f.name, f.content_type, f.size FROM act_files x JOIN files f ON f.id = x.file_id WHERE x.act_id = ? ORDER BY x.created_at, f.id`, actID)
	if err != nil {
		return nil, fmt.Errorf("list attachments of act %d: %w", actID, err)
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		var a Attachment
		if err := rows.Scan(&a.FileID, &a.Title, &a.Name, &a.ContentType, &a.Size); err != nil {
			return nil, fmt.Errorf("scan attachment: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// FileUse says how a file belongs to an act: as an attachment (download) or
// as the media of an explanation (shown in the page).
type FileUse int

// File uses.
const (
	FileNone FileUse = iota
	FileAttachment
	FileMedia
)

// FileOf reports how fileID belongs to act actID. With publicOnly, the media
// of unpublished explanations do not count.
func (s *Store) FileOf(ctx context.Context, q db.Querier, actID, fileID int64, publicOnly bool) (FileUse, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM act_files WHERE act_id = ? AND file_id = ?`, actID, fileID).Scan(&n); err != nil {
		return FileNone, fmt.Errorf("check attachment: %w", err)
	}
	if n > 0 {
		return FileAttachment, nil
	}
	pub := ``
	if publicOnly {
		pub = ` AND published = TRUE`
	}
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM act_explanations WHERE act_id = ? AND (file_id = ? OR audio_file_id = ? OR audio_opus_file_id = ? OR audio_mp3_file_id = ?)`+pub, actID, fileID, fileID, fileID, fileID).Scan(&n); err != nil {
		return FileNone, fmt.Errorf("check explanation media: %w", err)
	}
	if n > 0 {
		return FileMedia, nil
	}
	return FileNone, nil
}

const explanationColumns = `x.id, x.municipality_id, x.act_id, x.format, x.title, x.body_md, x.body_html, COALESCE(x.file_id, 0), COALESCE(f.content_type, ''), x.video_url, COALESCE(x.audio_file_id, 0), COALESCE(x.audio_opus_file_id, 0), COALESCE(x.audio_mp3_file_id, 0), COALESCE(fa.size, 0), COALESCE(fo.size, 0), COALESCE(fm.size, 0), x.audio_status, x.published, x.published_at, x.created_at, x.updated_at`

const explanationFrom = ` FROM act_explanations x LEFT JOIN files f ON f.id = x.file_id LEFT JOIN files fa ON fa.id = x.audio_file_id LEFT JOIN files fo ON fo.id = x.audio_opus_file_id LEFT JOIN files fm ON fm.id = x.audio_mp3_file_id`

func scanExplanation(row interface{ Scan(...any) error }) (Explanation, error) {
	var x Explanation
	var pub sql.NullTime
	err := row.Scan(&x.ID, &x.MunicipalityID, &x.ActID, &x.Format, &x.Title, &x.Body, &x.HTML, &x.FileID, &x.FileType, &x.VideoURL, &x.AudioFileID, &x.AudioOpusFileID, &x.AudioMP3FileID, &x.AudioSizes[0], &x.AudioSizes[1], &x.AudioSizes[2], &x.AudioStatus, &x.Published, &pub, &x.CreatedAt, &x.UpdatedAt)
	if pub.Valid {
		x.PublishedAt = pub.Time.UTC()
	}
	return x, err
}

// CreateExplanation inserts an explanation and sets x.ID.
func (s *Store) CreateExplanation(ctx context.Context, tx *db.Tx, x *Explanation) error {
	now := s.DB.Now()
	id, err := db.InsertID(ctx, tx, `INSERT INTO act_explanations (municipality_id, act_id, format, title, body_md, body_html, file_id, video_url, audio_status, published, published_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		x.MunicipalityID, x.ActID, x.Format, x.Title, x.Body, x.HTML, nullID(x.FileID), x.VideoURL, x.AudioStatus, x.Published, nullTime(x.PublishedAt), now, now)
	if err != nil {
		return fmt.Errorf("create explanation: %w", err)
	}
	x.ID, x.CreatedAt, x.UpdatedAt = id, now, now
	return nil
}

// UpdateExplanation saves an explanation's editable fields.
func (s *Store) UpdateExplanation(ctx context.Context, tx *db.Tx, x *Explanation) error {
	x.UpdatedAt = s.DB.Now()
	res, err := tx.Exec(ctx, `UPDATE act_explanations SET title = ?, body_md = ?, body_html = ?, file_id = ?, video_url = ?, audio_status = ?, published = ?, published_at = ?, updated_at = ? WHERE id = ? AND act_id = ? AND municipality_id = ?`,
		x.Title, x.Body, x.HTML, nullID(x.FileID), x.VideoURL, x.AudioStatus, x.Published, nullTime(x.PublishedAt), x.UpdatedAt, x.ID, x.ActID, x.MunicipalityID)
	if err != nil {
		return fmt.Errorf("update explanation %d: %w", x.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("explanation %d: %w", x.ID, db.ErrNotFound)
	}
	return nil
}

// DeleteExplanation removes an explanation of an act.
func (s *Store) DeleteExplanation(ctx context.Context, tx *db.Tx, munID, actID, id int64) error {
	res, err := tx.Exec(ctx, `DELETE FROM act_explanations WHERE id = ? AND act_id = ? AND municipality_id = ?`, id, actID, munID)
	if err != nil {
		return fmt.Errorf("delete explanation %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("explanation %d: %w", id, db.ErrNotFound)
	}
	return nil
}

// GetExplanation returns one explanation of an act.
func (s *Store) GetExplanation(ctx context.Context, q db.Querier, munID, actID, id int64) (Explanation, error) {
	x, err := scanExplanation(q.QueryRow(ctx, `SELECT `+explanationColumns+explanationFrom+` WHERE x.municipality_id = ? AND x.act_id = ? AND x.id = ?`, munID, actID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, fmt.Errorf("explanation %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return x, fmt.Errorf("get explanation %d: %w", id, err)
	}
	return x, nil
}

// Explanations lists an act's explanations in the order of the formats, then
// by creation.
func (s *Store) Explanations(ctx context.Context, q db.Querier, actID int64, publicOnly bool) ([]Explanation, error) {
	pub := ``
	if publicOnly {
		pub = ` AND x.published = TRUE`
	}
	rows, err := q.Query(ctx, `SELECT `+explanationColumns+explanationFrom+` WHERE x.act_id = ?`+pub+` ORDER BY CASE x.format WHEN 'text' THEN 1 WHEN 'infographic' THEN 2 WHEN 'audio' THEN 3 WHEN 'video' THEN 4 ELSE 5 END, x.id`, actID)
	if err != nil {
		return nil, fmt.Errorf("list explanations of act %d: %w", actID, err)
	}
	defer rows.Close()
	var out []Explanation
	for rows.Next() {
		x, err := scanExplanation(rows)
		if err != nil {
			return nil, fmt.Errorf("scan explanation: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// SetAudio records the outcome of speech synthesis for an explanation, but
// only if its text is still the one that was read aloud (hash): a newer
// text has its own job queued.
func (s *Store) SetAudio(ctx context.Context, tx *db.Tx, id int64, hash string, fileID int64, status string) (bool, error) {
	res, err := tx.Exec(ctx, `UPDATE act_explanations SET audio_file_id = COALESCE(?, audio_file_id), audio_status = ? WHERE id = ? AND audio_hash = ?`, nullID(fileID), status, id, hash)
	if err != nil {
		return false, fmt.Errorf("record audio of explanation %d: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// SetAudioCopies records the Opus and MP3 copies of the speech (0: none).
func (s *Store) SetAudioCopies(ctx context.Context, tx *db.Tx, id, opus, mp3 int64) error {
	if _, err := tx.Exec(ctx, `UPDATE act_explanations SET audio_opus_file_id = ?, audio_mp3_file_id = ? WHERE id = ?`, nullID(opus), nullID(mp3), id); err != nil {
		return fmt.Errorf("record audio copies of explanation %d: %w", id, err)
	}
	return nil
}

// RequestAudio marks a text explanation's audio as pending for text hash.
func (s *Store) RequestAudio(ctx context.Context, tx *db.Tx, id int64, hash string) error {
	_, err := tx.Exec(ctx, `UPDATE act_explanations SET audio_status = ?, audio_hash = ? WHERE id = ?`, AudioPending, hash, id)
	if err != nil {
		return fmt.Errorf("request audio of explanation %d: %w", id, err)
	}
	return nil
}

// AudioSource is what the speech job needs of an explanation.
type AudioSource struct {
	MunicipalityID int64
	Title          string
	Text           string
	Hash           string
	Status         string
	FileID         int64
}

// AudioSourceOf reads an explanation for the speech job.
func (s *Store) AudioSourceOf(ctx context.Context, q db.Querier, id int64) (AudioSource, error) {
	var a AudioSource
	err := q.QueryRow(ctx, `SELECT municipality_id, title, body_md, audio_hash, audio_status, COALESCE(audio_file_id, 0) FROM act_explanations WHERE id = ? AND format = ?`, id, FormatText).
		Scan(&a.MunicipalityID, &a.Title, &a.Text, &a.Hash, &a.Status, &a.FileID)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("text explanation %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("read explanation %d for speech: %w", id, err)
	}
	return a, nil
}

// PendingAudio lists text explanations of a municipality whose audio is pending.
func (s *Store) PendingAudio(ctx context.Context, q db.Querier, munID int64) ([]int64, error) {
	rows, err := q.Query(ctx, `SELECT id FROM act_explanations WHERE municipality_id = ? AND format = ? AND audio_status = ? ORDER BY id`, munID, FormatText, AudioPending)
	if err != nil {
		return nil, fmt.Errorf("list pending audio: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

const reviewColumns = `r.id, r.municipality_id, r.title, r.period_from, r.period_to, COALESCE(r.department_id, 0), COALESCE(d.name, ''), r.published, r.published_at, r.created_at, r.updated_at`

func scanReview(row interface{ Scan(...any) error }, withText bool) (Review, error) {
	var r Review
	var pub sql.NullTime
	dest := []any{&r.ID, &r.MunicipalityID, &r.Title, &r.From, &r.To, &r.DepartmentID, &r.Department, &r.Published, &pub, &r.CreatedAt, &r.UpdatedAt}
	if withText {
		dest = append(dest, &r.Text, &r.HTML)
	}
	err := row.Scan(dest...)
	if pub.Valid {
		r.PublishedAt = pub.Time.UTC()
	}
	return r, err
}

// CreateReview inserts a review with the acts it concerns.
func (s *Store) CreateReview(ctx context.Context, tx *db.Tx, r *Review) error {
	now := s.DB.Now()
	id, err := db.InsertID(ctx, tx, `INSERT INTO practice_reviews (municipality_id, title, period_from, period_to, department_id, body_md, body_html, published, published_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.MunicipalityID, r.Title, r.From, r.To, nullID(r.DepartmentID), r.Text, r.HTML, r.Published, nullTime(r.PublishedAt), now, now)
	if err != nil {
		return fmt.Errorf("create practice review: %w", err)
	}
	r.ID, r.CreatedAt, r.UpdatedAt = id, now, now
	return s.setReviewActs(ctx, tx, r.MunicipalityID, r.ID, r.ActIDs)
}

// UpdateReview saves a review.
func (s *Store) UpdateReview(ctx context.Context, tx *db.Tx, r *Review) error {
	r.UpdatedAt = s.DB.Now()
	res, err := tx.Exec(ctx, `UPDATE practice_reviews SET title = ?, period_from = ?, period_to = ?, department_id = ?, body_md = ?, body_html = ?, published = ?, published_at = ?, updated_at = ? WHERE id = ? AND municipality_id = ?`,
		r.Title, r.From, r.To, nullID(r.DepartmentID), r.Text, r.HTML, r.Published, nullTime(r.PublishedAt), r.UpdatedAt, r.ID, r.MunicipalityID)
	if err != nil {
		return fmt.Errorf("update practice review %d: %w", r.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("practice review %d: %w", r.ID, db.ErrNotFound)
	}
	return s.setReviewActs(ctx, tx, r.MunicipalityID, r.ID, r.ActIDs)
}

func (s *Store) setReviewActs(ctx context.Context, tx *db.Tx, munID, reviewID int64, actIDs []int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM practice_review_acts WHERE review_id = ?`, reviewID); err != nil {
		return fmt.Errorf("clear acts of review %d: %w", reviewID, err)
	}
	if len(actIDs) == 0 {
		return nil
	}
	args := []any{reviewID, munID}
	for _, id := range actIDs {
		args = append(args, id)
	}
	_, err := tx.Exec(ctx, `INSERT INTO practice_review_acts (review_id, act_id) SELECT ?, id FROM acts WHERE municipality_id = ? AND id IN (`+db.Placeholders(len(actIDs))+`)`, args...)
	if err != nil {
		return fmt.Errorf("set acts of review %d: %w", reviewID, err)
	}
	return nil
}

// GetReview returns a review with its text and the ids of its acts.
func (s *Store) GetReview(ctx context.Context, q db.Querier, munID, id int64) (Review, error) {
	r, err := scanReview(q.QueryRow(ctx, `SELECT `+reviewColumns+`, r.body_md, r.body_html FROM practice_reviews r LEFT JOIN departments d ON d.id = r.department_id WHERE r.municipality_id = ? AND r.id = ?`, munID, id), true)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("practice review %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("get practice review %d: %w", id, err)
	}
	rows, err := q.Query(ctx, `SELECT act_id FROM practice_review_acts WHERE review_id = ? ORDER BY act_id`, id)
	if err != nil {
		return r, fmt.Errorf("list acts of review %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a int64
		if err := rows.Scan(&a); err != nil {
			return r, err
		}
		r.ActIDs = append(r.ActIDs, a)
	}
	return r, rows.Err()
}

// ListReviews returns one page of reviews, latest period first.
func (s *Store) ListReviews(ctx context.Context, q db.Querier, munID int64, publicOnly bool, limit, offset int) ([]Review, int, error) {
	w := `r.municipality_id = ?`
	if publicOnly {
		w += ` AND r.published = TRUE`
	}
	var total int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM practice_reviews r WHERE `+w, munID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count practice reviews: %w", err)
	}
	rows, err := q.Query(ctx, `SELECT `+reviewColumns+` FROM practice_reviews r LEFT JOIN departments d ON d.id = r.department_id WHERE `+w+` ORDER BY r.period_to DESC, r.id DESC LIMIT ? OFFSET ?`, munID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("list practice reviews: %w", err)
	}
	defer rows.Close()
	var out []Review
	for rows.Next() {
		r, err := scanReview(rows, false)
		if err != nil {
			return nil, 0, fmt.Errorf("scan practice review: %w", err)
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// ReviewsOfAct lists the reviews that concern an act.
func (s *Store) ReviewsOfAct(ctx context.Context, q db.Querier, actID int64, publicOnly bool) ([]Review, error) {
	pub := ``
	if publicOnly {
		pub = ` AND r.published = TRUE`
	}
	rows, err := q.Query(ctx, `SELECT `+reviewColumns+` FROM practice_reviews r JOIN practice_review_acts x ON x.review_id = r.id LEFT JOIN departments d ON d.id = r.department_id WHERE x.act_id = ?`+pub+` ORDER BY r.period_to DESC, r.id DESC`, actID)
	if err != nil {
		return nil, fmt.Errorf("list reviews of act %d: %w", actID, err)
	}
	defer rows.Close()
	var out []Review
	for rows.Next() {
		r, err := scanReview(rows, false)
		if err != nil {
			return nil, fmt.Errorf("scan practice review: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ActsByIDs returns the acts with the given ids (without text), in date order.
func (s *Store) ActsByIDs(ctx context.Context, q db.Querier, munID int64, ids []int64, publicOnly bool) ([]Act, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{munID}
	for _, id := range ids {
		args = append(args, id)
	}
	pub := ``
	if publicOnly {
		pub = ` AND a.published = TRUE AND a.status <> ?`
		args = append(args, StatusDraft)
	}
	rows, err := q.Query(ctx, `SELECT `+actColumns+` FROM acts a LEFT JOIN departments d ON d.id = a.department_id WHERE a.municipality_id = ? AND a.id IN (`+db.Placeholders(len(ids))+`)`+pub+` ORDER BY a.act_date, a.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list acts by id: %w", err)
	}
	defer rows.Close()
	var out []Act
	for rows.Next() {
		a, err := scanAct(rows, false)
		if err != nil {
			return nil, fmt.Errorf("scan act: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Sitemap lists every public act and review.
func (s *Store) Sitemap(ctx context.Context, munID int64) ([]portal.SitemapURL, error) {
	var out []portal.SitemapURL
	for _, q := range []struct{ prefix, sql string }{
		{"/acts/", `SELECT id, updated_at FROM acts WHERE municipality_id = ? AND published = TRUE AND status <> 'draft' ORDER BY id`},
		{"/practice-reviews/", `SELECT id, updated_at FROM practice_reviews WHERE municipality_id = ? AND published = TRUE ORDER BY id`},
	} {
		rows, err := s.DB.Query(ctx, q.sql, munID)
		if err != nil {
			return nil, fmt.Errorf("list %s for the sitemap: %w", q.prefix, err)
		}
		for rows.Next() {
			var id int64
			var e portal.SitemapURL
			if err := rows.Scan(&id, &e.LastMod); err != nil {
				rows.Close()
				return nil, err
			}
			e.Loc = q.prefix + strconv.FormatInt(id, 10)
			out = append(out, e)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Resolve finds the acts that citations name, in the municipality. Each
// citation that names no act, or more than one, is reported in Russian.
func (s *Store) Resolve(ctx context.Context, q db.Querier, munID int64, cits []Citation) ([]int64, []string) {
	var ids []int64
	var problems []string
	for _, c := range cits {
		if c.ID != 0 {
			var n int
			if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM acts WHERE municipality_id = ? AND id = ?`, munID, c.ID).Scan(&n); err != nil || n == 0 {
				problems = append(problems, fmt.Sprintf("«%s»: такого акта нет в реестре.", c.Text))
				continue
			}
			ids = append(ids, c.ID)
			continue
		}
		rows, err := q.Query(ctx, `SELECT id FROM acts WHERE municipality_id = ? AND number = ? AND act_date = ? ORDER BY id`, munID, c.Number, c.Date)
		if err != nil {
			problems = append(problems, fmt.Sprintf("«%s»: не удалось проверить.", c.Text))
			continue
		}
		var found []int64
		for rows.Next() {
			var id int64
			if rows.Scan(&id) == nil {
				found = append(found, id)
			}
		}
		rows.Close()
		switch len(found) {
		case 0:
			problems = append(problems, fmt.Sprintf("«%s»: акта с таким номером и датой нет в реестре.", c.Text))
		case 1:
			ids = append(ids, found[0])
		default:
			problems = append(problems, fmt.Sprintf("«%s»: с таким номером и датой несколько актов разных видов — укажите адрес акта, например /acts/%d.", c.Text, found[0]))
		}
	}
	return ids, problems
}
