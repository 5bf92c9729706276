package roadmap

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// ParseFile reads a plan from a file's bytes: a Word document when it is
// one, tab-separated text otherwise.
func ParseFile(data []byte) (ImportResult, error) {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	if files.Detect(head) == files.DOCX || bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return ParseDOCX(bytes.NewReader(data), int64(len(data)))
	}
	return ParseTSV(bytes.NewReader(data))
}

// Finish recomputes what depends on the schedules after a person set some:
// the plan's period, and the window of each recurring measure that has none.
func Finish(r *Roadmap) {
	r.PeriodFrom, r.PeriodTo = span(r.Mechanisms)
	for i := range r.Mechanisms {
		for j := range r.Mechanisms[i].Measures {
			s := &r.Mechanisms[i].Measures[j].Schedule
			if s.Kind == ScheduleRecurring && s.From.IsZero() {
				s.From, s.To = r.PeriodFrom, r.PeriodTo
			}
		}
	}
}

// importError turns what went wrong with an upload into the words beside the file field.
func importError(err error, maxSize int64) string {
	switch {
	case errors.Is(err, files.ErrType):
		return "Файл должен быть документом Word (DOCX) или текстом с разделителями-табуляциями (TSV, TXT)."
	case errors.Is(err, files.ErrSize):
		return fmt.Sprintf("Файл больше допустимых %d МБ.", maxSize>>20)
	case errors.Is(err, ErrNoTable):
		return "В файле не найдена таблица мероприятий: нужна строка заголовков со столбцом «Мероприятие» и ещё хотя бы двумя (срок, ответственный, результат)."
	case errors.Is(err, ErrNotUTF8):
		return "Текст файла не в кодировке UTF-8: сохраните его в кодировке UTF-8 и загрузите снова."
	case errors.Is(err, ErrNotDOCX):
		return "Файл не читается как документ Word (DOCX): сохраните его в Word заново или загрузите текст с разделителями-табуляциями (TSV)."
	}
	// What the libraries say (a CSV quote out of place) is not for a
	// person to read.
	return "Не удалось прочитать файл: проверьте, что это документ Word (DOCX) или текст с разделителями-табуляциями (TSV) в кодировке UTF-8."
}

func (a *Area) maxUpload() int64 {
	if a.Files != nil && a.Files.MaxSize > 0 {
		return a.Files.MaxSize
	}
	return 20 << 20
}

func (a *Area) importForm(w http.ResponseWriter, r *http.Request) {
	a.Renderer.Page(w, r, http.StatusOK, "roadmap/import", "Импорт дорожной карты", map[string]any{"Form": web.NewForm(nil), "MaxMB": a.maxUpload() >> 20})
}

func (a *Area) importFailed(w http.ResponseWriter, r *http.Request, msg string) {
	f := web.NewForm(nil)
	f.Fail("file", msg)
	a.Renderer.Page(w, r, http.StatusUnprocessableEntity, "roadmap/import", "Импорт дорожной карты", map[string]any{"Form": f, "MaxMB": a.maxUpload() >> 20})
}

// importUpload stores the uploaded file and shows what was recognised in it.
func (a *Area) importUpload(w http.ResponseWriter, r *http.Request) {
	limit := a.maxUpload()
	r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			a.importFailed(w, r, importError(files.ErrSize, limit))
			return
		}
		a.importFailed(w, r, "Выберите файл плана мероприятий (DOCX или TSV).")
		return
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		a.importFailed(w, r, "Выберите файл плана мероприятий (DOCX или TSV).")
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, limit+1))
	if err != nil {
		a.Errors.Render(w, r, fmt.Errorf("read upload: %w", err))
		return
	}
	m := web.Municipality(r)
	v := web.ViewerFrom(r.Context())
	meta, err := a.Files.Save(r.Context(), m.ID, v.ID, hdr.Filename, bytes.NewReader(data), files.DOCX, files.CSV)
	if err != nil {
		if errors.Is(err, files.ErrType) || errors.Is(err, files.ErrSize) {
			a.importFailed(w, r, importError(err, limit))
			return
		}
		a.Errors.Render(w, r, err)
		return
	}
	res, err := ParseFile(data)
	if err != nil {
		a.importFailed(w, r, importError(err, limit))
		return
	}
	form := web.NewForm(nil)
	form.Values.Set("title", res.Roadmap.Title)
	form.Values.Set("act", res.Roadmap.ApprovingAct)
	a.renderPreview(w, r, http.StatusOK, form, meta, res)
}

// previewUnit is a responsible unit of the import with the department it
// will be mapped to.
type previewUnit struct {
	Index        int
	Name         string
	DepartmentID int64
	Suggested    bool
}

func (a *Area) departments(ctx context.Context, munID int64) ([]tenant.Department, []Department, error) {
	ds, err := a.Tenants.Departments(ctx, munID)
	if err != nil {
		return nil, nil, err
	}
	out := make([]Department, len(ds))
	for i, d := range ds {
		out[i] = Department{ID: d.ID, Name: d.Name}
	}
	return ds, out, nil
}

// unitNames are the distinct responsible units of a plan, in order of appearance.
func unitNames(r Roadmap) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range r.Mechanisms {
		for _, ms := range m.Measures {
			for _, u := range ms.Responsible {
				if !seen[u] {
					seen[u] = true
					out = append(out, u)
				}
			}
		}
	}
	return out
}

func (a *Area) renderPreview(w http.ResponseWriter, r *http.Request, status int, form *web.Form, meta files.Meta, res ImportResult) {
	m := web.Municipality(r)
	tds, depts, err := a.departments(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var units []previewUnit
	for i, name := range unitNames(res.Roadmap) {
		u := previewUnit{Index: i, Name: name}
		if v, ok := form.Values["unit-"+strconv.Itoa(i)]; ok && len(v) > 0 {
			u.DepartmentID, _ = strconv.ParseInt(v[0], 10, 64)
		} else if d, _, ok := MatchDepartment(name, depts); ok {
			u.DepartmentID, u.Suggested = d.ID, true
		}
		units = append(units, u)
	}
	var unparsed []Measure
	for _, mech := range res.Roadmap.Mechanisms {
		for _, ms := range mech.Measures {
			if ms.Schedule.Kind == ScheduleUnparsed {
				unparsed = append(unparsed, ms)
			}
		}
	}
	a.Renderer.Page(w, r, status, "roadmap/preview", "Проверка импорта дорожной карты", map[string]any{
		"Form": form, "File": meta, "Result": res, "Units": units, "Departments": tds, "Unparsed": unparsed,
	})
}

// importSave reads the stored file again, applies what the person set on the
// preview, and saves the plan.
func (a *Area) importSave(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(w, r, 1<<20)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	meta, res, ok := a.reparseUpload(w, r, m.ID, form.Get("file_id"))
	if !ok {
		return
	}
	plan := &res.Roadmap
	if dup := plan.Duplicate(); dup != "" {
		// Saving would break the plan's unique numbers: the file must change.
		a.importFailed(w, r, "В плане дважды встречается "+dup+": исправьте нумерацию в файле и загрузите его снова.")
		return
	}
	form.Required(map[string]string{"title": "Название"})
	form.MaxLen("title", "Название", 1000)
	form.MaxLen("act", "Утверждающий акт", 1000)
	plan.Title, plan.ApprovingAct = form.Get("title"), form.Get("act")
	manual := applySchedulesSet(form, plan)
	_, depts, err := a.departments(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	mapping := unitMapping(form, *plan, depts)
	if !form.Valid() {
		a.renderPreview(w, r, http.StatusUnprocessableEntity, form, meta, res)
		return
	}
	Finish(plan)
	var id int64
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		var err error
		id, err = a.Store.SaveImport(r.Context(), tx, m.ID, *plan, SaveOptions{SourceName: meta.Name, Departments: depts, Mapping: mapping, Manual: manual},
			audit.FromRequest(r, "roadmap.import", "roadmap", "", nil, nil))
		return err
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, fmt.Sprintf("Дорожная карта сохранена: %d %s, %d %s.", len(plan.Mechanisms),
		web.Plural(len(plan.Mechanisms), "механизм", "механизма", "механизмов"), plan.MeasureCount(), web.Plural(plan.MeasureCount(), "мероприятие", "мероприятия", "мероприятий")))
	http.Redirect(w, r, "/admin/roadmaps/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// reparseUpload reads the file stored at the upload step and parses it
// again. When it cannot, it has written the response and ok is false.
func (a *Area) reparseUpload(w http.ResponseWriter, r *http.Request, munID int64, fileIDText string) (meta files.Meta, res ImportResult, ok bool) {
	fileID, _ := strconv.ParseInt(fileIDText, 10, 64)
	meta, err := a.Files.Get(r.Context(), munID, fileID)
	if err != nil {
		a.importFailed(w, r, "Загруженный файл не найден: загрузите его ещё раз.")
		return meta, res, false
	}
	rc, err := a.Files.Storage.Open(r.Context(), meta.Key)
	if err != nil {
		a.importFailed(w, r, "Загруженный файл не найден: загрузите его ещё раз.")
		return meta, res, false
	}
	data, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		a.Errors.Render(w, r, fmt.Errorf("read stored upload: %w", err))
		return meta, res, false
	}
	res, err = ParseFile(data)
	if err != nil {
		a.importFailed(w, r, importError(err, a.maxUpload()))
		return meta, res, false
	}
	return meta, res, true
}

// applySchedulesSet puts the schedules a person wrote on the preview into
// the measures whose schedule the file did not give in a readable form, and
// returns the numbers of the measures so set. A schedule still unreadable
// fails its field.
func applySchedulesSet(form *web.Form, plan *Roadmap) map[string]bool {
	manual := map[string]bool{}
	for i := range plan.Mechanisms {
		for j := range plan.Mechanisms[i].Measures {
			ms := &plan.Mechanisms[i].Measures[j]
			if ms.Schedule.Kind != ScheduleUnparsed {
				continue
			}
			field := fieldID("schedule", ms.Number)
			text := form.Get(field)
			if text == "" {
				continue // stays for a person to set later
			}
			s := ParseSchedule(text)
			if s.Kind == ScheduleUnparsed {
				form.Fail(field, fmt.Sprintf("Мероприятие %s: срок «%s» не распознан. Напишите, например, «До 01.12.2026 года», «4 квартал 2026 года» или «Ежеквартально».", ms.Number, text))
				continue
			}
			ms.Schedule, manual[ms.Number] = s, true
		}
	}
	return manual
}

// unitMapping reads the department chosen on the preview for each
// responsible unit of the plan (0 for none); a choice not among the
// municipality's departments fails its field.
func unitMapping(form *web.Form, plan Roadmap, depts []Department) map[string]int64 {
	valid := map[int64]bool{0: true}
	for _, d := range depts {
		valid[d.ID] = true
	}
	mapping := map[string]int64{}
	for i, name := range unitNames(plan) {
		field := "unit-" + strconv.Itoa(i)
		id, err := strconv.ParseInt(form.Get(field), 10, 64)
		if err != nil || !valid[id] {
			form.Fail(field, fmt.Sprintf("Выберите подразделение для «%s» из списка.", name))
			continue
		}
		mapping[name] = id
	}
	return mapping
}
