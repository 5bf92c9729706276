package site

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/web"
)

// browserCookie holds a random id that only tells this browser's ratings
// apart; it identifies no person.
const browserCookie = "glasnost_rater"

func (a *Area) mountFeedback(rt *web.Router) {
	rt.HandleFunc("POST /feedback", web.Public(), a.submitFeedback)
	rt.HandleFunc("GET /admin/site/feedback", web.Roles(auth.Administrator, auth.Editor), a.feedbackReport)
	rt.HandleFunc("GET /admin/site/feedback/suggestions", web.Roles(auth.Administrator, auth.Editor), a.suggestionsReport)
}

func browserID(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(browserCookie); err == nil && len(c.Value) == 32 {
		return c.Value
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	http.SetCookie(w, &http.Cookie{Name: browserCookie, Value: id, Path: "/", MaxAge: 400 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	return id
}

func (a *Area) submitFeedback(w http.ResponseWriter, r *http.Request) {
	if !a.FeedbackLimiter.Allow(web.ClientIP(r)) {
		w.Header().Set("Retry-After", "60")
		a.Errors.Render(w, r, web.ErrTooManyRequests)
		return
	}
	f, err := web.ParseForm(w, r, 16<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	path, ok := CleanReturnPath(f.Get("return"))
	if !ok {
		path = "/"
	}
	fb := Feedback{Path: path, Suggestion: strings.TrimSpace(f.Get("suggestion"))}
	// Every score is optional: a visitor may only want to say what to add.
	scores := []*int{&fb.Relevance, &fb.Completeness, &fb.Usefulness}
	scored := false
	for i, s := range FeedbackScales {
		if strings.TrimSpace(f.Get(s.Name)) == "" {
			continue
		}
		n, ok := ParseScore(f.Get(s.Name))
		if !ok {
			f.Fail(s.Name, "Оцените по шкале от 1 до 5: "+strings.ToLower(s.Legend)+".")
			continue
		}
		*scores[i], scored = n, true
	}
	if utf8.RuneCountInString(fb.Suggestion) > MaxSuggestion {
		f.Fail("suggestion", "Сократите текст до 2000 знаков.")
	}
	if f.Valid() && !scored && fb.Suggestion == "" {
		f.Fail("relevance", "Оцените страницу хотя бы по одному вопросу или напишите, что добавить на сайт.")
	}
	if !f.Valid() {
		a.Renderer.Page(w, r, http.StatusUnprocessableEntity, "site/feedback_form", "Оценка страницы", map[string]any{
			"Form": f, "Return": path, "PageTitle": PageTitle(f.Get("title")), "Scales": FeedbackScales})
		return
	}
	secret, err := a.Store.FeedbackSecret(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if fb.SectionID, err = a.Store.SectionForPath(r.Context(), m.ID, path); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	day := deadline.DateOf(m.Local(a.DB.Now())).String()
	ipKey := RatingKey(secret, "ip", web.ClientIP(r), path, day)
	browserKey := RatingKey(secret, "browser", browserID(w, r), path, day)
	err = a.Store.InsertFeedback(r.Context(), m.ID, fb, ipKey, browserKey, day)
	switch {
	case errors.Is(err, ErrAlreadyRated):
		web.SetFlash(a.Sessions, r, ErrAlreadyRated.Error())
	case err != nil:
		a.Errors.Render(w, r, err)
		return
	default:
		web.SetFlash(a.Sessions, r, "Спасибо! Ваша оценка поможет сделать сайт полезнее.")
	}
	http.Redirect(w, r, path, http.StatusSeeOther)
}

// feedbackScope is what a viewer may see: administrators everything,
// editors the ratings of their department's sections.
func (a *Area) feedbackScope(r *http.Request) (FeedbackScope, error) {
	v := web.ViewerFrom(r.Context())
	if v.Has(auth.Administrator) {
		return FeedbackScope{}, nil
	}
	if v.DepartmentID == 0 {
		return FeedbackScope{Sections: []int64{}}, nil
	}
	ids, err := a.Store.SectionsOfDepartment(r.Context(), web.Municipality(r).ID, v.DepartmentID)
	return FeedbackScope{Sections: ids}, err
}

func (a *Area) feedbackReport(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	scope, err := a.feedbackScope(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	totals, err := a.Store.FeedbackTotals(r.Context(), m.ID, scope)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	sections, err := a.Store.FeedbackBySection(r.Context(), m.ID, scope)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p := web.NewPager(r.URL, 30)
	pages, total, err := a.Store.FeedbackByPage(r.Context(), m.ID, scope, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	recent, _, err := a.Store.Suggestions(r.Context(), m.ID, scope, "", 5, 0)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "site/admin_feedback", "Оценки страниц сайта", map[string]any{
		"Totals": totals, "Sections": sections, "Pages": pages, "Pager": p, "Recent": recent, "SiteWide": scope.Sections == nil,
	})
}

func (a *Area) suggestionsReport(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	scope, err := a.feedbackScope(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	path, _ := CleanReturnPath(r.URL.Query().Get("path"))
	p := web.NewPager(r.URL, 30)
	list, total, err := a.Store.Suggestions(r.Context(), m.ID, scope, path, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	a.Renderer.Page(w, r, http.StatusOK, "site/admin_suggestions", "Что добавить на сайт: предложения", map[string]any{"Suggestions": list, "Pager": p, "Path": path, "Total": total})
}
