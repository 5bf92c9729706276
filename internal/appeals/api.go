package appeals

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/web"
)

// APIAppeal is the JSON shape of an appeal for staff.
type APIAppeal struct {
	Number        string        `json:"registration_number"`
	Status        Status        `json:"status"`
	StatusLabel   string        `json:"status_label"`
	Channel       string        `json:"channel"`
	Type          string        `json:"type"`
	Topic         string        `json:"topic"`
	ReceivedAt    deadline.Date `json:"received_at"`
	RegisteredAt  deadline.Date `json:"registered_at"`
	Due           Due           `json:"due"`
	ExtendedDays  int           `json:"extended_days"`
	Department    string        `json:"department,omitempty"`
	Assignee      string        `json:"assignee,omitempty"`
	Result        string        `json:"result,omitempty"`
	ClosedAt      string        `json:"closed_at,omitempty"`
	Late          bool          `json:"late"`
	Collective    bool          `json:"collective"`
	Repeated      bool          `json:"repeated"`
	Author        *Author       `json:"author,omitempty"`
	Text          string        `json:"text,omitempty"`
	Answer        string        `json:"answer,omitempty"`
	ForwardedTo   string        `json:"forwarded_to,omitempty"`
	History       []APIEntry    `json:"history,omitempty"`
	AccountAppeal bool          `json:"-"`
}

// APIEntry is a line of history.
type APIEntry struct {
	At     time.Time `json:"at"`
	Action string    `json:"action"`
	Status Status    `json:"status"`
	Actor  string    `json:"actor"`
	Note   string    `json:"note,omitempty"`
}

func toAPI(ap Appeal, full bool) APIAppeal {
	out := APIAppeal{Number: ap.Number, Status: ap.Status, StatusLabel: ap.Status.Label(), Channel: ap.Channel, Type: ap.Kind, Topic: ap.QuestionCode,
		ReceivedAt: ap.ReceivedOn, RegisteredAt: ap.RegisteredOn, Due: ap.Due, ExtendedDays: ap.ExtendedDays, Department: ap.Department,
		Assignee: ap.Assignee, Result: ap.Result, Late: ap.Late, Collective: ap.Collective, Repeated: ap.Repeated, ForwardedTo: ap.ForwardedTo}
	if !ap.ClosedOn.IsZero() {
		out.ClosedAt = ap.ClosedOn.String()
	}
	if full {
		au := ap.Author
		out.Author, out.Text, out.Answer = &au, ap.Text, ap.Answer
	}
	return out
}

type apiNewAppeal struct {
	Channel      string   `json:"channel"`
	ReceivedAt   string   `json:"received_at"`
	RegisteredAt string   `json:"registered_at"`
	Author       Author   `json:"author"`
	Text         string   `json:"text"`
	Type         string   `json:"type"`
	Topic        string   `json:"topic"`
	Addressee    string   `json:"addressee"`
	DepartmentID int64    `json:"department_id"`
	Collective   bool     `json:"collective"`
	Cosigners    []string `json:"cosigners"`
	Repeated     bool     `json:"repeated"`
	ReceivedFrom string   `json:"received_from"`
	AnswerMethod string   `json:"answer_method"`
}

var apiFieldNames = map[string]string{
	"received_on": "received_at", "registered_on": "registered_at", "kind": "type", "department": "department_id",
	"last_name": "author.last_name", "first_name": "author.first_name", "middle_name": "author.middle_name",
	"email": "author.email", "phone": "author.phone", "postal_address": "author.postal_address",
	"reason": "reason", "forward_to": "to",
}

func apiFields(errs FieldErrors) map[string]string {
	out := map[string]string{}
	for k, v := range errs {
		if n, ok := apiFieldNames[k]; ok {
			k = n
		}
		out[k] = v
	}
	return out
}

func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		return web.Invalid("Тело запроса должно быть объектом JSON: " + err.Error())
	}
	return nil
}

func (a *Area) apiError(w http.ResponseWriter, r *http.Request, err error) {
	var fe FieldErrors
	switch {
	case errors.As(err, &fe):
		web.APIFieldError(w, apiFields(fe))
	case errors.Is(err, ErrForbiddenAction):
		a.Errors.Render(w, r, web.ErrForbidden)
	case errors.Is(err, ErrWrongState):
		a.Errors.Render(w, r, &web.Error{Status: http.StatusConflict, Code: "conflict", Message: ErrWrongState.Error()})
	default:
		a.Errors.Render(w, r, err)
	}
}

func (a *Area) mountAPI(rt *web.Router) {
	desk := web.Roles(auth.Operator, auth.Administrator)
	staff := web.Roles(StaffRoles...)
	admin := web.Roles(auth.Administrator)
	rt.HandleFunc("POST /api/v1/appeals", desk, a.apiCreate)
	rt.HandleFunc("GET /api/v1/appeals/status", web.Public(), a.apiStatus)
	rt.HandleFunc("GET /api/v1/appeals/{number}", staff, a.apiGet)
	rt.HandleFunc("GET /api/v1/account/appeals", web.SignedIn(), a.apiMine)
	steps := []struct {
		act    Action
		access web.Access
		sum    string
		body   map[string]any
	}{
		{ActAssign, desk, "Передать обращение исполнителю", web.Obj(map[string]any{"department_id": web.Int(), "assignee_id": web.Int()}, "department_id")},
		{ActDraft, staff, "Сохранить проект ответа", web.Obj(map[string]any{"answer": web.Str(), "result": enum(AnswerResults), "type": enum(Kinds), "topic": web.Str(), "repeated": web.Bool()}, "answer", "result")},
		{ActRework, admin, "Вернуть проект ответа на доработку", web.Obj(map[string]any{"note": web.Str()}, "note")},
		{ActApprove, admin, "Согласовать ответ (руководитель)", web.Obj(map[string]any{})},
		{ActAnswer, staff, "Направить согласованный ответ заявителю", web.Obj(map[string]any{})},
		{ActForward, desk, "Направить обращение по компетенции (ч. 3 ст. 8)", web.Obj(map[string]any{"to": web.Str()}, "to")},
		{ActClose, admin, "Не рассматривать по существу по основанию ст. 11 (по ч. 2, 4, 4.1 и 5.1 заявителю сообщается в течение 7 дней со дня регистрации — срок due.notice_by; для ч. 5.1 обязателен link — адрес страницы с опубликованным ответом)", web.Obj(map[string]any{"ground": groundEnum(), "link": web.Str()}, "ground")},
		{ActExtend, admin, "Продлить срок рассмотрения (ч. 2 ст. 12): один раз, на 1–30 дней, считая от установленного законом срока (регистрация + 30 дней + продление, затем перенос с нерабочего дня); после истечения срока — 422 с объяснением", web.Obj(map[string]any{"days": web.Int(), "reason": web.Str(), "basis": map[string]any{"type": "string", "enum": []string{"art12", "art10"}}}, "days", "reason")},
	}
	for _, s := range steps {
		act := s.act
		rt.HandleFunc("POST /api/v1/appeals/{number}/"+string(act), s.access, func(w http.ResponseWriter, r *http.Request) { a.apiStep(w, r, act) })
		a.API.Add("POST", "/api/v1/appeals/{number}/"+string(act), web.Operation{Summary: s.sum, Tags: []string{"appeals"}, Auth: true,
			Parameters: []map[string]any{numberParam}, RequestBody: s.body, Response: appealSchema(true)})
	}

	a.API.Add("POST", "/api/v1/appeals", web.Operation{Summary: "Зарегистрировать обращение (письменное, устное, по телефону, МЭДО, электронное). Регистрируется всякое письменное обращение (ст. 8 59-ФЗ), в том числе без фамилии и адреса — затем предлагается основание ч. 1 ст. 11; для канала phone достаточно телефона. Сроки считаются в календарных днях; срок, оканчивающийся в нерабочий день, переносится по правилу муниципального образования (по умолчанию — на предшествующий рабочий день, либо на следующий по ст. 193 ГК РФ)", Tags: []string{"appeals"}, Auth: true, Status: http.StatusCreated,
		RequestBody: web.Obj(map[string]any{
			"channel": enum(Channels), "received_at": dateSchema(), "registered_at": dateSchema(),
			"author": web.Obj(map[string]any{"last_name": web.Str(), "first_name": web.Str(), "middle_name": web.Str(), "email": web.Str(), "phone": web.Str(), "postal_address": web.Str()}, "last_name", "first_name"),
			"text":   web.Str(), "type": enum(Kinds), "topic": web.Str(), "addressee": web.Str(), "department_id": web.Int(),
			"collective": web.Bool(), "cosigners": web.Arr(web.Str()), "repeated": web.Bool(),
			"received_from": web.Str(), "answer_method": enum(AnswerMethods),
		}, "channel", "received_at", "author", "text"),
		Response: appealSchema(false)})
	a.API.Add("GET", "/api/v1/appeals/{number}", web.Operation{Summary: "Обращение с историей (для сотрудников)", Tags: []string{"appeals"}, Auth: true,
		Parameters: []map[string]any{numberParam}, Response: appealSchema(true)})
	a.API.Add("GET", "/api/v1/appeals/status", web.Operation{Summary: "Статус и срок обращения по номеру и контакту заявителя", Tags: []string{"appeals"},
		Parameters: []map[string]any{web.QueryParam("number", "Регистрационный номер", true), web.QueryParam("contact", "Адрес электронной почты или телефон из обращения", true)},
		Response:   web.Obj(map[string]any{"registration_number": web.Str(), "status": web.Str(), "registered_at": dateSchema(), "answer_by": dateSchema()})})
	a.API.Add("GET", "/api/v1/account/appeals", web.Operation{Summary: "Обращения, поданные владельцем учётной записи", Tags: []string{"appeals"}, Auth: true,
		Parameters: []map[string]any{web.QueryParam("page", "Номер страницы", false)},
		Response:   web.Obj(map[string]any{"appeals": web.Arr(appealSchema(false)), "total": web.Int(), "page": web.Int(), "pages": web.Int()})})
}

var numberParam = web.PathParam("number", "Регистрационный номер, закодированный для URL (например %D0%92%D0%9F-2026-000123)")

func dateSchema() map[string]any { return map[string]any{"type": "string", "format": "date"} }

func enum(opts []Option) map[string]any {
	var vs []string
	for _, o := range opts {
		vs = append(vs, o.Value)
	}
	return map[string]any{"type": "string", "enum": vs}
}

func groundEnum() map[string]any {
	var vs []string
	for _, g := range Grounds {
		vs = append(vs, g.Code)
	}
	return map[string]any{"type": "string", "enum": vs}
}

func appealSchema(history bool) map[string]any {
	props := map[string]any{
		"registration_number": web.Str(), "status": web.Str(), "status_label": web.Str(), "channel": web.Str(), "type": web.Str(), "topic": web.Str(),
		"received_at": dateSchema(), "registered_at": dateSchema(),
		"due":           web.Obj(map[string]any{"register_by": dateSchema(), "forward_by": dateSchema(), "answer_by": dateSchema(), "notice_by": dateSchema()}),
		"extended_days": web.Int(), "department": web.Str(), "assignee": web.Str(), "result": web.Str(), "closed_at": dateSchema(), "late": web.Bool(),
	}
	if history {
		props["author"] = web.Obj(map[string]any{"last_name": web.Str(), "first_name": web.Str(), "middle_name": web.Str(), "email": web.Str(), "phone": web.Str(), "postal_address": web.Str()})
		props["text"], props["answer"] = web.Str(), web.Str()
		props["history"] = web.Arr(web.Obj(map[string]any{"at": map[string]any{"type": "string", "format": "date-time"}, "action": web.Str(), "status": web.Str(), "actor": web.Str(), "note": web.Str()}))
	}
	return web.Obj(props)
}

func (a *Area) apiCreate(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	var body apiNewAppeal
	if err := decodeJSON(w, r, &body); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	in := NewAppeal{Channel: body.Channel, Kind: body.Type, Author: body.Author, Text: body.Text, Addressee: body.Addressee, Assign: body.DepartmentID,
		Collective: body.Collective, Cosigners: body.Cosigners, Repeated: body.Repeated, QuestionCode: strings.TrimSpace(body.Topic)}
	in.ReceivedFrom, in.AnswerMethod = body.ReceivedFrom, body.AnswerMethod
	errs := FieldErrors{}
	var err error
	if in.ReceivedOn, err = deadline.ParseDate(body.ReceivedAt); err != nil {
		errs["received_at"] = "Укажите дату поступления в виде ГГГГ-ММ-ДД."
	}
	if body.RegisteredAt == "" {
		in.RegisteredOn = a.Today(m)
	} else if in.RegisteredOn, err = deadline.ParseDate(body.RegisteredAt); err != nil {
		errs["registered_at"] = "Укажите дату регистрации в виде ГГГГ-ММ-ДД."
	}
	if len(errs) > 0 {
		web.APIFieldError(w, errs)
		return
	}
	ap, err := a.Register(r.Context(), m, in, actorOf(r), false)
	if err != nil {
		a.apiError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, toAPI(ap, false))
}

func (a *Area) apiGet(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	ap, err := a.View(r.Context(), m, r.PathValue("number"), actorOf(r), roleFor(r), "api")
	if err != nil {
		a.apiError(w, r, err)
		return
	}
	a.writeWithHistory(w, r, http.StatusOK, ap)
}

func (a *Area) writeWithHistory(w http.ResponseWriter, r *http.Request, status int, ap Appeal) {
	hist, err := a.store.History(r.Context(), ap.ID, false)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	out := toAPI(ap, true)
	for _, e := range hist {
		out.History = append(out.History, APIEntry{At: e.At, Action: e.Action, Status: e.Status, Actor: e.Actor, Note: e.Note})
	}
	web.WriteJSON(w, status, out)
}

type apiStepBody struct {
	DepartmentID int64  `json:"department_id"`
	AssigneeID   int64  `json:"assignee_id"`
	Answer       string `json:"answer"`
	Result       string `json:"result"`
	Type         string `json:"type"`
	Topic        string `json:"topic"`
	Repeated     bool   `json:"repeated"`
	Note         string `json:"note"`
	To           string `json:"to"`
	Ground       string `json:"ground"`
	Days         int    `json:"days"`
	Reason       string `json:"reason"`
	Basis        string `json:"basis"`
	Link         string `json:"link"`
}

func (a *Area) apiStep(w http.ResponseWriter, r *http.Request, act Action) {
	m := web.Municipality(r)
	var b apiStepBody
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, &b); err != nil {
			a.Errors.Render(w, r, err)
			return
		}
	}
	st := Step{Action: act, DepartmentID: b.DepartmentID, AssigneeID: b.AssigneeID, Answer: b.Answer, Result: b.Result, Kind: b.Type,
		QuestionCode: b.Topic, Repeated: b.Repeated, Note: b.Note, ForwardTo: b.To, Ground: b.Ground, Link: b.Link, Days: b.Days, Basis: b.Basis}
	if act == ActExtend {
		st.Note = b.Reason
	}
	ap, err := a.Apply(r.Context(), m, r.PathValue("number"), st, actorOf(r), roleFor(r))
	if err != nil {
		a.apiError(w, r, err)
		return
	}
	a.writeWithHistory(w, r, http.StatusOK, ap)
}

func (a *Area) apiStatus(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	q := r.URL.Query()
	if !a.statusLimiter.Allow(web.ClientIP(r)) || !a.statusLimiter.Allow("n:"+strings.TrimSpace(q.Get("number"))) {
		w.Header().Set("Retry-After", "60")
		a.Errors.Render(w, r, web.ErrTooManyRequests)
		return
	}
	p, err := a.PublicStatus(r.Context(), m.ID, q.Get("number"), q.Get("contact"))
	if errors.Is(err, ErrStatusNotFound) {
		a.Errors.Render(w, r, &web.Error{Status: http.StatusNotFound, Code: "not_found", Message: ErrStatusNotFound.Error()})
		return
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, p)
}

func (a *Area) apiMine(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	v := web.ViewerFrom(r.Context())
	p := web.NewPager(r.URL, 50)
	list, total, err := a.store.List(r.Context(), m.ID, Filter{AccountID: v.ID}, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	out := []APIAppeal{}
	for _, ap := range list {
		x := toAPI(ap, false)
		x.Department, x.Assignee = "", ""
		out = append(out, x)
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"appeals": out, "total": total, "page": p.Page, "pages": p.Pages})
}
