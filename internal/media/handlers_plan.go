package media

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

const maxFormBytes = 256 << 10

var planFields = []string{"title", "act_number", "act_date", "act_url"}
var itemFieldOrder = []string{"topic", "channel", "week", "date", "department", "material"}

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

func (a *Area) adminPlans(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm(nil)
	f.Values.Set("year", strconv.Itoa(a.DB.Now().Year()))
	a.renderPlans(w, r, http.StatusOK, f)
}

func (a *Area) renderPlans(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	plans, err := Plans(r.Context(), a.DB, web.Municipality(r).ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, status, "media/admin_plans", "Медиапланы", map[string]any{"Plans": plans, "Form": f})
}

func (a *Area) adminPlanCreate(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	y, msg := ValidateYear(f.Get("year"), a.DB.Now())
	if msg != "" {
		f.Fail("year", msg)
		a.renderPlans(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	m := web.Municipality(r)
	p := Plan{Year: y, Title: fmt.Sprintf("Медиаплан администрации на %d год", y)}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := CreatePlan(r.Context(), tx, m.ID, &p, a.DB.Now()); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "create", "media_plan", strconv.FormatInt(p.ID, 10), nil, p))
	})
	if errors.Is(err, ErrDuplicate) {
		f.Fail("year", err.Error())
		a.renderPlans(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Медиаплан создан. Добавьте мероприятия или загрузите их из шаблона XLSX.")
	http.Redirect(w, r, fmt.Sprintf("/admin/media/plans/%d", p.ID), http.StatusSeeOther)
}

func (a *Area) adminTemplate(w http.ResponseWriter, r *http.Request) {
	y, msg := ValidateYear(r.URL.Query().Get("year"), a.DB.Now())
	if msg != "" {
		y = a.DB.Now().Year()
	}
	depts, err := a.Tenants.Departments(r.Context(), web.Municipality(r).ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="mediaplan-%d.xlsx"`, y))
	if err := WriteTemplate(w, y, depts); err != nil {
		a.Log.Error("media plan template", "err", err)
	}
}

// planPage is the data of the plan page.
type planPage struct {
	Plan         Plan
	Items        []Item
	Pager        *web.Pager
	PlanForm     *web.Form
	ItemForm     *web.Form
	ImportForm   *web.Form
	ImportErrors []ImportError
	Channels     []Option
	Departments  []tenant.Department
}

func (a *Area) loadPlan(w http.ResponseWriter, r *http.Request) (Plan, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return Plan{}, false
	}
	p, err := GetPlan(r.Context(), a.DB, web.Municipality(r).ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return Plan{}, false
	}
	return p, true
}

func planValues(p Plan) url.Values {
	v := url.Values{}
	v.Set("title", p.Title)
	v.Set("act_number", p.ActNumber)
	if p.ActDate != "" {
		v.Set("act_date", russianDate(p.ActDate))
	}
	v.Set("act_url", p.ActURL)
	return v
}

func (a *Area) planPage(ctx context.Context, r *http.Request, p Plan) (*planPage, error) {
	m := web.Municipality(r)
	pg := web.NewPager(r.URL, 100)
	items, total, err := PlanItems(ctx, a.DB, m.ID, p.ID, pg.PerPage, pg.Offset())
	if err != nil {
		return nil, err
	}
	pg.SetTotal(total)
	depts, err := a.Tenants.Departments(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	return &planPage{Plan: p, Items: items, Pager: pg, PlanForm: web.NewForm(planValues(p)), ItemForm: web.NewForm(nil),
		ImportForm: web.NewForm(nil), Channels: Channels, Departments: depts}, nil
}

func (a *Area) renderPlan(w http.ResponseWriter, r *http.Request, status int, data *planPage) {
	a.Renderer.Page(w, r, status, "media/admin_plan", data.Plan.Title, data)
}

func (a *Area) adminPlan(w http.ResponseWriter, r *http.Request) {
	p, ok := a.loadPlan(w, r)
	if !ok {
		return
	}
	data, err := a.planPage(r.Context(), r, p)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.renderPlan(w, r, http.StatusOK, data)
}

// adminPlanUpdate saves the plan's header; with approve=yes it also
// records the approving act and the event media.plan_approved.
func (a *Area) adminPlanUpdate(w http.ResponseWriter, r *http.Request) {
	p, ok := a.loadPlan(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	approving := f.Get("approve") == "yes" && !p.Approved()
	before := p
	p.Title, p.ActNumber, p.ActURL = f.Get("title"), f.Get("act_number"), f.Get("act_url")
	p.ActDate = f.Get("act_date")
	failAll(f, ValidatePlan(p, approving), planFields)
	if f.Valid() && p.ActDate != "" {
		t, _ := ParseDay(p.ActDate)
		p.ActDate = t.Format(time.DateOnly)
	}
	if !f.Valid() {
		data, err := a.planPage(r.Context(), r, before)
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		data.PlanForm = f
		a.renderPlan(w, r, http.StatusUnprocessableEntity, data)
		return
	}
	m := web.Municipality(r)
	now := a.DB.Now()
	if approving {
		p.ApprovedAt = &now
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		return a.savePlan(r.Context(), tx, m, before, p, approving, audit.FromRequest(r, "update", "media_plan", strconv.FormatInt(p.ID, 10), before, p))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	msg := "Медиаплан сохранён."
	if approving {
		msg = "Медиаплан утверждён."
	}
	web.SetFlash(a.Sessions, r, msg)
	http.Redirect(w, r, fmt.Sprintf("/admin/media/plans/%d", p.ID), http.StatusSeeOther)
}

// savePlan writes the plan's header with its audit record and, when it is
// being approved, the event.
func (a *Area) savePlan(ctx context.Context, tx *db.Tx, m tenant.Municipality, before, p Plan, approving bool, e audit.Entry) error {
	now := a.DB.Now()
	if err := UpdatePlan(ctx, tx, m.ID, p, now); err != nil {
		return err
	}
	if approving {
		e.Action = "approve"
		if err := events.Record(ctx, tx, events.Event{MunicipalityID: m.ID, Kind: events.MediaPlanApproved, ObjectType: "media_plan",
			ObjectID: strconv.FormatInt(p.ID, 10), Title: fmt.Sprintf("%s (утверждён актом № %s от %s)", p.Title, p.ActNumber, p.ActDateRU()),
			URL: "/media", OccurredAt: now}); err != nil {
			return err
		}
	}
	return audit.Write(ctx, tx, now, e)
}

// itemFromForm reads the item form of a plan of year y.
func itemFromForm(f *web.Form, y int, depts []tenant.Department) Item {
	it := Item{Topic: f.Get("topic"), Channel: f.Get("channel"), Material: strings.ReplaceAll(f.Values.Get("material"), "\r\n", "\n")}
	it.Material = strings.TrimSpace(it.Material)
	failAll(f, ValidateItem(it), itemFieldOrder)
	monday, day, field, msg := ResolveWhen(y, f.Get("week"), f.Get("date"))
	if msg != "" {
		f.Fail(field, msg)
	}
	it.WeekStart, it.PlannedDate = monday, day
	if d := f.Get("department"); d != "" {
		id, _ := strconv.ParseInt(d, 10, 64)
		found := false
		for _, x := range depts {
			found = found || x.ID == id
		}
		if !found {
			f.Fail("department", "Выберите подразделение из списка.")
		}
		it.DepartmentID = id
	}
	return it
}

func (a *Area) adminItemCreate(w http.ResponseWriter, r *http.Request) {
	p, ok := a.loadPlan(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	data, err := a.planPage(r.Context(), r, p)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	it := itemFromForm(f, p.Year, data.Departments)
	if !f.Valid() {
		data.ItemForm = f
		a.renderPlan(w, r, http.StatusUnprocessableEntity, data)
		return
	}
	it.PlanID = p.ID
	m := web.Municipality(r)
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := SaveItem(r.Context(), tx, m.ID, &it, a.DB.Now()); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "create", "media_plan_item", strconv.FormatInt(it.ID, 10), nil, it))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Мероприятие добавлено в медиаплан.")
	http.Redirect(w, r, fmt.Sprintf("/admin/media/plans/%d", p.ID), http.StatusSeeOther)
}

// adminImport adds the rows of an XLSX file to the plan: all of them, or
// none when any row is invalid.
func (a *Area) adminImport(w http.ResponseWriter, r *http.Request) {
	p, ok := a.loadPlan(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 11<<20)
	data, err := a.planPage(r.Context(), r, p)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	fail := func(errs []ImportError) {
		data.ImportErrors = errs
		data.ImportForm.Fail("file", "Медиаплан не загружен: исправьте ошибки в файле и загрузите его снова.")
		a.renderPlan(w, r, http.StatusUnprocessableEntity, data)
	}
	if err := r.ParseMultipartForm(4 << 20); err != nil {
		fail([]ImportError{{Msg: "Файл не получен или больше 10 МБ."}})
		return
	}
	fhs := r.MultipartForm.File["file"]
	if len(fhs) == 0 || fhs[0].Size == 0 {
		fail([]ImportError{{Msg: "Выберите файл XLSX."}})
		return
	}
	src, err := fhs[0].Open()
	if err != nil {
		fail([]ImportError{{Msg: "Файл не читается."}})
		return
	}
	defer src.Close()
	items, errs := ParseImport(src, p.Year, data.Departments)
	if len(errs) > 0 {
		fail(errs)
		return
	}
	m := web.Municipality(r)
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		for i := range items {
			items[i].PlanID = p.ID
			if err := SaveItem(r.Context(), tx, m.ID, &items[i], a.DB.Now()); err != nil {
				return err
			}
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "import", "media_plan", strconv.FormatInt(p.ID, 10), nil,
			map[string]any{"file": fhs[0].Filename, "items": len(items)}))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, fmt.Sprintf("Загружено мероприятий: %d.", len(items)))
	http.Redirect(w, r, fmt.Sprintf("/admin/media/plans/%d", p.ID), http.StatusSeeOther)
}

// itemPage is the data of the item page.
type itemPage struct {
	Plan        Plan
	Item        Item
	Form        *web.Form
	Channels    []Option
	Departments []tenant.Department
}

func (a *Area) loadItem(w http.ResponseWriter, r *http.Request) (Plan, Item, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return Plan{}, Item{}, false
	}
	m := web.Municipality(r)
	it, err := GetItem(r.Context(), a.DB, m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return Plan{}, Item{}, false
	}
	p, err := GetPlan(r.Context(), a.DB, m.ID, it.PlanID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return Plan{}, Item{}, false
	}
	return p, it, true
}

func itemValues(it Item) url.Values {
	v := url.Values{}
	v.Set("topic", it.Topic)
	v.Set("channel", it.Channel)
	if it.PlannedDate != "" {
		v.Set("date", russianDate(it.PlannedDate))
	} else {
		v.Set("week", strconv.Itoa(it.Week()))
	}
	if it.DepartmentID != 0 {
		v.Set("department", strconv.FormatInt(it.DepartmentID, 10))
	}
	v.Set("material", it.Material)
	return v
}

func (a *Area) renderItem(w http.ResponseWriter, r *http.Request, status int, p Plan, it Item, f *web.Form) {
	depts, err := a.Tenants.Departments(r.Context(), web.Municipality(r).ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, status, "media/admin_item", "Мероприятие медиаплана", &itemPage{Plan: p, Item: it, Form: f, Channels: Channels, Departments: depts})
}

func (a *Area) adminItem(w http.ResponseWriter, r *http.Request) {
	p, it, ok := a.loadItem(w, r)
	if !ok {
		return
	}
	a.renderItem(w, r, http.StatusOK, p, it, web.NewForm(itemValues(it)))
}

func (a *Area) adminItemUpdate(w http.ResponseWriter, r *http.Request) {
	p, before, ok := a.loadItem(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	depts, err := a.Tenants.Departments(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	it := itemFromForm(f, p.Year, depts)
	if !f.Valid() {
		a.renderItem(w, r, http.StatusUnprocessableEntity, p, before, f)
		return
	}
	it.ID, it.PlanID = before.ID, before.PlanID
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := SaveItem(r.Context(), tx, m.ID, &it, a.DB.Now()); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "update", "media_plan_item", strconv.FormatInt(it.ID, 10), before, it))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Мероприятие сохранено.")
	http.Redirect(w, r, fmt.Sprintf("/admin/media/plans/%d", p.ID), http.StatusSeeOther)
}

func (a *Area) adminItemDelete(w http.ResponseWriter, r *http.Request) {
	p, it, ok := a.loadItem(w, r)
	if !ok {
		return
	}
	if _, err := web.ParseForm(w, r, maxFormBytes); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	err := a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := DeleteItem(r.Context(), tx, m.ID, it.ID); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "delete", "media_plan_item", strconv.FormatInt(it.ID, 10), it, nil))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Мероприятие удалено из медиаплана.")
	http.Redirect(w, r, fmt.Sprintf("/admin/media/plans/%d", p.ID), http.StatusSeeOther)
}

// itemFields is the data of the item form's fields.
type itemFields struct {
	Form        *web.Form
	Channels    []Option
	Departments []tenant.Department
}

// Fields are the add-item form's fields.
func (p *planPage) Fields() itemFields {
	return itemFields{Form: p.ItemForm, Channels: p.Channels, Departments: p.Departments}
}

// Fields are the item form's fields.
func (p *itemPage) Fields() itemFields {
	return itemFields{Form: p.Form, Channels: p.Channels, Departments: p.Departments}
}
