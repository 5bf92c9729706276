package site

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// openDataset writes a dataset of the open data register straight into its
// table (the site never imports the opendata package).
func (s *testSite) openDataset(t *testing.T, code, title string) {
	t.Helper()
	now := s.DB.Now()
	if _, err := s.DB.Exec(context.Background(), `INSERT INTO opendata_datasets (municipality_id, code, title, created_at, modified_at) VALUES (?, ?, ?, ?, ?)`, s.Municipality.ID, code, title, now, now); err != nil {
		t.Fatal(err)
	}
}

func TestCatalogueItemLinksOpenDataset(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := newTestSite(t, d)
		d.Now = fixedClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
		ctx := context.Background()
		s.openDataset(t, "legal_acts", "Реестр муниципальных правовых актов")
		it := s.item(t, "2а", "affairs", RuleCurrent, 0, "2026-11-20", "")
		editor := s.Client("affairs", auth.Editor)
		page := editor.Get("/admin/site/catalogue/" + itoa64(it.ID))
		if page.Status != 200 || !strings.Contains(page.Body, `<option value="legal_acts">Реестр муниципальных правовых актов (legal_acts)</option>`) {
			t.Fatalf("item form does not offer the dataset: %d", page.Status)
		}
		// A code that is not a dataset of the municipality is refused and kept.
		r := editor.PostForm("/admin/site/catalogue/"+itoa64(it.ID), form("updated_on", "2026-11-20", "opendata", "no_such_set"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="opendata-error"`) || !strings.Contains(r.Body, "Выберите набор открытых данных из списка.") {
			t.Fatalf("unknown dataset accepted: %d", r.Status)
		}
		// No INN yet: the identifier uses the register's placeholder.
		if pub := s.Anonymous().Get("/catalogue"); strings.Contains(pub.Body, "Открытые данные") {
			t.Fatal("unflagged item shows open data")
		}
		r = editor.PostForm("/admin/site/catalogue/"+itoa64(it.ID), form("updated_on", "2026-11-20", "opendata", "legal_acts"))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("flag item: %d %s", r.Status, r.Body)
		}
		got, _ := s.Area.Store.CatalogueItemByID(ctx, d, s.Municipality.ID, it.ID)
		if got.OpenData != "legal_acts" {
			t.Fatalf("flag not saved: %+v", got)
		}
		if count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'site_catalogue_item' AND after_state LIKE '%legal_acts%'`) != 1 {
			t.Fatal("flag not audited")
		}
		if pub := s.Anonymous().Get("/catalogue"); !strings.Contains(pub.Body, `Открытые данные: <a href="/opendata/0000000000-legal_acts">Реестр муниципальных правовых актов</a>`) {
			t.Fatal("public catalogue lacks the open data link (placeholder INN)")
		}
		if _, err := d.Exec(ctx, `INSERT INTO opendata_settings (municipality_id, inn, updated_at) VALUES (?, ?, ?)`, s.Municipality.ID, "6606003385", d.Now()); err != nil {
			t.Fatal(err)
		}
		if pub := s.Anonymous().Get("/catalogue"); !strings.Contains(pub.Body, `href="/opendata/6606003385-legal_acts"`) {
			t.Fatal("public catalogue link does not use the INN")
		}
		// Clearing the flag removes the link.
		if r := editor.PostForm("/admin/site/catalogue/"+itoa64(it.ID), form("updated_on", "2026-11-20", "opendata", "")); r.Status != http.StatusSeeOther {
			t.Fatalf("clear flag: %d", r.Status)
		}
		if pub := s.Anonymous().Get("/catalogue"); strings.Contains(pub.Body, "Открытые данные") {
			t.Fatal("cleared flag still links")
		}
	})
}

func TestCatalogueMonitorShowsOverdueWorkOfOtherAreas(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := newTestSite(t, d)
		d.Now = fixedClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
		s.Portal.Add(portal.Contribution{Name: "fake", Title: "Открытые данные", Tasks: func(ctx context.Context, m tenant.Municipality, v *web.Viewer) ([]portal.Task, error) {
			return []portal.Task{
				{Label: "Наборы открытых данных не обновлены в срок", Count: 2, Href: "/admin/opendata?overdue=1", Overdue: true},
				{Label: "Черновики наборов", Count: 3, Href: "/admin/opendata"},
			}, nil
		}})
		mon := s.Client("affairs", auth.Editor).Get("/admin/site/catalogue")
		if mon.Status != 200 || !strings.Contains(mon.Body, "Просрочено в других разделах") ||
			!strings.Contains(mon.Body, `Открытые данные: <a href="/admin/opendata?overdue=1">Наборы открытых данных не обновлены в срок</a> — <strong>2</strong>`) {
			t.Fatalf("monitor lacks the overdue work of another area: %d", mon.Status)
		}
		if strings.Contains(mon.Body, "Черновики наборов") {
			t.Fatal("work that is not overdue shown in the monitor")
		}
	})
}
