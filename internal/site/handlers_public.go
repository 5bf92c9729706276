package site

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/markdown"
	"github.com/glasnost/glasnost/internal/web"
)

func (a *Area) mountPublic(rt *web.Router) {
	rt.HandleFunc("GET /sections", web.Public(), a.sectionsIndex)
	rt.HandleFunc("GET /sections/{path...}", web.Public(), a.sectionPath)
	rt.HandleFunc("GET /news", web.Public(), a.newsList)
	rt.HandleFunc("GET /news/{id}", web.Public(), a.newsItem)
	rt.HandleFunc("GET /news/feed.atom", web.Public(), a.newsFeed)
	// The old address (before one naming scheme for feeds) answers 301.
	rt.Moved("/news.atom", "/news/feed.atom")
	rt.HandleFunc("GET /catalogue", web.Public(), a.cataloguePublic)
}

// Crumb is one step of the breadcrumb trail.
type Crumb struct {
	Title string
	Href  string
}

// breadcrumbs names every ancestor of path in one query.
func (a *Area) breadcrumbs(ctx context.Context, munID int64, path string) ([]Crumb, error) {
	segs := strings.Split(path, "/")
	var paths []any
	for i := 1; i < len(segs); i++ {
		paths = append(paths, strings.Join(segs[:i], "/"))
	}
	crumbs := []Crumb{{"Главная", "/"}, {"Разделы сайта", "/sections"}}
	if len(paths) == 0 {
		return crumbs, nil
	}
	secs, err := a.Store.sections(ctx, a.DB, `s.municipality_id = ? AND s.path IN (`+db.Placeholders(len(paths))+`)`, append([]any{munID}, paths...)...)
	if err != nil {
		return nil, err
	}
	byPath := map[string]Section{}
	for _, s := range secs {
		byPath[s.Path] = s
	}
	for _, p := range paths {
		if s, ok := byPath[p.(string)]; ok {
			crumbs = append(crumbs, Crumb{s.Title, s.URL()})
		}
	}
	return crumbs, nil
}

func (a *Area) sectionsIndex(w http.ResponseWriter, r *http.Request) {
	secs, err := a.Store.Sections(r.Context(), web.Municipality(r).ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "site/sections", "Разделы сайта", map[string]any{"Sections": secs})
}

func (a *Area) sectionPath(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	path := strings.Trim(r.PathValue("path"), "/")
	if path == "" {
		http.Redirect(w, r, "/sections", http.StatusMovedPermanently)
		return
	}
	if sp, ok := strings.CutSuffix(path, "/feed.atom"); ok {
		a.sectionFeed(w, r, sp)
		return
	}
	sec, err := a.Store.SectionByPath(r.Context(), m.ID, path)
	if err == nil {
		a.sectionPage(w, r, sec)
		return
	}
	if !errors.Is(err, db.ErrNotFound) {
		a.Errors.Render(w, r, err)
		return
	}
	i := strings.LastIndexByte(path, '/')
	if i < 0 {
		a.Errors.Render(w, r, web.ErrNotFound)
		return
	}
	sec, err = a.Store.SectionByPath(r.Context(), m.ID, path[:i])
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p, err := a.Store.PageBySlug(r.Context(), m.ID, sec.ID, path[i+1:])
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	// Drafts and scheduled pages do not exist for the public; editors
	// preview them in the administration.
	if p.State != StatePublished {
		a.Errors.Render(w, r, web.ErrNotFound)
		return
	}
	crumbs, err := a.breadcrumbs(r.Context(), m.ID, p.SectionPath+"/"+p.Slug)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	pg := a.Renderer.NewPage(r, p.Title, map[string]any{"Page": p, "Section": sec, "Crumbs": crumbs, "CanEdit": CanEdit(web.ViewerFrom(r.Context()), sec.DepartmentID)})
	pg.Feeds = []web.Feed{{Title: "Раздел «" + sec.Title + "»", Href: sec.URL() + "/feed.atom"}}
	a.Renderer.Render(w, r, http.StatusOK, "site/page", pg)
}

func (a *Area) sectionPage(w http.ResponseWriter, r *http.Request, sec Section) {
	m := web.Municipality(r)
	ctx := r.Context()
	children, err := a.Store.Children(ctx, m.ID, sec.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	pages, err := a.Store.SectionPages(ctx, m.ID, sec.ID, true)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	news, _, err := a.Store.ListNews(ctx, m.ID, NewsFilter{PublishedOnly: true, SectionPath: sec.Path}, 5, 0)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	crumbs, err := a.breadcrumbs(ctx, m.ID, sec.Path)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	pg := a.Renderer.NewPage(r, sec.Title, map[string]any{"Section": sec, "Children": children, "Pages": pages, "News": news, "Crumbs": crumbs, "CanEdit": CanEdit(web.ViewerFrom(ctx), sec.DepartmentID)})
	pg.Feeds = []web.Feed{{Title: "Раздел «" + sec.Title + "»", Href: sec.URL() + "/feed.atom"}}
	a.Renderer.Render(w, r, http.StatusOK, "site/section", pg)
}

func (a *Area) newsList(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	sphere := r.URL.Query().Get("sphere")
	spheres, err := a.Tenants.Spheres(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	valid := sphere == ""
	for _, s := range spheres {
		if s.Slug == sphere {
			valid = true
		}
	}
	if !valid {
		sphere = ""
	}
	p := web.NewPager(r.URL, 20)
	list, total, err := a.Store.ListNews(r.Context(), m.ID, NewsFilter{PublishedOnly: true, Sphere: sphere}, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	pg := a.Renderer.NewPage(r, "Новости", map[string]any{"News": list, "Pager": p, "Spheres": spheres, "Sphere": sphere, "Total": total})
	pg.Feeds = []web.Feed{{Title: "Новости", Href: "/news/feed.atom"}}
	pg.Description = "Новости администрации: события, решения и объявления, с отбором по сферам и лентой Atom."
	pg.OGType = "website"
	a.Renderer.Render(w, r, http.StatusOK, "site/news_list", pg)
}

// visibleNews loads the news item of the path's id if the visitor may see
// it: published, or — when preview is set — not yet published but
// editable by the viewer. Anything else does not exist (404).
func (a *Area) visibleNews(w http.ResponseWriter, r *http.Request, preview bool) (News, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return News{}, false
	}
	n, err := a.Store.NewsByID(r.Context(), a.DB, web.Municipality(r).ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return n, false
	}
	if n.State != StatePublished && !(preview && CanEditNews(web.ViewerFrom(r.Context()), n.DepartmentID)) {
		a.Errors.Render(w, r, web.ErrNotFound)
		return n, false
	}
	return n, true
}

func (a *Area) newsItem(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	n, ok := a.visibleNews(w, r, false)
	if !ok {
		return
	}
	media, err := a.Store.NewsAttachments(r.Context(), a.DB, m.ID, n.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	photos, docs := splitAttachments(media)
	pg := a.Renderer.NewPage(r, n.Title, map[string]any{"News": n, "Photos": photos, "Documents": docs, "CanEdit": CanEditNews(web.ViewerFrom(r.Context()), n.DepartmentID)})
	if cover, ok := CoverPhoto(media); ok {
		pg.OGImage, pg.OGImageAlt = cover.URL(), cover.Alt
	}
	pg.Feeds = []web.Feed{{Title: "Новости", Href: "/news/feed.atom"}}
	if n.Summary != "" {
		pg.Description = web.Summary(n.Summary, 160)
	} else {
		pg.Description = web.Summary(markdown.OneLine(n.BodyHTML), 160)
	}
	pg.OGType = "article"
	a.Renderer.Render(w, r, http.StatusOK, "site/news", pg)
}

// CatalogueGroup is a category with its items, for the catalogue pages.
type CatalogueGroup struct {
	Category Category
	Items    []CatalogueItem
}

func groupCatalogue(items []CatalogueItem) []CatalogueGroup {
	var out []CatalogueGroup
	for _, c := range Categories {
		g := CatalogueGroup{Category: c}
		for _, it := range items {
			if it.Category == c.Slug {
				g.Items = append(g.Items, it)
			}
		}
		if len(g.Items) > 0 {
			out = append(out, g)
		}
	}
	return out
}

func (a *Area) cataloguePublic(w http.ResponseWriter, r *http.Request) {
	items, err := a.Store.Catalogue(r.Context(), web.Municipality(r).ID, nil)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if err := a.withDatasets(r.Context(), web.Municipality(r).ID, items); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "site/catalogue", "Информация о деятельности администрации", map[string]any{"Groups": groupCatalogue(items), "Count": len(items)})
}
