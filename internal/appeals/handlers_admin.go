package appeals

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/web"
)

// ---- classifier ----

func (a *Area) classifierPage(w http.ResponseWriter, r *http.Request) {
	a.renderClassifier(w, r, http.StatusOK, web.NewForm(nil), nil)
}

func (a *Area) renderClassifier(w http.ResponseWriter, r *http.Request, status int, f *web.Form, res *ImportResult) {
	m := web.Municipality(r)
	topics, err := a.store.Topics(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p := web.NewPager(r.URL, 100)
	p.SetTotal(len(topics))
	end := p.Offset() + p.PerPage
	if end > len(topics) {
		end = len(topics)
	}
	page := topics[min(p.Offset(), len(topics)):end]
	a.Renderer.Page(w, r, status, "appeals/classifier", "Классификатор обращений (ТОТКО)", map[string]any{
		"Topics": page, "Total": len(topics), "Pager": p, "Form": f, "Result": res,
	})
}

func (a *Area) classifierImport(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	v := web.ViewerFrom(r.Context())
	r.Body = http.MaxBytesReader(w, r.Body, 9<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		a.Errors.Render(w, r, web.ErrTooLarge)
		return
	}
	f := web.NewForm(r.PostForm)
	var file io.Reader
	var name string
	if r.MultipartForm != nil {
		if fhs := r.MultipartForm.File["file"]; len(fhs) > 0 {
			fh, err := fhs[0].Open()
			if err != nil {
				a.Errors.Render(w, r, fmt.Errorf("open classifier upload: %w", err))
				return
			}
			defer fh.Close()
			file, name = fh, fhs[0].Filename
		}
	}
	if file == nil {
		f.Fail("file", "Выберите файл классификатора (XLSX или CSV).")
		a.renderClassifier(w, r, http.StatusUnprocessableEntity, f, nil)
		return
	}
	// The uploaded edition is kept as a file, so that what was imported when
	// can be checked later.
	data, err := io.ReadAll(io.LimitReader(file, 8<<20+1))
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	store := *a.files
	store.MaxSize = 8 << 20
	meta, err := store.Save(r.Context(), m.ID, v.ID, name, bytes.NewReader(data), files.CSV, files.XLSX)
	if err != nil {
		if errors.Is(err, files.ErrType) || errors.Is(err, files.ErrSize) {
			f.Fail("file", "Нужен файл XLSX или текстовый CSV-файл в кодировке UTF-8 размером до 8 МБ.")
			a.renderClassifier(w, r, http.StatusUnprocessableEntity, f, nil)
			return
		}
		a.Errors.Render(w, r, err)
		return
	}
	topics, err := ParseClassifier(bytes.NewReader(data))
	if err != nil {
		f.Fail("file", "Файл не загружен: "+strings.ReplaceAll(err.Error(), "\n", "; "))
		a.renderClassifier(w, r, http.StatusUnprocessableEntity, f, nil)
		return
	}
	var res ImportResult
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		var err error
		if res, err = a.store.ImportTopics(r.Context(), tx, m.ID, topics); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "appeals_classifier.imported", "appeals_classifier", strconv.FormatInt(meta.ID, 10), nil, res))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.renderClassifier(w, r, http.StatusOK, web.NewForm(nil), &res)
}

// ---- calendar ----

func (a *Area) calendarPage(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	os, err := a.Calendars.Overrides(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var b bytes.Buffer
	if err := deadline.FormatOverrides(&b, os); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.renderCalendar(w, r, http.StatusOK, web.NewForm(url.Values{"overrides": {b.String()}}))
}

func (a *Area) renderCalendar(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	m := web.Municipality(r)
	cal, err := a.Calendar(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	today := a.Today(m)
	// The deadlines of an appeal received today, so that the administrator
	// sees what the corrections change.
	due := ComputeDue(cal, a.cfg.Rules, today, today)
	type day struct {
		Date deadline.Date
		Note string
	}
	var off []day
	for d := today; d.Before(today.AddDays(60)); d = d.AddDays(1) {
		if !cal.IsWorkingDay(d) && d.Weekday() != 0 && d.Weekday() != 6 {
			off = append(off, day{d, cal.Note(d)})
		}
	}
	decree, _ := cal.Decree(today.Year)
	type choice struct {
		Value, Label, Explain string
		Checked               bool
	}
	var ends []choice
	for _, e := range deadline.TermEnds {
		ends = append(ends, choice{e.String(), e.Label(), e.Explain(), e == cal.TermEnd()})
	}
	retention, err := a.RetentionFor(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if f.Values.Get("retention_years") == "" && len(f.Errors) == 0 && retention.Own {
		f.Values.Set("retention_years", strconv.Itoa(retention.Years))
	}
	a.Renderer.Page(w, r, status, "appeals/calendar", "Производственный календарь", map[string]any{
		"Form": f, "Due": due, "Today": today, "Off": off, "Decree": decree, "Rules": a.cfg.Rules,
		"TermEnds": ends, "TermEnd": cal.TermEnd().Label(),
		"Retention": retention, "RetentionLaw": RetentionLaw,
	})
}

func (a *Area) calendarSave(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	f, err := web.ParseForm(w, r, 256<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	os, err := deadline.ParseOverrides(strings.NewReader(f.Values.Get("overrides")))
	if err != nil {
		f.Fail("overrides", "Исправьте строки: "+err.Error())
		a.renderCalendar(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	before, err := a.Calendars.Overrides(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Calendars.SetOverrides(r.Context(), tx, m.ID, os); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "appeals_calendar.updated", "appeals_calendar", m.Slug, overridesText(before), overridesText(os)))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Календарь сохранён. Новые сроки будут считаться по нему; сроки уже зарегистрированных обращений не меняются.")
	http.Redirect(w, r, "/admin/appeals/calendar", http.StatusSeeOther)
}

// termEndSave stores the municipality's rule for a term ending on a day
// off, which every term the portal counts then follows.
func (a *Area) termEndSave(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	f, err := web.ParseForm(w, r, 4<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	end, err := deadline.ParseTermEnd(f.Get("term_end"))
	if err != nil || f.Get("term_end") == "" {
		f.Fail("term_end", "Выберите, каким днём оканчивается срок, последний день которого нерабочий.")
		a.renderCalendar(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	before, err := a.Calendars.TermEnd(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Calendars.SetTermEnd(r.Context(), tx, m.ID, end); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "appeals_calendar.term_end", "appeals_calendar", m.Slug, before.String(), end.String()))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Правило сохранено: "+end.Label()+". Новые сроки во всех разделах портала считаются по нему; сроки, уже установленные, не меняются.")
	http.Redirect(w, r, "/admin/appeals/calendar", http.StatusSeeOther)
}

func overridesText(os []deadline.Override) string {
	var b bytes.Buffer
	_ = deadline.FormatOverrides(&b, os)
	return b.String()
}

// ---- reports ----

func (a *Area) adminReports(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	from, to := PreviousQuarter(a.Today(m))
	a.renderAdminReports(w, r, http.StatusOK, web.NewForm(url.Values{"from": {from.String()}, "to": {to.String()}}))
}

func (a *Area) renderAdminReports(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	m := web.Municipality(r)
	p := web.NewPager(r.URL, 20)
	list, total, err := a.store.Reports(r.Context(), m.ID, false, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	a.Renderer.Page(w, r, status, "appeals/admin_reports", "Аналитические отчёты об обращениях", map[string]any{
		"Reports": list, "Pager": p, "Form": f, "Approval": a.cfg.ReportApproval,
		"PrevMonth": prevMonth(a.Today(m)),
	})
}

func (a *Area) adminMakeReport(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	f, err := web.ParseForm(w, r, 16<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	from, ferr := deadline.ParseDate(f.Get("from"))
	to, terr := deadline.ParseDate(f.Get("to"))
	if ferr != nil {
		f.Fail("from", "Укажите дату начала в виде ГГГГ-ММ-ДД.")
	}
	if terr != nil {
		f.Fail("to", "Укажите дату окончания в виде ГГГГ-ММ-ДД.")
	}
	if f.Valid() && to.Before(from) {
		f.Fail("to", "Дата окончания должна быть не раньше даты начала.")
	}
	if f.Valid() && to.After(from.AddDays(3*366)) {
		f.Fail("to", "Период отчёта — не больше трёх лет.")
	}
	if !f.Valid() {
		a.renderAdminReports(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	sr, err := a.MakeReport(r.Context(), m, from, to, actorOf(r), false)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	msg := "Отчёт составлен. Проверьте его и опубликуйте."
	if !a.Today(m).After(to) {
		msg = "Черновик составлен, но период отчёта ещё не закончился: опубликовать отчёт можно будет только после " + to.Russian() + ", когда сведения за период станут окончательными."
	}
	if sr.Published() {
		msg = "Отчёт за этот период уже опубликован и не меняется."
	}
	web.SetFlash(a.Sessions, r, msg)
	http.Redirect(w, r, "/appeals/reports/"+strconv.FormatInt(sr.ID, 10), http.StatusSeeOther)
}

func (a *Area) adminPublishReport(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		a.Errors.Render(w, r, web.ErrNotFound)
		return
	}
	if _, err := a.PublishReport(r.Context(), m, id, actorOf(r)); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Отчёт опубликован на сайте.")
	http.Redirect(w, r, "/appeals/reports/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// prevMonth is the month before today's, as YYYY-MM: the ССТУ report is
// made for a finished month.
func prevMonth(today deadline.Date) string {
	return today.AddDays(-today.Day).String()[:7]
}

// adminReportNarrative saves the conclusions and measures taken of a draft.
func (a *Area) adminReportNarrative(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		a.Errors.Render(w, r, web.ErrNotFound)
		return
	}
	f, err := web.ParseForm(w, r, 128<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	text := strings.TrimSpace(f.Values.Get("narrative"))
	if msg := ValidateText(text, 50000); msg != "" {
		web.SetFlash(a.Sessions, r, "Напишите выводы и сведения о принятых мерах.")
		http.Redirect(w, r, "/appeals/reports/"+strconv.FormatInt(id, 10)+"#narrative", http.StatusSeeOther)
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.store.SetNarrative(r.Context(), tx, m.ID, id, text); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "appeals_report.narrative", "appeals_report", strconv.FormatInt(id, 10), nil, nil))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Выводы и принятые меры сохранены.")
	http.Redirect(w, r, "/appeals/reports/"+strconv.FormatInt(id, 10)+"#narrative", http.StatusSeeOther)
}
