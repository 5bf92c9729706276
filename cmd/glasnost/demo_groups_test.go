package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// TestGroupsDemo checks the reference groups of the demo through the whole
// program: six groups with members (the demo resident in one), the
// consultations the demo opened told to their groups once, the
// consultation page saying so, and that loading the demo twice changes
// nothing.
func TestGroupsDemo(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		ctx := context.Background()
		count := func(q string, args ...any) int {
			var n int
			if err := d.QueryRow(ctx, q, args...).Scan(&n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return n
		}
		const all = `SELECT (SELECT COUNT(*) FROM reference_groups) + (SELECT COUNT(*) FROM reference_group_members) + (SELECT COUNT(*) FROM reference_group_notices) + (SELECT COUNT(*) FROM public_events WHERE kind LIKE 'groups.%')`
		before := count(all)
		if err := loadDemo(ctx, app.App); err != nil {
			t.Fatal(err)
		}
		if after := count(all); after != before {
			t.Fatalf("loading the demo twice changed the rows: %d → %d", before, after)
		}
		if n := count(`SELECT COUNT(*) FROM reference_groups`); n != 6 {
			t.Fatalf("%d demo groups, want 6", n)
		}
		if n := count(`SELECT COUNT(*) FROM reference_group_members m JOIN accounts a ON a.id = m.account_id WHERE a.email = 'resident@vpyshma.demo' AND m.status = 'member'`); n != 1 {
			t.Errorf("the demo resident is in %d groups, want 1", n)
		}
		informed := count(`SELECT COUNT(*) FROM public_events WHERE kind = 'groups.informed'`)
		if informed == 0 || informed != count(`SELECT COUNT(*) FROM reference_group_informed`) {
			t.Fatalf("groups.informed events: %d", informed)
		}
		for _, k := range []string{"groups.registry_published", "groups.regulations_approved"} {
			if n := count(`SELECT COUNT(*) FROM public_events WHERE kind = ?`, k); n != 6 {
				t.Errorf("%d %s events, want 6", n, k)
			}
		}
		var cid string
		if err := d.QueryRow(ctx, `SELECT consultation FROM reference_group_informed ORDER BY consultation LIMIT 1`).Scan(&cid); err != nil {
			t.Fatal(err)
		}
		c := app.anonymous()
		page := c.get("/consultations/" + cid)
		if page.status != 200 || !strings.Contains(page.body, "Референтные группы, работающие в сферах обсуждения, извещены") {
			t.Errorf("consultation %s does not say its groups were informed: %d", cid, page.status)
		}
		list := c.get("/groups")
		if list.status != 200 || !strings.Contains(list.body, "Советы домов и ТСЖ") {
			t.Fatalf("/groups: %d", list.status)
		}
		home := c.get("/")
		if !strings.Contains(home.body, `href="/groups"`) {
			t.Error("the home page does not link the reference groups")
		}
		var gid int64
		if err := d.QueryRow(ctx, `SELECT id FROM reference_groups WHERE name = 'Советы домов и ТСЖ'`).Scan(&gid); err != nil {
			t.Fatal(err)
		}
		g := c.get(fmt.Sprintf("/groups/%d", gid))
		if g.status != 200 || !strings.Contains(g.body, "ТСЖ «Успенский, 113»") || strings.Contains(g.body, "000-00-03") || strings.Contains(g.body, "Пётр Жителев") {
			t.Errorf("group page: %d", g.status)
		}
		sitemap := c.get("/sitemap.xml")
		if !strings.Contains(sitemap.body, fmt.Sprintf("/groups/%d", gid)) {
			t.Error("the sitemap lacks the group's page")
		}
	})
}
