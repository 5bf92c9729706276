package main

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// TestCatalogueOpenDataAndOverdueDatasets checks the two links between the
// 8-FZ catalogue and the open data register in the wired program: the
// demo's flagged items link to their datasets' pages, and a dataset past its
// update period appears in the site's overdue monitor while a fresh one
// does not.
func TestCatalogueOpenDataAndOverdueDatasets(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		ctx := context.Background()
		pub := app.anonymous().get("/catalogue")
		for _, id := range []string{"6606003385-legal_acts", "6606003385-consultations"} {
			if !strings.Contains(pub.body, `href="/opendata/`+id+`"`) {
				t.Errorf("public catalogue lacks the open data link to %s", id)
			}
			if p := app.anonymous().get("/opendata/" + id); p.status != 200 {
				t.Errorf("/opendata/%s: %d", id, p.status)
			}
		}
		if !strings.Contains(pub.body, "Открытые данные: ") {
			t.Error("public catalogue lacks «Открытые данные»")
		}

		admin := app.as("admin@vpyshma.demo")
		overdue := regexp.MustCompile(`Наборы открытых данных не обновлены в срок</a> — <strong>(\d+)</strong>`)
		monitored := func() int {
			t.Helper()
			r := admin.get("/admin/site/catalogue")
			if r.status != 200 {
				t.Fatalf("monitor: %d", r.status)
			}
			m := overdue.FindStringSubmatch(r.body)
			if m == nil {
				return 0
			}
			n, _ := strconv.Atoi(m[1])
			return n
		}
		var munID int64
		if err := d.QueryRow(ctx, `SELECT municipality_id FROM opendata_datasets WHERE code = 'legal_acts'`).Scan(&munID); err != nil {
			t.Fatal(err)
		}
		add := func(code, title string, created time.Time) {
			t.Helper()
			if _, err := d.Exec(ctx, `INSERT INTO opendata_datasets (municipality_id, code, title, update_days, created_at, modified_at) VALUES (?, ?, ?, 30, ?, ?)`, munID, code, title, created, created); err != nil {
				t.Fatal(err)
			}
		}
		before := monitored()
		add("fresh_set", "Свежий набор", d.Now().Add(-24*time.Hour))
		if n := monitored(); n != before {
			t.Fatalf("a fresh dataset counts as overdue: %d, was %d", n, before)
		}
		add("stale_set", "Запоздавший набор", d.Now().Add(-60*24*time.Hour))
		if n := monitored(); n != before+1 {
			t.Fatalf("the overdue dataset is not in the monitor: %d, was %d", n, before)
		}
		list := admin.get("/admin/opendata?overdue=1")
		if !strings.Contains(list.body, "Запоздавший набор") || strings.Contains(list.body, "Свежий набор") {
			t.Fatal("the monitor's link does not list the overdue dataset alone")
		}
	})
}
