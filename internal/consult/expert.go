package consult

import (
	"errors"
	"net/http"
	"strings"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/web"
)

// CheckExpert validates an expert's registration: the accreditation number
// and date of the Ministry of Justice, and for an organisation its experts.
func CheckExpert(e Expert, today deadline.Date) map[string]string {
	errs := map[string]string{}
	if e.Kind != "person" && e.Kind != "organisation" {
		errs["kind"] = "Выберите, кто проводит экспертизу: эксперт или организация."
	}
	if strings.TrimSpace(e.Name) == "" {
		errs["name"] = "Укажите фамилию, имя, отчество или наименование организации."
	}
	if strings.TrimSpace(e.AccreditationNumber) == "" {
		errs["accreditation_number"] = "Укажите номер распоряжения Минюста России об аккредитации."
	}
	d, err := deadline.ParseDate(e.AccreditationDate)
	switch {
	case e.AccreditationDate == "":
		errs["accreditation_date"] = "Укажите дату аккредитации."
	case err != nil:
		errs["accreditation_date"] = "Укажите дату в виде ГГГГ-ММ-ДД."
	case d.After(today):
		errs["accreditation_date"] = "Дата аккредитации не может быть в будущем."
	}
	if e.Kind == "organisation" && strings.TrimSpace(e.Members) == "" {
		errs["members"] = "Перечислите экспертов организации, по одному в строке."
	}
	return errs
}

func (a *Area) expertForm(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	v := web.ViewerFrom(r.Context())
	f := web.NewForm(nil)
	e, err := a.Store.ExpertByAccount(r.Context(), m.ID, v.ID)
	switch {
	case err == nil:
		f.Values.Set("kind", e.Kind)
		f.Values.Set("name", e.Name)
		f.Values.Set("accreditation_number", e.AccreditationNumber)
		f.Values.Set("accreditation_date", e.AccreditationDate)
		f.Values.Set("members", e.Members)
	case errors.Is(err, db.ErrNotFound):
		f.Values.Set("kind", "person")
		f.Values.Set("name", v.Name)
	default:
		a.Errors.Render(w, r, err)
		return
	}
	var cur *Expert
	if err == nil {
		cur = &e
	}
	a.Renderer.Page(w, r, http.StatusOK, "consult/expert_register", "Регистрация независимого эксперта", map[string]any{"Form": f, "Expert": cur})
}

func (a *Area) registerExpert(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	v := web.ViewerFrom(r.Context())
	f, err := web.ParseForm(w, r, 32<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	e := Expert{AccountID: v.ID, Kind: f.Get("kind"), Name: f.Get("name"), AccreditationNumber: f.Get("accreditation_number"),
		AccreditationDate: f.Get("accreditation_date"), Members: f.Get("members")}
	errs := CheckExpert(e, a.today(m))
	for _, k := range []string{"kind", "name", "accreditation_number", "accreditation_date", "members"} {
		if msg, ok := errs[k]; ok {
			f.Fail(k, msg)
		}
	}
	if !f.Valid() {
		a.Renderer.Page(w, r, http.StatusUnprocessableEntity, "consult/expert_register", "Регистрация независимого эксперта", map[string]any{"Form": f})
		return
	}
	if err := a.DB.InTx(r.Context(), func(tx *db.Tx) error { return a.Store.SaveExpert(r.Context(), tx, m.ID, &e) }); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Заявка принята. Сотрудники администрации проверят аккредитацию по реестру Минюста России; после проверки вы сможете направлять заключения.")
	http.Redirect(w, r, "/expertise", http.StatusSeeOther)
}

// conclusionForm is the structured conclusion form for a verified expert.
func (a *Area) conclusionForm(w http.ResponseWriter, r *http.Request) {
	c, err := a.load(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.renderConclusionForm(w, r, c, http.StatusOK, web.NewForm(nil))
}

func (a *Area) renderConclusionForm(w http.ResponseWriter, r *http.Request, c Consultation, status int, f *web.Form) {
	v := web.ViewerFrom(r.Context())
	ok, why, err := a.mayTakePart(r.Context(), c, v)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if c.Kind != KindExpertise {
		ok, why = false, "Это обсуждение не является антикоррупционной экспертизой."
	}
	a.Renderer.Page(w, r, status, "consult/conclusion_form", "Заключение независимой антикоррупционной экспертизы", map[string]any{
		"C": c, "Form": f, "Factors": Factors, "Allowed": ok, "Why": why,
	})
}

func (a *Area) submitConclusion(w http.ResponseWriter, r *http.Request) {
	c, err := a.load(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f, err := web.ParseForm(w, r, 256<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	v := web.ViewerFrom(r.Context())
	ok, why, err := a.mayTakePart(r.Context(), c, v)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if !ok || c.Kind != KindExpertise {
		f.Fail("body", why)
		a.renderConclusionForm(w, r, c, http.StatusUnprocessableEntity, f)
		return
	}
	var found []FactorFinding
	for _, fc := range Factors {
		found = append(found, FactorFinding{Code: fc.Code, Provisions: f.Get("provisions_" + fc.Code), Proposal: f.Get("proposal_" + fc.Code)})
	}
	errs := CheckConclusion(found, f.Get("body"))
	for _, fc := range Factors {
		for _, k := range []string{"provisions_" + fc.Code, "proposal_" + fc.Code} {
			if msg, ok := errs[k]; ok {
				f.Fail(k, msg)
			}
		}
	}
	if msg, ok := errs["body"]; ok {
		f.Fail("body", msg)
	}
	if !f.Valid() {
		a.renderConclusionForm(w, r, c, http.StatusUnprocessableEntity, f)
		return
	}
	e, err := a.Store.ExpertByAccount(r.Context(), m.ID, v.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var kept []FactorFinding
	for _, x := range found {
		if x.Provisions != "" || x.Proposal != "" {
			kept = append(kept, x)
		}
	}
	received := a.today(m)
	cal, err := a.calendar(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	k := Conclusion{ConsultationID: c.ID, ExpertID: e.ID, ShowName: f.Get("show_name") == "yes", Factors: kept, Body: f.Get("body"),
		ReceivedOn: received, DueOn: ExpertiseDue(cal, a.Rules, received)}
	if k.Factors == nil {
		k.Factors = []FactorFinding{}
	}
	if err := a.DB.InTx(r.Context(), func(tx *db.Tx) error { return a.Store.AddConclusion(r.Context(), tx, m.ID, &k) }); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Заключение получено "+received.Russian()+". Администрация обязана дать мотивированный ответ до "+k.DueOn.Russian()+".")
	http.Redirect(w, r, c.URL()+"#conclusions", http.StatusSeeOther)
}
