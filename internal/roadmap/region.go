package roadmap

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/portal"
)

// currentPlans selects every municipality's current plan: its newest, as
// the public list shows first.
const currentPlans = `SELECT MAX(id) FROM roadmaps GROUP BY municipality_id`

// CurrentPlans loads the current plan of every municipality with its
// measures: five queries whatever the number of municipalities.
func (s *Store) CurrentPlans(ctx context.Context) ([]Plan, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+planColumns+` FROM roadmaps WHERE id IN (`+currentPlans+`) ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("current roadmaps: %w", err)
	}
	var out []Plan
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan roadmap: %w", err)
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ptrs := make([]*Plan, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	err = s.bodies(ctx, ptrs, `roadmap_id IN (`+currentPlans+`)`)
	return out, err
}

// region is the roadmap's part of the regional report: the measures of
// every municipality's current plan and their statuses as the plan's page
// computes them (Attach), on the municipality's today. The public events
// every plan counts are read together, page by page, so the number of
// queries does not grow with the number of municipalities.
func (a *Area) region(ctx context.Context, _, _, _ deadline.Date) ([]portal.RegionFigure, error) {
	plans, err := a.Store.CurrentPlans(ctx)
	if err != nil || len(plans) == 0 {
		return nil, err
	}
	loc, err := a.zones(ctx)
	if err != nil {
		return nil, err
	}
	now := a.DB.Now()
	q := regionEventQuery(plans, loc, now)
	byPlan := map[int64][]Fact{}
	if len(q.Kinds) > 0 {
		evs, err := allEvents(ctx, a.DB, q)
		if err != nil {
			return nil, err
		}
		byPlan = factsByPlan(evs, plans, loc)
	}
	var out []portal.RegionFigure
	for i := range plans {
		p := &plans[i]
		if a.Store.Tools != nil {
			p.Tools = a.Store.Tools()
		}
		Attach(p, byPlan[p.ID], Today(now, loc(p.MunicipalityID)))
		total := 0
		for _, m := range p.Mechanisms {
			total += len(m.Measures)
		}
		out = append(out,
			portal.RegionFigure{MunicipalityID: p.MunicipalityID, Key: portal.RegionMeasures, Value: total},
			portal.RegionFigure{MunicipalityID: p.MunicipalityID, Key: portal.RegionMeasuresDone, Value: p.Tally.Done()},
			portal.RegionFigure{MunicipalityID: p.MunicipalityID, Key: portal.RegionMeasuresOverdue, Value: p.Tally.Of(StatusOverdue)})
	}
	return out, nil
}

// zones returns each municipality's time zone, UTC for one without.
func (a *Area) zones(ctx context.Context) (func(mun int64) *time.Location, error) {
	ms, err := a.Tenants.All(ctx)
	if err != nil {
		return nil, err
	}
	locs := map[int64]*time.Location{}
	for _, m := range ms {
		locs[m.ID] = m.Location
	}
	return func(mun int64) *time.Location {
		if l := locs[mun]; l != nil {
			return l
		}
		return time.UTC
	}, nil
}

// regionEventQuery asks for the events every plan counts, of all their
// municipalities and kinds, up to a day past now.
func regionEventQuery(plans []Plan, loc func(int64) *time.Location, now time.Time) events.Query {
	// From the earliest plan's start (from the first event when a plan has
	// no period); Attach drops what lies after each municipality's today.
	q := events.Query{To: now.Add(24 * time.Hour)}
	bounded := true
	for i := range plans {
		p := &plans[i]
		q.Municipalities = append(q.Municipalities, p.MunicipalityID)
		if p.PeriodFrom.IsZero() {
			bounded = false
		} else if start := planStart(p, loc(p.MunicipalityID)); q.From.IsZero() || start.Before(q.From) {
			q.From = start
		}
		for _, k := range RuleKinds(p) {
			if !slices.Contains(q.Kinds, k) {
				q.Kinds = append(q.Kinds, k)
			}
		}
	}
	if !bounded {
		q.From = time.Time{}
	}
	return q
}

// factsByPlan hands the events read for all plans out to the plan of each
// event's municipality, keeping what that plan's own Facts would read.
func factsByPlan(evs []events.Event, plans []Plan, loc func(int64) *time.Location) map[int64][]Fact {
	byPlan := map[int64][]Fact{}
	plan := map[int64]*Plan{}
	kinds := map[int64][]events.Kind{}
	for i := range plans {
		plan[plans[i].MunicipalityID] = &plans[i]
		kinds[plans[i].ID] = RuleKinds(&plans[i])
	}
	for _, e := range evs {
		p := plan[e.MunicipalityID]
		// What Facts reads for the plan: its kinds, from its start (up
		// to today, which Attach keeps to), in its zone.
		if !slices.Contains(kinds[p.ID], e.Kind) || (!p.PeriodFrom.IsZero() && e.OccurredAt.Before(planStart(p, loc(p.MunicipalityID)))) {
			continue
		}
		byPlan[p.ID] = append(byPlan[p.ID], factOf(e, loc(p.MunicipalityID)))
	}
	return byPlan
}
