package appeals

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/tenant"
)

// ReminderArgs is the periodic job that reminds assignees of deadlines and
// tells the head of overdue appeals.
type ReminderArgs struct{}

// Kind names the job.
func (ReminderArgs) Kind() string { return "appeals_reminders" }

type reminderWorker struct {
	river.WorkerDefaults[ReminderArgs]
	a *Area
}

func (w *reminderWorker) Work(ctx context.Context, _ *river.Job[ReminderArgs]) error {
	ms, err := w.a.Tenants.All(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if _, err := w.a.SendReminders(ctx, m); err != nil {
			return fmt.Errorf("reminders for %s: %w", m.Slug, err)
		}
	}
	return nil
}

// SendReminders sends the reminders owed today in a municipality and
// returns how many messages were queued. Each reminder is recorded in the
// same transaction as its messages, so a rerun sends nothing twice.
func (a *Area) SendReminders(ctx context.Context, m tenant.Municipality) (int, error) {
	today := a.Today(m)
	cal, err := a.Calendar(ctx, m.ID)
	if err != nil {
		return 0, err
	}
	// Nothing is owed for a deadline more than the first reminder's five
	// working days away; two calendar weeks covers that with the longest
	// holidays but the New Year, which a 21-day window does.
	open, err := a.store.Open(ctx, m.ID, today.AddDays(21))
	if err != nil {
		return 0, err
	}
	heads, err := a.staffOf(ctx, m.ID, 0, auth.Administrator)
	if err != nil {
		return 0, err
	}
	operators, err := a.staffOf(ctx, m.ID, 0, auth.Operator)
	if err != nil {
		return 0, err
	}
	deptStaff := map[int64][]auth.Recipient{}
	sent := 0
	for _, o := range open {
		for _, rem := range RemindersDue(cal, today, o.Status, o.ForwardBy, o.AnswerBy, o.NoticeBy) {
			var to []auth.Recipient
			switch {
			case rem.Kind == "overdue":
				to = heads
			case o.AssigneeID != 0:
				acc, err := a.recipient(ctx, m.ID, o.AssigneeID)
				if err != nil {
					return sent, err
				}
				to = acc
			case o.DepartmentID != 0:
				if _, ok := deptStaff[o.DepartmentID]; !ok {
					if deptStaff[o.DepartmentID], err = a.staffOf(ctx, m.ID, o.DepartmentID, auth.Staff...); err != nil {
						return sent, err
					}
				}
				to = deptStaff[o.DepartmentID]
			default:
				to = operators
			}
			err := a.DB.InTx(ctx, func(tx *db.Tx) error {
				fresh, err := a.store.MarkReminded(ctx, tx, o.ID, rem.Kind+"-"+rem.Deadline, rem.Due)
				if err != nil || !fresh {
					return err
				}
				what := "рассмотрения"
				switch rem.Deadline {
				case "forward":
					what = "направления по компетенции"
				case "notice":
					what = "сообщения заявителю по ч. 2, 4, 4.1 или 5.1 статьи 11 Федерального закона № 59-ФЗ (если одно из этих оснований применимо)"
				}
				for _, r := range to {
					tmpl := "appeal_reminder"
					if rem.Kind == "overdue" {
						tmpl = "appeal_overdue"
					}
					if err := a.Mailer.Queue(ctx, tx, r.Email, tmpl, map[string]any{
						"Municipality": m.Name, "Number": o.Number, "Href": Appeal{Number: o.Number}.Href(),
						"Due": rem.Due.Russian(), "Left": rem.Left, "What": what,
					}); err != nil {
						return err
					}
					sent++
				}
				return a.store.AddEntry(ctx, tx, o.ID, 0, "Система", "reminder", o.Status, reminderNote(rem), false)
			})
			if err != nil {
				return sent, err
			}
		}
	}
	return sent, nil
}

func reminderNote(r Reminder) string {
	if r.Kind == "overdue" {
		return "Срок истёк " + r.Due.Russian() + ": сообщено руководителю"
	}
	if r.Deadline == "notice" {
		return "Напоминание: если применимо основание ч. 2, 4, 4.1 или 5.1 ст. 11, сообщить заявителю до " + r.Due.Russian()
	}
	return fmt.Sprintf("Напоминание: до срока %s осталось рабочих дней: %d", r.Due.Russian(), r.Left)
}

func (a *Area) recipient(ctx context.Context, munID, id int64) ([]auth.Recipient, error) {
	// A disabled or removed assignee gets nothing: the head hears when the
	// appeal is overdue.
	return a.People.Recipients(ctx, a.DB, munID, auth.Audience{IDs: []int64{id}})
}

// staffOf lists the staff of a department holding one of the roles, or of
// the whole municipality when dept is 0.
func (a *Area) staffOf(ctx context.Context, munID, dept int64, roles ...string) ([]auth.Recipient, error) {
	au := auth.Audience{Roles: roles}
	if dept != 0 {
		au.Departments = []int64{dept}
	}
	return a.People.Recipients(ctx, a.DB, munID, au)
}

// ReportArgs is the periodic job that makes the report of the quarter just
// ended.
type ReportArgs struct{}

// Kind names the job.
func (ReportArgs) Kind() string { return "appeals_quarterly_report" }

type reportWorker struct {
	river.WorkerDefaults[ReportArgs]
	a *Area
}

func (w *reportWorker) Work(ctx context.Context, _ *river.Job[ReportArgs]) error {
	ms, err := w.a.Tenants.All(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := w.a.QuarterlyReport(ctx, m); err != nil {
			return fmt.Errorf("quarterly report for %s: %w", m.Slug, err)
		}
	}
	return nil
}

// Timeout allows the report of a large installation to finish.
func (w *reportWorker) Timeout(*river.Job[ReportArgs]) time.Duration { return 30 * time.Minute }

// QuarterlyReport makes the report of the previous quarter once: as a draft
// for approval, or published at once when the configuration asks for no
// approval.
func (a *Area) QuarterlyReport(ctx context.Context, m tenant.Municipality) error {
	from, to := PreviousQuarter(a.Today(m))
	var n int
	if err := a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM appeal_reports WHERE municipality_id = ? AND period_from = ? AND period_to = ?`, m.ID, from.String(), to.String()).Scan(&n); err != nil {
		return fmt.Errorf("check quarterly report: %w", err)
	}
	if n > 0 {
		return nil
	}
	_, err := a.MakeReport(ctx, m, from, to, Actor{}, !a.cfg.ReportApproval)
	return err
}
