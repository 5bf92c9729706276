package site

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/markdown"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// maxBody is the largest Markdown text accepted, in bytes.
const maxBody = 512 << 10

// --- Pages ---

type pageFormData struct {
	Form     *web.Form
	Page     Page
	Sections []EditableSection
	New      bool
	Actions  []actionOption
}

type actionOption struct{ Value, Label string }

var actions = []actionOption{
	{ActionDraft, "Сохранить как черновик (не виден посетителям)"},
	{ActionPublish, "Опубликовать сейчас"},
	{ActionSchedule, "Опубликовать в назначенное время"},
}

func (a *Area) renderPageForm(w http.ResponseWriter, r *http.Request, status int, d pageFormData) {
	var err error
	if d.Sections, err = a.editableSections(r); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	d.Actions = actions
	title := "Новая страница"
	if !d.New {
		title = "Страница «" + d.Page.Title + "»"
	}
	a.Renderer.Page(w, r, status, "site/admin_page", title, d)
}

func pageValues(m tenant.Municipality, p Page) url.Values {
	v := url.Values{}
	v.Set("section", itoa64(p.SectionID))
	v.Set("title", p.Title)
	v.Set("slug", p.Slug)
	v.Set("summary", p.Summary)
	v.Set("body", p.BodyMD)
	v.Set("position", strconv.Itoa(p.Position))
	v.Set("action", ActionOf(p.State))
	if !p.PublishAt.IsZero() {
		v.Set("publish_at", m.Local(p.PublishAt).Format("2006-01-02T15:04"))
	}
	return v
}

func (a *Area) newPageForm(w http.ResponseWriter, r *http.Request) {
	v := url.Values{}
	v.Set("section", r.URL.Query().Get("section"))
	v.Set("action", ActionDraft)
	a.renderPageForm(w, r, http.StatusOK, pageFormData{Form: web.NewForm(v), New: true})
}

// readPage validates the form into p and returns the section it goes to.
func (a *Area) readPage(r *http.Request, f *web.Form, p *Page) Section {
	f.Required(map[string]string{"title": "Заголовок", "section": "Раздел"})
	f.MaxLen("title", "Заголовок", 300)
	f.MaxLen("summary", "Краткое описание", 1000)
	if len(f.Get("body")) > maxBody {
		f.Fail("body", "Текст страницы слишком длинный: разделите его на несколько страниц.")
	}
	p.Title, p.Summary, p.BodyMD = f.Get("title"), f.Get("summary"), f.Get("body")
	p.Slug = slugOrTitle(f, "title")
	if p.Slug != "" && !ValidSlug(p.Slug) {
		f.Fail("slug", "Адрес может состоять из строчных латинских букв, цифр и дефисов, например «contacts».")
	}
	p.Position = formInt(f, "position", "Порядок")
	var sec Section
	if id := formID(f, "section"); id != 0 {
		s, err := a.Store.SectionByID(r.Context(), a.DB, web.Municipality(r).ID, id)
		switch {
		case err != nil:
			f.Fail("section", "Выберите раздел из списка.")
		case !CanEdit(viewer(r), s.DepartmentID):
			f.Fail("section", "Вы можете размещать страницы только в разделах своего подразделения.")
		default:
			sec = s
			p.SectionID, p.SectionPath, p.DepartmentID = s.ID, s.Path, s.DepartmentID
		}
	}
	return sec
}

func pageAudit(p Page) map[string]any {
	return map[string]any{"title": p.Title, "section_id": p.SectionID, "slug": p.Slug, "state": p.State, "publish_at": p.PublishAt, "summary": p.Summary, "body_chars": len(p.BodyMD), "position": p.Position}
}

func (a *Area) createPage(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, maxBody+(64<<10))
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	p := Page{MunicipalityID: m.ID}
	a.readPage(r, f, &p)
	tr := a.readPublication(r, f, StateDraft, p.PublishedAt)
	if f.Valid() {
		if err := a.savePage(r, f, m, &p, Page{}, tr, true); err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		if f.Valid() {
			web.SetFlash(a.Sessions, r, publicationFlash(p.State))
			http.Redirect(w, r, "/admin/site/pages/"+itoa64(p.ID), http.StatusSeeOther)
			return
		}
	}
	a.renderPageForm(w, r, http.StatusUnprocessableEntity, pageFormData{Form: f, New: true})
}

// savePage renders the Markdown, writes the page, its revision, audit
// record, event and index entry in one transaction. A taken address is
// reported on the form rather than returned.
func (a *Area) savePage(r *http.Request, f *web.Form, m tenant.Municipality, p *Page, old Page, tr Transition, isNew bool) error {
	html, err := a.Markdown.HTML(p.BodyMD)
	if err != nil {
		return err
	}
	p.BodyHTML = html
	p.State, p.PublishAt, p.PublishedAt = tr.State, tr.PublishAt, tr.PublishedAt
	v := viewer(r)
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		action := "update"
		if isNew {
			action = "create"
			if err := a.Store.InsertPage(r.Context(), tx, p, v.ID); err != nil {
				return err
			}
		} else if err := a.Store.UpdatePage(r.Context(), tx, p, v.ID); err != nil {
			return err
		}
		if isNew || old.Title != p.Title || old.BodyMD != p.BodyMD {
			if err := a.Store.AddRevision(r.Context(), tx, m.ID, "page", p.ID, p.Title, p.BodyMD, v.ID, actorName(v)); err != nil {
				return err
			}
		}
		var before any
		if !isNew {
			before = pageAudit(old)
		}
		if err := audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, action, "site_page", itoa64(p.ID), before, pageAudit(*p))); err != nil {
			return err
		}
		// Moving a published page to another address removes the old entry
		// implicitly: the index is keyed by the page id, not the address.
		return a.afterPageSave(r.Context(), tx, m, *p, tr.Published)
	})
	if err == ErrSlugTaken {
		f.Fail("slug", err.Error())
		return nil
	}
	return err
}

// loadEditable reads the item named by the path's id and refuses it unless
// the viewer may edit its department's content; pages and news share it.
func loadEditable[T any](a *Area, w http.ResponseWriter, r *http.Request, byID func(ctx context.Context, q db.Querier, munID, id int64) (T, error), dept func(T) int64, may func(*web.Viewer, int64) bool) (T, bool) {
	var zero T
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return zero, false
	}
	item, err := byID(r.Context(), a.DB, web.Municipality(r).ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return zero, false
	}
	if !may(viewer(r), dept(item)) {
		a.Errors.Render(w, r, web.ErrForbidden)
		return zero, false
	}
	return item, true
}

func (a *Area) loadPage(w http.ResponseWriter, r *http.Request) (Page, bool) {
	return loadEditable(a, w, r, a.Store.PageByID, func(p Page) int64 { return p.DepartmentID }, CanEdit)
}

func (a *Area) editPageForm(w http.ResponseWriter, r *http.Request) {
	p, ok := a.loadPage(w, r)
	if !ok {
		return
	}
	a.renderPageForm(w, r, http.StatusOK, pageFormData{Form: web.NewForm(pageValues(web.Municipality(r), p)), Page: p})
}

func (a *Area) updatePage(w http.ResponseWriter, r *http.Request) {
	old, ok := a.loadPage(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r, maxBody+(64<<10))
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	p := old
	a.readPage(r, f, &p)
	tr := a.readPublication(r, f, old.State, old.PublishedAt)
	if f.Valid() {
		if err := a.savePage(r, f, m, &p, old, tr, false); err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		if f.Valid() {
			web.SetFlash(a.Sessions, r, publicationFlash(p.State))
			http.Redirect(w, r, "/admin/site/pages/"+itoa64(p.ID), http.StatusSeeOther)
			return
		}
	}
	a.renderPageForm(w, r, http.StatusUnprocessableEntity, pageFormData{Form: f, Page: old})
}

// RevisionView is a revision with the change it made to the previous one.
type RevisionView struct {
	Revision
	Previous     *Revision
	TitleChanged bool
	Diff         any
	Added        int
	Removed      int
}

func (a *Area) revisions(w http.ResponseWriter, r *http.Request, typ string, id int64, title, back, public string) {
	revs, err := a.Store.Revisions(r.Context(), web.Municipality(r).ID, typ, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	sel := 0
	if want, err := strconv.ParseInt(r.URL.Query().Get("rev"), 10, 64); err == nil {
		for i, rv := range revs {
			if rv.ID == want {
				sel = i
			}
		}
	}
	var view *RevisionView
	if len(revs) > 0 {
		cur := revs[sel]
		rv := &RevisionView{Revision: cur}
		prevBody, prevTitle := "", ""
		if sel+1 < len(revs) {
			prev := revs[sel+1]
			rv.Previous = &prev
			prevBody, prevTitle = prev.BodyMD, prev.Title
		}
		rv.TitleChanged = rv.Previous != nil && prevTitle != cur.Title
		rv.Diff = markdown.Diff(prevBody, cur.BodyMD)
		rv.Added, rv.Removed = markdown.DiffStats(prevBody, cur.BodyMD)
		view = rv
	}
	a.Renderer.Page(w, r, http.StatusOK, "site/admin_revisions", "Версии: "+title, map[string]any{
		"Revisions": revs, "View": view, "Back": back, "Public": public, "Base": r.URL.Path, "Title": title,
	})
}

func (a *Area) pageRevisions(w http.ResponseWriter, r *http.Request) {
	p, ok := a.loadPage(w, r)
	if !ok {
		return
	}
	public := ""
	if p.State == StatePublished {
		public = p.URL()
	}
	a.revisions(w, r, "page", p.ID, p.Title, "/admin/site/pages/"+itoa64(p.ID), public)
}

// --- News ---

type newsFormData struct {
	Form        *web.Form
	News        News
	Sections    []EditableSection
	Departments []tenant.Department
	Spheres     []tenant.Sphere
	Checked     map[string]bool
	// AllDepartments: the viewer may write for any department (press
	// secretary, administrator).
	AllDepartments bool
	New            bool
	Actions        []actionOption
	// Media are the photos and documents of a saved item; MediaForm keeps
	// a refused upload's fields (alt text, title) with its errors.
	Media     []Attachment
	MediaForm *web.Form
	// Limits shown beside the upload fields.
	PhotoLimit, DocLimit string
}

func (a *Area) renderNewsForm(w http.ResponseWriter, r *http.Request, status int, d newsFormData) {
	m := web.Municipality(r)
	var err error
	if d.Sections, err = a.editableSections(r); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if d.Departments, err = a.Tenants.Departments(r.Context(), m.ID); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if d.Spheres, err = a.Tenants.Spheres(r.Context(), m.ID); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	d.Checked = map[string]bool{}
	for _, s := range d.Form.Values["sphere"] {
		d.Checked[s] = true
	}
	v := viewer(r)
	d.AllDepartments = SeesAllNews(v)
	if d.AllDepartments {
		// The press secretary may link any news item to any section: the
		// item is the administration's, whichever department wrote it.
		for i := range d.Sections {
			d.Sections[i].CanEdit = true
		}
	}
	d.Actions = actions
	if !d.New {
		if d.Media, err = a.Store.NewsAttachments(r.Context(), a.DB, m.ID, d.News.ID); err != nil {
			a.Errors.Render(w, r, err)
			return
		}
	}
	if d.MediaForm == nil {
		d.MediaForm = web.NewForm(nil)
	}
	d.PhotoLimit, d.DocLimit = sizeLabel(a.photoLimit()), sizeLabel(a.docLimit())
	title := "Новая новость"
	if !d.New {
		title = "Новость «" + d.News.Title + "»"
	}
	a.Renderer.Page(w, r, status, "site/admin_news", title, d)
}

func newsValues(m tenant.Municipality, n News) url.Values {
	v := url.Values{}
	v.Set("title", n.Title)
	v.Set("summary", n.Summary)
	v.Set("body", n.BodyMD)
	v.Set("section", itoa64(n.SectionID))
	v.Set("department", itoa64(n.DepartmentID))
	v.Set("action", ActionOf(n.State))
	for _, s := range n.Spheres {
		v.Add("sphere", itoa64(s.ID))
	}
	if !n.PublishAt.IsZero() {
		v.Set("publish_at", m.Local(n.PublishAt).Format("2006-01-02T15:04"))
	}
	return v
}

func (a *Area) adminNewsList(w http.ResponseWriter, r *http.Request) {
	v := viewer(r)
	filter := NewsFilter{}
	if !SeesAllNews(v) {
		filter.Departments = []int64{}
		if v.DepartmentID != 0 {
			filter.Departments = []int64{v.DepartmentID}
		}
	}
	p := web.NewPager(r.URL, 30)
	list, total, err := a.Store.ListNews(r.Context(), web.Municipality(r).ID, filter, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	a.Renderer.Page(w, r, http.StatusOK, "site/admin_news_list", "Новости: редактирование", map[string]any{"News": list, "Pager": p, "Total": total, "AllDepartments": SeesAllNews(v)})
}

func (a *Area) newNewsForm(w http.ResponseWriter, r *http.Request) {
	v := url.Values{}
	v.Set("action", ActionDraft)
	if d := viewer(r).DepartmentID; d != 0 {
		v.Set("department", itoa64(d))
	}
	a.renderNewsForm(w, r, http.StatusOK, newsFormData{Form: web.NewForm(v), New: true})
}

func (a *Area) readNews(r *http.Request, f *web.Form, n *News) {
	m := web.Municipality(r)
	v := viewer(r)
	f.Required(map[string]string{"title": "Заголовок", "body": "Текст новости"})
	f.MaxLen("title", "Заголовок", 300)
	f.MaxLen("summary", "Анонс", 1000)
	if len(f.Get("body")) > maxBody {
		f.Fail("body", "Текст новости слишком длинный.")
	}
	n.Title, n.Summary, n.BodyMD = f.Get("title"), f.Get("summary"), f.Get("body")
	n.DepartmentID = formID(f, "department")
	if n.DepartmentID != 0 {
		if _, err := a.departmentName(r, n.DepartmentID); err != nil {
			f.Fail("department", "Выберите подразделение из списка.")
		}
	}
	if !CanEditNews(v, n.DepartmentID) {
		f.Fail("department", "Редактор публикует новости только от имени своего подразделения.")
	}
	n.SectionID, n.SectionPath = 0, ""
	if id := formID(f, "section"); id != 0 {
		s, err := a.Store.SectionByID(r.Context(), a.DB, m.ID, id)
		switch {
		case err != nil:
			f.Fail("section", "Выберите раздел из списка.")
		case !SeesAllNews(v) && !CanEdit(v, s.DepartmentID):
			// The news would appear in that section's page and feed; only
			// the press secretary and administrators speak in any section.
			f.Fail("section", "Новость можно связать только с разделом своего подразделения.")
		default:
			n.SectionID, n.SectionPath = s.ID, s.Path
		}
	}
	spheres, err := a.Tenants.Spheres(r.Context(), m.ID)
	if err != nil {
		f.Fail("sphere", "Не удалось загрузить сферы деятельности.")
		return
	}
	byID := map[string]tenant.Sphere{}
	for _, s := range spheres {
		byID[itoa64(s.ID)] = s
	}
	n.Spheres = nil
	for _, id := range f.Values["sphere"] {
		s, ok := byID[id]
		if !ok {
			f.Fail("sphere", "Выберите сферы из списка.")
			continue
		}
		n.Spheres = append(n.Spheres, SphereRef{ID: s.ID, Slug: s.Slug, Name: s.Name})
	}
}

func newsAudit(n News) map[string]any {
	return map[string]any{"title": n.Title, "department_id": n.DepartmentID, "section_id": n.SectionID, "state": n.State, "publish_at": n.PublishAt, "spheres": n.SphereSlugs(), "summary": n.Summary, "body_chars": len(n.BodyMD)}
}

func (a *Area) saveNews(r *http.Request, m tenant.Municipality, n *News, old News, tr Transition, isNew bool) error {
	html, err := a.Markdown.HTML(n.BodyMD)
	if err != nil {
		return err
	}
	n.BodyHTML = html
	n.State, n.PublishAt, n.PublishedAt = tr.State, tr.PublishAt, tr.PublishedAt
	v := viewer(r)
	return a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		action := "update"
		if isNew {
			action = "create"
			if err := a.Store.InsertNews(r.Context(), tx, n, v.ID); err != nil {
				return err
			}
		} else if err := a.Store.UpdateNews(r.Context(), tx, n, v.ID); err != nil {
			return err
		}
		if isNew || old.Title != n.Title || old.BodyMD != n.BodyMD {
			if err := a.Store.AddRevision(r.Context(), tx, m.ID, "news", n.ID, n.Title, n.BodyMD, v.ID, actorName(v)); err != nil {
				return err
			}
		}
		var before any
		if !isNew {
			before = newsAudit(old)
		}
		if err := audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, action, "site_news", itoa64(n.ID), before, newsAudit(*n))); err != nil {
			return err
		}
		return a.afterNewsSave(r.Context(), tx, *n, tr.Published)
	})
}

func (a *Area) createNews(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, maxBody+(64<<10))
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	n := News{MunicipalityID: m.ID}
	a.readNews(r, f, &n)
	tr := a.readPublication(r, f, StateDraft, n.PublishedAt)
	if f.Valid() {
		if err := a.saveNews(r, m, &n, News{}, tr, true); err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		web.SetFlash(a.Sessions, r, publicationFlash(n.State))
		http.Redirect(w, r, "/admin/site/news/"+itoa64(n.ID), http.StatusSeeOther)
		return
	}
	a.renderNewsForm(w, r, http.StatusUnprocessableEntity, newsFormData{Form: f, New: true})
}

func (a *Area) loadNews(w http.ResponseWriter, r *http.Request) (News, bool) {
	return loadEditable(a, w, r, a.Store.NewsByID, func(n News) int64 { return n.DepartmentID }, CanEditNews)
}

func (a *Area) editNewsForm(w http.ResponseWriter, r *http.Request) {
	n, ok := a.loadNews(w, r)
	if !ok {
		return
	}
	a.renderNewsForm(w, r, http.StatusOK, newsFormData{Form: web.NewForm(newsValues(web.Municipality(r), n)), News: n})
}

func (a *Area) updateNews(w http.ResponseWriter, r *http.Request) {
	old, ok := a.loadNews(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r, maxBody+(64<<10))
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	n := old
	a.readNews(r, f, &n)
	tr := a.readPublication(r, f, old.State, old.PublishedAt)
	if f.Valid() {
		if err := a.saveNews(r, m, &n, old, tr, false); err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		web.SetFlash(a.Sessions, r, publicationFlash(n.State))
		http.Redirect(w, r, "/admin/site/news/"+itoa64(n.ID), http.StatusSeeOther)
		return
	}
	a.renderNewsForm(w, r, http.StatusUnprocessableEntity, newsFormData{Form: f, News: old})
}

func (a *Area) newsRevisions(w http.ResponseWriter, r *http.Request) {
	n, ok := a.loadNews(w, r)
	if !ok {
		return
	}
	public := ""
	if n.State == StatePublished {
		public = n.URL()
	}
	a.revisions(w, r, "news", n.ID, n.Title, "/admin/site/news/"+itoa64(n.ID), public)
}
