package council

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

func (a *Area) adminPage(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	m := web.Municipality(r)
	p := web.NewPager(r.URL, 30)
	o, err := a.overview(r, m, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	comps, err := a.Store.Compositions(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	depts, err := a.Tenants.Departments(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	meth, err := a.Store.Methodology(r.Context(), a.DB, m.ID, 0)
	hasMeth := err == nil
	if err != nil && err != db.ErrNotFound {
		a.Errors.Render(w, r, err)
		return
	}
	runs, err := a.Store.Runs(r.Context(), m.ID, false)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if form == nil {
		form = web.NewForm(nil)
		form.Values.Set("capacity", "30")
		form.Values.Set("scale_max", "5")
	}
	var working *Composition
	for i := range comps {
		if working == nil || comps[i].ID > working.ID {
			working = &comps[i]
		}
	}
	p.SetTotal(o.Total)
	a.Renderer.Page(w, r, status, "council/admin", "Общественный совет: управление", map[string]any{
		"Pager": p, "Working": working, "O": o, "Compositions": comps, "Departments": depts, "Methodology": meth, "HasMethodology": hasMeth, "Runs": runs, "Form": form, "Today": a.today(m)})
}

func (a *Area) admin(w http.ResponseWriter, r *http.Request) { a.adminPage(w, r, http.StatusOK, nil) }

// staffChange runs fn in a transaction and writes its audit record.
func (a *Area) staffChange(r *http.Request, action, entity string, after map[string]any, fn func(tx *db.Tx) (int64, error)) error {
	return a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		id, err := fn(tx)
		if err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, action, entity, strconv.FormatInt(id, 10), nil, after))
	})
}

func (a *Area) done(w http.ResponseWriter, r *http.Request, msg, to string) {
	web.SetFlash(a.Sessions, r, msg)
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (a *Area) record(ctx context.Context, tx *db.Tx, m tenant.Municipality, kind events.Kind, objType string, id int64, title, url string) error {
	return events.Record(ctx, tx, events.Event{MunicipalityID: m.ID, Kind: kind, ObjectType: objType, ObjectID: strconv.FormatInt(id, 10), Title: title, URL: url, OccurredAt: a.DB.Now()})
}

func validDate(f *web.Form, field string) {
	if v := f.Get(field); v != "" {
		if _, err := time.Parse("2006-01-02", v); err != nil {
			f.Fail(field, "Укажите дату в виде ГГГГ-ММ-ДД.")
		}
	}
}

func validURL(f *web.Form, field string) {
	if v := f.Get(field); v != "" && !strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "http://") {
		f.Fail(field, "Укажите ссылку, начинающуюся с https:// или с /.")
	}
}

func (a *Area) parse(w http.ResponseWriter, r *http.Request) *web.Form {
	form, err := web.ParseForm(w, r, 256<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return nil
	}
	return form
}

func (a *Area) addDocument(w http.ResponseWriter, r *http.Request) {
	form := a.parse(w, r)
	if form == nil {
		return
	}
	form.Required(map[string]string{"doc_title": "Название акта", "doc_number": "Номер акта", "doc_date": "Дата акта"})
	validDate(form, "doc_date")
	validURL(form, "doc_url")
	actID, _ := strconv.ParseInt(form.Get("doc_act_id"), 10, 64)
	if !form.Valid() {
		a.adminPage(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	m := web.Municipality(r)
	d := Document{Kind: "regulations", Title: form.Get("doc_title"), ActID: actID, URL: form.Get("doc_url"), Number: form.Get("doc_number"), ActDate: form.Get("doc_date")}
	err := a.staffChange(r, "council.regulations", "council_document", map[string]any{"title": d.Title, "number": d.Number, "date": d.ActDate}, func(tx *db.Tx) (int64, error) {
		return a.addRegulations(r.Context(), tx, m, d)
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.done(w, r, "Положение об общественном совете опубликовано.", "/admin/council")
}

// addRegulations stores the regulations and records their events; the first
// regulations also publish the council's section.
func (a *Area) addRegulations(ctx context.Context, tx *db.Tx, m tenant.Municipality, d Document) (int64, error) {
	var before int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM council_documents WHERE municipality_id = ?`, m.ID).Scan(&before); err != nil {
		return 0, err
	}
	id, err := a.Store.AddDocument(ctx, tx, m.ID, d)
	if err != nil {
		return 0, err
	}
	if err := a.record(ctx, tx, m, events.CouncilRegulationsApproved, "council_document", id, d.Title, "/council"); err != nil {
		return 0, err
	}
	if before == 0 {
		if err := a.record(ctx, tx, m, events.CouncilSectionPublished, "council", m.ID, "Раздел «Общественный совет»", "/council"); err != nil {
			return 0, err
		}
	}
	return id, nil
}

func (a *Area) addComposition(w http.ResponseWriter, r *http.Request) {
	form := a.parse(w, r)
	if form == nil {
		return
	}
	form.Required(map[string]string{"comp_title": "Название состава"})
	validDate(form, "comp_from")
	validDate(form, "comp_to")
	if !form.Valid() {
		a.adminPage(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	m := web.Municipality(r)
	c := Composition{Title: form.Get("comp_title"), TermFrom: form.Get("comp_from"), TermTo: form.Get("comp_to")}
	err := a.staffChange(r, "council.composition_create", "council_composition", map[string]any{"title": c.Title}, func(tx *db.Tx) (int64, error) {
		return a.Store.CreateComposition(r.Context(), tx, m.ID, c)
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.done(w, r, "Состав создан. Добавьте членов совета и утвердите состав.", "/admin/council")
}

var positions = map[string]bool{"chair": true, "deputy": true, "secretary": true, "member": true}

func (a *Area) addMember(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 6<<20)
	if err := r.ParseMultipartForm(6 << 20); err != nil {
		a.Errors.Render(w, r, web.ErrTooLarge)
		return
	}
	form := web.NewForm(url.Values(r.MultipartForm.Value))
	form.Required(map[string]string{"member_name": "ФИО", "member_represents": "Кого представляет"})
	form.MaxLen("member_bio", "Биография", 3000)
	validDate(form, "member_from")
	validDate(form, "member_to")
	if !positions[form.Get("member_position")] {
		form.Fail("member_position", "Выберите должность в совете.")
	}
	file, head, ferr := r.FormFile("member_photo")
	hasPhoto := ferr == nil && head.Size > 0
	if hasPhoto {
		defer file.Close()
		if form.Get("member_alt") == "" {
			form.Fail("member_alt", "Опишите фотографию для тех, кто её не видит.")
		}
	}
	if !form.Valid() {
		a.adminPage(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	m := web.Municipality(r)
	v := web.ViewerFrom(r.Context())
	var photo int64
	if hasPhoto && a.Files != nil {
		meta, err := a.Files.Save(r.Context(), m.ID, v.ID, head.Filename, file, files.JPEG, files.PNG)
		if err != nil {
			form.Fail("member_photo", "Фотография — файл JPEG или PNG размером до 5 МБ.")
			a.adminPage(w, r, http.StatusUnprocessableEntity, form)
			return
		}
		photo = meta.ID
	}
	mem := Member{CompositionID: id, FullName: form.Get("member_name"), Position: form.Get("member_position"), Represents: form.Get("member_represents"),
		Bio: form.Get("member_bio"), PhotoFileID: photo, PhotoAlt: form.Get("member_alt"), TermFrom: form.Get("member_from"), TermTo: form.Get("member_to")}
	err = a.staffChange(r, "council.member_add", "council_member", map[string]any{"name": mem.FullName, "composition": id, "photo": photo}, func(tx *db.Tx) (int64, error) {
		var n int
		if err := tx.QueryRow(r.Context(), `SELECT COUNT(*) FROM council_compositions WHERE municipality_id = ? AND id = ?`, m.ID, id).Scan(&n); err != nil {
			return 0, err
		}
		if n == 0 {
			return 0, db.ErrNotFound
		}
		return a.Store.AddMember(r.Context(), tx, m.ID, mem)
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.done(w, r, "Член совета добавлен.", "/admin/council")
}

func (a *Area) approveComposition(w http.ResponseWriter, r *http.Request) {
	a.approveByAct(w, r, actApproval{
		field: "act", action: "council.composition_approve", entity: "council_composition", auditKey: "act_number",
		approve: a.Store.ApproveComposition, event: events.CouncilCompositionApproved,
		title: "Состав общественного совета", done: "Состав утверждён; прежний состав остаётся в истории.",
	})
}

// actApproval is what differs between approving a composition and a
// methodology: both are approved by a municipal act whose number, date and
// address the form gives as <field>_number, <field>_date and <field>_url.
type actApproval struct {
	field, action, entity, auditKey string
	approve                         func(ctx context.Context, tx *db.Tx, munID, id int64, number, date, url string) error
	event                           events.Kind
	title, done                     string
}

// approveByAct records the act that approves the object of the path's id,
// audited and published as a public event.
func (a *Area) approveByAct(w http.ResponseWriter, r *http.Request, ap actApproval) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	form := a.parse(w, r)
	if form == nil {
		return
	}
	number, date, url := ap.field+"_number", ap.field+"_date", ap.field+"_url"
	form.Required(map[string]string{number: "Номер акта", date: "Дата акта"})
	validDate(form, date)
	validURL(form, url)
	if !form.Valid() {
		a.adminPage(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	m := web.Municipality(r)
	err = a.staffChange(r, ap.action, ap.entity, map[string]any{ap.auditKey: form.Get(number)}, func(tx *db.Tx) (int64, error) {
		if err := ap.approve(r.Context(), tx, m.ID, id, form.Get(number), form.Get(date), form.Get(url)); err != nil {
			return 0, err
		}
		return id, a.record(r.Context(), tx, m, ap.event, ap.entity, id, ap.title, "/council")
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.done(w, r, ap.done, "/admin/council")
}

func (a *Area) addPlanItem(w http.ResponseWriter, r *http.Request) {
	form := a.parse(w, r)
	if form == nil {
		return
	}
	form.Required(map[string]string{"item_title": "Мероприятие плана"})
	year, err := strconv.Atoi(form.Get("item_year"))
	if err != nil || year < 2000 || year > 2100 {
		form.Fail("item_year", "Укажите год плана.")
	}
	q, err := strconv.Atoi(form.Get("item_quarter"))
	if err != nil || q < 1 || q > 4 {
		form.Fail("item_quarter", "Выберите квартал.")
	}
	member, _ := strconv.ParseInt(form.Get("item_member"), 10, 64)
	if !form.Valid() {
		a.adminPage(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	m := web.Municipality(r)
	err = a.staffChange(r, "council.plan_item_add", "council_plan_item", map[string]any{"title": form.Get("item_title"), "year": year, "quarter": q}, func(tx *db.Tx) (int64, error) {
		pid, err := a.Store.EnsurePlan(r.Context(), tx, m.ID, year)
		if err != nil {
			return 0, err
		}
		return a.Store.AddPlanItem(r.Context(), tx, m.ID, pid, PlanItem{Quarter: q, Title: form.Get("item_title"), MemberID: member})
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.done(w, r, "Мероприятие добавлено в план.", "/admin/council")
}

var itemStatuses = map[string]bool{"planned": true, "done": true, "moved": true, "cancelled": true}

func (a *Area) updatePlanItem(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	form := a.parse(w, r)
	if form == nil {
		return
	}
	st := form.Get("status")
	if !itemStatuses[st] {
		form.Fail("status", "Выберите состояние.")
	}
	if (st == "moved" || st == "cancelled") && form.Get("reason") == "" {
		form.Fail("reason", "Укажите причину переноса или отмены.")
	}
	validURL(form, "link")
	if !form.Valid() {
		a.adminPage(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	m := web.Municipality(r)
	err = a.staffChange(r, "council.plan_item_update", "council_plan_item", map[string]any{"status": st, "reason": form.Get("reason")}, func(tx *db.Tx) (int64, error) {
		return id, a.Store.UpdatePlanItem(r.Context(), tx, m.ID, id, st, form.Get("reason"), form.Get("link"))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.done(w, r, "Состояние мероприятия плана обновлено.", "/admin/council")
}

func (a *Area) approvePlan(w http.ResponseWriter, r *http.Request) {
	form := a.parse(w, r)
	if form == nil {
		return
	}
	form.Required(map[string]string{"plan_number": "Номер акта", "plan_date": "Дата акта"})
	validDate(form, "plan_date")
	validURL(form, "plan_url")
	year, err := strconv.Atoi(form.Get("plan_year"))
	if err != nil {
		form.Fail("plan_year", "Укажите год плана.")
	}
	if !form.Valid() {
		a.adminPage(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	m := web.Municipality(r)
	err = a.staffChange(r, "council.plan_approve", "council_plan", map[string]any{"year": year, "number": form.Get("plan_number")}, func(tx *db.Tx) (int64, error) {
		pid, err := a.Store.EnsurePlan(r.Context(), tx, m.ID, year)
		if err != nil {
			return 0, err
		}
		if err := a.Store.ApprovePlan(r.Context(), tx, m.ID, pid, form.Get("plan_number"), form.Get("plan_date"), form.Get("plan_url")); err != nil {
			return 0, err
		}
		return pid, a.record(r.Context(), tx, m, events.CouncilPlanApproved, "council_plan", pid, fmt.Sprintf("План работы общественного совета на %d год", year), "/council")
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.done(w, r, "План работы утверждён.", "/admin/council")
}

// MeetingInput is a new meeting as the form and the API give it.
type MeetingInput struct {
	Kind      string `json:"kind"`
	Title     string `json:"title"`
	StartsAt  string `json:"starts_at"`
	Place     string `json:"place"`
	Capacity  int    `json:"capacity"`
	Open      bool   `json:"open"`
	Agenda    string `json:"agenda"`
	Documents string `json:"documents"`
	ClosesAt  string `json:"closes_at"`
	VideoURL  string `json:"video_url"`
}

// parseLocal reads a date-time: RFC 3339, or «2026-12-10T15:00» in the
// municipality's zone (as <input type="datetime-local"> sends it).
func parseLocal(s string, loc *time.Location) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	if loc == nil {
		loc = time.UTC
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// validate checks a meeting and returns it, with errors by field.
func (in MeetingInput) validate(loc *time.Location) (Meeting, map[string]string) {
	errs := map[string]string{}
	mt := Meeting{Kind: in.Kind, Title: strings.TrimSpace(in.Title), Place: strings.TrimSpace(in.Place), Agenda: in.Agenda, Documents: strings.TrimSpace(in.Documents), VideoURL: strings.TrimSpace(in.VideoURL), Capacity: in.Capacity}
	if mt.Kind != KindRegular && mt.Kind != KindExtraordinary && mt.Kind != KindOpen {
		errs["kind"] = "Выберите вид заседания."
	}
	if mt.Title == "" {
		errs["title"] = "Заполните поле «Тема заседания»."
	}
	var ok bool
	if mt.StartsAt, ok = parseLocal(strings.TrimSpace(in.StartsAt), loc); !ok {
		errs["starts_at"] = "Укажите дату и время начала, например 2026-12-10T15:00."
	}
	if in.ClosesAt != "" {
		if mt.ClosesAt, ok = parseLocal(strings.TrimSpace(in.ClosesAt), loc); !ok {
			errs["closes_at"] = "Укажите дату и время окончания регистрации."
		}
	}
	if v := mt.VideoURL; v != "" && !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "http://") {
		errs["video_url"] = "Укажите ссылку на трансляцию или запись, начинающуюся с https://."
	}
	mt.Open = in.Open || mt.Kind == KindOpen
	if mt.Open && mt.Capacity <= 0 {
		errs["capacity"] = "Укажите число мест для открытого заседания."
	}
	if mt.Capacity < 0 || mt.Capacity > 100000 {
		errs["capacity"] = "Число мест должно быть от 0 до 100 000."
	}
	return mt, errs
}

func (a *Area) saveMeeting(r *http.Request, mt Meeting) (int64, error) {
	m := web.Municipality(r)
	var id int64
	err := a.staffChange(r, "council.meeting_create", "council_meeting", map[string]any{"title": mt.Title, "kind": mt.Kind, "starts_at": mt.StartsAt, "capacity": mt.Capacity}, func(tx *db.Tx) (int64, error) {
		var err error
		id, err = a.Store.CreateMeeting(r.Context(), tx, m.ID, mt)
		return id, err
	})
	return id, err
}

func (a *Area) createMeeting(w http.ResponseWriter, r *http.Request) {
	form := a.parse(w, r)
	if form == nil {
		return
	}
	capacity, _ := strconv.Atoi(form.Get("capacity"))
	in := MeetingInput{Kind: form.Get("kind"), Title: form.Get("title"), StartsAt: form.Get("starts_at"), Place: form.Get("place"), Capacity: capacity,
		Open: form.Get("open") == "1", Agenda: form.Get("agenda"), Documents: form.Get("documents"), ClosesAt: form.Get("closes_at"), VideoURL: form.Get("video_url")}
	mt, errs := in.validate(web.Municipality(r).Location)
	for _, f := range []string{"kind", "title", "starts_at", "closes_at", "capacity", "video_url"} {
		if msg, ok := errs[f]; ok {
			form.Fail(f, msg)
		}
	}
	if !form.Valid() {
		a.adminPage(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	id, err := a.saveMeeting(r, mt)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.done(w, r, "Заседание назначено.", fmt.Sprintf("/admin/council/meetings/%d", id))
}

func (a *Area) adminMeetingPage(w http.ResponseWriter, r *http.Request, status int, id int64, form *web.Form) {
	m := web.Municipality(r)
	mt, err := a.Store.Meeting(r.Context(), a.DB, m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	regs, err := a.Store.Registrations(r.Context(), m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	decisions, err := a.Store.Decisions(r.Context(), m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	depts, err := a.Tenants.Departments(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	members, err := a.groupMembers(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	invited, err := a.Store.Invited(r.Context(), a.DB, m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if form == nil {
		form = web.NewForm(nil)
		form.Values.Set("minutes", mt.Minutes)
	}
	a.Renderer.Page(w, r, status, "council/admin_meeting", mt.Title, map[string]any{"Meeting": mt, "Groups": inviteGroups(members), "Invited": invited, "Registrations": regs, "Decisions": decisions, "Departments": depts, "Form": form, "Today": a.today(m)})
}

func (a *Area) adminMeeting(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.adminMeetingPage(w, r, http.StatusOK, id, nil)
}

func (a *Area) saveMinutes(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	form := a.parse(w, r)
	if form == nil {
		return
	}
	form.Required(map[string]string{"minutes": "Протокол"})
	form.MaxLen("minutes", "Протокол", 100000)
	if !form.Valid() {
		a.adminMeetingPage(w, r, http.StatusUnprocessableEntity, id, form)
		return
	}
	m := web.Municipality(r)
	err = a.staffChange(r, "council.minutes", "council_meeting", map[string]any{"minutes": len(form.Get("minutes"))}, func(tx *db.Tx) (int64, error) {
		return id, a.publishMinutes(r.Context(), tx, m, id, form.Get("minutes"))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.done(w, r, "Протокол опубликован.", fmt.Sprintf("/admin/council/meetings/%d", id))
}

// publishMinutes stores the minutes; for an open meeting that has taken
// place it records, once, that an open meeting was held.
func (a *Area) publishMinutes(ctx context.Context, tx *db.Tx, m tenant.Municipality, id int64, text string) error {
	mt, err := a.Store.Meeting(ctx, tx, m.ID, id)
	if err != nil {
		return err
	}
	if err := a.Store.PublishMinutes(ctx, tx, m.ID, id, text); err != nil {
		return err
	}
	if mt.Kind != KindOpen || mt.StartsAt.After(a.DB.Now()) {
		return nil
	}
	res, err := tx.Exec(ctx, `UPDATE council_meetings SET held_recorded = TRUE WHERE id = ? AND held_recorded = FALSE`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return a.record(ctx, tx, m, events.CouncilOpenMeetingHeld, "council_meeting", id, mt.Title, mt.Path())
}

func (a *Area) addDecision(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	form := a.parse(w, r)
	if form == nil {
		return
	}
	form.Required(map[string]string{"decision_text": "Решение", "decision_due": "Срок исполнения"})
	validDate(form, "decision_due")
	dept, _ := strconv.ParseInt(form.Get("decision_department"), 10, 64)
	if dept == 0 {
		form.Fail("decision_department", "Выберите подразделение-исполнителя.")
	}
	if !form.Valid() {
		a.adminMeetingPage(w, r, http.StatusUnprocessableEntity, id, form)
		return
	}
	m := web.Municipality(r)
	d := Decision{MeetingID: id, Text: form.Get("decision_text"), DepartmentID: dept, DueDate: form.Get("decision_due")}
	err = a.staffChange(r, "council.decision_add", "council_decision", map[string]any{"text": d.Text, "department": dept, "due": d.DueDate}, func(tx *db.Tx) (int64, error) {
		if _, err := a.Store.Meeting(r.Context(), tx, m.ID, id); err != nil {
			return 0, err
		}
		return a.Store.AddDecision(r.Context(), tx, m.ID, d)
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.done(w, r, "Решение добавлено в протокол.", fmt.Sprintf("/admin/council/meetings/%d", id))
}

func (a *Area) updateDecision(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	form := a.parse(w, r)
	if form == nil {
		return
	}
	st := form.Get("status")
	if st != "open" && st != "done" && st != "cancelled" {
		a.Errors.Render(w, r, web.Invalid("Выберите состояние решения."))
		return
	}
	m := web.Municipality(r)
	var meetingID int64
	err = a.staffChange(r, "council.decision_status", "council_decision", map[string]any{"status": st}, func(tx *db.Tx) (int64, error) {
		if err := tx.QueryRow(r.Context(), `SELECT meeting_id FROM council_decisions WHERE municipality_id = ? AND id = ?`, m.ID, id).Scan(&meetingID); err != nil {
			return 0, db.ErrNotFound
		}
		return id, a.Store.SetDecisionStatus(r.Context(), tx, m.ID, id, st)
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.done(w, r, "Состояние решения обновлено.", fmt.Sprintf("/admin/council/meetings/%d", meetingID))
}

// parseCriteria reads «Название | вес» lines.
func parseCriteria(text string) ([]Criterion, string) {
	var out []Criterion
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		title, w, ok := strings.Cut(line, "|")
		n, err := strconv.Atoi(strings.TrimSpace(w))
		if !ok || err != nil || n <= 0 || strings.TrimSpace(title) == "" {
			return nil, "Каждая строка — «Критерий | вес», вес — целое положительное число: «" + line + "»."
		}
		out = append(out, Criterion{Title: strings.TrimSpace(title), Weight: n})
	}
	if len(out) == 0 {
		return nil, "Укажите хотя бы один критерий."
	}
	return out, ""
}

func (a *Area) addMethodology(w http.ResponseWriter, r *http.Request) {
	form := a.parse(w, r)
	if form == nil {
		return
	}
	form.Required(map[string]string{"meth_title": "Название методики", "criteria": "Критерии и веса"})
	crit, msg := parseCriteria(form.Values.Get("criteria"))
	if msg != "" {
		form.Fail("criteria", msg)
	}
	scale, err := strconv.Atoi(form.Get("scale_max"))
	if err != nil || scale < 2 || scale > 10 {
		form.Fail("scale_max", "Шкала — от 2 до 10 баллов.")
	}
	if !form.Valid() {
		a.adminPage(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	m := web.Municipality(r)
	meth := Methodology{Title: form.Get("meth_title"), ScaleMax: scale, Scorers: form.Get("scorers"), Criteria: crit}
	err = a.staffChange(r, "council.methodology_create", "council_methodology", map[string]any{"title": meth.Title, "criteria": len(crit)}, func(tx *db.Tx) (int64, error) {
		return a.Store.CreateMethodology(r.Context(), tx, m.ID, meth)
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.done(w, r, "Методика сохранена. Утвердите её актом.", "/admin/council")
}

func (a *Area) approveMethodology(w http.ResponseWriter, r *http.Request) {
	a.approveByAct(w, r, actApproval{
		field: "meth", action: "council.methodology_approve", entity: "council_methodology", auditKey: "number",
		approve: a.Store.ApproveMethodology, event: events.CouncilMethodologyApproved,
		title: "Методика оценки деятельности администрации", done: "Методика утверждена.",
	})
}

func (a *Area) openRun(w http.ResponseWriter, r *http.Request) {
	form := a.parse(w, r)
	if form == nil {
		return
	}
	form.Required(map[string]string{"run_title": "Название цикла оценки"})
	m := web.Municipality(r)
	meth, err := a.Store.Methodology(r.Context(), a.DB, m.ID, 0)
	if err != nil || meth.ApprovedAt.IsZero() {
		form.Fail("run_title", "Сначала утвердите методику оценки.")
	}
	if !form.Valid() {
		a.adminPage(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	err = a.staffChange(r, "council.run_open", "council_run", map[string]any{"title": form.Get("run_title")}, func(tx *db.Tx) (int64, error) {
		return a.Store.OpenRun(r.Context(), tx, m.ID, meth.ID, form.Get("run_title"))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.done(w, r, "Оценка открыта для членов совета.", "/admin/council")
}

func (a *Area) closeRun(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	err = a.staffChange(r, "council.run_close", "council_run", nil, func(tx *db.Tx) (int64, error) {
		return id, a.publishRun(r.Context(), tx, m, id)
	})
	if err == ErrRunClosed {
		err = web.Invalid("Эта оценка уже завершена.")
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.done(w, r, "Оценка завершена, результаты опубликованы.", fmt.Sprintf("/council/evaluations/%d", id))
}

func (a *Area) publishRun(ctx context.Context, tx *db.Tx, m tenant.Municipality, id int64) error {
	run, err := a.Store.CloseRun(ctx, tx, m.ID, id)
	if err != nil {
		return err
	}
	return a.record(ctx, tx, m, events.CouncilEvaluationPublished, "council_run", id, run.Title, fmt.Sprintf("/council/evaluations/%d", id))
}
