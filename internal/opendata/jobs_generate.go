package opendata

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/jobs"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// GenerateArgs is the periodic job that regenerates the due datasets of
// every municipality from the areas' registers.
type GenerateArgs struct{}

// Kind names the job.
func (GenerateArgs) Kind() string { return "opendata_generate" }

type generateWorker struct {
	river.WorkerDefaults[GenerateArgs]
	area *Area
}

// Work regenerates what is due.
func (w *generateWorker) Work(ctx context.Context, _ *river.Job[GenerateArgs]) error {
	ms, err := w.area.Tenants.All(ctx)
	if err != nil {
		return fmt.Errorf("opendata generate: %w", err)
	}
	for _, m := range ms {
		if _, err := w.area.Generate(ctx, m, false); err != nil {
			return fmt.Errorf("opendata generate for %s: %w", m.Slug, err)
		}
	}
	return nil
}

// defaultEvery is the period of a source that does not state one.
const defaultEvery = 24 * time.Hour

// Result tells what a generation run did.
type Result struct {
	Checked, Published int
}

// Generate regenerates the municipality's generated datasets: every source
// when force is set, otherwise those whose period has passed since they
// were last checked. A new version is made only when the content changed.
func (a *Area) Generate(ctx context.Context, m tenant.Municipality, force bool) (Result, error) {
	return a.GenerateProgress(ctx, m, force, nil)
}

// GenerateProgress is Generate telling progress (done of total datasets)
// before each dataset and at the end; progress may be nil.
func (a *Area) GenerateProgress(ctx context.Context, m tenant.Municipality, force bool, progress func(done, total int)) (Result, error) {
	var res Result
	now := a.DB.Now()
	sources := a.Portal.Datasets()
	for i, src := range sources {
		if progress != nil {
			progress(i, len(sources))
		}
		n, checked, err := a.generateOne(ctx, m, src, now, force)
		if err != nil {
			return res, fmt.Errorf("dataset %s: %w", src.Code, err)
		}
		if checked {
			res.Checked++
		}
		res.Published += n
	}
	if progress != nil {
		progress(len(sources), len(sources))
	}
	return res, nil
}

// GenerateAllArgs is a regeneration of every dataset that a person started
// from the administration page; its progress shows on the task's page.
type GenerateAllArgs struct {
	TaskID         int64 `json:"task_id"`
	MunicipalityID int64 `json:"municipality_id"`
}

// Kind names the job.
func (GenerateAllArgs) Kind() string { return "opendata_generate_all" }

type generateAllWorker struct {
	river.WorkerDefaults[GenerateAllArgs]
	area *Area
}

// Work regenerates every dataset of the municipality, reporting progress to
// the task; a failure ends the task with a message rather than retrying
// behind the person's back.
func (w *generateAllWorker) Work(ctx context.Context, job *river.Job[GenerateAllArgs]) error {
	a, id := w.area, job.Args.TaskID
	ms, err := a.Tenants.All(ctx)
	if err != nil {
		return fmt.Errorf("opendata generate all: %w", err)
	}
	var m tenant.Municipality
	for _, x := range ms {
		if x.ID == job.Args.MunicipalityID {
			m = x
		}
	}
	if m.ID == 0 {
		_ = jobs.Fail(ctx, a.DB, id, "Муниципальное образование не найдено.")
		return river.JobCancel(fmt.Errorf("opendata generate all: municipality %d not found", job.Args.MunicipalityID))
	}
	res, err := a.GenerateProgress(ctx, m, true, func(done, total int) {
		if err := jobs.Progress(ctx, a.DB, id, done, total); err != nil {
			a.Log.WarnContext(ctx, "task progress", "err", err)
		}
	})
	if err != nil {
		a.Log.ErrorContext(ctx, "opendata generate all", "err", err)
		if ferr := jobs.Fail(ctx, a.DB, id, fmt.Sprintf("Наборы не сформированы: ошибка на наборе после %d опубликованных версий. Подробности — в журнале сервера; попробуйте ещё раз.", res.Published)); ferr != nil {
			return ferr
		}
		return river.JobCancel(err)
	}
	return jobs.Finish(ctx, a.DB, id, fmt.Sprintf("Проверено наборов: %d; опубликовано новых версий: %d.", res.Checked, res.Published), "/admin/opendata", "К списку наборов")
}

func (a *Area) generateOne(ctx context.Context, m tenant.Municipality, src portal.DatasetSource, now time.Time, force bool) (int, bool, error) {
	if !ValidCode(src.Code) {
		// A code its own addresses would refuse: published, it could never
		// be downloaded.
		return 0, false, fmt.Errorf("dataset code %q is not valid (lower-case Latin letters, digits and _)", src.Code)
	}
	d, err := a.Store.ByCode(ctx, a.DB, m.ID, src.Code)
	exists := err == nil
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return 0, false, err
	}
	every := src.Every
	if every <= 0 {
		every = defaultEvery
	}
	if exists && !force && !d.CheckedAt.IsZero() && now.Sub(d.CheckedAt) < every {
		changed, err := a.changedSince(ctx, m.ID, d.CheckedAt)
		if err != nil || !changed {
			return 0, false, err
		}
	}
	// Rows are read outside the write transaction: the sources query the
	// read pool.
	rows, err := src.Rows(ctx, m.ID)
	if err != nil {
		return 0, false, err
	}
	fields := FieldsFrom(src.Structure)
	for i, r := range rows {
		if len(r) != len(fields) {
			return 0, false, fmt.Errorf("row %d has %d values, the structure %d", i+1, len(r), len(fields))
		}
	}
	published := 0
	err = a.DB.InTx(ctx, func(tx *db.Tx) error {
		if !exists {
			d = Dataset{MunicipalityID: m.ID, Code: src.Code, Title: src.Title, Description: src.Description,
				Subject: strings.Join(src.Keywords, ", "), Creator: m.Name, Generated: true,
				UpdateDays: max(1, int((every+23*time.Hour)/(24*time.Hour))),
				Provenance: "Формируется автоматически из реестров портала открытости, новая версия публикуется при изменении данных."}
			if src.Department != "" {
				if dep, err := a.Tenants.DepartmentBySlug(ctx, m.ID, src.Department); err == nil {
					d.DepartmentID = dep.ID
				}
			}
			if err := a.Store.Create(ctx, tx, &d); err != nil {
				return err
			}
		}
		_, made, err := a.Store.Publish(ctx, tx, d, fields, rows, 0, m.Local(now))
		if err != nil {
			return err
		}
		if made {
			published++
		}
		return a.Store.MarkChecked(ctx, tx, d.ID, now)
	})
	return published, true, err
}

// changedSince reports whether another area recorded a public event (an act
// published, a consultation's stage changed, …) since t: the registers may
// have changed, so the datasets are regenerated before their period ends.
// Open data's own events do not count, or a dataset that counts them (the
// roadmap's) would regenerate itself.
func (a *Area) changedSince(ctx context.Context, munID int64, t time.Time) (bool, error) {
	es, err := events.List(ctx, a.DB, events.Query{MunicipalityID: munID, From: t, Limit: 500})
	if err != nil {
		return false, err
	}
	for _, e := range es {
		if e.Kind != events.DatasetPublished && e.Kind != events.DatasetVersionPublished {
			return true, nil
		}
	}
	return false, nil
}

// tasks shows staff the overdue datasets of their department (all of them
// to administrators).
func (a *Area) tasks(ctx context.Context, m tenant.Municipality, v *web.Viewer) ([]portal.Task, error) {
	if !v.Has(Staff...) {
		return nil, nil
	}
	list, err := a.Store.Overdue(ctx, a.DB, m.ID, a.DB.Now())
	if err != nil {
		return nil, err
	}
	n := 0
	for _, d := range list {
		if v.Has(auth.Administrator) || d.DepartmentID == 0 || d.DepartmentID == v.DepartmentID || d.ResponsibleID == v.ID {
			n++
		}
	}
	if n == 0 {
		return nil, nil
	}
	return []portal.Task{{Label: "Наборы открытых данных не обновлены в срок", Count: n, Href: "/admin/opendata?overdue=1", Overdue: true}}, nil
}

// ReminderArgs is the weekly reminder of overdue datasets.
type ReminderArgs struct{}

// Kind names the job.
func (ReminderArgs) Kind() string { return "opendata_reminders" }

type reminderWorker struct {
	river.WorkerDefaults[ReminderArgs]
	area *Area
}

// Work reminds in every municipality.
func (w *reminderWorker) Work(ctx context.Context, _ *river.Job[ReminderArgs]) error {
	ms, err := w.area.Tenants.All(ctx)
	if err != nil {
		return fmt.Errorf("opendata reminders: %w", err)
	}
	for _, m := range ms {
		if _, err := w.area.SendReminders(ctx, m); err != nil {
			return fmt.Errorf("opendata reminders for %s: %w", m.Slug, err)
		}
	}
	return nil
}

// SendReminders mails, once a week per dataset, the responsible official of
// each overdue dataset (or, without one, the editors of its department) and
// returns how many messages it queued.
func (a *Area) SendReminders(ctx context.Context, m tenant.Municipality) (int, error) {
	now := a.DB.Now()
	y, wk := m.Local(now).ISOWeek()
	week := fmt.Sprintf("%d-W%02d", y, wk)
	list, err := a.Store.Overdue(ctx, a.DB, m.ID, now)
	if err != nil {
		return 0, err
	}
	st, err := a.Store.Settings(ctx, a.DB, m.ID)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, d := range list {
		au := auth.Audience{IDs: []int64{d.ResponsibleID}}
		if d.ResponsibleID == 0 {
			if d.DepartmentID == 0 {
				continue
			}
			au = auth.Audience{Departments: []int64{d.DepartmentID}, Roles: []string{auth.Editor}}
		}
		err := a.DB.InTx(ctx, func(tx *db.Tx) error {
			done, err := a.Store.ReminderSent(ctx, tx, d.ID, week)
			if err != nil || done {
				return err
			}
			rs, err := a.People.Recipients(ctx, tx, m.ID, au)
			if err != nil {
				return err
			}
			last := "ни одной версии"
			if !d.LastVersionAt.IsZero() {
				last = m.Local(d.LastVersionAt).Format("02.01.2006")
			}
			for _, addr := range auth.Emails(rs) {
				data := map[string]any{"Municipality": m.Name, "Title": d.Title, "Identifier": Identifier(st.INN, d.Code),
					"Days": d.UpdateDays, "Last": last, "URL": fmt.Sprintf("/admin/opendata/%d", d.ID)}
				if err := a.Mailer.Queue(ctx, tx, addr, "opendata_overdue.txt", data); err != nil {
					return err
				}
				sent++
			}
			return nil
		})
		if err != nil {
			return sent, fmt.Errorf("remind of dataset %s: %w", d.Code, err)
		}
	}
	return sent, nil
}
