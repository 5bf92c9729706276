// Package statuspage serves /admin/jobs/{id}: the page where a person
// watches long work they started in the browser (jobs.Task). While the work
// runs the page refreshes itself every few seconds without JavaScript; when
// it ends it says so and links the result.
package statuspage

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/http"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/jobs"
	"github.com/glasnost/glasnost/internal/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

// RefreshSeconds is how often a running task's page reloads itself.
const RefreshSeconds = 3

// Pages serves the status pages.
type Pages struct {
	DB       *db.DB
	Renderer *web.Renderer
	Errors   *web.Errors
}

// New parses the page's template.
func New(d *db.DB, r *web.Renderer, errs *web.Errors) (*Pages, error) {
	sub, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	if err := r.AddPages("jobs", sub); err != nil {
		return nil, fmt.Errorf("job status templates: %w", err)
	}
	return &Pages{DB: d, Renderer: r, Errors: errs}, nil
}

// Mount registers the status page. Any signed-in person may ask; the
// handler shows a task only to whoever started it and to administrators.
func (p *Pages) Mount(rt *web.Router) {
	rt.HandleFunc("GET /admin/jobs/{id}", web.SignedIn(), p.show)
}

type pageData struct {
	Task    jobs.Task
	Refresh bool
	Still   bool // the person turned the refreshing off
	Seconds int
}

func (p *Pages) show(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		p.Errors.Render(w, r, err)
		return
	}
	t, err := jobs.LoadTask(r.Context(), p.DB, web.Municipality(r).ID, id)
	v := web.ViewerFrom(r.Context())
	if errors.Is(err, db.ErrNotFound) || (err == nil && t.AccountID != v.ID && !v.Has("administrator")) {
		// Someone else's task is not acknowledged to exist.
		p.Errors.Render(w, r, web.ErrNotFound)
		return
	}
	if err != nil {
		p.Errors.Render(w, r, err)
		return
	}
	still := r.URL.Query().Get("refresh") == "off"
	page := p.Renderer.NewPage(r, t.Title, pageData{Task: t, Refresh: !t.Over() && !still, Still: still && !t.Over(), Seconds: RefreshSeconds})
	// A page that changes by itself must not be served from a cache.
	w.Header().Set("Cache-Control", "no-store")
	p.Renderer.Render(w, r, http.StatusOK, "jobs/status", page)
}
