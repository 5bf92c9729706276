package site

import (
	"net/http"
	"time"

	"github.com/glasnost/glasnost/internal/web"
)

func (a *Area) mountAPI(rt *web.Router) {
	rt.HandleFunc("GET /api/v1/sections", web.Public(), a.apiSections)
	rt.HandleFunc("GET /api/v1/pages/{id}", web.Public(), a.apiPage)
	rt.HandleFunc("GET /api/v1/news", web.Public(), a.apiNewsList)
	rt.HandleFunc("GET /api/v1/news/{id}", web.Public(), a.apiNews)
	if a.API == nil {
		return
	}
	section := web.Obj(map[string]any{"id": web.Int(), "parent_id": web.Int(), "slug": web.Str(), "path": web.Str(), "title": web.Str(), "description": web.Str(),
		"department": web.Str(), "in_menu": web.Bool(), "url": web.Str(), "pages": web.Arr(web.Obj(map[string]any{"id": web.Int(), "title": web.Str(), "url": web.Str()}))})
	page := web.Obj(map[string]any{"id": web.Int(), "section_id": web.Int(), "section_path": web.Str(), "title": web.Str(), "summary": web.Str(), "html": web.Str(),
		"url": web.Str(), "published_at": web.Str(), "updated_at": web.Str()})
	newsItem := map[string]any{"id": web.Int(), "title": web.Str(), "summary": web.Str(), "url": web.Str(), "published_at": web.Str(), "updated_at": web.Str(),
		"spheres": web.Arr(web.Str()), "section_path": web.Str()}
	full := map[string]any{"html": web.Str()}
	for k, v := range newsItem {
		full[k] = v
	}
	a.API.Add("GET", "/api/v1/sections", web.Operation{Summary: "Разделы официального сайта с опубликованными страницами", Tags: []string{"site"},
		Response: web.Obj(map[string]any{"sections": web.Arr(section)})})
	a.API.Add("GET", "/api/v1/pages/{id}", web.Operation{Summary: "Опубликованная страница сайта", Tags: []string{"site"},
		Parameters: []map[string]any{web.PathParam("id", "Номер страницы")}, Response: page})
	a.API.Add("GET", "/api/v1/news", web.Operation{Summary: "Новости, сначала новые", Tags: []string{"site"},
		Parameters: []map[string]any{web.QueryParam("page", "Номер страницы списка, с 1", false), web.QueryParam("sphere", "Код сферы деятельности", false)},
		Response:   web.Obj(map[string]any{"total": web.Int(), "page": web.Int(), "per_page": web.Int(), "items": web.Arr(web.Obj(newsItem))})})
	a.API.Add("GET", "/api/v1/news/{id}", web.Operation{Summary: "Новость", Tags: []string{"site"},
		Parameters: []map[string]any{web.PathParam("id", "Номер новости")}, Response: web.Obj(full)})
}

func apiTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func (a *Area) apiSections(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	secs, err := a.Store.Sections(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	pages, err := a.Store.PublishedPages(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	bySection := map[int64][]map[string]any{}
	for _, p := range pages {
		bySection[p.SectionID] = append(bySection[p.SectionID], map[string]any{"id": p.ID, "title": p.Title, "url": a.BaseURL + p.URL()})
	}
	out := make([]map[string]any, 0, len(secs))
	for _, s := range secs {
		ps := bySection[s.ID]
		if ps == nil {
			ps = []map[string]any{}
		}
		out = append(out, map[string]any{"id": s.ID, "parent_id": s.ParentID, "slug": s.Slug, "path": s.Path, "title": s.Title, "description": s.Description,
			"department": s.Department, "in_menu": s.InMenu, "url": a.BaseURL + s.URL(), "pages": ps})
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"sections": out})
}

func (a *Area) apiPage(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p, err := a.Store.PageByID(r.Context(), a.DB, web.Municipality(r).ID, id)
	if err == nil && p.State != StatePublished {
		err = web.ErrNotFound
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"id": p.ID, "section_id": p.SectionID, "section_path": p.SectionPath, "title": p.Title, "summary": p.Summary,
		"html": p.BodyHTML, "url": a.BaseURL + p.URL(), "published_at": apiTime(p.PublishedAt), "updated_at": apiTime(p.UpdatedAt)})
}

func (a *Area) newsJSON(n News, full bool) map[string]any {
	out := map[string]any{"id": n.ID, "title": n.Title, "summary": n.Summary, "url": a.BaseURL + n.URL(), "published_at": apiTime(n.PublishedAt),
		"updated_at": apiTime(n.UpdatedAt), "spheres": n.SphereSlugs(), "section_path": n.SectionPath}
	if full {
		out["html"] = n.BodyHTML
	}
	return out
}

func (a *Area) apiNewsList(w http.ResponseWriter, r *http.Request) {
	p := web.NewPager(r.URL, 20)
	list, total, err := a.Store.ListNews(r.Context(), web.Municipality(r).ID, NewsFilter{PublishedOnly: true, Sphere: r.URL.Query().Get("sphere")}, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	items := make([]map[string]any, 0, len(list))
	for _, n := range list {
		items = append(items, a.newsJSON(n, false))
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"total": total, "page": p.Page, "per_page": p.PerPage, "items": items})
}

func (a *Area) apiNews(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	n, err := a.Store.NewsByID(r.Context(), a.DB, web.Municipality(r).ID, id)
	if err == nil && n.State != StatePublished {
		err = web.ErrNotFound
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, a.newsJSON(n, true))
}
