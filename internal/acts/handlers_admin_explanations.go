package acts

import (
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/web"
)

// explanationForm is the data of the explanation page.
type explanationForm struct {
	Form        *web.Form
	Act         Act
	Explanation Explanation
	Format      string
	FormatLabel string
	BodyLabel   string
	Readability Readability
	Score       string
	Grade       string
	Accept      string
	AcceptLabel string
	New         bool
}

var explanationFields = []string{"title", "file", "video_url", "body", "published"}

// uploadKinds are the files each format takes, with their names for people
// and for the file picker.
func uploadKinds(format string) (kinds []files.Kind, label, accept string) {
	switch format {
	case FormatInfographic:
		return []files.Kind{files.PNG, files.JPEG}, "PNG или JPEG", "image/png,image/jpeg"
	case FormatAudio:
		return []files.Kind{files.MP3, files.OGG, files.WAV}, "MP3, OGG или WAV", "audio/mpeg,audio/ogg,audio/wav"
	case FormatVideo:
		return []files.Kind{files.MP4, files.WEBM}, "MP4 или WebM", "video/mp4,video/webm"
	}
	return nil, "", ""
}

func (a *Area) renderExplanation(w http.ResponseWriter, r *http.Request, status int, act Act, x Explanation, f *web.Form) {
	_, label, accept := uploadKinds(x.Format)
	data := explanationForm{Form: f, Act: act, Explanation: x, Format: x.Format, FormatLabel: FormatLabel(x.Format), BodyLabel: BodyLabel(x.Format),
		Accept: accept, AcceptLabel: label, New: x.ID == 0}
	if x.Format == FormatText && f.Get("body") != "" {
		data.Readability = MeasureReadability(f.Values.Get("body"))
		data.Score, data.Grade = ScoreRU(data.Readability.Score), data.Readability.Grade()
	}
	title := "Новое пояснение: " + strings.ToLower(data.FormatLabel)
	if x.ID != 0 {
		title = "Пояснение «" + x.Title + "»"
	}
	a.Renderer.Page(w, r, status, "acts/admin_explanation", title, data)
}

func (a *Area) adminExplanationNew(w http.ResponseWriter, r *http.Request) {
	act, ok := a.loadAct(w, r)
	if !ok {
		return
	}
	format, ok := lookup(Formats, r.URL.Query().Get("format"))
	if !ok {
		format = FormatText
	}
	a.renderExplanation(w, r, http.StatusOK, act, Explanation{Format: format}, web.NewForm(nil))
}

// explanationFromForm applies the form to x and checks it, storing an
// upload only once everything else is right.
func (a *Area) explanationFromForm(r *http.Request, f *web.Form, fh *multipart.FileHeader, x *Explanation) {
	x.Title = f.Get("title")
	x.Body = strings.ReplaceAll(f.Values.Get("body"), "\r\n", "\n")
	x.VideoURL = f.Get("video_url")
	x.Published = f.Get("published") == "yes"
	if x.Format != FormatVideo {
		x.VideoURL = ""
	}
	kinds, label, _ := uploadKinds(x.Format)
	hasFile := x.FileID != 0 || (fh != nil && kinds != nil)
	failAll(f, ValidateExplanation(*x, hasFile), explanationFields)
	if f.Valid() && fh != nil && kinds != nil {
		if meta, ok := a.saveUpload(r, f, fh, label, kinds...); ok {
			x.FileID, x.FileType = meta.ID, meta.ContentType
			if x.Format == FormatVideo {
				// An upload replaces a link: the page shows one video.
				x.VideoURL = ""
			}
		}
	}
}

func (a *Area) adminExplanationCreate(w http.ResponseWriter, r *http.Request) {
	act, ok := a.loadAct(w, r)
	if !ok {
		return
	}
	f, fh, err := a.parseUpload(w, r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	format, ok := lookup(Formats, f.Get("format"))
	if !ok {
		format = FormatText
		f.Fail("format", "Выберите формат пояснения.")
	}
	x := Explanation{Format: format}
	a.explanationFromForm(r, f, fh, &x)
	if f.Valid() {
		err := a.DB.InTx(r.Context(), func(tx *db.Tx) error { return a.SaveExplanation(r.Context(), tx, ActorFrom(r), &act, nil, &x) })
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		msg := "Пояснение добавлено."
		if x.Format == FormatText {
			msg += " Аудиоверсия будет готова через минуту."
		}
		web.SetFlash(a.Sessions, r, msg)
		http.Redirect(w, r, fmt.Sprintf("/admin/acts/%d#explanations", act.ID), http.StatusSeeOther)
		return
	}
	a.renderExplanation(w, r, http.StatusUnprocessableEntity, act, x, f)
}

func (a *Area) loadExplanation(w http.ResponseWriter, r *http.Request) (Act, Explanation, bool) {
	act, ok := a.loadAct(w, r)
	if !ok {
		return act, Explanation{}, false
	}
	eid, err := web.PathID(r, "explanation")
	if err != nil {
		a.Errors.Render(w, r, err)
		return act, Explanation{}, false
	}
	x, err := a.Store.GetExplanation(r.Context(), a.DB, act.MunicipalityID, act.ID, eid)
	if err != nil {
		a.Errors.Render(w, r, err)
		return act, x, false
	}
	return act, x, true
}

func (a *Area) adminExplanationEdit(w http.ResponseWriter, r *http.Request) {
	act, x, ok := a.loadExplanation(w, r)
	if !ok {
		return
	}
	v := url.Values{}
	v.Set("title", x.Title)
	v.Set("body", x.Body)
	v.Set("video_url", x.VideoURL)
	if x.Published {
		v.Set("published", "yes")
	}
	a.renderExplanation(w, r, http.StatusOK, act, x, web.NewForm(v))
}

func (a *Area) adminExplanationUpdate(w http.ResponseWriter, r *http.Request) {
	act, before, ok := a.loadExplanation(w, r)
	if !ok {
		return
	}
	f, fh, err := a.parseUpload(w, r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	x := before
	a.explanationFromForm(r, f, fh, &x)
	if f.Valid() {
		err := a.DB.InTx(r.Context(), func(tx *db.Tx) error { return a.SaveExplanation(r.Context(), tx, ActorFrom(r), &act, &before, &x) })
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		web.SetFlash(a.Sessions, r, "Пояснение сохранено.")
		http.Redirect(w, r, fmt.Sprintf("/admin/acts/%d#explanations", act.ID), http.StatusSeeOther)
		return
	}
	a.renderExplanation(w, r, http.StatusUnprocessableEntity, act, x, f)
}

func (a *Area) adminExplanationDelete(w http.ResponseWriter, r *http.Request) {
	act, x, ok := a.loadExplanation(w, r)
	if !ok {
		return
	}
	if err := a.DB.InTx(r.Context(), func(tx *db.Tx) error { return a.DeleteExplanation(r.Context(), tx, ActorFrom(r), &act, &x) }); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Пояснение «"+x.Title+"» удалено.")
	http.Redirect(w, r, fmt.Sprintf("/admin/acts/%d#explanations", act.ID), http.StatusSeeOther)
}

// Practice reviews.

var reviewFields = []string{"title", "from", "to", "department", "acts", "text", "published"}

func (a *Area) adminReviews(w http.ResponseWriter, r *http.Request) {
	p := web.NewPager(r.URL, 50)
	list, total, err := a.Store.ListReviews(r.Context(), a.DB, web.Municipality(r).ID, false, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	a.Renderer.Page(w, r, http.StatusOK, "acts/admin_reviews", "Обзоры правоприменительной практики: ведение", map[string]any{"Reviews": list, "Pager": p})
}

func (a *Area) renderReview(w http.ResponseWriter, r *http.Request, status int, rv Review, f *web.Form) {
	depts, err := a.Tenants.Departments(r.Context(), web.Municipality(r).ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	title := "Новый обзор правоприменительной практики"
	if rv.ID != 0 {
		title = rv.Title
	}
	a.Renderer.Page(w, r, status, "acts/admin_review", title, map[string]any{"Form": f, "Review": rv, "Departments": depts})
}

func (a *Area) adminReviewNew(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm(nil)
	if v := web.ViewerFrom(r.Context()); v != nil && v.DepartmentID != 0 {
		f.Values.Set("department", strconv.FormatInt(v.DepartmentID, 10))
	}
	a.renderReview(w, r, http.StatusOK, Review{}, f)
}

func (a *Area) reviewFromForm(r *http.Request, f *web.Form, rv *Review) {
	m := web.Municipality(r)
	rv.Title, rv.From, rv.To = f.Get("title"), f.Get("from"), f.Get("to")
	rv.Text = strings.ReplaceAll(f.Values.Get("text"), "\r\n", "\n")
	rv.Published = f.Get("published") == "yes"
	failAll(f, ValidateReview(*rv, a.DB.Now()), reviewFields)
	rv.From, _ = ParseDate(rv.From, a.DB.Now())
	rv.To, _ = ParseDate(rv.To, a.DB.Now())
	rv.DepartmentID = 0
	if d := f.Get("department"); d != "" {
		depts, err := a.Tenants.Departments(r.Context(), m.ID)
		id, _ := strconv.ParseInt(d, 10, 64)
		found := false
		for _, x := range depts {
			found = found || x.ID == id
		}
		if err != nil || !found {
			f.Fail("department", "Выберите подразделение из списка.")
		}
		rv.DepartmentID = id
	}
	cits, bad := ParseCitations(f.Values.Get("acts"))
	if len(bad) > 0 {
		f.Fail("acts", "Не удалось разобрать «"+bad[0]+"»: пишите по одному акту в строке, например «№ 118 от 07.03.2018» или /acts/12.")
		return
	}
	ids, problems := a.Store.Resolve(r.Context(), a.DB, m.ID, cits)
	if len(problems) > 0 {
		f.Fail("acts", problems[0])
	}
	rv.ActIDs = ids
}

func (a *Area) adminReviewCreate(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var rv Review
	a.reviewFromForm(r, f, &rv)
	if f.Valid() {
		if err := a.DB.InTx(r.Context(), func(tx *db.Tx) error { return a.SaveReview(r.Context(), tx, ActorFrom(r), nil, &rv) }); err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		web.SetFlash(a.Sessions, r, "Обзор сохранён.")
		http.Redirect(w, r, fmt.Sprintf("/admin/practice-reviews/%d", rv.ID), http.StatusSeeOther)
		return
	}
	a.renderReview(w, r, http.StatusUnprocessableEntity, rv, f)
}

func (a *Area) loadReview(w http.ResponseWriter, r *http.Request) (Review, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return Review{}, false
	}
	rv, err := a.Store.GetReview(r.Context(), a.DB, web.Municipality(r).ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return rv, false
	}
	return rv, true
}

func (a *Area) adminReviewEdit(w http.ResponseWriter, r *http.Request) {
	rv, ok := a.loadReview(w, r)
	if !ok {
		return
	}
	acts, err := a.Store.ActsByIDs(r.Context(), a.DB, rv.MunicipalityID, rv.ActIDs, false)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var lines []string
	for _, act := range acts {
		lines = append(lines, act.URL())
	}
	v := url.Values{}
	v.Set("title", rv.Title)
	v.Set("from", rv.From)
	v.Set("to", rv.To)
	if rv.DepartmentID != 0 {
		v.Set("department", strconv.FormatInt(rv.DepartmentID, 10))
	}
	v.Set("acts", strings.Join(lines, "\n"))
	v.Set("text", rv.Text)
	if rv.Published {
		v.Set("published", "yes")
	}
	a.renderReview(w, r, http.StatusOK, rv, web.NewForm(v))
}

func (a *Area) adminReviewUpdate(w http.ResponseWriter, r *http.Request) {
	before, ok := a.loadReview(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	rv := before
	a.reviewFromForm(r, f, &rv)
	if f.Valid() {
		if err := a.DB.InTx(r.Context(), func(tx *db.Tx) error { return a.SaveReview(r.Context(), tx, ActorFrom(r), &before, &rv) }); err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		web.SetFlash(a.Sessions, r, "Обзор сохранён.")
		http.Redirect(w, r, fmt.Sprintf("/admin/practice-reviews/%d", rv.ID), http.StatusSeeOther)
		return
	}
	a.renderReview(w, r, http.StatusUnprocessableEntity, before, f)
}
