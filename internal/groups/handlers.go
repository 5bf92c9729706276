package groups

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

const maxFormBytes = 64 << 10

// groupFields order the group form's errors.
var groupFields = []string{"name", "spheres", "description", "department", "act_title", "act_number", "act_date", "act_url"}

func failAll(f *web.Form, e Errors, order []string) {
	for _, k := range order {
		if msg, ok := e[k]; ok {
			f.Fail(k, msg)
		}
	}
	for k, msg := range e {
		f.Fail(k, msg)
	}
}

// ---- public pages ----

func (a *Area) list(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	spheres, err := a.Tenants.Spheres(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p := web.NewPager(r.URL, 20)
	gs, total, err := a.Store.List(r.Context(), a.DB, m.ID, spheres, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	if err := a.fillDepartments(r.Context(), m.ID, gs); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	limit, err := a.limit(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "groups/list", "Референтные группы", map[string]any{
		"Groups": gs, "Total": total, "Limit": limit, "Pager": p, "Staff": web.ViewerFrom(r.Context()).Has(Staff...),
	})
}

func (a *Area) fillDepartments(ctx context.Context, munID int64, gs []Group) error {
	ds, err := a.Tenants.Departments(ctx, munID)
	if err != nil {
		return err
	}
	byID := map[int64]string{}
	for _, d := range ds {
		byID[d.ID] = d.Name
	}
	for i := range gs {
		gs[i].Department = byID[gs[i].DepartmentID]
	}
	return nil
}

func (a *Area) loadGroup(w http.ResponseWriter, r *http.Request) (Group, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return Group{}, false
	}
	m := web.Municipality(r)
	spheres, err := a.Tenants.Spheres(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return Group{}, false
	}
	g, err := a.Store.Get(r.Context(), a.DB, m.ID, id, spheres)
	if err == nil {
		gs := []Group{g}
		err = a.fillDepartments(r.Context(), m.ID, gs)
		g = gs[0]
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return Group{}, false
	}
	return g, true
}

// publicMembers are the names a group's page shows: organisations, and
// people who agreed to be named; the rest are only counted.
func publicMembers(ms []Member) (named []string, unnamed int) {
	for _, m := range ms {
		if n := m.PublicName(); n != "" {
			named = append(named, n)
		} else {
			unnamed++
		}
	}
	return named, unnamed
}

func (a *Area) show(w http.ResponseWriter, r *http.Request) {
	g, ok := a.loadGroup(w, r)
	if !ok {
		return
	}
	a.renderShow(w, r, http.StatusOK, g, web.NewForm(nil))
}

func (a *Area) renderShow(w http.ResponseWriter, r *http.Request, status int, g Group, f *web.Form) {
	ctx := r.Context()
	m := web.Municipality(r)
	ms, err := a.Store.Members(ctx, a.DB, g.ID, StatusMember)
	if err == nil {
		err = a.fillPeople(ctx, m.ID, ms)
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	named, unnamed := publicMembers(ms)
	data := map[string]any{"Group": g, "Named": named, "Unnamed": unnamed, "Form": f, "MayDecide": mayDecide(web.ViewerFrom(ctx), g)}
	if v := web.ViewerFrom(ctx); v != nil {
		mine, err := a.Store.Active(ctx, a.DB, g.ID, v.ID)
		switch {
		case err == nil:
			data["Mine"] = mine
		case !errors.Is(err, db.ErrNotFound):
			a.Errors.Render(w, r, err)
			return
		}
	}
	a.Renderer.Page(w, r, status, "groups/show", g.Name, data)
}

func (a *Area) apply(w http.ResponseWriter, r *http.Request) {
	g, ok := a.loadGroup(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	v := web.ViewerFrom(r.Context())
	if _, err := a.Store.Active(r.Context(), a.DB, g.ID, v.ID); err == nil {
		a.Errors.Render(w, r, errActive)
		return
	} else if !errors.Is(err, db.ErrNotFound) {
		a.Errors.Render(w, r, err)
		return
	}
	ap := Application{Organisation: f.Get("organisation"), Contact: f.Get("contact"), Note: f.Get("note"), ShowName: f.Get("show_name") == "yes"}
	failAll(f, ValidateApplication(ap), []string{"organisation", "contact", "note"})
	if f.Valid() {
		mem := Member{GroupID: g.ID, AccountID: v.ID, Organisation: ap.Organisation, Contact: ap.Contact, Note: ap.Note, ShowName: ap.ShowName, Status: StatusPending}
		err := a.DB.InTx(r.Context(), func(tx *db.Tx) error { return a.Store.Add(r.Context(), tx, g.MunicipalityID, &mem, a.DB.Now()) })
		switch {
		case errors.Is(err, ErrActive):
			f.Fail("note", errActive.Message)
		case err != nil:
			a.Errors.Render(w, r, err)
			return
		default:
			web.SetFlash(a.Sessions, r, "Заявка подана. Решение примет "+deptOr(g.Department)+"; о нём мы сообщим письмом.")
			http.Redirect(w, r, g.URL(), http.StatusSeeOther)
			return
		}
	}
	a.renderShow(w, r, http.StatusUnprocessableEntity, g, f)
}

var errActive = web.Invalid("Вы уже состоите в этой группе или ваша заявка ещё рассматривается.")

func deptOr(d string) string {
	if d == "" {
		return "ответственное подразделение"
	}
	return "«" + d + "»"
}

func (a *Area) leave(w http.ResponseWriter, r *http.Request) {
	g, ok := a.loadGroup(w, r)
	if !ok {
		return
	}
	v := web.ViewerFrom(r.Context())
	mine, err := a.Store.Active(r.Context(), a.DB, g.ID, v.ID)
	if err != nil {
		if errors.Is(err, db.ErrNotFound) {
			err = web.Invalid("Вы не состоите в этой группе и не подавали в неё заявку.")
		}
		a.Errors.Render(w, r, err)
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		return a.Store.SetStatus(r.Context(), tx, mine.ID, []string{StatusPending, StatusMember}, StatusLeft, "", 0, a.DB.Now())
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	msg := "Вы вышли из группы «" + g.Name + "»."
	if mine.Status == StatusPending {
		msg = "Заявка в группу «" + g.Name + "» отозвана."
	}
	web.SetFlash(a.Sessions, r, msg)
	http.Redirect(w, r, g.URL(), http.StatusSeeOther)
}

// ---- staff pages ----

func (a *Area) adminList(w http.ResponseWriter, r *http.Request) {
	a.renderAdminList(w, r, http.StatusOK, nil)
}

func (a *Area) renderAdminList(w http.ResponseWriter, r *http.Request, status int, sf *web.Form) {
	ctx := r.Context()
	m := web.Municipality(r)
	v := web.ViewerFrom(ctx)
	spheres, err := a.Tenants.Spheres(ctx, m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	gs, total, err := a.Store.List(ctx, a.DB, m.ID, spheres, 100, 0)
	if err == nil {
		err = a.fillDepartments(ctx, m.ID, gs)
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var dept int64
	if !v.Has(auth.Administrator) {
		dept = v.DepartmentID
		if dept == 0 {
			dept = -1
		}
	}
	pending, err := a.Store.Pending(ctx, a.DB, m.ID, dept, 200)
	if err == nil {
		err = a.fillPeople(ctx, m.ID, pending)
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	limit, err := a.limit(ctx, m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if sf == nil {
		sf = web.NewForm(url.Values{"limit": {strconv.Itoa(limit)}})
	}
	a.Renderer.Page(w, r, status, "groups/admin_list", "Референтные группы: реестр и заявки", map[string]any{
		"Groups": gs, "Total": total, "Limit": limit, "Pending": pending, "Settings": sf, "Admin": v.Has(auth.Administrator),
	})
}

func (a *Area) adminSettings(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	n, err := ParseLimit(f.Get("limit"))
	if err != nil {
		f.Fail("limit", web.Classify(err).Message)
		a.renderAdminList(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	before, err := a.limit(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.SetLimit(r.Context(), tx, m.ID, n, a.DB.Now()); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "groups.limit", "groups_settings", itoa(m.ID), map[string]int{"limit": before}, map[string]int{"limit": n}))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, fmt.Sprintf("Предел числа референтных групп: %d.", n))
	http.Redirect(w, r, "/admin/groups", http.StatusSeeOther)
}

// groupForm is the data of the group form pages.
type groupForm struct {
	Form        *web.Form
	Group       Group
	Spheres     []tenant.Sphere
	Departments []tenant.Department
	Checked     map[string]bool
	MayDecide   bool
	Members     []Member
	Pending     []Member
	MemberForm  *web.Form
	DeclineForm *web.Form
	DeclineID   int64
}

func (a *Area) formData(ctx context.Context, m tenant.Municipality, f *web.Form) (*groupForm, error) {
	spheres, err := a.Tenants.Spheres(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	depts, err := a.Tenants.Departments(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	checked := map[string]bool{}
	for _, s := range f.Values["spheres"] {
		checked[s] = true
	}
	return &groupForm{Form: f, Spheres: spheres, Departments: depts, Checked: checked, MemberForm: web.NewForm(nil), DeclineForm: web.NewForm(nil)}, nil
}

// groupFromForm reads and checks the group form.
func groupFromForm(m tenant.Municipality, f *web.Form, data *groupForm) Group {
	g := Group{MunicipalityID: m.ID, Name: f.Get("name"), Description: strings.ReplaceAll(f.Values.Get("description"), "\r\n", "\n"),
		Regulations: Regulations{Title: f.Get("act_title"), Number: f.Get("act_number"), Date: f.Get("act_date"), URL: f.Get("act_url")}}
	g.DepartmentID, _ = strconv.ParseInt(f.Get("department"), 10, 64)
	valid := map[int64]bool{}
	byID := map[int64]tenant.Sphere{}
	for _, s := range data.Spheres {
		valid[s.ID], byID[s.ID] = true, s
	}
	for _, raw := range f.Values["spheres"] {
		id, _ := strconv.ParseInt(raw, 10, 64)
		s, ok := byID[id]
		if !ok {
			s = tenant.Sphere{ID: id}
		}
		g.Spheres = append(g.Spheres, s)
	}
	okDept := false
	for _, d := range data.Departments {
		okDept = okDept || d.ID == g.DepartmentID
	}
	if g.DepartmentID != 0 && !okDept {
		f.Fail("department", "Выберите подразделение из списка.")
	}
	failAll(f, Validate(g, valid), groupFields)
	return g
}

func groupValues(g Group) url.Values {
	v := url.Values{}
	v.Set("name", g.Name)
	v.Set("description", g.Description)
	if g.DepartmentID != 0 {
		v.Set("department", itoa(g.DepartmentID))
	}
	for _, s := range g.Spheres {
		v.Add("spheres", itoa(s.ID))
	}
	v.Set("act_title", g.Regulations.Title)
	v.Set("act_number", g.Regulations.Number)
	v.Set("act_date", g.Regulations.Date)
	v.Set("act_url", g.Regulations.URL)
	return v
}

func (a *Area) adminNew(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	f := web.NewForm(nil)
	data, err := a.formData(r.Context(), m, f)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	for _, d := range data.Departments {
		if d.Slug == "economy" {
			f.Values.Set("department", itoa(d.ID))
		}
	}
	a.Renderer.Page(w, r, http.StatusOK, "groups/admin_new", "Новая референтная группа", data)
}

// SaveGroup saves a group in tx with its audit entry and public events:
// a new group publishes the registry anew (6.1, refused over the limit);
// new or changed regulations record their approval (6.2).
func (a *Area) SaveGroup(ctx context.Context, tx *db.Tx, before *Group, g *Group, entry audit.Entry) error {
	now := a.DB.Now()
	if before == nil {
		limit, err := a.Store.Limit(ctx, tx, g.MunicipalityID, a.DefaultLimit)
		if err != nil {
			return err
		}
		n, err := a.Store.Count(ctx, tx, g.MunicipalityID)
		if err != nil {
			return err
		}
		if err := CheckLimit(n, limit); err != nil {
			return err
		}
	}
	if err := a.Store.Save(ctx, tx, g, now); err != nil {
		if db.IsUniqueViolation(err) {
			return web.Invalid("Группа с таким названием уже есть в реестре.")
		}
		return err
	}
	ev := events.Event{MunicipalityID: g.MunicipalityID, ObjectType: "reference_group", ObjectID: itoa(g.ID), Title: g.Name, URL: g.URL(), Spheres: g.SphereSlugs(), OccurredAt: now}
	if before == nil {
		e := ev
		e.Kind, e.URL = events.GroupsRegistryPublished, "/groups"
		e.Title = "Перечень референтных групп: добавлена группа «" + g.Name + "»"
		if err := events.Record(ctx, tx, e); err != nil {
			return err
		}
	}
	if g.Regulations.Set() && (before == nil || before.Regulations != g.Regulations) {
		e := ev
		e.Kind = events.GroupsRegulationsApproved
		e.Title = "Регламент референтной группы «" + g.Name + "» (" + g.Regulations.Label() + ")"
		if err := events.Record(ctx, tx, e); err != nil {
			return err
		}
	}
	entry.Entity, entry.EntityID = "reference_group", itoa(g.ID)
	if before == nil {
		entry.Action = "groups.create"
	} else {
		entry.Action, entry.Before = "groups.update", auditView(*before)
	}
	entry.After = auditView(*g)
	return audit.Write(ctx, tx, now, entry)
}

func auditView(g Group) map[string]any {
	return map[string]any{"name": g.Name, "department_id": g.DepartmentID, "spheres": g.SphereSlugs(), "regulations": g.Regulations, "description": g.Description}
}

func (a *Area) adminCreate(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	data, err := a.formData(r.Context(), m, f)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	g := groupFromForm(m, f, data)
	if f.Valid() {
		err := a.DB.InTx(r.Context(), func(tx *db.Tx) error {
			return a.SaveGroup(r.Context(), tx, nil, &g, audit.FromRequest(r, "", "", "", nil, nil))
		})
		var we *web.Error
		switch {
		case errors.As(err, &we) && we.Status == http.StatusUnprocessableEntity:
			f.Fail("name", we.Message)
		case err != nil:
			a.Errors.Render(w, r, err)
			return
		default:
			web.SetFlash(a.Sessions, r, "Группа добавлена в реестр.")
			http.Redirect(w, r, "/admin/groups/"+itoa(g.ID), http.StatusSeeOther)
			return
		}
	}
	a.Renderer.Page(w, r, http.StatusUnprocessableEntity, "groups/admin_new", "Новая референтная группа", data)
}

func (a *Area) adminEdit(w http.ResponseWriter, r *http.Request) {
	g, ok := a.loadGroup(w, r)
	if !ok {
		return
	}
	a.renderEdit(w, r, http.StatusOK, g, web.NewForm(groupValues(g)), nil, nil, 0)
}

func (a *Area) renderEdit(w http.ResponseWriter, r *http.Request, status int, g Group, f, mf, df *web.Form, declineID int64) {
	ctx := r.Context()
	m := web.Municipality(r)
	data, err := a.formData(ctx, m, f)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if mf != nil {
		data.MemberForm = mf
	}
	if df != nil {
		data.DeclineForm, data.DeclineID = df, declineID
	}
	data.Group = g
	data.MayDecide = mayDecide(web.ViewerFrom(ctx), g)
	all, err := a.Store.Members(ctx, a.DB, g.ID, StatusMember, StatusPending)
	if err == nil {
		err = a.fillPeople(ctx, m.ID, all)
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	for _, x := range all {
		if x.Status == StatusPending {
			data.Pending = append(data.Pending, x)
		} else {
			data.Members = append(data.Members, x)
		}
	}
	a.Renderer.Page(w, r, status, "groups/admin_edit", g.Name+": ведение группы", data)
}

// notResponsible refuses a staff action on a group of another department.
// It answers 422 with the reason rather than 403: the route admits editors,
// and the page tells them who decides.
func notResponsible(g Group) error {
	return web.Invalid("Решения по этой группе принимает " + deptOr(g.Department) + " или администратор портала.")
}

func (a *Area) adminUpdate(w http.ResponseWriter, r *http.Request) {
	before, ok := a.loadGroup(w, r)
	if !ok {
		return
	}
	if !mayDecide(web.ViewerFrom(r.Context()), before) {
		a.Errors.Render(w, r, notResponsible(before))
		return
	}
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	data, err := a.formData(r.Context(), m, f)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	g := groupFromForm(m, f, data)
	g.ID, g.CreatedAt = before.ID, before.CreatedAt
	if f.Valid() {
		err := a.DB.InTx(r.Context(), func(tx *db.Tx) error {
			return a.SaveGroup(r.Context(), tx, &before, &g, audit.FromRequest(r, "", "", "", nil, nil))
		})
		var we *web.Error
		switch {
		case errors.As(err, &we) && we.Status == http.StatusUnprocessableEntity:
			f.Fail("name", we.Message)
		case err != nil:
			a.Errors.Render(w, r, err)
			return
		default:
			web.SetFlash(a.Sessions, r, "Изменения сохранены.")
			http.Redirect(w, r, "/admin/groups/"+itoa(g.ID), http.StatusSeeOther)
			return
		}
	}
	before.Department = ""
	a.renderEdit(w, r, http.StatusUnprocessableEntity, before, f, nil, nil, 0)
}

// adminAddMember adds an organisation (or a person without an account) as
// a member directly, e.g. by the group's founding act.
func (a *Area) adminAddMember(w http.ResponseWriter, r *http.Request) {
	g, ok := a.loadGroup(w, r)
	if !ok {
		return
	}
	if !mayDecide(web.ViewerFrom(r.Context()), g) {
		a.Errors.Render(w, r, notResponsible(g))
		return
	}
	mf, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	mem := Member{GroupID: g.ID, Organisation: mf.Get("organisation"), Contact: mf.Get("contact"), ContactEmail: mf.Get("contact_email"), Status: StatusMember}
	if mem.Organisation == "" {
		mf.Fail("organisation", "Укажите название организации.")
	}
	failAll(mf, ValidateApplication(Application{Organisation: mem.Organisation, Contact: mem.Contact}), []string{"organisation", "contact"})
	if mem.ContactEmail != "" {
		mf.Email("contact_email")
	}
	if mf.Valid() {
		err := a.DB.InTx(r.Context(), func(tx *db.Tx) error {
			if err := a.Store.Add(r.Context(), tx, g.MunicipalityID, &mem, a.DB.Now()); err != nil {
				return err
			}
			return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "groups.member_add", "reference_group_member", itoa(mem.ID), nil,
				map[string]any{"group_id": g.ID, "organisation": mem.Organisation}))
		})
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		web.SetFlash(a.Sessions, r, "Организация «"+mem.Organisation+"» включена в группу.")
		http.Redirect(w, r, "/admin/groups/"+itoa(g.ID)+"#members", http.StatusSeeOther)
		return
	}
	a.renderEdit(w, r, http.StatusUnprocessableEntity, g, web.NewForm(groupValues(g)), mf, nil, 0)
}

// loadMember loads a membership row and its group, and checks that the
// viewer decides on the group.
func (a *Area) loadMember(w http.ResponseWriter, r *http.Request) (Member, Group, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return Member{}, Group{}, false
	}
	m := web.Municipality(r)
	mem, err := a.Store.Member(r.Context(), a.DB, m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return Member{}, Group{}, false
	}
	spheres, err := a.Tenants.Spheres(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return Member{}, Group{}, false
	}
	g, err := a.Store.Get(r.Context(), a.DB, m.ID, mem.GroupID, spheres)
	if err == nil {
		gs := []Group{g}
		err = a.fillDepartments(r.Context(), m.ID, gs)
		g = gs[0]
	}
	if err == nil {
		ms := []Member{mem}
		err = a.fillPeople(r.Context(), m.ID, ms)
		mem = ms[0]
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return Member{}, Group{}, false
	}
	if !mayDecide(web.ViewerFrom(r.Context()), g) {
		a.Errors.Render(w, r, notResponsible(g))
		return Member{}, Group{}, false
	}
	return mem, g, true
}

// Decide approves or declines an application in tx, with its audit entry
// and the letter to the applicant.
func (a *Area) Decide(ctx context.Context, tx *db.Tx, mem Member, g Group, approve bool, reason string, entry audit.Entry) error {
	to, action := StatusDeclined, "groups.decline"
	if approve {
		to, action, reason = StatusMember, "groups.approve", ""
	}
	if err := a.Store.SetStatus(ctx, tx, mem.ID, []string{StatusPending}, to, reason, entry.AccountID, a.DB.Now()); err != nil {
		if errors.Is(err, db.ErrNotFound) {
			return web.Invalid("По этой заявке решение уже принято.")
		}
		return err
	}
	entry.Action, entry.Entity, entry.EntityID = action, "reference_group_member", itoa(mem.ID)
	entry.Before, entry.After = map[string]string{"status": mem.Status}, map[string]string{"status": to, "reason": reason}
	if err := audit.Write(ctx, tx, a.DB.Now(), entry); err != nil {
		return err
	}
	if mail := mem.MailTo(); mail != "" {
		return a.Mailer.Queue(ctx, tx, mail, "groups.decision", map[string]any{"Approved": approve, "Group": g.Name, "Name": mem.Name,
			"Organisation": mem.Organisation, "Reason": reason, "URL": g.URL()})
	}
	return nil
}

func (a *Area) adminApprove(w http.ResponseWriter, r *http.Request) {
	mem, g, ok := a.loadMember(w, r)
	if !ok {
		return
	}
	err := a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		return a.Decide(r.Context(), tx, mem, g, true, "", audit.FromRequest(r, "", "", "", nil, nil))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Заявка одобрена: "+applicant(mem)+" — член группы «"+g.Name+"». "+a.Mailer.Sent("заявителю"))
	http.Redirect(w, r, "/admin/groups/"+itoa(g.ID), http.StatusSeeOther)
}

func applicant(m Member) string {
	if m.Organisation != "" {
		return m.Organisation
	}
	if m.Name != "" {
		return m.Name
	}
	return "заявитель"
}

func (a *Area) adminDecline(w http.ResponseWriter, r *http.Request) {
	mem, g, ok := a.loadMember(w, r)
	if !ok {
		return
	}
	df, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	reason := df.Get("reason")
	switch {
	case reason == "":
		df.Fail("reason", "Укажите причину отказа: её получит заявитель.")
	case len([]rune(reason)) > 1000:
		df.Fail("reason", "Причина — не длиннее 1000 знаков.")
	}
	if !df.Valid() {
		a.renderEdit(w, r, http.StatusUnprocessableEntity, g, web.NewForm(groupValues(g)), nil, df, mem.ID)
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		return a.Decide(r.Context(), tx, mem, g, false, reason, audit.FromRequest(r, "", "", "", nil, nil))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Заявка отклонена. "+a.Mailer.Sent("заявителю с причиной отказа"))
	http.Redirect(w, r, "/admin/groups/"+itoa(g.ID), http.StatusSeeOther)
}

// adminRemove excludes a member (e.g. an organisation that closed).
func (a *Area) adminRemove(w http.ResponseWriter, r *http.Request) {
	mem, g, ok := a.loadMember(w, r)
	if !ok {
		return
	}
	err := a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.SetStatus(r.Context(), tx, mem.ID, []string{StatusMember}, StatusLeft, "исключён сотрудником", 0, a.DB.Now()); err != nil {
			if errors.Is(err, db.ErrNotFound) {
				return web.Invalid("Этот участник уже не состоит в группе.")
			}
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "groups.member_remove", "reference_group_member", itoa(mem.ID),
			map[string]string{"status": mem.Status}, map[string]string{"status": StatusLeft}))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, applicant(mem)+" больше не состоит в группе.")
	http.Redirect(w, r, "/admin/groups/"+itoa(g.ID)+"#members", http.StatusSeeOther)
}
