package acts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/web"
)

// apiAct is an act as the JSON API gives it.
type apiAct struct {
	ID           int64            `json:"id"`
	Kind         string           `json:"kind"`
	KindLabel    string           `json:"kind_label"`
	Number       string           `json:"number"`
	Date         string           `json:"date"`
	Title        string           `json:"title"`
	Status       string           `json:"status"`
	StatusLabel  string           `json:"status_label"`
	Spheres      []string         `json:"spheres"`
	Department   *apiDepartment   `json:"department"`
	Published    bool             `json:"published"`
	PublishedAt  *time.Time       `json:"published_at"`
	UpdatedAt    time.Time        `json:"updated_at"`
	URL          string           `json:"url"`
	Text         *string          `json:"text,omitempty"`
	HTML         *string          `json:"html,omitempty"`
	Links        []apiLink        `json:"links,omitempty"`
	Attachments  []apiFile        `json:"attachments,omitempty"`
	Explanations []apiExplanation `json:"explanations,omitempty"`
}

type apiDepartment struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type apiLink struct {
	Kind      string `json:"kind"`
	Direction string `json:"direction"` // "outgoing": this act amends/repeals the other; "incoming": the other amends/repeals this one
	ActID     int64  `json:"act_id"`
	Citation  string `json:"citation"`
	URL       string `json:"url"`
}

type apiFile struct {
	Name        string `json:"name"`
	Title       string `json:"title"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	URL         string `json:"url"`
}

type apiExplanation struct {
	ID     int64  `json:"id"`
	Format string `json:"format"`
	Title  string `json:"title"`
	URL    string `json:"url"`
}

func (a *Area) abs(path string) string { return strings.TrimRight(a.BaseURL, "/") + path }

func (a *Area) toAPI(act Act) apiAct {
	out := apiAct{ID: act.ID, Kind: act.Kind, KindLabel: act.KindLabel(), Number: act.Number, Date: act.Date, Title: act.Title,
		Status: act.Status, StatusLabel: act.StatusLabel(), Spheres: act.Spheres, Published: act.Published, UpdatedAt: act.UpdatedAt, URL: a.abs(act.URL())}
	if out.Spheres == nil {
		out.Spheres = []string{}
	}
	if act.DepartmentID != 0 {
		out.Department = &apiDepartment{ID: act.DepartmentID, Name: act.Department}
	}
	if !act.PublishedAt.IsZero() {
		t := act.PublishedAt
		out.PublishedAt = &t
	}
	return out
}

func (a *Area) apiList(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	spheres, err := a.Tenants.Spheres(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f, _ := listFilter(r, spheres)
	staff := isStaff(r)
	f.PublicOnly = !staff
	if v := r.URL.Query().Get("published"); staff && (v == "true" || v == "false") {
		f.Published = map[string]string{"true": "yes", "false": "no"}[v]
	}
	per := 20
	if n, err := strconv.Atoi(r.URL.Query().Get("per_page")); err == nil && n > 0 {
		per = min(n, 100)
	}
	p := web.NewPager(r.URL, per)
	list, total, err := a.Store.ListActs(r.Context(), a.DB, m.ID, f, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	out := make([]apiAct, 0, len(list))
	for _, act := range list {
		out = append(out, a.toAPI(act))
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"total": total, "page": p.Page, "per_page": p.PerPage, "pages": p.Pages, "acts": out})
}

func (a *Area) apiGet(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p, err := a.loadActPage(r, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.writeFull(w, http.StatusOK, p)
}

func (a *Area) writeFull(w http.ResponseWriter, status int, p *actPage) {
	out := a.toAPI(p.Act)
	out.Text, out.HTML = &p.Act.Text, &p.Act.HTML
	for _, l := range p.Out {
		out.Links = append(out.Links, apiLink{Kind: l.Kind, Direction: "outgoing", ActID: l.Other.ID, Citation: l.Other.Citation(), URL: a.abs(l.Other.URL())})
	}
	for _, l := range p.In {
		out.Links = append(out.Links, apiLink{Kind: l.Kind, Direction: "incoming", ActID: l.Other.ID, Citation: l.Other.Citation(), URL: a.abs(l.Other.URL())})
	}
	for _, f := range p.Attachments {
		out.Attachments = append(out.Attachments, apiFile{Name: f.Name, Title: f.Title, ContentType: f.ContentType, Size: f.Size, URL: a.abs(fmt.Sprintf("%s/files/%d", p.Act.URL(), f.FileID))})
	}
	for _, x := range p.Explanations {
		out.Explanations = append(out.Explanations, apiExplanation{ID: x.ID, Format: x.Format, Title: x.Title, URL: a.abs(fmt.Sprintf("%s#explanation-%d", p.Act.URL(), x.ID))})
	}
	web.WriteJSON(w, status, out)
}

// apiInput is the body of POST and PATCH; a nil field was not given.
type apiInput struct {
	Kind       *string
	Number     *string
	Date       *string
	Title      *string
	Text       *string
	Status     *string
	Spheres    *[]string
	Published  *bool
	Department *string
}

// decodeInput reads the JSON body field by field, so that each wrong field
// gets its own Russian message and an unknown one is not silently ignored.
func decodeInput(body io.Reader) (apiInput, map[string]string) {
	var in apiInput
	errs := map[string]string{}
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(body)
	if err := dec.Decode(&raw); err != nil || raw == nil {
		errs["body"] = "Тело запроса должно быть объектом JSON."
		return in, errs
	}
	str := func(name string, dst **string) {
		v, ok := raw[name]
		if !ok {
			return
		}
		delete(raw, name)
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			errs[name] = "Ожидается строка."
			return
		}
		*dst = &s
	}
	str("kind", &in.Kind)
	str("number", &in.Number)
	str("date", &in.Date)
	str("title", &in.Title)
	str("text", &in.Text)
	str("status", &in.Status)
	str("department", &in.Department)
	if v, ok := raw["spheres"]; ok {
		delete(raw, "spheres")
		var s []string
		if err := json.Unmarshal(v, &s); err != nil {
			errs["spheres"] = "Ожидается список кодов сфер, например [\"education\"]."
		} else {
			if s == nil {
				s = []string{}
			}
			in.Spheres = &s
		}
	}
	if v, ok := raw["published"]; ok {
		delete(raw, "published")
		var b bool
		if err := json.Unmarshal(v, &b); err != nil {
			errs["published"] = "Ожидается true или false."
		} else {
			in.Published = &b
		}
	}
	for k := range raw {
		errs[k] = "Неизвестное поле."
	}
	return in, errs
}

// apply copies the given fields onto act and checks the result.
func (a *Area) apply(r *http.Request, in apiInput, act *Act, errs map[string]string) {
	m := web.Municipality(r)
	set := func(p *string, dst *string) {
		if p != nil {
			*dst = strings.TrimSpace(*p)
		}
	}
	set(in.Kind, &act.Kind)
	set(in.Number, &act.Number)
	set(in.Date, &act.Date)
	set(in.Title, &act.Title)
	set(in.Status, &act.Status)
	if in.Text != nil {
		act.Text = *in.Text
	}
	if in.Spheres != nil {
		act.Spheres = *in.Spheres
	}
	if in.Published != nil {
		act.Published = *in.Published
	}
	if in.Department != nil {
		act.DepartmentID = 0
		if *in.Department != "" {
			d, err := a.Tenants.DepartmentBySlug(r.Context(), m.ID, *in.Department)
			if err != nil {
				errs["department"] = "Неизвестное подразделение: укажите его код."
			}
			act.DepartmentID = d.ID
		}
	}
	ids, err := a.Store.SphereIDs(r.Context(), a.DB, m.ID)
	if err != nil {
		errs["spheres"] = "Не удалось проверить сферы."
	}
	valid := map[string]bool{}
	for s := range ids {
		valid[s] = true
	}
	for k, v := range Validate(*act, valid, a.DB.Now()) {
		if _, ok := errs[k]; !ok {
			errs[k] = v
		}
	}
	act.Kind, _ = ParseKind(act.Kind)
	act.Status, _ = ParseStatus(act.Status)
	act.Date, _ = ParseDate(act.Date, a.DB.Now())
}

func readBody(w http.ResponseWriter, r *http.Request) (io.Reader, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 2<<20))
	if err != nil {
		return nil, web.ErrTooLarge
	}
	return bytes.NewReader(b), nil
}

func (a *Area) apiCreate(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	in, errs := decodeInput(body)
	act := Act{}
	if v := web.ViewerFrom(r.Context()); v != nil {
		act.DepartmentID = v.DepartmentID
	}
	if len(errs) == 0 {
		a.apply(r, in, &act, errs)
	}
	if len(errs) > 0 {
		web.APIFieldError(w, errs)
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error { return a.SaveAct(r.Context(), tx, ActorFrom(r), nil, &act) })
	if a.apiSaveFailed(w, r, err) {
		return
	}
	a.apiAfterSave(w, r, http.StatusCreated, act.ID)
}

func (a *Area) apiSaveFailed(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case err == nil:
		return false
	case errors.Is(err, ErrDuplicate):
		web.APIFieldError(w, map[string]string{"number": err.Error()})
	default:
		a.Errors.Render(w, r, err)
	}
	return true
}

func (a *Area) apiAfterSave(w http.ResponseWriter, r *http.Request, status int, id int64) {
	p, err := a.loadActPage(r, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	w.Header().Set("Location", a.abs(fmt.Sprintf("/api/v1/acts/%d", id)))
	a.writeFull(w, status, p)
}

func (a *Area) apiPatch(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	before, err := a.Store.GetAct(r.Context(), a.DB, web.Municipality(r).ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	body, err := readBody(w, r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	in, errs := decodeInput(body)
	act := before
	act.Spheres = append([]string(nil), before.Spheres...)
	if len(errs) == 0 {
		a.apply(r, in, &act, errs)
	}
	if len(errs) > 0 {
		web.APIFieldError(w, errs)
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error { return a.SaveAct(r.Context(), tx, ActorFrom(r), &before, &act) })
	if a.apiSaveFailed(w, r, err) {
		return
	}
	a.apiAfterSave(w, r, http.StatusOK, act.ID)
}

func (a *Area) describeAPI() {
	actSchema := web.Obj(map[string]any{
		"id": web.Int(), "kind": web.Str(), "kind_label": web.Str(), "number": web.Str(), "date": web.Str(), "title": web.Str(),
		"status": web.Str(), "status_label": web.Str(), "spheres": web.Arr(web.Str()),
		"department": web.Obj(map[string]any{"id": web.Int(), "name": web.Str()}),
		"published":  web.Bool(), "published_at": web.Str(), "updated_at": web.Str(), "url": web.Str(),
		"text": web.Str(), "html": web.Str(),
		"links":        web.Arr(web.Obj(map[string]any{"kind": web.Str(), "direction": web.Str(), "act_id": web.Int(), "citation": web.Str(), "url": web.Str()})),
		"attachments":  web.Arr(web.Obj(map[string]any{"name": web.Str(), "title": web.Str(), "content_type": web.Str(), "size": web.Int(), "url": web.Str()})),
		"explanations": web.Arr(web.Obj(map[string]any{"id": web.Int(), "format": web.Str(), "title": web.Str(), "url": web.Str()})),
	})
	kinds := make([]string, 0, len(Kinds))
	for _, k := range Kinds {
		kinds = append(kinds, k.Value)
	}
	input := web.Obj(map[string]any{
		"kind":       map[string]any{"type": "string", "enum": kinds, "description": "Вид акта: код или русское название («Постановление администрации»)"},
		"number":     web.Str(),
		"date":       map[string]any{"type": "string", "format": "date", "description": "Дата подписания, ГГГГ-ММ-ДД"},
		"title":      web.Str(),
		"text":       map[string]any{"type": "string", "description": "Текст акта в Markdown"},
		"status":     map[string]any{"type": "string", "enum": []string{StatusDraft, StatusInForce, StatusAmended, StatusRepealed}, "description": "Статус: код или русское название («утратил силу»)"},
		"spheres":    map[string]any{"type": "array", "items": web.Str(), "description": "Коды сфер муниципального образования"},
		"department": map[string]any{"type": "string", "description": "Код подразделения-разработчика; по умолчанию подразделение владельца токена"},
		"published":  map[string]any{"type": "boolean", "description": "Опубликовать на портале; проект опубликовать нельзя"},
	})
	filters := []map[string]any{
		web.QueryParam("kind", "Вид акта (код)", false), web.QueryParam("year", "Год подписания", false),
		web.QueryParam("status", "Статус (код)", false), web.QueryParam("sphere", "Сфера (код)", false),
		web.QueryParam("page", "Страница, с 1", false), web.QueryParam("per_page", "Актов на странице, до 100", false),
		web.QueryParam("published", "Только для сотрудников: true или false", false),
	}
	a.API.Add("GET", "/api/v1/acts", web.Operation{Summary: "Реестр муниципальных правовых актов", Tags: []string{"acts"}, Parameters: filters,
		Response: web.Obj(map[string]any{"total": web.Int(), "page": web.Int(), "per_page": web.Int(), "pages": web.Int(), "acts": web.Arr(actSchema)})})
	a.API.Add("GET", "/api/v1/acts/{id}", web.Operation{Summary: "Правовой акт с текстом, связями, файлами и пояснениями", Tags: []string{"acts"},
		Parameters: []map[string]any{web.PathParam("id", "Номер акта в реестре портала")}, Response: actSchema})
	a.API.Add("POST", "/api/v1/acts", web.Operation{Summary: "Добавить акт (для систем документооборота; токен юриста, редактора или администратора)", Tags: []string{"acts"}, Auth: true,
		RequestBody: withRequired(input, "kind", "number", "date", "title", "status"), Response: actSchema, Status: http.StatusCreated})
	a.API.Add("PATCH", "/api/v1/acts/{id}", web.Operation{Summary: "Изменить указанные поля акта", Tags: []string{"acts"}, Auth: true,
		Parameters: []map[string]any{web.PathParam("id", "Номер акта в реестре портала")}, RequestBody: input, Response: actSchema})
	a.API.Add("POST", "/api/v1/acts/{id}", web.Operation{Summary: "То же, что PATCH, для систем, которые не умеют отправлять PATCH", Tags: []string{"acts"}, Auth: true,
		Parameters: []map[string]any{web.PathParam("id", "Номер акта в реестре портала")}, RequestBody: input, Response: actSchema})
}

func withRequired(o map[string]any, fields ...string) map[string]any {
	c := map[string]any{}
	for k, v := range o {
		c[k] = v
	}
	c["required"] = fields
	return c
}
