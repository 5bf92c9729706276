package consult

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/tenant"
)

// ScheduleArgs is the periodic job that opens and closes stages on their
// dates and reminds staff of expert conclusions awaiting an answer.
type ScheduleArgs struct{}

// Kind names the job.
func (ScheduleArgs) Kind() string { return "consult_schedule" }

type scheduleWorker struct {
	river.WorkerDefaults[ScheduleArgs]
	a *Area
}

func (w *scheduleWorker) Work(ctx context.Context, _ *river.Job[ScheduleArgs]) error {
	return w.a.Tick(ctx)
}

// NotifyArgs fans a consultation's event out to its audience by e-mail. It
// runs as its own job so that publishing does not wait for thousands of
// recipients.
type NotifyArgs struct {
	MunicipalityID int64  `json:"municipality_id"`
	ConsultationID int64  `json:"consultation_id"`
	Event          string `json:"event"`
}

// Kind names the job.
func (NotifyArgs) Kind() string { return "consult_notify" }

type notifyWorker struct {
	river.WorkerDefaults[NotifyArgs]
	a *Area
}

func (w *notifyWorker) Work(ctx context.Context, job *river.Job[NotifyArgs]) error {
	return w.a.Notify(ctx, job.Args)
}

// Tick brings every published consultation to the stage its dates call for
// and sends due reminders. It is idempotent: a second run the same day
// changes nothing.
func (a *Area) Tick(ctx context.Context) error {
	ms, err := a.Tenants.All(ctx)
	if err != nil {
		return err
	}
	byID := map[int64]tenant.Municipality{}
	for _, m := range ms {
		byID[m.ID] = m
	}
	cs, err := a.Store.Active(ctx)
	if err != nil {
		return err
	}
	for i := range cs {
		c := &cs[i]
		m := byID[c.MunicipalityID]
		st, ok := DueStage(c.Periods, c.Stage, a.today(m))
		if !ok {
			continue
		}
		// Spheres are needed for the event and index.
		full, err := a.Store.Get(ctx, a.DB, c.MunicipalityID, c.ID)
		if err != nil {
			return err
		}
		entry := audit.Entry{MunicipalityID: c.MunicipalityID, Actor: "система"}
		if err := a.DB.InTx(ctx, func(tx *db.Tx) error { return a.enterStage(ctx, tx, &full, st, entry) }); err != nil {
			return fmt.Errorf("advance consultation %d: %w", c.ID, err)
		}
	}
	return a.remind(ctx, byID)
}

// RemindersDue is how many reminders should have gone out by today for a
// conclusion due on due: one per reminder date already reached.
func RemindersDue(cal deadline.Calendar, due, today deadline.Date) int {
	n := 0
	for _, d := range cal.ReminderDates(due) {
		if !d.After(today) {
			n++
		}
	}
	return n
}

// errRemindedMeanwhile rolls back the letters of a reminder that a
// concurrent run of the job recorded first.
var errRemindedMeanwhile = errors.New("reminded by a concurrent run")

func (a *Area) remind(ctx context.Context, byID map[int64]tenant.Municipality) error {
	ks, err := a.Store.UnansweredConclusions(ctx, 0)
	if err != nil {
		return err
	}
	for _, k := range ks {
		var munID, createdBy int64
		if err := a.DB.QueryRow(ctx, `SELECT municipality_id, COALESCE(created_by, 0) FROM consultations WHERE id = ?`, k.ConsultationID).Scan(&munID, &createdBy); err != nil {
			return fmt.Errorf("consultation of conclusion %d: %w", k.ID, err)
		}
		cal, err := a.calendar(ctx, munID)
		if err != nil {
			return err
		}
		due := RemindersDue(cal, k.DueOn, a.today(byID[munID]))
		if due <= k.RemindersSent {
			continue
		}
		rs, err := a.People.Recipients(ctx, a.DB, munID, auth.Audience{IDs: []int64{createdBy}, Roles: []string{auth.Lawyer}})
		if err != nil {
			return fmt.Errorf("reminder recipients: %w", err)
		}
		to := auth.Emails(rs)
		err = a.DB.InTx(ctx, func(tx *db.Tx) error {
			for _, e := range to {
				if err := a.Mailer.Queue(ctx, tx, e, "consultation.reminder", map[string]any{"Title": k.ConsultationTitle, "Due": k.DueOn.Russian(), "Received": k.ReceivedOn.Russian()}); err != nil {
					return err
				}
			}
			marked, err := a.Store.MarkReminded(ctx, tx, k.ID, k.RemindersSent, due)
			if err == nil && !marked {
				// Roll the letters back: the other run has sent them.
				return errRemindedMeanwhile
			}
			return err
		})
		if errors.Is(err, errRemindedMeanwhile) {
			continue
		}
		if err != nil {
			return fmt.Errorf("remind of conclusion %d: %w", k.ID, err)
		}
	}
	return nil
}

// Recipients are everyone told of a consultation's events: followers of
// its spheres, members of the reference groups in them, and participants.
func (a *Area) Recipients(ctx context.Context, c Consultation) ([]string, error) {
	var out []string
	if a.Subscriptions != nil {
		ids, err := a.Subscriptions.Followers(ctx, a.DB, c.SphereIDs())
		if err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			// One query for every follower, however many.
			f, err := a.People.Recipients(ctx, a.DB, c.MunicipalityID, auth.Audience{IDs: ids})
			if err != nil {
				return nil, err
			}
			for _, r := range f {
				out = append(out, r.Email)
			}
		}
	}
	if groups := a.Portal.Groups(); groups != nil {
		g, err := groups.GroupMembers(ctx, c.MunicipalityID, c.SphereIDs())
		if err != nil {
			return nil, fmt.Errorf("reference group members: %w", err)
		}
		for _, gm := range g {
			if gm.Email != "" {
				out = append(out, gm.Email)
			}
		}
	}
	ids, addresses, err := a.Store.Participants(ctx, a.DB, c.ID)
	if err != nil {
		return nil, err
	}
	out = append(out, addresses...)
	if len(ids) > 0 {
		ps, err := a.People.Recipients(ctx, a.DB, c.MunicipalityID, auth.Audience{IDs: ids})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			out = append(out, p.Email)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Notify mails a consultation's event to its recipients.
func (a *Area) Notify(ctx context.Context, args NotifyArgs) error {
	c, err := a.Store.Get(ctx, a.DB, args.MunicipalityID, args.ConsultationID)
	if err != nil {
		return err
	}
	if !c.Published() {
		return nil
	}
	to, err := a.Recipients(ctx, c)
	if err != nil {
		return err
	}
	if args.Event == string(events.ConsultationOpened) {
		if to, err = a.withoutGroupMembers(ctx, c, to); err != nil {
			return err
		}
	}
	ms, err := a.Tenants.All(ctx)
	if err != nil {
		return err
	}
	var mun string
	for _, m := range ms {
		if m.ID == c.MunicipalityID {
			mun = m.Name
		}
	}
	data := map[string]any{"Title": c.Title, "Kind": a.Procedures.Label(c.Kind), "Stage": c.Stage.Label(c.Kind), "URL": c.URL(), "Municipality": mun}
	if u := c.Until(); !u.IsZero() {
		data["Until"] = u.Russian()
	}
	if args.Event == string(events.ConsultationResultsPublished) {
		t, err := a.Store.Tally(ctx, c.ID)
		if err != nil {
			return err
		}
		data["Conclusion"] = ConclusionText(c, a.Procedures.Label(c.Kind), t)
	}
	// Batches keep each transaction short on SQLite's single writer.
	for start := 0; start < len(to); start += 200 {
		batch := to[start:min(start+200, len(to))]
		err := a.DB.InTx(ctx, func(tx *db.Tx) error {
			for _, e := range batch {
				d := map[string]any{}
				for k, v := range data {
					d[k] = v
				}
				if err := a.Mailer.Queue(ctx, tx, e, args.Event, d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("queue notifications: %w", err)
		}
	}
	return nil
}
