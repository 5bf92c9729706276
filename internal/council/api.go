package council

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/glasnost/glasnost/internal/web"
)

type apiMember struct {
	Name       string `json:"name"`
	Position   string `json:"position"`
	Represents string `json:"represents"`
	TermFrom   string `json:"term_from,omitempty"`
	TermTo     string `json:"term_to,omitempty"`
}

type apiPlanItem struct {
	Quarter int    `json:"quarter"`
	Title   string `json:"title"`
	Member  string `json:"member,omitempty"`
	Status  string `json:"status"`
	Reason  string `json:"reason,omitempty"`
	Link    string `json:"link,omitempty"`
}

type apiMeeting struct {
	ID         int64  `json:"id"`
	Kind       string `json:"kind"`
	Title      string `json:"title"`
	StartsAt   string `json:"starts_at"`
	Place      string `json:"place"`
	Agenda     string `json:"agenda,omitempty"`
	VideoURL   string `json:"video_url,omitempty"`
	Open       bool   `json:"open"`
	Capacity   int    `json:"capacity"`
	Free       int    `json:"free"`
	Minutes    string `json:"minutes,omitempty"`
	URL        string `json:"url"`
	Registered int    `json:"registered"`
}

func toAPIMeeting(m Meeting) apiMeeting {
	return apiMeeting{ID: m.ID, Kind: m.Kind, Title: m.Title, StartsAt: m.StartsAt.UTC().Format("2006-01-02T15:04:05Z"), Place: m.Place, Agenda: m.Agenda,
		VideoURL: m.VideoURL, Open: m.Open, Capacity: m.Capacity, Free: m.Free(), Registered: m.Registered, Minutes: m.Minutes, URL: m.Path()}
}

func (a *Area) apiCouncil(w http.ResponseWriter, r *http.Request) {
	o, err := a.overview(r, web.Municipality(r), 50, 0)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	out := map[string]any{"composition": []apiMember{}, "plan": []apiPlanItem{}, "meetings": []apiMeeting{}, "year": o.Year}
	if o.Current != nil {
		ms := []apiMember{}
		for _, m := range o.Current.Members {
			ms = append(ms, apiMember{Name: m.FullName, Position: m.Position, Represents: m.Represents, TermFrom: m.TermFrom, TermTo: m.TermTo})
		}
		out["composition"] = ms
	}
	if o.Plan != nil {
		items := []apiPlanItem{}
		for _, it := range o.Plan.Items {
			items = append(items, apiPlanItem{Quarter: it.Quarter, Title: it.Title, Member: it.Member, Status: it.Status, Reason: it.Reason, Link: it.Link})
		}
		out["plan"] = items
	}
	ms := []apiMeeting{}
	for _, m := range o.Meetings {
		ms = append(ms, toAPIMeeting(m))
	}
	out["meetings"] = ms
	web.WriteJSON(w, http.StatusOK, out)
}

func (a *Area) apiMeeting(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m, err := a.Store.Meeting(r.Context(), a.DB, web.Municipality(r).ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, toAPIMeeting(m))
}

func (a *Area) apiCreateMeeting(w http.ResponseWriter, r *http.Request) {
	var in MeetingInput
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		a.Errors.Render(w, r, web.Invalid("Тело запроса — JSON-объект с полями kind, title, starts_at, place, capacity, open."))
		return
	}
	mt, errs := in.validate(web.Municipality(r).Location)
	if len(errs) > 0 {
		web.APIFieldError(w, errs)
		return
	}
	id, err := a.saveMeeting(r, mt)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, map[string]any{"id": id, "url": fmt.Sprintf("/council/meetings/%d", id)})
}

func (a *Area) apiRegister(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var in struct {
		Kind   string `json:"kind"`
		Outlet string `json:"outlet"`
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		a.Errors.Render(w, r, web.Invalid("Тело запроса — JSON-объект (можно пустой: {})."))
		return
	}
	kind, msg := a.checkKind(r, web.ViewerFrom(r.Context()), in.Kind, in.Outlet)
	if msg != "" {
		a.Errors.Render(w, r, web.Invalid(msg))
		return
	}
	regID, mt, err := a.doRegister(r, id, kind, in.Outlet)
	if err != nil {
		switch {
		case errors.Is(err, ErrFull):
			web.WriteJSON(w, http.StatusConflict, map[string]any{"error": "full", "message": registrationError(err)})
		case errors.Is(err, ErrAlready):
			web.WriteJSON(w, http.StatusConflict, map[string]any{"error": "already_registered", "message": registrationError(err)})
		case errors.Is(err, ErrClosed):
			web.WriteJSON(w, http.StatusConflict, map[string]any{"error": "closed", "message": registrationError(err)})
		default:
			a.Errors.Render(w, r, err)
		}
		return
	}
	web.WriteJSON(w, http.StatusCreated, map[string]any{"id": regID, "meeting_id": id, "kind": kind, "outlet": in.Outlet, "free": mt.Free()})
}

func (a *Area) describeAPI() {
	if a.API == nil {
		return
	}
	member := web.Obj(map[string]any{"name": web.Str(), "position": web.Str(), "represents": web.Str(), "term_from": web.Str(), "term_to": web.Str()})
	item := web.Obj(map[string]any{"quarter": web.Int(), "title": web.Str(), "member": web.Str(), "status": web.Str(), "reason": web.Str(), "link": web.Str()})
	meeting := web.Obj(map[string]any{"id": web.Int(), "kind": web.Str(), "title": web.Str(), "starts_at": web.Str(), "place": web.Str(), "agenda": web.Str(),
		"video_url": web.Str(), "open": web.Bool(), "capacity": web.Int(), "free": web.Int(), "registered": web.Int(), "minutes": web.Str(), "url": web.Str()})
	tags := []string{"Общественный совет"}
	a.API.Add("GET", "/api/v1/council", web.Operation{Summary: "Общественный совет: текущий состав, план на текущий год, заседания", Tags: tags,
		Response: web.Obj(map[string]any{"year": web.Int(), "composition": web.Arr(member), "plan": web.Arr(item), "meetings": web.Arr(meeting)})})
	a.API.Add("GET", "/api/v1/council/meetings/{id}", web.Operation{Summary: "Заседание общественного совета", Tags: tags,
		Parameters: []map[string]any{web.PathParam("id", "Номер заседания")}, Response: meeting})
	a.API.Add("POST", "/api/v1/council/meetings", web.Operation{Summary: "Назначить заседание (администратор, редактор)", Tags: tags, Auth: true, Status: http.StatusCreated,
		RequestBody: web.Obj(map[string]any{"kind": web.Str(), "title": web.Str(), "starts_at": web.Str(), "place": web.Str(), "capacity": web.Int(), "open": web.Bool()}, "kind", "title", "starts_at"),
		Response:    web.Obj(map[string]any{"id": web.Int(), "url": web.Str()})})
	a.API.Add("POST", "/api/v1/council/meetings/{id}/registrations", web.Operation{Summary: "Зарегистрироваться на открытое заседание (409 — мест нет или уже зарегистрирован)", Tags: tags, Auth: true,
		Status: http.StatusCreated, Parameters: []map[string]any{web.PathParam("id", "Номер заседания")},
		RequestBody: web.Obj(map[string]any{"kind": web.Str(), "outlet": web.Str()}),
		Response:    web.Obj(map[string]any{"id": web.Int(), "meeting_id": web.Int(), "kind": web.Str(), "outlet": web.Str(), "free": web.Int()})})
}
