package roadmap

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/web"
)

// planList is the page of plans, newest first, for the public list and
// the staff's list alike; only the template and the title differ.
func (a *Area) planList(page, title string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m := web.Municipality(r)
		p := web.NewPager(r.URL, 20)
		plans, total, err := a.Store.List(r.Context(), m.ID, p.PerPage, p.Offset())
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		p.SetTotal(total)
		a.Renderer.Page(w, r, http.StatusOK, page, title, map[string]any{"Plans": plans, "Pager": p})
	}
}

func (a *Area) show(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	p, today, err := a.progress(r.Context(), m, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "roadmap/show", p.Title, map[string]any{"Plan": p, "Today": today, "Statuses": Statuses})
}

// exportName is the file name of an export: the plan's id and the day.
func exportName(p Plan, today time.Time, ext string) string {
	return fmt.Sprintf("roadmap-%d-%s.%s", p.ID, today.Format("2006-01-02"), ext)
}

// attachment sets the headers of a download; the Russian name goes in filename*.
func attachment(w http.ResponseWriter, contentType, name string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", "attachment; filename=\""+name+"\"; filename*=UTF-8''"+url.PathEscape(name))
}

func (a *Area) exportXLSX(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p, today, err := a.progress(r.Context(), web.Municipality(r), id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, p, today); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	attachment(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exportName(p, today, "xlsx"))
	_, _ = buf.WriteTo(w)
}

func (a *Area) exportPDF(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	p, today, err := a.progress(r.Context(), m, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := WritePDF(&buf, p, m.Name, today); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	attachment(w, "application/pdf", exportName(p, today, "pdf"))
	_, _ = buf.WriteTo(w)
}

// assessmentRow is one mechanism's self-assessment history for the page.
type assessmentRow struct {
	Mechanism PlanMechanism
	ByYear    map[int]Assessment
}

// assessmentTable arranges a plan's assessments by mechanism and year.
func assessmentTable(p Plan, as []Assessment) ([]assessmentRow, []int) {
	byMech := map[int64]map[int]Assessment{}
	yearSet := map[int]bool{}
	for _, x := range as {
		if byMech[x.MechanismID] == nil {
			byMech[x.MechanismID] = map[int]Assessment{}
		}
		byMech[x.MechanismID][x.Year] = x
		yearSet[x.Year] = true
	}
	var years []int
	for y := range yearSet {
		years = append(years, y)
	}
	slices.Sort(years)
	var rows []assessmentRow
	for _, m := range p.Mechanisms {
		rows = append(rows, assessmentRow{Mechanism: m, ByYear: byMech[m.ID]})
	}
	return rows, years
}

func (a *Area) assessment(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	p, err := a.Store.Get(r.Context(), m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	as, err := a.Store.Assessments(r.Context(), m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	crit, err := a.Store.Criteria(r.Context(), m.ID, true)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	rows, years := assessmentTable(p, as)
	a.Renderer.Page(w, r, http.StatusOK, "roadmap/assessment", "Самооценка открытости", map[string]any{
		"Plan": p, "Rows": rows, "Years": years, "Criteria": crit, "Assessments": as})
}

// The JSON shapes of the API.
type apiPlan struct {
	ID           int64          `json:"id"`
	Title        string         `json:"title"`
	ApprovingAct string         `json:"approving_act"`
	PeriodFrom   string         `json:"period_from,omitempty"`
	PeriodTo     string         `json:"period_to,omitempty"`
	URL          string         `json:"url"`
	AsOf         string         `json:"as_of,omitempty"`
	Progress     map[string]int `json:"progress,omitempty"`
	Mechanisms   []apiMechanism `json:"mechanisms,omitempty"`
}

type apiMechanism struct {
	Number   int          `json:"number"`
	Title    string       `json:"title"`
	Measures []apiMeasure `json:"measures"`
}

type apiMeasure struct {
	Number         string            `json:"number"`
	Text           string            `json:"text"`
	ExpectedResult string            `json:"expected_result"`
	Indicator      *summaryIndicator `json:"indicator"`
	Schedule       summarySchedule   `json:"schedule"`
	Responsible    []apiUnit         `json:"responsible"`
	Status         Status            `json:"status"`
	StatusLabel    string            `json:"status_label"`
	Late           bool              `json:"late,omitempty"`
	Required       int               `json:"required"`
	Compliance     *float64          `json:"compliance,omitempty"`
	Periods        []apiPeriod       `json:"periods,omitempty"`
	Evidence       []apiEvidence     `json:"evidence"`
}

type apiUnit struct {
	Name       string `json:"name"`
	Department string `json:"department,omitempty"`
}

type apiPeriod struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Count  int    `json:"count"`
	Status Status `json:"status"`
}

type apiEvidence struct {
	Title  string      `json:"title"`
	URL    string      `json:"url"`
	Date   string      `json:"date"`
	Source string      `json:"source"` // "event" or "link"
	Kind   events.Kind `json:"kind,omitempty"`
}

func apiHead(p Plan) apiPlan {
	return apiPlan{ID: p.ID, Title: p.Title, ApprovingAct: p.ApprovingAct, PeriodFrom: dateString(p.PeriodFrom), PeriodTo: dateString(p.PeriodTo),
		URL: "/roadmap/" + strconv.FormatInt(p.ID, 10)}
}

// APIPlan is the full JSON of a plan with its progress.
func APIPlan(p Plan, today time.Time) apiPlan {
	out := apiHead(p)
	out.AsOf = dateString(today)
	out.Progress = map[string]int{"total": p.Tally.Total}
	for _, s := range Statuses {
		out.Progress[string(s)] = p.Tally.Counts[s]
	}
	for _, m := range p.Mechanisms {
		am := apiMechanism{Number: m.Number, Title: m.Title, Measures: []apiMeasure{}}
		for _, ms := range m.Measures {
			x := apiMeasure{Number: ms.Number, Text: ms.Text, ExpectedResult: ms.ExpectedResult, Status: ms.Progress.Status, StatusLabel: ms.Progress.Status.Label(),
				Late: ms.Progress.Late, Required: ms.Progress.Required, Responsible: []apiUnit{}, Evidence: []apiEvidence{},
				Schedule: summarySchedule{Kind: ms.Schedule.Kind, From: dateString(ms.Schedule.From), To: dateString(ms.Schedule.To), Every: ms.Schedule.Every, Text: ms.Schedule.Text}}
			if ind := ms.Indicator; ind != nil {
				x.Indicator = &summaryIndicator{Kind: ind.Kind, Target: ind.Target, Limit: ind.Limit}
			}
			if ms.Progress.Compliance >= 0 {
				c := ms.Progress.Compliance
				x.Compliance = &c
			}
			for _, w := range ms.Progress.Periods {
				x.Periods = append(x.Periods, apiPeriod{From: dateString(w.From), To: dateString(w.To), Count: w.Count, Status: w.Status})
			}
			for _, u := range ms.Units {
				x.Responsible = append(x.Responsible, apiUnit{Name: u.Name, Department: u.Department})
			}
			for _, e := range ms.Evidence {
				src := "event"
				if e.Manual() {
					src = "link"
				}
				x.Evidence = append(x.Evidence, apiEvidence{Title: e.Title, URL: e.URL, Date: dateString(e.On), Source: src, Kind: e.Kind})
			}
			am.Measures = append(am.Measures, x)
		}
		out.Mechanisms = append(out.Mechanisms, am)
	}
	return out
}

func (a *Area) apiList(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	p := web.NewPager(r.URL, 50)
	plans, total, err := a.Store.List(r.Context(), m.ID, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	items := []apiPlan{}
	for _, pl := range plans {
		items = append(items, apiHead(pl))
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "total": total, "page": p.Page, "per_page": p.PerPage})
}

func (a *Area) apiGet(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p, today, err := a.progress(r.Context(), web.Municipality(r), id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, APIPlan(p, today))
}

func (a *Area) describeAPI() {
	if a.API == nil {
		return
	}
	head := map[string]any{"id": web.Int(), "title": web.Str(), "approving_act": web.Str(), "period_from": web.Str(), "period_to": web.Str(), "url": web.Str()}
	a.API.Add("GET", "/api/v1/roadmaps", web.Operation{Summary: "Дорожные карты открытости", Tags: []string{"roadmap"},
		Parameters: []map[string]any{web.QueryParam("page", "Номер страницы (по 50 карт)", false)},
		Response:   web.Obj(map[string]any{"items": web.Arr(web.Obj(head)), "total": web.Int(), "page": web.Int(), "per_page": web.Int()})})
	var names []string
	progress := map[string]any{"total": web.Int()}
	for _, st := range Statuses {
		names = append(names, string(st))
		progress[string(st)] = web.Int()
	}
	status := map[string]any{"type": "string", "enum": names,
		"description": "done — выполнено, progress — в работе, pending — срок не наступил, overdue — просрочено, notool — в портале пока нет инструмента, nodata — нет сведений об исполнении (план внесён после окончания периода)"}
	measure := web.Obj(map[string]any{
		"number": web.Str(), "text": web.Str(), "expected_result": web.Str(),
		"indicator":    map[string]any{"type": "object", "nullable": true, "properties": map[string]any{"kind": web.Str(), "target": web.Int(), "limit": web.Bool()}},
		"schedule":     web.Obj(map[string]any{"kind": web.Str(), "from": web.Str(), "to": web.Str(), "every": web.Str(), "text": web.Str()}),
		"responsible":  web.Arr(web.Obj(map[string]any{"name": web.Str(), "department": web.Str()})),
		"status":       status,
		"status_label": web.Str(), "late": web.Bool(), "required": web.Int(),
		"compliance": map[string]any{"type": "number", "description": "Доля исполненных периодов (0–1) для повторяющихся мероприятий"},
		"periods":    web.Arr(web.Obj(map[string]any{"from": web.Str(), "to": web.Str(), "count": web.Int(), "status": status})),
		"evidence":   web.Arr(web.Obj(map[string]any{"title": web.Str(), "url": web.Str(), "date": web.Str(), "source": web.Str(), "kind": web.Str()})),
	})
	full := map[string]any{}
	for k, v := range head {
		full[k] = v
	}
	full["as_of"] = web.Str()
	full["progress"] = web.Obj(progress)
	full["mechanisms"] = web.Arr(web.Obj(map[string]any{"number": web.Int(), "title": web.Str(), "measures": web.Arr(measure)}))
	a.API.Add("GET", "/api/v1/roadmaps/{id}", web.Operation{Summary: "Дорожная карта: механизмы, мероприятия, статусы и подтверждения исполнения", Tags: []string{"roadmap"},
		Parameters: []map[string]any{web.PathParam("id", "Идентификатор дорожной карты")}, Response: web.Obj(full)})
}
