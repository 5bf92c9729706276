package roadmap

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/tenant"
)

// ReminderArgs is the daily job that reminds responsible departments of
// deadlines coming up.
type ReminderArgs struct{}

// Kind names the job.
func (ReminderArgs) Kind() string { return "roadmap_reminders" }

type reminderWorker struct {
	river.WorkerDefaults[ReminderArgs]
	area *Area
}

// Work sends the reminders due today in every municipality.
func (w *reminderWorker) Work(ctx context.Context, _ *river.Job[ReminderArgs]) error {
	ms, err := w.area.Tenants.All(ctx)
	if err != nil {
		return fmt.Errorf("roadmap reminders: %w", err)
	}
	for _, m := range ms {
		if _, err := w.area.SendReminders(ctx, m); err != nil {
			return fmt.Errorf("roadmap reminders for %s: %w", m.Slug, err)
		}
	}
	return nil
}

// SendReminders mails the staff of the departments responsible for each
// measure whose next due date is within the lead time and not yet met, once
// per measure and due date, and returns how many messages it queued.
// Measures whose units map to no department have nobody to remind; the
// units page shows them to administrators.
func (a *Area) SendReminders(ctx context.Context, m tenant.Municipality) (int, error) {
	today := a.today(m)
	sent := 0
	for page := 0; ; page++ {
		plans, _, err := a.Store.List(ctx, m.ID, 50, page*50)
		if err != nil {
			return sent, err
		}
		if len(plans) == 0 {
			return sent, nil
		}
		for _, head := range plans {
			p, err := a.Store.Progress(ctx, m.ID, head.ID, m.Location, today)
			if err != nil {
				return sent, err
			}
			n, err := a.remindPlan(ctx, m, p, today)
			sent += n
			if err != nil {
				return sent, err
			}
		}
	}
}

func (a *Area) remindPlan(ctx context.Context, m tenant.Municipality, p Plan, today time.Time) (int, error) {
	sent := 0
	for _, mech := range p.Mechanisms {
		for _, ms := range mech.Measures {
			due, ok := DueSoon(ms.Schedule, ms.Progress, today, a.ReminderLead)
			if !ok {
				continue
			}
			var depts []int64
			for _, u := range ms.Units {
				if u.DepartmentID != 0 {
					depts = append(depts, u.DepartmentID)
				}
			}
			if len(depts) == 0 {
				continue
			}
			err := a.DB.InTx(ctx, func(tx *db.Tx) error {
				done, err := a.Store.ReminderSent(ctx, tx, ms.ID, due)
				if err != nil || done {
					return err
				}
				rs, err := a.People.Recipients(ctx, tx, m.ID, auth.Audience{Departments: depts})
				if err != nil {
					return err
				}
				for _, addr := range auth.Emails(rs) {
					data := map[string]any{
						"Municipality": m.Name, "Plan": p.Title, "Number": ms.Number, "Text": ms.Text, "Schedule": ms.Schedule.Text,
						"Due": due.Format("02.01.2006"), "Days": int(due.Sub(today).Hours() / 24), "Status": ms.Progress.Status.Label(),
						"Count": ms.Progress.Count, "Required": ms.Progress.Required, "URL": "/admin/roadmap-measures/" + strconv.FormatInt(ms.ID, 10),
					}
					if err := a.Mailer.Queue(ctx, tx, addr, "roadmap_reminder.txt", data); err != nil {
						return err
					}
					sent++
				}
				return a.Store.MarkReminder(ctx, tx, ms.ID, due)
			})
			if err != nil {
				return sent, fmt.Errorf("remind of measure %s: %w", ms.Number, err)
			}
		}
	}
	return sent, nil
}
