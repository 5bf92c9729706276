package opendata

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/jobs"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

const (
	maxFormBytes   = 64 << 10
	maxUploadBytes = 10 << 20
)

func (a *Area) adminList(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	st, err := a.Store.Settings(r.Context(), a.DB, m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	now := a.DB.Now()
	overdueOnly := r.URL.Query().Get("overdue") == "1"
	var list []Dataset
	var p *web.Pager
	if overdueOnly {
		list, err = a.Store.Overdue(r.Context(), a.DB, m.ID, now)
	} else {
		p = web.NewPager(r.URL, 50)
		var total int
		list, total, err = a.Store.List(r.Context(), a.DB, m.ID, Filter{}, p.PerPage, p.Offset())
		p.SetTotal(total)
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	withIdentifiers(list, st.INN)
	if err := a.names(r.Context(), m.ID, list); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	type row struct {
		Dataset
		IsOverdue bool
	}
	rows := make([]row, len(list))
	for i, d := range list {
		rows[i] = row{Dataset: d, IsOverdue: d.Overdue(now)}
	}
	a.Renderer.Page(w, r, http.StatusOK, "opendata/admin_list", "Открытые данные", map[string]any{
		"Datasets": rows, "Pager": p, "OverdueOnly": overdueOnly, "Settings": st, "Placeholder": st.INN == PlaceholderINN,
		"Sources": len(a.Portal.Datasets()),
	})
}

// names fills the responsible officials' names (auth knows people).
func (a *Area) names(ctx context.Context, munID int64, ds []Dataset) error {
	var ids []int64
	for _, d := range ds {
		if d.ResponsibleID != 0 {
			ids = append(ids, d.ResponsibleID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rs, err := a.People.Recipients(ctx, a.DB, munID, auth.Audience{IDs: ids})
	if err != nil {
		return err
	}
	name := map[int64]string{}
	for _, r := range rs {
		name[r.ID] = r.Name
	}
	for i := range ds {
		ds[i].Responsible = name[ds[i].ResponsibleID]
	}
	return nil
}

type formData struct {
	Form        *web.Form
	Dataset     Dataset
	Departments []tenant.Department
	Editors     []auth.Recipient
	Settings    Settings
	Structures  []Structure
	Versions    []Version
	Upload      []RowError
	UploadName  string
	New         bool
	Formats     map[string]string
}

func (a *Area) formData(ctx context.Context, m tenant.Municipality, f *web.Form, d Dataset) (*formData, error) {
	deps, err := a.Tenants.Departments(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	eds, err := a.People.Recipients(ctx, a.DB, m.ID, auth.Audience{Roles: []string{auth.Editor}})
	if err != nil {
		return nil, err
	}
	st, err := a.Store.Settings(ctx, a.DB, m.ID)
	if err != nil {
		return nil, err
	}
	d.Identifier = Identifier(st.INN, d.Code)
	return &formData{Form: f, Dataset: d, Departments: deps, Editors: eds, Settings: st, Formats: FormatLabels}, nil
}

var reDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// readPassport fills a dataset's passport from the form, failing fields.
func readPassport(f *web.Form, d *Dataset, data *formData) {
	f.Required(map[string]string{"title": "Укажите название набора.", "description": "Опишите, какие данные содержит набор."})
	f.MaxLen("title", "Название", 500)
	f.MaxLen("description", "Описание", 4000)
	d.Title, d.Description = f.Get("title"), f.Get("description")
	d.Subject, d.Creator, d.Provenance = f.Get("subject"), f.Get("creator"), f.Get("provenance")
	d.PublisherName, d.PublisherPhone, d.PublisherEmail = f.Get("publisher_name"), f.Get("publisher_phone"), f.Get("publisher_email")
	if d.PublisherEmail != "" {
		f.Email("publisher_email")
	}
	d.Valid = f.Get("valid")
	if d.Valid != "" {
		if _, err := time.Parse("2006-01-02", d.Valid); err != nil || !reDate.MatchString(d.Valid) {
			f.Fail("valid", "Дата актуальности — в формате ГГГГ-ММ-ДД, например 2027-12-31.")
		}
	}
	d.DepartmentID = 0
	if v := f.Get("department"); v != "" {
		id, _ := strconv.ParseInt(v, 10, 64)
		for _, dep := range data.Departments {
			if dep.ID == id {
				d.DepartmentID = id
			}
		}
		if d.DepartmentID == 0 {
			f.Fail("department", "Выберите подразделение из списка.")
		}
	}
	d.ResponsibleID = 0
	if v := f.Get("responsible"); v != "" {
		id, _ := strconv.ParseInt(v, 10, 64)
		for _, e := range data.Editors {
			if e.ID == id {
				d.ResponsibleID = id
				if d.DepartmentID != 0 && e.DepartmentID != d.DepartmentID {
					f.Fail("responsible", "Ответственный должен быть редактором подразделения, отвечающего за набор.")
				}
			}
		}
		if d.ResponsibleID == 0 {
			f.Fail("responsible", "Выберите ответственного из списка редакторов.")
		}
	}
	days, err := strconv.Atoi(f.Get("update_days"))
	if err != nil || days < 1 || days > 3660 {
		f.Fail("update_days", "Периодичность обновления — число дней от 1 до 3660.")
	}
	d.UpdateDays = days
}

func passportValues(d Dataset) url.Values {
	v := url.Values{}
	v.Set("code", d.Code)
	v.Set("title", d.Title)
	v.Set("description", d.Description)
	v.Set("subject", d.Subject)
	v.Set("creator", d.Creator)
	v.Set("provenance", d.Provenance)
	v.Set("valid", d.Valid)
	v.Set("publisher_name", d.PublisherName)
	v.Set("publisher_phone", d.PublisherPhone)
	v.Set("publisher_email", d.PublisherEmail)
	if d.DepartmentID != 0 {
		v.Set("department", strconv.FormatInt(d.DepartmentID, 10))
	}
	if d.ResponsibleID != 0 {
		v.Set("responsible", strconv.FormatInt(d.ResponsibleID, 10))
	}
	v.Set("update_days", strconv.Itoa(d.UpdateDays))
	return v
}

func (a *Area) adminNew(w http.ResponseWriter, r *http.Request) {
	v := url.Values{}
	v.Set("update_days", "90")
	if vw := web.ViewerFrom(r.Context()); vw != nil && vw.DepartmentID != 0 {
		v.Set("department", strconv.FormatInt(vw.DepartmentID, 10))
	}
	data, err := a.formData(r.Context(), web.Municipality(r), web.NewForm(v), Dataset{})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	data.New = true
	a.Renderer.Page(w, r, http.StatusOK, "opendata/admin_new", "Новый набор открытых данных", data)
}

func (a *Area) adminCreate(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	data, err := a.formData(r.Context(), m, f, Dataset{})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	data.New = true
	d := Dataset{MunicipalityID: m.ID, Code: f.Get("code")}
	if !ValidCode(d.Code) {
		f.Fail("code", "Код набора — от 2 до 64 строчных латинских букв, цифр и знаков подчёркивания, например budget_2026.")
	}
	readPassport(f, &d, data)
	fields, ferrs := ParseFields(f.Get("structure"))
	if len(ferrs) > 0 {
		f.Fail("structure", strings.Join(ferrs, " "))
	}
	if f.Valid() {
		err := a.DB.InTx(r.Context(), func(tx *db.Tx) error {
			if err := a.Store.Create(r.Context(), tx, &d); err != nil {
				return err
			}
			if _, err := a.Store.SetStructure(r.Context(), tx, d, fields, m.Local(a.DB.Now())); err != nil {
				return err
			}
			return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "opendata.create", "dataset", strconv.FormatInt(d.ID, 10), nil, d))
		})
		switch {
		case errors.Is(err, ErrDuplicate):
			f.Fail("code", err.Error())
		case err != nil:
			a.Errors.Render(w, r, err)
			return
		default:
			web.SetFlash(a.Sessions, r, "Набор создан. Загрузите файл с данными по его структуре, чтобы опубликовать первую версию.")
			http.Redirect(w, r, fmt.Sprintf("/admin/opendata/%d", d.ID), http.StatusSeeOther)
			return
		}
	}
	a.Renderer.Page(w, r, http.StatusUnprocessableEntity, "opendata/admin_new", "Новый набор открытых данных", data)
}

func (a *Area) load(w http.ResponseWriter, r *http.Request) (Dataset, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return Dataset{}, false
	}
	d, err := a.Store.Get(r.Context(), a.DB, web.Municipality(r).ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return d, false
	}
	return d, true
}

func (a *Area) renderEdit(w http.ResponseWriter, r *http.Request, status int, d Dataset, f *web.Form, upload []RowError, uploadName string) {
	m := web.Municipality(r)
	data, err := a.formData(r.Context(), m, f, d)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if data.Structures, err = a.Store.Structures(r.Context(), a.DB, d.ID); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	vs, err := a.Store.Versions(r.Context(), a.DB, m.ID, d.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	data.Versions, data.Upload, data.UploadName = vs[d.ID], upload, uploadName
	a.Renderer.Page(w, r, status, "opendata/admin_edit", d.Title, data)
}

func (a *Area) adminEdit(w http.ResponseWriter, r *http.Request) {
	d, ok := a.load(w, r)
	if !ok {
		return
	}
	a.renderEdit(w, r, http.StatusOK, d, web.NewForm(passportValues(d)), nil, "")
}

func (a *Area) adminUpdate(w http.ResponseWriter, r *http.Request) {
	d, ok := a.load(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	data, err := a.formData(r.Context(), m, f, d)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	before := d
	readPassport(f, &d, data)
	d.Identifier = Identifier(data.Settings.INN, d.Code)
	if !f.Valid() {
		a.renderEdit(w, r, http.StatusUnprocessableEntity, d, f, nil, "")
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.Update(r.Context(), tx, &d); err != nil {
			return err
		}
		if d.Versions > 0 {
			if err := Index(r.Context(), tx, d); err != nil {
				return err
			}
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "opendata.update", "dataset", strconv.FormatInt(d.ID, 10), before, d))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Паспорт набора сохранён.")
	http.Redirect(w, r, fmt.Sprintf("/admin/opendata/%d", d.ID), http.StatusSeeOther)
}

// adminUpload publishes an uploaded CSV or XLSX file as a new version after
// checking every row against the current structure; nothing is published
// when any row is wrong.
func (a *Area) adminUpload(w http.ResponseWriter, r *http.Request) {
	d, ok := a.load(w, r)
	if !ok {
		return
	}
	if d.Generated {
		a.Errors.Render(w, r, web.Invalid("Этот набор формируется автоматически из реестров портала; загружать его вручную не нужно."))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBytes)
	if err := r.ParseMultipartForm(maxUploadBytes); err != nil {
		a.Errors.Render(w, r, web.Invalid("Файл больше 10 МБ или форма повреждена."))
		return
	}
	fh, hdr, err := r.FormFile("file")
	form := web.NewForm(passportValues(d))
	if err != nil {
		a.renderEdit(w, r, http.StatusUnprocessableEntity, d, form, []RowError{{Row: 0, Message: "выберите файл CSV или XLSX."}}, "")
		return
	}
	defer fh.Close()
	b, err := io.ReadAll(fh)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	st, err := a.Store.LatestStructure(r.Context(), a.DB, d.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	table, errs := ReadTable(hdr.Filename, b)
	var rows [][]string
	if len(errs) == 0 {
		rows, errs = Validate(st.Fields, table)
	}
	if len(errs) > 0 {
		a.renderEdit(w, r, http.StatusUnprocessableEntity, d, form, errs, hdr.Filename)
		return
	}
	m := web.Municipality(r)
	var v Version
	var made bool
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		var err error
		by := int64(0)
		if vw := web.ViewerFrom(r.Context()); vw != nil {
			by = vw.ID
		}
		v, made, err = a.Store.Publish(r.Context(), tx, d, st.Fields, rows, by, m.Local(a.DB.Now()))
		if err != nil || !made {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "opendata.upload", "dataset", strconv.FormatInt(d.ID, 10), nil,
			map[string]any{"version": v.Name, "rows": v.Rows, "sha256": v.SHA256, "file": hdr.Filename}))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if made {
		web.SetFlash(a.Sessions, r, fmt.Sprintf("Опубликована версия %s: %d %s.", v.File(), v.Rows, web.Plural(v.Rows, "строка", "строки", "строк")))
	} else {
		web.SetFlash(a.Sessions, r, "Данные не изменились с последней версии: новая версия не нужна.")
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/opendata/%d", d.ID), http.StatusSeeOther)
}

// adminGenerateAll regenerates every generated dataset now.
func (a *Area) adminGenerateAll(w http.ResponseWriter, r *http.Request) {
	// Regenerating every dataset reads every register: it runs as a job,
	// and the person watches it on the task's page.
	m, v := web.Municipality(r), web.ViewerFrom(r.Context())
	var id int64
	err := a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		var err error
		if id, err = jobs.CreateTask(r.Context(), tx, m.ID, v.ID, "Формирование всех наборов открытых данных", a.DB.Now()); err != nil {
			return err
		}
		if err := a.Queue.InsertTx(r.Context(), tx, GenerateAllArgs{TaskID: id, MunicipalityID: m.ID}, nil); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "opendata.generate_all", "job_task", strconv.FormatInt(id, 10), nil, nil))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Формирование наборов запущено. За ходом работы можно следить на этой странице; она обновляется сама.")
	http.Redirect(w, r, jobs.StatusURL(id), http.StatusSeeOther)
}

var reINN = regexp.MustCompile(`^\d{10}$`)

func (a *Area) adminSettings(w http.ResponseWriter, r *http.Request) {
	st, err := a.Store.Settings(r.Context(), a.DB, web.Municipality(r).ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	v := url.Values{}
	if st.INN != PlaceholderINN {
		v.Set("inn", st.INN)
	}
	v.Set("publisher_name", st.PublisherName)
	v.Set("publisher_phone", st.PublisherPhone)
	v.Set("publisher_email", st.PublisherEmail)
	v.Set("license_title", st.LicenseTitle)
	v.Set("license_url", st.LicenseURL)
	a.Renderer.Page(w, r, http.StatusOK, "opendata/admin_settings", "Сведения о публикаторе открытых данных", map[string]any{"Form": web.NewForm(v)})
}

// checkLicense holds the conditions of use to what the recommendations allow
// a page to state: a named licence with an address a reader can open, or
// nothing (the default licence).
func checkLicense(f *web.Form, st Settings) {
	f.MaxLen("license_title", "Условия использования", 500)
	f.MaxLen("license_url", "Адрес текста условий", 500)
	switch {
	case st.LicenseTitle == "" && st.LicenseURL != "":
		f.Fail("license_title", "Назовите условия использования или очистите адрес, чтобы действовала лицензия по умолчанию.")
	case st.LicenseTitle != "":
		u, err := url.Parse(st.LicenseURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			f.Fail("license_url", "Укажите адрес текста условий использования, начинающийся с https://.")
		}
	}
}

func (a *Area) adminSettingsSave(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	before, err := a.Store.Settings(r.Context(), a.DB, m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	st := Settings{MunicipalityID: m.ID, INN: f.Get("inn"), PublisherName: f.Get("publisher_name"), PublisherPhone: f.Get("publisher_phone"), PublisherEmail: f.Get("publisher_email"),
		LicenseTitle: f.Get("license_title"), LicenseURL: f.Get("license_url")}
	checkLicense(f, st)
	if !reINN.MatchString(st.INN) {
		f.Fail("inn", "ИНН органа власти — 10 цифр.")
	}
	f.Required(map[string]string{"publisher_name": "Укажите ответственное лицо или подразделение."})
	if st.PublisherEmail != "" {
		f.Email("publisher_email")
	}
	if !f.Valid() {
		a.Renderer.Page(w, r, http.StatusUnprocessableEntity, "opendata/admin_settings", "Сведения о публикаторе открытых данных", map[string]any{"Form": f})
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.SaveSettings(r.Context(), tx, st); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "opendata.settings", "opendata_settings", strconv.FormatInt(m.ID, 10), before, st))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Сведения о публикаторе сохранены.")
	http.Redirect(w, r, "/admin/opendata", http.StatusSeeOther)
}
