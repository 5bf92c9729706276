package auth

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"golang.org/x/crypto/bcrypt"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/web"
)

// Detacher removes what an area links to an account that is being
// deleted, in the deletion's transaction (appeals keep their term without
// the account link).
type Detacher func(ctx context.Context, tx *db.Tx, accountID int64) error

// OnDelete adds a detacher; areas call it from New, before serving.
func (s *Store) OnDelete(f Detacher) { s.detachers = append(s.detachers, f) }

// ErrStaffAccount refuses the deletion of a staff account by its owner.
var ErrStaffAccount = web.Invalid("Учётную запись сотрудника удаляет или отключает администратор портала.")

// DeletedEmail is the placeholder address of a deleted account: unique,
// not a mailbox, no trace of the old address.
func DeletedEmail(id int64) string {
	return "deleted-" + strconv.FormatInt(id, 10) + "@deleted.invalid"
}

// Delete erases an account's personal data in tx (152-FZ art. 21 part 5):
// the name, the address and the password go, and with them roles, tokens,
// subscriptions and consents; the row stays as an empty, disabled stub so
// that records that must outlive it (appeals for their term, the audit log)
// keep their integrity. Every area's detacher runs in the same
// transaction. A signed-in session of the account is refused from then on
// (the middleware admits only enabled accounts).
func (s *Store) Delete(ctx context.Context, tx *db.Tx, id int64) error {
	for _, q := range []string{
		`DELETE FROM account_roles WHERE account_id = ?`,
		`DELETE FROM api_tokens WHERE account_id = ?`,
		`DELETE FROM email_tokens WHERE account_id = ?`,
		`DELETE FROM subscriptions WHERE account_id = ?`,
		`DELETE FROM account_consents WHERE account_id = ?`,
		`DELETE FROM account_identities WHERE account_id = ?`,
	} {
		if _, err := tx.Exec(ctx, q, id); err != nil {
			return fmt.Errorf("delete account %d: %w", id, err)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE accounts SET email = ?, full_name = '', password_hash = '!', department_id = NULL, confirmed_at = NULL, disabled = TRUE, identity_level = 'email' WHERE id = ?`,
		DeletedEmail(id), id); err != nil {
		return fmt.Errorf("delete account %d: %w", id, err)
	}
	for _, f := range s.detachers {
		if err := f(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

func (h *Handlers) deleteForm(w http.ResponseWriter, r *http.Request) {
	h.Renderer.Page(w, r, http.StatusOK, "auth/delete", "Удаление учётной записи", web.NewForm(nil))
}

func (h *Handlers) deleteAccount(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, 4<<10)
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	v := web.ViewerFrom(r.Context())
	m := web.Municipality(r)
	if slices.ContainsFunc(v.Roles, func(role string) bool { return slices.Contains(Staff, role) }) {
		f.Fail("confirm", ErrStaffAccount.Error())
	}
	if f.Values.Get("confirm") != "yes" {
		f.Fail("confirm", "Отметьте, что вы понимаете: учётная запись будет удалена без возможности восстановления.")
	}
	if f.Valid() {
		a, err := h.Store.ByID(r.Context(), m.ID, v.ID)
		if err != nil {
			h.Errors.Render(w, r, err)
			return
		}
		// An account made by signing in through a provider has no password:
		// its signed-in session is the proof.
		if a.HasPassword() && bcrypt.CompareHashAndPassword([]byte(a.passwordHash), []byte(f.Values.Get("password"))) != nil {
			f.Fail("password", "Пароль неверен.")
		}
	}
	if !f.Valid() {
		f.Values.Del("password")
		h.Renderer.Page(w, r, http.StatusUnprocessableEntity, "auth/delete", "Удаление учётной записи", f)
		return
	}
	err = h.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := h.Store.Delete(r.Context(), tx, v.ID); err != nil {
			return err
		}
		// The record names the account by id only: no personal data.
		e := audit.FromRequest(r, "account.delete", "account", strconv.FormatInt(v.ID, 10), nil, map[string]string{"by": "owner"})
		e.Actor = "Владелец учётной записи"
		return audit.Write(r.Context(), tx, h.DB.Now(), e)
	})
	if err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	if err := h.Sessions.Destroy(r.Context()); err != nil {
		h.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(h.Sessions, r, "Учётная запись удалена, согласие на обработку персональных данных отозвано. Ваши обращения хранятся в течение установленного срока без связи с учётной записью.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
