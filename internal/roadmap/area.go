package roadmap

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/search"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
	"github.com/riverqueue/river"
)

//go:embed templates/*.html
var templatesFS embed.FS

//go:embed templates/mail/*.txt
var mailFS embed.FS

// Area serves the roadmaps: the public pages and exports, the JSON API, and
// the staff pages for import, evidence, schedules, rules and the
// self-assessment.
type Area struct {
	portal.Deps
	Store *Store
	// ReminderLead is how many days before a due date its reminder goes out.
	ReminderLead int
}

// pages are the templates the area renders; a missing one stops the start.
var pages = []string{"roadmap/index", "roadmap/show", "roadmap/assessment", "roadmap/admin_list", "roadmap/admin_show",
	"roadmap/import", "roadmap/preview", "roadmap/measure", "roadmap/units", "roadmap/criteria", "roadmap/assess_form"}

// New builds the area and parses its templates.
func New(d portal.Deps) (*Area, error) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	a := &Area{Deps: d, Store: &Store{DB: d.DB}, ReminderLead: 14}
	if d.Portal != nil {
		// Read at request time: every area's declared evidence kinds.
		a.Store.Tools = d.Portal.Evidence
	}
	d.Renderer.AddFuncs(template.FuncMap{
		"rmDay": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format("02.01.2006")
		},
		"rmISO":     func(t time.Time) string { return dateString(t) },
		"rmPercent": func(f float64) int { return int(f*100 + 0.5) },
		"rmKind":    KindLabel,
		"rmStage":   StageLabel,
		"rmValue":   ValueLabel,
		"rmIn":      func(xs []string, x any) bool { return slices.Contains(xs, fmt.Sprint(x)) },
		"rmLast": func(es []Evidence, n int) []Evidence {
			if len(es) > n {
				return es[len(es)-n:]
			}
			return es
		},
		"rmFieldID": fieldID,
	})
	sub, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	if err := d.Renderer.AddPages("roadmap", sub); err != nil {
		return nil, err
	}
	if err := d.Renderer.Require(pages...); err != nil {
		return nil, err
	}
	if d.Mailer != nil {
		if err := d.Mailer.AddTemplates(mailFS, "templates/mail/*.txt"); err != nil {
			return nil, err
		}
	}
	if d.Queue != nil {
		river.AddWorker(d.Queue.Workers(), &reminderWorker{area: a})
		d.Queue.Every("roadmap_reminders", 24*time.Hour, func() river.JobArgs { return ReminderArgs{} })
	}
	return a, nil
}

// fieldID makes a form field name from a measure number: «4.2» → «schedule-4-2».
func fieldID(prefix, number string) string {
	return prefix + "-" + strings.ReplaceAll(number, ".", "-")
}

// Staff roles: administrators import and delete plans and set the
// self-assessment; editors and the press secretary may also link evidence
// and correct schedules and rules, since the evidence is their work.
var (
	adminRoles    = []string{auth.Administrator}
	evidenceRoles = []string{auth.Administrator, auth.Editor, auth.Press}
)

// Mount registers the routes.
func (a *Area) Mount(rt *web.Router) {
	rt.HandleFunc("GET /roadmap", web.Public(), a.planList("roadmap/index", "Дорожные карты открытости"))
	rt.HandleFunc("GET /roadmap/{id}", web.Public(), a.show)
	rt.HandleFunc("GET /roadmap/{id}/export.xlsx", web.Public(), a.exportXLSX)
	rt.HandleFunc("GET /roadmap/{id}/export.pdf", web.Public(), a.exportPDF)
	rt.HandleFunc("GET /roadmap/{id}/assessment", web.Public(), a.assessment)

	rt.HandleFunc("GET /admin/roadmaps", web.Roles(evidenceRoles...), a.planList("roadmap/admin_list", "Дорожные карты"))
	rt.HandleFunc("GET /admin/roadmaps/import", web.Roles(adminRoles...), a.importForm)
	rt.HandleFunc("POST /admin/roadmaps/import", web.Roles(adminRoles...), a.importUpload)
	rt.HandleFunc("POST /admin/roadmaps/import/save", web.Roles(adminRoles...), a.importSave)
	rt.HandleFunc("GET /admin/roadmaps/criteria", web.Roles(adminRoles...), a.criteriaForm)
	rt.HandleFunc("POST /admin/roadmaps/criteria", web.Roles(adminRoles...), a.criteriaSave)
	rt.HandleFunc("GET /admin/roadmaps/{id}", web.Roles(evidenceRoles...), a.adminShow)
	rt.HandleFunc("POST /admin/roadmaps/{id}/delete", web.Roles(adminRoles...), a.deletePlan)
	rt.HandleFunc("GET /admin/roadmaps/{id}/units", web.Roles(adminRoles...), a.unitsForm)
	rt.HandleFunc("POST /admin/roadmaps/{id}/units", web.Roles(adminRoles...), a.unitsSave)
	rt.HandleFunc("GET /admin/roadmaps/{id}/assessment", web.Roles(adminRoles...), a.assessForm)
	rt.HandleFunc("POST /admin/roadmaps/{id}/assessment", web.Roles(adminRoles...), a.assessSave)
	rt.HandleFunc("GET /admin/roadmap-measures/{id}", web.Roles(evidenceRoles...), a.measureForm)
	rt.HandleFunc("POST /admin/roadmap-measures/{id}", web.Roles(evidenceRoles...), a.measureSave)
	rt.HandleFunc("POST /admin/roadmap-measures/{id}/links", web.Roles(evidenceRoles...), a.linkAdd)
	rt.HandleFunc("POST /admin/roadmap-links/{id}/delete", web.Roles(evidenceRoles...), a.linkDelete)

	rt.HandleFunc("GET /api/v1/roadmaps", web.Public(), a.apiList)
	rt.HandleFunc("GET /api/v1/roadmaps/{id}", web.Public(), a.apiGet)
	a.describeAPI()
}

// today is the civil date in the municipality now, by the database clock
// (which tests set).
func (a *Area) today(m tenant.Municipality) time.Time {
	return Today(a.DB.Now(), m.Location)
}

// progress loads a plan with its progress on today.
func (a *Area) progress(ctx context.Context, m tenant.Municipality, id int64) (Plan, time.Time, error) {
	today := a.today(m)
	p, err := a.Store.Progress(ctx, m.ID, id, m.Location, today)
	return p, today, err
}

// SearchDoc is the plan as the site search indexes it: its title, act and
// every mechanism and measure, which are all public.
func SearchDoc(munID int64, id int64, r Roadmap, published time.Time) search.Doc {
	var b strings.Builder
	b.WriteString(r.ApprovingAct)
	for _, m := range r.Mechanisms {
		fmt.Fprintf(&b, "\n%d. %s", m.Number, m.Title)
		for _, ms := range m.Measures {
			fmt.Fprintf(&b, "\n%s %s %s", ms.Number, ms.Text, ms.ExpectedResult)
		}
	}
	return search.Doc{MunicipalityID: munID, Type: "roadmap", ObjectID: strconv.FormatInt(id, 10), Title: r.Title, Body: b.String(),
		URL: "/roadmap/" + strconv.FormatInt(id, 10), PublishedAt: published}
}

// SaveImport stores an imported roadmap with its audit record and its
// search entry, all in tx. actor is filled by the caller (a request or the
// command line).
func (s *Store) SaveImport(ctx context.Context, tx *db.Tx, munID int64, r Roadmap, opt SaveOptions, entry audit.Entry) (int64, error) {
	id, err := s.Create(ctx, tx, munID, r, opt)
	if err != nil {
		return 0, err
	}
	entry.MunicipalityID, entry.Entity, entry.EntityID = munID, "roadmap", strconv.FormatInt(id, 10)
	if entry.Action == "" {
		entry.Action = "roadmap.import"
	}
	entry.After = map[string]any{"title": r.Title, "approving_act": r.ApprovingAct, "mechanisms": len(r.Mechanisms), "measures": r.MeasureCount(), "source": opt.SourceName}
	if err := audit.Write(ctx, tx, s.DB.Now(), entry); err != nil {
		return 0, err
	}
	if err := search.Put(ctx, tx, SearchDoc(munID, id, r, s.DB.Now())); err != nil {
		return 0, fmt.Errorf("index roadmap: %w", err)
	}
	return id, nil
}

// Contribution is what the area gives the rest of the portal.
func (a *Area) Contribution() portal.Contribution {
	return portal.Contribution{
		Name: "roadmap", Title: "Дорожная карта",
		Nav:      []web.NavItem{{Order: 90, Href: "/roadmap", Label: "Дорожная карта"}},
		Staff:    []web.NavItem{{Order: 90, Href: "/admin/roadmaps", Label: "Дорожные карты"}},
		Sitemap:  a.sitemap,
		Datasets: a.datasets(),
		Region:   a.region,
		Demo:     a.Demo,
	}
}

func (a *Area) sitemap(ctx context.Context, munID int64) ([]portal.SitemapURL, error) {
	plans, _, err := a.Store.List(ctx, munID, 1000, 0)
	if err != nil {
		return nil, err
	}
	var out []portal.SitemapURL
	for _, p := range plans {
		loc := fmt.Sprintf("/roadmap/%d", p.ID)
		out = append(out, portal.SitemapURL{Loc: loc, LastMod: p.UpdatedAt}, portal.SitemapURL{Loc: loc + "/assessment", LastMod: p.UpdatedAt})
	}
	return out, nil
}
