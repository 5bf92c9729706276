package consult

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/notify"
	"github.com/glasnost/glasnost/internal/portal"
)

// fakeGroups is a reference groups' directory with fixed members.
type fakeGroups struct{ members []portal.GroupMember }

func (f fakeGroups) GroupMembers(context.Context, int64, []int64) ([]portal.GroupMember, error) {
	return f.members, nil
}
func (f fakeGroups) GroupsOf(context.Context, int64, int64) ([]string, error) { return nil, nil }

// TestOpeningLetterLeavesGroupsToTheirArea checks consult's side of measure
// 6.3: members of the reference groups do not get consult's opening letter
// (the groups area writes to them once), other followers do; and the page
// says the groups were informed once the groups area recorded it.
func TestOpeningLetterLeavesGroupsToTheirArea(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		env, a := newArea(t, d)
		member := env.Account("", auth.Resident)
		follower := env.Account("", auth.Resident)
		for _, acc := range []auth.Account{member, follower} {
			if err := notify.NewSubscriptions(d).Set(ctx, acc.ID, []int64{env.Spheres["housing"]}); err != nil {
				t.Fatal(err)
			}
		}
		env.Portal.Add(portal.Contribution{Name: "groups", Groups: fakeGroups{[]portal.GroupMember{{AccountID: member.ID, Group: "Советы домов", Email: member.Email}}}})
		env.StartJobs()
		lawyer := env.Client("legal", auth.Lawyer)
		r := lawyer.PostForm("/admin/consultations", url.Values{"kind": {"discussion"}, "title": {"Правила благоустройства"}, "summary": {"Уборка дворов"},
			"department": {fmt.Sprint(env.Departments["housing"])}, "spheres": {fmt.Sprint(env.Spheres["housing"])}, "start": {a.today(env.Municipality).AddDays(-1).String()},
			"body": {testDraft}})
		id := idFromLocation(t, r, "/admin/consultations/")
		mustStatus(t, lawyer.PostForm(fmt.Sprintf("/admin/consultations/%d/publish", id), url.Values{"action": {"publish"}}), 303, "publish")
		env.Mail.WaitFor(t, follower.Email, "Открыто обсуждение", 20*time.Second)
		env.WaitJobsDone(t, 20*time.Second, "send_email", NotifyArgs{}.Kind())
		for _, m := range env.Mail.Messages() {
			for _, to := range m.To {
				if to == member.Email {
					t.Errorf("the group member got consult's letter %q", m.Subject)
				}
			}
		}
		page := env.Anonymous().Get(fmt.Sprintf("/consultations/%d", id))
		if strings.Contains(page.Body, "Референтные группы, работающие в сферах обсуждения, извещены") {
			t.Fatal("the page says the groups were informed before they were")
		}
		inform := func(object int64) {
			t.Helper()
			err := d.InTx(ctx, func(tx *db.Tx) error {
				return events.Record(ctx, tx, events.Event{MunicipalityID: env.Municipality.ID, Kind: events.GroupsInformed, ObjectType: "consultation",
					ObjectID: strconv.FormatInt(object, 10), Title: "Правила благоустройства", OccurredAt: d.Now()})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		// The groups of another consultation being told says nothing of this one.
		inform(id + 1000)
		page = env.Anonymous().Get(fmt.Sprintf("/consultations/%d", id))
		if strings.Contains(page.Body, "Референтные группы, работающие в сферах обсуждения, извещены") {
			t.Fatal("the page says the groups were informed when another consultation's were")
		}
		inform(id)
		page = env.Anonymous().Get(fmt.Sprintf("/consultations/%d", id))
		mustContain(t, page.Body, "public page", "Референтные группы, работающие в сферах обсуждения, извещены")
	})
}
