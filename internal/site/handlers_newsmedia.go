package site

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/web"
)

func (a *Area) mountNewsMedia(rt *web.Router) {
	rt.HandleFunc("POST /admin/site/news/{id}/photos", newsStaff, a.attachPhoto)
	rt.HandleFunc("POST /admin/site/news/{id}/documents", newsStaff, a.attachDocument)
	rt.HandleFunc("POST /admin/site/news/{id}/files/{file}/delete", newsStaff, a.detachNewsFile)
	rt.HandleFunc("GET /news/{id}/files/{file}", web.Public(), a.newsFile)
	rt.HandleFunc("GET /admin/news/calendar", newsStaff, a.newsCalendar)
}

// photoLimit is the largest photo accepted: 5 MB, or less when the
// installation's upload limit is lower.
func (a *Area) photoLimit() int64 {
	if l := a.docLimit(); l < MaxPhotoBytes {
		return l
	}
	return MaxPhotoBytes
}

// docLimit is the installation's upload limit (GLASNOST_UPLOAD_MAX).
func (a *Area) docLimit() int64 {
	if a.Files != nil && a.Files.MaxSize > 0 {
		return a.Files.MaxSize
	}
	return 20 << 20
}

func sizeLabel(n int64) string { return files.SizeLabel(n) }

// readUpload reads a multipart form with one file in field; the file is
// nil when none was chosen. The body may exceed the document limit a
// little (the other fields), so that a too large file is reported beside
// its field with the typed text kept, not as a bare error page.
func (a *Area) readUpload(w http.ResponseWriter, r *http.Request, field string) (*web.Form, *multipart.FileHeader, error) {
	f, uploads, err := web.ParseUpload(w, r, a.docLimit()+(2<<20))
	if err != nil {
		return nil, nil, err
	}
	return f, uploads[field], nil
}

// upload describes one kind of attachment's form: its file field, how
// to name what is expected, its limits and how the other fields read.
type upload struct {
	kind, field, what, allowed string
	max                        int
	limit                      int64
	kinds                      []files.Kind
	read                       func(f *web.Form, fileName string) Attachment
}

func (a *Area) attachPhoto(w http.ResponseWriter, r *http.Request) {
	a.attachUpload(w, r, upload{kind: KindPhoto, field: "photo", what: "фотографию", allowed: "JPEG, PNG или WebP",
		max: MaxNewsPhotos, limit: a.photoLimit(), kinds: PhotoKinds,
		read: func(f *web.Form, fileName string) Attachment {
			f.MaxLen("caption", "Подпись", MaxCaptionChars)
			if err := CheckAlt(f.Get("alt"), fileName); err != nil {
				f.Fail("alt", err.Error())
			}
			return Attachment{Kind: KindPhoto, Alt: f.Get("alt"), Caption: f.Get("caption")}
		}})
}

func (a *Area) attachDocument(w http.ResponseWriter, r *http.Request) {
	a.attachUpload(w, r, upload{kind: KindDocument, field: "document", what: "документ", allowed: "PDF, DOCX, XLSX или ODT",
		max: MaxNewsDocuments, limit: a.docLimit(), kinds: DocumentKinds,
		read: func(f *web.Form, _ string) Attachment {
			f.MaxLen("doc_title", "Название документа", MaxDocTitleChars)
			return Attachment{Kind: KindDocument, Caption: f.Get("doc_title")}
		}})
}

// attachUpload checks the news item and reads the upload's form.
func (a *Area) attachUpload(w http.ResponseWriter, r *http.Request, u upload) {
	n, ok := a.loadNews(w, r)
	if !ok {
		return
	}
	f, fh, err := a.readUpload(w, r, u.field)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	name := ""
	if fh != nil {
		name = fh.Filename
	}
	att := u.read(f, name)
	att.NewsID = n.ID
	a.attach(w, r, n, f, fh, att, u)
}

// attach stores the upload and attaches it with its audit record, or shows
// the news form again with the errors beside the upload's fields and what
// was typed kept.
func (a *Area) attach(w http.ResponseWriter, r *http.Request, n News, f *web.Form, fh *multipart.FileHeader, att Attachment, u upload) {
	m := web.Municipality(r)
	if fh == nil {
		f.Fail(u.field, "Выберите "+u.what+" ("+u.allowed+").")
	} else if fh.Size > u.limit {
		// The part's size is counted by the server as it reads the body; the
		// kernel's own limit may be larger than a photo's.
		f.Fail(u.field, "Файл слишком большой: допускается не более "+sizeLabel(u.limit)+".")
	}
	if f.Valid() {
		if c, err := a.Store.CountNewsAttachments(r.Context(), a.DB, n.ID, u.kind); err != nil {
			a.Errors.Render(w, r, err)
			return
		} else if c >= u.max {
			f.Fail(u.field, fmt.Sprintf("К новости можно приложить не более %d файлов этого вида: удалите ненужные.", u.max))
		}
	}
	if f.Valid() {
		meta, ok := a.saveFile(r, f, fh, u)
		if ok {
			att.FileID, att.Name, att.ContentType, att.Size = meta.ID, meta.Name, meta.ContentType, meta.Size
			a.recordMedia(w, r, n, "attach", func(tx *db.Tx) (Attachment, error) {
				err := a.Store.AddNewsAttachment(r.Context(), tx, m.ID, &att, viewer(r).ID)
				return att, err
			})
			return
		}
	}
	a.renderNewsForm(w, r, http.StatusUnprocessableEntity, newsFormData{Form: web.NewForm(newsValues(m, n)), News: n, MediaForm: f})
}

// saveFile hands the upload to the files kernel, which checks its type by
// content against the allow-list; a refusal is explained beside the field.
func (a *Area) saveFile(r *http.Request, f *web.Form, fh *multipart.FileHeader, u upload) (files.Meta, bool) {
	src, err := fh.Open()
	if err != nil {
		f.Fail(u.field, "Не удалось прочитать файл. Попробуйте ещё раз.")
		return files.Meta{}, false
	}
	defer src.Close()
	meta, err := a.Files.Save(r.Context(), web.Municipality(r).ID, viewer(r).ID, fh.Filename, src, u.kinds...)
	if errors.Is(err, files.ErrType) {
		f.Fail(u.field, "Этот файл не "+u.allowed+" (тип определяется по содержимому, а не по имени). Загрузите "+u.what+" в одном из этих форматов.")
		return meta, false
	}
	if errors.Is(err, files.ErrSize) {
		f.Fail(u.field, "Файл слишком большой: допускается не более "+sizeLabel(u.limit)+".")
		return meta, false
	}
	if err != nil {
		a.Log.ErrorContext(r.Context(), "save news attachment", "err", err)
		f.Fail(u.field, "Не удалось сохранить файл. Попробуйте ещё раз.")
		return meta, false
	}
	return meta, true
}

func attachmentAudit(a Attachment) map[string]any {
	m := map[string]any{"kind": a.Kind, "file_id": a.FileID, "name": a.Name, "content_type": a.ContentType, "size": a.Size, "caption": a.Caption}
	if a.Kind == KindPhoto {
		m["alt"] = a.Alt
	}
	return m
}

func (a *Area) detachNewsFile(w http.ResponseWriter, r *http.Request) {
	n, ok := a.loadNews(w, r)
	if !ok {
		return
	}
	a.recordMedia(w, r, n, "detach", func(tx *db.Tx) (Attachment, error) {
		fid, err := web.PathID(r, "file")
		if err != nil {
			return Attachment{}, err
		}
		att, err := a.Store.NewsAttachment(r.Context(), tx, n.MunicipalityID, n.ID, fid)
		if err != nil {
			return att, err
		}
		err = a.Store.RemoveNewsAttachment(r.Context(), tx, n.MunicipalityID, n.ID, fid)
		return att, err
	})
}

// recordMedia runs change, which attaches or detaches a file, and its
// audit record in one transaction, then returns to the item's media.
func (a *Area) recordMedia(w http.ResponseWriter, r *http.Request, n News, action string, change func(tx *db.Tx) (Attachment, error)) {
	var att Attachment
	err := a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		var err error
		if att, err = change(tx); err != nil {
			return err
		}
		var before, after any = nil, attachmentAudit(att)
		if action == "detach" {
			before, after = after, nil
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, action+"_"+att.Kind, "site_news", itoa64(n.ID), before, after))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, mediaFlash(action, att))
	http.Redirect(w, r, "/admin/site/news/"+itoa64(n.ID)+"#media", http.StatusSeeOther)
}

func mediaFlash(action string, att Attachment) string {
	switch {
	case action == "attach" && att.Kind == KindPhoto:
		return "Фотография добавлена к новости."
	case action == "attach":
		return "Документ «" + att.Title() + "» приложен к новости."
	case att.Kind == KindPhoto:
		return "Фотография удалена из новости."
	}
	return "Документ «" + att.Title() + "» удалён из новости."
}

// newsFile serves a photo (inline) or a document (as a download) of a
// published news item; staff who may edit the item also see those of
// drafts and scheduled items, to check them before publication.
func (a *Area) newsFile(w http.ResponseWriter, r *http.Request) {
	n, ok := a.visibleNews(w, r, true)
	if !ok {
		return
	}
	fid, err := web.PathID(r, "file")
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	m := web.Municipality(r)
	att, err := a.Store.NewsAttachment(r.Context(), a.DB, m.ID, n.ID, fid)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	meta, body, err := a.Files.Open(r.Context(), m.ID, fid)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	defer body.Close()
	public := n.State == StatePublished
	disposition := "inline"
	if att.Kind == KindDocument {
		disposition = "attachment"
	}
	// FormatMediaType writes a Cyrillic name in the RFC 2231 form and
	// quotes the rest, so a name cannot break out of the header.
	cd := mime.FormatMediaType(disposition, map[string]string{"filename": meta.Name})
	if cd == "" {
		cd = disposition
	}
	h := w.Header()
	h.Set("Content-Type", meta.ContentType)
	h.Set("Content-Disposition", cd)
	h.Set("X-Content-Type-Options", "nosniff")
	if public {
		h.Set("Cache-Control", "public, max-age=3600")
	} else {
		h.Set("Cache-Control", "private, no-store")
	}
	if rs, ok := body.(io.ReadSeeker); ok {
		http.ServeContent(w, r, "", time.Time{}, rs)
		return
	}
	h.Set("Content-Length", strconv.FormatInt(meta.Size, 10))
	_, _ = io.Copy(w, body)
}
