package council

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/tenant"
)

// ReminderArgs is the periodic job that reminds registered people of an
// open meeting the day before, and assignee departments of overdue
// decisions.
type ReminderArgs struct{}

// Kind names the job.
func (ReminderArgs) Kind() string { return "council_reminders" }

type reminderWorker struct {
	river.WorkerDefaults[ReminderArgs]
	area *Area
}

// Work sends the due reminders in every municipality.
func (w *reminderWorker) Work(ctx context.Context, _ *river.Job[ReminderArgs]) error {
	ms, err := w.area.Tenants.All(ctx)
	if err != nil {
		return fmt.Errorf("council reminders: %w", err)
	}
	for _, m := range ms {
		if _, err := w.area.SendReminders(ctx, m); err != nil {
			return fmt.Errorf("council reminders for %s: %w", m.Slug, err)
		}
	}
	return nil
}

// SendReminders queues the reminders due now in m and returns how many
// messages it queued: to each person registered for a meeting that starts
// tomorrow (in the municipality's zone), once per meeting; and to the staff
// of the department assigned to each overdue decision, once per decision.
func (a *Area) SendReminders(ctx context.Context, m tenant.Municipality) (int, error) {
	now := a.DB.Now()
	tomorrow := m.Local(now).AddDate(0, 0, 1).Format("2006-01-02")
	sent := 0
	rows, err := a.DB.Query(ctx, `SELECT `+meetingCols+` FROM council_meetings WHERE municipality_id = ? AND reminded = FALSE AND is_open = TRUE AND starts_at > ? AND starts_at < ?`,
		m.ID, now, now.Add(48*time.Hour))
	if err != nil {
		return 0, fmt.Errorf("meetings to remind: %w", err)
	}
	var due []Meeting
	for rows.Next() {
		mt, err := scanMeeting(rows)
		if err != nil {
			rows.Close()
			return 0, err
		}
		if m.Local(mt.StartsAt).Format("2006-01-02") == tomorrow {
			due = append(due, mt)
		}
	}
	rows.Close()
	for _, mt := range due {
		regs, err := a.Store.Registrations(ctx, m.ID, mt.ID)
		if err != nil {
			return sent, err
		}
		err = a.DB.InTx(ctx, func(tx *db.Tx) error {
			res, err := tx.Exec(ctx, `UPDATE council_meetings SET reminded = TRUE WHERE id = ? AND reminded = FALSE`, mt.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
			for _, r := range regs {
				if r.Email == "" {
					continue
				}
				if err := a.Mailer.Queue(ctx, tx, r.Email, "council_reminder.txt", map[string]any{
					"Municipality": m.Name, "Title": mt.Title, "When": m.Local(mt.StartsAt).Format("02.01.2006 15:04"), "Place": mt.Place, "URL": mt.Path()}); err != nil {
					return err
				}
				sent++
			}
			return nil
		})
		if err != nil {
			return sent, fmt.Errorf("remind of meeting %d: %w", mt.ID, err)
		}
	}
	today := m.Local(now).Format("2006-01-02")
	overdue, err := a.Store.decisions(ctx, `WHERE d.municipality_id = ? AND d.status = 'open' AND d.due_date <> '' AND d.due_date < ? AND d.reminded_on = '' AND d.department_id IS NOT NULL ORDER BY d.id LIMIT 500`, m.ID, today)
	if err != nil {
		return sent, err
	}
	for _, d := range overdue {
		err := a.DB.InTx(ctx, func(tx *db.Tx) error {
			res, err := tx.Exec(ctx, `UPDATE council_decisions SET reminded_on = ? WHERE id = ? AND reminded_on = ''`, today, d.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
			rs, err := a.People.Recipients(ctx, tx, m.ID, auth.Audience{Departments: []int64{d.DepartmentID}})
			if err != nil {
				return err
			}
			for _, addr := range auth.Emails(rs) {
				if err := a.Mailer.Queue(ctx, tx, addr, "council_decision_overdue.txt", map[string]any{
					"Municipality": m.Name, "Meeting": d.Meeting, "Text": d.Text, "Due": d.DueDate, "URL": fmt.Sprintf("/council/meetings/%d", d.MeetingID)}); err != nil {
					return err
				}
				sent++
			}
			return nil
		})
		if err != nil {
			return sent, fmt.Errorf("remind of decision %d: %w", d.ID, err)
		}
	}
	return sent, nil
}
