package site

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/tenant"
)

// CatalogueRemindersArgs is the periodic job that reminds owners of overdue
// catalogue items. It runs hourly and mails each department at most once per
// ReminderEvery, remembering when it did in the database, so that restarts
// neither skip nor repeat a week.
type CatalogueRemindersArgs struct{}

// Kind names the job.
func (CatalogueRemindersArgs) Kind() string { return "site_catalogue_reminders" }

type reminderWorker struct {
	river.WorkerDefaults[CatalogueRemindersArgs]
	area *Area
}

func (w *reminderWorker) Work(ctx context.Context, _ *river.Job[CatalogueRemindersArgs]) error {
	_, err := w.area.SendReminders(ctx)
	return err
}

// withStatus fills each item's status for the municipality's today.
func (a *Area) withStatus(ctx context.Context, m tenant.Municipality, items []CatalogueItem) ([]CatalogueItem, error) {
	cal, err := a.Calendars.For(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	today := deadline.DateOf(m.Local(a.DB.Now()))
	for i := range items {
		it := &items[i]
		it.Status = Status(it.Rule, it.RuleDays, it.UpdatedOn, it.ChangedOn, today, cal)
	}
	return items, nil
}

// OverdueByDepartment groups a municipality's overdue items by owner.
func (a *Area) OverdueByDepartment(ctx context.Context, m tenant.Municipality) (map[int64][]CatalogueItem, error) {
	items, err := a.Store.Catalogue(ctx, m.ID, nil)
	if err != nil {
		return nil, err
	}
	if items, err = a.withStatus(ctx, m, items); err != nil {
		return nil, err
	}
	out := map[int64][]CatalogueItem{}
	for _, it := range items {
		if it.Status.Overdue && it.DepartmentID != 0 {
			out[it.DepartmentID] = append(out[it.DepartmentID], it)
		}
	}
	return out, nil
}

// SendReminders queues the weekly letters and returns how many it queued.
func (a *Area) SendReminders(ctx context.Context) (int, error) {
	if a.Mailer == nil || a.Tenants == nil {
		return 0, nil
	}
	ms, err := a.Tenants.All(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	now := a.DB.Now()
	for _, m := range ms {
		byDept, err := a.OverdueByDepartment(ctx, m)
		if err != nil {
			return sent, err
		}
		for deptID, items := range byDept {
			n, err := a.remindDepartment(ctx, m, deptID, items, now)
			if err != nil {
				return sent, fmt.Errorf("remind department %d: %w", deptID, err)
			}
			sent += n
		}
	}
	return sent, nil
}

func (a *Area) remindDepartment(ctx context.Context, m tenant.Municipality, deptID int64, items []CatalogueItem, now time.Time) (int, error) {
	last, err := a.Store.LastReminder(ctx, a.DB, m.ID, deptID)
	if err != nil {
		return 0, err
	}
	if !last.IsZero() && now.Sub(last) < a.ReminderEvery {
		return 0, nil
	}
	editors, err := a.People.Recipients(ctx, a.DB, m.ID, auth.Audience{Departments: []int64{deptID}, Roles: []string{auth.Editor}})
	if err != nil || len(editors) == 0 {
		return 0, err
	}
	type line struct{ Code, Title, Rule, Reason string }
	var lines []line
	for _, it := range items {
		lines = append(lines, line{it.Code, it.Title, RuleText(it.Rule, it.RuleDays), it.Status.Reason})
	}
	err = a.DB.InTx(ctx, func(tx *db.Tx) error {
		for _, e := range editors {
			data := map[string]any{"Name": e.Name, "Department": items[0].Department, "Items": lines, "Count": len(lines)}
			if err := a.Mailer.Queue(ctx, tx, e.Email, "site_catalogue_reminder", data); err != nil {
				return err
			}
		}
		return a.Store.SetReminder(ctx, tx, m.ID, deptID, now)
	})
	if err != nil {
		return 0, err
	}
	return len(editors), nil
}
