package roadmap

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/events"
)

// Fact is a public event as the roadmap sees it: what happened, to which
// object, on which civil date in the municipality.
type Fact struct {
	Kind    events.Kind
	Object  string // "type:id" of the object the event is about; "" when unknown
	Title   string
	URL     string
	Spheres []string
	On      time.Time
}

// Evidence is one thing that proves a measure: an event a rule found, or a
// link a person added.
type Evidence struct {
	Title  string
	URL    string
	On     time.Time
	Kind   events.Kind // the event kind; "" for a link
	LinkID int64       // the link's id; 0 for an event
}

// Manual reports evidence a person linked.
func (e Evidence) Manual() bool { return e.LinkID != 0 }

// Attach finds each measure's evidence among the facts and its links, and
// computes its progress and the tallies of the plan on today. Evidence is
// looked for from the start of the measure's window (the plan's start for a
// deadline) up to today, so that work done late still shows.
//
// When p.Tools is set (the kinds some mounted area writes), a measure whose
// rule counts only kinds no area writes, and that has no link a person
// added, has no tool in the portal yet: it is neither overdue nor done.
//
// A plan entered after its period ended (an archive: order No. 118 of 2018
// loaded in 2026) counts no event after its period, since what the portal
// published later is not the work of that plan; a measure with no evidence
// then has no data, not a deadline missed.
func Attach(p *Plan, facts []Fact, today time.Time) {
	today = civil(today)
	archive := p.Archive() && today.After(p.PeriodTo)
	// Facts are grouped by kind and their titles folded once, since every
	// measure looks only at a few kinds and many measures share them.
	byKind := map[events.Kind][]int{}
	objectKinds := map[string][]events.Kind{}
	for i, f := range facts {
		byKind[f.Kind] = append(byKind[f.Kind], i)
		if f.Object != "" && !slices.Contains(objectKinds[f.Object], f.Kind) {
			objectKinds[f.Object] = append(objectKinds[f.Object], f.Kind)
		}
	}
	excluded := func(r Rule, f *Fact) bool {
		if len(r.Except) == 0 || f.Object == "" {
			return false
		}
		return slices.ContainsFunc(objectKinds[f.Object], func(k events.Kind) bool { return slices.Contains(r.Except, k) })
	}
	folded := make([]string, len(facts))
	p.Tally = Tally{}
	for i := range p.Mechanisms {
		mech := &p.Mechanisms[i]
		mech.Tally = Tally{}
		for j := range mech.Measures {
			ms := &mech.Measures[j]
			from, _ := Window(ms.Schedule, p.PeriodFrom)
			ms.Evidence = nil
			for _, k := range ms.Rule.Kinds {
				for _, fi := range byKind[k] {
					f := &facts[fi]
					if (!from.IsZero() && f.On.Before(from)) || f.On.After(today) || !ms.Rule.matchesSpheres(f.Spheres) || excluded(ms.Rule, f) || (archive && f.On.After(p.PeriodTo)) {
						continue
					}
					if len(ms.Rule.Words) > 0 {
						if folded[fi] == "" {
							folded[fi] = foldWord(f.Title)
						}
						if !ms.Rule.matchesWords(folded[fi]) {
							continue
						}
					}
					ms.Evidence = append(ms.Evidence, Evidence{Title: f.Title, URL: f.URL, On: f.On, Kind: f.Kind})
				}
			}
			for _, l := range ms.Links {
				ms.Evidence = append(ms.Evidence, Evidence{Title: l.Title, URL: l.URL, On: l.DoneOn, LinkID: l.ID})
			}
			slices.SortStableFunc(ms.Evidence, func(a, b Evidence) int { return a.On.Compare(b.On) })
			dates := make([]time.Time, len(ms.Evidence))
			for k, e := range ms.Evidence {
				dates[k] = e.On
			}
			ms.Progress = Evaluate(ms.Schedule, Required(ms.Rule.Count, ms.Indicator), dates, today)
			if archive && len(ms.Evidence) == 0 {
				ms.Progress = Progress{Status: StatusNoData, Required: ms.Progress.Required, Compliance: -1}
			} else if p.Tools != nil && len(ms.Links) == 0 && !HasTool(ms.Rule, p.Tools) {
				ms.Progress = Progress{Status: StatusNoTool, Required: ms.Progress.Required, Compliance: -1}
			}
			mech.Tally.Add(ms.Progress.Status)
			p.Tally.Add(ms.Progress.Status)
		}
	}
}

// Archive reports a plan entered into the portal after its period ended.
func (p Plan) Archive() bool {
	return !p.CreatedAt.IsZero() && !p.PeriodTo.IsZero() && civil(p.CreatedAt).After(p.PeriodTo)
}

// HasTool reports whether some area of the portal writes a kind the rule
// counts. A rule with no kinds (proved by links only) always has its tool:
// a person.
func HasTool(r Rule, tools map[events.Kind]bool) bool {
	return r.Empty() || slices.ContainsFunc(r.Kinds, func(k events.Kind) bool { return tools[k] })
}

// RuleKinds are the event kinds any measure of the plan counts or excludes.
func RuleKinds(p *Plan) []events.Kind {
	var kinds []events.Kind
	for _, m := range p.Mechanisms {
		for _, ms := range m.Measures {
			for _, k := range slices.Concat(ms.Rule.Kinds, ms.Rule.Except) {
				if !slices.Contains(kinds, k) {
					kinds = append(kinds, k)
				}
			}
		}
	}
	slices.Sort(kinds)
	return kinds
}

// factsPage is how many events one query reads; events.List caps it at
// 10,000. Tests lower it to cross page boundaries.
var factsPage = 10000

// maxEventsPage is the most events.List returns at once.
const maxEventsPage = 10000

// Facts reads the public events the plan's rules count, from the plan's
// start up to today, with their dates in the municipality's zone. It reads
// page by page, so a busy municipality's newest events are never cut off.
func Facts(ctx context.Context, d *db.DB, p *Plan, loc *time.Location, today time.Time) ([]Fact, error) {
	kinds := RuleKinds(p)
	if len(kinds) == 0 {
		return nil, nil
	}
	if loc == nil {
		loc = time.UTC
	}
	q := events.Query{MunicipalityID: p.MunicipalityID, Kinds: kinds,
		To: time.Date(today.Year(), today.Month(), today.Day()+1, 0, 0, 0, 0, loc)}
	if !p.PeriodFrom.IsZero() {
		q.From = planStart(p, loc)
	}
	evs, err := allEvents(ctx, d, q)
	if err != nil {
		return nil, err
	}
	out := make([]Fact, 0, len(evs))
	for _, e := range evs {
		out = append(out, factOf(e, loc))
	}
	return out, nil
}

// planStart is the first moment of the plan's period in the zone loc.
func planStart(p *Plan, loc *time.Location) time.Time {
	return time.Date(p.PeriodFrom.Year(), p.PeriodFrom.Month(), p.PeriodFrom.Day(), 0, 0, 0, 0, loc)
}

// factOf is an event as evidence, dated in the municipality's zone.
func factOf(e events.Event, loc *time.Location) Fact {
	var object string
	if e.ObjectID != "" {
		object = e.ObjectType + ":" + e.ObjectID
	}
	return Fact{Kind: e.Kind, Object: object, Title: e.Title, URL: e.URL, Spheres: e.Spheres, On: civil(e.OccurredAt.In(loc))}
}

// allEvents reads every event q matches, factsPage at a time, oldest
// first.
func allEvents(ctx context.Context, d *db.DB, q events.Query) ([]events.Event, error) {
	q.Limit = factsPage
	var out []events.Event
	// Events at the boundary instant come again in the next page; their ids
	// tell them apart.
	seen := map[int64]bool{}
	for {
		evs, err := events.List(ctx, d, q)
		if err != nil {
			return nil, fmt.Errorf("read evidence events: %w", err)
		}
		for _, e := range evs {
			if !seen[e.ID] {
				out = append(out, e)
			}
		}
		if len(evs) < q.Limit {
			return out, nil
		}
		last := evs[len(evs)-1].OccurredAt
		if !last.Equal(q.From) {
			clear(seen)
		} else if q.Limit >= maxEventsPage {
			// More events at one instant than a query can return: keep what was read.
			return out, nil
		} else {
			// A whole page at one instant: read it again with room to pass it.
			q.Limit = min(2*q.Limit, maxEventsPage)
		}
		for i := len(evs) - 1; i >= 0 && evs[i].OccurredAt.Equal(last); i-- {
			seen[evs[i].ID] = true
		}
		q.From = last
	}
}

// Progress loads a plan and computes its progress on today, the civil date
// in the municipality's zone loc.
func (s *Store) Progress(ctx context.Context, munID, id int64, loc *time.Location, today time.Time) (Plan, error) {
	p, err := s.Get(ctx, munID, id)
	if err != nil {
		return p, err
	}
	facts, err := Facts(ctx, s.DB, &p, loc, today)
	if err != nil {
		return p, err
	}
	if s.Tools != nil {
		p.Tools = s.Tools()
	}
	Attach(&p, facts, today)
	return p, nil
}

// Today is the civil date of now in the municipality's zone.
func Today(now time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return civil(now.In(loc))
}
