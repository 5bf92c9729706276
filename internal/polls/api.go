package polls

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/glasnost/glasnost/internal/web"
)

type apiSurvey struct {
	ID             int64     `json:"id"`
	Title          string    `json:"title"`
	Description    string    `json:"description"`
	Audience       string    `json:"audience"`
	State          string    `json:"state"`
	OpensAt        time.Time `json:"opens_at"`
	ClosesAt       time.Time `json:"closes_at"`
	Responses      int       `json:"responses"`
	ResultsVisible bool      `json:"results_visible"`
	URL            string    `json:"url"`
}

func (a *Area) apiList(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	pg := web.NewPager(r.URL, 50)
	list, total, err := a.Store.List(r.Context(), m.ID, ListFilter{Public: true}, pg.PerPage, pg.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	now := a.DB.Now()
	items := make([]apiSurvey, 0, len(list))
	for _, s := range list {
		items = append(items, apiSurvey{ID: s.ID, Title: s.Title, Description: s.Description, Audience: s.Audience, State: s.State(now), OpensAt: s.OpensAt, ClosesAt: s.ClosesAt,
			Responses: s.Responses, ResultsVisible: s.ResultsVisible(now), URL: "/polls/" + strconv.FormatInt(s.ID, 10)})
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "total": total, "page": pg.Page})
}

type apiQuestionDef struct {
	ID       int64    `json:"id"`
	Kind     string   `json:"kind"`
	Text     string   `json:"text"`
	Required bool     `json:"required"`
	Options  []string `json:"options,omitempty"`
	Rows     []string `json:"rows,omitempty"`
}

func (a *Area) apiGet(w http.ResponseWriter, r *http.Request) {
	s, err := a.loadPublic(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	now := a.DB.Now()
	qs := make([]apiQuestionDef, 0, len(s.Questions))
	for _, q := range s.Questions {
		qs = append(qs, apiQuestionDef{ID: q.ID, Kind: q.Kind, Text: q.Text, Required: q.Required, Options: q.Choices(), Rows: q.Rows})
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"survey": apiSurvey{ID: s.ID, Title: s.Title, Description: s.Description, Audience: s.Audience, State: s.State(now), OpensAt: s.OpensAt, ClosesAt: s.ClosesAt,
		Responses: s.Responses, ResultsVisible: s.ResultsVisible(now), URL: "/polls/" + strconv.FormatInt(s.ID, 10)}, "questions": qs})
}

type apiOption struct {
	Label   string `json:"label"`
	Count   int    `json:"count"`
	Percent int    `json:"percent"`
}

type apiRow struct {
	Label   string      `json:"label,omitempty"`
	Options []apiOption `json:"options"`
}

type apiQuestion struct {
	ID       int64    `json:"id"`
	Kind     string   `json:"kind"`
	Text     string   `json:"text"`
	Answered int      `json:"answered"`
	Rows     []apiRow `json:"rows,omitempty"`
	Texts    []string `json:"texts,omitempty"`
}

func (a *Area) apiResults(w http.ResponseWriter, r *http.Request) {
	s, rs, ok := a.exportable(w, r)
	if !ok {
		return
	}
	qs := make([]apiQuestion, 0, len(rs))
	for _, x := range rs {
		q := apiQuestion{ID: x.Question.ID, Kind: x.Question.Kind, Text: x.Question.Text, Answered: x.Answered}
		for _, row := range x.Rows {
			ar := apiRow{Label: row.Label}
			for _, o := range row.Options {
				ar.Options = append(ar.Options, apiOption(o))
			}
			q.Rows = append(q.Rows, ar)
		}
		for _, t := range x.Texts {
			q.Texts = append(q.Texts, t.Text)
		}
		qs = append(qs, q)
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"id": s.ID, "title": s.Title, "responses": s.Responses, "questions": qs})
}

type apiAnswerBody struct {
	Browser string                     `json:"browser"`
	Answers map[string]json.RawMessage `json:"answers"`
}

// rawFromJSON reads the API's answers: a number or a list of numbers per
// question (a matrix: one per row, -1 for none), a string for free text.
func rawFromJSON(qs []Question, in map[string]json.RawMessage) Raw {
	raw := Raw{Choices: map[int64][]int{}, Texts: map[int64]string{}, Bad: map[int64]bool{}}
	for _, q := range qs {
		v, ok := in[strconv.FormatInt(q.ID, 10)]
		if !ok || string(v) == "null" {
			continue
		}
		if q.Kind == Text {
			var s string
			if json.Unmarshal(v, &s) != nil {
				raw.Bad[q.ID] = true
			}
			raw.Texts[q.ID] = s
			continue
		}
		var n int
		if json.Unmarshal(v, &n) == nil {
			raw.Choices[q.ID] = []int{n}
			continue
		}
		var ns []int
		if json.Unmarshal(v, &ns) != nil {
			raw.Bad[q.ID] = true
			continue
		}
		raw.Choices[q.ID] = ns
	}
	return raw
}

func (a *Area) apiAnswer(w http.ResponseWriter, r *http.Request) {
	s, err := a.loadToAnswer(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var body apiAnswerBody
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		a.Errors.Render(w, r, web.Invalid("Тело запроса — не JSON объекта с полем answers."))
		return
	}
	m, v := web.Municipality(r), web.ViewerFrom(r.Context())
	token := body.Browser
	if v == nil && s.Audience == Anyone {
		if _, err := hex.DecodeString(token); err != nil || len(token) != 32 {
			token = newToken()
		}
	}
	e, err := a.eligible(r.Context(), m, s, v, token, false)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if !e.Can {
		status := http.StatusConflict
		if e.SignIn {
			status = http.StatusUnauthorized
		}
		web.WriteJSON(w, status, map[string]any{"error": map[string]any{"code": "cannot_answer", "message": e.Reason}})
		return
	}
	if v == nil && a.limiter != nil && !a.limiter.Allow(web.ClientIP(r)) {
		w.Header().Set("Retry-After", "180")
		a.Errors.Render(w, r, web.ErrTooManyRequests)
		return
	}
	answers, errs := Validate(s.Questions, rawFromJSON(s.Questions, body.Answers))
	if len(errs) > 0 {
		web.APIFieldError(w, errs)
		return
	}
	id, err := a.Store.Submit(r.Context(), m.ID, s.ID, e.Respondent, answers)
	if errors.Is(err, ErrAlreadyAnswered) {
		web.WriteJSON(w, http.StatusConflict, map[string]any{"error": map[string]any{"code": "already_answered", "message": "Вы уже ответили на этот опрос."}})
		return
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	out := map[string]any{"response_id": id}
	if v == nil {
		out["browser"] = token
	}
	web.WriteJSON(w, http.StatusCreated, out)
}

func (a *Area) describeAPI() {
	if a.API == nil {
		return
	}
	id := web.PathParam("id", "Номер опроса")
	a.API.Add("GET", "/api/v1/polls", web.Operation{Summary: "Опубликованные опросы", Tags: []string{"polls"},
		Parameters: []map[string]any{web.QueryParam("page", "Страница (по 50)", false)},
		Response: web.Obj(map[string]any{"total": web.Int(), "page": web.Int(), "items": web.Arr(web.Obj(map[string]any{
			"id": web.Int(), "title": web.Str(), "description": web.Str(), "audience": web.Str(), "state": web.Str(), "opens_at": web.Str(), "closes_at": web.Str(),
			"responses": web.Int(), "results_visible": web.Bool(), "url": web.Str()}))})})
	a.API.Add("GET", "/api/v1/polls/{id}", web.Operation{Summary: "Опрос с вопросами", Tags: []string{"polls"},
		Parameters: []map[string]any{id},
		Response: web.Obj(map[string]any{"survey": map[string]any{"type": "object"}, "questions": web.Arr(web.Obj(map[string]any{
			"id": web.Int(), "kind": web.Str(), "text": web.Str(), "required": web.Bool(), "options": web.Arr(web.Str()), "rows": web.Arr(web.Str())}))})})
	a.API.Add("GET", "/api/v1/polls/{id}/results", web.Operation{Summary: "Итоги опроса (после завершения или сразу, если так настроено)", Tags: []string{"polls"},
		Parameters: []map[string]any{id},
		Response: web.Obj(map[string]any{"id": web.Int(), "title": web.Str(), "responses": web.Int(), "questions": web.Arr(web.Obj(map[string]any{
			"id": web.Int(), "kind": web.Str(), "text": web.Str(), "answered": web.Int(), "texts": web.Arr(web.Str()),
			"rows": web.Arr(web.Obj(map[string]any{"label": web.Str(), "options": web.Arr(web.Obj(map[string]any{"label": web.Str(), "count": web.Int(), "percent": web.Int()}))}))}))})})
	a.API.Add("POST", "/api/v1/polls/{id}/answers", web.Operation{Summary: "Ответить на опрос: answers — по номеру вопроса число или список чисел (номер варианта с 0; оценка шкалы 1–5; для матрицы по числу на строку, -1 — без ответа) или строка свободного ответа. Один ответ с учётной записи; в анонимном опросе — с браузера (код browser из первого ответа)", Tags: []string{"polls"},
		Parameters:  []map[string]any{id},
		RequestBody: web.Obj(map[string]any{"browser": web.Str(), "answers": map[string]any{"type": "object"}}, "answers"),
		Response:    web.Obj(map[string]any{"response_id": web.Int(), "browser": web.Str()}), Status: http.StatusCreated})
}
