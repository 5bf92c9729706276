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
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/jobs"
	"github.com/glasnost/glasnost/internal/notify"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

//go:embed mail/*.txt
var mailFS embed.FS

// SitemapURL is one published address.
type SitemapURL struct {
	Loc     string
	LastMod time.Time
}

// SitemapSource lists what an area has published; cmd wires each area's in.
type SitemapSource func(ctx context.Context, munID int64) ([]SitemapURL, error)

// Mechanism is a card on the home page: one of the roadmap's mechanisms,
// linked when an area serves it.
type Mechanism struct {
	Number int
	Title  string
	Text   string
	Href   string
}

// IndexDoc is what the site gives the search index about a public page or
// news item. It mirrors the search kernel's document so that this package
// does not depend on how the index is built; cmd adapts one to the other.
type IndexDoc struct {
	MunicipalityID int64
	Type           string // "page" or "news"
	ObjectID       string
	Title          string
	Body           string
	URL            string
	Spheres        []string
	PublishedAt    time.Time
}

// Indexer keeps the search index in step with publication, inside the
// transaction of the change.
type Indexer interface {
	Put(ctx context.Context, tx *db.Tx, d IndexDoc) error
	Remove(ctx context.Context, tx *db.Tx, munID int64, typ, objectID string) error
}

// Config is what the area is built from.
type Config struct {
	DB       *db.DB
	Renderer *web.Renderer
	Errors   *web.Errors
	Sessions *scs.SessionManager
	Queue    *jobs.Queue
	Mailer   *notify.Mailer
	Tenants  *tenant.Store
	API      *web.APIDoc
	Log      *slog.Logger
	BaseURL  string
	// Calendar counts working days for the catalogue monitor; the shipped
	// production calendar when nil.
	Calendar *deadline.Calendar
	// Index is the search index; nothing is indexed when nil.
	Index Indexer
	// FeedbackLimiter throttles rating submissions per address; a default
	// one when nil.
	FeedbackLimiter *web.Limiter
	// ReminderEvery is how often the catalogue reminder job runs (a week).
	ReminderEvery time.Duration
}

// Area is the site area.
type Area struct {
	Config
	Store    *Store
	Markdown *Markdown
	cal      deadline.Calendar
	// Sitemaps and Cards are read on every request, so that areas wired
	// after this one still appear.
	Sitemaps func() []SitemapSource
	Cards    func() []Mechanism
}

// Templates the area requires at start.
var pageNames = []string{
	"site/home", "site/sections", "site/section", "site/page", "site/news_list", "site/news", "site/catalogue",
	"site/feedback_form", "site/admin", "site/admin_section", "site/admin_page", "site/admin_news_list", "site/admin_news",
	"site/admin_revisions", "site/admin_catalogue", "site/admin_catalogue_item", "site/admin_feedback", "site/admin_suggestions",
}

// New builds the area, registers its templates, mail templates and jobs.
func New(cfg Config) (*Area, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	a := &Area{Config: cfg, Store: &Store{DB: cfg.DB}, Markdown: NewMarkdown()}
	if cfg.Calendar != nil {
		a.cal = *cfg.Calendar
	} else {
		cal, err := deadline.Default()
		if err != nil {
			return nil, fmt.Errorf("site: production calendar: %w", err)
		}
		a.cal = cal
	}
	if a.FeedbackLimiter == nil {
		a.FeedbackLimiter = web.NewLimiter(20*time.Second, 10)
	}
	if a.ReminderEvery == 0 {
		a.ReminderEvery = 7 * 24 * time.Hour
	}
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
	var cards []Mechanism
	if a.Cards != nil {
		cards = a.Cards()
	}
	p := a.Renderer.NewPage(r, m.Name, map[string]any{"Cards": cards, "News": news, "Menu": menu})
	p.Feeds = []web.Feed{{Title: "Новости", Href: "/news.atom"}}
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
	var sources []SitemapSource
	if a.Sitemaps != nil {
		sources = a.Sitemaps()
	}
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
func (a *Area) SitemapSource(ctx context.Context, munID int64) ([]SitemapURL, error) {
	out := []SitemapURL{{Loc: "/news"}, {Loc: "/catalogue"}, {Loc: "/sections"}}
	secs, err := a.Store.Sections(ctx, munID)
	if err != nil {
		return nil, err
	}
	for _, s := range secs {
		out = append(out, SitemapURL{Loc: s.URL(), LastMod: s.UpdatedAt})
	}
	pages, err := a.Store.PublishedPages(ctx, munID)
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		out = append(out, SitemapURL{Loc: p.URL(), LastMod: p.UpdatedAt})
	}
	// News are listed in pages of 500 so that a long history does not load
	// at once.
	for off := 0; ; off += 500 {
		news, total, err := a.Store.ListNews(ctx, munID, NewsFilter{PublishedOnly: true}, 500, off)
		if err != nil {
			return nil, err
		}
		for _, n := range news {
			out = append(out, SitemapURL{Loc: n.URL(), LastMod: n.UpdatedAt})
		}
		if off+500 >= total {
			break
		}
	}
	return out, nil
}
