package region

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/webtest"
)

func TestPeriod(t *testing.T) {
	today := deadline.NewDate(2026, time.December, 6)
	for _, c := range []struct {
		year, quarter string
		from, to      string
		title         string
	}{
		{"", "", "2026-01-01", "2026-12-31", "2026 год"},
		{"2025", "2", "2025-04-01", "2025-06-30", "II квартал 2025 года"},
		{"2025", "4", "2025-10-01", "2025-12-31", "IV квартал 2025 года"},
		{"1812", "9", "2026-01-01", "2026-12-31", "2026 год"},
		{"2027", "", "2026-01-01", "2026-12-31", "2026 год"},
		{"x", "1", "2026-01-01", "2026-03-31", "I квартал 2026 года"},
	} {
		p := ParsePeriod(c.year, c.quarter, today)
		from, to := p.Dates()
		if from.String() != c.from || to.String() != c.to || p.Title() != c.title {
			t.Errorf("%q %q: %s–%s %q", c.year, c.quarter, from, to, p.Title())
		}
	}
}

// TestReportPagesAndTotals: the municipalities by name, 100 to a page,
// the figures summed into the totals from every page, the page only for
// the regional administrator; the sources are asked once each.
func TestReportPagesAndTotals(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env := webtest.New(t, d)
		a, err := New(env.Deps(nil))
		if err != nil {
			t.Fatal(err)
		}
		a.Mount(env.Router)
		env.Portal.Add(a.Contribution())
		ctx := context.Background()
		for i := range 150 {
			m := tenant.Municipality{Slug: fmt.Sprintf("m%03d", i), Name: fmt.Sprintf("Округ %03d", 149-i), TimeZone: "Europe/Moscow", Hosts: []string{fmt.Sprintf("m%03d.test", i)}}
			if err := env.Tenants.Create(ctx, d, &m); err != nil {
				t.Fatal(err)
			}
		}
		var asked atomic.Int32
		env.Portal.Add(portal.Contribution{Name: "fake", Region: func(_ context.Context, from, to, _ deadline.Date) ([]portal.RegionFigure, error) {
			asked.Add(1)
			if from.String() != "2025-07-01" || to.String() != "2025-09-30" {
				t.Errorf("period %s–%s", from, to)
			}
			ms, _ := env.Tenants.All(ctx)
			var out []portal.RegionFigure
			for _, m := range ms {
				out = append(out, portal.RegionFigure{MunicipalityID: m.ID, Key: portal.RegionAppealsReceived, Value: 2},
					portal.RegionFigure{MunicipalityID: m.ID, Key: portal.RegionDatasets, Value: 1})
			}
			// A municipality the report does not know is left out.
			return append(out, portal.RegionFigure{MunicipalityID: 99999, Key: portal.RegionDatasets, Value: 1000}), nil
		}})

		if r := env.Anonymous().Get("/admin/region"); r.Status != http.StatusSeeOther {
			t.Errorf("anonymous: %d", r.Status)
		}
		if r := env.Client("", auth.Administrator).Get("/admin/region"); r.Status != http.StatusForbidden {
			t.Errorf("administrator: %d", r.Status)
		}
		regional := env.Client("", auth.RegionalAdmin)
		first := regional.Get("/admin/region?year=2025&quarter=3")
		if first.Status != 200 || !strings.Contains(first.Body, "Округ 000") || strings.Contains(first.Body, "Округ 120") ||
			!strings.Contains(first.Body, "Итого (151)") || !strings.Contains(first.Body, "<td>302</td>") || !strings.Contains(first.Body, "<td>151</td>") ||
			!strings.Contains(first.Body, `href="/admin/region.csv?year=2025&amp;quarter=3"`) {
			t.Fatalf("first page: %d\n%s", first.Status, first.Body)
		}
		if n := asked.Load(); n != 1 {
			t.Errorf("the source was asked %d times for one page", n)
		}
		second := regional.Get("/admin/region?year=2025&quarter=3&page=2")
		if !strings.Contains(second.Body, "Округ 120") || strings.Contains(second.Body, "Округ 000") || !strings.Contains(second.Body, "Тестовый городской округ") {
			t.Errorf("second page:\n%s", second.Body)
		}
		csv := regional.Get("/admin/region.csv?year=2025&quarter=3")
		lines := strings.Split(strings.TrimSpace(csv.Body), "\n")
		if len(lines) != 153 || !strings.HasPrefix(lines[1], "Округ 000,m149.test,2,") || !strings.HasPrefix(lines[152], "Итого,,302,") ||
			csv.Header.Get("Content-Disposition") != `attachment; filename="region-2025-q3.csv"` {
			t.Errorf("csv: %d lines, %q … %q, %q", len(lines), lines[1], lines[len(lines)-1], csv.Header.Get("Content-Disposition"))
		}
	})
}
