package media

import (
	"fmt"
	"net/http"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/web"
)

// press is the public press centre: the approved media plan of the year,
// the monitoring digests and the published answers to journalists.
func (a *Area) press(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	year := a.today(m).Year()
	data := map[string]any{"Year": year}
	p, err := PlanOfYear(r.Context(), a.DB, m.ID, year)
	switch {
	case err == nil && p.Approved():
		items, _, err := PlanItems(r.Context(), a.DB, m.ID, p.ID, 500, 0)
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		data["Plan"], data["Items"] = p, items
	case err != nil && err != db.ErrNotFound:
		a.Errors.Render(w, r, err)
		return
	}
	digests, _, err := Digests(r.Context(), a.DB, m.ID, 12, 0)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	data["Digests"] = digests
	answers, err := a.publishedAnswers(r, 10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	data["Answers"] = answers
	a.Renderer.Page(w, r, http.StatusOK, "media/press", "Пресс-центр", data)
}

func (a *Area) loadDigest(w http.ResponseWriter, r *http.Request) (Digest, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return Digest{}, false
	}
	d, err := GetDigest(r.Context(), a.DB, web.Municipality(r).ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return Digest{}, false
	}
	return d, true
}

func (a *Area) digest(w http.ResponseWriter, r *http.Request) {
	d, ok := a.loadDigest(w, r)
	if !ok {
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "media/digest", "Обзор мониторинга СМИ: "+d.Week(), d)
}

func (a *Area) digestPDF(w http.ResponseWriter, r *http.Request) {
	d, ok := a.loadDigest(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="media-digest-%s.pdf"`, d.WeekStart))
	if err := WriteDigestPDF(w, web.Municipality(r).Name, d); err != nil {
		a.Log.Error("media digest pdf", "err", err)
	}
}

func (a *Area) digests(w http.ResponseWriter, r *http.Request) {
	p := web.NewPager(r.URL, 30)
	list, total, err := Digests(r.Context(), a.DB, web.Municipality(r).ID, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	a.Renderer.Page(w, r, http.StatusOK, "media/digests", "Обзоры мониторинга СМИ", map[string]any{"Digests": list, "Pager": p})
}

// publishedAnswer is an answer to a journalist published in the press centre.
type publishedAnswer struct {
	Outlet, Question, Answer, AnsweredRU string
}

// publishedAnswers are the latest answers the press secretary published.
func (a *Area) publishedAnswers(r *http.Request, n int) ([]publishedAnswer, error) {
	list, _, err := Requests(r.Context(), a.DB, web.Municipality(r).ID, RequestFilter{Published: true}, n, 0)
	out := make([]publishedAnswer, 0, len(list))
	for _, q := range list {
		out = append(out, publishedAnswer{Outlet: q.Outlet, Question: q.Question, Answer: q.Answer, AnsweredRU: q.AnsweredRU()})
	}
	return out, err
}
