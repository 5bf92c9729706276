package site

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

var staff = web.Roles(auth.Administrator, auth.Editor)

// newsStaff may reach the news administration: editors for their
// department, the press secretary and administrators for every department
// (CanEditNews decides per item).
var newsStaff = web.Roles(auth.Administrator, auth.Editor, auth.Press)

func (a *Area) mountAdmin(rt *web.Router) {
	rt.HandleFunc("GET /admin/site", staff, a.adminIndex)
	rt.HandleFunc("GET /admin/site/sections/new", staff, a.newSectionForm)
	rt.HandleFunc("POST /admin/site/sections", staff, a.createSection)
	rt.HandleFunc("GET /admin/site/sections/{id}", staff, a.editSectionForm)
	rt.HandleFunc("POST /admin/site/sections/{id}", staff, a.updateSection)
	rt.HandleFunc("GET /admin/site/pages/new", staff, a.newPageForm)
	rt.HandleFunc("POST /admin/site/pages", staff, a.createPage)
	rt.HandleFunc("GET /admin/site/pages/{id}", staff, a.editPageForm)
	rt.HandleFunc("POST /admin/site/pages/{id}", staff, a.updatePage)
	rt.HandleFunc("GET /admin/site/pages/{id}/revisions", staff, a.pageRevisions)
	rt.HandleFunc("GET /admin/site/news", newsStaff, a.adminNewsList)
	rt.HandleFunc("GET /admin/site/news/new", newsStaff, a.newNewsForm)
	rt.HandleFunc("POST /admin/site/news", newsStaff, a.createNews)
	rt.HandleFunc("GET /admin/site/news/{id}", newsStaff, a.editNewsForm)
	rt.HandleFunc("POST /admin/site/news/{id}", newsStaff, a.updateNews)
	rt.HandleFunc("GET /admin/site/news/{id}/revisions", newsStaff, a.newsRevisions)
	a.mountNewsMedia(rt)
	rt.HandleFunc("GET /admin/site/catalogue", staff, a.catalogueMonitor)
	rt.HandleFunc("GET /admin/site/catalogue/{id}", staff, a.catalogueItemForm)
	rt.HandleFunc("POST /admin/site/catalogue/{id}", staff, a.updateCatalogueItem)
}

func viewer(r *http.Request) *web.Viewer { return web.ViewerFrom(r.Context()) }

func actorName(v *web.Viewer) string {
	if v == nil {
		return "система"
	}
	if v.Name != "" {
		return v.Name
	}
	return v.Email
}

// EditableSection is a section with whether the viewer may change it.
type EditableSection struct {
	Section
	CanEdit bool
}

func (a *Area) editableSections(r *http.Request) ([]EditableSection, error) {
	secs, err := a.Store.Sections(r.Context(), web.Municipality(r).ID)
	if err != nil {
		return nil, err
	}
	v := viewer(r)
	out := make([]EditableSection, len(secs))
	for i, s := range secs {
		out[i] = EditableSection{s, CanEdit(v, s.DepartmentID)}
	}
	return out, nil
}

func (a *Area) adminIndex(w http.ResponseWriter, r *http.Request) {
	secs, err := a.editableSections(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "site/admin", "Управление сайтом", map[string]any{"Sections": secs, "IsAdmin": viewer(r).Has(auth.Administrator)})
}

func formID(f *web.Form, name string) int64 {
	id, _ := strconv.ParseInt(f.Get(name), 10, 64)
	return id
}

func formInt(f *web.Form, name, label string) int {
	s := f.Get(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 100000 {
		f.Fail(name, "Укажите в поле «"+label+"» целое число от 0 до 100000.")
		return 0
	}
	return n
}

// --- Sections ---

type sectionFormData struct {
	Form        *web.Form
	Section     Section
	Sections    []EditableSection
	Departments []tenant.Department
	Pages       []Page
	IsAdmin     bool
	New         bool
}

func (a *Area) renderSectionForm(w http.ResponseWriter, r *http.Request, status int, d sectionFormData) {
	var err error
	if d.Sections, err = a.editableSections(r); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if d.Departments, err = a.Tenants.Departments(r.Context(), web.Municipality(r).ID); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	d.IsAdmin = viewer(r).Has(auth.Administrator)
	title := "Новый раздел"
	if !d.New {
		title = "Раздел «" + d.Section.Title + "»"
		if d.Pages, err = a.Store.SectionPages(r.Context(), web.Municipality(r).ID, d.Section.ID, false); err != nil {
			a.Errors.Render(w, r, err)
			return
		}
	}
	a.Renderer.Page(w, r, status, "site/admin_section", title, d)
}

func sectionValues(s Section) url.Values {
	v := url.Values{}
	v.Set("title", s.Title)
	v.Set("slug", s.Slug)
	v.Set("parent", strconv.FormatInt(s.ParentID, 10))
	v.Set("description", s.Description)
	v.Set("department", strconv.FormatInt(s.DepartmentID, 10))
	v.Set("position", strconv.Itoa(s.Position))
	if s.InMenu {
		v.Set("in_menu", "yes")
	}
	return v
}

func (a *Area) newSectionForm(w http.ResponseWriter, r *http.Request) {
	v := url.Values{}
	v.Set("parent", r.URL.Query().Get("parent"))
	if d := viewer(r).DepartmentID; d != 0 {
		v.Set("department", strconv.FormatInt(d, 10))
	}
	a.renderSectionForm(w, r, http.StatusOK, sectionFormData{Form: web.NewForm(v), New: true})
}

// readSection validates the form into s (keeping s's id), checking that
// the viewer may put the section where the form says.
func (a *Area) readSection(r *http.Request, f *web.Form, s *Section) {
	m := web.Municipality(r)
	v := viewer(r)
	f.Required(map[string]string{"title": "Название"})
	f.MaxLen("title", "Название", 200)
	f.MaxLen("description", "Описание", 2000)
	s.Title, s.Description = f.Get("title"), f.Get("description")
	s.Slug = slugOrTitle(f, "title")
	if s.Slug != "" && !ValidSlug(s.Slug) {
		f.Fail("slug", "Адрес может состоять из строчных латинских букв, цифр и дефисов, например «municipal-service».")
	}
	s.Position = formInt(f, "position", "Порядок")
	s.InMenu = f.Get("in_menu") == "yes"
	s.ParentID = formID(f, "parent")
	parentPath := ""
	if s.ParentID != 0 {
		parent, err := a.Store.SectionByID(r.Context(), a.DB, m.ID, s.ParentID)
		switch {
		case err != nil:
			f.Fail("parent", "Выберите родительский раздел из списка.")
		case !CanEdit(v, parent.DepartmentID):
			f.Fail("parent", "Вы можете создавать подразделы только в разделах своего подразделения.")
		default:
			parentPath = parent.Path
		}
	} else if !v.Has(auth.Administrator) {
		f.Fail("parent", "Разделы верхнего уровня создаёт администратор. Выберите раздел своего подразделения.")
	}
	s.DepartmentID = formID(f, "department")
	if s.DepartmentID != 0 {
		if _, err := a.departmentName(r, s.DepartmentID); err != nil {
			f.Fail("department", "Выберите подразделение из списка.")
		}
	}
	if !v.Has(auth.Administrator) && s.DepartmentID != v.DepartmentID {
		f.Fail("department", "Редактор может назначить владельцем раздела только своё подразделение.")
	}
	if s.ID != 0 && s.ParentID == s.ID {
		f.Fail("parent", ErrCycle.Error())
	}
	if s.Slug != "" {
		newPath := ChildPath(parentPath, s.Slug)
		if s.ID != 0 {
			if err := CheckMove(s.Path, parentPath); err != nil {
				f.Fail("parent", err.Error())
			}
		}
		s.Path = newPath
	}
}

func (a *Area) departmentName(r *http.Request, id int64) (string, error) {
	depts, err := a.Tenants.Departments(r.Context(), web.Municipality(r).ID)
	if err != nil {
		return "", err
	}
	for _, d := range depts {
		if d.ID == id {
			return d.Name, nil
		}
	}
	return "", db.ErrNotFound
}

func sectionAudit(s Section) map[string]any {
	return map[string]any{"title": s.Title, "path": s.Path, "parent_id": s.ParentID, "department_id": s.DepartmentID, "position": s.Position, "in_menu": s.InMenu, "description": s.Description}
}

func (a *Area) createSection(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, 64<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	s := Section{MunicipalityID: web.Municipality(r).ID}
	a.readSection(r, f, &s)
	if f.Valid() {
		err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
			if err := a.Store.CreateSection(r.Context(), tx, &s); err != nil {
				return err
			}
			return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "create", "site_section", itoa64(s.ID), nil, sectionAudit(s)))
		})
		if errors.Is(err, ErrPathTaken) {
			f.Fail("slug", err.Error())
		} else if err != nil {
			a.Errors.Render(w, r, err)
			return
		} else {
			web.SetFlash(a.Sessions, r, "Раздел «"+s.Title+"» создан.")
			http.Redirect(w, r, "/admin/site/sections/"+itoa64(s.ID), http.StatusSeeOther)
			return
		}
	}
	a.renderSectionForm(w, r, http.StatusUnprocessableEntity, sectionFormData{Form: f, New: true})
}

// loadSection finds the section of the request and refuses it unless the
// viewer may change it.
func (a *Area) loadSection(w http.ResponseWriter, r *http.Request) (Section, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return Section{}, false
	}
	s, err := a.Store.SectionByID(r.Context(), a.DB, web.Municipality(r).ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return s, false
	}
	if !CanEdit(viewer(r), s.DepartmentID) {
		a.Errors.Render(w, r, web.ErrForbidden)
		return s, false
	}
	return s, true
}

func (a *Area) editSectionForm(w http.ResponseWriter, r *http.Request) {
	s, ok := a.loadSection(w, r)
	if !ok {
		return
	}
	a.renderSectionForm(w, r, http.StatusOK, sectionFormData{Form: web.NewForm(sectionValues(s)), Section: s})
}

func (a *Area) updateSection(w http.ResponseWriter, r *http.Request) {
	old, ok := a.loadSection(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r, 64<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	s := old
	a.readSection(r, f, &s)
	if f.Valid() {
		err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
			if err := a.Store.UpdateSection(r.Context(), tx, s, old.Path); err != nil {
				return err
			}
			return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "update", "site_section", itoa64(s.ID), sectionAudit(old), sectionAudit(s)))
		})
		if errors.Is(err, ErrPathTaken) {
			f.Fail("slug", err.Error())
		} else if err != nil {
			a.Errors.Render(w, r, err)
			return
		} else {
			web.SetFlash(a.Sessions, r, "Раздел сохранён.")
			http.Redirect(w, r, "/admin/site/sections/"+itoa64(s.ID), http.StatusSeeOther)
			return
		}
	}
	a.renderSectionForm(w, r, http.StatusUnprocessableEntity, sectionFormData{Form: f, Section: old})
}

// --- Publication fields shared by pages and news ---

// readPublication reads the action and the scheduled time (entered in the
// municipality's time zone) and decides the new state.
func (a *Area) readPublication(r *http.Request, f *web.Form, current string, publishedAt time.Time) Transition {
	m := web.Municipality(r)
	var at time.Time
	if s := f.Get("publish_at"); s != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", s, locationOf(m))
		if err != nil {
			f.Fail("publish_at", "Укажите дату и время публикации в виде ДД.ММ.ГГГГ ЧЧ:ММ.")
			return Transition{}
		}
		at = t.UTC()
	}
	tr, err := Decide(current, publishedAt, f.Get("action"), at, a.DB.Now())
	if err != nil {
		field := "action"
		if errors.Is(err, ErrScheduleInPast) || errors.Is(err, ErrScheduleMissing) {
			field = "publish_at"
		}
		f.Fail(field, err.Error())
	}
	return tr
}

func locationOf(m tenant.Municipality) *time.Location {
	if m.Location == nil {
		return time.UTC
	}
	return m.Location
}

func publicationFlash(state string) string {
	switch state {
	case StatePublished:
		return "Сохранено и опубликовано."
	case StateScheduled:
		return "Сохранено. Материал будет опубликован в назначенное время."
	}
	return "Черновик сохранён."
}
