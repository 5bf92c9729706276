package groups

import (
	"net/http"
	"strings"

	"github.com/glasnost/glasnost/internal/web"
)

// apiGroup is a group as the API gives it: no personal data beyond the
// names of organisations and of people who agreed to be named.
type apiGroup struct {
	ID          int64       `json:"id"`
	Name        string      `json:"name"`
	URL         string      `json:"url"`
	Description string      `json:"description"`
	Spheres     []apiSphere `json:"spheres"`
	Department  string      `json:"department"`
	Regulations *apiAct     `json:"regulations"`
	Members     int         `json:"members"`
	Named       []string    `json:"named_members,omitempty"`
}

type apiSphere struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type apiAct struct {
	Title  string `json:"title"`
	Number string `json:"number"`
	Date   string `json:"date"`
	URL    string `json:"url"`
}

func toAPI(g Group, base string) apiGroup {
	out := apiGroup{ID: g.ID, Name: g.Name, URL: base + g.URL(), Description: g.Description, Department: g.Department, Members: g.Members, Spheres: []apiSphere{}}
	for _, s := range g.Spheres {
		out.Spheres = append(out.Spheres, apiSphere{Slug: s.Slug, Name: s.Name})
	}
	if g.Regulations.Set() {
		r := g.Regulations
		u := r.URL
		if strings.HasPrefix(u, "/") {
			u = base + u
		}
		out.Regulations = &apiAct{Title: r.Title, Number: r.Number, Date: r.Date, URL: u}
	}
	return out
}

func (a *Area) apiList(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	spheres, err := a.Tenants.Spheres(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p := web.NewPager(r.URL, 50)
	gs, total, err := a.Store.List(r.Context(), a.DB, m.ID, spheres, p.PerPage, p.Offset())
	if err == nil {
		err = a.fillDepartments(r.Context(), m.ID, gs)
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	limit, err := a.limit(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	base := strings.TrimRight(a.BaseURL, "/")
	out := make([]apiGroup, 0, len(gs))
	for _, g := range gs {
		out = append(out, toAPI(g, base))
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"total": total, "limit": limit, "page": p.Page, "pages": p.Pages, "groups": out})
}

func (a *Area) apiGet(w http.ResponseWriter, r *http.Request) {
	g, ok := a.loadGroup(w, r)
	if !ok {
		return
	}
	ms, err := a.Store.Members(r.Context(), a.DB, g.ID, StatusMember)
	if err == nil {
		err = a.fillPeople(r.Context(), g.MunicipalityID, ms)
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	out := toAPI(g, strings.TrimRight(a.BaseURL, "/"))
	out.Named, _ = publicMembers(ms)
	web.WriteJSON(w, http.StatusOK, out)
}

func (a *Area) describeAPI() {
	act := web.Obj(map[string]any{"title": web.Str(), "number": web.Str(), "date": web.Str(), "url": web.Str()})
	group := web.Obj(map[string]any{
		"id": web.Int(), "name": web.Str(), "url": web.Str(), "description": web.Str(), "department": web.Str(),
		"spheres":     web.Arr(web.Obj(map[string]any{"slug": web.Str(), "name": web.Str()})),
		"regulations": act, "members": web.Int(),
		"named_members": web.Arr(web.Str()),
	})
	a.API.Add("GET", "/api/v1/groups", web.Operation{Summary: "Реестр референтных групп (мера 6.1)", Tags: []string{"groups"},
		Parameters: []map[string]any{web.QueryParam("page", "Номер страницы", false)},
		Response:   web.Obj(map[string]any{"total": web.Int(), "limit": web.Int(), "page": web.Int(), "pages": web.Int(), "groups": web.Arr(group)})})
	a.API.Add("GET", "/api/v1/groups/{id}", web.Operation{Summary: "Референтная группа: сферы, регламент, число членов, организации-участники", Tags: []string{"groups"},
		Parameters: []map[string]any{web.PathParam("id", "Номер группы в реестре")}, Response: group})
}
