package groups

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/tenant"
)

// ErrActive means the account already is a member of the group or has an
// application waiting.
var ErrActive = errors.New("already a member or applied")

// Store is the area's SQL.
type Store struct {
	DB *db.DB
}

// Limit is the municipality's limit of groups: its setting, else def.
func (s *Store) Limit(ctx context.Context, q db.Querier, munID int64, def int) (int, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT max_groups FROM groups_settings WHERE municipality_id = ?`, munID).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return def, nil
	}
	if err != nil {
		return 0, fmt.Errorf("groups limit: %w", err)
	}
	return n, nil
}

// SetLimit stores the municipality's limit.
func (s *Store) SetLimit(ctx context.Context, tx *db.Tx, munID int64, n int, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO groups_settings (municipality_id, max_groups, updated_at) VALUES (?, ?, ?)
 ON CONFLICT (municipality_id) DO UPDATE SET max_groups = excluded.max_groups, updated_at = excluded.updated_at`, munID, n, now)
	if err != nil {
		return fmt.Errorf("set groups limit: %w", err)
	}
	return nil
}

// Count is the number of groups in the registry.
func (s *Store) Count(ctx context.Context, q db.Querier, munID int64) (int, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM reference_groups WHERE municipality_id = ?`, munID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count groups: %w", err)
	}
	return n, nil
}

const groupCols = `g.id, g.municipality_id, g.name, g.description, COALESCE(g.department_id, 0), g.act_title, g.act_number, g.act_date, g.act_url, g.created_at, g.updated_at,
 (SELECT COUNT(*) FROM reference_group_members m WHERE m.group_id = g.id AND m.status = 'member'),
 (SELECT COUNT(*) FROM reference_group_members m WHERE m.group_id = g.id AND m.status = 'pending')`

func scanGroup(row interface{ Scan(...any) error }) (Group, error) {
	var g Group
	err := row.Scan(&g.ID, &g.MunicipalityID, &g.Name, &g.Description, &g.DepartmentID, &g.Regulations.Title, &g.Regulations.Number,
		&g.Regulations.Date, &g.Regulations.URL, &g.CreatedAt, &g.UpdatedAt, &g.Members, &g.Pending)
	return g, err
}

// List returns a page of the registry by name, with spheres (names filled
// from spheres) and member counts.
func (s *Store) List(ctx context.Context, q db.Querier, munID int64, spheres []tenant.Sphere, limit, offset int) ([]Group, int, error) {
	total, err := s.Count(ctx, q, munID)
	if err != nil {
		return nil, 0, err
	}
	rows, err := q.Query(ctx, `SELECT `+groupCols+` FROM reference_groups g WHERE g.municipality_id = ? ORDER BY g.name, g.id LIMIT ? OFFSET ?`, munID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("list groups: %w", err)
	}
	defer rows.Close()
	var out []Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("read group: %w", err)
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if err := s.fillSpheres(ctx, q, out, spheres); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// Get returns one group.
func (s *Store) Get(ctx context.Context, q db.Querier, munID, id int64, spheres []tenant.Sphere) (Group, error) {
	g, err := scanGroup(q.QueryRow(ctx, `SELECT `+groupCols+` FROM reference_groups g WHERE g.municipality_id = ? AND g.id = ?`, munID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Group{}, db.ErrNotFound
	}
	if err != nil {
		return Group{}, fmt.Errorf("get group %d: %w", id, err)
	}
	gs := []Group{g}
	if err := s.fillSpheres(ctx, q, gs, spheres); err != nil {
		return Group{}, err
	}
	return gs[0], nil
}

// fillSpheres sets the spheres of the groups in one query.
func (s *Store) fillSpheres(ctx context.Context, q db.Querier, gs []Group, spheres []tenant.Sphere) error {
	if len(gs) == 0 {
		return nil
	}
	byID := map[int64]tenant.Sphere{}
	for _, sp := range spheres {
		byID[sp.ID] = sp
	}
	idx := map[int64]int{}
	args := make([]any, len(gs))
	for i, g := range gs {
		idx[g.ID] = i
		args[i] = g.ID
	}
	rows, err := q.Query(ctx, `SELECT group_id, sphere_id FROM reference_group_spheres WHERE group_id IN (`+db.Placeholders(len(gs))+`) ORDER BY group_id, sphere_id`, args...)
	if err != nil {
		return fmt.Errorf("group spheres: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var gid, sid int64
		if err := rows.Scan(&gid, &sid); err != nil {
			return err
		}
		sp, ok := byID[sid]
		if !ok {
			sp = tenant.Sphere{ID: sid}
		}
		gs[idx[gid]].Spheres = append(gs[idx[gid]].Spheres, sp)
	}
	return rows.Err()
}

// Save inserts (ID 0) or updates a group and its spheres.
func (s *Store) Save(ctx context.Context, tx *db.Tx, g *Group, now time.Time) error {
	var dept any
	if g.DepartmentID != 0 {
		dept = g.DepartmentID
	}
	r := g.Regulations
	if g.ID == 0 {
		id, err := db.InsertID(ctx, tx, `INSERT INTO reference_groups (municipality_id, name, description, department_id, act_title, act_number, act_date, act_url, created_at, updated_at)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, g.MunicipalityID, g.Name, g.Description, dept, r.Title, r.Number, r.Date, r.URL, now, now)
		if err != nil {
			return fmt.Errorf("insert group: %w", err)
		}
		g.ID, g.CreatedAt = id, now
	} else {
		if _, err := tx.Exec(ctx, `UPDATE reference_groups SET name = ?, description = ?, department_id = ?, act_title = ?, act_number = ?, act_date = ?, act_url = ?, updated_at = ?
 WHERE municipality_id = ? AND id = ?`, g.Name, g.Description, dept, r.Title, r.Number, r.Date, r.URL, now, g.MunicipalityID, g.ID); err != nil {
			return fmt.Errorf("update group: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM reference_group_spheres WHERE group_id = ?`, g.ID); err != nil {
			return fmt.Errorf("clear group spheres: %w", err)
		}
	}
	g.UpdatedAt = now
	for _, sp := range g.Spheres {
		if _, err := tx.Exec(ctx, `INSERT INTO reference_group_spheres (group_id, sphere_id) VALUES (?, ?)`, g.ID, sp.ID); err != nil {
			return fmt.Errorf("group sphere: %w", err)
		}
	}
	return nil
}

// FindByName returns the id of the group with the name.
func (s *Store) FindByName(ctx context.Context, q db.Querier, munID int64, name string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM reference_groups WHERE municipality_id = ? AND name = ?`, munID, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, db.ErrNotFound
	}
	return id, err
}

const memberCols = `m.id, m.group_id, g.name, COALESCE(m.account_id, 0), m.organisation, m.contact, m.contact_email, m.show_name, m.status, m.note, m.reason, m.applied_at, m.decided_at`

func scanMember(row interface{ Scan(...any) error }) (Member, error) {
	var m Member
	var decided sql.NullTime
	err := row.Scan(&m.ID, &m.GroupID, &m.Group, &m.AccountID, &m.Organisation, &m.Contact, &m.ContactEmail, &m.ShowName, &m.Status, &m.Note, &m.Reason, &m.AppliedAt, &decided)
	if decided.Valid {
		m.DecidedAt = decided.Time
	}
	return m, err
}

func (s *Store) members(ctx context.Context, q db.Querier, where string, args ...any) ([]Member, error) {
	rows, err := q.Query(ctx, `SELECT `+memberCols+` FROM reference_group_members m JOIN reference_groups g ON g.id = m.group_id WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, fmt.Errorf("read member: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Members lists a group's members and applications of the statuses.
func (s *Store) Members(ctx context.Context, q db.Querier, groupID int64, statuses ...string) ([]Member, error) {
	args := []any{groupID}
	for _, st := range statuses {
		args = append(args, st)
	}
	return s.members(ctx, q, `m.group_id = ? AND m.status IN (`+db.Placeholders(len(statuses))+`) ORDER BY m.applied_at, m.id`, args...)
}

// Pending lists the municipality's applications waiting, optionally only
// those of groups of one department (0: all).
func (s *Store) Pending(ctx context.Context, q db.Querier, munID, deptID int64, limit int) ([]Member, error) {
	where := `m.municipality_id = ? AND m.status = 'pending'`
	args := []any{munID}
	if deptID != 0 {
		where += ` AND g.department_id = ?`
		args = append(args, deptID)
	}
	return s.members(ctx, q, where+` ORDER BY m.applied_at, m.id LIMIT ?`, append(args, limit)...)
}

// PendingCount counts applications waiting (deptID 0: all departments).
func (s *Store) PendingCount(ctx context.Context, munID, deptID int64) (int, error) {
	where := `m.municipality_id = ? AND m.status = 'pending'`
	args := []any{munID}
	if deptID != 0 {
		where += ` AND g.department_id = ?`
		args = append(args, deptID)
	}
	var n int
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM reference_group_members m JOIN reference_groups g ON g.id = m.group_id WHERE `+where, args...).Scan(&n)
	return n, err
}

// Member returns one membership row of the municipality.
func (s *Store) Member(ctx context.Context, q db.Querier, munID, id int64) (Member, error) {
	ms, err := s.members(ctx, q, `m.municipality_id = ? AND m.id = ?`, munID, id)
	if err != nil {
		return Member{}, err
	}
	if len(ms) == 0 {
		return Member{}, db.ErrNotFound
	}
	return ms[0], nil
}

// Active returns the account's membership or application in the group.
func (s *Store) Active(ctx context.Context, q db.Querier, groupID, accountID int64) (Member, error) {
	ms, err := s.members(ctx, q, `m.group_id = ? AND m.account_id = ? AND m.status IN ('pending', 'member')`, groupID, accountID)
	if err != nil {
		return Member{}, err
	}
	if len(ms) == 0 {
		return Member{}, db.ErrNotFound
	}
	return ms[0], nil
}

// Add inserts a membership row (an application, or a member added by staff).
func (s *Store) Add(ctx context.Context, tx *db.Tx, munID int64, m *Member, now time.Time) error {
	var acc any
	if m.AccountID != 0 {
		acc = m.AccountID
	}
	var decided any
	if m.Status == StatusMember {
		decided = now
		m.DecidedAt = now
	}
	id, err := db.InsertID(ctx, tx, `INSERT INTO reference_group_members (municipality_id, group_id, account_id, organisation, contact, contact_email, show_name, status, note, applied_at, decided_at)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, munID, m.GroupID, acc, m.Organisation, m.Contact, m.ContactEmail, m.ShowName, m.Status, m.Note, now, decided)
	if db.IsUniqueViolation(err) {
		return ErrActive
	}
	if err != nil {
		return fmt.Errorf("add member: %w", err)
	}
	m.ID, m.AppliedAt = id, now
	return nil
}

// SetStatus moves a membership row from one status to another; it fails
// with db.ErrNotFound when the row is not in the from status (someone
// decided first).
func (s *Store) SetStatus(ctx context.Context, tx *db.Tx, id int64, from []string, to, reason string, by int64, now time.Time) error {
	args := []any{to, reason, now}
	set := `status = ?, reason = ?, decided_at = ?`
	if to == StatusLeft {
		set = `status = ?, reason = ?, left_at = ?`
	}
	if by != 0 && to != StatusLeft {
		set += `, decided_by = ?`
		args = append(args, by)
	}
	args = append(args, id)
	for _, f := range from {
		args = append(args, f)
	}
	res, err := tx.Exec(ctx, `UPDATE reference_group_members SET `+set+` WHERE id = ? AND status IN (`+db.Placeholders(len(from))+`)`, args...)
	if err != nil {
		return fmt.Errorf("set member status: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return db.ErrNotFound
	}
	return nil
}

// InSpheres lists the current members of the groups working in any of the
// spheres, once per group.
func (s *Store) InSpheres(ctx context.Context, q db.Querier, munID int64, sphereIDs []int64) ([]Member, error) {
	if len(sphereIDs) == 0 {
		return nil, nil
	}
	args := []any{munID}
	for _, id := range sphereIDs {
		args = append(args, id)
	}
	return s.members(ctx, q, `m.municipality_id = ? AND m.status = 'member' AND m.group_id IN
 (SELECT group_id FROM reference_group_spheres WHERE sphere_id IN (`+db.Placeholders(len(sphereIDs))+`)) ORDER BY m.group_id, m.id`, args...)
}

// GroupsOf names the groups the account is a member of.
func (s *Store) GroupsOf(ctx context.Context, munID, accountID int64) ([]string, error) {
	rows, err := s.DB.Query(ctx, `SELECT g.name FROM reference_group_members m JOIN reference_groups g ON g.id = m.group_id
 WHERE m.municipality_id = ? AND m.account_id = ? AND m.status = 'member' ORDER BY g.name`, munID, accountID)
	if err != nil {
		return nil, fmt.Errorf("groups of account: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// MarkInformed records that the groups were told of a consultation; false
// when that was already recorded.
func (s *Store) MarkInformed(ctx context.Context, tx *db.Tx, munID int64, consultation, title, url string, groups, letters int, now time.Time) (bool, error) {
	res, err := tx.Exec(ctx, `INSERT INTO reference_group_informed (municipality_id, consultation, title, url, groups_count, letters, informed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
 ON CONFLICT (municipality_id, consultation) DO NOTHING`, munID, consultation, title, url, groups, letters, now)
	if err != nil {
		return false, fmt.Errorf("mark informed: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Informed reports whether the groups were already told of a consultation.
func (s *Store) Informed(ctx context.Context, q db.Querier, munID int64, consultation string) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM reference_group_informed WHERE municipality_id = ? AND consultation = ?`, munID, consultation).Scan(&n)
	return n > 0, err
}

// Notice records a letter to an address about a consultation; false when
// one was already sent.
func (s *Store) Notice(ctx context.Context, tx *db.Tx, munID int64, consultation, email string, now time.Time) (bool, error) {
	res, err := tx.Exec(ctx, `INSERT INTO reference_group_notices (municipality_id, consultation, email, sent_at) VALUES (?, ?, ?, ?)
 ON CONFLICT (municipality_id, consultation, email) DO NOTHING`, munID, consultation, email, now)
	if err != nil {
		return false, fmt.Errorf("record notice: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Sitemap rows: every group's page.
func (s *Store) pages(ctx context.Context, munID int64) ([]Group, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, updated_at FROM reference_groups WHERE municipality_id = ? ORDER BY id`, munID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Group
	for rows.Next() {
		var g Group
		if err := rows.Scan(&g.ID, &g.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}
