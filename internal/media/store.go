package media

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/web"
)

// ErrDuplicate is a second plan for the same year.
var ErrDuplicate = web.Invalid("Медиаплан на этот год уже есть.")

const planCols = `p.id, p.year, p.title, p.act_number, p.act_date, p.act_url, p.approved_at,
	(SELECT COUNT(*) FROM media_plan_items i WHERE i.plan_id = p.id)`

func scanPlan(s interface{ Scan(...any) error }) (Plan, error) {
	var p Plan
	var at sql.NullTime
	if err := s.Scan(&p.ID, &p.Year, &p.Title, &p.ActNumber, &p.ActDate, &p.ActURL, &at, &p.Items); err != nil {
		return p, err
	}
	if at.Valid {
		t := at.Time.UTC()
		p.ApprovedAt = &t
	}
	return p, nil
}

// Plans lists a municipality's plans, newest year first.
func Plans(ctx context.Context, q db.Querier, munID int64) ([]Plan, error) {
	rows, err := q.Query(ctx, `SELECT `+planCols+` FROM media_plans p WHERE p.municipality_id = ? ORDER BY p.year DESC`, munID)
	if err != nil {
		return nil, fmt.Errorf("media plans: %w", err)
	}
	defer rows.Close()
	var out []Plan
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// GetPlan reads one plan.
func GetPlan(ctx context.Context, q db.Querier, munID, id int64) (Plan, error) {
	p, err := scanPlan(q.QueryRow(ctx, `SELECT `+planCols+` FROM media_plans p WHERE p.municipality_id = ? AND p.id = ?`, munID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, db.ErrNotFound
	}
	return p, err
}

// PlanOfYear reads the plan of a year.
func PlanOfYear(ctx context.Context, q db.Querier, munID int64, year int) (Plan, error) {
	p, err := scanPlan(q.QueryRow(ctx, `SELECT `+planCols+` FROM media_plans p WHERE p.municipality_id = ? AND p.year = ?`, munID, year))
	if errors.Is(err, sql.ErrNoRows) {
		return p, db.ErrNotFound
	}
	return p, err
}

// CreatePlan adds an empty plan.
func CreatePlan(ctx context.Context, tx *db.Tx, munID int64, p *Plan, now time.Time) error {
	id, err := db.InsertID(ctx, tx, `INSERT INTO media_plans (municipality_id, year, title, act_number, act_date, act_url, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		munID, p.Year, p.Title, p.ActNumber, p.ActDate, p.ActURL, now, now)
	if db.IsUniqueViolation(err) {
		return ErrDuplicate
	}
	if err != nil {
		return fmt.Errorf("create media plan: %w", err)
	}
	p.ID = id
	return nil
}

// UpdatePlan saves a plan's header.
func UpdatePlan(ctx context.Context, tx *db.Tx, munID int64, p Plan, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE media_plans SET title = ?, act_number = ?, act_date = ?, act_url = ?, approved_at = ?, updated_at = ? WHERE municipality_id = ? AND id = ?`,
		p.Title, p.ActNumber, p.ActDate, p.ActURL, p.ApprovedAt, now, munID, p.ID)
	return err
}

const itemCols = `i.id, i.plan_id, i.topic, i.channel, i.week_start, i.planned_date, COALESCE(i.department_id, 0), COALESCE(d.name, ''),
	i.material, i.status, i.status_reason, i.moved_to, i.publication_url, i.publication_title`

const itemFrom = ` FROM media_plan_items i LEFT JOIN departments d ON d.id = i.department_id `

func scanItem(s interface{ Scan(...any) error }) (Item, error) {
	var it Item
	err := s.Scan(&it.ID, &it.PlanID, &it.Topic, &it.Channel, &it.WeekStart, &it.PlannedDate, &it.DepartmentID, &it.Department,
		&it.Material, &it.Status, &it.StatusReason, &it.MovedTo, &it.PublicationURL, &it.PublicationTitle)
	return it, err
}

func queryItems(ctx context.Context, q db.Querier, query string, args ...any) ([]Item, error) {
	rows, err := q.Query(ctx, `SELECT `+itemCols+itemFrom+query, args...)
	if err != nil {
		return nil, fmt.Errorf("media plan items: %w", err)
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// PlanItems lists one page of a plan's items in order of their week.
func PlanItems(ctx context.Context, q db.Querier, munID, planID int64, limit, offset int) ([]Item, int, error) {
	var total int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM media_plan_items WHERE municipality_id = ? AND plan_id = ?`, munID, planID).Scan(&total); err != nil {
		return nil, 0, err
	}
	items, err := queryItems(ctx, q, `WHERE i.municipality_id = ? AND i.plan_id = ? ORDER BY i.week_start, i.planned_date, i.id LIMIT ? OFFSET ?`, munID, planID, limit, offset)
	return items, total, err
}

// WeekItems lists the items planned for the week starting on monday.
func WeekItems(ctx context.Context, q db.Querier, munID int64, monday string) ([]Item, error) {
	return queryItems(ctx, q, `WHERE i.municipality_id = ? AND i.week_start = ? ORDER BY i.planned_date, i.id`, munID, monday)
}

// GetItem reads one item.
func GetItem(ctx context.Context, q db.Querier, munID, id int64) (Item, error) {
	it, err := scanItem(q.QueryRow(ctx, `SELECT `+itemCols+itemFrom+`WHERE i.municipality_id = ? AND i.id = ?`, munID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return it, db.ErrNotFound
	}
	return it, err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// SaveItem inserts (ID 0) or updates an item's planned fields.
func SaveItem(ctx context.Context, tx *db.Tx, munID int64, it *Item, now time.Time) error {
	if it.ID == 0 {
		id, err := db.InsertID(ctx, tx, `INSERT INTO media_plan_items (municipality_id, plan_id, topic, channel, week_start, planned_date, department_id, material, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, munID, it.PlanID, it.Topic, it.Channel, it.WeekStart, it.PlannedDate, nullID(it.DepartmentID), it.Material, now, now)
		if err != nil {
			return fmt.Errorf("add media plan item: %w", err)
		}
		it.ID = id
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE media_plan_items SET topic = ?, channel = ?, week_start = ?, planned_date = ?, department_id = ?, material = ?, updated_at = ?
		WHERE municipality_id = ? AND id = ?`, it.Topic, it.Channel, it.WeekStart, it.PlannedDate, nullID(it.DepartmentID), it.Material, now, munID, it.ID)
	return err
}

// SetItemControl saves the weekly control's mark of an item.
func SetItemControl(ctx context.Context, tx *db.Tx, munID int64, it Item, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE media_plan_items SET status = ?, status_reason = ?, moved_to = ?, publication_url = ?, publication_title = ?, updated_at = ?
		WHERE municipality_id = ? AND id = ?`, it.Status, it.StatusReason, it.MovedTo, it.PublicationURL, it.PublicationTitle, now, munID, it.ID)
	return err
}

// DeleteItem removes an item.
func DeleteItem(ctx context.Context, tx *db.Tx, munID, id int64) error {
	_, err := tx.Exec(ctx, `DELETE FROM media_plan_items WHERE municipality_id = ? AND id = ?`, munID, id)
	return err
}
