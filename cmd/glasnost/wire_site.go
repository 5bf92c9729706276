package main

import (
	"context"
	"fmt"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/search"
	"github.com/glasnost/glasnost/internal/site"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// siteIndex hands the site's documents to the search kernel.
type siteIndex struct{}

func (siteIndex) Put(ctx context.Context, tx *db.Tx, d site.IndexDoc) error {
	return search.Put(ctx, tx, search.Doc{MunicipalityID: d.MunicipalityID, Type: d.Type, ObjectID: d.ObjectID, Title: d.Title,
		Body: d.Body, URL: d.URL, Spheres: d.Spheres, PublishedAt: d.PublishedAt})
}

func (siteIndex) Remove(ctx context.Context, tx *db.Tx, munID int64, typ, objectID string) error {
	return search.Remove(ctx, tx, munID, typ, objectID)
}

// wireSite builds the official site: home page, sections, pages, news,
// the 8-FZ catalogue, page feedback, feeds and sitemap.xml. It runs first so
// that the home page and the sitemap exist whatever else is wired; the
// cards and sitemap sources of areas wired later are read on each request.
func wireSite(ctx context.Context, a *App) error {
	cal, err := deadline.Default()
	if err != nil {
		return fmt.Errorf("site: %w", err)
	}
	area, err := site.New(site.Config{DB: a.DB, Renderer: a.Renderer, Errors: a.Errors, Sessions: a.Sessions, Queue: a.Queue, Mailer: a.Mailer,
		Tenants: a.Tenants, API: a.API, Log: a.Log, BaseURL: a.Config.BaseURL, Calendar: &cal, Index: siteIndex{}})
	if err != nil {
		return fmt.Errorf("site: %w", err)
	}
	area.Mount(a.Router)
	area.Cards = func() []site.Mechanism { return a.cards }
	area.Sitemaps = func() []site.SitemapSource { return a.sitemaps }
	a.sitemaps = append(a.sitemaps, area.SitemapSource)
	a.Renderer.AddNav(
		web.NavItem{Order: 10, Href: "/news", Label: "Новости"},
		web.NavItem{Order: 15, Href: "/sections", Label: "Разделы"},
		web.NavItem{Order: 20, Href: "/catalogue", Label: "О деятельности"},
	)
	a.linkMechanism(1, "/catalogue")
	a.adminLinks = append(a.adminLinks,
		web.NavItem{Order: 10, Href: "/admin/site", Label: "Сайт: разделы и страницы"},
		web.NavItem{Order: 11, Href: "/admin/site/news", Label: "Сайт: новости"},
		web.NavItem{Order: 12, Href: "/admin/site/catalogue", Label: "Перечень информации (8-ФЗ)"},
		web.NavItem{Order: 13, Href: "/admin/site/feedback", Label: "Оценки страниц"},
	)
	a.demo = append(a.demo, func(ctx context.Context, app *App, m tenant.Municipality) error {
		return area.Demo(ctx, m)
	})
	return nil
}
