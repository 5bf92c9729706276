package polls

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/web"
)

// The states of a resident's «что добавить на сайт» suggestion (the site's
// page rating, table site_feedback, read only). A suggestion without a row
// in poll_wishes is new.
const (
	WishNew      = "new"
	WishAccepted = "accepted"
	WishDeclined = "declined"
	WishAnswered = "answered"
)

// WishLabel names a state in Russian.
func WishLabel(s string) string {
	switch s {
	case WishAccepted:
		return "включено в план развития сайта"
	case WishDeclined:
		return "отклонено"
	case WishAnswered:
		return "дан ответ"
	}
	return "новое"
}

// Wish is one suggestion with its handling.
type Wish struct {
	ID        int64
	Path      string
	Text      string
	Status    string
	Reason    string
	CreatedAt time.Time
	HandledAt time.Time
}

// WishCounts are the suggestions by state.
type WishCounts struct{ New, Accepted, Declined, Answered int }

// Total is every suggestion.
func (c WishCounts) Total() int { return c.New + c.Accepted + c.Declined + c.Answered }

// WishCounts counts the municipality's suggestions by state.
func (a *Area) WishCounts(ctx context.Context, munID int64) (WishCounts, error) {
	var c WishCounts
	rows, err := a.DB.Query(ctx, `SELECT COALESCE(w.status, 'new'), COUNT(*) FROM site_feedback f LEFT JOIN poll_wishes w ON w.feedback_id = f.id
		WHERE f.municipality_id = ? AND f.suggestion <> '' GROUP BY COALESCE(w.status, 'new')`, munID)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return c, err
		}
		switch s {
		case WishAccepted:
			c.Accepted = n
		case WishDeclined:
			c.Declined = n
		case WishAnswered:
			c.Answered = n
		default:
			c.New += n
		}
	}
	return c, rows.Err()
}

// Wishes lists a page of suggestions in a state, oldest first for new ones
// and latest handled first otherwise.
func (a *Area) Wishes(ctx context.Context, munID int64, status string, limit, offset int) ([]Wish, int, error) {
	w := `f.municipality_id = ? AND f.suggestion <> '' AND COALESCE(w.status, 'new') = ?`
	args := []any{munID, status}
	var total int
	if err := a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM site_feedback f LEFT JOIN poll_wishes w ON w.feedback_id = f.id WHERE `+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	order := `f.id`
	if status != WishNew {
		order = `w.handled_at DESC, f.id`
	}
	rows, err := a.DB.Query(ctx, `SELECT f.id, f.path, f.suggestion, COALESCE(w.status, 'new'), COALESCE(w.reason, ''), f.created_at, w.handled_at
		FROM site_feedback f LEFT JOIN poll_wishes w ON w.feedback_id = f.id WHERE `+w+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Wish
	for rows.Next() {
		var x Wish
		var handled sql.NullTime
		if err := rows.Scan(&x.ID, &x.Path, &x.Text, &x.Status, &x.Reason, &x.CreatedAt, &handled); err != nil {
			return nil, 0, err
		}
		if handled.Valid {
			x.HandledAt = handled.Time
		}
		out = append(out, x)
	}
	return out, total, rows.Err()
}

// HandleWish records an editor's decision on a suggestion, with its audit
// record, in one transaction.
func (a *Area) HandleWish(ctx context.Context, munID, id int64, status, reason string, entry audit.Entry) error {
	return a.DB.InTx(ctx, func(tx *db.Tx) error {
		var text, before string
		err := tx.QueryRow(ctx, `SELECT f.suggestion, COALESCE(w.status, 'new') FROM site_feedback f LEFT JOIN poll_wishes w ON w.feedback_id = f.id WHERE f.municipality_id = ? AND f.id = ? AND f.suggestion <> ''`, munID, id).Scan(&text, &before)
		if errors.Is(err, sql.ErrNoRows) {
			return db.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM poll_wishes WHERE feedback_id = ?`, id); err != nil {
			return err
		}
		var by any
		if entry.AccountID != 0 {
			by = entry.AccountID
		}
		if _, err := tx.Exec(ctx, `INSERT INTO poll_wishes (feedback_id, municipality_id, status, reason, handled_by, handled_at) VALUES (?, ?, ?, ?, ?, ?)`, id, munID, status, reason, by, a.DB.Now()); err != nil {
			return err
		}
		entry.MunicipalityID, entry.Entity, entry.EntityID = munID, "site_feedback", strconv.FormatInt(id, 10)
		entry.Before = map[string]any{"status": before}
		entry.After = map[string]any{"status": status, "reason": reason}
		return audit.Write(ctx, tx, a.DB.Now(), entry)
	})
}

type wishesData struct {
	Status string
	Counts WishCounts
	Wishes []Wish
	Pager  *web.Pager
	Form   *web.Form
	FormID int64
	Tabs   []string
}

func (a *Area) renderWishes(w http.ResponseWriter, r *http.Request, status int, tab string, f *web.Form, formID int64) {
	m := web.Municipality(r)
	pg := web.NewPager(r.URL, 30)
	list, total, err := a.Wishes(r.Context(), m.ID, tab, pg.PerPage, pg.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	pg.SetTotal(total)
	c, err := a.WishCounts(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, status, "polls/wishes", "Что добавить на сайт: предложения жителей", wishesData{Status: tab, Counts: c, Wishes: list, Pager: pg, Form: f, FormID: formID,
		Tabs: []string{WishNew, WishAccepted, WishAnswered, WishDeclined}})
}

func wishTab(s string) string {
	switch s {
	case WishAccepted, WishDeclined, WishAnswered:
		return s
	}
	return WishNew
}

func (a *Area) wishes(w http.ResponseWriter, r *http.Request) {
	a.renderWishes(w, r, http.StatusOK, wishTab(r.URL.Query().Get("status")), nil, 0)
}

func (a *Area) handleWish(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f, err := web.ParseForm(w, r, 16<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	status := f.Get("status")
	reason := f.Get("reason")
	field := fmt.Sprintf("reason-%d", id)
	f.Values.Set(field, reason)
	switch status {
	case WishAccepted, WishAnswered:
	case WishDeclined:
		if reason == "" {
			f.Fail(field, "Укажите причину отказа: её увидит редакция при разборе предложений.")
		}
	default:
		f.Fail(field, "Выберите решение.")
	}
	f.MaxLen(field, "Причина", 1000)
	if !f.Valid() {
		a.renderWishes(w, r, http.StatusUnprocessableEntity, WishNew, f, id)
		return
	}
	entry := audit.FromRequest(r, "polls.wish."+status, "", "", nil, nil)
	if err := a.HandleWish(r.Context(), web.Municipality(r).ID, id, status, reason, entry); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Предложение: "+WishLabel(status)+".")
	http.Redirect(w, r, "/admin/polls/wishes", http.StatusSeeOther)
}
