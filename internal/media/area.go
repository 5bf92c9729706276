// Package media is the area «Работа со СМИ» (mechanism 10 of the roadmap):
// the annual media plan approved by an act, its weekly control. See
// docs/media.md.
package media

import (
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

// Area serves «Работа со СМИ».
type Area struct {
	portal.Deps
	// Fetcher fetches the monitored feeds (timeout, size and redirect
	// limits).
	Fetcher *Fetcher
}

// Staff are the roles that keep the media plan.
var Staff = []string{auth.Press, auth.Administrator}

var pages = []string{"media/admin_plans", "media/admin_plan", "media/admin_item", "media/admin_week", "media/admin_reports", "media/admin_report",
	"media/admin_sources", "media/admin_mentions", "media/admin_lexicon", "media/press", "media/digests", "media/digest",
	"media/request_new", "media/requests_mine", "media/admin_requests", "media/admin_request_new", "media/admin_request", "media/admin_accreditations"}

//go:embed mail/*.txt
var mailFS embed.FS

// New builds the area.
func New(d portal.Deps) (*Area, error) {
	sub, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	if err := d.Renderer.AddPages("media", sub); err != nil {
		return nil, fmt.Errorf("media templates: %w", err)
	}
	if err := d.Renderer.Require(pages...); err != nil {
		return nil, err
	}
	if err := d.Mailer.AddTemplates(mailFS, "mail/*.txt"); err != nil {
		return nil, err
	}
	if d.Env("GLASNOST_MEDIA_MOVE_OFF_DAYS") != "" {
		return nil, fmt.Errorf("GLASNOST_MEDIA_MOVE_OFF_DAYS больше не действует: сроки ответа на запрос СМИ, оканчивающиеся в выходной, переносятся по общему правилу муниципального образования (Администрирование → Обращения → Производственный календарь)")
	}
	a := &Area{Deps: d, Fetcher: NewFetcher(DefaultFetchTimeout, DefaultMaxFeedBytes)}
	river.AddWorker(d.Queue.Workers(), &weekReportWorker{a: a})
	river.AddWorker(d.Queue.Workers(), &fetchWorker{a: a})
	river.AddWorker(d.Queue.Workers(), &reminderWorker{a: a})
	d.Queue.Every("media_request_reminders", 6*time.Hour, func() river.JobArgs { return ReminderArgs{} })
	d.Queue.Every("media_fetch", 5*time.Minute, func() river.JobArgs { return FetchArgs{} })
	d.Queue.Every("media_week_report", 6*time.Hour, func() river.JobArgs { return WeekReportArgs{} })
	return a, nil
}

// Mount registers the area's routes and describes its API.
func (a *Area) Mount(rt *web.Router) {
	staff := web.Roles(Staff...)
	rt.HandleFunc("GET /media", web.Public(), a.press)
	rt.HandleFunc("GET /media/digests", web.Public(), a.digests)
	rt.HandleFunc("GET /media/digests/{id}", web.Public(), a.digest)
	rt.HandleFunc("GET /media/digests/{id}/digest.pdf", web.Public(), a.digestPDF)
	a.mountAPI(rt)
	rt.HandleFunc("GET /media/demo-feeds/{name}", web.Public(), a.demoFeed)
	rt.HandleFunc("GET /media/requests", web.SignedIn(), a.journalistList)
	rt.HandleFunc("GET /media/requests/new", web.SignedIn(), a.journalistNew)
	rt.HandleFunc("POST /media/requests", web.SignedIn(), a.journalistCreate)
	reqStaff := web.Roles(RequestStaff...)
	rt.HandleFunc("GET /admin/media/requests", reqStaff, a.adminRequests)
	rt.HandleFunc("GET /admin/media/requests/new", reqStaff, a.adminRequestNew)
	rt.HandleFunc("POST /admin/media/requests", reqStaff, a.adminRequestCreate)
	rt.HandleFunc("GET /admin/media/requests/{id}", reqStaff, a.adminRequest)
	rt.HandleFunc("POST /admin/media/requests/{id}/notice", staff, a.adminNotice)
	rt.HandleFunc("POST /admin/media/requests/{id}/draft", reqStaff, a.adminDraft)
	rt.HandleFunc("POST /admin/media/requests/{id}/check", staff, a.adminCheck)
	rt.HandleFunc("POST /admin/media/requests/{id}/publish", staff, a.adminPublish)
	rt.HandleFunc("GET /admin/media/accreditations", staff, a.adminAccreditations)
	rt.HandleFunc("POST /admin/media/accreditations", staff, a.adminAccreditationCreate)
	rt.HandleFunc("POST /admin/media/accreditations/{id}", staff, a.adminAccreditationStatus)
	rt.HandleFunc("GET /admin/media", staff, a.adminPlans)
	rt.HandleFunc("POST /admin/media/plans", staff, a.adminPlanCreate)
	rt.HandleFunc("GET /admin/media/plans/template.xlsx", staff, a.adminTemplate)
	rt.HandleFunc("GET /admin/media/plans/{id}", staff, a.adminPlan)
	rt.HandleFunc("POST /admin/media/plans/{id}", staff, a.adminPlanUpdate)
	rt.HandleFunc("POST /admin/media/plans/{id}/items", staff, a.adminItemCreate)
	rt.HandleFunc("POST /admin/media/plans/{id}/import", staff, a.adminImport)
	rt.HandleFunc("GET /admin/media/items/{id}", staff, a.adminItem)
	rt.HandleFunc("POST /admin/media/items/{id}", staff, a.adminItemUpdate)
	rt.HandleFunc("POST /admin/media/items/{id}/delete", staff, a.adminItemDelete)
	rt.HandleFunc("POST /admin/media/items/{id}/control", staff, a.adminControl)
	rt.HandleFunc("GET /admin/media/week", staff, a.adminWeek)
	rt.HandleFunc("GET /admin/media/reports", staff, a.adminReports)
	rt.HandleFunc("GET /admin/media/reports/{id}", staff, a.adminReport)
	rt.HandleFunc("GET /admin/media/reports/{id}/report.pdf", staff, a.adminReportPDF)
	rt.HandleFunc("GET /admin/media/reports/{id}/report.xlsx", staff, a.adminReportXLSX)
	rt.HandleFunc("GET /admin/media/sources", staff, a.adminSources)
	rt.HandleFunc("POST /admin/media/sources", staff, a.adminSourceCreate)
	rt.HandleFunc("POST /admin/media/sources/{id}/fetch", staff, a.adminSourceFetch)
	rt.HandleFunc("POST /admin/media/sources/{id}/delete", staff, a.adminSourceDelete)
	rt.HandleFunc("POST /admin/media/rules", staff, a.adminRuleCreate)
	rt.HandleFunc("POST /admin/media/rules/{id}/delete", staff, a.adminRuleDelete)
	rt.HandleFunc("GET /admin/media/mentions", staff, a.adminMentions)
	rt.HandleFunc("POST /admin/media/mentions/{id}/tonality", staff, a.adminTonality)
	rt.HandleFunc("GET /admin/media/lexicon", staff, a.adminLexicon)
	rt.HandleFunc("POST /admin/media/lexicon", staff, a.adminLexiconSave)
}

// Contribution is what the area gives the shared parts of the portal.
func (a *Area) Contribution() portal.Contribution {
	return portal.Contribution{
		Name: "media", Title: "Работа со СМИ",
		Staff: []web.NavItem{
			{Order: 100, Href: "/admin/media", Label: "Медиаплан"},
			{Order: 101, Href: "/admin/media/week", Label: "Контроль медиаплана за неделю"},
			{Order: 102, Href: "/admin/media/reports", Label: "Отчёты об исполнении медиаплана"},
			{Order: 103, Href: "/admin/media/mentions", Label: "Мониторинг СМИ и социальных сетей"},
			{Order: 104, Href: "/admin/media/sources", Label: "Источники и правила мониторинга"},
			{Order: 105, Href: "/admin/media/requests", Label: "Запросы СМИ"},
			{Order: 106, Href: "/admin/media/accreditations", Label: "Аккредитация журналистов"},
		},
		Nav:        []web.NavItem{{Order: 80, Href: "/media", Label: "Пресс-центр"}},
		Mechanisms: []portal.MechanismLink{{Number: 10, Href: "/media"}},
		Evidence:   []events.Kind{events.MediaPlanApproved, events.MediaWeekControlled, events.MediaDigestPublished, events.MediaRequestAnswered},
		Tasks:      a.Tasks,
		Demo:       a.Demo,
	}
}
