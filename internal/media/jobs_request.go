package media

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/tenant"
)

// ReminderArgs is the periodic job that reminds the press secretaries and
// administrators of a request's terms: on the working day before the
// notice's and the answer's last day (or on the day, if that came first).
type ReminderArgs struct{}

// Kind names the job.
func (ReminderArgs) Kind() string { return "media_request_reminders" }

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
		if _, err := w.a.RemindRequests(ctx, m); err != nil {
			return fmt.Errorf("media reminders for %s: %w", m.Slug, err)
		}
	}
	return nil
}

// RemindRequests sends the reminders that are due and reports how many.
func (a *Area) RemindRequests(ctx context.Context, m tenant.Municipality) (int, error) {
	cal, err := a.Calendars.For(ctx, m.ID)
	if err != nil {
		return 0, err
	}
	today := deadline.DateOf(a.today(m))
	type due struct {
		r      Request
		notice bool
	}
	var send []due
	rows, err := a.DB.Query(ctx, `SELECT `+reqCols+`, reminded_notice, reminded_answer FROM media_requests
		WHERE municipality_id = ? AND status NOT IN ('answered', 'refused') AND (NOT reminded_notice OR NOT reminded_answer)`, m.ID)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var remN, remA bool
		r, err := scanRequest(scanExtra{rows, []any{&remN, &remA}})
		if err != nil {
			return 0, err
		}
		if !remN && r.Status == ReqRegistered && remindNow(cal, today, r.NoticeBy) {
			send = append(send, due{r, true})
		}
		if !remA && remindNow(cal, today, r.AnswerBy) {
			send = append(send, due{r, false})
		}
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	rows.Close()
	if len(send) == 0 {
		return 0, nil
	}
	sent := 0
	err = a.DB.InTx(ctx, func(tx *db.Tx) error {
		sent = 0
		to, err := a.People.Recipients(ctx, tx, m.ID, auth.Audience{Roles: []string{auth.Press, auth.Administrator}})
		if err != nil {
			return err
		}
		for _, s := range send {
			what, day, col := "Ответ", s.r.AnswerByRU(), "reminded_answer"
			if s.notice {
				what, day, col = "Уведомление об отсрочке или отказе (если информация не может быть дана в срок)", s.r.NoticeByRU(), "reminded_notice"
			}
			// Only the run that sets the mark writes: two runs of the job
			// at once must not both remind.
			res, err := tx.Exec(ctx, `UPDATE media_requests SET `+col+` = TRUE WHERE id = ? AND `+col+` = FALSE`, s.r.ID)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				if err != nil {
					return fmt.Errorf("mark reminder: %w", err)
				}
				continue
			}
			for _, p := range to {
				if err := a.Mailer.Queue(ctx, tx, p.Email, "media_request_reminder", map[string]any{"Name": p.Name, "R": s.r, "What": what, "Due": day, "BaseURL": a.BaseURL}); err != nil {
					return err
				}
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

// remindNow reports whether a term (YYYY-MM-DD) is due for its reminder:
// from the working day before it until the day itself.
func remindNow(cal deadline.Calendar, today deadline.Date, term string) bool {
	d, err := deadline.ParseDate(term)
	if err != nil {
		return false
	}
	return !today.After(d) && !today.Before(cal.AddWorkingDays(d, -1))
}

// scanExtra scans a row's leading columns as the wrapped scanner expects
// and the trailing ones into extra.
type scanExtra struct {
	s     interface{ Scan(...any) error }
	extra []any
}

func (x scanExtra) Scan(dest ...any) error { return x.s.Scan(append(dest, x.extra...)...) }
