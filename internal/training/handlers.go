package training

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/web"
)

const maxFormBytes = 512 << 10

// courseStatus is what a staff member's course page shows.
type courseStatus struct {
	Course     Course
	Completion *Completion
	Used       int
	May        bool
	Why        string
}

func (a *Area) status(ctx context.Context, c Course, accountID int64) (courseStatus, error) {
	st := courseStatus{Course: c}
	done, err := a.Store.CompletionOf(ctx, a.DB, c.ID, accountID)
	switch {
	case err == nil:
		st.Completion = &done
	case !errors.Is(err, db.ErrNotFound):
		return st, err
	}
	if st.Used, err = a.Store.Attempts(ctx, a.DB, c.ID, accountID); err != nil {
		return st, err
	}
	st.May, st.Why = MayAttempt(st.Used, c.MaxAttempts, st.Completion != nil)
	return st, nil
}

func (a *Area) index(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	v := web.ViewerFrom(r.Context())
	cs, err := a.Store.Courses(r.Context(), a.DB, m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var sts []courseStatus
	for _, c := range cs {
		st, err := a.status(r.Context(), c, v.ID)
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		sts = append(sts, st)
	}
	a.Renderer.Page(w, r, http.StatusOK, "training/index", "Обучение сотрудников", map[string]any{"Courses": sts})
}

func (a *Area) loadCourse(w http.ResponseWriter, r *http.Request) (Course, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return Course{}, false
	}
	c, err := a.Store.Course(r.Context(), a.DB, web.Municipality(r).ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return Course{}, false
	}
	return c, true
}

func (a *Area) course(w http.ResponseWriter, r *http.Request) {
	c, ok := a.loadCourse(w, r)
	if !ok {
		return
	}
	st, err := a.status(r.Context(), c, web.ViewerFrom(r.Context()).ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	ps := Pages(c.Material)
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if n < 1 || n > len(ps) {
		n = 1
	}
	data := map[string]any{"S": st, "Pages": ps, "N": n, "Count": len(ps)}
	if len(ps) > 0 {
		data["Page"] = ps[n-1]
		data["HTML"] = a.text.Safe(ps[n-1].Body)
	}
	a.Renderer.Page(w, r, http.StatusOK, "training/course", c.Title, data)
}

func (a *Area) quizForm(w http.ResponseWriter, r *http.Request) {
	c, ok := a.loadCourse(w, r)
	if !ok {
		return
	}
	a.renderQuiz(w, r, http.StatusOK, c, web.NewForm(nil), nil)
}

func (a *Area) renderQuiz(w http.ResponseWriter, r *http.Request, status int, c Course, f *web.Form, res *Result) {
	st, err := a.status(r.Context(), c, web.ViewerFrom(r.Context()).ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	qs, err := ParseQuiz(c.Quiz)
	if err != nil {
		a.Errors.Render(w, r, invalid("Тест курса пока не готов: "+err.Error()+"."))
		return
	}
	a.Renderer.Page(w, r, status, "training/quiz", "Тест: "+c.Title, map[string]any{"S": st, "Questions": qs, "Form": f, "Result": res})
}

// Attempt scores an attempt and records it in tx; a pass also records the
// completion with its certificate code and the public event. It fails with
// a 422 when no attempt is left.
func (a *Area) Attempt(ctx context.Context, tx *db.Tx, munID int64, c Course, v auth.Recipient, answers []int) (Result, *Completion, error) {
	used, err := a.Store.Attempts(ctx, tx, c.ID, v.ID)
	if err != nil {
		return Result{}, nil, err
	}
	_, err = a.Store.CompletionOf(ctx, tx, c.ID, v.ID)
	completed := err == nil
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return Result{}, nil, err
	}
	if ok, why := MayAttempt(used, c.MaxAttempts, completed); !ok {
		return Result{}, nil, invalid(why)
	}
	qs, err := ParseQuiz(c.Quiz)
	if err != nil {
		return Result{}, nil, invalid("Тест курса пока не готов: " + err.Error() + ".")
	}
	res := Score(qs, answers, c.PassMark)
	now := a.DB.Now()
	if err := a.Store.AddAttempt(ctx, tx, munID, c.ID, v.ID, used+1, res, now); err != nil {
		if db.IsUniqueViolation(err) {
			return Result{}, nil, invalid("Эта попытка уже засчитана: обновите страницу.")
		}
		return Result{}, nil, err
	}
	if !res.Passed {
		return res, nil, nil
	}
	name := v.Name
	if name == "" {
		name = v.Email
	}
	done := &Completion{CourseID: c.ID, AccountID: v.ID, FullName: name, CourseTitle: c.Title, Score: res.Score, Code: NewCode(), CompletedAt: now}
	if err := a.Store.AddCompletion(ctx, tx, munID, done); err != nil {
		return res, nil, err
	}
	n, err := a.Store.CompletedCount(ctx, tx, c.ID)
	if err != nil {
		return res, nil, err
	}
	err = events.Record(ctx, tx, events.Event{MunicipalityID: munID, Kind: events.TrainingCourseCompleted, ObjectType: "training_course", ObjectID: itoa(c.ID),
		Title: fmt.Sprintf("Курс «%s»: обучение прошли %d %s", c.Title, n, web.Plural(n, "сотрудник", "сотрудника", "сотрудников")), URL: "/training/verify", OccurredAt: now})
	return res, done, err
}

func (a *Area) quizSubmit(w http.ResponseWriter, r *http.Request) {
	c, ok := a.loadCourse(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	qs, err := ParseQuiz(c.Quiz)
	if err != nil {
		a.Errors.Render(w, r, invalid("Тест курса пока не готов: "+err.Error()+"."))
		return
	}
	answers := make([]int, len(qs))
	for i, q := range qs {
		name := "q" + strconv.Itoa(i+1)
		n, err := strconv.Atoi(f.Get(name))
		if err != nil || n < 0 || n >= len(q.Options) {
			f.Fail(name, fmt.Sprintf("Ответьте на вопрос %d.", i+1))
			answers[i] = -1
			continue
		}
		answers[i] = n
	}
	if !f.Valid() {
		a.renderQuiz(w, r, http.StatusUnprocessableEntity, c, f, nil)
		return
	}
	v := web.ViewerFrom(r.Context())
	var res Result
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		var err error
		res, _, err = a.Attempt(r.Context(), tx, c.MunicipalityID, c, auth.Recipient{ID: v.ID, Email: v.Email, Name: v.Name}, answers)
		return err
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if res.Passed {
		web.SetFlash(a.Sessions, r, fmt.Sprintf("Тест пройден: %d из %d правильных ответов (%d%%). Сертификат готов.", res.Correct, res.Total, res.Score))
		http.Redirect(w, r, c.URL(), http.StatusSeeOther)
		return
	}
	a.renderQuiz(w, r, http.StatusOK, c, web.NewForm(nil), &res)
}

func (a *Area) certificate(w http.ResponseWriter, r *http.Request) {
	c, ok := a.loadCourse(w, r)
	if !ok {
		return
	}
	done, err := a.Store.CompletionOf(r.Context(), a.DB, c.ID, web.ViewerFrom(r.Context()).ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := Certificate(&buf, web.Municipality(r), done, a.verifyURL(done.Code)); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="certificate.pdf"`)
	_, _ = w.Write(buf.Bytes())
}

func (a *Area) verifyURL(code string) string {
	return strings.TrimRight(a.BaseURL, "/") + "/training/verify?code=" + url.QueryEscape(code)
}

// verify is the public check of a certificate: initials, course, date,
// nothing more.
func (a *Area) verify(w http.ResponseWriter, r *http.Request) {
	raw := strings.TrimSpace(r.URL.Query().Get("code"))
	data := map[string]any{"Code": raw}
	status := http.StatusOK
	if raw != "" {
		code := NormalizeCode(raw)
		done, err := a.Store.ByCode(r.Context(), web.Municipality(r).ID, code)
		switch {
		case code == "" || errors.Is(err, db.ErrNotFound):
			data["NotFound"] = true
			status = http.StatusNotFound
		case err != nil:
			a.Errors.Render(w, r, err)
			return
		default:
			data["Found"] = map[string]any{"Initials": Initials(done.FullName), "Course": done.CourseTitle, "Date": done.CompletedAt, "Code": done.Code}
		}
	}
	a.Renderer.Page(w, r, status, "training/verify", "Проверка сертификата", data)
}

// ---- administrators ----

func (a *Area) adminList(w http.ResponseWriter, r *http.Request) {
	cs, err := a.Store.Courses(r.Context(), a.DB, web.Municipality(r).ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "training/admin_list", "Обучение сотрудников: курсы", map[string]any{"Courses": cs})
}

var courseFields = []string{"title", "description", "code_title", "code_url", "material", "quiz", "pass_mark", "max_attempts"}

func courseValues(c Course) url.Values {
	return url.Values{"title": {c.Title}, "description": {c.Description}, "code_title": {c.CodeTitle}, "code_url": {c.CodeURL}, "material": {c.Material},
		"quiz": {c.Quiz}, "pass_mark": {strconv.Itoa(c.PassMark)}, "max_attempts": {strconv.Itoa(c.MaxAttempts)}}
}

func courseFromForm(f *web.Form, munID int64) Course {
	c := Course{MunicipalityID: munID, Title: f.Get("title"), Description: f.Get("description"), CodeTitle: f.Get("code_title"), CodeURL: f.Get("code_url"),
		Material: strings.ReplaceAll(f.Values.Get("material"), "\r\n", "\n"), Quiz: strings.ReplaceAll(f.Values.Get("quiz"), "\r\n", "\n")}
	c.PassMark, _ = strconv.Atoi(f.Get("pass_mark"))
	c.MaxAttempts, _ = strconv.Atoi(f.Get("max_attempts"))
	e := Validate(c)
	for _, k := range courseFields {
		if msg, ok := e[k]; ok {
			f.Fail(k, msg)
		}
	}
	return c
}

func (a *Area) adminNew(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm(url.Values{"pass_mark": {"80"}, "max_attempts": {"3"}})
	a.Renderer.Page(w, r, http.StatusOK, "training/admin_edit", "Новый курс", map[string]any{"Form": f})
}

// SaveCourse saves a course in tx with its audit entry.
func (a *Area) SaveCourse(ctx context.Context, tx *db.Tx, before *Course, c *Course, entry audit.Entry) error {
	if err := a.Store.Save(ctx, tx, c, a.DB.Now()); err != nil {
		if db.IsUniqueViolation(err) {
			return invalid("Курс с таким названием уже есть.")
		}
		return err
	}
	entry.Entity, entry.EntityID, entry.After = "training_course", itoa(c.ID), courseValues(*c)
	entry.Action = "training.course_create"
	if before != nil {
		entry.Action, entry.Before = "training.course_update", courseValues(*before)
	}
	return audit.Write(ctx, tx, a.DB.Now(), entry)
}

func (a *Area) adminCreate(w http.ResponseWriter, r *http.Request) {
	a.saveForm(w, r, nil)
}

func (a *Area) adminEdit(w http.ResponseWriter, r *http.Request) {
	c, ok := a.loadCourse(w, r)
	if !ok {
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "training/admin_edit", c.Title+": редактирование", map[string]any{"Form": web.NewForm(courseValues(c)), "Course": c})
}

func (a *Area) adminUpdate(w http.ResponseWriter, r *http.Request) {
	c, ok := a.loadCourse(w, r)
	if !ok {
		return
	}
	a.saveForm(w, r, &c)
}

func (a *Area) saveForm(w http.ResponseWriter, r *http.Request, before *Course) {
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	c := courseFromForm(f, web.Municipality(r).ID)
	title := "Новый курс"
	data := map[string]any{"Form": f}
	if before != nil {
		c.ID, c.CreatedAt = before.ID, before.CreatedAt
		title = before.Title + ": редактирование"
		data["Course"] = *before
	}
	if f.Valid() {
		err := a.DB.InTx(r.Context(), func(tx *db.Tx) error {
			return a.SaveCourse(r.Context(), tx, before, &c, audit.FromRequest(r, "", "", "", nil, nil))
		})
		var we *web.Error
		switch {
		case errors.As(err, &we) && we.Status == http.StatusUnprocessableEntity:
			f.Fail("title", we.Message)
		case err != nil:
			a.Errors.Render(w, r, err)
			return
		default:
			web.SetFlash(a.Sessions, r, "Курс сохранён.")
			http.Redirect(w, r, "/admin/training/"+itoa(c.ID), http.StatusSeeOther)
			return
		}
	}
	a.Renderer.Page(w, r, http.StatusUnprocessableEntity, "training/admin_edit", title, data)
}

// adminReset gives an employee new attempts (their failed ones are
// cleared), audited.
func (a *Area) adminReset(w http.ResponseWriter, r *http.Request) {
	c, ok := a.loadCourse(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	acc, err := strconv.ParseInt(f.Get("account"), 10, 64)
	if err != nil || acc <= 0 {
		a.Errors.Render(w, r, invalid("Не указан сотрудник."))
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		n, err := a.Store.ResetAttempts(r.Context(), tx, c.ID, acc)
		if err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "training.attempts_reset", "training_course", itoa(c.ID),
			map[string]any{"account_id": acc, "attempts": n}, map[string]any{"account_id": acc, "attempts": 0}))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Попытки сотрудника обнулены.")
	http.Redirect(w, r, "/admin/training/report?course="+itoa(c.ID), http.StatusSeeOther)
}

// ReportRow is one employee in the report.
type ReportRow struct {
	AccountID  int64
	Name       string
	Email      string
	Completion *Completion
	Attempts   int
	Exhausted  bool
}

// DepartmentReport is one department's employees and how many completed.
type DepartmentReport struct {
	Name      string
	Rows      []ReportRow
	Completed int
}

// Report builds the report of a course by department from the staff
// accounts.
func (a *Area) Report(ctx context.Context, munID int64, c Course) ([]DepartmentReport, int, int, error) {
	staff, err := a.People.Recipients(ctx, a.DB, munID, auth.Audience{Roles: Staff})
	if err != nil {
		return nil, 0, 0, err
	}
	done, err := a.Store.Completions(ctx, c.ID)
	if err != nil {
		return nil, 0, 0, err
	}
	tries, err := a.Store.AttemptCounts(ctx, c.ID)
	if err != nil {
		return nil, 0, 0, err
	}
	depts, err := a.Tenants.Departments(ctx, munID)
	if err != nil {
		return nil, 0, 0, err
	}
	names := map[int64]string{0: "Без подразделения"}
	for _, d := range depts {
		names[d.ID] = d.Name
	}
	by := map[string]*DepartmentReport{}
	total, completed := 0, 0
	for _, s := range staff {
		name := names[s.DepartmentID]
		dr := by[name]
		if dr == nil {
			dr = &DepartmentReport{Name: name}
			by[name] = dr
		}
		row := ReportRow{AccountID: s.ID, Name: s.Name, Email: s.Email, Attempts: tries[s.ID]}
		if d, ok := done[s.ID]; ok {
			row.Completion = &d
			dr.Completed++
			completed++
		} else {
			may, _ := MayAttempt(row.Attempts, c.MaxAttempts, false)
			row.Exhausted = !may
		}
		dr.Rows = append(dr.Rows, row)
		total++
	}
	var out []DepartmentReport
	for _, dr := range by {
		out = append(out, *dr)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, completed, total, nil
}

func (a *Area) report(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	cs, err := a.Store.Courses(r.Context(), a.DB, m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	data := map[string]any{"Courses": cs}
	if len(cs) > 0 {
		c := cs[0]
		if id, err := strconv.ParseInt(r.URL.Query().Get("course"), 10, 64); err == nil {
			for _, x := range cs {
				if x.ID == id {
					c = x
				}
			}
		}
		ds, completed, total, err := a.Report(r.Context(), m.ID, c)
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		data["Course"], data["Departments"], data["Completed"], data["Total"] = c, ds, completed, total
	}
	a.Renderer.Page(w, r, http.StatusOK, "training/report", "Обучение сотрудников: отчёт по подразделениям", data)
}
