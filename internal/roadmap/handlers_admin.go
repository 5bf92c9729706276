package roadmap

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/search"
	"github.com/glasnost/glasnost/internal/web"
)

func (a *Area) adminShow(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p, today, err := a.progress(r.Context(), web.Municipality(r), id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "roadmap/admin_show", p.Title, map[string]any{"Plan": p, "Today": today})
}

func (a *Area) deletePlan(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	p, err := a.Store.Get(r.Context(), m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.Delete(r.Context(), tx, m.ID, id); err != nil {
			return err
		}
		if err := search.Remove(r.Context(), tx, m.ID, "roadmap", strconv.FormatInt(id, 10)); err != nil {
			return fmt.Errorf("unindex roadmap: %w", err)
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "roadmap.delete", "roadmap", strconv.FormatInt(id, 10),
			map[string]any{"title": p.Title, "approving_act": p.ApprovingAct}, nil))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Дорожная карта «"+p.Title+"» удалена.")
	http.Redirect(w, r, "/admin/roadmaps", http.StatusSeeOther)
}

// --- Responsible units ---

func (a *Area) unitsPage(w http.ResponseWriter, r *http.Request, status int, id int64, form *web.Form) {
	m := web.Municipality(r)
	p, err := a.Store.Get(r.Context(), m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	units, err := a.Store.UnitMappings(r.Context(), m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	depts, err := a.Tenants.Departments(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if form == nil {
		form = web.NewForm(nil)
		for i, u := range units {
			form.Values.Set("unit-"+strconv.Itoa(i), strconv.FormatInt(u.DepartmentID, 10))
		}
	}
	a.Renderer.Page(w, r, status, "roadmap/units", "Ответственные подразделения", map[string]any{"Plan": p, "Units": units, "Departments": depts, "Form": form})
}

func (a *Area) unitsForm(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.unitsPage(w, r, http.StatusOK, id, nil)
}

func (a *Area) unitsSave(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	form, err := web.ParseForm(w, r, 256<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	units, err := a.Store.UnitMappings(r.Context(), m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if len(units) == 0 {
		if _, err := a.Store.Get(r.Context(), m.ID, id); err != nil {
			a.Errors.Render(w, r, err)
			return
		}
	}
	depts, err := a.Tenants.Departments(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	valid := map[int64]bool{0: true}
	for _, d := range depts {
		valid[d.ID] = true
	}
	type change struct {
		Name     string `json:"name"`
		From, To int64
	}
	var changes []change
	for i, u := range units {
		field := "unit-" + strconv.Itoa(i)
		d, err := strconv.ParseInt(form.Get(field), 10, 64)
		if err != nil || !valid[d] {
			form.Fail(field, "Выберите подразделение для «"+u.Name+"» из списка.")
			continue
		}
		if d != u.DepartmentID {
			changes = append(changes, change{Name: u.Name, From: u.DepartmentID, To: d})
		}
	}
	if !form.Valid() {
		a.unitsPage(w, r, http.StatusUnprocessableEntity, id, form)
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		for _, c := range changes {
			if err := a.Store.MapUnit(r.Context(), tx, m.ID, id, c.Name, c.To); err != nil {
				return err
			}
			if err := audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "roadmap.unit.map", "roadmap", strconv.FormatInt(id, 10),
				map[string]any{"unit": c.Name, "department_id": c.From}, map[string]any{"unit": c.Name, "department_id": c.To})); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, fmt.Sprintf("Сопоставление подразделений сохранено (изменений: %d).", len(changes)))
	http.Redirect(w, r, "/admin/roadmaps/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// --- Measure: schedule, rule, links ---

func (a *Area) measurePage(w http.ResponseWriter, r *http.Request, status int, ms PlanMeasure, form, linkForm *web.Form) {
	m := web.Municipality(r)
	spheres, err := a.Tenants.Spheres(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p, today, err := a.progress(r.Context(), m, ms.RoadmapID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var current PlanMeasure
	for _, mech := range p.Mechanisms {
		for _, x := range mech.Measures {
			if x.ID == ms.ID {
				current = x
			}
		}
	}
	if form == nil {
		form = web.NewForm(nil)
		form.Values.Set("schedule", ms.Schedule.Text)
		for _, k := range ms.Rule.Kinds {
			form.Values.Add("kinds", string(k))
		}
		form.Values["spheres"] = ms.Rule.Spheres
		form.Values.Set("words", strings.Join(ms.Rule.Words, ", "))
		form.Values.Set("count", strconv.Itoa(ms.Rule.Count))
	}
	if linkForm == nil {
		linkForm = web.NewForm(nil)
		linkForm.Values.Set("done_on", dateString(today))
	}
	a.Renderer.Page(w, r, status, "roadmap/measure", "Мероприятие "+ms.Number, map[string]any{
		"Plan": p, "Measure": current, "Form": form, "LinkForm": linkForm, "Kinds": events.Kinds, "Spheres": spheres, "Today": today,
		"Checked": form.Values["kinds"], "CheckedSpheres": form.Values["spheres"],
	})
}

func (a *Area) loadMeasure(w http.ResponseWriter, r *http.Request) (PlanMeasure, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return PlanMeasure{}, false
	}
	ms, err := a.Store.Measure(r.Context(), web.Municipality(r).ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return PlanMeasure{}, false
	}
	return ms, true
}

func (a *Area) measureForm(w http.ResponseWriter, r *http.Request) {
	if ms, ok := a.loadMeasure(w, r); ok {
		a.measurePage(w, r, http.StatusOK, ms, nil, nil)
	}
}

// measureAudit is the part of a measure an audit record keeps.
func measureAudit(ms PlanMeasure) map[string]any {
	return map[string]any{"number": ms.Number, "schedule": ms.Schedule.Text, "schedule_kind": ms.Schedule.Kind,
		"rule_kinds": ms.Rule.Kinds, "rule_spheres": ms.Rule.Spheres, "rule_words": ms.Rule.Words, "rule_count": ms.Rule.Count}
}

func (a *Area) measureSave(w http.ResponseWriter, r *http.Request) {
	ms, ok := a.loadMeasure(w, r)
	if !ok {
		return
	}
	form, err := web.ParseForm(w, r, 256<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	before := ms
	// Schedule: parsed from the wording the person wrote.
	text := form.Get("schedule")
	form.MaxLen("schedule", "Срок исполнения", 300)
	if text == "" {
		form.Fail("schedule", "Заполните поле «Срок исполнения».")
	} else if text != ms.Schedule.Text || ms.Schedule.Kind == ScheduleUnparsed {
		s := ParseSchedule(text)
		if s.Kind == ScheduleUnparsed {
			form.Fail("schedule", "Срок «"+text+"» не распознан. Напишите, например, «До 01.12.2026 года», «4 квартал 2026 года», «В течение 2026 года» или «Ежеквартально».")
		} else {
			if s.Kind == ScheduleRecurring && s.From.IsZero() {
				p, err := a.Store.Get(r.Context(), m.ID, ms.RoadmapID)
				if err != nil {
					a.Errors.Render(w, r, err)
					return
				}
				s.From, s.To = p.PeriodFrom, p.PeriodTo
			}
			ms.Schedule, ms.ScheduleManual = s, true
		}
	}
	// Rule.
	// Only declared kinds: a rule must not wait for an event nobody writes.
	var kinds []events.Kind
	for _, v := range form.Values["kinds"] {
		if k := events.Kind(v); events.Known(k) && !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	spheres, err := a.Tenants.Spheres(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var chosen []string
	for _, s := range spheres {
		if slices.Contains(form.Values["spheres"], s.Slug) {
			chosen = append(chosen, s.Slug)
		}
	}
	form.MaxLen("words", "Слова в названии", 500)
	count, err := strconv.Atoi(form.Get("count"))
	if err != nil || count < 0 || count > 1000 {
		form.Fail("count", "Укажите число от 0 до 1000 (0 — по целевому значению показателя).")
	}
	if !form.Valid() {
		a.measurePage(w, r, http.StatusUnprocessableEntity, before, form, nil)
		return
	}
	ms.Rule = Rule{Kinds: kinds, Spheres: chosen, Words: ParseWords(form.Get("words")), Count: count}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.UpdateMeasure(r.Context(), tx, m.ID, ms); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "roadmap.measure.update", "roadmap_measure", strconv.FormatInt(ms.ID, 10), measureAudit(before), measureAudit(ms)))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Мероприятие "+ms.Number+" сохранено.")
	http.Redirect(w, r, "/admin/roadmap-measures/"+strconv.FormatInt(ms.ID, 10), http.StatusSeeOther)
}

// validLinkURL accepts a page of the portal ("/acts/12") or an http(s) address.
func validLinkURL(u string) bool {
	switch {
	case strings.HasPrefix(u, "//"):
		return false
	case strings.HasPrefix(u, "/"):
		return !strings.ContainsAny(u, " \t\n")
	case strings.HasPrefix(u, "https://"), strings.HasPrefix(u, "http://"):
		return len(u) > len("https://") && !strings.ContainsAny(u, " \t\n")
	}
	return false
}

func (a *Area) linkAdd(w http.ResponseWriter, r *http.Request) {
	ms, ok := a.loadMeasure(w, r)
	if !ok {
		return
	}
	form, err := web.ParseForm(w, r, 64<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	form.Required(map[string]string{"link_title": "Название документа или материала", "link_url": "Адрес"})
	form.MaxLen("link_title", "Название документа или материала", 500)
	form.MaxLen("link_url", "Адрес", 2000)
	if u := form.Get("link_url"); u != "" && !validLinkURL(u) {
		form.Fail("link_url", "Укажите адрес страницы портала (начинается с «/») или адрес в интернете (начинается с «https://»).")
	}
	on, err := time.Parse(time.DateOnly, form.Get("done_on"))
	today := a.today(m)
	switch {
	case err != nil:
		form.Fail("done_on", "Укажите дату в виде ГГГГ-ММ-ДД, например 2026-03-15.")
	case on.After(today):
		form.Fail("done_on", "Дата исполнения не может быть позже сегодняшней.")
	}
	if !form.Valid() {
		a.measurePage(w, r, http.StatusUnprocessableEntity, ms, nil, form)
		return
	}
	l := Link{MeasureID: ms.ID, Title: form.Get("link_title"), URL: form.Get("link_url"), DoneOn: on}
	v := web.ViewerFrom(r.Context())
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.AddLink(r.Context(), tx, m.ID, v.ID, &l); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "roadmap.link.add", "roadmap_measure", strconv.FormatInt(ms.ID, 10), nil,
			map[string]any{"link_id": l.ID, "title": l.Title, "url": l.URL, "done_on": dateString(l.DoneOn)}))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Подтверждение исполнения добавлено к мероприятию "+ms.Number+".")
	http.Redirect(w, r, "/admin/roadmap-measures/"+strconv.FormatInt(ms.ID, 10), http.StatusSeeOther)
}

func (a *Area) linkDelete(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	var l Link
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		var err error
		if l, err = a.Store.Link(r.Context(), tx, m.ID, id); err != nil {
			return err
		}
		if err := a.Store.DeleteLink(r.Context(), tx, m.ID, id); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "roadmap.link.delete", "roadmap_measure", strconv.FormatInt(l.MeasureID, 10),
			map[string]any{"link_id": l.ID, "title": l.Title, "url": l.URL, "done_on": dateString(l.DoneOn)}, nil))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Подтверждение «"+l.Title+"» удалено.")
	http.Redirect(w, r, "/admin/roadmap-measures/"+strconv.FormatInt(l.MeasureID, 10), http.StatusSeeOther)
}

// --- Self-assessment criteria ---

func (a *Area) criteriaPage(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	m := web.Municipality(r)
	crit, err := a.Store.Criteria(r.Context(), m.ID, true)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if form == nil {
		form = web.NewForm(nil)
		for _, c := range crit {
			id := strconv.FormatInt(c.ID, 10)
			form.Values.Set("title-"+id, c.Title)
			form.Values.Set("weight-"+id, strconv.Itoa(c.Weight))
			if c.Retired {
				form.Values.Set("retired-"+id, "1")
			}
		}
		form.Values.Set("new_weight", "1")
	}
	a.Renderer.Page(w, r, status, "roadmap/criteria", "Критерии самооценки открытости", map[string]any{"Criteria": crit, "Form": form})
}

func (a *Area) criteriaForm(w http.ResponseWriter, r *http.Request) {
	a.criteriaPage(w, r, http.StatusOK, nil)
}

func (a *Area) criteriaSave(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(w, r, 64<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	crit, err := a.Store.Criteria(r.Context(), m.ID, true)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	weight := func(field string) int {
		n, err := strconv.Atoi(form.Get(field))
		if err != nil || n < 1 || n > 10 {
			form.Fail(field, "Вес — целое число от 1 до 10.")
		}
		return n
	}
	var changed []Criterion
	for _, c := range crit {
		id := strconv.FormatInt(c.ID, 10)
		n := c
		n.Title = form.Get("title-" + id)
		if n.Title == "" {
			form.Fail("title-"+id, "Заполните формулировку критерия.")
		}
		form.MaxLen("title-"+id, "Формулировка", 300)
		n.Weight = weight("weight-" + id)
		n.Retired = form.Get("retired-"+id) != ""
		if n != c {
			changed = append(changed, n)
		}
	}
	var added *Criterion
	if t := form.Get("new_title"); t != "" {
		form.MaxLen("new_title", "Новый критерий", 300)
		added = &Criterion{Title: t, Weight: weight("new_weight"), Position: len(crit) + 1}
	}
	if !form.Valid() {
		a.criteriaPage(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		byID := map[int64]Criterion{}
		for _, c := range crit {
			byID[c.ID] = c
		}
		for _, c := range changed {
			if err := a.Store.SaveCriterion(r.Context(), tx, m.ID, &c); err != nil {
				return err
			}
			if err := audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "roadmap.criterion.update", "roadmap_criterion", strconv.FormatInt(c.ID, 10), byID[c.ID], c)); err != nil {
				return err
			}
		}
		if added != nil {
			if err := a.Store.SaveCriterion(r.Context(), tx, m.ID, added); err != nil {
				return err
			}
			if err := audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "roadmap.criterion.create", "roadmap_criterion", strconv.FormatInt(added.ID, 10), nil, *added)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Критерии самооценки сохранены.")
	http.Redirect(w, r, "/admin/roadmaps/criteria", http.StatusSeeOther)
}

// --- Self-assessment by year ---

func (a *Area) assessYear(r *http.Request, m int) int {
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 1990 && y <= 2199 {
		return y
	}
	return m
}

func (a *Area) assessPage(w http.ResponseWriter, r *http.Request, status int, id int64, year int, form *web.Form) {
	m := web.Municipality(r)
	p, err := a.Store.Get(r.Context(), m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	crit, err := a.Store.Criteria(r.Context(), m.ID, false)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if form == nil {
		as, err := a.Store.Assessments(r.Context(), m.ID, id)
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		form = web.NewForm(nil)
		form.Values.Set("year", strconv.Itoa(year))
		for _, x := range as {
			if x.Year != year {
				continue
			}
			mid := strconv.FormatInt(x.MechanismID, 10)
			form.Values.Set("stage-"+mid, strconv.Itoa(x.Stage))
			form.Values.Set("note-"+mid, x.Note)
			for _, an := range x.Answers {
				form.Values.Set(fmt.Sprintf("c-%s-%d", mid, an.CriterionID), strconv.Itoa(an.Value))
			}
		}
	}
	a.Renderer.Page(w, r, status, "roadmap/assess_form", "Самооценка открытости за "+strconv.Itoa(year)+" год", map[string]any{
		"Plan": p, "Criteria": crit, "Form": form, "Year": year, "Stages": Stages[1:],
	})
}

func (a *Area) assessForm(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.assessPage(w, r, http.StatusOK, id, a.assessYear(r, a.today(web.Municipality(r)).Year()), nil)
}

func (a *Area) assessSave(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	form, err := web.ParseForm(w, r, 256<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	p, err := a.Store.Get(r.Context(), m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	crit, err := a.Store.Criteria(r.Context(), m.ID, false)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	year, err := strconv.Atoi(form.Get("year"))
	if err != nil || year < 1990 || year > 2199 {
		form.Fail("year", "Укажите год четырьмя цифрами.")
		year = a.today(m).Year()
	}
	var list []Assessment
	for _, mech := range p.Mechanisms {
		mid := strconv.FormatInt(mech.ID, 10)
		stage := form.Get("stage-" + mid)
		if stage == "" {
			continue // not assessed this year
		}
		n, err := strconv.Atoi(stage)
		if err != nil || n < 1 || n >= len(Stages) {
			form.Fail("stage-"+mid, fmt.Sprintf("Механизм %d: выберите стадию из списка.", mech.Number))
			continue
		}
		x := Assessment{MechanismID: mech.ID, Year: year, Stage: n, Note: form.Get("note-" + mid)}
		form.MaxLen("note-"+mid, "Комментарий", 2000)
		for _, c := range crit {
			field := fmt.Sprintf("c-%s-%d", mid, c.ID)
			v, err := strconv.Atoi(form.Get(field))
			if err != nil || v < ValueNo || v > ValueYes {
				form.Fail(field, fmt.Sprintf("Механизм %d: ответьте на вопрос «%s».", mech.Number, c.Title))
				continue
			}
			x.Answers = append(x.Answers, Answer{CriterionID: c.ID, Value: v, Weight: c.Weight})
		}
		list = append(list, x)
	}
	if !form.Valid() {
		a.assessPage(w, r, http.StatusUnprocessableEntity, id, year, form)
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		for i := range list {
			before, err := a.Store.SaveAssessment(r.Context(), tx, m.ID, &list[i])
			if err != nil {
				return err
			}
			var b any
			if before.ID != 0 {
				b = before
			}
			if err := audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "roadmap.assessment.save", "roadmap_assessment", strconv.FormatInt(list[i].ID, 10), b, list[i])); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, fmt.Sprintf("Самооценка за %d год сохранена (механизмов: %d).", year, len(list)))
	http.Redirect(w, r, "/roadmap/"+strconv.FormatInt(id, 10)+"/assessment", http.StatusSeeOther)
}
