package media

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// RequestStaff may see and draft answers to requests; Checkers approve them.
var (
	RequestStaff = []string{auth.Press, auth.Administrator, auth.Editor}
	Checkers     = []string{auth.Press, auth.Administrator}
)

var requestFields = []string{"outlet", "certificate", "journalist", "contact", "question", "received_on", "channel"}

// RegisterRequest counts a request's terms, marks an accredited journalist,
// stores it with its audit record and mails the acknowledgement.
func (a *Area) RegisterRequest(ctx context.Context, tx *db.Tx, m tenant.Municipality, r *Request, e audit.Entry) error {
	return a.registerRequest(ctx, tx, m, r, e, true)
}

// RegisterRequestQuiet registers a request without the acknowledgement
// (the demo's requests).
func (a *Area) RegisterRequestQuiet(ctx context.Context, tx *db.Tx, m tenant.Municipality, r *Request, e audit.Entry) error {
	return a.registerRequest(ctx, tx, m, r, e, false)
}

func (a *Area) registerRequest(ctx context.Context, tx *db.Tx, m tenant.Municipality, r *Request, e audit.Entry, ack bool) error {
	cal, err := a.Calendars.For(ctx, m.ID)
	if err != nil {
		return err
	}
	received, err := deadline.ParseDate(r.ReceivedOn)
	if err != nil {
		return err
	}
	notice, answer := MediaDue(cal, received)
	r.NoticeBy, r.AnswerBy = notice.String(), answer.String()
	if r.Accredited, err = IsAccredited(ctx, tx, m.ID, r.Outlet, r.Journalist, r.ReceivedOn); err != nil {
		return err
	}
	if err := CreateRequest(ctx, tx, m.ID, r, a.DB.Now()); err != nil {
		return err
	}
	e.EntityID = strconv.FormatInt(r.ID, 10)
	e.After = r
	if err := audit.Write(ctx, tx, a.DB.Now(), e); err != nil {
		return err
	}
	if to := r.ContactEmail(); to != "" && ack {
		return a.Mailer.Queue(ctx, tx, to, "media_request_registered", map[string]any{"R": r})
	}
	return nil
}

func requestFromForm(f *web.Form) Request {
	return Request{Outlet: f.Get("outlet"), Certificate: f.Get("certificate"), Journalist: f.Get("journalist"), Contact: f.Get("contact"),
		Question: strings.TrimSpace(strings.ReplaceAll(f.Values.Get("question"), "\r\n", "\n")), ReceivedOn: f.Get("received_on"), Channel: f.Get("channel")}
}

// --- the journalist's side ---

func (a *Area) journalistNew(w http.ResponseWriter, r *http.Request) {
	v := web.ViewerFrom(r.Context())
	f := web.NewForm(url.Values{"journalist": {v.Name}, "contact": {v.Email}})
	a.Renderer.Page(w, r, http.StatusOK, "media/request_new", "Запрос информации от редакции СМИ", map[string]any{"Form": f})
}

func (a *Area) journalistCreate(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	v := web.ViewerFrom(r.Context())
	req := requestFromForm(f)
	req.Channel, req.ReceivedOn, req.AccountID = "portal", a.today(m).Format(time.DateOnly), v.ID
	failAll(f, ValidateRequest(req), requestFields)
	if !f.Valid() {
		a.Renderer.Page(w, r, http.StatusUnprocessableEntity, "media/request_new", "Запрос информации от редакции СМИ", map[string]any{"Form": f})
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		return a.RegisterRequest(r.Context(), tx, m, &req, audit.FromRequest(r, "create", "media_request", "", nil, nil))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, fmt.Sprintf("Запрос зарегистрирован под номером %s. Ответ — не позднее %s.", req.Number, req.AnswerByRU()))
	http.Redirect(w, r, "/media/requests", http.StatusSeeOther)
}

func (a *Area) journalistList(w http.ResponseWriter, r *http.Request) {
	v := web.ViewerFrom(r.Context())
	p := web.NewPager(r.URL, 30)
	list, total, err := Requests(r.Context(), a.DB, web.Municipality(r).ID, RequestFilter{AccountID: v.ID}, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	a.Renderer.Page(w, r, http.StatusOK, "media/requests_mine", "Мои запросы информации", map[string]any{"Requests": list, "Pager": p})
}

// --- the staff's side ---

func (a *Area) adminRequests(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	status := r.URL.Query().Get("status")
	if status != "open" && status != "overdue" && label(ReqStatuses, status) == status {
		status = ""
	}
	today := a.today(m).Format(time.DateOnly)
	p := web.NewPager(r.URL, 30)
	list, total, err := Requests(r.Context(), a.DB, m.ID, RequestFilter{Status: status, Today: today}, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	a.Renderer.Page(w, r, http.StatusOK, "media/admin_requests", "Запросы СМИ", map[string]any{
		"Requests": list, "Pager": p, "Total": total, "Status": status, "Statuses": ReqStatuses, "Today": today})
}

func (a *Area) adminRequestNew(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm(url.Values{"received_on": {a.today(web.Municipality(r)).Format("02.01.2006")}, "channel": {"email"}})
	a.Renderer.Page(w, r, http.StatusOK, "media/admin_request_new", "Регистрация запроса СМИ", map[string]any{"Form": f, "Channels": ReqChannels})
}

func (a *Area) adminRequestCreate(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	req := requestFromForm(f)
	failAll(f, ValidateRequest(req), requestFields)
	if t, ok := ParseDay(req.ReceivedOn); !ok {
		f.Fail("received_on", "Укажите дату получения в формате ДД.ММ.ГГГГ.")
	} else if t.After(a.today(m)) {
		f.Fail("received_on", "Дата получения не может быть в будущем.")
	} else {
		req.ReceivedOn = t.Format(time.DateOnly)
	}
	if !f.Valid() {
		a.Renderer.Page(w, r, http.StatusUnprocessableEntity, "media/admin_request_new", "Регистрация запроса СМИ", map[string]any{"Form": f, "Channels": ReqChannels})
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		return a.RegisterRequest(r.Context(), tx, m, &req, audit.FromRequest(r, "create", "media_request", "", nil, nil))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, fmt.Sprintf("Запрос зарегистрирован под номером %s.", req.Number))
	http.Redirect(w, r, fmt.Sprintf("/admin/media/requests/%d", req.ID), http.StatusSeeOther)
}

// requestPage is the data of a request's page.
type requestPage struct {
	Request    Request
	Today      string
	Overdue    bool
	CanCheck   bool
	CheckWhy   string
	NoticeForm *web.Form
	DraftForm  *web.Form
	CheckForm  *web.Form
}

func (a *Area) loadRequest(w http.ResponseWriter, r *http.Request) (Request, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return Request{}, false
	}
	req, err := GetRequest(r.Context(), a.DB, web.Municipality(r).ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return Request{}, false
	}
	return req, true
}

func (a *Area) requestPage(r *http.Request, req Request) *requestPage {
	v := web.ViewerFrom(r.Context())
	today := a.today(web.Municipality(r)).Format(time.DateOnly)
	ok, why := CanCheck(req, v.ID, v.Has(Checkers...))
	draft := req.Draft
	return &requestPage{Request: req, Today: today, Overdue: req.Overdue(today), CanCheck: ok, CheckWhy: why,
		NoticeForm: web.NewForm(url.Values{"kind": {NoticeDeferral}}), DraftForm: web.NewForm(url.Values{"draft": {draft}}), CheckForm: web.NewForm(nil)}
}

func (a *Area) renderRequest(w http.ResponseWriter, r *http.Request, status int, p *requestPage) {
	a.Renderer.Page(w, r, status, "media/admin_request", "Запрос СМИ № "+p.Request.Number, p)
}

func (a *Area) adminRequest(w http.ResponseWriter, r *http.Request) {
	req, ok := a.loadRequest(w, r)
	if !ok {
		return
	}
	a.renderRequest(w, r, http.StatusOK, a.requestPage(r, req))
}

func (a *Area) adminNotice(w http.ResponseWriter, r *http.Request) {
	before, ok := a.loadRequest(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if !web.ViewerFrom(r.Context()).Has(Checkers...) {
		a.Errors.Render(w, r, web.ErrForbidden)
		return
	}
	if !before.NoticeAllowed() {
		a.Errors.Render(w, r, web.Invalid("Уведомление об отсрочке или отказе уже направлено или на запрос уже дан ответ."))
		return
	}
	n := Notice{Kind: f.Get("kind"), Reason: f.Get("reason"), Until: f.Get("until"), Official: f.Get("official")}
	failAll(f, ValidateNotice(n, before), []string{"kind", "reason", "until", "official"})
	if !f.Valid() {
		p := a.requestPage(r, before)
		p.NoticeForm = f
		a.renderRequest(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	m := web.Municipality(r)
	req := before
	if n.Kind == NoticeDeferral {
		t, _ := ParseDay(n.Until)
		n.Until = t.Format(time.DateOnly)
		req.Status, req.AnswerBy = ReqDeferred, n.Until
	} else {
		req.Status, n.Until = ReqRefused, ""
	}
	req.NoticeKind, req.NoticeReason, req.NoticeUntil, req.NoticeOfficial = n.Kind, n.Reason, n.Until, n.Official
	req.NoticeText = NoticeLetter(m.Name, req, n)
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := SaveNotice(r.Context(), tx, m.ID, req, a.DB.Now()); err != nil {
			return err
		}
		if to := req.ContactEmail(); to != "" {
			if err := a.Mailer.Queue(r.Context(), tx, to, "media_request_notice", map[string]any{"R": req}); err != nil {
				return err
			}
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "notice", "media_request", strconv.FormatInt(req.ID, 10), before, req))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Уведомление направлено редакции.")
	http.Redirect(w, r, fmt.Sprintf("/admin/media/requests/%d", req.ID), http.StatusSeeOther)
}

func (a *Area) adminDraft(w http.ResponseWriter, r *http.Request) {
	before, ok := a.loadRequest(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	switch before.Status {
	case ReqRegistered, ReqDeferred, ReqReturned:
	default:
		a.Errors.Render(w, r, web.Invalid("Проект ответа сейчас нельзя изменить: он на проверке или ответ уже дан."))
		return
	}
	draft := strings.TrimSpace(strings.ReplaceAll(f.Values.Get("draft"), "\r\n", "\n"))
	switch {
	case draft == "":
		f.Fail("draft", "Напишите проект ответа.")
	case len([]rune(draft)) > 20000:
		f.Fail("draft", "Ответ длиннее 20 000 знаков.")
	}
	if !f.Valid() {
		p := a.requestPage(r, before)
		p.DraftForm = f
		a.renderRequest(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	v := web.ViewerFrom(r.Context())
	req := before
	req.Draft, req.DraftedBy, req.DraftedByID, req.Status = draft, v.Name+" ("+v.Email+")", v.ID, ReqReview
	m := web.Municipality(r)
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := SaveDraft(r.Context(), tx, m.ID, req, a.DB.Now()); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "draft", "media_request", strconv.FormatInt(req.ID, 10), before, req))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Проект ответа направлен на проверку.")
	http.Redirect(w, r, fmt.Sprintf("/admin/media/requests/%d", req.ID), http.StatusSeeOther)
}

// adminCheck is the four-eyes check: a second person approves the draft
// (the answer is sent, event media.request_answered) or returns it.
func (a *Area) adminCheck(w http.ResponseWriter, r *http.Request) {
	before, ok := a.loadRequest(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	v := web.ViewerFrom(r.Context())
	if ok, why := CanCheck(before, v.ID, v.Has(Checkers...)); !ok {
		a.Errors.Render(w, r, web.Invalid(why))
		return
	}
	decision, remarks := f.Get("decision"), strings.TrimSpace(f.Values.Get("remarks"))
	switch {
	case decision != "approve" && decision != "return":
		f.Fail("decision", "Выберите: утвердить или вернуть на доработку.")
	case decision == "return" && remarks == "":
		f.Fail("remarks", "Укажите замечания: что исправить в ответе.")
	}
	if !f.Valid() {
		p := a.requestPage(r, before)
		p.CheckForm = f
		a.renderRequest(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	m := web.Municipality(r)
	req := before
	req.Remarks, req.CheckedBy = remarks, v.Name+" ("+v.Email+")"
	if decision == "approve" {
		req.Status, req.Answer = ReqAnswered, req.Draft
	} else {
		req.Status = ReqReturned
	}
	now := a.DB.Now()
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := SaveCheck(r.Context(), tx, m.ID, req, now); err != nil {
			return err
		}
		if req.Status == ReqAnswered {
			if err := events.Record(r.Context(), tx, events.Event{MunicipalityID: m.ID, Kind: events.MediaRequestAnswered, ObjectType: "media_request",
				ObjectID: strconv.FormatInt(req.ID, 10), Title: "Дан ответ на запрос СМИ № " + req.Number, URL: "/media", OccurredAt: now}); err != nil {
				return err
			}
			if to := req.ContactEmail(); to != "" {
				if err := a.Mailer.Queue(r.Context(), tx, to, "media_request_answer", map[string]any{"R": req, "Municipality": m.Name}); err != nil {
					return err
				}
			}
		}
		return audit.Write(r.Context(), tx, now, audit.FromRequest(r, "check_"+decision, "media_request", strconv.FormatInt(req.ID, 10), before, req))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	msg := "Ответ утверждён и направлен редакции."
	if decision == "return" {
		msg = "Проект ответа возвращён на доработку с замечаниями."
	}
	web.SetFlash(a.Sessions, r, msg)
	http.Redirect(w, r, fmt.Sprintf("/admin/media/requests/%d", req.ID), http.StatusSeeOther)
}

func (a *Area) adminPublish(w http.ResponseWriter, r *http.Request) {
	req, ok := a.loadRequest(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if !web.ViewerFrom(r.Context()).Has(Checkers...) {
		a.Errors.Render(w, r, web.ErrForbidden)
		return
	}
	if req.Status != ReqAnswered {
		a.Errors.Render(w, r, web.Invalid("Опубликовать можно только данный ответ."))
		return
	}
	on := f.Get("published") == "yes"
	m := web.Municipality(r)
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := SetPublished(r.Context(), tx, m.ID, req.ID, on); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "publish", "media_request", strconv.FormatInt(req.ID, 10),
			map[string]bool{"published": req.Published}, map[string]bool{"published": on}))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	msg := "Ответ опубликован в пресс-центре."
	if !on {
		msg = "Ответ снят с публикации."
	}
	web.SetFlash(a.Sessions, r, msg)
	http.Redirect(w, r, fmt.Sprintf("/admin/media/requests/%d", req.ID), http.StatusSeeOther)
}

func (a *Area) adminAccreditations(w http.ResponseWriter, r *http.Request) {
	a.renderAccreditations(w, r, http.StatusOK, web.NewForm(url.Values{"status": {"active"}}))
}

func (a *Area) renderAccreditations(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	list, err := Accreditations(r.Context(), a.DB, web.Municipality(r).ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, status, "media/admin_accreditations", "Аккредитация журналистов", map[string]any{"List": list, "Form": f, "Statuses": AccStatuses})
}

func (a *Area) adminAccreditationCreate(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	acc := Accreditation{Outlet: f.Get("outlet"), Person: f.Get("person"), Status: "active"}
	f.Required(map[string]string{"outlet": "Укажите СМИ.", "person": "Укажите журналиста."})
	from, ok1 := ParseDay(f.Get("valid_from"))
	to, ok2 := ParseDay(f.Get("valid_to"))
	if !ok1 {
		f.Fail("valid_from", "Укажите начало срока (ДД.ММ.ГГГГ).")
	}
	if !ok2 {
		f.Fail("valid_to", "Укажите конец срока (ДД.ММ.ГГГГ).")
	} else if ok1 && to.Before(from) {
		f.Fail("valid_to", "Конец срока раньше начала.")
	}
	if !f.Valid() {
		a.renderAccreditations(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	acc.ValidFrom, acc.ValidTo = from.Format(time.DateOnly), to.Format(time.DateOnly)
	m := web.Municipality(r)
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := CreateAccreditation(r.Context(), tx, m.ID, &acc, a.DB.Now()); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "create", "media_accreditation", strconv.FormatInt(acc.ID, 10), nil, acc))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Запись внесена в реестр аккредитации.")
	http.Redirect(w, r, "/admin/media/accreditations", http.StatusSeeOther)
}

func (a *Area) adminAccreditationStatus(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	st := f.Get("status")
	if label(AccStatuses, st) == st {
		a.Errors.Render(w, r, web.Invalid("Выберите статус из списка."))
		return
	}
	m := web.Municipality(r)
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := SetAccreditationStatus(r.Context(), tx, m.ID, id, st); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "status", "media_accreditation", strconv.FormatInt(id, 10), nil, map[string]string{"status": st}))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Статус аккредитации изменён.")
	http.Redirect(w, r, "/admin/media/accreditations", http.StatusSeeOther)
}
