package media

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/web"
)

// APIRequestRoles may register requests through the API (the press
// secretary's or the hotline operator's systems).
var APIRequestRoles = []string{auth.Press, auth.Operator, auth.Administrator}

func (a *Area) mountAPI(rt *web.Router) {
	rt.HandleFunc("GET /api/v1/media/plan", web.Public(), a.apiPlan)
	rt.HandleFunc("POST /api/v1/media/requests", web.Roles(APIRequestRoles...), a.apiRequest)
	rt.HandleFunc("GET /api/v1/media/mentions", web.Roles(Staff...), a.apiMentions)
	rt.HandleFunc("POST /api/v1/media/sources", web.Roles(Staff...), a.apiSource)
	rt.HandleFunc("POST /api/v1/media/sources/{id}/fetch", web.Roles(Staff...), a.apiFetch)

	item := web.Obj(map[string]any{"topic": web.Str(), "channel": web.Str(), "channel_label": web.Str(), "week_start": web.Str(), "date": web.Str(),
		"department": web.Str(), "material": web.Str(), "status": web.Str(), "publication": web.Str()})
	a.API.Add("GET", "/api/v1/media/plan", web.Operation{Summary: "Утверждённый медиаплан года с отметками об исполнении", Tags: []string{"media"},
		Parameters: []map[string]any{web.QueryParam("year", "Год (по умолчанию текущий)", false)},
		Response:   web.Obj(map[string]any{"year": web.Int(), "title": web.Str(), "act_number": web.Str(), "act_date": web.Str(), "act_url": web.Str(), "items": web.Arr(item)})})
	a.API.Add("POST", "/api/v1/media/requests", web.Operation{Summary: "Зарегистрировать запрос редакции СМИ (токен пресс-секретаря или оператора)", Tags: []string{"media"}, Auth: true,
		RequestBody: web.Obj(map[string]any{"outlet": web.Str(), "certificate": web.Str(), "journalist": web.Str(), "contact": web.Str(), "question": web.Str(),
			"received_at": web.Str()}, "outlet", "journalist", "contact", "question"),
		Response: web.Obj(map[string]any{"id": web.Int(), "number": web.Str(), "accredited": web.Bool(),
			"due": web.Obj(map[string]any{"notice_by": web.Str(), "answer_by": web.Str()})}), Status: http.StatusCreated})
	mention := web.Obj(map[string]any{"id": web.Int(), "source": web.Str(), "title": web.Str(), "link": web.Str(), "published_at": web.Str(),
		"topic": web.Str(), "tonality": web.Str(), "republished": web.Int()})
	a.API.Add("GET", "/api/v1/media/mentions", web.Operation{Summary: "Упоминания из мониторинга СМИ (токен пресс-секретаря)", Tags: []string{"media"}, Auth: true,
		Parameters: []map[string]any{web.QueryParam("from", "С даты, ГГГГ-ММ-ДД", false), web.QueryParam("to", "По дату включительно", false),
			web.QueryParam("tonality", "positive, neutral, negative или none", false), web.QueryParam("page", "Страница, с 1", false)},
		Response: web.Obj(map[string]any{"total": web.Int(), "mentions": web.Arr(mention)})})
	source := web.Obj(map[string]any{"id": web.Int(), "title": web.Str(), "url": web.Str(), "failing": web.Bool(), "last_error": web.Str()})
	a.API.Add("POST", "/api/v1/media/sources", web.Operation{Summary: "Добавить источник мониторинга (лента RSS или Atom)", Tags: []string{"media"}, Auth: true,
		RequestBody: web.Obj(map[string]any{"url": web.Str(), "title": web.Str()}, "url", "title"), Response: source, Status: http.StatusCreated})
	a.API.Add("POST", "/api/v1/media/sources/{id}/fetch", web.Operation{Summary: "Проверить ленту источника сейчас", Tags: []string{"media"}, Auth: true,
		Parameters: []map[string]any{web.PathParam("id", "Номер источника")},
		Response:   web.Obj(map[string]any{"ok": web.Bool(), "error": web.Str(), "not_modified": web.Bool(), "entries": web.Int(), "new": web.Int()})})
}

func (a *Area) apiPlan(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	year := a.today(m).Year()
	if v := r.URL.Query().Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil {
			web.APIFieldError(w, map[string]string{"year": "Год — число, например 2026."})
			return
		}
		year = y
	}
	p, err := PlanOfYear(r.Context(), a.DB, m.ID, year)
	if err == nil && !p.Approved() {
		err = db.ErrNotFound
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	items, _, err := PlanItems(r.Context(), a.DB, m.ID, p.ID, 5000, 0)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	out := make([]map[string]any, 0, len(items))
	for _, it := range items {
		out = append(out, map[string]any{"topic": it.Topic, "channel": it.Channel, "channel_label": it.ChannelLabel(), "week_start": it.WeekStart,
			"date": it.PlannedDate, "department": it.Department, "material": it.Material, "status": it.Status, "publication": it.PublicationURL})
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"year": p.Year, "title": p.Title, "act_number": p.ActNumber, "act_date": p.ActDate, "act_url": p.ActURL, "items": out})
}

func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		web.APIFieldError(w, map[string]string{"body": "Тело запроса больше 1 МБ."})
		return false
	}
	if err := json.Unmarshal(b, v); err != nil {
		web.APIFieldError(w, map[string]string{"body": "Тело запроса — не JSON нужного вида."})
		return false
	}
	return true
}

func (a *Area) apiRequest(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Outlet, Certificate, Journalist, Contact, Question string
		ReceivedAt                                         string `json:"received_at"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	m := web.Municipality(r)
	req := Request{Outlet: strings.TrimSpace(in.Outlet), Certificate: strings.TrimSpace(in.Certificate), Journalist: strings.TrimSpace(in.Journalist),
		Contact: strings.TrimSpace(in.Contact), Question: strings.TrimSpace(in.Question), Channel: "api", ReceivedOn: a.today(m).Format(time.DateOnly)}
	errs := ValidateRequest(req)
	if in.ReceivedAt != "" {
		t, ok := ParseDay(in.ReceivedAt)
		if !ok && len(in.ReceivedAt) > 10 {
			if ts, err := time.Parse(time.RFC3339, in.ReceivedAt); err == nil {
				loc := m.Location
				if loc == nil {
					loc = time.UTC
				}
				lt := ts.In(loc)
				t, ok = time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, time.UTC), true
			}
		}
		switch {
		case !ok:
			errs["received_at"] = "Дата получения — ГГГГ-ММ-ДД."
		case t.After(a.today(m)):
			errs["received_at"] = "Дата получения не может быть в будущем."
		default:
			req.ReceivedOn = t.Format(time.DateOnly)
		}
	}
	if len(errs) > 0 {
		web.APIFieldError(w, errs)
		return
	}
	err := a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		return a.RegisterRequest(r.Context(), tx, m, &req, audit.FromRequest(r, "create", "media_request", "", nil, nil))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, map[string]any{"id": req.ID, "number": req.Number, "accredited": req.Accredited,
		"due": map[string]string{"notice_by": req.NoticeBy, "answer_by": req.AnswerBy}})
}

func (a *Area) apiMentions(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	f, _ := mentionFilter(r.URL.Query(), m.Location)
	p := web.NewPager(r.URL, 100)
	list, total, err := Mentions(r.Context(), a.DB, m.ID, f, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	out := make([]map[string]any, 0, len(list))
	for _, x := range list {
		out = append(out, map[string]any{"id": x.ID, "source": x.Source, "title": x.Title, "link": x.Link, "published_at": x.PublishedAt.UTC().Format(time.RFC3339),
			"topic": x.Topic, "tonality": x.Tonality, "republished": x.Republished})
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"total": total, "mentions": out})
}

func sourceJSON(s Source) map[string]any {
	return map[string]any{"id": s.ID, "title": s.Title, "url": s.URL, "failing": s.Failing(), "last_error": s.LastError}
}

func (a *Area) apiSource(w http.ResponseWriter, r *http.Request) {
	var in struct{ URL, Title string }
	if !decodeJSON(w, r, &in) {
		return
	}
	s := Source{Title: strings.TrimSpace(in.Title), URL: strings.TrimSpace(in.URL)}
	if errs := ValidateSource(s.Title, s.URL); len(errs) > 0 {
		web.APIFieldError(w, errs)
		return
	}
	if err := a.createSource(r, &s); err == ErrSourceExists {
		web.APIFieldError(w, map[string]string{"url": err.Error()})
		return
	} else if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, sourceJSON(s))
}

func (a *Area) apiFetch(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	s, err := GetSource(r.Context(), a.DB, m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	out, err := a.FetchSource(r.Context(), m.ID, s)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	msg := ""
	if out.Err != nil {
		msg = out.Err.Error()
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"ok": out.Err == nil, "error": msg, "not_modified": out.NotModified, "entries": out.Entries, "new": out.New})
}
