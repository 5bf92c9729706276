// Package site is the official site of a municipality: the home page, the
// tree of sections with Markdown pages, news, revisions, scheduled
// publication, the information catalogue of Federal Law 8-FZ with its
// monitor, the «Полезна ли информация?» ratings of every page, Atom feeds,
// sitemap.xml and robots.txt, and the JSON API for all of it.
package site

import (
	"context"
	"embed"
	"encoding/xml"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/markdown"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

//go:embed mail/*.txt
var mailFS embed.FS

// Area is the site area.
type Area struct {
	portal.Deps
	Store    *Store
	Markdown *markdown.Renderer
	// FeedbackLimiter throttles rating submissions per address.
	FeedbackLimiter *web.Limiter
	// ReminderEvery is how often the catalogue reminder job runs (a week).
	ReminderEvery time.Duration
}

// Templates the area requires at start.
var pageNames = []string{
	"site/home", "site/sections", "site/section", "site/page", "site/news_list", "site/news", "site/catalogue",
	"site/feedback_form", "site/admin", "site/admin_section", "site/admin_page", "site/admin_news_list", "site/admin_news",
	"site/admin_revisions", "site/admin_catalogue", "site/admin_catalogue_item", "site/admin_feedback", "site/admin_suggestions",
	"site/admin_news_calendar",
}

// New builds the area, registers its templates, mail templates and jobs.
func New(d portal.Deps) (*Area, error) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	a := &Area{Deps: d, Store: &Store{DB: d.DB}, Markdown: markdown.New(0),
		FeedbackLimiter: web.NewLimiter(20*time.Second, 10), ReminderEvery: 7 * 24 * time.Hour}
	a.Renderer.AddFuncs(templateFuncs)
	sub, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	if err := a.Renderer.AddPages("site", sub); err != nil {
		return nil, err
	}
	if err := a.Renderer.Require(pageNames...); err != nil {
		return nil, err
	}
	if a.Mailer != nil {
		if err := a.Mailer.AddTemplates(mailFS, "mail/*.txt"); err != nil {
			return nil, err
		}
	}
	if a.Queue != nil {
		river.AddWorker(a.Queue.Workers(), &publishWorker{area: a})
		river.AddWorker(a.Queue.Workers(), &reminderWorker{area: a})
		a.Queue.Every("site_publish_scheduled", time.Minute, func() river.JobArgs { return PublishScheduledArgs{} })
		a.Queue.Every("site_catalogue_reminders", time.Hour, func() river.JobArgs { return CatalogueRemindersArgs{} })
	}
	return a, nil
}

// Mount registers the routes and describes the JSON API.
func (a *Area) Mount(rt *web.Router) {
	rt.HandleFunc("GET /{$}", web.Public(), a.home)
	rt.HandleFunc("GET /sitemap.xml", web.Public(), a.sitemap)
	rt.HandleFunc("GET /robots.txt", web.Public(), a.robots)
	a.mountPublic(rt)
	a.mountFeedback(rt)
	a.mountAdmin(rt)
	a.mountAPI(rt)
}

func (a *Area) home(w http.ResponseWriter, r *http.Request) {
	m, _ := tenant.FromContext(r.Context())
	news, _, err := a.Store.ListNews(r.Context(), m.ID, NewsFilter{PublishedOnly: true}, 5, 0)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	menu, err := a.Store.MenuSections(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p := a.Renderer.NewPage(r, m.Name, map[string]any{"Cards": a.Portal.Mechanisms(), "News": news, "Menu": menu})
	p.Feeds = []web.Feed{{Title: "Новости", Href: "/news/feed.atom"}}
	p.OGType = "website"
	a.Renderer.Render(w, r, http.StatusOK, "site/home", p)
}

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

func (a *Area) sitemap(w http.ResponseWriter, r *http.Request) {
	m, _ := tenant.FromContext(r.Context())
	set := urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", URLs: []sitemapURL{{Loc: a.BaseURL + "/"}}}
	sources := a.Portal.Sitemaps()
	for _, src := range sources {
		us, err := src(r.Context(), m.ID)
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		for _, u := range us {
			su := sitemapURL{Loc: a.BaseURL + u.Loc}
			if !u.LastMod.IsZero() {
				su.LastMod = u.LastMod.UTC().Format("2006-01-02")
			}
			set.URLs = append(set.URLs, su)
		}
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(set)
}

func (a *Area) robots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("User-agent: *\nDisallow: /admin\nDisallow: /account\nDisallow: /api/\nSitemap: " + a.BaseURL + "/sitemap.xml\n"))
}

// SitemapSource lists everything the site has published: the news list,
// the catalogue, sections, published pages and news.
func (a *Area) SitemapSource(ctx context.Context, munID int64) ([]portal.SitemapURL, error) {
	out := []portal.SitemapURL{{Loc: "/news"}, {Loc: "/catalogue"}, {Loc: "/sections"}}
	secs, err := a.Store.Sections(ctx, munID)
	if err != nil {
		return nil, err
	}
	for _, s := range secs {
		out = append(out, portal.SitemapURL{Loc: s.URL(), LastMod: s.UpdatedAt})
	}
	pages, err := a.Store.PublishedPages(ctx, munID)
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		out = append(out, portal.SitemapURL{Loc: p.URL(), LastMod: p.UpdatedAt})
	}
	// News are listed in pages of 500 so that a long history does not load
	// at once.
	for off := 0; ; off += 500 {
		news, total, err := a.Store.ListNews(ctx, munID, NewsFilter{PublishedOnly: true}, 500, off)
		if err != nil {
			return nil, err
		}
		for _, n := range news {
			out = append(out, portal.SitemapURL{Loc: n.URL(), LastMod: n.UpdatedAt})
		}
		if off+500 >= total {
			break
		}
	}
	return out, nil
}

// Contribution is what the area gives the rest of the portal.
func (a *Area) Contribution() portal.Contribution {
	return portal.Contribution{
		Name: "site", Title: "Официальный сайт",
		Nav: []web.NavItem{
			{Order: 10, Href: "/news", Label: "Новости"},
			{Order: 15, Href: "/sections", Label: "Разделы"},
			{Order: 20, Href: "/catalogue", Label: "О деятельности"},
		},
		Mechanisms: []portal.MechanismLink{{Number: 1, Href: "/catalogue"}},
		Staff: []web.NavItem{
			{Order: 10, Href: "/admin/site", Label: "Сайт: разделы и страницы"},
			{Order: 11, Href: "/admin/site/news", Label: "Сайт: новости"},
			{Order: 11, Href: "/admin/news/calendar", Label: "Календарь публикаций новостей"},
			{Order: 12, Href: "/admin/site/catalogue", Label: "Перечень информации (8-ФЗ)"},
			{Order: 13, Href: "/admin/site/feedback", Label: "Оценки страниц"},
		},
		Sitemap:  a.SitemapSource,
		Feeds:    []web.Feed{{Title: "Новости", Href: "/news/feed.atom"}},
		Evidence: []events.Kind{events.PagePublished, events.NewsPublished},
		Datasets: a.datasets(),
		Tasks:    a.tasks,
		Demo:     a.Demo,
	}
}
