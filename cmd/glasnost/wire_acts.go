package main

import (
	"context"

	"github.com/glasnost/glasnost/internal/acts"
	"github.com/glasnost/glasnost/internal/site"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// wireActs builds the register of legal acts with its explanations and
// practice reviews (mechanisms 3 and 8.3).
func wireActs(ctx context.Context, a *App) error {
	area, err := acts.New(acts.Deps{
		DB: a.DB, Renderer: a.Renderer, Errors: a.Errors, Queue: a.Queue, Files: a.Files,
		Sessions: a.Sessions, Tenants: a.Tenants, API: a.API, BaseURL: a.Config.BaseURL,
	})
	if err != nil {
		return err
	}
	area.Mount(a.Router)
	a.Renderer.AddNav(web.NavItem{Order: 30, Href: "/acts", Label: "Правовые акты"})
	a.linkMechanism(3, "/acts")
	a.sitemaps = append(a.sitemaps, func(ctx context.Context, munID int64) ([]site.SitemapURL, error) {
		entries, err := area.SitemapEntries(ctx, munID)
		if err != nil {
			return nil, err
		}
		out := make([]site.SitemapURL, len(entries))
		for i, e := range entries {
			out[i] = site.SitemapURL{Loc: e.Path, LastMod: e.LastMod}
		}
		return out, nil
	})
	a.adminLinks = append(a.adminLinks,
		web.NavItem{Order: 30, Href: "/admin/acts", Label: "Правовые акты и пояснения"},
		web.NavItem{Order: 31, Href: "/admin/practice-reviews", Label: "Обзоры правоприменительной практики"})
	a.demo = append(a.demo, func(ctx context.Context, app *App, m tenant.Municipality) error {
		return area.Demo(ctx, m)
	})
	a.scale = append(a.scale, func(ctx context.Context, app *App, m tenant.Municipality, n int) error {
		return area.Generate(ctx, m, 100*n, 7)
	})
	return nil
}
