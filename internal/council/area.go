// Package council is the area «Общественный совет»: regulations, the
// personal composition and its history, the work plan, meetings with public
// registration for open ones, minutes with decisions, and the council's
// evaluation of the administration. See docs/council.md.
package council

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/chart"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

//go:embed templates/mail/*.txt
var mailFS embed.FS

// Area serves «Общественный совет».
type Area struct {
	portal.Deps
	Store *Store
}

var pages = []string{"council/index", "council/meeting", "council/evaluation", "council/cabinet", "council/score", "council/admin", "council/admin_meeting"}

// Staff roles that edit the council's section.
var staffRoles = []string{auth.Administrator, auth.Editor}

// New builds the area.
func New(d portal.Deps) (*Area, error) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	a := &Area{Deps: d, Store: &Store{DB: d.DB, People: d.People}}
	d.Renderer.AddFuncs(template.FuncMap{
		"cnKind":     KindLabel,
		"cnPosition": PositionLabel,
		"cnStatus":   StatusLabel,
		"cnPoints":   func(x100 int) string { return strings.Replace(fmt.Sprintf("%.2f", float64(x100)/100), ".", ",", 1) },
		"cnChart":    chart.Bars,
		"cnStatuses": func() []string { return []string{"planned", "done", "moved", "cancelled"} },
		"cnDict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
	})
	sub, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	if err := d.Renderer.AddPages("council", sub); err != nil {
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
		d.Queue.Every("council_reminders", 6*time.Hour, func() river.JobArgs { return ReminderArgs{} })
	}
	return a, nil
}

// Mount registers the area's routes and describes its API.
func (a *Area) Mount(rt *web.Router) {
	rt.HandleFunc("GET /council", web.Public(), a.index)
	rt.HandleFunc("GET /council/meetings/feed.atom", web.Public(), a.meetingsFeed)
	rt.HandleFunc("GET /council/minutes/feed.atom", web.Public(), a.minutesFeed)
	// The old address (before one naming scheme for feeds) answers 301.
	rt.Moved("/council/meetings.atom", "/council/meetings/feed.atom")
	rt.Moved("/council/minutes.atom", "/council/minutes/feed.atom")
	rt.HandleFunc("GET /council/meetings/{id}", web.Public(), a.meeting)
	rt.HandleFunc("GET /council/members/{id}/photo", web.Public(), a.photo)
	rt.HandleFunc("POST /council/meetings/{id}/register", web.SignedIn(), a.register)
	rt.HandleFunc("GET /council/plan/{year}/export.xlsx", web.Public(), a.planXLSX)
	rt.HandleFunc("GET /council/plan/{year}/export.pdf", web.Public(), a.planPDF)
	rt.HandleFunc("GET /council/evaluations/{id}", web.Public(), a.evaluation)
	rt.HandleFunc("GET /council/evaluations/{id}/export.xlsx", web.Public(), a.evaluationXLSX)
	rt.HandleFunc("GET /council/evaluations/{id}/export.pdf", web.Public(), a.evaluationPDF)

	rt.HandleFunc("GET /council/cabinet", web.Roles(auth.Council), a.cabinet)
	rt.HandleFunc("GET /council/evaluations/{id}/score", web.Roles(auth.Council), a.scoreForm)
	rt.HandleFunc("POST /council/evaluations/{id}/score", web.Roles(auth.Council), a.scoreSave)

	staff := web.Roles(staffRoles...)
	rt.HandleFunc("GET /admin/council", staff, a.admin)
	rt.HandleFunc("POST /admin/council/documents", staff, a.addDocument)
	rt.HandleFunc("POST /admin/council/compositions", staff, a.addComposition)
	rt.HandleFunc("POST /admin/council/compositions/{id}/members", staff, a.addMember)
	rt.HandleFunc("POST /admin/council/compositions/{id}/approve", staff, a.approveComposition)
	rt.HandleFunc("POST /admin/council/plan/items", staff, a.addPlanItem)
	rt.HandleFunc("POST /admin/council/plan-items/{id}", staff, a.updatePlanItem)
	rt.HandleFunc("POST /admin/council/plan/approve", staff, a.approvePlan)
	rt.HandleFunc("POST /admin/council/meetings", staff, a.createMeeting)
	rt.HandleFunc("GET /admin/council/meetings/{id}", staff, a.adminMeeting)
	rt.HandleFunc("POST /admin/council/meetings/{id}/minutes", staff, a.saveMinutes)
	rt.HandleFunc("POST /admin/council/meetings/{id}/decisions", staff, a.addDecision)
	rt.HandleFunc("POST /admin/council/meetings/{id}/invitations", staff, a.inviteGroupsPost)
	rt.HandleFunc("POST /admin/council/decisions/{id}", staff, a.updateDecision)
	rt.HandleFunc("POST /admin/council/methodologies", staff, a.addMethodology)
	rt.HandleFunc("POST /admin/council/methodologies/{id}/approve", staff, a.approveMethodology)
	rt.HandleFunc("POST /admin/council/runs", staff, a.openRun)
	rt.HandleFunc("POST /admin/council/runs/{id}/close", staff, a.closeRun)

	rt.HandleFunc("GET /api/v1/council", web.Public(), a.apiCouncil)
	rt.HandleFunc("GET /api/v1/council/meetings/{id}", web.Public(), a.apiMeeting)
	rt.HandleFunc("POST /api/v1/council/meetings", staff, a.apiCreateMeeting)
	rt.HandleFunc("POST /api/v1/council/meetings/{id}/registrations", web.SignedIn(), a.apiRegister)
	a.describeAPI()
}

// Contribution is what the area gives the shared parts of the portal.
func (a *Area) Contribution() portal.Contribution {
	return portal.Contribution{
		Name: "council", Title: "Общественный совет",
		Nav:        []web.NavItem{{Order: 50, Href: "/council", Label: "Общественный совет"}},
		Staff:      []web.NavItem{{Order: 50, Href: "/admin/council", Label: "Общественный совет"}, {Order: 51, Href: "/council/cabinet", Label: "Кабинет члена общественного совета"}},
		Mechanisms: []portal.MechanismLink{{Number: 5, Href: "/council"}},
		Sitemap:    a.sitemap,
		Feeds:      councilFeeds,
		Evidence: []events.Kind{events.CouncilRegulationsApproved, events.CouncilCompositionApproved, events.CouncilSectionPublished,
			events.CouncilPlanApproved, events.CouncilMethodologyApproved, events.CouncilEvaluationPublished, events.CouncilOpenMeetingHeld},
		Tasks:    a.tasks,
		Datasets: a.datasets(),
		Demo:     a.Demo,
	}
}

// today is the civil date in the municipality, YYYY-MM-DD.
func (a *Area) today(m tenant.Municipality) string {
	return m.Local(a.DB.Now()).Format("2006-01-02")
}

func (a *Area) tasks(ctx context.Context, m tenant.Municipality, v *web.Viewer) ([]portal.Task, error) {
	if !v.Has(staffRoles...) {
		return nil, nil
	}
	n, err := a.Store.CountOverdue(ctx, m.ID, a.today(m))
	if err != nil || n == 0 {
		return nil, err
	}
	return []portal.Task{{Label: "Просроченные решения общественного совета", Count: n, Href: "/admin/council", Overdue: true}}, nil
}

func (a *Area) sitemap(ctx context.Context, munID int64) ([]portal.SitemapURL, error) {
	ms, _, err := a.Store.Meetings(ctx, munID, 1000, 0)
	if err != nil {
		return nil, err
	}
	out := []portal.SitemapURL{{Loc: "/council"}}
	for _, m := range ms {
		out = append(out, portal.SitemapURL{Loc: m.Path(), LastMod: m.UpdatedAt})
	}
	runs, err := a.Store.Runs(ctx, munID, true)
	if err != nil {
		return nil, err
	}
	for _, r := range runs {
		out = append(out, portal.SitemapURL{Loc: fmt.Sprintf("/council/evaluations/%d", r.ID), LastMod: r.ClosedAt})
	}
	return out, nil
}

// councilFeeds are the council's Atom feeds, linked from its page's <head>.
var councilFeeds = []web.Feed{
	{Title: "Заседания общественного совета", Href: "/council/meetings/feed.atom"},
	{Title: "Протоколы общественного совета", Href: "/council/minutes/feed.atom"},
}
