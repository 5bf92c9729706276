package polls

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/feed"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// BrowserCookie holds the random code that marks a browser which answered
// an anonymous survey. It carries no personal data.
const BrowserCookie = "glasnost_poll"

// Eligibility says whether and how the viewer may answer a survey.
type Eligibility struct {
	// Respondent is the key a response is stored under ("" when the viewer
	// cannot answer, or is an anonymous visitor without a code yet).
	Respondent string
	// Can answer now; Reason explains why not, in Russian.
	Can    bool
	Reason string
	// SignIn: signing in would let the viewer answer.
	SignIn bool
	// Answered: this account or browser has already answered.
	Answered bool
}

// browserKey is the stored form of a browser's code: its hash, so that the
// database alone does not identify the cookie.
func browserKey(token string) string {
	h := sha256.Sum256([]byte(token))
	return "b:" + hex.EncodeToString(h[:16])
}

// accountKey is the respondent key of an account.
func accountKey(id int64) string { return "a:" + strconv.FormatInt(id, 10) }

func newToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// eligibility decides who the respondent is. token is the browser's code
// (from the cookie or the API), "" when it has none.
func (a *Area) eligibility(ctx context.Context, m tenant.Municipality, s Survey, v *web.Viewer, token string) (Eligibility, error) {
	return a.eligible(ctx, m, s, v, token, true)
}

// eligible is eligibility; the submission path passes answered=false and
// leaves the one-answer rule to the database's unique key, which Submit
// reports as ErrAlreadyAnswered.
func (a *Area) eligible(ctx context.Context, m tenant.Municipality, s Survey, v *web.Viewer, token string, answered bool) (Eligibility, error) {
	var e Eligibility
	now := a.DB.Now()
	switch {
	case !s.Published():
		e.Reason = "Опрос ещё не опубликован."
		return e, nil
	case now.Before(s.OpensAt):
		e.Reason = "Опрос ещё не начался."
		return e, nil
	case s.Closed(now):
		e.Reason = "Опрос завершён, ответы больше не принимаются."
		return e, nil
	}
	switch {
	case v != nil:
		e.Respondent = accountKey(v.ID)
	case s.Audience == Anyone:
		if token != "" {
			e.Respondent = browserKey(token)
		}
	default:
		e.Reason, e.SignIn = "Чтобы ответить, войдите на портал.", true
		return e, nil
	}
	if s.Audience == Group && v != nil {
		dir := a.Portal.Groups()
		if dir == nil {
			e.Reason, e.Respondent = "Опрос предназначен для участников референтной группы, а справочник групп на портале не подключён.", ""
			return e, nil
		}
		groups, err := dir.GroupsOf(ctx, m.ID, v.ID)
		if err != nil {
			return e, err
		}
		if !slices.Contains(groups, s.AudienceGroup) {
			e.Reason, e.Respondent = "Опрос предназначен для участников референтной группы «"+s.AudienceGroup+"».", ""
			return e, nil
		}
	}
	if e.Respondent != "" && answered {
		done, err := a.Store.HasResponded(ctx, s.ID, e.Respondent)
		if err != nil {
			return e, err
		}
		if done {
			e.Answered, e.Reason = true, "Вы уже ответили на этот опрос. Спасибо!"
			return e, nil
		}
	}
	e.Can = true
	return e, nil
}

func cookieToken(r *http.Request) string {
	c, err := r.Cookie(BrowserCookie)
	if err != nil || len(c.Value) != 32 {
		return ""
	}
	if _, err := hex.DecodeString(c.Value); err != nil {
		return ""
	}
	return c.Value
}

// loadPublic loads a published survey, or ErrNotFound.
func (a *Area) loadPublic(r *http.Request) (Survey, error) {
	return a.load(r, a.Store.Get)
}

// loadToAnswer is loadPublic without the count of responses.
func (a *Area) loadToAnswer(r *http.Request) (Survey, error) {
	return a.load(r, a.Store.GetForAnswer)
}

func (a *Area) load(r *http.Request, get func(context.Context, db.Querier, int64, int64) (Survey, error)) (Survey, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return Survey{}, err
	}
	s, err := get(r.Context(), a.DB, web.Municipality(r).ID, id)
	if err != nil {
		return s, err
	}
	if !s.Published() && !web.ViewerFrom(r.Context()).Has(staffRoles...) {
		return s, db.ErrNotFound
	}
	return s, nil
}

// Results computes a survey's results with its approved free texts and,
// per question, the number of texts not published (pending or hidden).
func (a *Area) Results(ctx context.Context, s Survey) ([]QuestionResult, error) {
	cells, answered, err := a.Store.Counts(ctx, s.ID)
	if err != nil {
		return nil, err
	}
	rs := Tally(s.Questions, cells, answered)
	texts, err := a.Store.Texts(ctx, s.ID, "")
	if err != nil {
		return nil, err
	}
	for i := range rs {
		for _, t := range texts {
			if t.QuestionID != rs[i].Question.ID {
				continue
			}
			if t.Status == Approved {
				rs[i].Texts = append(rs[i].Texts, t)
			} else {
				rs[i].Unpublished++
			}
		}
	}
	return rs, nil
}

type indexData struct {
	Surveys []Survey
	Pager   *web.Pager
	Wishes  WishCounts
	Open    map[int64]bool
	Visible map[int64]bool
	State   map[int64]string
}

func (a *Area) index(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	pg := web.NewPager(r.URL, 20)
	list, total, err := a.Store.List(r.Context(), m.ID, ListFilter{Public: true}, pg.PerPage, pg.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	wc, err := a.WishCounts(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	now := a.DB.Now()
	pg.SetTotal(total)
	d := indexData{Surveys: list, Pager: pg, Wishes: wc, Open: map[int64]bool{}, Visible: map[int64]bool{}, State: map[int64]string{}}
	for _, s := range list {
		d.Open[s.ID], d.Visible[s.ID], d.State[s.ID] = s.Open(now), s.ResultsVisible(now), s.State(now)
	}
	p := a.Renderer.NewPage(r, "Опросы", d)
	p.Feeds = pollsFeed
	a.Renderer.Render(w, r, http.StatusOK, "polls/index", p)
}

type showData struct {
	Survey      Survey
	Elig        Eligibility
	Form        *web.Form
	Results     []QuestionResult
	Visible     bool
	State       string
	Anonymous   bool
	AnonBurst   int
	AnonMinutes int
	Limited     bool
	Staff       bool
}

func (a *Area) renderShow(w http.ResponseWriter, r *http.Request, status int, s Survey, f *web.Form, e Eligibility) {
	now := a.DB.Now()
	v := web.ViewerFrom(r.Context())
	if s.Responses == 0 { // loaded for answering, without the count
		if err := a.DB.QueryRow(r.Context(), `SELECT COUNT(*) FROM poll_responses WHERE survey_id = ?`, s.ID).Scan(&s.Responses); err != nil {
			a.Errors.Render(w, r, err)
			return
		}
	}
	d := showData{Survey: s, Elig: e, Form: f, Visible: s.ResultsVisible(now), State: s.State(now), Anonymous: v == nil && s.Audience == Anyone,
		AnonBurst: AnonBurst, AnonMinutes: int(AnonEvery.Minutes()), Limited: a.limiter != nil, Staff: v.Has(staffRoles...)}
	if d.Visible || d.Staff {
		rs, err := a.Results(r.Context(), s)
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		charts(rs)
		d.Results = rs
	}
	p := a.Renderer.NewPage(r, s.Title, d)
	p.Feeds = pollsFeed
	a.Renderer.Render(w, r, status, "polls/show", p)
}

func (a *Area) show(w http.ResponseWriter, r *http.Request) {
	s, err := a.loadPublic(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	e, err := a.eligibility(r.Context(), web.Municipality(r), s, web.ViewerFrom(r.Context()), cookieToken(r))
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if e.Answered && r.URL.Query().Get("answered") == "1" {
		e.Reason = "Спасибо! Ваш ответ принят."
	}
	a.renderShow(w, r, http.StatusOK, s, web.NewForm(nil), e)
}

func (a *Area) submit(w http.ResponseWriter, r *http.Request) {
	s, err := a.loadToAnswer(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f, err := web.ParseForm(w, r, 256<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m, v := web.Municipality(r), web.ViewerFrom(r.Context())
	token := cookieToken(r)
	if v == nil && s.Audience == Anyone && token == "" {
		token = newToken()
		http.SetCookie(w, &http.Cookie{Name: BrowserCookie, Value: token, Path: "/polls", MaxAge: 3 * 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	}
	e, err := a.eligible(r.Context(), m, s, v, token, false)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if !e.Can {
		a.renderShow(w, r, http.StatusConflict, s, f, e)
		return
	}
	if v == nil && a.limiter != nil && !a.limiter.Allow(web.ClientIP(r)) {
		w.Header().Set("Retry-After", "180")
		a.Errors.Render(w, r, web.ErrTooManyRequests)
		return
	}
	answers, errs := Validate(s.Questions, FromForm(s.Questions, f.Values))
	for _, q := range s.Questions {
		if msg, ok := errs[q.Field()]; ok {
			f.Fail(q.Field(), msg)
		}
	}
	if !f.Valid() {
		a.renderShow(w, r, http.StatusUnprocessableEntity, s, f, e)
		return
	}
	if _, err := a.Store.Submit(r.Context(), m.ID, s.ID, e.Respondent, answers); err != nil {
		if errors.Is(err, ErrAlreadyAnswered) {
			e.Can, e.Answered, e.Reason = false, true, "Вы уже ответили на этот опрос. Спасибо!"
			a.renderShow(w, r, http.StatusConflict, s, f, e)
			return
		}
		a.Errors.Render(w, r, err)
		return
	}
	// The thanks travel in the address, not the session: an anonymous
	// answer then writes nothing but itself.
	http.Redirect(w, r, fmt.Sprintf("/polls/%d?answered=1", s.ID), http.StatusSeeOther)
}

func (a *Area) feedAtom(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	list, _, err := a.Store.List(r.Context(), m.ID, ListFilter{Public: true}, 30, 0)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f := feed.Feed{Title: "Опросы — " + m.Name, Path: "/polls", SelfPath: "/polls/feed.atom", Author: m.Name}
	for _, s := range list {
		path := fmt.Sprintf("/polls/%d", s.ID)
		f.Entries = append(f.Entries, feed.Entry{Title: "Опрос: " + s.Title, Path: path, Summary: s.Description, Updated: s.PublishedAt, Published: s.PublishedAt})
		if !s.ResultsAt.IsZero() {
			f.Entries = append(f.Entries, feed.Entry{Title: "Итоги опроса: " + s.Title, Path: path + "#results", Summary: fmt.Sprintf("Ответов: %d.", s.Responses), Updated: s.ResultsAt, Published: s.ResultsAt})
		}
	}
	if err := feed.Write(w, feed.Base(r, a.BaseURL), f); err != nil {
		a.Log.WarnContext(r.Context(), "polls feed", "err", err)
	}
}
