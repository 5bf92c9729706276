package consult

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/web"
)

// APIDoc is set by the wiring so that each endpoint is described.
func (a *Area) describeAPI(doc *web.APIDoc) {
	tags := []string{"consultations"}
	id := web.PathParam("id", "Номер обсуждения")
	item := web.Obj(map[string]any{"id": web.Int(), "kind": web.Str(), "kind_label": web.Str(), "title": web.Str(), "stage": web.Str(), "stage_label": web.Str(), "until": web.Str(), "url": web.Str()})
	doc.Add("GET", "/api/v1/consultations", web.Operation{Summary: "Опубликованные обсуждения", Tags: tags,
		Parameters: []map[string]any{web.QueryParam("kind", "Вид: discussion, declaration, expertise, urban, proposals", false), web.QueryParam("page", "Страница", false)},
		Response:   web.Obj(map[string]any{"items": web.Arr(item), "total": web.Int(), "page": web.Int(), "pages": web.Int()})})
	comment := web.Obj(map[string]any{"number": web.Int(), "receipt": web.Str(), "author": web.Str(), "point": web.Str(), "point_label": web.Str(), "quote": web.Str(), "text": web.Str(), "decision": web.Str(), "decision_label": web.Str(), "reason": web.Str()})
	doc.Add("GET", "/api/v1/consultations/{id}", web.Operation{Summary: "Обсуждение: этапы, редакции проекта и замечания с ответами", Tags: tags,
		Parameters: []map[string]any{id, web.QueryParam("page", "Страница замечаний (по 100)", false)},
		Response: web.Obj(map[string]any{"id": web.Int(), "kind": web.Str(), "title": web.Str(), "summary": web.Str(), "stage": web.Str(), "url": web.Str(),
			"stages":   web.Arr(web.Obj(map[string]any{"stage": web.Str(), "label": web.Str(), "starts": web.Str(), "ends": web.Str()})),
			"versions": web.Arr(web.Obj(map[string]any{"number": web.Int(), "final": web.Bool(), "note": web.Str(), "text": web.Str(), "created_at": web.Str()})),
			"comments": web.Arr(comment), "comments_total": web.Int(), "results_published": web.Bool(), "conclusion": web.Str()})})
	doc.Add("GET", "/api/v1/consultations/{id}/summary.xlsx", web.Operation{Summary: "Сводка предложений (XLSX)", Tags: tags, Parameters: []map[string]any{id},
		ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
	doc.Add("GET", "/api/v1/consultations/{id}/summary.pdf", web.Operation{Summary: "Сводка предложений (PDF)", Tags: tags, Parameters: []map[string]any{id}, ContentType: "application/pdf"})
	doc.Add("POST", "/api/v1/consultations/{id}/comments", web.Operation{Summary: "Направить замечание или предложение", Tags: tags, Parameters: []map[string]any{id}, Status: http.StatusCreated,
		RequestBody: web.Obj(map[string]any{"text": web.Str(), "point": web.Str(), "quote": web.Str(), "author_kind": web.Str(), "author_name": web.Str(), "organisation": web.Str(), "email": web.Str(), "consent": web.Bool()}, "text"),
		Response:    web.Obj(map[string]any{"receipt": web.Str(), "status": web.Str()})})
	doc.Add("POST", "/api/v1/consultations/{id}/comments/{comment}/answer", web.Operation{Summary: "Ответ разработчика на замечание", Tags: tags, Auth: true,
		Parameters:  []map[string]any{id, web.PathParam("comment", "Номер замечания")},
		RequestBody: web.Obj(map[string]any{"decision": map[string]any{"type": "string", "enum": []string{"accepted", "partly", "rejected", "noted"}}, "reason": web.Str()}, "decision", "reason"),
		Response:    comment})
	doc.Add("POST", "/api/v1/consultations/{id}/stage", web.Operation{Summary: "Перевести обсуждение на этап", Tags: tags, Auth: true, Parameters: []map[string]any{id},
		RequestBody: web.Obj(map[string]any{"stage": map[string]any{"type": "string", "enum": []string{"proposals", "published", "discussion", "summary", "approval", "final"}},
			"early_reason": map[string]any{"type": "string", "maxLength": 2000, "description": "required to end the acceptance of comments before its announced end; published in the summary"}}, "stage"),
		Response: item})
	doc.Add("POST", "/api/v1/wording-check", web.Operation{Summary: "Проверка формулировок проекта акта на признаки коррупциогенных факторов", Tags: tags,
		RequestBody: web.Obj(map[string]any{"text": web.Str()}, "text"),
		Response: web.Obj(map[string]any{"findings": web.Arr(web.Obj(map[string]any{"factor": web.Str(), "rule": web.Str(), "excerpt": web.Str(),
			"start": web.Int(), "end": web.Int(), "advice": web.Str()}))})})
}

func (a *Area) mountAPI(rt *web.Router) {
	staff := web.Roles(staffRoles...)
	rt.HandleFunc("GET /api/v1/consultations", web.Public(), a.apiList)
	rt.HandleFunc("GET /api/v1/consultations/{id}", web.Public(), a.apiGet)
	rt.HandleFunc("GET /api/v1/consultations/{id}/summary.xlsx", web.Public(), a.exportXLSX)
	rt.HandleFunc("GET /api/v1/consultations/{id}/summary.pdf", web.Public(), a.exportPDF)
	rt.Handle("POST /api/v1/consultations/{id}/comments", web.Public(), a.commentLimit.Limit(a.Errors, http.HandlerFunc(a.apiComment)))
	rt.HandleFunc("POST /api/v1/consultations/{id}/comments/{comment}/answer", staff, a.apiAnswer)
	rt.HandleFunc("POST /api/v1/consultations/{id}/stage", staff, a.apiStage)
	rt.Handle("POST /api/v1/wording-check", web.Public(), a.checkLimit.Limit(a.Errors, http.HandlerFunc(a.apiWording)))
}

func (a *Area) apiItem(c Consultation) map[string]any {
	return map[string]any{"id": c.ID, "kind": c.Kind, "kind_label": a.Procedures.Label(c.Kind), "title": c.Title, "stage": c.Stage,
		"stage_label": c.Stage.Label(c.Kind), "until": dateOrEmpty(c.Until()), "url": c.URL()}
}

func dateOrEmpty(d interface {
	IsZero() bool
	String() string
}) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func apiComment(c Comment) map[string]any {
	return map[string]any{"number": c.Number, "receipt": c.Receipt, "author": c.Author(), "point": c.Point, "point_label": c.PointLabel, "quote": c.Quote,
		"text": c.Body, "decision": c.Decision, "decision_label": c.Decision.Label(), "reason": c.DecisionReason}
}

func (a *Area) apiList(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	f := Filter{PublicOnly: true, Kind: Kind(r.URL.Query().Get("kind"))}
	if _, ok := a.Procedures[f.Kind]; !ok {
		f.Kind = ""
	}
	p := web.NewPager(r.URL, 50)
	cs, total, err := a.Store.List(r.Context(), m.ID, f, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	items := []map[string]any{}
	for _, c := range cs {
		items = append(items, a.apiItem(c))
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "total": total, "page": p.Page, "pages": p.Pages})
}

func (a *Area) apiGet(w http.ResponseWriter, r *http.Request) {
	c, err := a.load(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	vs, err := a.Store.Versions(r.Context(), a.DB, c.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p := web.NewPager(r.URL, 100)
	cms, total, err := a.Store.Comments(r.Context(), c.ID, CommentFilter{Statuses: []string{StatusPublished}}, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	out := a.apiItem(c)
	out["summary"] = c.Summary
	stages := []map[string]any{}
	for _, s := range c.Periods {
		stages = append(stages, map[string]any{"stage": s.Stage, "label": s.Stage.Label(c.Kind), "starts": s.Starts.String(), "ends": dateOrEmpty(s.Ends)})
	}
	versions := []map[string]any{}
	for _, v := range vs {
		versions = append(versions, map[string]any{"number": v.Number, "final": v.Final, "note": v.Note, "text": v.Body, "created_at": v.CreatedAt.UTC()})
	}
	// Answered comments are the public record; those still awaiting an
	// answer are listed too, with an empty decision.
	comments := []map[string]any{}
	for _, cm := range cms {
		comments = append(comments, apiComment(cm))
	}
	out["stages"], out["versions"], out["comments"], out["comments_total"] = stages, versions, comments, total
	out["results_published"] = !c.ResultsPublishedAt.IsZero()
	if !c.ResultsPublishedAt.IsZero() {
		t, err := a.tally(r.Context(), c.ID)
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		out["conclusion"] = ConclusionText(c, a.Procedures.Label(c.Kind), t)
	}
	web.WriteJSON(w, http.StatusOK, out)
}

func decodeJSON(r *http.Request, w http.ResponseWriter, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		return web.Invalid("Тело запроса должно быть объектом JSON.")
	}
	return nil
}

func (a *Area) apiComment(w http.ResponseWriter, r *http.Request) {
	c, err := a.load(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var in CommentInput
	if err := decodeJSON(r, w, &in); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	cm, errs, err := a.submitComment(r.Context(), c, web.ViewerFrom(r.Context()), in)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if len(errs) > 0 {
		if _, ok := errs["text"]; !ok {
			if msg, ok := errs["body"]; ok {
				errs["text"] = msg
				delete(errs, "body")
			}
		}
		web.APIFieldError(w, errs)
		return
	}
	web.WriteJSON(w, http.StatusCreated, map[string]any{"receipt": cm.Receipt, "status": cm.Status, "status_label": StatusLabel(cm.Status)})
}

func (a *Area) apiAnswer(w http.ResponseWriter, r *http.Request) {
	c, err := a.load(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	cid, err := strconv.ParseInt(r.PathValue("comment"), 10, 64)
	if err != nil {
		a.Errors.Render(w, r, web.ErrNotFound)
		return
	}
	var in struct {
		Decision Decision `json:"decision"`
		Reason   string   `json:"reason"`
	}
	if err := decodeJSON(r, w, &in); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	cm, err := a.Store.Comment(r.Context(), a.DB, c.MunicipalityID, cid)
	if err != nil || cm.ConsultationID != c.ID {
		a.Errors.Render(w, r, web.ErrNotFound)
		return
	}
	cm, err = a.answerComment(r.Context(), c.MunicipalityID, cid, in.Decision, in.Reason, audit.FromRequest(r, "", "", "", nil, nil), web.ViewerFrom(r.Context()))
	var ae *answerError
	if errors.As(err, &ae) {
		web.APIFieldError(w, ae.fields)
		return
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, apiComment(cm))
}

func (a *Area) apiStage(w http.ResponseWriter, r *http.Request) {
	c, err := a.load(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if !canManage(web.ViewerFrom(r.Context()), c) {
		a.Errors.Render(w, r, web.ErrForbidden)
		return
	}
	var in struct {
		Stage       Stage  `json:"stage"`
		EarlyReason string `json:"early_reason"`
	}
	if err := decodeJSON(r, w, &in); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if err := a.changeStage(r.Context(), web.Municipality(r), &c, in.Stage, in.EarlyReason, audit.FromRequest(r, "", "", "", nil, nil)); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, a.apiItem(c))
}

// wordingFinding is a finding as the API returns it.
type wordingFinding struct {
	Factor  string `json:"factor"`
	Rule    string `json:"rule"`
	Excerpt string `json:"excerpt"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Advice  string `json:"advice"`
}

func (a *Area) apiWording(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Text string `json:"text"`
	}
	if err := decodeJSON(r, w, &in); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	rules, err := a.wordingRules(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	out := []wordingFinding{}
	for _, f := range CheckWording(in.Text, rules) {
		out = append(out, wordingFinding(f))
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"findings": out})
}
