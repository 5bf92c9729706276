package appeals

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// Mount registers the area's pages and API.
func (a *Area) Mount(rt *web.Router) {
	desk := web.Roles(auth.Operator, auth.Administrator)
	staff := web.Roles(StaffRoles...)
	admin := web.Roles(auth.Administrator)

	rt.HandleFunc("GET /appeals", web.Public(), a.index)
	rt.HandleFunc("GET /appeals/new", web.SignedIn(), a.newForm)
	rt.HandleFunc("POST /appeals", web.SignedIn(), a.submit)
	rt.HandleFunc("GET /appeals/submitted/{number}", web.SignedIn(), a.submitted)
	rt.HandleFunc("GET /appeals/status", web.Public(), a.statusPage)
	rt.HandleFunc("GET /appeals/answers", web.Public(), a.answersPage)
	rt.HandleFunc("GET /appeals/reports", web.Public(), a.reportsPage)
	rt.HandleFunc("GET /appeals/reports/{id}", web.Public(), a.reportPage)
	rt.HandleFunc("GET /appeals/reports/{id}/xlsx", web.Public(), a.reportXLSX)
	rt.HandleFunc("GET /appeals/reports/{id}/pdf", web.Public(), a.reportPDF)
	rt.HandleFunc("GET /appeals/files/{id}", web.SignedIn(), a.file)
	rt.HandleFunc("GET /account/appeals", web.SignedIn(), a.mine)
	rt.HandleFunc("GET /account/appeals/{number}", web.SignedIn(), a.myAppeal)

	rt.HandleFunc("GET /admin/appeals", staff, a.adminList)
	rt.HandleFunc("GET /admin/appeals/new", desk, a.adminNewForm)
	rt.HandleFunc("POST /admin/appeals", desk, a.adminCreate)
	rt.HandleFunc("GET /admin/appeals/console", desk, a.console)
	rt.HandleFunc("POST /admin/appeals/console/calls", desk, a.logCall)
	rt.HandleFunc("GET /admin/appeals/receptions", desk, a.receptionsPage)
	rt.HandleFunc("POST /admin/appeals/receptions", desk, a.receptionAdd)
	rt.HandleFunc("GET /admin/appeals/{number}", staff, a.adminAppeal)
	rt.HandleFunc("POST /admin/appeals/{number}/steps", staff, a.adminStep)
	rt.HandleFunc("GET /admin/appeals/{number}/letter.pdf", staff, a.letterPDF)
	rt.HandleFunc("GET /admin/appeals/{number}/letter", staff, a.letterHTML)
	rt.HandleFunc("POST /admin/appeals/{number}/published-answer", admin, a.adminPublishAnswer)
	rt.HandleFunc("GET /admin/appeals/classifier", admin, a.classifierPage)
	rt.HandleFunc("POST /admin/appeals/classifier", admin, a.classifierImport)
	rt.HandleFunc("GET /admin/appeals/calendar", admin, a.calendarPage)
	rt.HandleFunc("POST /admin/appeals/calendar", admin, a.calendarSave)
	rt.HandleFunc("POST /admin/appeals/calendar/term-end", admin, a.termEndSave)
	rt.HandleFunc("POST /admin/appeals/calendar/retention", admin, a.retentionSave)
	rt.HandleFunc("GET /admin/appeals/settings", admin, a.settingsPage)
	rt.HandleFunc("POST /admin/appeals/settings", admin, a.settingsSave)
	rt.HandleFunc("GET /admin/appeals/reports", admin, a.adminReports)
	rt.HandleFunc("GET /admin/appeals/sstu", desk, a.sstuExport)
	rt.HandleFunc("POST /admin/appeals/reports", admin, a.adminMakeReport)
	rt.HandleFunc("POST /admin/appeals/reports/{id}/publish", admin, a.adminPublishReport)
	rt.HandleFunc("POST /admin/appeals/reports/{id}/narrative", admin, a.adminReportNarrative)

	a.mountAPI(rt)
	a.mountPublicAPI(rt)
}

func actorOf(r *http.Request) Actor {
	v := web.ViewerFrom(r.Context())
	if v == nil {
		return Actor{}
	}
	display := v.Name
	if display == "" {
		display = v.Email
	}
	return Actor{AccountID: v.ID, Name: v.Email, Display: display, Staff: v.Has(auth.Staff...)}
}

func roleFor(r *http.Request) func(Appeal) Role {
	v := web.ViewerFrom(r.Context())
	return func(ap Appeal) Role { return RoleOf(v, ap) }
}

// ---- public pages ----

func (a *Area) index(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	today := a.Today(m)
	c, err := a.store.Count(r.Context(), m.ID, today)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	reports, _, err := a.store.Reports(r.Context(), m.ID, true, 4, 0)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p := a.Renderer.NewPage(r, "Обращения граждан", map[string]any{
		"Counter": c, "Year": today.Year, "Month": monthNames[today.Month-1], "Reports": reports,
	})
	p.Feeds = append(p.Feeds, reportsFeedLink)
	a.Renderer.Render(w, r, http.StatusOK, "appeals/index", p)
}

var monthNames = [...]string{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"}

type formPage struct {
	Form        *web.Form
	Departments []tenant.Department
	Config      Config
	Channels    []Option
	Kinds       []Option
	Questions   []Topic
	// AnswerMethods: how a caller or visitor wants the answer (staff form).
	AnswerMethods []Option
	// IdentityRefused: the municipality requires a verified identity
	// and the viewer has none (identity.go).
	IdentityRefused bool
}

func (a *Area) formData(r *http.Request, f *web.Form) (formPage, error) {
	m := web.Municipality(r)
	depts, err := a.Tenants.Departments(r.Context(), m.ID)
	if err != nil {
		return formPage{}, err
	}
	p := formPage{Form: f, Departments: depts, Config: a.cfg, Channels: Channels, Kinds: Kinds}
	p.AnswerMethods = AnswerMethods
	if r.URL.Path == "/appeals/new" || r.URL.Path == "/appeals" {
		if p.IdentityRefused, err = a.identityRefused(r); err != nil {
			return formPage{}, err
		}
	}
	if v := web.ViewerFrom(r.Context()); v.Has(auth.Staff...) {
		topics, err := a.store.Topics(r.Context(), m.ID)
		if err != nil {
			return formPage{}, err
		}
		for _, t := range topics {
			if t.Level == 4 {
				p.Questions = append(p.Questions, t)
			}
		}
	}
	return p, nil
}

func (a *Area) newForm(w http.ResponseWriter, r *http.Request) {
	v := web.ViewerFrom(r.Context())
	f := web.NewForm(url.Values{"email": {v.Email}, "addressee": {"administration"}})
	// The author of an electronic appeal is the signed-in person (547-FZ).
	acc := AccountName(v.Name)
	f.Values.Set("last_name", acc.LastName)
	f.Values.Set("first_name", acc.FirstName)
	f.Values.Set("middle_name", acc.MiddleName)
	a.renderForm(w, r, http.StatusOK, "appeals/new", "Подать обращение", f)
}

func (a *Area) renderForm(w http.ResponseWriter, r *http.Request, status int, page, title string, f *web.Form) {
	data, err := a.formData(r, f)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, status, page, title, data)
}

// uploadsNotSaved names the files a refused submission dropped: a browser
// never refills a file field, so the form says which files to attach again
// rather than let them vanish unnoticed.
func uploadsNotSaved(errs FieldErrors, uploads []*multipart.FileHeader) {
	if len(uploads) == 0 || errs["attachments"] != "" {
		return
	}
	names := make([]string, len(uploads))
	for i, fh := range uploads {
		names[i] = "«" + files.CleanName(fh.Filename, filepath.Ext(fh.Filename)) + "»"
	}
	errs["attachments"] = "Файлы не сохранены, потому что в форме есть ошибки: " + strings.Join(names, ", ") + ". Прикрепите их снова."
}

// parseUpload reads a form that may carry files, within the area's limits.
func (a *Area) parseUpload(w http.ResponseWriter, r *http.Request) (*web.Form, error) {
	r.Body = http.MaxBytesReader(w, r.Body, int64(a.cfg.MaxAttachments+1)*a.cfg.MaxAttachmentSize+(1<<20))
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return nil, web.ErrTooLarge
	}
	return web.NewForm(r.PostForm), nil
}

func authorFromForm(f *web.Form) Author {
	return Author{LastName: f.Get("last_name"), FirstName: f.Get("first_name"), MiddleName: f.Get("middle_name"),
		Email: f.Get("email"), Phone: f.Get("phone"), PostalAddress: f.Get("postal_address")}
}

func failAll(f *web.Form, errs FieldErrors) {
	// Keep the summary in the order of the fields on the page.
	for _, k := range []string{"last_name", "first_name", "middle_name", "email", "phone", "postal_address", "channel", "received_on", "registered_on", "addressee", "official", "department", "kind", "topic", "text", "cosigners", "attachments", "consent"} {
		if msg, ok := errs[k]; ok {
			f.Fail(k, msg)
		}
	}
	for k, msg := range errs {
		f.Fail(k, msg)
	}
}

func (a *Area) submit(w http.ResponseWriter, r *http.Request) {
	v := web.ViewerFrom(r.Context())
	m := web.Municipality(r)
	f, err := a.parseUpload(w, r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	today := a.Today(m)
	in := NewAppeal{
		Channel: "electronic", ReceivedOn: today, RegisteredOn: today, Author: authorFromForm(f), Text: f.Get("text"),
		Collective: f.Get("collective") == "yes", Cosigners: ParseCosigners(f.Values.Get("cosigners")),
		AccountID: v.ID, Consent: f.Get("consent") == "yes", Identity: identityOf(v),
	}
	a.addressee(f, &in)
	var nameErrs map[string]string
	in.Author, nameErrs = BindToAccount(in.Author, v.Name)
	errs := a.validateNew(r.Context(), m.ID, &in, today, true)
	for k, msg := range nameErrs {
		errs[k] = msg
	}
	if refused, err := a.identityRefused(r); err != nil {
		a.Errors.Render(w, r, err)
		return
	} else if refused {
		errs["identity"] = ErrIdentityRequired
	}
	var uploads []*multipart.FileHeader
	if r.MultipartForm != nil {
		uploads = r.MultipartForm.File["attachments"]
	}
	if len(uploads) > a.cfg.MaxAttachments {
		errs["attachments"] = fmt.Sprintf("Можно приложить не более %d файлов.", a.cfg.MaxAttachments)
	}
	// Only accepted submissions count against the limit, so that a
	// resident correcting mistakes in the form is not locked out.
	if len(errs) == 0 && !a.submitLimiter.Allow("account:"+strconv.FormatInt(v.ID, 10)) {
		w.Header().Set("Retry-After", "120")
		a.Errors.Render(w, r, web.ErrTooManyRequests)
		return
	}
	if len(errs) == 0 {
		in.Files, err = a.saveUploads(r, m.ID, v.ID, uploads)
		if err != nil {
			var fe FieldErrors
			if !errors.As(err, &fe) {
				a.Errors.Render(w, r, err)
				return
			}
			errs = fe
		}
	}
	if len(errs) > 0 {
		uploadsNotSaved(errs, uploads)
		failAll(f, errs)
		a.renderForm(w, r, http.StatusUnprocessableEntity, "appeals/new", "Подать обращение", f)
		return
	}
	ap, err := a.Register(r.Context(), m, in, actorOf(r), true)
	if err != nil {
		a.discardUploads(r.Context(), m.ID, in.Files)
	}
	var dup *DuplicateError
	if errors.As(err, &dup) {
		http.Redirect(w, r, "/appeals/submitted/"+url.PathEscape(dup.Number)+"?repeat=1", http.StatusSeeOther)
		return
	}
	if err != nil {
		var fe FieldErrors
		if errors.As(err, &fe) {
			failAll(f, fe)
			a.renderForm(w, r, http.StatusUnprocessableEntity, "appeals/new", "Подать обращение", f)
			return
		}
		a.Errors.Render(w, r, err)
		return
	}
	// POST → redirect → GET: reloading the confirmation never submits again.
	http.Redirect(w, r, "/appeals/submitted/"+ap.Href(), http.StatusSeeOther)
}

// submitted is the confirmation of the signed-in author's own appeal.
func (a *Area) submitted(w http.ResponseWriter, r *http.Request) {
	v := web.ViewerFrom(r.Context())
	m := web.Municipality(r)
	ap, err := a.store.ByNumber(r.Context(), a.DB, m.ID, r.PathValue("number"))
	if err == nil && ap.AccountID != v.ID {
		err = fmt.Errorf("appeal: %w", db.ErrNotFound)
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "appeals/submitted", "Обращение зарегистрировано", map[string]any{
		"Appeal": ap, "Repeat": r.URL.Query().Get("repeat") == "1",
	})
}

func (a *Area) addressee(f *web.Form, in *NewAppeal) {
	switch sel := f.Get("addressee"); {
	case strings.HasPrefix(sel, "dept:"):
		in.AddresseeDepartment, _ = strconv.ParseInt(strings.TrimPrefix(sel, "dept:"), 10, 64)
		if in.AddresseeDepartment == 0 {
			in.AddresseeDepartment = -1 // fails validation as an unknown department
		}
	case sel == "official":
		in.Addressee = f.Get("official")
	default:
		in.Addressee = "Администрация"
	}
}

var uploadKinds = []files.Kind{files.PDF, files.DOCX, files.JPEG, files.PNG}

// saveUploads stores the attachments of a form. When one of them is refused,
// those already stored are removed: the form is shown again and the files
// have to be chosen anew, so nothing may stay behind that no appeal holds.
func (a *Area) saveUploads(r *http.Request, munID, accountID int64, uploads []*multipart.FileHeader) ([]int64, error) {
	ids, err := a.storeUploads(r, munID, accountID, uploads)
	if err != nil {
		a.discardUploads(r.Context(), munID, ids)
		return nil, err
	}
	return ids, nil
}

// storeUploads stores each upload in turn and returns the ids stored so
// far with the first refusal.
func (a *Area) storeUploads(r *http.Request, munID, accountID int64, uploads []*multipart.FileHeader) ([]int64, error) {
	var ids []int64
	for _, fh := range uploads {
		if fh.Size == 0 {
			continue
		}
		file, err := fh.Open()
		if err != nil {
			return ids, fmt.Errorf("open upload: %w", err)
		}
		meta, err := a.files.Save(r.Context(), munID, accountID, fh.Filename, file, uploadKinds...)
		file.Close()
		switch {
		case errors.Is(err, files.ErrType):
			return ids, FieldErrors{"attachments": "Файл «" + files.CleanName(fh.Filename, "") + "»: допускаются PDF, DOCX, JPEG и PNG."}
		case errors.Is(err, files.ErrSize):
			return ids, FieldErrors{"attachments": fmt.Sprintf("Файл «%s» больше %d МБ.", files.CleanName(fh.Filename, ""), a.cfg.MaxAttachmentSize>>20)}
		case err != nil:
			return ids, err
		}
		ids = append(ids, meta.ID)
	}
	return ids, nil
}

// discardUploads removes stored attachments that no appeal or answer took
// (the registration or the step failed after they were saved). A failure
// is logged, not shown: the citizen's request has its own answer.
func (a *Area) discardUploads(ctx context.Context, munID int64, ids []int64) {
	if len(ids) == 0 {
		return
	}
	var keys []string
	err := a.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		keys, err = a.files.RemoveRecords(ctx, tx, munID, ids)
		return err
	})
	if err == nil {
		err = a.files.DeleteBlobs(ctx, keys)
	}
	if err != nil && a.Log != nil {
		a.Log.Warn("appeals: attachments of a failed submission were not removed", "files", ids, "err", err)
	}
}

func (a *Area) statusPage(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	q := r.URL.Query()
	f := web.NewForm(url.Values{"number": {q.Get("number")}, "contact": {q.Get("contact")}})
	data := map[string]any{"Form": f}
	status := http.StatusOK
	if q.Has("number") || q.Has("contact") {
		if !a.statusLimiter.Allow(web.ClientIP(r)) || !a.statusLimiter.Allow("n:"+strings.TrimSpace(q.Get("number"))) {
			w.Header().Set("Retry-After", "60")
			a.Errors.Render(w, r, web.ErrTooManyRequests)
			return
		}
		if f.Get("number") == "" {
			f.Fail("number", "Укажите регистрационный номер обращения.")
		}
		if f.Get("contact") == "" {
			f.Fail("contact", "Укажите адрес электронной почты или телефон из обращения.")
		}
		if f.Valid() {
			p, err := a.PublicStatus(r.Context(), m.ID, f.Get("number"), f.Get("contact"))
			switch {
			case errors.Is(err, ErrStatusNotFound):
				f.Fail("number", ErrStatusNotFound.Error())
			case err != nil:
				a.Errors.Render(w, r, err)
				return
			default:
				data["Result"] = p
			}
		}
		if !f.Valid() {
			status = http.StatusUnprocessableEntity
		}
	}
	a.Renderer.Page(w, r, status, "appeals/status", "Узнать статус обращения", data)
}

func (a *Area) mine(w http.ResponseWriter, r *http.Request) {
	v := web.ViewerFrom(r.Context())
	m := web.Municipality(r)
	p := web.NewPager(r.URL, 20)
	list, total, err := a.store.List(r.Context(), m.ID, Filter{AccountID: v.ID}, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	a.Renderer.Page(w, r, http.StatusOK, "appeals/mine", "Мои обращения", map[string]any{"Appeals": list, "Pager": p})
}

func (a *Area) myAppeal(w http.ResponseWriter, r *http.Request) {
	v := web.ViewerFrom(r.Context())
	m := web.Municipality(r)
	ap, err := a.store.ByNumber(r.Context(), a.DB, m.ID, r.PathValue("number"))
	if err == nil && ap.AccountID != v.ID {
		err = fmt.Errorf("appeal: %w", db.ErrNotFound)
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	hist, err := a.store.History(r.Context(), ap.ID, true)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	att, err := a.store.Attachments(r.Context(), ap.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	// The answer is the citizen's once it is sent, not while it is a draft.
	showAnswer := ap.Status == StatusAnswered
	var shown []Attachment
	for _, x := range att {
		if x.Role == "appeal" || showAnswer {
			shown = append(shown, x)
		}
	}
	a.Renderer.Page(w, r, http.StatusOK, "appeals/my_appeal", "Обращение № "+ap.Number, map[string]any{
		"Appeal": ap, "History": hist, "Attachments": shown, "ShowAnswer": showAnswer,
	})
}

func (a *Area) file(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	v := web.ViewerFrom(r.Context())
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		a.Errors.Render(w, r, web.ErrNotFound)
		return
	}
	ap, err := a.store.AppealOfFile(r.Context(), m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	staff := RoleOf(v, ap).Any()
	if ap.AccountID != v.ID && !staff {
		a.Errors.Render(w, r, web.ErrNotFound)
		return
	}
	if !staff {
		// The files of the answer are the citizen's once it is sent.
		var role string
		if err := a.DB.QueryRow(r.Context(), `SELECT role FROM appeal_files WHERE file_id = ?`, id).Scan(&role); err != nil || (role == "answer" && ap.Status != StatusAnswered) {
			a.Errors.Render(w, r, web.ErrNotFound)
			return
		}
	}
	meta, err := a.files.Get(r.Context(), m.ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	rc, err := a.files.Storage.Open(r.Context(), meta.Key)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", meta.ContentType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(meta.Name))
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = io.Copy(w, rc)
}

// ---- reports ----

func (a *Area) reportsPage(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	p := web.NewPager(r.URL, 20)
	list, total, err := a.store.Reports(r.Context(), m.ID, true, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	page := a.Renderer.NewPage(r, "Отчёты об обращениях граждан", map[string]any{"Reports": list, "Pager": p})
	page.Feeds = append(page.Feeds, reportsFeedLink)
	page.Description = "Отчёты об обращениях граждан: сколько обращений поступило и рассмотрено, в срок ли даны ответы, выводы и принятые меры."
	page.OGType = "website"
	a.Renderer.Render(w, r, http.StatusOK, "appeals/reports", page)
}

// report reads a report for a page: published ones for everyone, drafts for
// administrators only (to check before publishing).
func (a *Area) report(r *http.Request) (StoredReport, error) {
	m := web.Municipality(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return StoredReport{}, web.ErrNotFound
	}
	sr, err := a.store.ReportByID(r.Context(), a.DB, m.ID, id)
	if err != nil {
		return sr, err
	}
	if !sr.Published() && !web.ViewerFrom(r.Context()).Has(auth.Administrator) {
		return sr, web.ErrNotFound
	}
	return sr, nil
}

func (a *Area) reportPage(w http.ResponseWriter, r *http.Request) {
	sr, err := a.report(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	page := a.Renderer.NewPage(r, sr.Title, sr)
	page.Feeds = append(page.Feeds, reportsFeedLink)
	n := sr.Data.Total
	desc := fmt.Sprintf("%s: %s %d %s, рассмотрено %d.", sr.Title, web.Plural(n, "поступило", "поступили", "поступило"), n,
		web.Plural(n, "обращение", "обращения", "обращений"), sr.Data.Answered)
	if sr.Narrative != "" {
		desc += " " + sr.Narrative
	}
	page.Description = web.Summary(desc, 160)
	page.OGType = "article"
	a.Renderer.Render(w, r, http.StatusOK, "appeals/report", page)
}

func (a *Area) reportXLSX(w http.ResponseWriter, r *http.Request) {
	sr, err := a.report(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, web.Municipality(r).Name, sr.Data, sr.Narrative); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	w.Header().Set("Content-Type", files.XLSX.ContentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="appeals-report-%s.xlsx"`, sr.From))
	_, _ = buf.WriteTo(w)
}

func (a *Area) reportPDF(w http.ResponseWriter, r *http.Request) {
	sr, err := a.report(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := WritePDF(&buf, web.Municipality(r).Name, sr.Data, sr.Narrative); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="appeals-report-%s.pdf"`, sr.From))
	_, _ = buf.WriteTo(w)
}

// ---- staff pages ----

func (a *Area) adminList(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	v := web.ViewerFrom(r.Context())
	today := a.Today(m)
	cal, err := a.Calendar(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	q := r.URL.Query()
	f := Filter{Status: q.Get("status"), Overdue: q.Get("overdue") == "yes", Today: today}
	if _, ok := statusLabels[Status(f.Status)]; !ok {
		f.Status = ""
	}
	f.DepartmentID, _ = strconv.ParseInt(q.Get("department"), 10, 64)
	onlyDept := int64(0)
	if !seesAll(v) {
		// Department staff see their department's appeals only.
		onlyDept = v.DepartmentID
		if onlyDept == 0 {
			onlyDept = -1
		}
		f.DepartmentID = onlyDept
	}
	load, err := a.store.Dashboard(r.Context(), m.ID, today, cal.AddWorkingDays(today, a.cfg.DueSoonDays), onlyDept)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p := web.NewPager(r.URL, 25)
	list, total, err := a.store.List(r.Context(), m.ID, f, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	if len(list) > 0 {
		// The list shows appellants' names: which appeals were shown to whom
		// is recorded like any other view.
		shown := make([]string, 0, len(list))
		for _, ap := range list {
			shown = append(shown, ap.Number)
		}
		err := a.DB.InTx(r.Context(), func(tx *db.Tx) error {
			return audit.Write(r.Context(), tx, a.DB.Now(), actorOf(r).auditEntry(m.ID, "appeal.list_viewed", "", nil, map[string]any{"shown": shown}))
		})
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
	}
	depts, err := a.Tenants.Departments(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var statuses []Option
	for _, s := range append(append([]Status{}, OpenStatuses...), ClosedStatuses...) {
		statuses = append(statuses, Option{string(s), s.Label()})
	}
	a.Renderer.Page(w, r, http.StatusOK, "appeals/admin_list", "Обращения граждан: работа", map[string]any{
		"Load": load, "Appeals": list, "Pager": p, "Today": today, "Filter": q, "Departments": depts, "Statuses": statuses,
		"SeesAll": seesAll(v), "IsAdmin": v.Has(auth.Administrator), "DueSoonDays": a.cfg.DueSoonDays,
	})
}

func (a *Area) adminNewForm(w http.ResponseWriter, r *http.Request) {
	today := a.Today(web.Municipality(r)).String()
	f := web.NewForm(url.Values{"channel": {"written"}, "received_on": {today}, "registered_on": {today}, "addressee": {"administration"}})
	a.renderForm(w, r, http.StatusOK, "appeals/admin_new", "Регистрация обращения", f)
}

func (a *Area) adminCreate(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	f, err := a.parseUpload(w, r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	in := NewAppeal{
		Channel: f.Get("channel"), Kind: f.Get("kind"), Author: authorFromForm(f), Text: f.Get("text"),
		Collective: f.Get("collective") == "yes", Cosigners: ParseCosigners(f.Values.Get("cosigners")),
		Repeated: f.Get("repeated") == "yes", QuestionCode: f.Get("topic"),
	}
	in.ReceivedFrom, in.AnswerMethod = f.Get("received_from"), f.Get("answer_method")
	in.ReceivedOn, _ = deadline.ParseDate(f.Get("received_on"))
	in.RegisteredOn, _ = deadline.ParseDate(f.Get("registered_on"))
	a.addressee(f, &in)
	if d, err := strconv.ParseInt(f.Get("department"), 10, 64); err == nil {
		in.Assign = d
	}
	v := web.ViewerFrom(r.Context())
	errs := a.validateNew(r.Context(), m.ID, &in, a.Today(m), false)
	var uploads []*multipart.FileHeader
	if r.MultipartForm != nil {
		uploads = r.MultipartForm.File["attachments"]
	}
	if len(errs) == 0 {
		if in.Files, err = a.saveUploads(r, m.ID, v.ID, uploads); err != nil {
			var fe FieldErrors
			if !errors.As(err, &fe) {
				a.Errors.Render(w, r, err)
				return
			}
			errs = fe
		}
	}
	if len(errs) == 0 {
		var ap Appeal
		ap, err = a.Register(r.Context(), m, in, actorOf(r), false)
		if err != nil {
			a.discardUploads(r.Context(), m.ID, in.Files)
		}
		if err == nil {
			web.SetFlash(a.Sessions, r, "Обращение зарегистрировано под номером "+ap.Number+".")
			http.Redirect(w, r, "/admin/appeals/"+ap.Href(), http.StatusSeeOther)
			return
		}
		if !errors.As(err, &errs) {
			a.Errors.Render(w, r, err)
			return
		}
	}
	uploadsNotSaved(errs, uploads)
	failAll(f, errs)
	a.renderForm(w, r, http.StatusUnprocessableEntity, "appeals/admin_new", "Регистрация обращения", f)
}

type appealPage struct {
	Appeal      Appeal
	History     []Entry
	Attachments []Attachment
	Allowed     map[string]bool
	Departments []tenant.Department
	Staff       []auth.Recipient
	Questions   []Topic
	Grounds     []Ground
	Results     []Option
	Kinds       []Option
	Today       deadline.Date
	Overdue     bool
	// TermEnded: the answer term has passed, so it can no longer be
	// extended (ч. 2 ст. 12 59-ФЗ); the form says why instead.
	TermEnded bool
	Form      *web.Form
	Step      string
	Config    Config
}

func (a *Area) adminAppeal(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	ap, err := a.View(r.Context(), m, r.PathValue("number"), actorOf(r), roleFor(r), "page")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.renderAppeal(w, r, http.StatusOK, ap, web.NewForm(nil), "")
}

func (a *Area) renderAppeal(w http.ResponseWriter, r *http.Request, status int, ap Appeal, f *web.Form, step string) {
	m := web.Municipality(r)
	p, err := a.appealPageData(r, m, ap)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.Form, p.Step = f, step
	a.Renderer.Page(w, r, status, "appeals/admin_appeal", "Обращение № "+ap.Number, p)
}

func (a *Area) appealPageData(r *http.Request, m tenant.Municipality, ap Appeal) (appealPage, error) {
	ctx := r.Context()
	p := appealPage{Appeal: ap, Grounds: Grounds, Results: AnswerResults, Kinds: Kinds, Today: a.Today(m), Config: a.cfg}
	p.Overdue = ap.Overdue(p.Today)
	p.TermEnded = p.Today.After(ap.Due.AnswerBy)
	p.Allowed = map[string]bool{}
	role := RoleOf(web.ViewerFrom(ctx), ap)
	for act := range Allowed(ap.Status, role) {
		p.Allowed[string(act)] = true
	}
	p.Allowed["publish_answer"] = role.Head && ap.Status == StatusAnswered
	var err error
	if p.History, err = a.store.History(ctx, ap.ID, false); err != nil {
		return p, err
	}
	if p.Attachments, err = a.store.Attachments(ctx, ap.ID); err != nil {
		return p, err
	}
	if p.Departments, err = a.Tenants.Departments(ctx, m.ID); err != nil {
		return p, err
	}
	if ap.DepartmentID != 0 {
		if p.Staff, err = a.staffOf(ctx, m.ID, ap.DepartmentID, auth.Staff...); err != nil {
			return p, err
		}
	}
	topics, err := a.store.Topics(ctx, m.ID)
	if err != nil {
		return p, err
	}
	for _, t := range topics {
		if t.Level == 4 {
			p.Questions = append(p.Questions, t)
		}
	}
	return p, nil
}

func (a *Area) adminStep(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	f, err := a.parseUpload(w, r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	st := stepFromForm(f)
	if st.Action == ActDraft && r.MultipartForm != nil {
		if ups := r.MultipartForm.File["attachments"]; len(ups) > 0 {
			cur, err := a.store.ByNumber(r.Context(), a.DB, m.ID, r.PathValue("number"))
			if err != nil || !RoleOf(web.ViewerFrom(r.Context()), cur).Any() {
				a.Errors.Render(w, r, web.ErrNotFound)
				return
			}
			if len(ups) > a.cfg.MaxAttachments {
				failAll(f, FieldErrors{"attachments": fmt.Sprintf("Можно приложить не более %d файлов.", a.cfg.MaxAttachments)})
				a.renderAppeal(w, r, http.StatusUnprocessableEntity, cur, f, string(st.Action))
				return
			}
			st.Files, err = a.saveUploads(r, m.ID, web.ViewerFrom(r.Context()).ID, ups)
			var fe FieldErrors
			if errors.As(err, &fe) {
				failAll(f, fe)
				a.renderAppeal(w, r, http.StatusUnprocessableEntity, cur, f, string(st.Action))
				return
			}
			if err != nil {
				a.Errors.Render(w, r, err)
				return
			}
		}
	}
	ap, err := a.Apply(r.Context(), m, r.PathValue("number"), st, actorOf(r), roleFor(r))
	if err != nil {
		a.discardUploads(r.Context(), m.ID, st.Files)
	}
	var fe FieldErrors
	switch {
	case err == nil:
		web.SetFlash(a.Sessions, r, ActionLabel(string(st.Action))+": выполнено.")
		http.Redirect(w, r, "/admin/appeals/"+ap.Href(), http.StatusSeeOther)
	case errors.As(err, &fe):
		failAll(f, fe)
		cur, gerr := a.store.ByNumber(r.Context(), a.DB, m.ID, r.PathValue("number"))
		if gerr != nil {
			a.Errors.Render(w, r, gerr)
			return
		}
		a.renderAppeal(w, r, http.StatusUnprocessableEntity, cur, f, string(st.Action))
	case errors.Is(err, ErrForbiddenAction):
		a.Errors.Render(w, r, web.ErrForbidden)
	case errors.Is(err, ErrWrongState):
		a.Errors.Render(w, r, &web.Error{Status: http.StatusConflict, Code: "conflict", Message: "Это действие недоступно в текущем состоянии обращения. Обновите страницу."})
	default:
		a.Errors.Render(w, r, err)
	}
}

func stepFromForm(f *web.Form) Step {
	st := Step{Action: Action(f.Get("action")), Answer: f.Values.Get("answer"), Result: f.Get("result"), Kind: f.Get("kind"),
		QuestionCode: f.Get("topic"), Repeated: f.Get("repeated") == "yes", ForwardTo: f.Get("forward_to"), Ground: f.Get("ground"), Link: f.Get("link"),
		Basis: f.Get("basis"), Note: f.Get("note")}
	if st.Action == ActExtend {
		st.Note = f.Get("reason")
	}
	st.DepartmentID, _ = strconv.ParseInt(f.Get("department"), 10, 64)
	st.AssigneeID, _ = strconv.ParseInt(f.Get("assignee"), 10, 64)
	st.Days, _ = strconv.Atoi(f.Get("days"))
	return st
}

func (a *Area) console(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	data := map[string]any{"Q": q, "Form": web.NewForm(url.Values{"number": {r.URL.Query().Get("number")}})}
	if q != "" {
		list, err := a.store.Lookup(r.Context(), m.ID, q, 20)
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		data["Results"], data["Searched"] = list, true
		if len(list) != 1 {
			// A list of matches shows names too: record which appeals were
			// shown (the query itself may be a name, so it is not copied).
			found := make([]string, 0, len(list))
			for _, ap := range list {
				found = append(found, ap.Number)
			}
			err := a.DB.InTx(r.Context(), func(tx *db.Tx) error {
				return audit.Write(r.Context(), tx, a.DB.Now(), actorOf(r).auditEntry(m.ID, "appeal.looked_up", "", nil, map[string]any{"kind": LookupKind(q), "found": found}))
			})
			if err != nil {
				a.Errors.Render(w, r, err)
				return
			}
		}
		if len(list) == 1 {
			ap, err := a.View(r.Context(), m, list[0].Number, actorOf(r), roleFor(r), "console")
			if err != nil {
				a.Errors.Render(w, r, err)
				return
			}
			p, err := a.appealPageData(r, m, ap)
			if err != nil {
				a.Errors.Render(w, r, err)
				return
			}
			data["One"] = p
			data["Form"] = web.NewForm(url.Values{"number": {ap.Number}})
		}
	}
	calls, err := a.store.RecentCalls(r.Context(), m.ID, 10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	data["Calls"] = calls
	a.Renderer.Page(w, r, http.StatusOK, "appeals/console", "Справочный телефон: поиск обращения", data)
}

func (a *Area) logCall(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	f, err := web.ParseForm(w, r, 64<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	err = a.LogCall(r.Context(), m, f.Get("number"), f.Get("note"), actorOf(r))
	var fe FieldErrors
	if errors.As(err, &fe) {
		failAll(f, fe)
		calls, cerr := a.store.RecentCalls(r.Context(), m.ID, 10)
		if cerr != nil {
			a.Errors.Render(w, r, cerr)
			return
		}
		a.Renderer.Page(w, r, http.StatusUnprocessableEntity, "appeals/console", "Справочный телефон: поиск обращения", map[string]any{"Form": f, "Calls": calls, "Q": f.Get("number")})
		return
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Звонок записан в журнал.")
	http.Redirect(w, r, "/admin/appeals/console?q="+url.QueryEscape(f.Get("number")), http.StatusSeeOther)
}
