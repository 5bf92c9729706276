package groups

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
)

// InformArgs is the periodic job that tells reference groups of the
// consultations opened in their spheres (measure 6.3).
type InformArgs struct{}

// Kind names the job.
func (InformArgs) Kind() string { return "groups_inform" }

type informWorker struct {
	river.WorkerDefaults[InformArgs]
	area *Area
}

// Work informs the groups of every municipality.
func (w *informWorker) Work(ctx context.Context, _ *river.Job[InformArgs]) error {
	ms, err := w.area.Tenants.All(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if _, err := w.area.Inform(ctx, m, informWindow); err != nil {
			return fmt.Errorf("inform groups of %s: %w", m.Slug, err)
		}
	}
	return nil
}

// informWindow is how far back Inform looks for opened consultations: a
// consultation opened while no group worked in its sphere is taken up if a
// group appears within this time.
const informWindow = 14 * 24 * time.Hour

// Inform tells the members of the groups working in the spheres of every
// consultation opened within window (0: ever) and not yet informed. Each
// address gets one letter per consultation, whatever the number of its
// groups and however often Inform runs; the first informing records the
// public event groups.informed in the same transaction. It returns the
// number of letters queued.
func (a *Area) Inform(ctx context.Context, m tenant.Municipality, window time.Duration) (int, error) {
	q := events.Query{MunicipalityID: m.ID, Kinds: []events.Kind{events.ConsultationOpened}}
	if window > 0 {
		q.From = a.DB.Now().Add(-window)
	}
	opened, err := events.List(ctx, a.DB, q)
	if err != nil {
		return 0, err
	}
	if len(opened) == 0 {
		return 0, nil
	}
	spheres, err := a.Tenants.Spheres(ctx, m.ID)
	if err != nil {
		return 0, err
	}
	bySlug := map[string]int64{}
	for _, s := range spheres {
		bySlug[s.Slug] = s.ID
	}
	sent := 0
	for _, e := range opened {
		if e.ObjectID == "" {
			continue
		}
		done, err := a.Store.Informed(ctx, a.DB, m.ID, e.ObjectID)
		if err != nil {
			return sent, err
		}
		if done {
			continue
		}
		var ids []int64
		for _, s := range e.Spheres {
			if id, ok := bySlug[s]; ok {
				ids = append(ids, id)
			}
		}
		members, err := (directory{a}).GroupMembers(ctx, m.ID, ids)
		if err != nil {
			return sent, err
		}
		if len(members) == 0 {
			continue
		}
		n, err := a.informOne(ctx, m, e, members)
		if err != nil {
			return sent, fmt.Errorf("inform of consultation %s: %w", e.ObjectID, err)
		}
		sent += n
	}
	return sent, nil
}

// informOne queues the letters of one consultation and records it, in one
// transaction.
func (a *Area) informOne(ctx context.Context, m tenant.Municipality, e events.Event, members []portal.GroupMember) (int, error) {
	groupsOf := map[string][]string{}
	var groupNames []string
	for _, gm := range members {
		if !slices.Contains(groupNames, gm.Group) {
			groupNames = append(groupNames, gm.Group)
		}
		if gm.Email != "" && !slices.Contains(groupsOf[gm.Email], gm.Group) {
			groupsOf[gm.Email] = append(groupsOf[gm.Email], gm.Group)
		}
	}
	emails := make([]string, 0, len(groupsOf))
	for e := range groupsOf {
		emails = append(emails, e)
	}
	slices.Sort(emails)
	sent := 0
	err := a.DB.InTx(ctx, func(tx *db.Tx) error {
		sent = 0
		now := a.DB.Now()
		first, err := a.Store.MarkInformed(ctx, tx, m.ID, e.ObjectID, e.Title, e.URL, len(groupNames), len(emails), now)
		if err != nil {
			return err
		}
		if !first {
			return nil // another run got here first
		}
		for _, to := range emails {
			fresh, err := a.Store.Notice(ctx, tx, m.ID, e.ObjectID, to, now)
			if err != nil {
				return err
			}
			if !fresh {
				continue
			}
			if err := a.Mailer.Queue(ctx, tx, to, "groups.informed", map[string]any{
				"Title": e.Title, "URL": e.URL, "Municipality": m.Name, "Groups": strings.Join(groupsOf[to], "», «"),
			}); err != nil {
				return err
			}
			sent++
		}
		return events.Record(ctx, tx, events.Event{MunicipalityID: m.ID, Kind: events.GroupsInformed, ObjectType: "consultation", ObjectID: e.ObjectID,
			Title: e.Title, URL: e.URL, Spheres: e.Spheres, OccurredAt: now})
	})
	return sent, err
}
