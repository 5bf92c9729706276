package site

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/deadline"
)

func (s *testSite) item(t *testing.T, code, dept, rule string, days int, updated, changed string) CatalogueItem {
	t.Helper()
	it := CatalogueItem{MunicipalityID: s.Municipality.ID, Code: code, Category: "general", Title: "Пункт " + code, DepartmentID: s.Departments[dept], Rule: rule, RuleDays: days,
		UpdatedOn: parseDate(updated), ChangedOn: parseDate(changed)}
	if err := s.DB.InTx(context.Background(), func(tx *db.Tx) error { return s.Area.Store.InsertCatalogueItem(context.Background(), tx, &it) }); err != nil {
		t.Fatal(err)
	}
	return it
}

func TestCatalogueMonitorAndOwners(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := newTestSite(t, d)
		d.Now = fixedClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
		late := s.item(t, "8б", "affairs", RuleWorkingDays, 3, "2026-11-02", "2026-11-16")
		s.item(t, "8а", "affairs", RuleCurrent, 0, "2026-11-20", "")
		other := s.item(t, "7б", "housing", RuleQuarterly, 0, "2026-07-15", "")
		editor := s.Client("affairs", auth.Editor)
		mon := editor.Get("/admin/site/catalogue")
		if mon.Status != 200 || !strings.Contains(mon.Body, "Пункт 8б") || strings.Contains(mon.Body, "Пункт 7б") || !strings.Contains(mon.Body, "просрочено: <strong>1</strong>") {
			t.Fatalf("editor's monitor: %d", mon.Status)
		}
		if !strings.Contains(mon.Body, "Срок обновления истёк 19.11.2026") {
			t.Fatal("monitor does not say when the term ran out")
		}
		adminMon := s.Client("", auth.Administrator).Get("/admin/site/catalogue?show=overdue")
		if !strings.Contains(adminMon.Body, "Пункт 8б") || !strings.Contains(adminMon.Body, "Пункт 7б") || strings.Contains(adminMon.Body, "Пункт 8а") {
			t.Fatal("administrator's overdue list")
		}
		if r := editor.Get("/admin/site/catalogue/" + itoa64(other.ID)); r.Status != http.StatusForbidden {
			t.Fatalf("another department's item: %d", r.Status)
		}
		// The owner marks the item updated today: no longer overdue, audited.
		if r := editor.PostForm("/admin/site/catalogue/"+itoa64(late.ID), form("action", "touch")); r.Status != http.StatusSeeOther {
			t.Fatalf("touch: %d %s", r.Status, r.Body)
		}
		it, _ := s.Area.Store.CatalogueItemByID(context.Background(), d, s.Municipality.ID, late.ID)
		if it.UpdatedOn != deadline.NewDate(2026, 11, 27) || count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'site_catalogue_item'`) != 1 {
			t.Fatalf("touched item: %+v", it)
		}
		// An editor cannot change the rule or the owner, only dates and links.
		r := editor.PostForm("/admin/site/catalogue/"+itoa64(late.ID), form("rule", RuleYearly, "department", itoa64(s.Departments["housing"]), "updated_on", "2026-11-26", "changed_on", "2026-11-16", "links", "Вакансии | /sections/staff/vacancies"))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("editor saves item: %d %s", r.Status, r.Body)
		}
		it, _ = s.Area.Store.CatalogueItemByID(context.Background(), d, s.Municipality.ID, late.ID)
		if it.Rule != RuleWorkingDays || it.DepartmentID != s.Departments["affairs"] || len(it.Links) != 1 {
			t.Fatalf("editor changed what only administrators may: %+v", it)
		}
		// Dates in the future and bad links are refused beside the fields.
		r = editor.PostForm("/admin/site/catalogue/"+itoa64(late.ID), form("updated_on", "2027-01-01", "links", "без адреса"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="updated_on-error"`) || !strings.Contains(r.Body, "Название | адрес") {
			t.Fatalf("invalid item: %d", r.Status)
		}
	})
}

func TestPublishingALinkedPageUpdatesTheCatalogue(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := newTestSite(t, d)
		d.Now = fixedClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
		sec := s.section(t, "staff", "Кадры", "affairs")
		admin := s.Client("", auth.Administrator)
		r := admin.PostForm("/admin/site/pages", form("section", itoa64(sec.ID), "title", "Вакансии", "slug", "vacancies", "body", "Вакансий нет", "action", ActionDraft))
		pid := idFromLocation(t, r.Header.Get("Location"), "/admin/site/pages/")
		it := s.item(t, "8б", "affairs", RuleWorkingDays, 3, "2026-11-02", "2026-11-16")
		r = admin.PostForm("/admin/site/catalogue/"+itoa64(it.ID), form("department", itoa64(s.Departments["affairs"]), "rule", RuleWorkingDays, "rule_days", "3", "updated_on", "2026-11-02", "changed_on", "2026-11-16", "links", "Вакансии | /sections/staff/vacancies"))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("link page: %d %s", r.Status, r.Body)
		}
		got, _ := s.Area.Store.CatalogueItemByID(context.Background(), d, s.Municipality.ID, it.ID)
		if len(got.Links) != 1 || itoa64(got.Links[0].PageID) != pid {
			t.Fatalf("link does not know its page: %+v", got.Links)
		}
		admin.PostForm("/admin/site/pages/"+pid, form("section", itoa64(sec.ID), "title", "Вакансии", "slug", "vacancies", "body", "Ведущий специалист", "action", ActionPublish))
		got, _ = s.Area.Store.CatalogueItemByID(context.Background(), d, s.Municipality.ID, it.ID)
		if got.UpdatedOn != deadline.NewDate(2026, 11, 27) {
			t.Fatalf("publishing the page did not update the item: %v", got.UpdatedOn)
		}
		pub := s.Anonymous().Get("/catalogue")
		if !strings.Contains(pub.Body, `<a href="/sections/staff/vacancies">Вакансии</a>`) || !strings.Contains(pub.Body, "27.11.2026") || !strings.Contains(pub.Body, "в течение 3 рабочих дней после изменения") {
			t.Fatal("public catalogue lacks the link, date or rule")
		}
	})
}

func TestWeeklyReminderIsMailed(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := newTestSite(t, d)
		d.Now = fixedClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
		s.item(t, "8б", "affairs", RuleWorkingDays, 3, "2026-11-02", "2026-11-16")
		s.item(t, "7б", "housing", RuleQuarterly, 0, "2026-11-15", "") // in time: housing gets nothing
		owner := s.Account("affairs", auth.Editor)
		s.Account("affairs", auth.Lawyer) // not an editor
		housing := s.Account("housing", auth.Editor)
		s.StartJobs()
		n, err := s.Area.SendReminders(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("SendReminders: %d, %v", n, err)
		}
		msg := s.Mail.WaitFor(t, owner.Email, "Просроченные сведения", 20*time.Second)
		for _, want := range []string{"п. 8б", "в течение 3 рабочих дней после изменения", "Срок обновления истёк 19.11.2026", "http://portal.test/admin/site/catalogue"} {
			if !strings.Contains(msg.Body, want) {
				t.Errorf("reminder lacks %q:\n%s", want, msg.Body)
			}
		}
		// Within the week the department is not reminded again; after it, it is.
		if n, _ := s.Area.SendReminders(context.Background()); n != 0 {
			t.Fatalf("reminded twice within a week: %d", n)
		}
		d.Now = fixedClock(time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC))
		if n, _ := s.Area.SendReminders(context.Background()); n != 1 {
			t.Fatalf("no reminder after a week: %d", n)
		}
		for _, m := range s.Mail.Messages() {
			for _, to := range m.To {
				if strings.EqualFold(to, housing.Email) {
					t.Fatal("a department with nothing overdue was reminded")
				}
			}
		}
	})
}

func TestDemoIsIdempotent(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := newTestSite(t, d)
		d.Now = fixedClock(time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC))
		ctx := context.Background()
		if err := s.Area.Demo(ctx, s.Municipality); err != nil {
			t.Fatal(err)
		}
		tables := []string{"site_sections", "site_pages", "site_news", "site_news_spheres", "site_revisions", "site_catalogue_items", "site_catalogue_links", "site_feedback", "public_events", "site_news_attachments", "files"}
		before := map[string]int{}
		for _, tb := range tables {
			before[tb] = count(t, d, `SELECT COUNT(*) FROM `+tb)
		}
		if err := s.Area.Demo(ctx, s.Municipality); err != nil {
			t.Fatal(err)
		}
		for _, tb := range tables {
			if n := count(t, d, `SELECT COUNT(*) FROM `+tb); n != before[tb] {
				t.Errorf("%s: %d rows after the second run, %d after the first", tb, n, before[tb])
			}
		}
		if before["site_catalogue_items"] != len(Article13) || count(t, d, `SELECT COUNT(*) FROM site_news WHERE state = 'published'`) < 10 {
			t.Fatalf("demo: %v", before)
		}
		if count(t, d, `SELECT COUNT(*) FROM site_news WHERE state = 'scheduled'`) != 2 || count(t, d, `SELECT COUNT(*) FROM site_news WHERE state = 'draft'`) != 1 {
			t.Fatal("the demo shows two scheduled news items (one of them the press conference) and a draft")
		}
		// The press centre's items: three photos with Russian alt text and
		// a document, on published and scheduled news.
		if count(t, d, `SELECT COUNT(*) FROM site_news_attachments WHERE kind = 'photo' AND alt <> ''`) != 3 || count(t, d, `SELECT COUNT(*) FROM site_news_attachments WHERE kind = 'document'`) != 1 {
			t.Fatal("the demo's news photos and document")
		}
		var contest int64
		if err := d.QueryRow(ctx, `SELECT id FROM site_news WHERE title = ?`, "Объявлен конкурс на лучшее новогоднее оформление дворов").Scan(&contest); err != nil {
			t.Fatal(err)
		}
		page := s.Anonymous().Get("/news/" + itoa64(contest))
		if !strings.Contains(page.Body, `<figure class="news-photo">`) || !strings.Contains(page.Body, "Положение о конкурсе") || !strings.Contains(page.Body, "(PDF, ") {
			t.Fatalf("the contest news page lacks its photo or document: %d", page.Status)
		}
		for _, a := range mustAttachments(t, s, contest) {
			if r := s.Anonymous().Get(a.URL()); r.Status != 200 || (a.Kind == KindPhoto && r.Header.Get("Content-Type") != "image/png") || (a.Kind == KindDocument && !strings.HasPrefix(r.Body, "%PDF")) {
				t.Errorf("demo file %s: %d %s", a.URL(), r.Status, r.Header.Get("Content-Type"))
			}
		}
		anon := s.Anonymous()
		for _, p := range []string{"/", "/news", "/sections", "/sections/administration", "/sections/administration/structure", "/catalogue", "/news/1", "/news/feed.atom"} {
			if r := anon.Get(p); r.Status != 200 {
				t.Errorf("%s: %d", p, r.Status)
			}
		}
		if !strings.Contains(anon.Get("/catalogue").Body, "Наименование и структура органа местного самоуправления") {
			t.Fatal("catalogue page")
		}
	})
}

func mustAttachments(t *testing.T, s *testSite, newsID int64) []Attachment {
	t.Helper()
	list, err := s.Area.Store.NewsAttachments(context.Background(), s.DB, s.Municipality.ID, newsID)
	if err != nil {
		t.Fatal(err)
	}
	return list
}
