// Package audit records every state change made by staff — who, when, what,
// before and after — and lets administrators browse the record.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// Entry is one recorded change. Before and After are any JSON-encodable
// values; callers leave out fields that must not be copied (passwords).
type Entry struct {
	MunicipalityID int64
	AccountID      int64
	Actor          string
	Action         string
	Entity         string
	EntityID       string
	Before, After  any
}

// Record is one stored entry.
type Record struct {
	ID        int64
	Actor     string
	Action    string
	Entity    string
	EntityID  string
	Before    string
	After     string
	CreatedAt time.Time
}

func encode(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	if s, ok := v.(string); ok {
		return s, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode audit state: %w", err)
	}
	return string(b), nil
}

// Write stores e in the caller's transaction, so the record exists exactly
// when the change does.
func Write(ctx context.Context, q db.Querier, now time.Time, e Entry) error {
	before, err := encode(e.Before)
	if err != nil {
		return err
	}
	after, err := encode(e.After)
	if err != nil {
		return err
	}
	var account any
	if e.AccountID != 0 {
		account = e.AccountID
	}
	_, err = q.Exec(ctx, `INSERT INTO audit_log (municipality_id, account_id, actor, action, entity, entity_id, before_state, after_state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.MunicipalityID, account, e.Actor, e.Action, e.Entity, e.EntityID, before, after, now)
	if err != nil {
		return fmt.Errorf("write audit log: %w", err)
	}
	return nil
}

// FromRequest fills the actor fields of an entry from the request.
func FromRequest(r *http.Request, action, entity, entityID string, before, after any) Entry {
	m, _ := tenant.FromContext(r.Context())
	e := Entry{MunicipalityID: m.ID, Action: action, Entity: entity, EntityID: entityID, Before: before, After: after, Actor: "система"}
	if v := web.ViewerFrom(r.Context()); v != nil {
		e.AccountID, e.Actor = v.ID, v.Email
	}
	return e
}

// Filter narrows the browse view.
type Filter struct {
	Actor  string
	Entity string
	Action string
	From   time.Time
	To     time.Time
}

// List returns one page of a municipality's records, newest first, and the total.
func List(ctx context.Context, d *db.DB, munID int64, f Filter, limit, offset int) ([]Record, int, error) {
	where := `WHERE municipality_id = ?`
	args := []any{munID}
	if f.Actor != "" {
		where += ` AND actor LIKE ? ESCAPE '\'`
		args = append(args, db.Like(f.Actor))
	}
	if f.Entity != "" {
		where += ` AND entity = ?`
		args = append(args, f.Entity)
	}
	if f.Action != "" {
		where += ` AND action = ?`
		args = append(args, f.Action)
	}
	if !f.From.IsZero() {
		where += ` AND created_at >= ?`
		args = append(args, f.From)
	}
	if !f.To.IsZero() {
		where += ` AND created_at < ?`
		args = append(args, f.To)
	}
	var total int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count audit log: %w", err)
	}
	rows, err := d.Query(ctx, `SELECT id, actor, action, entity, entity_id, before_state, after_state, created_at FROM audit_log `+where+` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list audit log: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		if err := rows.Scan(&r.ID, &r.Actor, &r.Action, &r.Entity, &r.EntityID, &r.Before, &r.After, &r.CreatedAt); err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// Handlers serves the administrators' browse page.
type Handlers struct {
	DB       *db.DB
	Renderer *web.Renderer
	Errors   *web.Errors
	// AdminRole is the role allowed to browse.
	AdminRole string
}

// Mount registers the route.
func (h *Handlers) Mount(rt *web.Router) {
	rt.HandleFunc("GET /admin/audit", web.Roles(h.AdminRole), h.browse)
}

func (h *Handlers) browse(w http.ResponseWriter, r *http.Request) {
	m, _ := tenant.FromContext(r.Context())
	q := r.URL.Query()
	f := Filter{Actor: q.Get("actor"), Entity: q.Get("entity"), Action: q.Get("action")}
	if t, err := time.ParseInLocation("2006-01-02", q.Get("from"), m.Location); err == nil {
		f.From = t.UTC()
	}
	if t, err := time.ParseInLocation("2006-01-02", q.Get("to"), m.Location); err == nil {
		f.To = t.AddDate(0, 0, 1).UTC()
	}
	p := web.NewPager(r.URL, 50)
	recs, total, err := List(r.Context(), h.DB, m.ID, f, p.PerPage, p.Offset())
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	h.Renderer.Page(w, r, http.StatusOK, "audit/list", "Журнал действий", map[string]any{
		"Records": recs, "Pager": p, "Filter": q, "Total": strconv.Itoa(total),
	})
}
