package council

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/web"
)

// InviteGroup is a reference group as the meeting's staff page offers it
// for a batch invitation.
type InviteGroup struct {
	ID   int64
	Name string
	// Members is how many members the group has; WithEmail how many of them
	// can be written to.
	Members, WithEmail int
}

// groupMembers lists the members of every reference group of the
// municipality (through the groups area's directory, over all spheres).
func (a *Area) groupMembers(ctx context.Context, munID int64) ([]portal.GroupMember, error) {
	dir := a.Portal.Groups()
	if dir == nil {
		return nil, nil
	}
	spheres, err := a.Tenants.Spheres(ctx, munID)
	if err != nil {
		return nil, err
	}
	if len(spheres) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(spheres))
	for i, s := range spheres {
		ids[i] = s.ID
	}
	return dir.GroupMembers(ctx, munID, ids)
}

// inviteGroups groups the members by their reference group, by name.
func inviteGroups(ms []portal.GroupMember) []InviteGroup {
	byID := map[int64]*InviteGroup{}
	var out []*InviteGroup
	for _, m := range ms {
		g := byID[m.GroupID]
		if g == nil {
			g = &InviteGroup{ID: m.GroupID, Name: m.Group}
			byID[m.GroupID] = g
			out = append(out, g)
		}
		g.Members++
		if m.Email != "" {
			g.WithEmail++
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	res := make([]InviteGroup, len(out))
	for i, g := range out {
		res[i] = *g
	}
	return res
}

// Invited counts the addresses invited to a meeting.
func (s *Store) Invited(ctx context.Context, q db.Querier, munID, meetingID int64) (int, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM council_invitations WHERE municipality_id = ? AND meeting_id = ?`, munID, meetingID).Scan(&n)
	return n, err
}

// Invite records an invitation of an address to a meeting; it reports false
// when the address was already invited.
func (s *Store) Invite(ctx context.Context, tx *db.Tx, munID, meetingID int64, m portal.GroupMember) (bool, error) {
	var acc any
	if m.AccountID != 0 {
		acc = m.AccountID
	}
	res, err := tx.Exec(ctx, `INSERT INTO council_invitations (municipality_id, meeting_id, email, account_id, group_id, created_at)
 VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (meeting_id, email) DO NOTHING`, munID, meetingID, m.Email, acc, m.GroupID, s.DB.Now())
	if err != nil {
		return false, fmt.Errorf("record council invitation: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// inviteGroupsPost invites every member with an address of the chosen
// reference groups to the meeting: one letter per address, never twice.
func (a *Area) inviteGroupsPost(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	form := a.parse(w, r)
	if form == nil {
		return
	}
	chosen := map[int64]bool{}
	for _, v := range form.Values["group"] {
		if gid, err := strconv.ParseInt(v, 10, 64); err == nil && gid > 0 {
			chosen[gid] = true
		}
	}
	if len(chosen) == 0 {
		form.Fail("group", "Выберите хотя бы одну референтную группу.")
		a.adminMeetingPage(w, r, http.StatusUnprocessableEntity, id, form)
		return
	}
	m := web.Municipality(r)
	all, err := a.groupMembers(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var members []portal.GroupMember
	seen := map[string]bool{}
	for _, gm := range all {
		if !chosen[gm.GroupID] || gm.Email == "" || seen[gm.Email] {
			continue
		}
		seen[gm.Email] = true
		members = append(members, gm)
	}
	groups := make([]int64, 0, len(chosen))
	for gid := range chosen {
		groups = append(groups, gid)
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i] < groups[j] })
	invited := 0
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		mt, err := a.Store.Meeting(r.Context(), tx, m.ID, id)
		if err != nil {
			return err
		}
		for _, gm := range members {
			fresh, err := a.Store.Invite(r.Context(), tx, m.ID, id, gm)
			if err != nil {
				return err
			}
			if !fresh {
				continue
			}
			invited++
			if a.Mailer != nil {
				if err := a.Mailer.Queue(r.Context(), tx, gm.Email, "council_invitation.txt", map[string]any{
					"Municipality": m.Name, "Group": gm.Group, "Kind": KindLabel(mt.Kind), "Title": mt.Title,
					"When": m.Local(mt.StartsAt).Format("02.01.2006 15:04"), "Place": mt.Place, "URL": mt.Path(), "Open": mt.Open,
				}); err != nil {
					return err
				}
			}
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "council.invite_groups", "council_meeting", strconv.FormatInt(id, 10), nil, map[string]any{"groups": groups, "invited": invited}))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	msg := fmt.Sprintf("Приглашено участников референтных групп: %d; письма поставлены в очередь отправки.", invited)
	if !a.Mailer.Configured() {
		msg = fmt.Sprintf("Приглашено участников референтных групп: %d, но письма не отправлены: на портале не настроена отправка почты. Сообщите участникам о заседании иначе.", invited)
	}
	if invited == 0 {
		msg = "Новых приглашений нет: все участники выбранных групп с адресом почты уже приглашены."
	}
	a.done(w, r, msg, fmt.Sprintf("/admin/council/meetings/%d", id))
}
