package polls

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

type adminListData struct {
	Surveys []Survey
	Pager   *web.Pager
	State   map[int64]string
	Pending int
	Wishes  WishCounts
}

func (a *Area) adminList(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	pg := web.NewPager(r.URL, 30)
	list, total, err := a.Store.List(r.Context(), m.ID, ListFilter{}, pg.PerPage, pg.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	pg.SetTotal(total)
	d := adminListData{Surveys: list, Pager: pg, State: map[int64]string{}}
	now := a.DB.Now()
	for _, s := range list {
		d.State[s.ID] = s.State(now)
	}
	if err := a.DB.QueryRow(r.Context(), `SELECT COUNT(*) FROM poll_answers WHERE municipality_id = ? AND status = ?`, m.ID, Pending).Scan(&d.Pending); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if d.Wishes, err = a.WishCounts(r.Context(), m.ID); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "polls/admin_list", "Опросы", d)
}

// parseDay reads a civil date as the start of that day in the municipality.
func parseDay(m tenant.Municipality, s string) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02", s, m.Location)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// surveyFromForm reads and checks the settings form.
func (a *Area) surveyFromForm(m tenant.Municipality, f *web.Form, s Survey) Survey {
	f.Required(map[string]string{"title": "Название", "opens": "Начало", "closes": "Последний день"})
	f.MaxLen("title", "Название", 300)
	f.MaxLen("description", "Описание", 5000)
	s.Title, s.Description = f.Get("title"), f.Get("description")
	s.Audience, s.AudienceGroup = f.Get("audience"), f.Get("audience_group")
	s.LiveResults = f.Get("live_results") == "1"
	switch s.Audience {
	case Anyone, Residents:
		s.AudienceGroup = ""
	case Group:
		if s.AudienceGroup == "" {
			f.Fail("audience_group", "Укажите название референтной группы.")
		}
		if a.Portal.Groups() == nil {
			f.Fail("audience", "Справочник референтных групп на портале не подключён: выберите другую аудиторию.")
		}
	default:
		f.Fail("audience", "Выберите, кто может отвечать.")
	}
	if v := f.Get("opens"); v != "" {
		if t, ok := parseDay(m, v); ok {
			s.OpensAt = t
		} else {
			f.Fail("opens", "Укажите дату начала в виде ГГГГ-ММ-ДД.")
		}
	}
	if v := f.Get("closes"); v != "" {
		if t, ok := parseDay(m, v); ok {
			s.ClosesAt = t.AddDate(0, 0, 1)
		} else {
			f.Fail("closes", "Укажите последний день в виде ГГГГ-ММ-ДД.")
		}
	}
	if f.Errors["opens"] == "" && f.Errors["closes"] == "" && !s.OpensAt.IsZero() && !s.ClosesAt.IsZero() && !s.ClosesAt.After(s.OpensAt) {
		f.Fail("closes", "Последний день не может быть раньше начала.")
	}
	return s
}

func (a *Area) newForm(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	today := m.Local(a.DB.Now()).Format("2006-01-02")
	later := m.Local(a.DB.Now()).AddDate(0, 0, 30).Format("2006-01-02")
	f := web.NewForm(map[string][]string{"audience": {Anyone}, "opens": {today}, "closes": {later}})
	a.Renderer.Page(w, r, http.StatusOK, "polls/admin_form", "Новый опрос", editData{Form: f, Groups: a.Portal.Groups() != nil})
}

func (a *Area) create(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	f, err := web.ParseForm(w, r, 64<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	s := a.surveyFromForm(m, f, Survey{})
	if !f.Valid() {
		a.Renderer.Page(w, r, http.StatusUnprocessableEntity, "polls/admin_form", "Новый опрос", editData{Form: f, Groups: a.Portal.Groups() != nil})
		return
	}
	var id int64
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		var err error
		if id, err = a.Store.Create(r.Context(), tx, m.ID, s); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "polls.create", "poll", strconv.FormatInt(id, 10), nil, settingsAudit(s)))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Опрос создан. Добавьте вопросы.")
	http.Redirect(w, r, fmt.Sprintf("/admin/polls/%d", id), http.StatusSeeOther)
}

func settingsAudit(s Survey) map[string]any {
	return map[string]any{"title": s.Title, "audience": s.Audience, "group": s.AudienceGroup, "live_results": s.LiveResults, "opens_at": s.OpensAt, "closes_at": s.ClosesAt}
}

type editData struct {
	Survey Survey
	// Form is the settings form; QForm the new question's; EditForm the
	// rejected edit of question EditID.
	Form     *web.Form
	QForm    *web.Form
	EditForm *web.Form
	EditID   int64
	Kinds    []struct{ Value, Label string }
	Groups   bool
	Locked   bool
	State    string
	Pending  int
}

func (a *Area) loadStaff(r *http.Request) (Survey, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return Survey{}, err
	}
	return a.Store.Get(r.Context(), a.DB, web.Municipality(r).ID, id)
}

// settingsForm fills the settings form from a stored survey.
func settingsForm(m tenant.Municipality, s Survey) *web.Form {
	live := ""
	if s.LiveResults {
		live = "1"
	}
	return web.NewForm(map[string][]string{"title": {s.Title}, "description": {s.Description}, "audience": {s.Audience}, "audience_group": {s.AudienceGroup},
		"live_results": {live}, "opens": {m.Local(s.OpensAt).Format("2006-01-02")}, "closes": {m.Local(s.ClosesAt.Add(-time.Second)).Format("2006-01-02")}})
}

func (a *Area) renderEdit(w http.ResponseWriter, r *http.Request, status int, s Survey, d editData) {
	m := web.Municipality(r)
	d.Survey, d.Kinds, d.Groups = s, Kinds, a.Portal.Groups() != nil
	d.Locked, d.State = s.Responses > 0, s.State(a.DB.Now())
	if d.Form == nil {
		d.Form = settingsForm(m, s)
	}
	if d.QForm == nil {
		d.QForm = web.NewForm(map[string][]string{"kind": {Single}})
	}
	if err := a.DB.QueryRow(r.Context(), `SELECT COUNT(*) FROM poll_answers WHERE survey_id = ? AND status = ?`, s.ID, Pending).Scan(&d.Pending); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, status, "polls/admin_edit", "Опрос: "+s.Title, d)
}

func (a *Area) edit(w http.ResponseWriter, r *http.Request) {
	s, err := a.loadStaff(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.renderEdit(w, r, http.StatusOK, s, editData{})
}

func (a *Area) save(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	s, err := a.loadStaff(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f, err := web.ParseForm(w, r, 64<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	before := settingsAudit(s)
	ns := a.surveyFromForm(m, f, s)
	if !f.Valid() {
		a.renderEdit(w, r, http.StatusUnprocessableEntity, s, editData{Form: f})
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.Update(r.Context(), tx, m.ID, ns); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "polls.update", "poll", strconv.FormatInt(s.ID, 10), before, settingsAudit(ns)))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Настройки опроса сохранены.")
	http.Redirect(w, r, fmt.Sprintf("/admin/polls/%d", s.ID), http.StatusSeeOther)
}

// questionFromForm reads a question's form; prefix is "" for the new
// question and "e-" for an edit.
func questionFromForm(f *web.Form, q Question) Question {
	f.Required(map[string]string{"text": "Вопрос"})
	f.MaxLen("text", "Вопрос", 1000)
	q.Text, q.Kind, q.Required = f.Get("text"), f.Get("kind"), f.Get("required") == "1"
	q.Options, q.Rows = lines(f.Values.Get("options")), lines(f.Values.Get("rows"))
	if p, err := strconv.Atoi(f.Get("position")); err == nil {
		q.Position = p
	}
	switch q.Kind {
	case Single, Multiple:
		if len(q.Options) < 2 {
			f.Fail("options", "Укажите не меньше двух вариантов ответа, по одному в строке.")
		}
		q.Rows = nil
	case Matrix:
		if len(q.Options) < 2 {
			f.Fail("options", "Укажите не меньше двух вариантов ответа, по одному в строке.")
		}
		if len(q.Rows) < 1 {
			f.Fail("rows", "Укажите строки матрицы, по одной в строке.")
		}
	case Scale, Text:
		q.Options, q.Rows = nil, nil
	default:
		f.Fail("kind", "Выберите вид вопроса.")
	}
	if len(q.Options) > 30 {
		f.Fail("options", "Не больше 30 вариантов.")
	}
	if len(q.Rows) > 30 {
		f.Fail("rows", "Не больше 30 строк.")
	}
	return q
}

func questionAudit(q Question) map[string]any {
	return map[string]any{"text": q.Text, "kind": q.Kind, "required": q.Required, "options": q.Options, "rows": q.Rows, "position": q.Position}
}

func (a *Area) addQuestion(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	s, err := a.loadStaff(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if s.Responses > 0 {
		a.Errors.Render(w, r, web.Invalid("На опрос уже отвечали: вопросы больше менять нельзя."))
		return
	}
	f, err := web.ParseForm(w, r, 64<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	q := questionFromForm(f, Question{SurveyID: s.ID})
	if !f.Valid() {
		a.renderEdit(w, r, http.StatusUnprocessableEntity, s, editData{QForm: f})
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		id, err := a.Store.AddQuestion(r.Context(), tx, m.ID, q)
		if err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "polls.question.add", "poll_question", strconv.FormatInt(id, 10), nil, questionAudit(q)))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Вопрос добавлен.")
	http.Redirect(w, r, fmt.Sprintf("/admin/polls/%d#questions", s.ID), http.StatusSeeOther)
}

func findQuestion(s Survey, r *http.Request) (Question, error) {
	qid, err := web.PathID(r, "qid")
	if err != nil {
		return Question{}, err
	}
	for _, q := range s.Questions {
		if q.ID == qid {
			return q, nil
		}
	}
	return Question{}, db.ErrNotFound
}

func (a *Area) saveQuestion(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	s, err := a.loadStaff(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	old, err := findQuestion(s, r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if s.Responses > 0 {
		a.Errors.Render(w, r, web.Invalid("На опрос уже отвечали: вопросы больше менять нельзя."))
		return
	}
	f, err := web.ParseForm(w, r, 64<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	q := questionFromForm(f, old)
	if !f.Valid() {
		a.renderEdit(w, r, http.StatusUnprocessableEntity, s, editData{EditForm: f, EditID: old.ID})
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.UpdateQuestion(r.Context(), tx, m.ID, q); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "polls.question.update", "poll_question", strconv.FormatInt(q.ID, 10), questionAudit(old), questionAudit(q)))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Вопрос сохранён.")
	http.Redirect(w, r, fmt.Sprintf("/admin/polls/%d#question-%d", s.ID, q.ID), http.StatusSeeOther)
}

func (a *Area) deleteQuestion(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	s, err := a.loadStaff(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	q, err := findQuestion(s, r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if s.Responses > 0 {
		a.Errors.Render(w, r, web.Invalid("На опрос уже отвечали: вопросы больше менять нельзя."))
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.DeleteQuestion(r.Context(), tx, m.ID, s.ID, q.ID); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "polls.question.delete", "poll_question", strconv.FormatInt(q.ID, 10), questionAudit(q), nil))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Вопрос удалён.")
	http.Redirect(w, r, fmt.Sprintf("/admin/polls/%d#questions", s.ID), http.StatusSeeOther)
}

// Publish makes a survey public with its event (and, for live results, the
// results' event) and audit record, in tx.
func (a *Area) Publish(ctx context.Context, tx *db.Tx, munID int64, s Survey, entry audit.Entry) error {
	now := a.DB.Now()
	tx.AfterCommit(func() { a.Store.Forget(s.ID) })
	if _, err := tx.Exec(ctx, `UPDATE poll_surveys SET published_at = ?, updated_at = ? WHERE municipality_id = ? AND id = ? AND published_at IS NULL`, now, now, munID, s.ID); err != nil {
		return err
	}
	if err := events.Record(ctx, tx, events.Event{MunicipalityID: munID, Kind: events.SurveyPublished, ObjectType: "poll", ObjectID: strconv.FormatInt(s.ID, 10),
		Title: "Опрос «" + s.Title + "»", URL: fmt.Sprintf("/polls/%d", s.ID), OccurredAt: now}); err != nil {
		return err
	}
	if s.LiveResults || s.Closed(now) {
		if err := a.PublishResults(ctx, tx, munID, s); err != nil {
			return err
		}
	}
	entry.MunicipalityID, entry.Entity, entry.EntityID = munID, "poll", strconv.FormatInt(s.ID, 10)
	entry.Action, entry.After = "polls.publish", map[string]any{"published_at": now}
	return audit.Write(ctx, tx, now, entry)
}

func (a *Area) publish(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	s, err := a.loadStaff(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if s.Published() {
		a.Errors.Render(w, r, web.Invalid("Опрос уже опубликован."))
		return
	}
	if len(s.Questions) == 0 {
		a.renderEdit(w, r, http.StatusUnprocessableEntity, s, editData{QForm: failed("text", "Добавьте хотя бы один вопрос, прежде чем публиковать опрос.")})
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		return a.Publish(r.Context(), tx, m.ID, s, audit.FromRequest(r, "", "", "", nil, nil))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Опрос опубликован.")
	http.Redirect(w, r, fmt.Sprintf("/admin/polls/%d", s.ID), http.StatusSeeOther)
}

func failed(field, msg string) *web.Form {
	f := web.NewForm(map[string][]string{"kind": {Single}})
	f.Fail(field, msg)
	return f
}

// closeNow ends a running survey today and publishes its results.
func (a *Area) closeNow(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	s, err := a.loadStaff(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	now := a.DB.Now()
	if !s.Published() || s.Closed(now) {
		a.Errors.Render(w, r, web.Invalid("Завершить можно только опубликованный идущий опрос."))
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		tx.AfterCommit(func() { a.Store.Forget(s.ID) })
		if _, err := tx.Exec(r.Context(), `UPDATE poll_surveys SET closes_at = ?, updated_at = ? WHERE municipality_id = ? AND id = ?`, now, now, m.ID, s.ID); err != nil {
			return err
		}
		if err := a.PublishResults(r.Context(), tx, m.ID, s); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, now, audit.FromRequest(r, "polls.close", "poll", strconv.FormatInt(s.ID, 10), map[string]any{"closes_at": s.ClosesAt}, map[string]any{"closes_at": now}))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Опрос завершён, итоги опубликованы.")
	http.Redirect(w, r, fmt.Sprintf("/admin/polls/%d", s.ID), http.StatusSeeOther)
}

type moderationData struct {
	Texts []TextAnswer
	Pager *web.Pager
}

func (a *Area) moderation(w http.ResponseWriter, r *http.Request) {
	pg := web.NewPager(r.URL, 30)
	list, total, err := a.Store.PendingTexts(r.Context(), web.Municipality(r).ID, pg.PerPage, pg.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	pg.SetTotal(total)
	a.Renderer.Page(w, r, http.StatusOK, "polls/moderation", "Ответы опросов на модерации", moderationData{Texts: list, Pager: pg})
}

func (a *Area) moderate(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f, err := web.ParseForm(w, r, 4<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	status := f.Get("action")
	if status != Approved && status != Hidden {
		a.Errors.Render(w, r, web.Invalid("Выберите: опубликовать или скрыть ответ."))
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		old, err := a.Store.Moderate(r.Context(), tx, m.ID, id, status)
		if err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "polls.answer."+status, "poll_answer", strconv.FormatInt(id, 10), map[string]any{"status": old.Status}, map[string]any{"status": status}))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if status == Approved {
		web.SetFlash(a.Sessions, r, "Ответ опубликован.")
	} else {
		web.SetFlash(a.Sessions, r, "Ответ скрыт.")
	}
	back := "/admin/polls/moderation"
	if b := f.Get("back"); len(b) > 0 && b[0] == '/' && (len(b) < 2 || b[1] != '/') {
		back = b
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// questionForm fills a question's edit form from the stored question.
func questionForm(q Question) *web.Form {
	req := ""
	if q.Required {
		req = "1"
	}
	return web.NewForm(map[string][]string{"text": {q.Text}, "kind": {q.Kind}, "required": {req}, "options": {strings.Join(q.Options, "\n")}, "rows": {strings.Join(q.Rows, "\n")}})
}
