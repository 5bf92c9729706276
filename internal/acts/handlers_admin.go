package acts

import (
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// actFields is the order of the act form's fields, for the error summary.
var actFields = []string{"kind", "number", "date", "title", "status", "department", "spheres", "text", "published"}

// failAll copies rule errors onto a form in the order of its fields.
func failAll(f *web.Form, e Errors, order []string) {
	for _, k := range order {
		if msg, ok := e[k]; ok {
			f.Fail(k, msg)
		}
	}
	for k, msg := range e {
		f.Fail(k, msg)
	}
}

func (a *Area) adminList(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	spheres, err := a.Tenants.Spheres(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f, sel := listFilter(r, spheres)
	q := r.URL.Query()
	if v := q.Get("published"); v == "yes" || v == "no" {
		f.Published, sel["published"] = v, v
	}
	f.Query = strings.TrimSpace(q.Get("q"))
	p := web.NewPager(r.URL, 50)
	list, total, err := a.Store.ListActs(r.Context(), a.DB, m.ID, f, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	a.Renderer.Page(w, r, http.StatusOK, "acts/admin_list", "Реестр правовых актов: ведение", map[string]any{
		"Acts": list, "Pager": p, "Total": total, "Kinds": Kinds, "Statuses": Statuses,
		"Spheres": spheres, "Selected": sel, "Q": f.Query,
	})
}

// actForm is the data of the act form pages.
type actForm struct {
	Form        *web.Form
	Act         Act
	Kinds       []Option
	Statuses    []Option
	Departments []tenant.Department
	Spheres     []tenant.Sphere
	Checked     map[string]bool
	// Edit page only.
	Attachments  []Attachment
	Out, In      []Link
	Explanations []Explanation
	Formats      []Option
	LinkKinds    []Option
	LinkForm     *web.Form
	FileForm     *web.Form
}

func (a *Area) formData(ctx context.Context, m tenant.Municipality, f *web.Form) (*actForm, error) {
	depts, err := a.Tenants.Departments(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	spheres, err := a.Tenants.Spheres(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	checked := map[string]bool{}
	for _, s := range f.Values["spheres"] {
		checked[s] = true
	}
	return &actForm{Form: f, Kinds: Kinds, Statuses: Statuses, Departments: depts, Spheres: spheres, Checked: checked,
		Formats: Formats, LinkKinds: LinkKinds, LinkForm: web.NewForm(nil), FileForm: web.NewForm(nil)}, nil
}

func (a *Area) adminNew(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm(nil)
	f.Values.Set("status", StatusInForce)
	f.Values.Set("kind", "resolution")
	if v := web.ViewerFrom(r.Context()); v != nil && v.DepartmentID != 0 {
		f.Values.Set("department", strconv.FormatInt(v.DepartmentID, 10))
	}
	data, err := a.formData(r.Context(), web.Municipality(r), f)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "acts/admin_new", "Новый правовой акт", data)
}

// actFromForm reads and checks the act form. The returned act is normalised
// (codes, ISO date) when the form is valid.
func (a *Area) actFromForm(ctx context.Context, m tenant.Municipality, f *web.Form, data *actForm) Act {
	act := Act{Kind: f.Get("kind"), Number: f.Get("number"), Date: f.Get("date"), Title: f.Get("title"), Status: f.Get("status"),
		Text: strings.ReplaceAll(f.Values.Get("text"), "\r\n", "\n"), Spheres: f.Values["spheres"], Published: f.Get("published") == "yes"}
	valid := map[string]bool{}
	for _, s := range data.Spheres {
		valid[s.Slug] = true
	}
	failAll(f, Validate(act, valid, a.DB.Now()), actFields)
	if d := f.Get("department"); d != "" {
		id, _ := strconv.ParseInt(d, 10, 64)
		found := false
		for _, x := range data.Departments {
			found = found || x.ID == id
		}
		if !found {
			f.Fail("department", "Выберите подразделение из списка.")
		}
		act.DepartmentID = id
	}
	act.Kind, _ = ParseKind(act.Kind)
	act.Status, _ = ParseStatus(act.Status)
	act.Date, _ = ParseDate(act.Date, a.DB.Now())
	return act
}

func (a *Area) adminCreate(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	data, err := a.formData(r.Context(), m, f)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	act := a.actFromForm(r.Context(), m, f, data)
	if f.Valid() {
		err := a.DB.InTx(r.Context(), func(tx *db.Tx) error { return a.SaveAct(r.Context(), tx, ActorFrom(r), nil, &act) })
		switch {
		case errors.Is(err, ErrDuplicate):
			f.Fail("number", err.Error())
		case err != nil:
			a.Errors.Render(w, r, err)
			return
		default:
			web.SetFlash(a.Sessions, r, "Акт добавлен в реестр. Теперь можно приложить файлы, указать связи и добавить пояснения.")
			http.Redirect(w, r, fmt.Sprintf("/admin/acts/%d", act.ID), http.StatusSeeOther)
			return
		}
	}
	a.Renderer.Page(w, r, http.StatusUnprocessableEntity, "acts/admin_new", "Новый правовой акт", data)
}

func (a *Area) loadAct(w http.ResponseWriter, r *http.Request) (Act, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return Act{}, false
	}
	act, err := a.Store.GetAct(r.Context(), a.DB, web.Municipality(r).ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return Act{}, false
	}
	return act, true
}

func actValues(act Act) url.Values {
	v := url.Values{}
	v.Set("kind", act.Kind)
	v.Set("number", act.Number)
	v.Set("date", act.Date)
	v.Set("title", act.Title)
	v.Set("status", act.Status)
	if act.DepartmentID != 0 {
		v.Set("department", strconv.FormatInt(act.DepartmentID, 10))
	}
	v["spheres"] = act.Spheres
	v.Set("text", act.Text)
	if act.Published {
		v.Set("published", "yes")
	}
	return v
}

// renderEdit shows the edit page with whichever of its three forms failed.
func (a *Area) renderEdit(w http.ResponseWriter, r *http.Request, status int, act Act, f, linkForm, fileForm *web.Form) {
	ctx := r.Context()
	m := web.Municipality(r)
	if f == nil {
		f = web.NewForm(actValues(act))
	}
	data, err := a.formData(ctx, m, f)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	data.Act = act
	if linkForm != nil {
		data.LinkForm = linkForm
	}
	if fileForm != nil {
		data.FileForm = fileForm
	}
	if data.Attachments, err = a.Store.Attachments(ctx, a.DB, act.ID); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if data.Out, data.In, err = a.Store.Links(ctx, a.DB, m.ID, act.ID, false); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if data.Explanations, err = a.Store.Explanations(ctx, a.DB, act.ID, false); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, status, "acts/admin_edit", act.Heading(), data)
}

func (a *Area) adminEdit(w http.ResponseWriter, r *http.Request) {
	act, ok := a.loadAct(w, r)
	if !ok {
		return
	}
	a.renderEdit(w, r, http.StatusOK, act, nil, nil, nil)
}

func (a *Area) adminUpdate(w http.ResponseWriter, r *http.Request) {
	before, ok := a.loadAct(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	data, err := a.formData(r.Context(), m, f)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	act := a.actFromForm(r.Context(), m, f, data)
	if f.Valid() {
		act.ID, act.PublishedAt, act.CreatedAt = before.ID, before.PublishedAt, before.CreatedAt
		err := a.DB.InTx(r.Context(), func(tx *db.Tx) error { return a.SaveAct(r.Context(), tx, ActorFrom(r), &before, &act) })
		switch {
		case errors.Is(err, ErrDuplicate):
			f.Fail("number", err.Error())
		case err != nil:
			a.Errors.Render(w, r, err)
			return
		default:
			web.SetFlash(a.Sessions, r, "Изменения сохранены.")
			http.Redirect(w, r, fmt.Sprintf("/admin/acts/%d", act.ID), http.StatusSeeOther)
			return
		}
	}
	a.renderEdit(w, r, http.StatusUnprocessableEntity, before, f, nil, nil)
}

// parseUpload reads a form that may carry one file in the field "file".
// Forms without a file (or sent urlencoded) are read as usual.
func (a *Area) parseUpload(w http.ResponseWriter, r *http.Request) (*web.Form, *multipart.FileHeader, error) {
	limit := a.Files.MaxSize
	if limit <= 0 {
		limit = 20 << 20
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		f, err := web.ParseForm(w, r, maxFormBytes)
		return f, nil, err
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, nil, web.ErrTooLarge
		}
		return nil, nil, web.Invalid("Форма отправлена не полностью. Попробуйте ещё раз.")
	}
	f := web.NewForm(url.Values(r.MultipartForm.Value))
	if fhs := r.MultipartForm.File["file"]; len(fhs) > 0 && fhs[0].Size > 0 {
		return f, fhs[0], nil
	}
	return f, nil, nil
}

// saveUpload stores an uploaded file, or explains in the form why not.
func (a *Area) saveUpload(r *http.Request, f *web.Form, fh *multipart.FileHeader, allowed string, kinds ...files.Kind) (files.Meta, bool) {
	src, err := fh.Open()
	if err != nil {
		f.Fail("file", "Не удалось прочитать файл. Попробуйте ещё раз.")
		return files.Meta{}, false
	}
	defer src.Close()
	var acc int64
	if v := web.ViewerFrom(r.Context()); v != nil {
		acc = v.ID
	}
	meta, err := a.Files.Save(r.Context(), web.Municipality(r).ID, acc, fh.Filename, src, kinds...)
	switch {
	case errors.Is(err, files.ErrType):
		f.Fail("file", "Недопустимый тип файла: загрузите "+allowed+".")
	case errors.Is(err, files.ErrSize):
		f.Fail("file", fmt.Sprintf("Файл слишком большой: допускается не более %s.", SizeLabel(a.Files.MaxSize)))
	case err != nil:
		f.Fail("file", "Не удалось сохранить файл. Попробуйте ещё раз.")
	default:
		return meta, true
	}
	return files.Meta{}, false
}

func (a *Area) adminAttach(w http.ResponseWriter, r *http.Request) {
	act, ok := a.loadAct(w, r)
	if !ok {
		return
	}
	f, fh, err := a.parseUpload(w, r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f.MaxLen("file_title", "Название файла", 300)
	if fh == nil {
		f.Fail("file", "Выберите файл в формате PDF или DOCX.")
	}
	if f.Valid() {
		if meta, ok := a.saveUpload(r, f, fh, "PDF или DOCX", files.PDF, files.DOCX); ok {
			title := f.Get("file_title")
			err := a.DB.InTx(r.Context(), func(tx *db.Tx) error {
				if err := a.Store.AddAttachment(r.Context(), tx, act.ID, meta.ID, title); err != nil {
					return err
				}
				if err := writeAudit(r, tx, a, "attach", "act", act.ID, nil, map[string]any{"file_id": meta.ID, "name": meta.Name, "title": title}); err != nil {
					return err
				}
				if act.Public() {
					// The register's "changed" date moves with the attachment.
					return a.indexAct(r.Context(), tx, &act)
				}
				return nil
			})
			if err != nil {
				a.Errors.Render(w, r, err)
				return
			}
			web.SetFlash(a.Sessions, r, "Файл «"+meta.Name+"» приложен к акту.")
			http.Redirect(w, r, fmt.Sprintf("/admin/acts/%d#attachments", act.ID), http.StatusSeeOther)
			return
		}
	}
	a.renderEdit(w, r, http.StatusUnprocessableEntity, act, nil, nil, f)
}

func (a *Area) adminDetach(w http.ResponseWriter, r *http.Request) {
	act, ok := a.loadAct(w, r)
	if !ok {
		return
	}
	fid, err := web.PathID(r, "file")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.RemoveAttachment(r.Context(), tx, act.ID, fid); err != nil {
			return err
		}
		return writeAudit(r, tx, a, "detach", "act", act.ID, map[string]any{"file_id": fid}, nil)
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Файл откреплён от акта.")
	http.Redirect(w, r, fmt.Sprintf("/admin/acts/%d#attachments", act.ID), http.StatusSeeOther)
}

func writeAudit(r *http.Request, tx *db.Tx, a *Area, action, entity string, id int64, before, after any) error {
	return audit.Write(r.Context(), tx, a.DB.Now(), ActorFrom(r).entry(action, entity, id, before, after))
}

func (a *Area) adminLink(w http.ResponseWriter, r *http.Request) {
	act, ok := a.loadAct(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r, 8<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	kind := f.Get("link_kind")
	if _, ok := lookup(LinkKinds, kind); !ok {
		f.Fail("link_kind", "Выберите вид связи.")
	}
	var target Act
	cits, bad := ParseCitations(f.Get("link_to"))
	switch {
	case f.Get("link_to") == "":
		f.Fail("link_to", "Укажите акт: его номер и дату («№ 118 от 07.03.2018») или адрес на портале.")
	case len(bad) > 0 || len(cits) != 1:
		f.Fail("link_to", "Укажите один акт: «№ 118 от 07.03.2018» или адрес вида /acts/12.")
	default:
		ids, problems := a.Store.Resolve(r.Context(), a.DB, m.ID, cits)
		if len(problems) > 0 {
			f.Fail("link_to", problems[0])
		} else if target, err = a.Store.GetAct(r.Context(), a.DB, m.ID, ids[0]); err != nil {
			a.Errors.Render(w, r, err)
			return
		}
	}
	if f.Valid() {
		err := a.DB.InTx(r.Context(), func(tx *db.Tx) error { return a.AddLink(r.Context(), tx, ActorFrom(r), &act, &target, kind) })
		var we *web.Error
		switch {
		case errors.As(err, &we) && we.Code == "invalid":
			f.Fail("link_to", we.Message)
		case errors.Is(err, ErrLinkExists):
			f.Fail("link_to", err.Error())
		case err != nil:
			a.Errors.Render(w, r, err)
			return
		default:
			msg := "Связь сохранена."
			if act.Public() {
				msg += " Статус акта " + target.Heading() + ": «" + StatusLabel(LinkEffect(target.Status, kind)) + "»."
			}
			web.SetFlash(a.Sessions, r, msg)
			http.Redirect(w, r, fmt.Sprintf("/admin/acts/%d#links", act.ID), http.StatusSeeOther)
			return
		}
	}
	a.renderEdit(w, r, http.StatusUnprocessableEntity, act, nil, f, nil)
}

func (a *Area) adminUnlink(w http.ResponseWriter, r *http.Request) {
	act, ok := a.loadAct(w, r)
	if !ok {
		return
	}
	lid, err := web.PathID(r, "link")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.Store.DeleteLink(r.Context(), tx, act.MunicipalityID, act.ID, lid); err != nil {
			return err
		}
		return writeAudit(r, tx, a, "unlink", "act", act.ID, map[string]any{"link_id": lid}, nil)
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	// The status the link gave stays: whether the other act is in force
	// again is a legal question that a person answers on its own page.
	web.SetFlash(a.Sessions, r, "Связь удалена. Если статус связанного акта изменился из-за неё, исправьте его на странице того акта.")
	http.Redirect(w, r, fmt.Sprintf("/admin/acts/%d#links", act.ID), http.StatusSeeOther)
}

// maxFormBytes fits the longest text an act may have (200 000 characters of
// Cyrillic, URL-encoded at up to six bytes each) with room for the rest.
const maxFormBytes = 1300000 + 64<<10
