package consult

import (
	"context"
	"slices"
	"strconv"
	"strings"
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
	es, err := events.List(ctx, a.DB, events.Query{MunicipalityID: c.MunicipalityID, Kinds: []events.Kind{events.GroupsInformed},
		ObjectType: "consultation", ObjectID: strconv.FormatInt(c.ID, 10), From: c.OpenedAt, Limit: 1})
	if err != nil || len(es) == 0 {
		return nil, err
	}
	t := es[0].OccurredAt
	return &t, nil
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

// GroupTurnout is how many members of one reference group took part in a
// consultation: counts only, never names.
type GroupTurnout struct {
	Group    string
	Comments int // members who left at least one published comment
}

// groupTurnout counts, per reference group working in the consultation's
// spheres, the members who left a published comment. A member is matched
// by account or, for an organisation without one, by address. Two queries
// in all: the groups' members and the consultation's commenters.
func (a *Area) groupTurnout(ctx context.Context, c Consultation) ([]GroupTurnout, error) {
	groups := a.Portal.Groups()
	if groups == nil || len(c.SphereIDs()) == 0 {
		return nil, nil
	}
	ms, err := groups.GroupMembers(ctx, c.MunicipalityID, c.SphereIDs())
	if err != nil || len(ms) == 0 {
		return nil, err
	}
	rows, err := a.DB.Query(ctx, `SELECT DISTINCT COALESCE(account_id, 0), email FROM consultation_comments WHERE consultation_id = ? AND status = ?`, c.ID, StatusPublished)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	accounts, emails := map[int64]bool{}, map[string]bool{}
	for rows.Next() {
		var id int64
		var email string
		if err := rows.Scan(&id, &email); err != nil {
			return nil, err
		}
		if id != 0 {
			accounts[id] = true
		}
		if email != "" {
			emails[strings.ToLower(email)] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []GroupTurnout
	index := map[int64]int{}
	for _, m := range ms {
		took := (m.AccountID != 0 && accounts[m.AccountID]) || (m.AccountID == 0 && m.Email != "" && emails[strings.ToLower(m.Email)])
		if !took {
			continue
		}
		i, ok := index[m.GroupID]
		if !ok {
			i = len(out)
			index[m.GroupID] = i
			out = append(out, GroupTurnout{Group: m.Group})
		}
		out[i].Comments++
	}
	slices.SortFunc(out, func(x, y GroupTurnout) int { return strings.Compare(x.Group, y.Group) })
	return out, nil
}
