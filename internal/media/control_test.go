package media

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

func TestValidateControl(t *testing.T) {
	it := Item{WeekStart: "2026-03-16"}
	for _, c := range []struct {
		name string
		c    Control
		bad  string
	}{
		{"done", Control{Status: StatusDone, URL: "/news/4"}, ""},
		{"done with a script link", Control{Status: StatusDone, URL: "javascript:alert(1)"}, "url"},
		{"cancelled without reason", Control{Status: StatusCancelled}, "reason"},
		{"moved without date", Control{Status: StatusMoved, Reason: "болезнь"}, "moved_to"},
		{"moved into the past", Control{Status: StatusMoved, Reason: "болезнь", MovedTo: "10.03.2026"}, "moved_to"},
		{"moved", Control{Status: StatusMoved, Reason: "болезнь", MovedTo: "25.03.2026"}, ""},
		{"unknown status", Control{Status: "lost"}, "status"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := ValidateControl(c.c, it)
			if c.bad == "" && len(e) != 0 || c.bad != "" && e[c.bad] == "" {
				t.Errorf("errors %v, want on %q", e, c.bad)
			}
		})
	}
}

func TestSuggestByStems(t *testing.T) {
	pubs := []Publication{{Title: "Погода на выходные"}, {Title: "В городе отремонтировали дороги к школам", URL: "/news/2"}}
	if p, ok := Suggest(Item{Topic: "Ремонт дорог у школ"}, pubs); !ok || p.URL != "/news/2" {
		t.Errorf("suggest = %+v %v", p, ok)
	}
	if _, ok := Suggest(Item{Topic: "Отчёт главы"}, pubs); ok {
		t.Errorf("an unrelated item got a suggestion")
	}
}

func TestWeeklyControlAndReport(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		// Tuesday 17 March 2026, 10:00 in Yekaterinburg.
		clk := useClock(d, time.Date(2026, 3, 17, 5, 0, 0, 0, time.UTC))
		env, a := newArea(t, d)
		press := env.Client("press", auth.Press)
		env.Account("", auth.Administrator)
		plan := createPlan(t, press)
		for _, topic := range []string{"Ремонт дорог к школам", "Интервью главы", "Брифинг о паводке"} {
			if r := press.PostForm(plan+"/items", url.Values{"topic": {topic}, "channel": {"site"}, "week": {"12"}}); r.Status != http.StatusSeeOther {
				t.Fatalf("add %s: %d", topic, r.Status)
			}
		}
		if _, err := d.Exec(ctx, `INSERT INTO site_news (municipality_id, title, state, published_at, created_at, updated_at) VALUES (?, ?, 'published', ?, ?, ?)`,
			env.Municipality.ID, "Отремонтированы дороги к школам", d.Now(), d.Now(), d.Now()); err != nil {
			t.Fatal(err)
		}
		week := press.Get("/admin/media/week")
		if week.Status != http.StatusOK || !strings.Contains(week.Body, "неделя 12") || !strings.Contains(week.Body, "Похоже на публикацию") {
			t.Fatalf("week page: %d\n%s", week.Status, week.Body)
		}
		noInlineCode(t, "/admin/media/week", week.Body)
		items, err := WeekItems(ctx, d, env.Municipality.ID, "2026-03-16")
		if err != nil || len(items) != 3 {
			t.Fatalf("week items: %v %d", err, len(items))
		}
		ctl := func(id int64, v url.Values) int {
			return press.PostForm("/admin/media/items/"+itoa(id)+"/control", v).Status
		}
		if s := ctl(items[1].ID, url.Values{"status": {"cancelled"}}); s != http.StatusUnprocessableEntity {
			t.Errorf("cancel without reason: %d", s)
		}
		if s := ctl(items[0].ID, url.Values{"status": {"done"}, "url": {"/news/1"}, "title": {"Отремонтированы дороги"}}); s != http.StatusSeeOther {
			t.Errorf("done: %d", s)
		}
		if s := ctl(items[1].ID, url.Values{"status": {"moved"}, "reason": {"Глава в командировке"}, "moved_to": {"01.04.2026"}}); s != http.StatusSeeOther {
			t.Errorf("moved: %d", s)
		}
		if s := ctl(items[2].ID, url.Values{"status": {"cancelled"}, "reason": {"Паводка нет"}}); s != http.StatusSeeOther {
			t.Errorf("cancelled: %d", s)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM media_plan_items WHERE week_start = '2026-03-30' AND planned_date = '2026-04-01'`); n != 1 {
			t.Errorf("moved item not planned anew: %d", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'control'`); n != 3 {
			t.Errorf("audited marks: %d", n)
		}

		// Monday 23 March: the job makes the report of week 12 once.
		clk.set(time.Date(2026, 3, 23, 3, 0, 0, 0, time.UTC))
		env.StartJobs()
		env.WaitJobsDone(t, 20*time.Second, "media_week_report")
		if _, err := a.WeekReport(ctx, env.Municipality, "2026-03-16"); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = 'media.week_controlled'`); n != 1 {
			t.Fatalf("week_controlled events: %d", n)
		}
		list, _, err := Reports(ctx, d, env.Municipality.ID, 10, 0)
		if err != nil || len(list) != 1 || list[0].Done != 1 || list[0].Moved != 1 || list[0].Cancelled != 1 || list[0].DonePercent() != 33 {
			t.Fatalf("reports: %v %+v", err, list)
		}
		msg := env.Mail.WaitFor(t, press.Account.Email, "Исполнение медиаплана", 10*time.Second)
		if !strings.Contains(msg.Body, "Глава в командировке") {
			t.Errorf("mail lacks the moved item:\n%s", msg.Body)
		}
		base := "/admin/media/reports/" + itoa(list[0].ID)
		if r := press.Get(base); r.Status != http.StatusOK || !strings.Contains(r.Body, "выполнено 1 (33%)") {
			t.Errorf("report page: %d", r.Status)
		}
		if r := press.Get(base + "/report.pdf"); r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "%PDF") {
			t.Errorf("pdf: %d", r.Status)
		}
		if r := press.Get(base + "/report.xlsx"); r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "PK") {
			t.Errorf("xlsx: %d", r.Status)
		}
	})
}
