package council

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/chart"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/feed"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// overview is what /council and the API show.
type overview struct {
	Regulations []Document
	Current     *Composition
	History     []Composition
	Plan        *Plan
	Year        int
	Meetings    []Meeting
	Overdue     []Decision
	Runs        []Run
	Total       int
}

func (a *Area) overview(r *http.Request, m tenant.Municipality, meetings, offset int) (overview, error) {
	ctx := r.Context()
	var o overview
	var err error
	if o.Regulations, err = a.Store.Documents(ctx, m.ID, "regulations"); err != nil {
		return o, err
	}
	comps, err := a.Store.Compositions(ctx, m.ID)
	if err != nil {
		return o, err
	}
	for i := range comps {
		switch {
		case comps[i].Current:
			o.Current = &comps[i]
		case !comps[i].ApprovedAt.IsZero():
			o.History = append(o.History, comps[i])
		}
	}
	o.Year = m.Local(a.DB.Now()).Year()
	if p, err := a.Store.PlanFor(ctx, m.ID, o.Year); err == nil {
		o.Plan = &p
	} else if !errors.Is(err, db.ErrNotFound) {
		return o, err
	}
	if o.Meetings, o.Total, err = a.Store.Meetings(ctx, m.ID, meetings, offset); err != nil {
		return o, err
	}
	if o.Overdue, err = a.Store.Overdue(ctx, m.ID, a.today(m), 50); err != nil {
		return o, err
	}
	o.Runs, err = a.Store.Runs(ctx, m.ID, true)
	return o, err
}

func (a *Area) index(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	p := web.NewPager(r.URL, 20)
	o, err := a.overview(r, m, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(o.Total)
	page := a.Renderer.NewPage(r, "Общественный совет", map[string]any{"O": o, "Today": a.today(m), "Pager": p})
	page.Feeds = councilFeeds
	a.Renderer.Render(w, r, http.StatusOK, "council/index", page)
}

func (a *Area) meetingPage(w http.ResponseWriter, r *http.Request, status int, id int64, form *web.Form) {
	m := web.Municipality(r)
	mt, err := a.Store.Meeting(r.Context(), a.DB, m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	decisions, err := a.Store.Decisions(r.Context(), m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	registered := false
	if v := web.ViewerFrom(r.Context()); v != nil {
		if registered, err = a.Store.IsRegistered(r.Context(), id, v.ID); err != nil {
			a.Errors.Render(w, r, err)
			return
		}
	}
	if form == nil {
		form = web.NewForm(nil)
		form.Values.Set("kind", "resident")
	}
	a.Renderer.Page(w, r, status, "council/meeting", mt.Title, map[string]any{
		"Meeting": mt, "Decisions": decisions, "Registered": registered, "CanRegister": mt.RegistrationOpen(a.DB.Now()),
		"Form": form, "Today": a.today(m),
	})
}

func (a *Area) meeting(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.meetingPage(w, r, http.StatusOK, id, nil)
}

// registrationError is the Russian message for a refused registration.
func registrationError(err error) string {
	switch {
	case errors.Is(err, ErrFull):
		return "Свободных мест не осталось: регистрация закрыта."
	case errors.Is(err, ErrAlready):
		return "Вы уже зарегистрированы на это заседание."
	case errors.Is(err, ErrClosed):
		return "Регистрация на это заседание закрыта."
	}
	return ""
}

// checkKind validates who registers: a resident, a journalist with the
// outlet, or a member of a reference group.
func (a *Area) checkKind(r *http.Request, v *web.Viewer, kind, outlet string) (string, string) {
	switch kind {
	case "", "resident":
		return "resident", ""
	case "journalist":
		if outlet == "" {
			return "", "Укажите средство массовой информации, которое вы представляете."
		}
		return kind, ""
	case "group":
		if dir := a.Portal.Groups(); dir != nil {
			gs, err := dir.GroupsOf(r.Context(), web.Municipality(r).ID, v.ID)
			if err != nil || len(gs) == 0 {
				return "", "Вы не состоите в референтной группе."
			}
		}
		return kind, ""
	}
	return "", "Выберите, в каком качестве вы регистрируетесь."
}

// doRegister takes a place and queues the confirmation in one transaction.
func (a *Area) doRegister(r *http.Request, id int64, kind, outlet string) (int64, Meeting, error) {
	m := web.Municipality(r)
	v := web.ViewerFrom(r.Context())
	var regID int64
	var mt Meeting
	err := a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		var err error
		regID, err = a.Store.Register(r.Context(), tx, m.ID, id, v.ID, kind, outlet, a.DB.Now())
		if err != nil {
			return err
		}
		if mt, err = a.Store.Meeting(r.Context(), tx, m.ID, id); err != nil {
			return err
		}
		if a.Mailer != nil && v.Email != "" {
			return a.Mailer.Queue(r.Context(), tx, v.Email, "council_registered.txt", map[string]any{
				"Municipality": m.Name, "Title": mt.Title, "When": m.Local(mt.StartsAt).Format("02.01.2006 15:04"), "Place": mt.Place, "URL": mt.Path(),
			})
		}
		return nil
	})
	return regID, mt, err
}

func (a *Area) register(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	form, err := web.ParseForm(w, r, 16<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	form.MaxLen("outlet", "СМИ", 200)
	kind, msg := a.checkKind(r, web.ViewerFrom(r.Context()), form.Get("kind"), form.Get("outlet"))
	if msg != "" {
		field := "kind"
		if form.Get("kind") == "journalist" {
			field = "outlet"
		}
		form.Fail(field, msg)
	}
	if !form.Valid() {
		a.meetingPage(w, r, http.StatusUnprocessableEntity, id, form)
		return
	}
	if _, _, err := a.doRegister(r, id, kind, form.Get("outlet")); err != nil {
		if msg := registrationError(err); msg != "" {
			form.Fail("kind", msg)
			a.meetingPage(w, r, http.StatusConflict, id, form)
			return
		}
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Вы зарегистрированы на заседание. "+a.Mailer.Sent("с подтверждением"))
	http.Redirect(w, r, fmt.Sprintf("/council/meetings/%d", id), http.StatusSeeOther)
}

func (a *Area) meetingsFeed(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	ms, _, err := a.Store.Meetings(r.Context(), m.ID, 50, 0)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f := feed.Feed{Title: "Заседания общественного совета — " + m.Name, Path: "/council", SelfPath: "/council/meetings/feed.atom", Author: m.Name}
	for _, mt := range ms {
		f.Entries = append(f.Entries, feed.Entry{Title: mt.Title, Path: mt.Path(),
			Summary: KindLabel(mt.Kind) + " заседание, " + m.Local(mt.StartsAt).Format("02.01.2006 15:04") + ", " + mt.Place,
			Updated: mt.UpdatedAt, Published: mt.UpdatedAt})
	}
	_ = feed.Write(w, feed.Base(r, a.BaseURL), f)
}

func (a *Area) minutesFeed(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	ms, _, err := a.Store.Meetings(r.Context(), m.ID, 100, 0)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f := feed.Feed{Title: "Протоколы общественного совета — " + m.Name, Path: "/council", SelfPath: "/council/minutes/feed.atom", Author: m.Name}
	for _, mt := range ms {
		if mt.MinutesAt.IsZero() {
			continue
		}
		f.Entries = append(f.Entries, feed.Entry{Title: "Протокол: " + mt.Title, Path: mt.Path(), Summary: mt.Minutes, Updated: mt.UpdatedAt, Published: mt.MinutesAt})
	}
	_ = feed.Write(w, feed.Base(r, a.BaseURL), f)
}

// evaluationData loads a published run with its results and the previous
// published run's, for comparison.
func (a *Area) evaluationData(r *http.Request, id int64) (map[string]any, error) {
	m := web.Municipality(r)
	run, err := a.Store.Run(r.Context(), a.DB, m.ID, id)
	if err != nil {
		return nil, err
	}
	if run.Status != "published" {
		return nil, db.ErrNotFound
	}
	meth, err := a.Store.Methodology(r.Context(), a.DB, m.ID, run.MethodologyID)
	if err != nil {
		return nil, err
	}
	results, err := a.Store.Results(r.Context(), m.ID, id)
	if err != nil {
		return nil, err
	}
	var prev *Run
	prevAvg := map[int64]int{}
	runs, err := a.Store.Runs(r.Context(), m.ID, true)
	if err != nil {
		return nil, err
	}
	for i := range runs {
		if runs[i].ID < id {
			prev = &runs[i]
			pr, err := a.Store.Results(r.Context(), m.ID, prev.ID)
			if err != nil {
				return nil, err
			}
			for _, x := range pr {
				prevAvg[x.CriterionID] = x.AverageX100
			}
			break
		}
	}
	bars := make([]chart.Bar, 0, len(results))
	for _, x := range results {
		bars = append(bars, chart.Bar{Label: x.Title, Value: x.AverageX100})
	}
	return map[string]any{"Run": run, "Methodology": meth, "Results": results, "Previous": prev, "PrevAvg": prevAvg,
		"Chart": chart.Bars("council-results", "Средний балл по критериям (сотые доли балла)", bars)}, nil
}

func (a *Area) evaluation(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	data, err := a.evaluationData(r, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "council/evaluation", data["Run"].(Run).Title, data)
}

func (a *Area) cabinet(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	v := web.ViewerFrom(r.Context())
	ms, _, err := a.Store.Meetings(r.Context(), m.ID, 20, 0)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	runs, err := a.Store.Runs(r.Context(), m.ID, false)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	type runState struct {
		Run
		Scored bool
	}
	var open []runState
	for _, run := range runs {
		if run.Status != "open" {
			continue
		}
		done, err := a.Store.HasScored(r.Context(), a.DB, run.ID, v.ID)
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		open = append(open, runState{run, done})
	}
	overdue, err := a.Store.Overdue(r.Context(), m.ID, a.today(m), 50)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	now := a.DB.Now()
	var upcoming, past []Meeting
	for _, mt := range ms {
		if mt.StartsAt.After(now) {
			upcoming = append(upcoming, mt)
		} else {
			past = append(past, mt)
		}
	}
	a.Renderer.Page(w, r, http.StatusOK, "council/cabinet", "Кабинет члена общественного совета", map[string]any{
		"Upcoming": upcoming, "Past": past, "Runs": open, "Overdue": overdue})
}

func (a *Area) scorePage(w http.ResponseWriter, r *http.Request, status int, id int64, form *web.Form) {
	m := web.Municipality(r)
	v := web.ViewerFrom(r.Context())
	run, err := a.Store.Run(r.Context(), a.DB, m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	meth, err := a.Store.Methodology(r.Context(), a.DB, m.ID, run.MethodologyID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	done, err := a.Store.HasScored(r.Context(), a.DB, id, v.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	scale := make([]int, meth.ScaleMax)
	for i := range scale {
		scale[i] = i + 1
	}
	if form == nil {
		form = web.NewForm(nil)
	}
	a.Renderer.Page(w, r, status, "council/score", "Оценка: "+run.Title, map[string]any{"Run": run, "Methodology": meth, "Scored": done, "Scale": scale, "Form": form})
}

func (a *Area) scoreForm(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.scorePage(w, r, http.StatusOK, id, nil)
}

func (a *Area) scoreSave(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	form, err := web.ParseForm(w, r, 64<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	v := web.ViewerFrom(r.Context())
	run, err := a.Store.Run(r.Context(), a.DB, m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	meth, err := a.Store.Methodology(r.Context(), a.DB, m.ID, run.MethodologyID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var scores []Score
	for _, c := range meth.Criteria {
		name := fmt.Sprintf("score-%d", c.ID)
		n, err := strconv.Atoi(form.Get(name))
		if err != nil || n < 1 || n > meth.ScaleMax {
			form.Fail(name, fmt.Sprintf("Поставьте оценку критерию «%s» от 1 до %d.", c.Title, meth.ScaleMax))
			continue
		}
		form.MaxLen(fmt.Sprintf("comment-%d", c.ID), "Комментарий", 2000)
		scores = append(scores, Score{CriterionID: c.ID, Score: n, Comment: form.Get(fmt.Sprintf("comment-%d", c.ID))})
	}
	if !form.Valid() {
		a.scorePage(w, r, http.StatusUnprocessableEntity, id, form)
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		return a.Store.SubmitScores(r.Context(), tx, m.ID, id, v.ID, scores)
	})
	first := "score"
	if len(meth.Criteria) > 0 {
		first = fmt.Sprintf("score-%d", meth.Criteria[0].ID)
	}
	switch {
	case errors.Is(err, ErrScored):
		form.Fail(first, "Вы уже оценили работу администрации в этом цикле оценки.")
		a.scorePage(w, r, http.StatusConflict, id, form)
		return
	case errors.Is(err, ErrRunClosed):
		form.Fail(first, "Оценка завершена.")
		a.scorePage(w, r, http.StatusConflict, id, form)
		return
	case err != nil:
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Спасибо, ваши оценки сохранены.")
	http.Redirect(w, r, "/council/cabinet", http.StatusSeeOther)
}

var _ = auth.Council

// photo serves a member's photo; only members of an approved composition
// are public.
func (a *Area) photo(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	var fid int64
	err = a.DB.QueryRow(r.Context(), `SELECT COALESCE(mb.photo_file_id, 0) FROM council_members mb JOIN council_compositions c ON c.id = mb.composition_id
		WHERE mb.municipality_id = ? AND mb.id = ? AND c.approved_at IS NOT NULL`, m.ID, id).Scan(&fid)
	if err != nil || fid == 0 || a.Files == nil {
		a.Errors.Render(w, r, web.ErrNotFound)
		return
	}
	meta, err := a.Files.Get(r.Context(), m.ID, fid)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	body, err := a.Files.Storage.Open(r.Context(), meta.Key)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	defer body.Close()
	w.Header().Set("Content-Type", meta.ContentType)
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = io.Copy(w, body)
}
