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
	sent := 0
	due, err := a.meetingsTomorrow(ctx, m, now)
	if err != nil {
		return 0, err
	}
	for _, mt := range due {
		regs, err := a.Store.Registrations(ctx, m.ID, mt.ID)
		if err != nil {
			return sent, err
		}
		n, err := a.remindOfMeeting(ctx, m, mt, regs)
		sent += n
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
		n, err := a.remindOfDecision(ctx, m, d, today)
		sent += n
		if err != nil {
			return sent, fmt.Errorf("remind of decision %d: %w", d.ID, err)
		}
	}
	return sent, nil
}

// meetingsTomorrow are m's open meetings not yet reminded of that start
// tomorrow in the municipality's zone.
func (a *Area) meetingsTomorrow(ctx context.Context, m tenant.Municipality, now time.Time) ([]Meeting, error) {
	tomorrow := m.Local(now).AddDate(0, 0, 1).Format("2006-01-02")
	rows, err := a.DB.Query(ctx, `SELECT `+meetingCols+` FROM council_meetings WHERE municipality_id = ? AND reminded = FALSE AND is_open = TRUE AND starts_at > ? AND starts_at < ?`,
		m.ID, now, now.Add(48*time.Hour))
	if err != nil {
		return nil, fmt.Errorf("meetings to remind: %w", err)
	}
	var due []Meeting
	for rows.Next() {
		mt, err := scanMeeting(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if m.Local(mt.StartsAt).Format("2006-01-02") == tomorrow {
			due = append(due, mt)
		}
	}
	rows.Close()
	return due, nil
}

// remindOfMeeting marks the meeting reminded and queues the reminder to each
// registered person with an e-mail, in one transaction, so that a meeting
// another run has marked is not reminded of twice. It returns how many
// messages it queued, counted even when the transaction then failed.
func (a *Area) remindOfMeeting(ctx context.Context, m tenant.Municipality, mt Meeting, regs []Registration) (int, error) {
	sent := 0
	err := a.DB.InTx(ctx, func(tx *db.Tx) error {
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
	return sent, err
}

// remindOfDecision marks the overdue decision reminded on today and queues
// the reminder to the staff of its department, in one transaction, as
// remindOfMeeting does for a meeting.
func (a *Area) remindOfDecision(ctx context.Context, m tenant.Municipality, d Decision, today string) (int, error) {
	sent := 0
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
	return sent, err
}
