package acts

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"net/http"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/markdown"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

// Area is the acts area.
type Area struct {
	portal.Deps
	Store *Store
	// Espeak is the speech synthesiser's command (GLASNOST_ESPEAK,
	// "espeak-ng" by default).
	Espeak string

	actText  *markdown.Renderer // act and review texts: «#» becomes <h3>
	explText *markdown.Renderer // explanation texts: «#» becomes <h4>
}

// Staff are the roles that keep the register.
var Staff = []string{auth.Lawyer, auth.Editor, auth.Administrator}

// pages are the templates the area needs; a missing one stops the start.
var pages = []string{"acts/list", "acts/show", "acts/reviews", "acts/review",
	"acts/admin_list", "acts/admin_new", "acts/admin_edit", "acts/admin_explanation",
	"acts/admin_reviews", "acts/admin_review"}

// New builds the area, registers its templates and its speech job.
func New(d portal.Deps) (*Area, error) {
	espeak := d.Env("GLASNOST_ESPEAK")
	if espeak == "" {
		espeak = "espeak-ng"
	}
	sub, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	if err := d.Renderer.AddPages("acts", sub); err != nil {
		return nil, fmt.Errorf("acts templates: %w", err)
	}
	if err := d.Renderer.Require(pages...); err != nil {
		return nil, err
	}
	a := &Area{Deps: d, Store: &Store{DB: d.DB}, Espeak: espeak, actText: markdown.New(3), explText: markdown.New(4)}
	river.AddWorker(d.Queue.Workers(), &speechWorker{area: a})
	return a, nil
}

// Mount registers the routes and describes the API.
func (a *Area) Mount(rt *web.Router) {
	staff := web.Roles(Staff...)
	rt.HandleFunc("GET /acts", web.Public(), a.list)
	rt.HandleFunc("GET /acts/feed.atom", web.Public(), a.feedAtom)
	// The old address (before one naming scheme for feeds) answers 301.
	rt.Moved("/acts.atom", "/acts/feed.atom")
	rt.HandleFunc("GET /acts/{id}", web.Public(), a.show)
	rt.HandleFunc("GET /acts/{id}/files/{file}", web.Public(), a.file)
	rt.HandleFunc("GET /acts/{id}/explanations/{explanation}/mindmap.svg", web.Public(), a.mindMap)
	rt.HandleFunc("GET /practice-reviews", web.Public(), a.reviews)
	rt.HandleFunc("GET /practice-reviews/{id}", web.Public(), a.review)

	rt.HandleFunc("GET /admin/acts", staff, a.adminList)
	rt.HandleFunc("GET /admin/acts/new", staff, a.adminNew)
	rt.HandleFunc("POST /admin/acts", staff, a.adminCreate)
	rt.HandleFunc("GET /admin/acts/{id}", staff, a.adminEdit)
	rt.HandleFunc("POST /admin/acts/{id}", staff, a.adminUpdate)
	rt.HandleFunc("POST /admin/acts/{id}/files", staff, a.adminAttach)
	rt.HandleFunc("POST /admin/acts/{id}/files/{file}/delete", staff, a.adminDetach)
	rt.HandleFunc("POST /admin/acts/{id}/links", staff, a.adminLink)
	rt.HandleFunc("POST /admin/acts/{id}/links/{link}/delete", staff, a.adminUnlink)
	rt.HandleFunc("GET /admin/acts/{id}/explanations/new", staff, a.adminExplanationNew)
	rt.HandleFunc("POST /admin/acts/{id}/explanations", staff, a.adminExplanationCreate)
	rt.HandleFunc("GET /admin/acts/{id}/explanations/{explanation}", staff, a.adminExplanationEdit)
	rt.HandleFunc("POST /admin/acts/{id}/explanations/{explanation}", staff, a.adminExplanationUpdate)
	rt.HandleFunc("POST /admin/acts/{id}/explanations/{explanation}/delete", staff, a.adminExplanationDelete)
	rt.HandleFunc("GET /admin/practice-reviews", staff, a.adminReviews)
	rt.HandleFunc("GET /admin/practice-reviews/new", staff, a.adminReviewNew)
	rt.HandleFunc("POST /admin/practice-reviews", staff, a.adminReviewCreate)
	rt.HandleFunc("GET /admin/practice-reviews/{id}", staff, a.adminReviewEdit)
	rt.HandleFunc("POST /admin/practice-reviews/{id}", staff, a.adminReviewUpdate)

	rt.HandleFunc("GET /api/v1/acts", web.Public(), a.apiList)
	rt.HandleFunc("GET /api/v1/acts/{id}", web.Public(), a.apiGet)
	rt.HandleFunc("POST /api/v1/acts", staff, a.apiCreate)
	rt.HandleFunc("PATCH /api/v1/acts/{id}", staff, a.apiPatch)
	// The same for document-management systems that can only send GET and
	// POST (common in 1C-based ones).
	rt.HandleFunc("POST /api/v1/acts/{id}", staff, a.apiPatch)
	a.describeAPI()
}

// isStaff reports whether the viewer keeps the register and so may see
// what is not yet published.
func isStaff(r *http.Request) bool { return web.ViewerFrom(r.Context()).Has(Staff...) }

// Contribution is what the area gives the rest of the portal.
func (a *Area) Contribution() portal.Contribution {
	return portal.Contribution{
		Name: "acts", Title: "Правовые акты",
		Nav:        []web.NavItem{{Order: 30, Href: "/acts", Label: "Правовые акты"}},
		Mechanisms: []portal.MechanismLink{{Number: 3, Href: "/acts"}},
		Staff: []web.NavItem{
			{Order: 30, Href: "/admin/acts", Label: "Правовые акты и пояснения"},
			{Order: 31, Href: "/admin/practice-reviews", Label: "Обзоры правоприменительной практики"},
		},
		Sitemap:  a.Store.Sitemap,
		Feeds:    []web.Feed{{Title: "Правовые акты", Href: "/acts/feed.atom"}},
		Evidence: []events.Kind{events.ActPublished, events.ExplanationPublished, events.PracticeReviewPublished},
		Datasets: a.datasets(),
		Demo:     a.Demo,
		Scale: func(ctx context.Context, m tenant.Municipality, n int) error {
			return a.Generate(ctx, m, 100*n, 7)
		},
	}
}
