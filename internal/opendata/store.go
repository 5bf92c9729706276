package opendata

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/search"
	"github.com/glasnost/glasnost/internal/web"
)

// Store reads and writes datasets, structures and versions. Every query is
// scoped to a municipality.
type Store struct {
	DB *db.DB
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Settings returns the municipality's publisher details; a municipality
// without them gets the placeholder INN.
func (s *Store) Settings(ctx context.Context, q db.Querier, munID int64) (Settings, error) {
	st := Settings{MunicipalityID: munID}
	err := q.QueryRow(ctx, `SELECT inn, publisher_name, publisher_phone, publisher_email, license_title, license_url FROM opendata_settings WHERE municipality_id = ?`, munID).
		Scan(&st.INN, &st.PublisherName, &st.PublisherPhone, &st.PublisherEmail, &st.LicenseTitle, &st.LicenseURL)
	if errors.Is(err, sql.ErrNoRows) {
		st.INN = PlaceholderINN
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("opendata settings: %w", err)
	}
	return st, nil
}

// SaveSettings writes the publisher details.
func (s *Store) SaveSettings(ctx context.Context, tx *db.Tx, st Settings) error {
	now := s.DB.Now()
	res, err := tx.Exec(ctx, `UPDATE opendata_settings SET inn = ?, publisher_name = ?, publisher_phone = ?, publisher_email = ?, license_title = ?, license_url = ?, updated_at = ? WHERE municipality_id = ?`,
		st.INN, st.PublisherName, st.PublisherPhone, st.PublisherEmail, st.LicenseTitle, st.LicenseURL, now, st.MunicipalityID)
	if err != nil {
		return fmt.Errorf("save opendata settings: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	_, err = tx.Exec(ctx, `INSERT INTO opendata_settings (municipality_id, inn, publisher_name, publisher_phone, publisher_email, license_title, license_url, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		st.MunicipalityID, st.INN, st.PublisherName, st.PublisherPhone, st.PublisherEmail, st.LicenseTitle, st.LicenseURL, now)
	if err != nil {
		return fmt.Errorf("save opendata settings: %w", err)
	}
	return nil
}

const datasetColumns = `d.id, d.municipality_id, d.code, d.title, d.description, d.creator, d.subject, d.provenance, d.valid_date,
 d.publisher_name, d.publisher_phone, d.publisher_email, COALESCE(d.department_id, 0), COALESCE(dep.name, ''),
 COALESCE(d.responsible_id, 0), d.update_days, d.generated, d.checked_at, d.created_at, d.modified_at,
 lv.created_at, COALESCE(v.n, 0)`

const datasetFrom = ` FROM opendata_datasets d
 LEFT JOIN departments dep ON dep.id = d.department_id
 LEFT JOIN (SELECT dataset_id, MAX(id) AS last_id, COUNT(*) AS n FROM opendata_versions GROUP BY dataset_id) v ON v.dataset_id = d.id
 LEFT JOIN opendata_versions lv ON lv.id = v.last_id`

func scanDataset(row interface{ Scan(...any) error }) (Dataset, error) {
	var d Dataset
	var checked, last sql.NullTime
	err := row.Scan(&d.ID, &d.MunicipalityID, &d.Code, &d.Title, &d.Description, &d.Creator, &d.Subject, &d.Provenance, &d.Valid,
		&d.PublisherName, &d.PublisherPhone, &d.PublisherEmail, &d.DepartmentID, &d.Department,
		&d.ResponsibleID, &d.UpdateDays, &d.Generated, &checked, &d.CreatedAt, &d.ModifiedAt, &last, &d.Versions)
	if checked.Valid {
		d.CheckedAt = checked.Time.UTC()
	}
	if last.Valid {
		d.LastVersionAt = last.Time.UTC()
	}
	d.CreatedAt, d.ModifiedAt = d.CreatedAt.UTC(), d.ModifiedAt.UTC()
	return d, err
}

// Filter narrows a list of datasets.
type Filter struct {
	// Published keeps datasets with at least one version.
	Published bool
	// Query matches the title, description or keywords.
	Query string
}

func (f Filter) where(munID int64) (string, []any) {
	w := ` WHERE d.municipality_id = ?`
	args := []any{munID}
	if f.Published {
		w += ` AND v.n > 0`
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		// db.Like escapes with a backslash, which SQLite takes for an
		// escape only when told.
		w += ` AND (LOWER(d.title) LIKE ? ESCAPE '\' OR LOWER(d.description) LIKE ? ESCAPE '\' OR LOWER(d.subject) LIKE ? ESCAPE '\' OR LOWER(d.code) LIKE ? ESCAPE '\')`
		p := db.Like(strings.ToLower(q))
		args = append(args, p, p, p, p)
	}
	return w, args
}

// List returns a page of datasets, by title, and the total.
func (s *Store) List(ctx context.Context, q db.Querier, munID int64, f Filter, limit, offset int) ([]Dataset, int, error) {
	w, args := f.where(munID)
	var total int
	if err := q.QueryRow(ctx, `SELECT COUNT(*)`+datasetFrom+w, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count datasets: %w", err)
	}
	rows, err := q.Query(ctx, `SELECT `+datasetColumns+datasetFrom+w+` ORDER BY d.title, d.id LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list datasets: %w", err)
	}
	defer rows.Close()
	var out []Dataset
	for rows.Next() {
		d, err := scanDataset(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("scan dataset: %w", err)
		}
		out = append(out, d)
	}
	return out, total, rows.Err()
}

// Get returns a dataset by id.
func (s *Store) Get(ctx context.Context, q db.Querier, munID, id int64) (Dataset, error) {
	d, err := scanDataset(q.QueryRow(ctx, `SELECT `+datasetColumns+datasetFrom+` WHERE d.municipality_id = ? AND d.id = ?`, munID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("dataset %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("get dataset %d: %w", id, err)
	}
	return d, nil
}

// ByCode returns a dataset by its code.
func (s *Store) ByCode(ctx context.Context, q db.Querier, munID int64, code string) (Dataset, error) {
	d, err := scanDataset(q.QueryRow(ctx, `SELECT `+datasetColumns+datasetFrom+` WHERE d.municipality_id = ? AND d.code = ?`, munID, code))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("dataset %s: %w", code, db.ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("get dataset %s: %w", code, err)
	}
	return d, nil
}

// ErrDuplicate means the municipality already has a dataset with the code.
var ErrDuplicate = web.Invalid("Набор с таким кодом уже есть.")

// Create inserts a dataset and sets its id and times.
func (s *Store) Create(ctx context.Context, tx *db.Tx, d *Dataset) error {
	now := s.DB.Now()
	id, err := db.InsertID(ctx, tx, `INSERT INTO opendata_datasets (municipality_id, code, title, description, creator, subject, provenance, valid_date, publisher_name, publisher_phone, publisher_email, department_id, responsible_id, update_days, generated, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.MunicipalityID, d.Code, d.Title, d.Description, d.Creator, d.Subject, d.Provenance, d.Valid, d.PublisherName, d.PublisherPhone, d.PublisherEmail,
		nullID(d.DepartmentID), nullID(d.ResponsibleID), d.UpdateDays, d.Generated, now, now)
	if err != nil {
		if db.IsUniqueViolation(err) {
			return ErrDuplicate
		}
		return fmt.Errorf("create dataset: %w", err)
	}
	d.ID, d.CreatedAt, d.ModifiedAt = id, now, now
	return nil
}

// Update saves the passport, the responsible official and the period.
func (s *Store) Update(ctx context.Context, tx *db.Tx, d *Dataset) error {
	d.ModifiedAt = s.DB.Now()
	res, err := tx.Exec(ctx, `UPDATE opendata_datasets SET title = ?, description = ?, creator = ?, subject = ?, provenance = ?, valid_date = ?, publisher_name = ?, publisher_phone = ?, publisher_email = ?, department_id = ?, responsible_id = ?, update_days = ?, modified_at = ? WHERE id = ? AND municipality_id = ?`,
		d.Title, d.Description, d.Creator, d.Subject, d.Provenance, d.Valid, d.PublisherName, d.PublisherPhone, d.PublisherEmail,
		nullID(d.DepartmentID), nullID(d.ResponsibleID), d.UpdateDays, d.ModifiedAt, d.ID, d.MunicipalityID)
	if err != nil {
		return fmt.Errorf("update dataset %d: %w", d.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("dataset %d: %w", d.ID, db.ErrNotFound)
	}
	return nil
}

// MarkChecked records that a generated dataset was regenerated (whether or
// not its content changed).
func (s *Store) MarkChecked(ctx context.Context, tx *db.Tx, id int64, at time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE opendata_datasets SET checked_at = ? WHERE id = ?`, at, id)
	if err != nil {
		return fmt.Errorf("mark dataset %d checked: %w", id, err)
	}
	return nil
}

// Structures lists a dataset's structures, oldest first.
func (s *Store) Structures(ctx context.Context, q db.Querier, datasetID int64) ([]Structure, error) {
	rows, err := q.Query(ctx, `SELECT id, dataset_id, name, fields, created_at FROM opendata_structures WHERE dataset_id = ? ORDER BY id`, datasetID)
	if err != nil {
		return nil, fmt.Errorf("list structures: %w", err)
	}
	defer rows.Close()
	var out []Structure
	for rows.Next() {
		var st Structure
		var fields string
		if err := rows.Scan(&st.ID, &st.DatasetID, &st.Name, &fields, &st.CreatedAt); err != nil {
			return nil, fmt.Errorf("scan structure: %w", err)
		}
		if st.Fields, err = decodeFields(fields); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// LatestStructure is the structure new versions use.
func (s *Store) LatestStructure(ctx context.Context, q db.Querier, datasetID int64) (Structure, error) {
	sts, err := s.Structures(ctx, q, datasetID)
	if err != nil {
		return Structure{}, err
	}
	if len(sts) == 0 {
		return Structure{}, fmt.Errorf("structure of dataset %d: %w", datasetID, db.ErrNotFound)
	}
	return sts[len(sts)-1], nil
}

// SetStructure makes fields the dataset's current structure: a new dated
// structure when they differ from the latest one; the latest otherwise.
func (s *Store) SetStructure(ctx context.Context, tx *db.Tx, d Dataset, fields []Field, local time.Time) (Structure, error) {
	sts, err := s.Structures(ctx, tx, d.ID)
	if err != nil {
		return Structure{}, err
	}
	if n := len(sts); n > 0 && sameFields(sts[n-1].Fields, fields) {
		return sts[n-1], nil
	}
	taken := map[string]bool{}
	for _, st := range sts {
		taken[st.Name] = true
	}
	st := Structure{DatasetID: d.ID, Fields: fields, CreatedAt: s.DB.Now(), Name: StructureName(local, func(n string) bool { return taken[n] })}
	st.ID, err = db.InsertID(ctx, tx, `INSERT INTO opendata_structures (municipality_id, dataset_id, name, fields, created_at) VALUES (?, ?, ?, ?, ?)`,
		d.MunicipalityID, d.ID, st.Name, encodeFields(fields), st.CreatedAt)
	if err != nil {
		return st, fmt.Errorf("create structure: %w", err)
	}
	return st, nil
}

const versionColumns = `v.id, v.dataset_id, v.structure_id, s.name, v.name, v.sha256, v.row_count, LENGTH(v.content), v.created_at`

func scanVersion(row interface{ Scan(...any) error }) (Version, error) {
	var v Version
	err := row.Scan(&v.ID, &v.DatasetID, &v.StructureID, &v.Structure, &v.Name, &v.SHA256, &v.Rows, &v.Size, &v.CreatedAt)
	v.CreatedAt = v.CreatedAt.UTC()
	return v, err
}

// Versions lists the versions of some datasets, newest first, in one query.
func (s *Store) Versions(ctx context.Context, q db.Querier, munID int64, ids ...int64) (map[int64][]Version, error) {
	out := map[int64][]Version{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{munID}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := q.Query(ctx, `SELECT `+versionColumns+` FROM opendata_versions v JOIN opendata_structures s ON s.id = v.structure_id WHERE v.municipality_id = ? AND v.dataset_id IN (`+db.Placeholders(len(ids))+`) ORDER BY v.created_at DESC, v.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("list versions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("scan version: %w", err)
		}
		out[v.DatasetID] = append(out[v.DatasetID], v)
	}
	return out, rows.Err()
}

// Recent lists the newest versions of the municipality's datasets with
// their titles (for the feed).
func (s *Store) Recent(ctx context.Context, q db.Querier, munID int64, limit int) ([]Version, []string, []string, error) {
	rows, err := q.Query(ctx, `SELECT `+versionColumns+`, d.title, d.code FROM opendata_versions v JOIN opendata_structures s ON s.id = v.structure_id JOIN opendata_datasets d ON d.id = v.dataset_id WHERE v.municipality_id = ? ORDER BY v.created_at DESC, v.id DESC LIMIT ?`, munID, limit)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("recent versions: %w", err)
	}
	defer rows.Close()
	var vs []Version
	var titles, codes []string
	for rows.Next() {
		var v Version
		var title, code string
		if err := rows.Scan(&v.ID, &v.DatasetID, &v.StructureID, &v.Structure, &v.Name, &v.SHA256, &v.Rows, &v.Size, &v.CreatedAt, &title, &code); err != nil {
			return nil, nil, nil, fmt.Errorf("scan version: %w", err)
		}
		vs, titles, codes = append(vs, v), append(titles, title), append(codes, code)
	}
	return vs, titles, codes, rows.Err()
}

// Content returns a version's file by its name.
func (s *Store) Content(ctx context.Context, q db.Querier, munID, datasetID int64, name string) ([]byte, error) {
	var b []byte
	err := q.QueryRow(ctx, `SELECT content FROM opendata_versions WHERE municipality_id = ? AND dataset_id = ? AND name = ?`, munID, datasetID, name).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("version %s: %w", name, db.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read version %s: %w", name, err)
	}
	return b, nil
}

// Publish stores rows as a new version of d under fields, unless the content
// equals the latest version's; it reports whether a version was made. The
// first version records opendata.dataset_published, later ones
// opendata.version_published, in the same transaction.
func (s *Store) Publish(ctx context.Context, tx *db.Tx, d Dataset, fields []Field, rows [][]string, by int64, local time.Time) (Version, bool, error) {
	settings, err := s.Settings(ctx, tx, d.MunicipalityID)
	if err != nil {
		return Version{}, false, err
	}
	d.Identifier = Identifier(settings.INN, d.Code)
	st, err := s.SetStructure(ctx, tx, d, fields, local)
	if err != nil {
		return Version{}, false, err
	}
	content, err := DataCSV(fields, rows)
	if err != nil {
		return Version{}, false, err
	}
	hash := Hash(content)
	vs, err := s.Versions(ctx, tx, d.MunicipalityID, d.ID)
	if err != nil {
		return Version{}, false, err
	}
	prev := vs[d.ID]
	if len(prev) > 0 && prev[0].SHA256 == hash && prev[0].StructureID == st.ID {
		return prev[0], false, nil
	}
	taken := map[string]bool{}
	for _, v := range prev {
		taken[v.Name] = true
	}
	now := s.DB.Now()
	v := Version{DatasetID: d.ID, StructureID: st.ID, Structure: st.Name, SHA256: hash, Rows: len(rows), Size: len(content), CreatedAt: now,
		Name: VersionName(local, st.Name, func(n string) bool { return taken[n] })}
	v.ID, err = db.InsertID(ctx, tx, `INSERT INTO opendata_versions (municipality_id, dataset_id, structure_id, name, content, sha256, row_count, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.MunicipalityID, d.ID, st.ID, v.Name, content, hash, len(rows), nullID(by), now)
	if err != nil {
		return v, false, fmt.Errorf("create version: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE opendata_datasets SET modified_at = ? WHERE id = ?`, now, d.ID); err != nil {
		return v, false, fmt.Errorf("touch dataset: %w", err)
	}
	kind := events.DatasetVersionPublished
	if len(prev) == 0 {
		kind = events.DatasetPublished
	}
	err = events.Record(ctx, tx, events.Event{MunicipalityID: d.MunicipalityID, Kind: kind, ObjectType: "dataset", ObjectID: d.Code,
		Title: d.Title, URL: d.URL(), OccurredAt: now})
	if err != nil {
		return v, true, err
	}
	return v, true, Index(ctx, tx, d)
}

// Index puts a published dataset's passport into the site search.
func Index(ctx context.Context, tx *db.Tx, d Dataset) error {
	return search.Put(ctx, tx, search.Doc{MunicipalityID: d.MunicipalityID, Type: "dataset", ObjectID: d.Code, Title: d.Title,
		Body: d.Description + "\n" + strings.Join(d.Keywords(), ", "), URL: d.URL(), PublishedAt: d.CreatedAt})
}

// Overdue lists the municipality's datasets past their update period.
func (s *Store) Overdue(ctx context.Context, q db.Querier, munID int64, now time.Time) ([]Dataset, error) {
	var out []Dataset
	for off := 0; ; off += 200 {
		list, _, err := s.List(ctx, q, munID, Filter{}, 200, off)
		if err != nil {
			return nil, err
		}
		for _, d := range list {
			if d.Overdue(now) {
				out = append(out, d)
			}
		}
		if len(list) < 200 {
			return out, nil
		}
	}
}

// ReminderSent reports whether the week's reminder of a dataset went out,
// and marks it sent if not.
func (s *Store) ReminderSent(ctx context.Context, tx *db.Tx, datasetID int64, week string) (bool, error) {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM opendata_reminders WHERE dataset_id = ? AND week = ?`, datasetID, week).Scan(&n); err != nil {
		return false, fmt.Errorf("reminder sent: %w", err)
	}
	if n > 0 {
		return true, nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO opendata_reminders (dataset_id, week) VALUES (?, ?)`, datasetID, week)
	return false, err
}
