package site

import (
	"context"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/web"
)

func TestEditorsChangeOnlyTheirDepartment(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := newTestSite(t, d)
		own := s.section(t, "affairs", "Управление делами", "affairs")
		other := s.section(t, "housing", "ЖКХ", "housing")
		editor := s.Client("affairs", auth.Editor)

		// A page in the editor's own section.
		r := editor.PostForm("/admin/site/pages", form("section", itoa64(own.ID), "title", "Контакты", "slug", "contacts", "body", "Телефон 5-38-00", "action", ActionPublish))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("create own page: %d %s", r.Status, r.Body)
		}
		// Not in another department's section: the form says why.
		r = editor.PostForm("/admin/site/pages", form("section", itoa64(other.ID), "title", "Чужая", "slug", "alien", "body", "x", "action", ActionPublish))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "только в разделах своего подразделения") || !strings.Contains(r.Body, `value="Чужая"`) {
			t.Fatalf("create in another department's section: %d", r.Status)
		}
		// A page of another department cannot be opened or changed.
		admin := s.Client("", auth.Administrator)
		r = admin.PostForm("/admin/site/pages", form("section", itoa64(other.ID), "title", "Отопление", "slug", "heating", "body", "Сезон начался", "action", ActionPublish))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("admin creates page: %d %s", r.Status, r.Body)
		}
		id := idFromLocation(t, r.Header.Get("Location"), "/admin/site/pages/")
		if r := editor.Get("/admin/site/pages/" + id); r.Status != http.StatusForbidden {
			t.Fatalf("GET another department's page: %d", r.Status)
		}
		r = editor.PostForm("/admin/site/pages/"+id, form("section", itoa64(other.ID), "title", "Взлом", "slug", "heating", "body", "x", "action", ActionPublish))
		if r.Status != http.StatusForbidden {
			t.Fatalf("POST another department's page: %d", r.Status)
		}
		if r := editor.PostForm("/admin/site/sections/"+itoa64(other.ID), form("title", "Взлом", "slug", "housing")); r.Status != http.StatusForbidden {
			t.Fatalf("POST another department's section: %d", r.Status)
		}
		// Editors cannot make top-level sections or give a section away.
		r = editor.PostForm("/admin/site/sections", form("title", "Новый", "slug", "new-root", "parent", "0", "department", itoa64(s.Departments["affairs"])))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "верхнего уровня создаёт администратор") {
			t.Fatalf("editor creates a root section: %d", r.Status)
		}
		r = editor.PostForm("/admin/site/sections", form("title", "Подраздел", "slug", "sub", "parent", itoa64(own.ID), "department", itoa64(s.Departments["housing"])))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "только своё подразделение") {
			t.Fatalf("editor gives a section to another department: %d", r.Status)
		}
		r = editor.PostForm("/admin/site/sections", form("title", "Подраздел", "slug", "sub", "parent", itoa64(own.ID), "department", itoa64(s.Departments["affairs"])))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("editor creates own subsection: %d %s", r.Status, r.Body)
		}
		// News of another department.
		r = admin.PostForm("/admin/site/news", form("title", "Новость ЖКХ", "body", "Текст", "department", itoa64(s.Departments["housing"]), "action", ActionPublish))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("admin creates news: %d %s", r.Status, r.Body)
		}
		nid := idFromLocation(t, r.Header.Get("Location"), "/admin/site/news/")
		if r := editor.PostForm("/admin/site/news/"+nid, form("title", "x", "body", "x", "department", itoa64(s.Departments["affairs"]), "action", ActionDraft)); r.Status != http.StatusForbidden {
			t.Fatalf("POST another department's news: %d", r.Status)
		}
		if r := editor.PostForm("/admin/site/news", form("title", "x", "body", "x", "department", itoa64(s.Departments["housing"]), "action", ActionDraft)); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("editor creates news for another department: %d", r.Status)
		}
		// Residents and other staff have no access at all.
		if r := s.Client("affairs", auth.Lawyer).Get("/admin/site"); r.Status != http.StatusForbidden {
			t.Fatalf("lawyer on /admin/site: %d", r.Status)
		}
		// Every change was audited.
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity IN ('site_page', 'site_section', 'site_news')`); n != 4 {
			t.Fatalf("audit records: %d, want 4 (two pages, a section, a news item)", n)
		}
	})
}

func TestDraftsAreNotPublic(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := newTestSite(t, d)
		sec := s.section(t, "info", "Информация", "affairs")
		admin := s.Client("", auth.Administrator)
		r := admin.PostForm("/admin/site/pages", form("section", itoa64(sec.ID), "title", "Секретный черновик", "slug", "draft", "body", "Ещё не готово", "action", ActionDraft))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("create draft: %d %s", r.Status, r.Body)
		}
		pid := idFromLocation(t, r.Header.Get("Location"), "/admin/site/pages/")
		r = admin.PostForm("/admin/site/news", form("title", "Черновик новости", "body", "Текст", "action", ActionDraft))
		nid := idFromLocation(t, r.Header.Get("Location"), "/admin/site/news/")
		anon := s.Anonymous()
		for _, path := range []string{"/sections/info/draft", "/news/" + nid, "/api/v1/pages/" + pid, "/api/v1/news/" + nid} {
			if r := anon.Get(path); r.Status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, r.Status)
			}
		}
		for _, path := range []string{"/sections/info", "/news", "/news/feed.atom", "/sections/info/feed.atom", "/sitemap.xml", "/api/v1/news", "/api/v1/sections"} {
			if r := anon.Get(path); r.Status != 200 || strings.Contains(r.Body, "Черновик") || strings.Contains(r.Body, "/sections/info/draft") {
				t.Errorf("%s: %d or lists the draft", path, r.Status)
			}
		}
		if s.indexed(t, "page/"+pid) || s.indexed(t, "news/"+nid) {
			t.Fatal("a draft reached the search index")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM public_events`); n != 0 {
			t.Fatalf("a draft recorded %d public events", n)
		}
		// Publishing makes it public, indexed and recorded; unpublishing
		// takes it back out of the index.
		r = admin.PostForm("/admin/site/pages/"+pid, form("section", itoa64(sec.ID), "title", "Теперь опубликовано", "slug", "draft", "body", "Готово", "action", ActionPublish))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("publish: %d %s", r.Status, r.Body)
		}
		if r := anon.Get("/sections/info/draft"); r.Status != 200 || !strings.Contains(r.Body, "Теперь опубликовано") {
			t.Fatalf("published page: %d", r.Status)
		}
		if !s.indexed(t, "page/"+pid) || count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = 'page.published'`) != 1 {
			t.Fatal("publication must index the page and record page.published")
		}
		admin.PostForm("/admin/site/pages/"+pid, form("section", itoa64(sec.ID), "title", "Снято", "slug", "draft", "body", "Готово", "action", ActionDraft))
		if s.indexed(t, "page/"+pid) || anon.Get("/sections/info/draft").Status != 404 {
			t.Fatal("an unpublished page must leave the index and the site")
		}
	})
}

func TestMarkdownXSSIsSanitisedOnSave(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := newTestSite(t, d)
		sec := s.section(t, "info", "Информация", "affairs")
		editor := s.Client("affairs", auth.Editor)
		body := "# Заголовок\n\n<script>alert('xss')</script>\n\n[нажми](javascript:alert(1))\n\n<img src=x onerror=alert(1)>"
		r := editor.PostForm("/admin/site/pages", form("section", itoa64(sec.ID), "title", "<b>Заголовок</b>", "slug", "xss", "body", body, "action", ActionPublish))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", r.Status, r.Body)
		}
		page := s.Anonymous().Get("/sections/info/xss")
		if page.Status != 200 || !strings.Contains(page.Body, "<h1 id=") && !strings.Contains(page.Body, "<h1>Заголовок") {
			t.Fatalf("page: %d", page.Status)
		}
		for _, bad := range []string{"<script>alert", "javascript:alert", "onerror", "<b>Заголовок</b>"} {
			if strings.Contains(page.Body, bad) {
				t.Errorf("page contains %q", bad)
			}
		}
		// The HTML is stored, so the view does not render Markdown again.
		var stored string
		if err := d.QueryRow(context.Background(), `SELECT body_html FROM site_pages WHERE slug = 'xss'`).Scan(&stored); err != nil || strings.Contains(stored, "<script") || !strings.Contains(stored, "Заголовок") {
			t.Fatalf("stored HTML %q, %v", stored, err)
		}
	})
}

func TestRevisionsDiff(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := newTestSite(t, d)
		sec := s.section(t, "info", "Информация", "affairs")
		editor := s.Client("affairs", auth.Editor)
		r := editor.PostForm("/admin/site/pages", form("section", itoa64(sec.ID), "title", "Приём граждан", "slug", "reception", "body", "Приём по понедельникам.\nКабинет 105.", "action", ActionPublish))
		pid := idFromLocation(t, r.Header.Get("Location"), "/admin/site/pages/")
		r = editor.PostForm("/admin/site/pages/"+pid, form("section", itoa64(sec.ID), "title", "Приём граждан", "slug", "reception", "body", "Приём по вторникам.\nКабинет 105.", "action", ActionPublish))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("update: %d %s", r.Status, r.Body)
		}
		// Saving without changes adds no revision.
		editor.PostForm("/admin/site/pages/"+pid, form("section", itoa64(sec.ID), "title", "Приём граждан", "slug", "reception", "body", "Приём по вторникам.\nКабинет 105.", "action", ActionPublish))
		rev := editor.Get("/admin/site/pages/" + pid + "/revisions")
		if rev.Status != 200 {
			t.Fatalf("revisions: %d", rev.Status)
		}
		// The changed word is marked, not the whole line twice.
		for _, want := range []string{"Приём по <del><span class=\"visually-hidden\">[удалено: </span>понедельникам", "<ins><span class=\"visually-hidden\">[добавлено: </span>вторникам", editor.Account.FullName, "добавлено строк — 1, удалено строк — 1"} {
			if !strings.Contains(rev.Body, want) {
				t.Errorf("revisions page lacks %q", want)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM site_revisions WHERE object_type = 'page'`); n != 2 {
			t.Fatalf("revisions: %d, want 2", n)
		}
		if r := s.Client("housing", auth.Editor).Get("/admin/site/pages/" + pid + "/revisions"); r.Status != http.StatusForbidden {
			t.Fatalf("another department's revisions: %d", r.Status)
		}
	})
}

func TestScheduledPublication(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := newTestSite(t, d)
		now := time.Date(2026, 11, 29, 7, 0, 0, 0, time.UTC) // 12:00 in Yekaterinburg
		d.Now = fixedClock(now)
		editor := s.Client("affairs", auth.Editor)
		// 2026-11-30 10:00 local is 05:00 UTC.
		r := editor.PostForm("/admin/site/news", form("title", "Режим работы в праздники", "body", "Текст", "department", itoa64(s.Departments["affairs"]), "sphere", itoa64(s.Spheres["housing"]), "action", ActionSchedule, "publish_at", "2026-11-30T10:00"))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("schedule: %d %s", r.Status, r.Body)
		}
		nid := idFromLocation(t, r.Header.Get("Location"), "/admin/site/news/")
		// A time in the past is refused beside the field.
		r = editor.PostForm("/admin/site/news", form("title", "Вчера", "body", "Текст", "department", itoa64(s.Departments["affairs"]), "action", ActionSchedule, "publish_at", "2026-11-28T10:00"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="publish_at-error"`) || !strings.Contains(r.Body, `value="2026-11-28T10:00"`) {
			t.Fatalf("past schedule: %d", r.Status)
		}
		if n, err := s.Area.PublishDue(context.Background()); err != nil || n != 0 {
			t.Fatalf("PublishDue before time: %d, %v", n, err)
		}
		if s.Anonymous().Get("/news/"+nid).Status != 404 {
			t.Fatal("scheduled news is public before its time")
		}
		d.Now = fixedClock(time.Date(2026, 11, 30, 5, 0, 0, 0, time.UTC))
		if n, err := s.Area.PublishDue(context.Background()); err != nil || n != 1 {
			t.Fatalf("PublishDue at time: %d, %v", n, err)
		}
		if n, _ := s.Area.PublishDue(context.Background()); n != 0 {
			t.Fatal("PublishDue published twice")
		}
		page := s.Anonymous().Get("/news/" + nid)
		if page.Status != 200 || !strings.Contains(page.Body, "30.11.2026") {
			t.Fatalf("published news: %d", page.Status)
		}
		if !s.indexed(t, "news/"+nid) || count(t, d, `SELECT COUNT(*) FROM search_doc_spheres sp JOIN search_docs sd ON sd.id = sp.doc_id WHERE sd.type = 'news' AND sd.object_id = ? AND sp.sphere = 'housing'`, nid) != 1 {
			t.Fatal("scheduled news not indexed with its spheres")
		}
		if count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = 'news.published' AND object_id = ?`, nid) != 1 ||
			count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'publish_scheduled' AND actor = 'система'`) != 1 {
			t.Fatal("scheduled publication must record the event and an audit entry")
		}
	})
}

func TestFeedbackOncePerDayAndRateLimited(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := newTestSite(t, d)
		sec := s.section(t, "info", "Информация", "affairs")
		s.section(t, "other", "Другое", "housing")
		s.Area.FeedbackLimiter = web.NewLimiter(time.Hour, 4)
		anon := s.Anonymous()
		page := anon.Get("/sections/info")
		for _, want := range []string{"Полезна ли информация?", `name="relevance"`, `name="completeness"`, `name="usefulness"`, "Что добавить на сайт?", `<legend>`} {
			if !strings.Contains(page.Body, want) {
				t.Fatalf("public page lacks the feedback form (%q)", want)
			}
		}
		if strings.Contains(s.Client("", auth.Administrator).Get("/admin/site").Body, "Полезна ли информация?") {
			t.Fatal("the feedback form must not appear on administration pages")
		}
		// A score out of range comes back with errors beside the fields, keeping the text.
		r := anon.PostForm("/feedback", form("return", "/sections/info", "relevance", "5", "completeness", "9", "suggestion", "Добавьте график приёма"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `href="#completeness"`) || !strings.Contains(r.Body, "Добавьте график приёма") || !strings.Contains(r.Body, `value="5" checked`) {
			t.Fatalf("invalid feedback: %d", r.Status)
		}
		ok := form("return", "/sections/info", "relevance", "5", "completeness", "4", "usefulness", "3", "suggestion", "Добавьте график приёма")
		r = anon.PostForm("/feedback", ok)
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/sections/info" {
			t.Fatalf("feedback: %d %s", r.Status, r.Header.Get("Location"))
		}
		if !strings.Contains(anon.Get("/sections/info").Body, "Спасибо!") {
			t.Fatal("no thanks message after rating")
		}
		// Second rating of the same page the same day: refused politely.
		r = anon.PostForm("/feedback", ok)
		if r.Status != http.StatusSeeOther || !strings.Contains(anon.Get("/sections/info").Body, "уже оценили") {
			t.Fatalf("second rating: %d", r.Status)
		}
		// Another browser from the same address: the address key refuses it too.
		if s.Anonymous().PostForm("/feedback", ok); count(t, d, `SELECT COUNT(*) FROM site_feedback`) != 1 {
			t.Fatal("the same page was rated twice in a day")
		}
		// The rate limit (4 per hour in this test) is spent: 429.
		r = anon.PostForm("/feedback", form("return", "/news", "relevance", "5", "completeness", "5", "usefulness", "5"))
		if r.Status != http.StatusTooManyRequests {
			t.Fatalf("rate limit: %d", r.Status)
		}
		// No raw address is stored, and the rating counts for its section.
		var ipKey string
		var secID int64
		if err := d.QueryRow(context.Background(), `SELECT ip_key, COALESCE(section_id, 0) FROM site_feedback`).Scan(&ipKey, &secID); err != nil || strings.Contains(ipKey, "127.0.0.1") || secID != sec.ID {
			t.Fatalf("stored key %q section %d: %v", ipKey, secID, err)
		}
		// An open redirect through the return path is refused.
		s.Area.FeedbackLimiter = web.NewLimiter(time.Hour, 10)
		r = s.Anonymous().PostForm("/feedback", form("return", "//evil.example/", "relevance", "1", "completeness", "1", "usefulness", "1"))
		if r.Header.Get("Location") != "/" {
			t.Fatalf("redirected to %q", r.Header.Get("Location"))
		}
		// Reports: the section's editor sees it, another department's does not; the administrator sees all.
		if r := s.Client("affairs", auth.Editor).Get("/admin/site/feedback"); r.Status != 200 || !strings.Contains(r.Body, "/sections/info") || !strings.Contains(r.Body, "Добавьте график приёма") {
			t.Fatalf("owner's report: %d", r.Status)
		}
		if r := s.Client("housing", auth.Editor).Get("/admin/site/feedback"); strings.Contains(r.Body, "/sections/info") {
			t.Fatal("another department sees the section's ratings")
		}
		adminReport := s.Client("", auth.Administrator).Get("/admin/site/feedback")
		if !strings.Contains(adminReport.Body, "Отчёт по всему сайту") || !strings.Contains(adminReport.Body, "/sections/info") || !strings.Contains(adminReport.Body, "5,0") {
			t.Fatalf("admin report: %d", adminReport.Status)
		}
		if r := s.Client("", auth.Administrator).Get("/admin/site/feedback/suggestions?path=/sections/info"); !strings.Contains(r.Body, "Добавьте график приёма") {
			t.Fatal("suggestions list")
		}
	})
}

// A visitor may only say what to add, without scoring; an empty form gets a
// message beside the form naming the page by its title; averages leave
// unanswered scores out.
func TestFeedbackSuggestionWithoutScores(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := newTestSite(t, d)
		s.section(t, "info", "Информация", "affairs")
		s.Area.FeedbackLimiter = web.NewLimiter(time.Hour, 10)
		anon := s.Anonymous()
		if page := anon.Get("/sections/info"); !strings.Contains(page.Body, `name="title" value="Информация`) {
			t.Fatal("the rating form does not carry the page's title")
		}
		r := anon.PostForm("/feedback", form("return", "/sections/info", "title", "Информация", "suggestion", "  "))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Оцените страницу хотя бы по одному вопросу или напишите, что добавить на сайт.") ||
			!strings.Contains(r.Body, `<a href="/sections/info">«Информация»</a>`) || !strings.Contains(r.Body, `name="title" value="Информация"`) {
			t.Fatalf("empty rating: %d\n%s", r.Status, r.Body)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM site_feedback`); n != 0 {
			t.Fatalf("an empty rating was stored: %d", n)
		}
		r = anon.PostForm("/feedback", form("return", "/sections/info", "title", "Информация", "suggestion", "Добавьте график приёма"))
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/sections/info" {
			t.Fatalf("suggestion only: %d %s", r.Status, r.Body)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM site_feedback WHERE relevance IS NULL AND completeness IS NULL AND usefulness IS NULL AND suggestion = 'Добавьте график приёма'`); n != 1 {
			t.Fatalf("suggestion-only rating stored with scores: %d", n)
		}
		if r := s.Anonymous().PostForm("/feedback", form("return", "/sections/info/", "relevance", "4", "completeness", "4", "usefulness", "4")); r.Status != http.StatusSeeOther {
			t.Fatalf("scored rating: %d", r.Status)
		}
		admin := s.Client("", auth.Administrator)
		if rep := admin.Get("/admin/site/feedback"); !strings.Contains(rep.Body, "4,0") || strings.Contains(rep.Body, "2,0") {
			t.Fatalf("averages must leave unanswered scores out:\n%s", rep.Body)
		}
		if rep := admin.Get("/admin/site/feedback/suggestions"); !strings.Contains(rep.Body, "Добавьте график приёма") || !strings.Contains(rep.Body, "—") {
			t.Fatal("suggestion-only rating not listed with its missing scores shown as «—»")
		}
	})
}

func TestFeedsSitemapAndAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := newTestSite(t, d)
		sec := s.section(t, "info", "Информация", "affairs")
		admin := s.Client("", auth.Administrator)
		admin.PostForm("/admin/site/pages", form("section", itoa64(sec.ID), "title", "Контакты", "slug", "contacts", "body", "Телефон", "action", ActionPublish))
		for i := 0; i < 23; i++ {
			r := admin.PostForm("/admin/site/news", form("title", "Новость "+itoa64(int64(i)), "summary", "Анонс", "body", "Текст", "section", itoa64(sec.ID), "sphere", itoa64(s.Spheres["education"]), "action", ActionPublish))
			if r.Status != http.StatusSeeOther {
				t.Fatalf("news %d: %d %s", i, r.Status, r.Body)
			}
		}
		anon := s.Anonymous()
		var feed struct {
			XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
			ID      string   `xml:"id"`
			Updated string   `xml:"updated"`
			Entries []struct {
				ID      string `xml:"id"`
				Updated string `xml:"updated"`
				Link    struct {
					Href string `xml:"href,attr"`
				} `xml:"link"`
			} `xml:"entry"`
		}
		r := anon.Get("/news/feed.atom")
		if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/atom+xml") {
			t.Fatalf("news.atom: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		if err := xml.Unmarshal([]byte(r.Body), &feed); err != nil {
			t.Fatalf("news.atom is not Atom: %v", err)
		}
		if feed.ID != "http://portal.test/news/feed.atom" || len(feed.Entries) != 23 || !strings.HasPrefix(feed.Entries[0].ID, "http://portal.test/news/") || feed.Updated != feed.Entries[0].Updated {
			t.Fatalf("feed: id %q, %d entries, updated %q", feed.ID, len(feed.Entries), feed.Updated)
		}
		if _, err := time.Parse(time.RFC3339, feed.Updated); err != nil {
			t.Fatalf("updated is not RFC 3339: %v", err)
		}
		r = anon.Get("/sections/info/feed.atom")
		feed.Entries = nil
		if err := xml.Unmarshal([]byte(r.Body), &feed); err != nil || r.Status != 200 || len(feed.Entries) != 24 {
			t.Fatalf("section feed: %d, %d entries, %v", r.Status, len(feed.Entries), err)
		}
		page := anon.Get("/sections/info")
		if !strings.Contains(page.Body, `<link rel="alternate" type="application/atom+xml" title="Раздел «Информация»" href="/sections/info/feed.atom">`) {
			t.Fatal("section page does not advertise its feed")
		}
		if !strings.Contains(anon.Get("/news").Body, `type="application/atom+xml" title="Новости" href="/news/feed.atom"`) {
			t.Fatal("news page does not advertise its feed")
		}
		sm := anon.Get("/sitemap.xml").Body
		for _, want := range []string{"<loc>http://portal.test/sections/info/contacts</loc>", "<loc>http://portal.test/news/1</loc>", "<loc>http://portal.test/catalogue</loc>"} {
			if !strings.Contains(sm, want) {
				t.Errorf("sitemap lacks %s", want)
			}
		}
		var list struct {
			Total, Page, PerPage int
			Items                []struct {
				ID      int64
				Title   string
				URL     string
				Spheres []string
			}
		}
		anon.API("GET", "/api/v1/news?page=2", nil).JSON(t, &list)
		if list.Total != 23 || list.Page != 2 || len(list.Items) != 3 || list.Items[0].Spheres[0] != "education" {
			t.Fatalf("api news page 2: %+v", list)
		}
		var one map[string]any
		anon.API("GET", "/api/v1/news/"+itoa64(list.Items[0].ID), nil).JSON(t, &one)
		if one["html"] == nil || one["title"] != list.Items[0].Title {
			t.Fatalf("api news item: %v", one)
		}
		var secs struct {
			Sections []struct {
				Path  string
				Pages []struct{ ID int64 }
			}
		}
		anon.API("GET", "/api/v1/sections", nil).JSON(t, &secs)
		if len(secs.Sections) != 1 || secs.Sections[0].Path != "info" || len(secs.Sections[0].Pages) != 1 {
			t.Fatalf("api sections: %+v", secs)
		}
		anon.API("GET", "/api/v1/pages/"+itoa64(secs.Sections[0].Pages[0].ID), nil).JSON(t, &one)
		if one["title"] != "Контакты" {
			t.Fatalf("api page: %v", one)
		}
		for _, p := range []string{"/api/v1/sections", "/api/v1/pages/{id}", "/api/v1/news", "/api/v1/news/{id}"} {
			if !s.API.Has("GET", p) {
				t.Errorf("%s is not in the OpenAPI document", p)
			}
		}
		// Filter by sphere, pagination on the public list.
		if r := anon.Get("/news?sphere=education&page=2"); r.Status != 200 || !strings.Contains(r.Body, "Страница 2 из 2") {
			t.Fatalf("news list page 2: %d", r.Status)
		}
		if r := anon.Get("/news?sphere=transport"); !strings.Contains(r.Body, "0 новостей") {
			t.Fatal("sphere filter")
		}
	})
}

func TestSectionMoveUpdatesPaths(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := newTestSite(t, d)
		a := s.section(t, "a", "А", "affairs")
		s.section(t, "a/b", "Б", "affairs")
		s.section(t, "a/b/c", "В", "affairs")
		s.section(t, "ab", "АБ", "affairs")
		x := s.section(t, "x", "Икс", "affairs")
		admin := s.Client("", auth.Administrator)
		// Moving a under its own descendant is refused.
		b, _ := s.Area.Store.SectionByPath(context.Background(), s.Municipality.ID, "a/b")
		r := admin.PostForm("/admin/site/sections/"+itoa64(a.ID), form("title", "А", "slug", "a", "parent", itoa64(b.ID), "department", itoa64(s.Departments["affairs"])))
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("cycle: %d", r.Status)
		}
		r = admin.PostForm("/admin/site/sections/"+itoa64(a.ID), form("title", "А", "slug", "aa", "parent", itoa64(x.ID), "department", itoa64(s.Departments["affairs"]), "in_menu", "yes"))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("move: %d %s", r.Status, r.Body)
		}
		secs, err := s.Area.Store.Sections(context.Background(), s.Municipality.ID)
		if err != nil {
			t.Fatal(err)
		}
		var paths []string
		for _, sec := range secs {
			paths = append(paths, strings.Repeat(" ", sec.Depth)+sec.Path)
		}
		want := "ab|x| x/aa|  x/aa/b|   x/aa/b/c"
		if got := strings.Join(paths, "|"); got != want {
			t.Fatalf("tree after move:\n%s\nwant\n%s", got, want)
		}
		if r := s.Anonymous().Get("/sections/x/aa/b/c"); r.Status != 200 {
			t.Fatalf("moved section: %d", r.Status)
		}
		if !strings.Contains(s.Anonymous().Get("/").Body, `href="/sections/x/aa"`) {
			t.Fatal("a menu section is not on the home page")
		}
	})
}
