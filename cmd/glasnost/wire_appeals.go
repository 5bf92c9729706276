package main

import (
	"context"
	"fmt"

	"github.com/glasnost/glasnost/internal/appeals"
	"github.com/glasnost/glasnost/internal/config"
	"github.com/glasnost/glasnost/internal/site"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// wireAppeals mounts citizens' appeals (mechanism 9): submission and status,
// the staff workflow and console, reminders, the quarterly report and its
// public pages. Only published reports reach the sitemap: appeals themselves
// are personal data and are never listed anywhere public.
func wireAppeals(ctx context.Context, a *App) error {
	cfg, err := appeals.ConfigFromEnv(config.Getenv)
	if err != nil {
		return err
	}
	area, err := appeals.New(appeals.Deps{DB: a.DB, Renderer: a.Renderer, Errors: a.Errors, API: a.API, Queue: a.Queue,
		Mailer: a.Mailer, Files: a.Files, Sessions: a.Sessions, Tenants: a.Tenants}, cfg)
	if err != nil {
		return fmt.Errorf("appeals: %w", err)
	}
	area.Mount(a.Router)
	a.Renderer.AddNav(web.NavItem{Order: 60, Href: "/appeals", Label: "Обращения граждан"})
	a.linkMechanism(9, "/appeals")
	a.adminLinks = append(a.adminLinks, web.NavItem{Order: 60, Href: "/admin/appeals", Label: "Обращения граждан"})
	a.sitemaps = append(a.sitemaps, func(ctx context.Context, munID int64) ([]site.SitemapURL, error) {
		out := []site.SitemapURL{{Loc: "/appeals"}, {Loc: "/appeals/status"}, {Loc: "/appeals/reports"}}
		reports, _, err := area.Store().Reports(ctx, munID, true, 1000, 0)
		if err != nil {
			return nil, err
		}
		for _, r := range reports {
			out = append(out, site.SitemapURL{Loc: fmt.Sprintf("/appeals/reports/%d", r.ID), LastMod: r.PublishedAt})
		}
		return out, nil
	})
	a.demo = append(a.demo, func(ctx context.Context, app *App, m tenant.Municipality) error {
		return area.Demo(ctx, m)
	})
	a.scale = append(a.scale, func(ctx context.Context, app *App, m tenant.Municipality, n int) error {
		depts, err := app.Tenants.Departments(ctx, m.ID)
		if err != nil {
			return err
		}
		ids := make([]int64, len(depts))
		for i, d := range depts {
			ids[i] = d.ID
		}
		// Five quarters: the current one and the previous, which the
		// quarterly report compares, and three more of history.
		if _, err := appeals.Generate(ctx, app.DB, m.ID, 10000*n, area.Today(m), 5, ids, 11); err != nil {
			return fmt.Errorf("generated appeals: %w", err)
		}
		return nil
	})
	return nil
}
