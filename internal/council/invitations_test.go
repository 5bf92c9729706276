package council

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/portal"
)

// listedGroups is a group directory with fixed members.
type listedGroups []portal.GroupMember

func (l listedGroups) GroupMembers(_ context.Context, _ int64, sphereIDs []int64) ([]portal.GroupMember, error) {
	if len(sphereIDs) == 0 {
		return nil, nil
	}
	return l, nil
}

func (l listedGroups) GroupsOf(context.Context, int64, int64) ([]string, error) { return nil, nil }

func TestInviteGroupsToMeeting(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		ctx := context.Background()
		staff := env.Client("", auth.Editor)
		env.Portal.Add(portal.Contribution{Name: "groups", Groups: listedGroups{
			{AccountID: 11, GroupID: 1, Group: "Городская среда", Name: "Петров", Email: "petrov@example.ru"},
			{AccountID: 12, GroupID: 1, Group: "Городская среда", Name: "Сидорова", Email: "sidorova@example.ru"},
			{AccountID: 12, GroupID: 2, Group: "Экономика", Name: "Сидорова", Email: "sidorova@example.ru"},
			{GroupID: 2, Group: "Экономика", Name: "ООО «Ромашка»", Email: "romashka@example.ru"},
			{AccountID: 14, GroupID: 2, Group: "Экономика", Name: "Без почты"},
			{AccountID: 15, GroupID: 3, Group: "Культура", Name: "Кузнецов", Email: "kuz@example.ru"},
		}})
		var id int64
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			var err error
			id, err = a.Store.CreateMeeting(ctx, tx, env.Municipality.ID, Meeting{Kind: KindOpen, Title: "Открытое заседание о бюджете", StartsAt: fixedNow.Add(72 * time.Hour), Place: "Зал 1", Open: true, Capacity: 20})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		page := fmt.Sprintf("/admin/council/meetings/%d", id)
		post := page + "/invitations"
		letters := func() int {
			return dbtest.Count(t, d, `SELECT COUNT(*) FROM river_job WHERE kind = 'send_email' AND CAST(args AS TEXT) LIKE ?`, "%Открытое заседание о бюджете%")
		}
		r := staff.Get(page)
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "Экономика (участников: 3, с адресом почты: 2)") || !strings.Contains(r.Body, "Городская среда") {
			t.Fatalf("meeting page lists no groups: %d", r.Status)
		}
		if r := staff.PostForm(post, url.Values{}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Выберите хотя бы одну референтную группу") {
			t.Fatalf("no group chosen: %d", r.Status)
		}
		if r := env.Client("", auth.Resident).PostForm(post, url.Values{"group": {"1"}}); r.Status != http.StatusForbidden {
			t.Fatalf("resident invites: %d", r.Status)
		}
		// Groups 1 and 2: Sidorova is in both and gets one letter.
		r = staff.PostForm(post, url.Values{"group": {"1", "2"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("invite: %d %s", r.Status, r.Body)
		}
		r = staff.Get(page)
		if !strings.Contains(r.Body, "Приглашено участников референтных групп: 3; письма поставлены в очередь отправки.") || strings.Contains(r.Body, "отправлен") {
			t.Fatalf("flash after invitation: %s", r.Body)
		}
		if n := letters(); n != 3 {
			t.Fatalf("letters: %d, want 3", n)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM council_invitations WHERE meeting_id = ? AND email = ?`, id, "sidorova@example.ru"); n != 1 {
			t.Fatalf("sidorova invited %d times", n)
		}
		// Again, with one more group: only the new address gets a letter.
		if r := staff.PostForm(post, url.Values{"group": {"2", "1", "3"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("invite again: %d", r.Status)
		}
		if n := letters(); n != 4 {
			t.Fatalf("letters after the second batch: %d, want 4", n)
		}
		if r := staff.PostForm(post, url.Values{"group": {"1"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("invite third time: %d", r.Status)
		}
		if n := letters(); n != 4 {
			t.Fatalf("letters after repeating: %d, want 4", n)
		}
		if r := staff.Get(page); !strings.Contains(r.Body, "Новых приглашений нет") || !strings.Contains(r.Body, "Приглашено адресов на это заседание: 4") {
			t.Fatal("repeat flash or count missing")
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'council.invite_groups'`); n != 3 {
			t.Fatalf("audit records: %d", n)
		}
	})
}
