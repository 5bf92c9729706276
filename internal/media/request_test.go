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
	"github.com/glasnost/glasnost/internal/deadline"
)

func TestMediaDueOnTheProductionCalendar(t *testing.T) {
	cal, err := deadline.Default()
	if err != nil {
		t.Fatal(err)
	}
	d := deadline.NewDate
	// The default reading: a term ending on a day off ends on the working
	// day before it; art. 193 of the Civil Code (the next working day) is
	// the municipality's option.
	art193 := cal.WithTermEnd(deadline.NextWorkingDay)
	for _, c := range []struct {
		name           string
		cal            deadline.Calendar
		received       deadline.Date
		notice, answer deadline.Date
	}{
		{"an ordinary Monday", cal, d(2026, time.March, 16), d(2026, time.March, 19), d(2026, time.March, 23)},
		{"notice falls on Sunday, moves back to Friday", cal, d(2026, time.April, 2), d(2026, time.April, 3), d(2026, time.April, 9)},
		{"notice falls on Sunday, art. 193: Monday", art193, d(2026, time.April, 2), d(2026, time.April, 6), d(2026, time.April, 9)},
		{"both terms in the New Year holidays: before them", cal, d(2026, time.December, 28), d(2026, time.December, 30), d(2026, time.December, 30)},
		{"both terms in the New Year holidays, art. 193: after them", art193, d(2026, time.December, 28), d(2027, time.January, 11), d(2027, time.January, 11)},
		{"received on Friday, notice on Monday", cal, d(2026, time.March, 20), d(2026, time.March, 23), d(2026, time.March, 27)},
		{"received on Saturday, answer due on Saturday: Friday", cal, d(2026, time.March, 21), d(2026, time.March, 24), d(2026, time.March, 27)},
	} {
		t.Run(c.name, func(t *testing.T) {
			n, a := MediaDue(c.cal, c.received)
			if n != c.notice || a != c.answer {
				t.Errorf("notice %s answer %s, want %s %s", n, a, c.notice, c.answer)
			}
		})
	}
}

func TestFourEyes(t *testing.T) {
	r := Request{Status: ReqReview, DraftedByID: 7}
	for _, c := range []struct {
		name    string
		viewer  int64
		checker bool
		ok      bool
	}{{"the drafter", 7, true, false}, {"a second press secretary", 8, true, true}, {"an editor", 9, false, false}} {
		if ok, why := CanCheck(r, c.viewer, c.checker); ok != c.ok || !ok && why == "" {
			t.Errorf("%s: %v %q", c.name, ok, why)
		}
	}
	if ok, _ := CanCheck(Request{Status: ReqRegistered}, 8, true); ok {
		t.Error("checked a request without a draft")
	}
}

func TestValidateNoticeRequiresWhatTheLawDoes(t *testing.T) {
	r := Request{ReceivedOn: "2026-03-16"}
	e := ValidateNotice(Notice{Kind: NoticeDeferral}, r)
	for _, k := range []string{"reason", "until", "official"} {
		if e[k] == "" {
			t.Errorf("deferral without %s accepted", k)
		}
	}
	if e := ValidateNotice(Notice{Kind: NoticeRefusal, Reason: "Сведения составляют государственную тайну", Official: "Глава Иванов И. И."}, r); len(e) != 0 {
		t.Errorf("refusal: %v", e)
	}
	letter := NoticeLetter("Администрация", Request{Number: "СМИ-2026-001", ReceivedOn: "2026-03-16", Outlet: "Вести", Journalist: "Петров"},
		Notice{Kind: NoticeDeferral, Reason: "Сведения готовятся", Until: "2026-04-01", Official: "Глава Иванов И. И."})
	for _, want := range []string{"Причина: Сведения готовятся", "не позднее 01.04.2026", "Решение принял(а): Глава Иванов И. И.", "ст. 40"} {
		if !strings.Contains(letter, want) {
			t.Errorf("letter lacks %q:\n%s", want, letter)
		}
	}
}

func TestRequestWorkflow(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := useClock(d, time.Date(2026, 3, 16, 5, 0, 0, 0, time.UTC))
		env, _ := newArea(t, d)
		env.StartJobs()
		press := env.Client("press", auth.Press)
		head := env.Client("", auth.Administrator)
		editor := env.Client("housing", auth.Editor)
		journalist := env.Client("", auth.Resident)
		if r := press.PostForm("/admin/media/accreditations", url.Values{"outlet": {"Вести Пышмы"}, "person": {journalist.Account.FullName},
			"valid_from": {"01.01.2026"}, "valid_to": {"31.12.2026"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("accreditation: %d", r.Status)
		}
		if r := journalist.PostForm("/media/requests", url.Values{"outlet": {"Вести Пышмы"}, "journalist": {journalist.Account.FullName}}); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, "Укажите адрес электронной почты или телефон для ответа.") {
			t.Fatalf("incomplete request: %d", r.Status)
		}
		r := journalist.PostForm("/media/requests", url.Values{"outlet": {"Вести Пышмы"}, "journalist": {journalist.Account.FullName},
			"contact": {"vesti@example.ru"}, "question": {"Сколько дорог отремонтируют в 2026 году?"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}
		env.Mail.WaitFor(t, "vesti@example.ru", "зарегистрирован", 10*time.Second)
		list, _, err := Requests(ctx, d, env.Municipality.ID, RequestFilter{}, 10, 0)
		if err != nil || len(list) != 1 {
			t.Fatal(err)
		}
		req := list[0]
		if req.Number != "СМИ-2026-001" || req.NoticeBy != "2026-03-19" || req.AnswerBy != "2026-03-23" || !req.Accredited || req.Channel != "portal" {
			t.Errorf("registered %+v", req)
		}
		base := "/admin/media/requests/" + itoa(req.ID)
		if r := journalist.Get(base); r.Status != http.StatusForbidden {
			t.Errorf("journalist on the staff page: %d", r.Status)
		}
		if r := editor.PostForm(base+"/draft", url.Values{"draft": {"Будет отремонтировано 12 км дорог."}}); r.Status != http.StatusSeeOther {
			t.Fatalf("editor drafts: %d", r.Status)
		}
		if r := editor.PostForm(base+"/check", url.Values{"decision": {"approve"}}); r.Status != http.StatusForbidden {
			t.Errorf("editor checks: %d", r.Status)
		}
		if r := press.PostForm(base+"/check", url.Values{"decision": {"return"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Укажите замечания") {
			t.Errorf("return without remarks: %d", r.Status)
		}
		if r := press.PostForm(base+"/check", url.Values{"decision": {"return"}, "remarks": {"Уточните адреса."}}); r.Status != http.StatusSeeOther {
			t.Fatalf("return: %d", r.Status)
		}
		if r := press.PostForm(base+"/draft", url.Values{"draft": {"Будет отремонтировано 12 км дорог: ул. Ленина, ул. Кривоусова."}}); r.Status != http.StatusSeeOther {
			t.Fatalf("press redrafts: %d", r.Status)
		}
		if r := press.PostForm(base+"/check", url.Values{"decision": {"approve"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "автор проекта не может утвердить его сам") {
			t.Errorf("drafter approves own draft: %d", r.Status)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = 'media.request_answered'`); n != 0 {
			t.Fatalf("answered before the check")
		}
		if r := head.PostForm(base+"/check", url.Values{"decision": {"approve"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("head approves: %d", r.Status)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = 'media.request_answered'`); n != 1 {
			t.Errorf("request_answered events: %d", n)
		}
		msg := env.Mail.WaitFor(t, "vesti@example.ru", "Ответ на запрос", 10*time.Second)
		if !strings.Contains(msg.Body, "Кривоусова") {
			t.Errorf("answer mail:\n%s", msg.Body)
		}
		got, _ := GetRequest(ctx, d, env.Municipality.ID, req.ID)
		if got.Status != ReqAnswered || !strings.Contains(got.DraftedBy, press.Account.Email) || !strings.Contains(got.CheckedBy, head.Account.Email) {
			t.Errorf("kept: %+v", got)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'media_request'`); n != 5 {
			t.Errorf("audit records: %d", n)
		}
		if r := env.Anonymous().Get("/media"); strings.Contains(r.Body, "Кривоусова") {
			t.Errorf("unpublished answer shown")
		}
		press.PostForm(base+"/publish", url.Values{"published": {"yes"}})
		if r := env.Anonymous().Get("/media"); !strings.Contains(r.Body, "Кривоусова") || strings.Contains(r.Body, "vesti@example.ru") {
			t.Errorf("published answer not shown, or contact leaked")
		}
		if r := journalist.Get("/media/requests"); !strings.Contains(r.Body, "Кривоусова") {
			t.Errorf("journalist does not see the answer")
		}

		// A second request, registered by staff, deferred with the law's details.
		r = press.PostForm("/admin/media/requests", url.Values{"outlet": {"ТВ-4"}, "journalist": {"Сидорова А. А."}, "contact": {"+7 343 000-00-00"},
			"question": {"Бюджет праздника"}, "received_on": {"13.03.2026"}, "channel": {"letter"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("staff registers: %d %s", r.Status, r.Body)
		}
		second := r.Header.Get("Location")
		if r := press.PostForm(second+"/notice", url.Values{"kind": {"deferral"}, "reason": {"Смета не утверждена"}}); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, "Укажите должностное лицо") {
			t.Errorf("deferral without official: %d", r.Status)
		}
		if r := press.PostForm(second+"/notice", url.Values{"kind": {"deferral"}, "reason": {"Смета не утверждена"}, "until": {"10.04.2026"}, "official": {"Глава Иванов И. И."}}); r.Status != http.StatusSeeOther {
			t.Fatalf("deferral: %d", r.Status)
		}
		if r := press.Get(second); !strings.Contains(r.Body, "не позднее 10.04.2026") || !strings.Contains(r.Body, "Отсрочен") {
			t.Errorf("deferral not shown")
		}
		clk.set(time.Date(2026, 4, 20, 5, 0, 0, 0, time.UTC))
		if r := press.Get("/admin/media/requests?status=overdue"); !strings.Contains(r.Body, "Найдено 1 запрос") || !strings.Contains(r.Body, "просрочен") {
			t.Errorf("overdue list:\n%s", r.Body)
		}
	})
}

func TestRequestReminders(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		// Received Monday 16 March 2026: notice by Thursday 19, answer by Monday 23.
		clk := useClock(d, time.Date(2026, 3, 17, 5, 0, 0, 0, time.UTC))
		env, a := newArea(t, d)
		env.StartJobs()
		waitRan(t, d, "media_request_reminders") // its first run, at start, must not race the clock below
		press := env.Client("press", auth.Press)
		if r := press.PostForm("/admin/media/requests", url.Values{"outlet": {"ТВ-4"}, "journalist": {"Сидорова А. А."}, "contact": {"+7 343 000-00-00"},
			"question": {"Бюджет праздника"}, "received_on": {"16.03.2026"}, "channel": {"letter"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("register: %d", r.Status)
		}
		for _, c := range []struct {
			now  time.Time
			want int
		}{
			{time.Date(2026, 3, 17, 5, 0, 0, 0, time.UTC), 0}, // Tuesday: nothing yet
			{time.Date(2026, 3, 18, 5, 0, 0, 0, time.UTC), 1}, // Wednesday: the notice is due tomorrow
			{time.Date(2026, 3, 18, 9, 0, 0, 0, time.UTC), 0}, // once
			{time.Date(2026, 3, 20, 5, 0, 0, 0, time.UTC), 1}, // Friday: the answer is due on Monday, the next working day
			{time.Date(2026, 3, 23, 5, 0, 0, 0, time.UTC), 0},
		} {
			clk.set(c.now)
			// Two runs of the job at once remind once between them.
			type run struct {
				n   int
				err error
			}
			runs := make(chan run, 2)
			for range 2 {
				go func() {
					n, err := a.RemindRequests(ctx, env.Municipality)
					runs <- run{n, err}
				}()
			}
			n := 0
			for range 2 {
				r := <-runs
				if r.err != nil {
					t.Errorf("%s: %v", c.now, r.err)
				}
				n += r.n
			}
			if n != c.want {
				t.Errorf("%s: %d reminders, want %d", c.now, n, c.want)
			}
		}
		env.Mail.WaitFor(t, press.Account.Email, "Срок по запросу СМИ", 10*time.Second)
	})
}

// waitRan waits until a periodic job has run once.
func waitRan(t *testing.T, d *db.DB, kind string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if count(t, d, `SELECT COUNT(*) FROM river_job WHERE kind = ? AND state = 'completed'`, kind) > 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("job %s did not run", kind)
}
