package site

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

func (a *Area) catalogueMonitor(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	v := viewer(r)
	var depts []int64
	if !v.Has(auth.Administrator) {
		depts = []int64{}
		if v.DepartmentID != 0 {
			depts = []int64{v.DepartmentID}
		}
	}
	items, err := a.Store.Catalogue(r.Context(), m.ID, depts)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if items, err = a.withStatus(r.Context(), m, items); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	onlyOverdue := r.URL.Query().Get("show") == "overdue"
	overdue := 0
	var shown []CatalogueItem
	for _, it := range items {
		if it.Status.Overdue {
			overdue++
		}
		if !onlyOverdue || it.Status.Overdue {
			shown = append(shown, it)
		}
	}
	a.Renderer.Page(w, r, http.StatusOK, "site/admin_catalogue", "Мониторинг перечня информации", map[string]any{
		"Groups": groupCatalogue(shown), "Total": len(items), "Overdue": overdue, "OnlyOverdue": onlyOverdue, "IsAdmin": v.Has(auth.Administrator),
		"Elsewhere": a.overdueElsewhere(r.Context(), m, v),
	})
}

// overdueElsewhere is the overdue work the other areas report to the
// viewer (the open data register's datasets not updated in time among
// them), so that the monitor shows every missed term of information
// publication in one place.
func (a *Area) overdueElsewhere(ctx context.Context, m tenant.Municipality, v *web.Viewer) []web.Task {
	var out []web.Task
	for _, t := range a.Portal.Tasks(ctx, a.Log, m, v, "site") {
		if t.Overdue && t.Count > 0 {
			out = append(out, t)
		}
	}
	return out
}

// tasks tells staff how many catalogue items of their department (every
// department for an administrator) are past their update term.
func (a *Area) tasks(ctx context.Context, m tenant.Municipality, v *web.Viewer) ([]portal.Task, error) {
	if !v.Has(auth.Staff...) {
		return nil, nil
	}
	byDept, err := a.OverdueByDepartment(ctx, m)
	if err != nil {
		return nil, err
	}
	n := 0
	for dept, items := range byDept {
		if v.Has(auth.Administrator) || dept == v.DepartmentID {
			n += len(items)
		}
	}
	if n == 0 {
		return nil, nil
	}
	return []portal.Task{{Label: "Сведения перечня информации не обновлены в срок", Count: n, Href: "/admin/site/catalogue?show=overdue", Overdue: true}}, nil
}

type itemFormData struct {
	Form        *web.Form
	Item        CatalogueItem
	Departments []tenant.Department
	Rules       any
	IsAdmin     bool
	Datasets    []OpenDataset
}

// withDatasets fills the open dataset of every flagged item; a code whose
// dataset no longer exists links nowhere.
func (a *Area) withDatasets(ctx context.Context, munID int64, items []CatalogueItem) error {
	flagged := false
	for _, it := range items {
		flagged = flagged || it.OpenData != ""
	}
	if !flagged {
		return nil
	}
	ds, err := a.Store.OpenDatasets(ctx, munID)
	if err != nil {
		return err
	}
	for i := range items {
		for j := range ds {
			if ds[j].Code == items[i].OpenData {
				items[i].Dataset = &ds[j]
			}
		}
	}
	return nil
}

func (a *Area) loadItem(w http.ResponseWriter, r *http.Request) (CatalogueItem, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return CatalogueItem{}, false
	}
	it, err := a.Store.CatalogueItemByID(r.Context(), a.DB, web.Municipality(r).ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return it, false
	}
	if !CanEdit(viewer(r), it.DepartmentID) {
		a.Errors.Render(w, r, web.ErrForbidden)
		return it, false
	}
	return it, true
}

// linksText writes links one per line as «Название | адрес».
func linksText(links []CatalogueLink) string {
	var b strings.Builder
	for _, l := range links {
		b.WriteString(l.Title + " | " + l.URL + "\n")
	}
	return b.String()
}

// ParseLinks reads «Название | адрес» lines. An address must be local
// (/sections/…, /acts/…) or http(s).
func ParseLinks(text string) ([]CatalogueLink, error) {
	var out []CatalogueLink
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		title, addr, ok := strings.Cut(line, "|")
		title, addr = strings.TrimSpace(title), strings.TrimSpace(addr)
		if !ok || title == "" || addr == "" {
			return nil, web.Invalid(fmt.Sprintf("Строка %d: запишите ссылку в виде «Название | адрес».", i+1))
		}
		u, err := url.Parse(addr)
		local := err == nil && u.Scheme == "" && u.Host == "" && strings.HasPrefix(addr, "/") && !strings.HasPrefix(addr, "//")
		remote := err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
		if !local && !remote {
			return nil, web.Invalid(fmt.Sprintf("Строка %d: адрес должен начинаться с «/» или «https://».", i+1))
		}
		out = append(out, CatalogueLink{Title: title, URL: addr})
	}
	if len(out) > 50 {
		return nil, web.Invalid("Укажите не более 50 ссылок.")
	}
	return out, nil
}

func itemValues(it CatalogueItem) url.Values {
	v := url.Values{}
	v.Set("department", itoa64(it.DepartmentID))
	v.Set("rule", it.Rule)
	v.Set("rule_days", strconv.Itoa(it.RuleDays))
	v.Set("updated_on", dateText(it.UpdatedOn))
	v.Set("changed_on", dateText(it.ChangedOn))
	v.Set("links", linksText(it.Links))
	v.Set("opendata", it.OpenData)
	return v
}

func (a *Area) renderItemForm(w http.ResponseWriter, r *http.Request, status int, d itemFormData) {
	var err error
	if d.Departments, err = a.Tenants.Departments(r.Context(), web.Municipality(r).ID); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	d.Rules = Rules
	d.IsAdmin = viewer(r).Has(auth.Administrator)
	if d.Datasets, err = a.Store.OpenDatasets(r.Context(), web.Municipality(r).ID); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	items, err := a.withStatus(r.Context(), web.Municipality(r), []CatalogueItem{d.Item})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	d.Item = items[0]
	a.Renderer.Page(w, r, status, "site/admin_catalogue_item", "Пункт "+d.Item.Code+" перечня", d)
}

func (a *Area) catalogueItemForm(w http.ResponseWriter, r *http.Request) {
	it, ok := a.loadItem(w, r)
	if !ok {
		return
	}
	a.renderItemForm(w, r, http.StatusOK, itemFormData{Form: web.NewForm(itemValues(it)), Item: it})
}

func itemAudit(it CatalogueItem) map[string]any {
	return map[string]any{"department_id": it.DepartmentID, "rule": it.Rule, "rule_days": it.RuleDays, "updated_on": dateText(it.UpdatedOn), "changed_on": dateText(it.ChangedOn), "links": linksText(it.Links), "opendata_code": it.OpenData}
}

func (a *Area) updateCatalogueItem(w http.ResponseWriter, r *http.Request) {
	old, ok := a.loadItem(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r, 64<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	it := old
	today := deadline.DateOf(m.Local(a.DB.Now()))
	if f.Get("action") == "touch" {
		it.UpdatedOn = today
	} else {
		a.readItem(r, f, &it, today)
	}
	if f.Valid() {
		err := a.DB.InTx(r.Context(), func(tx *db.Tx) error {
			if err := a.Store.UpdateCatalogueItem(r.Context(), tx, it); err != nil {
				return err
			}
			return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "update", "site_catalogue_item", itoa64(it.ID), itemAudit(old), itemAudit(it)))
		})
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		web.SetFlash(a.Sessions, r, "Пункт "+it.Code+" сохранён.")
		http.Redirect(w, r, "/admin/site/catalogue/"+itoa64(it.ID), http.StatusSeeOther)
		return
	}
	a.renderItemForm(w, r, http.StatusUnprocessableEntity, itemFormData{Form: f, Item: old})
}

// readItem validates the form. Only administrators reassign an item or
// change its rule; owners record dates and links.
func (a *Area) readItem(r *http.Request, f *web.Form, it *CatalogueItem, today deadline.Date) {
	if viewer(r).Has(auth.Administrator) {
		it.DepartmentID = formID(f, "department")
		if it.DepartmentID == 0 {
			f.Fail("department", "Выберите подразделение, ответственное за пункт.")
		} else if _, err := a.departmentName(r, it.DepartmentID); err != nil {
			f.Fail("department", "Выберите подразделение из списка.")
		}
		it.Rule = f.Get("rule")
		if !ValidRule(it.Rule) {
			f.Fail("rule", "Выберите правило обновления из списка.")
		}
		it.RuleDays = 0
		if it.Rule == RuleWorkingDays {
			n, err := strconv.Atoi(f.Get("rule_days"))
			if err != nil || n < 1 || n > 60 {
				f.Fail("rule_days", "Укажите число рабочих дней от 1 до 60.")
			}
			it.RuleDays = n
		}
	}
	for _, d := range []struct {
		name, label string
		dst         *deadline.Date
	}{{"updated_on", "Дата последнего обновления на сайте", &it.UpdatedOn}, {"changed_on", "Дата изменения сведений", &it.ChangedOn}} {
		s := f.Get(d.name)
		if s == "" {
			*d.dst = deadline.Date{}
			continue
		}
		day, err := deadline.ParseDate(s)
		if err != nil {
			f.Fail(d.name, "Укажите в поле «"+d.label+"» дату.")
			continue
		}
		if day.After(today) {
			f.Fail(d.name, "Дата в поле «"+d.label+"» не может быть позже сегодняшней.")
			continue
		}
		*d.dst = day
	}
	it.OpenData = strings.TrimSpace(f.Get("opendata"))
	if it.OpenData != "" {
		ds, err := a.Store.OpenDatasets(r.Context(), web.Municipality(r).ID)
		found := false
		for _, d := range ds {
			found = found || d.Code == it.OpenData
		}
		if err != nil || !found {
			f.Fail("opendata", "Выберите набор открытых данных из списка.")
		}
	}
	links, err := ParseLinks(f.Values.Get("links"))
	if err != nil {
		f.Fail("links", err.Error())
		return
	}
	// A link to a page of the site counts that page's publication as an
	// update of the item.
	for i, l := range links {
		if rest, ok := strings.CutPrefix(l.URL, "/sections/"); ok {
			if j := strings.LastIndexByte(rest, '/'); j > 0 {
				if sec, err := a.Store.SectionByPath(r.Context(), web.Municipality(r).ID, rest[:j]); err == nil {
					if p, err := a.Store.PageBySlug(r.Context(), web.Municipality(r).ID, sec.ID, rest[j+1:]); err == nil {
						links[i].PageID = p.ID
					}
				}
			}
		}
	}
	it.Links = links
}
