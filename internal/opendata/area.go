// Package opendata is the area «Открытые данные»: datasets with passports,
// structures and immutable versions, published in the file layout of the
// Russian methodological recommendations (list.csv, meta.csv, data and
// structure files), as a DCAT catalogue and through a CKAN-compatible read
// API; datasets generated from the other areas' registers and uploaded by
// hand. See docs/opendata.md.
package opendata

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

//go:embed templates/mail/*.txt
var mailFS embed.FS

// Area serves «Открытые данные».
type Area struct {
	portal.Deps
	Store *Store
	// CheckEvery is how often the generation job looks for due datasets.
	CheckEvery time.Duration
}

// Staff are the roles that keep the datasets; administrators also set the
// publisher's details.
var Staff = []string{auth.Editor, auth.Administrator}

var pages = []string{"opendata/list", "opendata/show", "opendata/admin_list", "opendata/admin_new",
	"opendata/admin_edit", "opendata/admin_settings"}

// New builds the area, its templates and its jobs.
func New(d portal.Deps) (*Area, error) {
	sub, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	if err := d.Renderer.AddPages("opendata", sub); err != nil {
		return nil, fmt.Errorf("opendata templates: %w", err)
	}
	if err := d.Renderer.Require(pages...); err != nil {
		return nil, err
	}
	if d.Mailer != nil {
		if err := d.Mailer.AddTemplates(mailFS, "templates/mail/*.txt"); err != nil {
			return nil, err
		}
	}
	a := &Area{Deps: d, Store: &Store{DB: d.DB}, CheckEvery: 15 * time.Minute}
	if d.Queue != nil {
		river.AddWorker(d.Queue.Workers(), &generateWorker{area: a})
		river.AddWorker(d.Queue.Workers(), &generateAllWorker{area: a})
		river.AddWorker(d.Queue.Workers(), &reminderWorker{area: a})
		d.Queue.Every("opendata_generate", a.CheckEvery, func() river.JobArgs { return GenerateArgs{} })
		d.Queue.Every("opendata_reminders", 7*24*time.Hour, func() river.JobArgs { return ReminderArgs{} })
	}
	return a, nil
}

// Mount registers the routes and describes the API.
func (a *Area) Mount(rt *web.Router) {
	staff := web.Roles(Staff...)
	rt.HandleFunc("GET /opendata", web.Public(), a.list)
	rt.HandleFunc("GET /opendata/list.csv", web.Public(), a.listCSV)
	rt.HandleFunc("GET /opendata/catalog.jsonld", web.Public(), a.catalog)
	rt.HandleFunc("GET /opendata/feed.atom", web.Public(), a.feedAtom)
	// The old address (before one naming scheme for feeds) answers 301.
	rt.Moved("/opendata.atom", "/opendata/feed.atom")
	rt.HandleFunc("GET /opendata/{identifier}", web.Public(), a.show)
	rt.HandleFunc("GET /opendata/{identifier}/meta.csv", web.Public(), a.metaCSV)
	rt.HandleFunc("GET /opendata/{identifier}/{file}", web.Public(), a.file)

	rt.HandleFunc("GET /api/3/action/package_list", web.Public(), a.ckanPackageList)
	rt.HandleFunc("GET /api/3/action/package_show", web.Public(), a.ckanPackageShow)
	rt.HandleFunc("GET /api/3/action/package_search", web.Public(), a.ckanPackageSearch)

	rt.HandleFunc("GET /admin/opendata", staff, a.adminList)
	rt.HandleFunc("GET /admin/opendata/new", staff, a.adminNew)
	rt.HandleFunc("POST /admin/opendata", staff, a.adminCreate)
	rt.HandleFunc("GET /admin/opendata/settings", web.Roles(auth.Administrator), a.adminSettings)
	rt.HandleFunc("POST /admin/opendata/settings", web.Roles(auth.Administrator), a.adminSettingsSave)
	rt.HandleFunc("POST /admin/opendata/generate", staff, a.adminGenerateAll)
	rt.HandleFunc("GET /admin/opendata/{id}", staff, a.adminEdit)
	rt.HandleFunc("POST /admin/opendata/{id}", staff, a.adminUpdate)
	rt.HandleFunc("POST /admin/opendata/{id}/upload", staff, a.adminUpload)
	a.describeAPI()
}

// Contribution is what the area gives the rest of the portal.
func (a *Area) Contribution() portal.Contribution {
	return portal.Contribution{
		Name: "opendata", Title: "Открытые данные",
		Nav:        []web.NavItem{{Order: 25, Href: "/opendata", Label: "Открытые данные"}},
		Staff:      []web.NavItem{{Order: 25, Href: "/admin/opendata", Label: "Открытые данные"}},
		Mechanisms: []portal.MechanismLink{{Number: 2, Href: "/opendata"}},
		Sitemap:    a.sitemap,
		Feeds:      []web.Feed{{Title: "Открытые данные: новые версии наборов", Href: "/opendata/feed.atom"}},
		Evidence:   []events.Kind{events.DatasetPublished, events.DatasetVersionPublished},
		Tasks:      a.tasks,
		Region:     a.region,
		Demo:       func(ctx context.Context, m tenant.Municipality) error { return a.Demo(ctx, m) },
	}
}
