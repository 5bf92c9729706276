package media

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/tenant"
)

// WeekReportArgs is the periodic job that makes the report of the week
// just ended and the monitoring digest of that week: run every few hours, it makes it on Monday (or on the first
// run after), once.
type WeekReportArgs struct{}

// Kind names the job.
func (WeekReportArgs) Kind() string { return "media_week_report" }

type weekReportWorker struct {
	river.WorkerDefaults[WeekReportArgs]
	a *Area
}

func (w *weekReportWorker) Work(ctx context.Context, _ *river.Job[WeekReportArgs]) error {
	ms, err := w.a.Tenants.All(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		monday := MondayOf(w.a.today(m)).AddDate(0, 0, -7)
		if _, err := w.a.WeekReport(ctx, m, monday.Format(time.DateOnly)); err != nil {
			return fmt.Errorf("media week report for %s: %w", m.Slug, err)
		}
		if _, err := w.a.WeekDigest(ctx, m, monday.Format(time.DateOnly)); err != nil {
			return fmt.Errorf("media digest for %s: %w", m.Slug, err)
		}
	}
	return nil
}

// today is the civil date in the municipality, as a UTC midnight.
func (a *Area) today(m tenant.Municipality) time.Time {
	loc := m.Location
	if loc == nil {
		loc = time.UTC
	}
	t := a.DB.Now().In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// WeekReport makes the report of the week starting on monday once, records
// the event media.week_controlled and mails it to the press secretaries
// and administrators. A week with no planned items has no report; the
// result is then zero.
func (a *Area) WeekReport(ctx context.Context, m tenant.Municipality, monday string) (Report, error) {
	return a.weekReport(ctx, m, monday, true)
}

func (a *Area) weekReport(ctx context.Context, m tenant.Municipality, monday string, mail bool) (Report, error) {
	if done, err := HasReport(ctx, a.DB, m.ID, monday); err != nil || done {
		return Report{}, err
	}
	var r Report
	err := a.DB.InTx(ctx, func(tx *db.Tx) error {
		items, err := WeekItems(ctx, tx, m.ID, monday)
		if err != nil || len(items) == 0 {
			return err
		}
		r = MakeReport(monday, items)
		now := a.DB.Now()
		if err := SaveReport(ctx, tx, m.ID, &r, now); err != nil {
			return err
		}
		id := strconv.FormatInt(r.ID, 10)
		if err := events.Record(ctx, tx, events.Event{MunicipalityID: m.ID, Kind: events.MediaWeekControlled, ObjectType: "media_week_report", ObjectID: id,
			Title: "Контроль исполнения медиаплана: " + r.Week() + ". " + r.Summary(), URL: "/media", OccurredAt: now}); err != nil {
			return err
		}
		if !mail {
			return nil
		}
		to, err := a.People.Recipients(ctx, tx, m.ID, auth.Audience{Roles: []string{auth.Press, auth.Administrator}})
		if err != nil {
			return err
		}
		var moved []ReportRow
		for _, row := range r.Rows {
			if row.Status == StatusMoved {
				moved = append(moved, row)
			}
		}
		for _, p := range to {
			if err := a.Mailer.Queue(ctx, tx, p.Email, "media_week_report", map[string]any{"Name": p.Name, "Week": r.Week(), "Summary": r.Summary(),
				"Moved": moved, "ID": r.ID, "BaseURL": a.BaseURL}); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, ErrDuplicate) {
		return Report{}, nil
	}
	return r, err
}
