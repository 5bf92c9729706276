package site

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// TestPressSecretaryEditsEveryDepartmentsNews is the permission rule as
// the server applies it: for each role and department, whether the news
// form opens, whether an item is published and unpublished, and whether
// one is created for another department.
func TestPressSecretaryEditsEveryDepartmentsNews(t *testing.T) {
	tests := []struct {
		name   string
		dept   string
		roles  []string
		open   int // GET the housing department's news item
		change int // POST publish, then unpublish it
		create int // POST a new item for the housing department
	}{
		{"press secretary", "press", []string{auth.Press}, 200, 303, 303},
		{"press secretary who is also an editor (the demo account)", "press", []string{auth.Press, auth.Editor}, 200, 303, 303},
		{"administrator", "affairs", []string{auth.Administrator}, 200, 303, 303},
		{"editor of the same department", "housing", []string{auth.Editor}, 200, 303, 303},
		{"editor of another department", "affairs", []string{auth.Editor}, 403, 403, 422},
		{"lawyer", "housing", []string{auth.Lawyer}, 403, 403, 403},
		{"resident", "", []string{auth.Resident}, 403, 403, 403},
	}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := newTestSite(t, d)
		housing := itoa64(s.Departments["housing"])
		admin := s.Client("affairs", auth.Administrator)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := admin.PostForm("/admin/site/news", form("title", "Отключение воды: "+tt.name, "body", "Текст", "department", housing, "action", ActionDraft))
				if r.Status != http.StatusSeeOther {
					t.Fatalf("admin creates news: %d %s", r.Status, r.Body)
				}
				nid := idFromLocation(t, r.Header.Get("Location"), "/admin/site/news/")
				c := s.Client(tt.dept, tt.roles...)
				if r := c.Get("/admin/site/news/" + nid); r.Status != tt.open {
					t.Fatalf("open: %d, want %d", r.Status, tt.open)
				}
				r = c.PostForm("/admin/site/news/"+nid, form("title", "Отключение воды 7 декабря", "body", "Текст", "department", housing, "action", ActionPublish))
				if r.Status != tt.change {
					t.Fatalf("publish: %d, want %d: %s", r.Status, tt.change, r.Body)
				}
				state := StateDraft
				if tt.change == http.StatusSeeOther {
					state = StatePublished
				}
				if n, _ := s.Area.Store.NewsByID(context.Background(), d, s.Municipality.ID, mustID(t, nid)); n.State != state {
					t.Fatalf("after publishing the state is %q, want %q", n.State, state)
				}
				if tt.change == http.StatusSeeOther {
					if r := s.Anonymous().Get("/news/" + nid); r.Status != 200 {
						t.Fatalf("published item not public: %d", r.Status)
					}
					if r := c.PostForm("/admin/site/news/"+nid, form("title", "Отключение воды 7 декабря", "body", "Текст", "department", housing, "action", ActionDraft)); r.Status != tt.change {
						t.Fatalf("unpublish: %d", r.Status)
					}
					if r := s.Anonymous().Get("/news/" + nid); r.Status != 404 {
						t.Fatalf("unpublished item still public: %d", r.Status)
					}
				}
				if r := c.PostForm("/admin/site/news", form("title", "Новость ЖКХ от "+tt.name, "body", "Текст", "department", housing, "action", ActionDraft)); r.Status != tt.create {
					t.Fatalf("create for another department: %d, want %d", r.Status, tt.create)
				}
			})
		}
		// The press secretary sees every department's news in the list, an
		// editor only their own.
		press := s.Client("press", auth.Press)
		if r := press.Get("/admin/site/news"); r.Status != 200 || !strings.Contains(r.Body, "Отключение воды") || strings.Contains(r.Body, "Показаны новости вашего подразделения") {
			t.Fatalf("press news list: %d", r.Status)
		}
		if r := s.Client("affairs", auth.Editor).Get("/admin/site/news"); strings.Contains(r.Body, "Отключение воды") {
			t.Fatal("an editor sees another department's news in the list")
		}
		// The press role gives nothing over pages and sections.
		if r := press.Get("/admin/site"); r.Status != http.StatusForbidden {
			t.Fatalf("press on /admin/site: %d", r.Status)
		}
	})
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	var id int64
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("not an id: %q", s)
		}
		id = id*10 + int64(c-'0')
	}
	return id
}

// pngImage is a small real PNG.
func pngImage(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 8, 6))
	for x := 0; x < 8; x++ {
		img.Set(x, 3, color.RGBA{0x0b, 0x4f, 0x9c, 0xff})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestNewsPhotosAndDocuments(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := newTestSite(t, d)
		admin := s.Client("affairs", auth.Administrator)
		r := admin.PostForm("/admin/site/news", form("title", "Выпускной бал", "summary", "Чествовали выпускников", "body", "Текст", "department", itoa64(s.Departments["housing"]), "action", ActionDraft))
		nid := idFromLocation(t, r.Header.Get("Location"), "/admin/site/news/")
		press := s.Client("press", auth.Press)
		photos := "/admin/site/news/" + nid + "/photos"

		// No alternative text: refused beside the field, the caption kept.
		r = press.Upload(photos, form("alt", "", "caption", "Фото: пресс-служба"), "photo", "IMG_0001.png", pngImage(t))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="alt-error"`) || !strings.Contains(r.Body, `value="Фото: пресс-служба"`) {
			t.Fatalf("photo without alt: %d", r.Status)
		}
		// The file name as alt text is no description.
		r = press.Upload(photos, form("alt", "IMG_0001"), "photo", "IMG_0001.png", pngImage(t))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Имя файла не описывает") {
			t.Fatalf("file name as alt: %d", r.Status)
		}
		// HTML named .png is refused by its content; the alt text is kept.
		r = press.Upload(photos, form("alt", "Выпускники на площади"), "photo", "evil.png", []byte("<html><script>alert(1)</script></html>"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "тип определяется по содержимому") || !strings.Contains(r.Body, `value="Выпускники на площади"`) {
			t.Fatalf("HTML as a photo: %d", r.Status)
		}
		// A PDF is not a photo, and no file at all is explained.
		if r := press.Upload(photos, form("alt", "Выпускники на площади"), "photo", "a.png", []byte("%PDF-1.7\n1 0 obj")); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("PDF as a photo: %d", r.Status)
		}
		if r := press.Upload(photos, form("alt", "Выпускники на площади"), "photo", "", nil); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Выберите фотографию") {
			t.Fatalf("no photo: %d", r.Status)
		}
		// Too large for a photo (over 5 MB), though under the upload limit.
		big := append(pngImage(t), bytes.Repeat([]byte{0}, MaxPhotoBytes)...)
		if r := press.Upload(photos, form("alt", "Выпускники на площади"), "photo", "big.png", big); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Файл слишком большой") {
			t.Fatalf("big photo: %d", r.Status)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM site_news_attachments`); n != 0 {
			t.Fatalf("refused uploads attached %d files", n)
		}

		r = press.Upload(photos, form("alt", "Выпускники с дипломами на площади", "caption", "Фото: пресс-служба"), "photo", "IMG_0001.png", pngImage(t))
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin/site/news/"+nid+"#media" {
			t.Fatalf("photo: %d %s", r.Status, r.Body)
		}
		pdf := []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n")
		r = press.Upload("/admin/site/news/"+nid+"/documents", form("doc_title", "Программа праздника"), "document", "programma.pdf", pdf)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("document: %d %s", r.Status, r.Body)
		}
		if r := press.Upload("/admin/site/news/"+nid+"/documents", form("doc_title", "Скрипт"), "document", "x.docx", []byte("MZ\x90\x00")); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `value="Скрипт"`) {
			t.Fatalf("executable as a document: %d", r.Status)
		}
		list, err := s.Area.Store.NewsAttachments(context.Background(), d, s.Municipality.ID, mustID(t, nid))
		if err != nil || len(list) != 2 || list[0].Kind != KindPhoto || list[1].Kind != KindDocument {
			t.Fatalf("attachments: %+v %v", list, err)
		}
		photo, doc := list[0], list[1]

		// A draft's files are not public; the press secretary may preview them.
		if r := s.Anonymous().Get(photo.URL()); r.Status != 404 {
			t.Fatalf("draft's photo served to the public: %d", r.Status)
		}
		if r := press.Get(photo.URL()); r.Status != 200 || r.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("preview of the photo: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		// Publish: the page shows the figure, the document with its type and
		// size, and shares the photo.
		if r := press.PostForm("/admin/site/news/"+nid, form("title", "Выпускной бал", "summary", "Чествовали выпускников", "body", "Текст", "department", itoa64(s.Departments["housing"]), "action", ActionPublish)); r.Status != http.StatusSeeOther {
			t.Fatalf("publish: %d %s", r.Status, r.Body)
		}
		page := s.Anonymous().Get("/news/" + nid)
		for _, want := range []string{
			`<figure class="news-photo">`, `<img src="` + photo.URL() + `" alt="Выпускники с дипломами на площади"`, `<figcaption>Фото: пресс-служба</figcaption>`,
			photo.URL() + `">` + "\n" + `<meta property="og:image:alt" content="Выпускники с дипломами на площади">`,
			`<a href="` + doc.URL() + `">Программа праздника</a> <span class="meta">(PDF, `,
		} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("news page lacks %s", want)
			}
		}
		r = s.Anonymous().Get(doc.URL())
		if r.Status != 200 || r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment;") || r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("document download: %d %v", r.Status, r.Header)
		}
		// Another news item's address does not reach the file.
		if r := s.Anonymous().Get("/news/999999/files/" + itoa64(doc.FileID)); r.Status != 404 {
			t.Fatalf("file under another news id: %d", r.Status)
		}
		// An editor of another department cannot remove it; the press secretary can.
		if r := s.Client("affairs", auth.Editor).PostForm("/admin/site/news/"+nid+"/files/"+itoa64(photo.FileID)+"/delete", nil); r.Status != http.StatusForbidden {
			t.Fatalf("foreign editor removes a photo: %d", r.Status)
		}
		if r := press.PostForm("/admin/site/news/"+nid+"/files/"+itoa64(photo.FileID)+"/delete", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("remove photo: %d %s", r.Status, r.Body)
		}
		if r := press.PostForm("/admin/site/news/"+nid+"/files/"+itoa64(photo.FileID)+"/delete", nil); r.Status != http.StatusNotFound {
			t.Fatalf("remove it again: %d", r.Status)
		}
		page = s.Anonymous().Get("/news/" + nid)
		if strings.Contains(page.Body, "<figure") || strings.Contains(page.Body, photo.URL()) || s.Anonymous().Get(photo.URL()).Status != 404 {
			t.Fatal("a removed photo is still shown or served")
		}
		for action, want := range map[string]int{"attach_photo": 1, "attach_document": 1, "detach_photo": 1} {
			if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'site_news' AND entity_id = ? AND action = ?`, nid, action); n != want {
				t.Errorf("audit %s: %d, want %d", action, n, want)
			}
		}
	})
}

func TestNewsCalendar(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := newTestSite(t, d)
		d.Now = fixedClock(time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC)) // 12:00 on 3 December locally
		admin := s.Client("affairs", auth.Administrator)
		post := func(title, dept, action, at string) string {
			r := admin.PostForm("/admin/site/news", form("title", title, "body", "Текст", "department", itoa64(s.Departments[dept]), "action", action, "publish_at", at))
			if r.Status != http.StatusSeeOther {
				t.Fatalf("%s: %d %s", title, r.Status, r.Body)
			}
			return idFromLocation(t, r.Header.Get("Location"), "/admin/site/news/")
		}
		published := post("Ярмарка на площади", "housing", ActionPublish, "")
		scheduled := post("Ёлка на площади откроется", "affairs", ActionSchedule, "2026-12-20T10:00")
		post("Черновик без даты", "housing", ActionDraft, "")
		post("Новогодние каникулы", "affairs", ActionSchedule, "2027-01-05T09:00")

		// Until its time, the scheduled item is nowhere in public.
		anon := s.Anonymous()
		for _, path := range []string{"/news", "/news/feed.atom", "/sitemap.xml", "/api/v1/news", "/", "/news/" + scheduled, "/api/v1/news/" + scheduled} {
			if r := anon.Get(path); strings.Contains(r.Body, "Ёлка на площади") || (strings.Contains(path, scheduled) && r.Status != 404) {
				t.Errorf("%s shows the scheduled item (%d)", path, r.Status)
			}
		}
		if s.indexed(t, "news/"+scheduled) {
			t.Fatal("a scheduled item is in the search index before its time")
		}

		press := s.Client("press", auth.Press)
		r := press.Get("/admin/news/calendar?month=2026-12")
		if r.Status != 200 {
			t.Fatalf("calendar: %d %s", r.Status, r.Body)
		}
		for _, want := range []string{
			"Календарь публикаций: Декабрь 2026", "опубликовано — 1, запланировано — 1",
			`<a href="/admin/site/news/` + published + `">Ярмарка на площади</a>`, `<a href="/admin/site/news/` + scheduled + `">Ёлка на площади откроется</a>`,
			"Управление ЖКХ", "Управление делами", "10:00 · запланировано",
			`href="/admin/news/calendar?month=2026-11" rel="prev"`, `href="/admin/news/calendar?month=2027-01" rel="next"`,
			`<td class="today" aria-current="date">`,
		} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("calendar lacks %s", want)
			}
		}
		if strings.Contains(r.Body, "Черновик без даты") || strings.Contains(r.Body, "Новогодние каникулы") {
			t.Error("the calendar shows a draft or another month's item")
		}
		// The scheduled item sits on the 20th, the published one on the 3rd.
		if i, j := strings.Index(r.Body, `datetime="2026-12-20"`), strings.Index(r.Body, "Ёлка на площади"); i < 0 || j < i || strings.Index(r.Body, `datetime="2026-12-21"`) < j {
			t.Error("the scheduled item is not in the cell of 20 December")
		}
		if r := press.Get("/admin/news/calendar?month=2027-01"); !strings.Contains(r.Body, "Новогодние каникулы") {
			t.Error("January does not show its scheduled item")
		}
		if r := press.Get("/admin/news/calendar?month=2026-13"); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("bad month: %d", r.Status)
		}
		// An editor sees their own department's items only.
		r = s.Client("affairs", auth.Editor).Get("/admin/news/calendar?month=2026-12")
		if r.Status != 200 || strings.Contains(r.Body, "Ярмарка на площади") || !strings.Contains(r.Body, "Ёлка на площади") {
			t.Errorf("editor's calendar: %d", r.Status)
		}
		if r := s.Client("legal", auth.Lawyer).Get("/admin/news/calendar"); r.Status != http.StatusForbidden {
			t.Errorf("lawyer's calendar: %d", r.Status)
		}

		// When its time comes, the job publishes it and it is public everywhere.
		d.Now = fixedClock(time.Date(2026, 12, 20, 5, 0, 0, 0, time.UTC))
		if n, err := s.Area.PublishDue(context.Background()); err != nil || n != 1 {
			t.Fatalf("PublishDue: %d %v", n, err)
		}
		for _, path := range []string{"/news", "/news/feed.atom", "/sitemap.xml", "/api/v1/news", "/news/" + scheduled} {
			if r := anon.Get(path); r.Status != 200 || !strings.Contains(r.Body, "Ёлка на площади") && !strings.Contains(r.Body, "/news/"+scheduled) {
				t.Errorf("%s does not show the item published at its time (%d)", path, r.Status)
			}
		}
		if !s.indexed(t, "news/"+scheduled) {
			t.Error("the item published at its time is not in the search index")
		}
	})
}
