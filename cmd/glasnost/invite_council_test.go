package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// TestDemoCouncilInvitesGroups invites the demo's reference groups to the
// upcoming open meeting through the real groups directory: one invitation
// per address, none on a repeat.
func TestDemoCouncilInvitesGroups(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		ctx := context.Background()
		var id int64
		if err := d.QueryRow(ctx, `SELECT id FROM council_meetings WHERE kind = 'open' ORDER BY starts_at DESC LIMIT 1`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		admin := app.as("admin@vpyshma.demo")
		page := fmt.Sprintf("/admin/council/meetings/%d", id)
		r := admin.get(page)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Пригласить референтные группы") {
			t.Fatalf("meeting page: %d", r.status)
		}
		ids := regexp.MustCompile(`name="group" value="(\d+)"`).FindAllStringSubmatch(r.body, -1)
		if len(ids) < 2 {
			t.Fatalf("groups offered: %d", len(ids))
		}
		v := url.Values{"group": {ids[0][1], ids[1][1]}}
		if r := admin.post(page+"/invitations", v); r.status != http.StatusSeeOther {
			t.Fatalf("invite: %d %s", r.status, r.body)
		}
		invited := dbtest.Count(t, d, `SELECT COUNT(*) FROM council_invitations WHERE meeting_id = ?`, id)
		distinct := dbtest.Count(t, d, `SELECT COUNT(DISTINCT email) FROM council_invitations WHERE meeting_id = ?`, id)
		if invited == 0 || invited != distinct {
			t.Fatalf("invitations %d, distinct addresses %d", invited, distinct)
		}
		if r := admin.get(page); !strings.Contains(r.body, fmt.Sprintf("Приглашено участников референтных групп: %d; письма поставлены в очередь отправки.", invited)) {
			t.Error("the page does not say how many were invited")
		}
		if r := admin.post(page+"/invitations", v); r.status != http.StatusSeeOther {
			t.Fatalf("invite again: %d", r.status)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM council_invitations WHERE meeting_id = ?`, id); n != invited {
			t.Fatalf("repeat invited again: %d, was %d", n, invited)
		}
	})
}
