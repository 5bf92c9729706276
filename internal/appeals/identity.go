package appeals

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/web"
)

// The author's identity level at submission of an electronic appeal is
// recorded with it (auth.IdentityEmail or auth.IdentityVerified), so that
// staff see whether a provider confirmed who wrote it. A municipality may
// accept electronic appeals only from residents with a verified identity
// (547-FZ: an electronic appeal through the unified portal or with the
// author identified by ЕСИА).

// ErrIdentityRequired is told to a resident whose identity is not verified
// when the municipality requires it; the form keeps what they typed.
const ErrIdentityRequired = "Администрация принимает электронные обращения только от жителей, чья личность подтверждена (Федеральный закон № 547-ФЗ). " +
	"Войдите на портал через Госуслуги / единую учётную запись: на странице входа нажмите кнопку входа через Госуслуги или привяжите этот вход в личном кабинете (раздел «Вход через Госуслуги»). " +
	"Текст обращения сохранён в форме — после входа отправьте его снова. Можно также направить обращение письмом или принести его лично."

var identityFuncs = template.FuncMap{
	"appealIdentity":         IdentityLabel,
	"appealIdentityMark":     identityMark,
	"appealIdentityRequired": func() string { return ErrIdentityRequired },
}

// IdentityLabel names an appeal's identity level for staff.
func IdentityLabel(level string) string {
	switch level {
	case auth.IdentityVerified:
		return "личность подтверждена через Госуслуги / единую учётную запись"
	case auth.IdentityEmail:
		return "не подтверждена: вход по адресу электронной почты"
	}
	return ""
}

// identityMark is the short mark of the level in the staff list.
func identityMark(level string) string {
	switch level {
	case auth.IdentityVerified:
		return "подтверждена"
	case auth.IdentityEmail:
		return "не подтверждена"
	}
	return "—"
}

func identityOf(v *web.Viewer) string {
	if v != nil && v.IdentityVerified {
		return auth.IdentityVerified
	}
	return auth.IdentityEmail
}

// RequireVerified reports whether the municipality accepts electronic
// appeals only from residents with a verified identity.
func (s *Store) RequireVerified(ctx context.Context, munID int64) (bool, error) {
	var on bool
	err := s.DB.QueryRow(ctx, `SELECT require_verified FROM appeals_settings WHERE municipality_id = ?`, munID).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read appeals settings: %w", err)
	}
	return on, nil
}

// SetRequireVerified changes the municipality's choice in tx.
func (s *Store) SetRequireVerified(ctx context.Context, tx *db.Tx, munID int64, on bool) error {
	if _, err := tx.Exec(ctx, `INSERT INTO appeals_settings (municipality_id, require_verified) VALUES (?, ?)
 ON CONFLICT (municipality_id) DO UPDATE SET require_verified = excluded.require_verified`, munID, on); err != nil {
		return fmt.Errorf("save appeals settings: %w", err)
	}
	return nil
}

// setIdentity records the author's identity level on a new appeal in tx.
func (s *Store) setIdentity(ctx context.Context, tx *db.Tx, id int64, level string) error {
	if _, err := tx.Exec(ctx, `UPDATE appeals SET identity_level = ? WHERE id = ?`, level, id); err != nil {
		return fmt.Errorf("record identity level: %w", err)
	}
	return nil
}

// identityRefused reports whether the viewer may not submit an electronic
// appeal because the municipality requires a verified identity.
func (a *Area) identityRefused(r *http.Request) (bool, error) {
	v := web.ViewerFrom(r.Context())
	if v != nil && v.IdentityVerified {
		return false, nil
	}
	return a.store.RequireVerified(r.Context(), web.Municipality(r).ID)
}

func (a *Area) settingsPage(w http.ResponseWriter, r *http.Request) {
	on, err := a.store.RequireVerified(r.Context(), web.Municipality(r).ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "appeals/settings", "Настройки приёма обращений", map[string]any{"RequireVerified": on})
}

func (a *Area) settingsSave(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, 4<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	before, err := a.store.RequireVerified(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	on := f.Get("require_verified") == "yes"
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.store.SetRequireVerified(r.Context(), tx, m.ID, on); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "appeals_settings.require_verified", "appeals_settings", m.Slug, strconv.FormatBool(before), strconv.FormatBool(on)))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	msg := "Сохранено: электронные обращения принимаются от всех зарегистрированных жителей."
	if on {
		msg = "Сохранено: электронные обращения принимаются только от жителей с подтверждённой личностью."
	}
	web.SetFlash(a.Sessions, r, msg)
	http.Redirect(w, r, "/admin/appeals/settings", http.StatusSeeOther)
}
