package consult

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/glasnost/glasnost/internal/events"
)

// Reference groups (measure 6.3): the groups area tells the members of the
// groups working in a consultation's spheres that it opened, once, and
// records events.GroupsInformed. This file is consult's side of it.

// groupsInformedAt is when the reference groups were told of the
// consultation, or nil when they were not (yet).
func (a *Area) groupsInformedAt(ctx context.Context, c Consultation) (*time.Time, error) {
	if c.OpenedAt.IsZero() {
		return nil, nil
	}
	es, err := events.List(ctx, a.DB, events.Query{MunicipalityID: c.MunicipalityID, Kinds: []events.Kind{events.GroupsInformed}, From: c.OpenedAt})
	if err != nil {
		return nil, err
	}
	id := strconv.FormatInt(c.ID, 10)
	for _, e := range es {
		if e.ObjectType == "consultation" && e.ObjectID == id {
			t := e.OccurredAt
			return &t, nil
		}
	}
	return nil, nil
}

// withoutGroupMembers drops the members of the consultation's reference
// groups from the recipients of its opening letter: the groups area sends
// them their own letter, exactly once.
func (a *Area) withoutGroupMembers(ctx context.Context, c Consultation, to []string) ([]string, error) {
	groups := a.Portal.Groups()
	if groups == nil {
		return to, nil
	}
	ms, err := groups.GroupMembers(ctx, c.MunicipalityID, c.SphereIDs())
	if err != nil {
		return nil, err
	}
	drop := map[string]bool{}
	for _, m := range ms {
		drop[m.Email] = true
	}
	return slices.DeleteFunc(to, func(e string) bool { return drop[e] }), nil
}
