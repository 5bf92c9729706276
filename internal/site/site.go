// Package site is the official site: the home page, sitemap.xml and
// robots.txt, and (as it grows) sections, pages and news.
package site

import (
	"context"
	"embed"
	"encoding/xml"
	"io/fs"
	"net/http"
	"time"

	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

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

// Area is the site area.
type Area struct {
	Renderer *web.Renderer
	Errors   *web.Errors
	BaseURL  string
	Sitemaps []SitemapSource
	Cards    []Mechanism
}

// New builds the area and registers its templates.
func New(r *web.Renderer, errs *web.Errors, baseURL string) (*Area, error) {
	sub, _ := fs.Sub(templatesFS, "templates")
	if err := r.AddPages("site", sub); err != nil {
		return nil, err
	}
	if err := r.Require("site/home"); err != nil {
		return nil, err
	}
	return &Area{Renderer: r, Errors: errs, BaseURL: baseURL}, nil
}

// Mount registers the routes.
func (a *Area) Mount(rt *web.Router) {
	rt.HandleFunc("GET /{$}", web.Public(), a.home)
	rt.HandleFunc("GET /sitemap.xml", web.Public(), a.sitemap)
	rt.HandleFunc("GET /robots.txt", web.Public(), a.robots)
}

func (a *Area) home(w http.ResponseWriter, r *http.Request) {
	m, _ := tenant.FromContext(r.Context())
	a.Renderer.Page(w, r, http.StatusOK, "site/home", m.Name, map[string]any{"Cards": a.Cards})
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
	for _, src := range a.Sitemaps {
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
