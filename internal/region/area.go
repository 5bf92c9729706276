// Package region is the regional administrator's view of the whole
// installation: one table of every municipality with aggregates of its
// appeals, roadmap and open data for a period, and its CSV and XLSX
// exports. The figures come from the other areas' Region contributions,
// one grouped query each whatever the number of municipalities; the
// report holds counts and dates only, never personal data.
package region

import (
	"embed"
	"fmt"
	"io/fs"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

// Area serves the regional report.
type Area struct {
	portal.Deps
}

// New builds the area.
func New(d portal.Deps) (*Area, error) {
	sub, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	if err := d.Renderer.AddPages("region", sub); err != nil {
		return nil, fmt.Errorf("region templates: %w", err)
	}
	return &Area{Deps: d}, nil
}

// Mount registers the routes: the regional administrator only.
func (a *Area) Mount(rt *web.Router) {
	regional := web.Roles(auth.RegionalAdmin)
	rt.HandleFunc("GET /admin/region", regional, a.page)
	rt.HandleFunc("GET /admin/region.csv", regional, a.csv)
	rt.HandleFunc("GET /admin/region.xlsx", regional, a.xlsx)
}

// Contribution offers the report in the staff index (shown to the roles its
// route admits: the regional administrator).
func (a *Area) Contribution() portal.Contribution {
	return portal.Contribution{
		Name: "region", Title: "Регион",
		Staff: []web.NavItem{{Order: 5, Href: "/admin/region", Label: "Сводка по муниципалитетам региона"}},
	}
}
