// Package polls is the area «Опросы» (roadmap measure 2.2): surveys with
// questions of five kinds, one answer per account or browser, results with
// charts and exports, moderated free-text answers, and the editors' queue
// of the residents' «что добавить на сайт» suggestions. See docs/polls.md.
package polls

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

// Area serves «Опросы».
type Area struct {
	portal.Deps
	Store *Store
	// limiter throttles anonymous answers per address; nil when the
	// installation turned it off (GLASNOST_POLLS_IP_LIMIT=off, for load
	// tests behind one address).
	limiter *web.Limiter
}

// Anonymous answers per address: a burst of AnonBurst, then one every
// AnonEvery. The page states it.
const (
	AnonBurst = 20
	AnonEvery = 3 * time.Minute
)

var pages = []string{"polls/index", "polls/show", "polls/admin_list", "polls/admin_form", "polls/admin_edit", "polls/moderation", "polls/wishes"}

// staffRoles build surveys, moderate answers and handle wishes.
var staffRoles = []string{auth.Administrator, auth.Editor}

// New builds the area.
func New(d portal.Deps) (*Area, error) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	a := &Area{Deps: d, Store: &Store{DB: d.DB}}
	if d.Env("GLASNOST_POLLS_IP_LIMIT") != "off" {
		a.limiter = web.NewLimiter(AnonEvery, AnonBurst)
	}
	d.Renderer.AddFuncs(template.FuncMap{
		"pollKind":     KindLabel,
		"pollAudience": AudienceLabel,
		"pollHTML":     func(s string) template.HTML { return template.HTML(s) }, // charts drawn by internal/chart, escaped there
		"pollChecked": func(f *web.Form, name string, v int) bool {
			if f == nil {
				return false
			}
			for _, x := range f.Values[name] {
				if x == strconv.Itoa(v) {
					return true
				}
			}
			return false
		},
		"pollDate": func(m tenant.Municipality, t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return m.Local(t).Format("2006-01-02")
		},
		"pollLastDay": func(m tenant.Municipality, t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return m.Local(t.Add(-time.Second)).Format("02.01.2006")
		},
		"pollLastISO": func(m tenant.Municipality, t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return m.Local(t.Add(-time.Second)).Format("2006-01-02")
		},
		"pollWish": WishLabel,
		"pollArgs": func(f *web.Form, prefix string, kinds []struct{ Value, Label string }) map[string]any {
			return map[string]any{"F": f, "P": prefix, "Kinds": kinds}
		},
		"pollQForm": questionForm,
	})
	sub, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	if err := d.Renderer.AddPages("polls", sub); err != nil {
		return nil, err
	}
	if err := d.Renderer.Require(pages...); err != nil {
		return nil, err
	}
	if d.Queue != nil {
		river.AddWorker(d.Queue.Workers(), &resultsWorker{area: a})
		d.Queue.Every("polls_results", 10*time.Minute, func() river.JobArgs { return ResultsArgs{} })
	}
	return a, nil
}

// Mount registers the area's routes and describes its API.
func (a *Area) Mount(rt *web.Router) {
	rt.HandleFunc("GET /polls", web.Public(), a.index)
	rt.HandleFunc("GET /polls/feed.atom", web.Public(), a.feedAtom)
	rt.HandleFunc("GET /polls/{id}", web.Public(), a.show)
	rt.HandleFunc("POST /polls/{id}", web.Public(), a.submit)
	rt.HandleFunc("GET /polls/{id}/results.csv", web.Public(), a.exportCSV)
	rt.HandleFunc("GET /polls/{id}/results.xlsx", web.Public(), a.exportXLSX)

	rt.HandleFunc("GET /admin/polls", web.Roles(staffRoles...), a.adminList)
	rt.HandleFunc("GET /admin/polls/new", web.Roles(staffRoles...), a.newForm)
	rt.HandleFunc("POST /admin/polls/new", web.Roles(staffRoles...), a.create)
	rt.HandleFunc("GET /admin/polls/moderation", web.Roles(staffRoles...), a.moderation)
	rt.HandleFunc("POST /admin/poll-answers/{id}", web.Roles(staffRoles...), a.moderate)
	rt.HandleFunc("GET /admin/polls/wishes", web.Roles(staffRoles...), a.wishes)
	rt.HandleFunc("POST /admin/poll-wishes/{id}", web.Roles(staffRoles...), a.handleWish)
	rt.HandleFunc("GET /admin/polls/{id}", web.Roles(staffRoles...), a.edit)
	rt.HandleFunc("POST /admin/polls/{id}", web.Roles(staffRoles...), a.save)
	rt.HandleFunc("POST /admin/polls/{id}/questions", web.Roles(staffRoles...), a.addQuestion)
	rt.HandleFunc("POST /admin/polls/{id}/questions/{qid}", web.Roles(staffRoles...), a.saveQuestion)
	rt.HandleFunc("POST /admin/polls/{id}/questions/{qid}/delete", web.Roles(staffRoles...), a.deleteQuestion)
	rt.HandleFunc("POST /admin/polls/{id}/publish", web.Roles(staffRoles...), a.publish)
	rt.HandleFunc("POST /admin/polls/{id}/close", web.Roles(staffRoles...), a.closeNow)

	rt.HandleFunc("GET /api/v1/polls", web.Public(), a.apiList)
	rt.HandleFunc("GET /api/v1/polls/{id}", web.Public(), a.apiGet)
	rt.HandleFunc("GET /api/v1/polls/{id}/results", web.Public(), a.apiResults)
	rt.HandleFunc("POST /api/v1/polls/{id}/answers", web.Public(), a.apiAnswer)
	a.describeAPI()
}

// pollsFeed is advertised by the area's pages.
var pollsFeed = []web.Feed{{Title: "Опросы: новые опросы и итоги", Href: "/polls/feed.atom"}}

// Contribution is what the area gives the shared parts of the portal.
func (a *Area) Contribution() portal.Contribution {
	return portal.Contribution{
		Name: "polls", Title: "Опросы",
		Nav:        []web.NavItem{{Order: 55, Href: "/polls", Label: "Опросы"}},
		Staff:      []web.NavItem{{Order: 55, Href: "/admin/polls", Label: "Опросы"}, {Order: 56, Href: "/admin/polls/wishes", Label: "Что добавить на сайт: предложения жителей"}},
		Mechanisms: []portal.MechanismLink{{Number: 2, Href: "/polls"}},
		Sitemap:    a.sitemap,
		Feeds:      pollsFeed,
		Evidence:   []events.Kind{events.SurveyPublished, events.SurveyResultsPublished},
		Datasets:   []portal.DatasetSource{a.dataset()},
		Tasks:      a.tasks,
		Demo:       func(ctx context.Context, m tenant.Municipality) error { return a.Demo(ctx, m) },
	}
}

func (a *Area) sitemap(ctx context.Context, munID int64) ([]portal.SitemapURL, error) {
	list, _, err := a.Store.List(ctx, munID, ListFilter{Public: true}, 1000, 0)
	if err != nil {
		return nil, err
	}
	out := []portal.SitemapURL{{Loc: "/polls"}}
	for _, s := range list {
		out = append(out, portal.SitemapURL{Loc: fmt.Sprintf("/polls/%d", s.ID), LastMod: s.UpdatedAt})
	}
	return out, nil
}

func (a *Area) tasks(ctx context.Context, m tenant.Municipality, v *web.Viewer) ([]portal.Task, error) {
	if !v.Has(staffRoles...) {
		return nil, nil
	}
	var pending, wishes int
	if err := a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM poll_answers WHERE municipality_id = ? AND status = ?`, m.ID, Pending).Scan(&pending); err != nil {
		return nil, err
	}
	c, err := a.WishCounts(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	wishes = c.New
	var out []portal.Task
	if pending > 0 {
		out = append(out, portal.Task{Label: "Ответы в опросах ждут модерации", Count: pending, Href: "/admin/polls/moderation"})
	}
	if wishes > 0 {
		out = append(out, portal.Task{Label: "Предложения жителей «что добавить на сайт»", Count: wishes, Href: "/admin/polls/wishes"})
	}
	return out, nil
}

// PublishResults marks a survey's results published and records the event,
// in tx; it does nothing when they already are.
func (a *Area) PublishResults(ctx context.Context, tx *db.Tx, munID int64, s Survey) error {
	res, err := tx.Exec(ctx, `UPDATE poll_surveys SET results_published_at = ? WHERE municipality_id = ? AND id = ? AND results_published_at IS NULL`, a.DB.Now(), munID, s.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return events.Record(ctx, tx, events.Event{MunicipalityID: munID, Kind: events.SurveyResultsPublished, ObjectType: "poll", ObjectID: strconv.FormatInt(s.ID, 10),
		Title: "Итоги опроса «" + s.Title + "»", URL: fmt.Sprintf("/polls/%d", s.ID), OccurredAt: a.DB.Now()})
}

// PublishDue publishes the results of every survey of the municipality
// whose period is over, and returns how many it published.
func (a *Area) PublishDue(ctx context.Context, munID int64) (int, error) {
	now := a.DB.Now()
	rows, err := a.DB.Query(ctx, `SELECT id, title FROM poll_surveys WHERE municipality_id = ? AND published_at IS NOT NULL AND results_published_at IS NULL AND closes_at <= ?`, munID, now)
	if err != nil {
		return 0, err
	}
	var due []Survey
	for rows.Next() {
		var s Survey
		if err := rows.Scan(&s.ID, &s.Title); err != nil {
			rows.Close()
			return 0, err
		}
		due = append(due, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, s := range due {
		if err := a.DB.InTx(ctx, func(tx *db.Tx) error { return a.PublishResults(ctx, tx, munID, s) }); err != nil {
			return 0, err
		}
	}
	return len(due), nil
}

// ResultsArgs is the periodic job that publishes the results of surveys
// whose period ended.
type ResultsArgs struct{}

// Kind names the job.
func (ResultsArgs) Kind() string { return "polls_results" }

type resultsWorker struct {
	river.WorkerDefaults[ResultsArgs]
	area *Area
}

// Work publishes due results in every municipality.
func (w *resultsWorker) Work(ctx context.Context, _ *river.Job[ResultsArgs]) error {
	ms, err := w.area.Tenants.All(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if _, err := w.area.PublishDue(ctx, m.ID); err != nil {
			return fmt.Errorf("poll results for %s: %w", m.Slug, err)
		}
	}
	return nil
}
