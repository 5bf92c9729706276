package appeals

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// Retention is a municipality's term of keeping appeals: Years after the
// answer, and whether the municipality set it (otherwise it is the
// portal's default from GLASNOST_RETENTION_APPEALS_YEARS, or 5).
type Retention struct {
	Years   int
	Own     bool
	Default int
}

// RetentionLaw is the sentence the settings page shows: why 5 years.
const RetentionLaw = "Обращения граждан хранятся 5 лет после ответа с отметкой «ЭПК» (экспертно-проверочная комиссия архива решает, что передать на постоянное хранение) по Перечню типовых управленческих архивных документов, утверждённому приказом Росархива от 20.12.2019 № 236; обращения со сведениями о серьёзных недостатках, злоупотреблениях и коррупции хранятся постоянно — их подлинники передаются в архив вне портала. По истечении срока персональные данные обезличиваются или уничтожаются (ч. 7 ст. 5 Федерального закона № 152-ФЗ)."

// retentionYearsOf reads the municipality's own term (0 when unset).
func (s *Store) retentionYearsOf(ctx context.Context, munID int64) (int, error) {
	var years sql.NullInt64
	err := s.DB.QueryRow(ctx, `SELECT retention_years FROM appeals_settings WHERE municipality_id = ?`, munID).Scan(&years)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !years.Valid) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read retention of appeals: %w", err)
	}
	return int(years.Int64), nil
}

// setRetentionYears stores the municipality's term; 0 returns it to the
// portal's default.
func (s *Store) setRetentionYears(ctx context.Context, tx *db.Tx, munID int64, years int) error {
	var v any
	if years > 0 {
		v = years
	}
	_, err := tx.Exec(ctx, `INSERT INTO appeals_settings (municipality_id, retention_years) VALUES (?, ?)
 ON CONFLICT (municipality_id) DO UPDATE SET retention_years = excluded.retention_years`, munID, v)
	if err != nil {
		return fmt.Errorf("save retention of appeals: %w", err)
	}
	return nil
}

// RetentionFor is the term that applies to the municipality.
func (a *Area) RetentionFor(ctx context.Context, munID int64) (Retention, error) {
	def := a.retentionYears
	if def == 0 {
		def = auth.DefaultAppealRetentionYears
	}
	own, err := a.store.retentionYearsOf(ctx, munID)
	if err != nil {
		return Retention{}, err
	}
	if own > 0 {
		return Retention{Years: own, Own: true, Default: def}, nil
	}
	return Retention{Years: def, Default: def}, nil
}

// retentionSave stores the administrator's term: a number of years from 1
// to 75, or empty for the portal's default.
func (a *Area) retentionSave(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	f, err := web.ParseForm(w, r, 4<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	years := 0
	if v := f.Get("retention_years"); v != "" {
		years, err = strconv.Atoi(v)
		if err != nil || years < 1 || years > 75 {
			f.Fail("retention_years", "Укажите срок хранения целым числом лет от 1 до 75 или оставьте поле пустым, чтобы действовал срок по умолчанию.")
			a.renderCalendar(w, r, http.StatusUnprocessableEntity, f)
			return
		}
	}
	before, err := a.RetentionFor(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.store.setRetentionYears(r.Context(), tx, m.ID, years); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "appeals_retention.updated", "appeals_settings", m.Slug, before.Years, years))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	after, err := a.RetentionFor(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, fmt.Sprintf("Срок хранения сохранён: %d %s после ответа. Обращения, ответ на которые дан раньше, будут обезличены при ближайшем ежедневном запуске задания.", after.Years, web.Plural(after.Years, "год", "года", "лет")))
	http.Redirect(w, r, "/admin/appeals/calendar#retention", http.StatusSeeOther)
}

// retentionYearsFor is the term the job applies to a municipality.
func (a *Area) retentionYearsFor(ctx context.Context, m tenant.Municipality) (int, error) {
	rt, err := a.RetentionFor(ctx, m.ID)
	return rt.Years, err
}
