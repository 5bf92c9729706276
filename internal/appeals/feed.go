package appeals

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/glasnost/glasnost/internal/web"
)

// Published reports are offered to machines as an Atom feed and as JSON,
// like everything else the portal publishes. Both hold aggregates only.

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID      string     `xml:"id"`
	Title   string     `xml:"title"`
	Updated string     `xml:"updated"`
	Links   []atomLink `xml:"link"`
	Summary string     `xml:"summary"`
}

func (a *Area) reportsFeed(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	list, _, err := a.store.Reports(r.Context(), m.ID, true, 50, 0)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	base := a.Mailer.BaseURL
	f := atomFeed{ID: base + "/appeals/reports", Title: "Отчёты об обращениях граждан — " + m.Name, Author: atomPerson{Name: m.Name},
		Links: []atomLink{{Href: base + "/appeals/reports/feed.atom", Rel: "self", Type: "application/atom+xml"}, {Href: base + "/appeals/reports", Rel: "alternate", Type: "text/html"}}}
	updated := time.Unix(0, 0).UTC()
	for _, sr := range list {
		href := base + "/appeals/reports/" + strconv.FormatInt(sr.ID, 10)
		if sr.PublishedAt.After(updated) {
			updated = sr.PublishedAt
		}
		f.Entries = append(f.Entries, atomEntry{ID: href, Title: sr.Title, Updated: sr.PublishedAt.UTC().Format(time.RFC3339),
			Links: []atomLink{{Href: href, Rel: "alternate", Type: "text/html"}}, Summary: fmt.Sprintf("Период: %s — %s.", sr.From.Russian(), sr.To.Russian())})
	}
	f.Updated = updated.Format(time.RFC3339)
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	if err := xml.NewEncoder(w).Encode(f); err != nil {
		a.Errors.Log.ErrorContext(r.Context(), "write appeals reports feed", "err", err)
	}
}

// reportsFeedLink advertises the feed in a page's head.
var reportsFeedLink = web.Feed{Title: "Отчёты об обращениях граждан", Href: "/appeals/reports/feed.atom"}

// apiReport is a published report for machines.
type apiReport struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	From        string    `json:"from"`
	To          string    `json:"to"`
	PublishedAt time.Time `json:"published_at"`
	URL         string    `json:"url"`
	Data        *Report   `json:"data,omitempty"`
}

func toAPIReport(sr StoredReport, withData bool) apiReport {
	out := apiReport{ID: sr.ID, Title: sr.Title, From: sr.From.String(), To: sr.To.String(), PublishedAt: sr.PublishedAt, URL: "/appeals/reports/" + strconv.FormatInt(sr.ID, 10)}
	if withData {
		d := sr.Data
		out.Data = &d
	}
	return out
}

func (a *Area) apiReports(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	p := web.NewPager(r.URL, 50)
	list, total, err := a.store.Reports(r.Context(), m.ID, true, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	out := []apiReport{}
	for _, sr := range list {
		out = append(out, toAPIReport(sr, false))
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"reports": out, "total": total, "page": p.Page, "pages": p.Pages})
}

func (a *Area) apiReport(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		a.Errors.Render(w, r, web.ErrNotFound)
		return
	}
	sr, err := a.store.ReportByID(r.Context(), a.DB, m.ID, id)
	if err == nil && !sr.Published() {
		err = web.ErrNotFound
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, toAPIReport(sr, true))
}

func (a *Area) apiCounter(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	today := a.Today(m)
	c, err := a.store.Count(r.Context(), m.ID, today)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{
		"date":  today.String(),
		"year":  map[string]int{"received": c.YearReceived, "answered": c.YearAnswered, "in_progress": c.YearInProgress},
		"month": map[string]int{"received": c.MonthReceived, "answered": c.MonthAnswered, "in_progress": c.MonthInProgress},
	})
}

func (a *Area) mountPublicAPI(rt *web.Router) {
	rt.HandleFunc("GET /appeals/reports/feed.atom", web.Public(), a.reportsFeed)
	// The old address (before one naming scheme for feeds) answers 301.
	rt.Moved("/appeals/reports.atom", "/appeals/reports/feed.atom")
	rt.HandleFunc("GET /api/v1/appeals/counter", web.Public(), a.apiCounter)
	rt.HandleFunc("GET /api/v1/appeals/reports", web.Public(), a.apiReports)
	rt.HandleFunc("GET /api/v1/appeals/reports/{id}", web.Public(), a.apiReport)
	n := map[string]any{"received": web.Int(), "answered": web.Int(), "in_progress": web.Int()}
	a.API.Add("GET", "/api/v1/appeals/counter", web.Operation{Summary: "Счётчик обращений за текущий год и месяц (в соответствии с Указом Президента РФ от 17.04.2017 № 171)", Tags: []string{"appeals"},
		Response: web.Obj(map[string]any{"date": dateSchema(), "year": web.Obj(n), "month": web.Obj(n)})})
	item := map[string]any{"id": web.Int(), "title": web.Str(), "from": dateSchema(), "to": dateSchema(), "published_at": map[string]any{"type": "string", "format": "date-time"}, "url": web.Str()}
	a.API.Add("GET", "/api/v1/appeals/reports", web.Operation{Summary: "Опубликованные аналитические отчёты об обращениях", Tags: []string{"appeals"},
		Parameters: []map[string]any{web.QueryParam("page", "Номер страницы", false)},
		Response:   web.Obj(map[string]any{"reports": web.Arr(web.Obj(item)), "total": web.Int(), "page": web.Int(), "pages": web.Int()})})
	row := web.Obj(map[string]any{"key": web.Str(), "label": web.Str(), "count": web.Int(), "prev": web.Int()})
	data := map[string]any{"from": dateSchema(), "to": dateSchema(), "prev_from": dateSchema(), "prev_to": dateSchema(), "total": web.Int(), "prev_total": web.Int(),
		"answered": web.Int(), "answered_late": web.Int(), "pending": web.Int(), "overdue": web.Int(), "collective": web.Int(), "repeated": web.Int(),
		"by_channel": web.Arr(row), "by_kind": web.Arr(row), "by_section": web.Arr(row), "by_topic": web.Arr(row), "by_department": web.Arr(row), "by_result": web.Arr(row)}
	// The Decree No. 171 breakdowns and the personal receptions (counts only).
	data["by_subject"], data["by_question"], data["by_source"] = web.Arr(row), web.Arr(row), web.Arr(row)
	data["receptions"] = web.Obj(map[string]any{"held": web.Int(), "citizens": web.Int(), "questions": web.Int(),
		"prev_held": web.Int(), "prev_citizens": web.Int(), "prev_questions": web.Int(), "by_official": web.Arr(row)})
	data["receptions_counted"] = web.Bool()
	withData := map[string]any{}
	for k, v := range item {
		withData[k] = v
	}
	withData["data"] = web.Obj(data)
	a.API.Add("GET", "/api/v1/appeals/reports/{id}", web.Operation{Summary: "Опубликованный отчёт: агрегированные данные без персональных сведений", Tags: []string{"appeals"},
		Parameters: []map[string]any{web.PathParam("id", "Номер отчёта")}, Response: web.Obj(withData)})
}
