// Package training is the area «Обучение сотрудников»: the course on the
// code of ethics for municipal employees (measure 8.2) — material, a quiz
// with a pass mark and limited attempts, a PDF certificate verifiable at a
// public address, and a report by department. See docs/training.md.
package training

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strconv"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/markdown"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

// Area serves «Обучение сотрудников».
type Area struct {
	portal.Deps
	Store *Store
	text  *markdown.Renderer
}

// Staff are the roles that take the course: every municipal employee's
// account.
var Staff = []string{auth.Administrator, auth.Editor, auth.Press, auth.Lawyer, auth.Operator}

var pages = []string{"training/index", "training/course", "training/quiz", "training/verify", "training/admin_list", "training/admin_edit", "training/report"}

// New builds the area.
func New(d portal.Deps) (*Area, error) {
	sub, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	if err := d.Renderer.AddPages("training", sub); err != nil {
		return nil, fmt.Errorf("training templates: %w", err)
	}
	if err := d.Renderer.Require(pages...); err != nil {
		return nil, err
	}
	return &Area{Deps: d, Store: &Store{DB: d.DB}, text: markdown.New(2)}, nil
}

// Mount registers the area's routes.
func (a *Area) Mount(rt *web.Router) {
	staff := web.Roles(Staff...)
	admin := web.Roles(auth.Administrator)
	rt.HandleFunc("GET /training", staff, a.index)
	rt.HandleFunc("GET /training/verify", web.Public(), a.verify)
	rt.HandleFunc("GET /training/{id}", staff, a.course)
	rt.HandleFunc("GET /training/{id}/quiz", staff, a.quizForm)
	rt.HandleFunc("POST /training/{id}/quiz", staff, a.quizSubmit)
	rt.HandleFunc("GET /training/{id}/certificate.pdf", staff, a.certificate)

	rt.HandleFunc("GET /admin/training", admin, a.adminList)
	rt.HandleFunc("GET /admin/training/report", admin, a.report)
	rt.HandleFunc("GET /admin/training/new", admin, a.adminNew)
	rt.HandleFunc("POST /admin/training", admin, a.adminCreate)
	rt.HandleFunc("GET /admin/training/{id}", admin, a.adminEdit)
	rt.HandleFunc("POST /admin/training/{id}", admin, a.adminUpdate)
	rt.HandleFunc("POST /admin/training/{id}/reset", admin, a.adminReset)
}

// Contribution is what the area gives the shared parts of the portal.
func (a *Area) Contribution() portal.Contribution {
	return portal.Contribution{
		Name: "training", Title: "Обучение сотрудников",
		Staff: []web.NavItem{
			{Order: 90, Href: "/training", Label: "Обучение: кодекс этики"},
			{Order: 91, Href: "/admin/training", Label: "Обучение: курсы и отчёт"},
		},
		Evidence: []events.Kind{events.TrainingCourseCompleted},
		Tasks:    a.tasks,
		Demo:     a.Demo,
	}
}

// tasks: a course the viewer has not passed yet.
func (a *Area) tasks(ctx context.Context, m tenant.Municipality, v *web.Viewer) ([]portal.Task, error) {
	if !v.Has(Staff...) {
		return nil, nil
	}
	cs, err := a.Store.Courses(ctx, a.DB, m.ID)
	if err != nil {
		return nil, err
	}
	n := 0
	for _, c := range cs {
		_, err := a.Store.CompletionOf(ctx, a.DB, c.ID, v.ID)
		switch {
		case errors.Is(err, db.ErrNotFound):
			n++
		case err != nil:
			return nil, err
		}
	}
	if n == 0 {
		return nil, nil
	}
	return []portal.Task{{Label: "Курсы обучения, которые нужно пройти", Count: n, Href: "/training"}}, nil
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
