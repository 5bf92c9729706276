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
// returns how many letters were queued. Each reminder is recorded in the
// same transaction as its letters, so a rerun sends nothing twice.
func (a *Area) SendReminders(ctx context.Context, m tenant.Municipality) (int, error) {
	return a.sendReminders(ctx, m, remindersPerLetter)
}

// remindersPerLetter is the most appeals one letter lists. Each person
// gets one letter per run listing what is owed them, not one per appeal:
// an administration that falls behind (or first starts with an imported
// archive) would otherwise bury its heads in thousands of letters at once.
const remindersPerLetter = 200

// owedReminder is a reminder owed today and whom it goes to.
type owedReminder struct {
	o   OpenAppeal
	rem Reminder
	to  []auth.Recipient
}

func (a *Area) sendReminders(ctx context.Context, m tenant.Municipality, perLetter int) (int, error) {
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
	// Recipients are looked up once per assignee and department, not per
	// appeal.
	assignees := map[int64][]auth.Recipient{}
	deptStaff := map[int64][]auth.Recipient{}
	var owed []owedReminder
	for _, o := range open {
		for _, rem := range RemindersDue(cal, today, o.Status, o.ForwardBy, o.AnswerBy, o.NoticeBy) {
			var to []auth.Recipient
			switch {
			case rem.Kind == "overdue":
				to = heads
			case o.AssigneeID != 0:
				if _, ok := assignees[o.AssigneeID]; !ok {
					if assignees[o.AssigneeID], err = a.recipient(ctx, m.ID, o.AssigneeID); err != nil {
						return 0, err
					}
				}
				to = assignees[o.AssigneeID]
			case o.DepartmentID != 0:
				if _, ok := deptStaff[o.DepartmentID]; !ok {
					if deptStaff[o.DepartmentID], err = a.staffOf(ctx, m.ID, o.DepartmentID, auth.Staff...); err != nil {
						return 0, err
					}
				}
				to = deptStaff[o.DepartmentID]
			default:
				to = operators
			}
			owed = append(owed, owedReminder{o, rem, to})
		}
	}
	sent := 0
	for len(owed) > 0 {
		batch := owed[:min(perLetter, len(owed))]
		owed = owed[len(batch):]
		n, err := a.remind(ctx, batch)
		if err != nil {
			return sent, err
		}
		sent += n
	}
	return sent, nil
}

// reminderLine is one appeal in a reminder letter.
type reminderLine struct {
	Number, Href, Due, What string
	Left                    int
}

// remind records the reminders of batch that were not sent before, each
// with a line in its appeal's history, and queues to each recipient one
// letter of the deadlines coming and one of the deadlines passed that it
// lists, all in one transaction: a rerun neither repeats nor loses one.
func (a *Area) remind(ctx context.Context, batch []owedReminder) (int, error) {
	sent := 0
	err := a.DB.InTx(ctx, func(tx *db.Tx) error {
		type letter struct {
			to   string
			tmpl string
		}
		var order []letter
		lines := map[letter][]reminderLine{}
		for _, b := range batch {
			fresh, err := a.store.MarkReminded(ctx, tx, b.o.ID, b.rem.Kind+"-"+b.rem.Deadline, b.rem.Due)
			if err != nil {
				return err
			}
			if !fresh {
				continue
			}
			if err := a.store.AddEntry(ctx, tx, b.o.ID, 0, "Система", "reminder", b.o.Status, reminderNote(b.rem), false); err != nil {
				return err
			}
			tmpl := "appeals_due"
			if b.rem.Kind == "overdue" {
				tmpl = "appeals_overdue"
			}
			line := reminderLine{b.o.Number, Appeal{Number: b.o.Number}.Href(), b.rem.Due.Russian(), deadlineWhat(b.rem.Deadline), b.rem.Left}
			for _, r := range b.to {
				l := letter{r.Email, tmpl}
				if _, ok := lines[l]; !ok {
					order = append(order, l)
				}
				lines[l] = append(lines[l], line)
			}
		}
		for _, l := range order {
			if err := a.Mailer.Queue(ctx, tx, l.to, l.tmpl, map[string]any{"Appeals": lines[l]}); err != nil {
				return err
			}
			sent++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return sent, nil
}

// deadlineWhat names a deadline in a letter: "the term of … of the appeal".
func deadlineWhat(name string) string {
	switch name {
	case "forward":
		return "направления по компетенции"
	case "notice":
		return "сообщения заявителю по ч. 2, 4, 4.1 или 5.1 статьи 11 Федерального закона № 59-ФЗ (если одно из этих оснований применимо)"
	}
	return "рассмотрения"
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
