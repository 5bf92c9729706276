package appeals

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/deadline"
)

// TestTermEndSetting: the administrator chooses the rule for a term ending
// on a day off on the calendar page; new appeals, and every other area that
// asks the kernel's Calendars (consultations' expertise answers), follow it.
func TestTermEndSetting(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server()
		ctx := context.Background()
		m := env.Municipality
		head := env.Client("affairs", auth.Administrator)
		today := a.Today(m)
		// Registered 22 May 2026: 30 days is Sunday 21 June.
		registered := deadline.NewDate(2026, 5, 22)
		page := head.Get("/admin/appeals/calendar")
		if page.Status != 200 || !strings.Contains(page.Body, "Предшествующий рабочий день") || !strings.Contains(page.Body, "статье 193") {
			t.Fatalf("calendar page lacks the choice and its explanations: %d", page.Status)
		}
		tests := []struct {
			name   string
			value  string
			status int
			want   deadline.Date
		}{
			{"default, before any choice", "", 0, deadline.NewDate(2026, 6, 19)},
			{"unknown value refused", "later", http.StatusUnprocessableEntity, deadline.NewDate(2026, 6, 19)},
			{"nothing chosen refused", "-", http.StatusUnprocessableEntity, deadline.NewDate(2026, 6, 19)},
			{"article 193", "next", http.StatusSeeOther, deadline.NewDate(2026, 6, 22)},
			{"back to the preceding working day", "preceding", http.StatusSeeOther, deadline.NewDate(2026, 6, 19)},
		}
		for i, tt := range tests {
			if tt.value != "" {
				v := url.Values{"term_end": {tt.value}}
				if tt.value == "-" {
					v = url.Values{}
				}
				r := head.PostForm("/admin/appeals/calendar/term-end", v)
				if r.Status != tt.status {
					t.Fatalf("%s: %d, want %d", tt.name, r.Status, tt.status)
				}
				if tt.status == 422 && !strings.Contains(r.Body, "Выберите, каким днём оканчивается срок") {
					t.Errorf("%s: no Russian error", tt.name)
				}
			}
			in := paper(a, env, "Терминов"+string(rune('А'+i)), today)
			in.ReceivedOn, in.RegisteredOn = registered, registered
			ap, err := a.Register(ctx, m, in, Actor{Staff: true}, false)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if ap.Due.AnswerBy != tt.want {
				t.Errorf("%s: answer by %s, want %s", tt.name, ap.Due.AnswerBy, tt.want)
			}
			// The kernel's calendar, which consult and the other areas use.
			cal, err := env.Calendars.For(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := cal.Due(registered, deadline.DefaultRules().ExpertiseAnswer); got != tt.want {
				t.Errorf("%s: the kernel's expertise term %s, want %s", tt.name, got, tt.want)
			}
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'appeals_calendar.term_end'`); n != 2 {
			t.Errorf("audit records of the setting: %d, want 2", n)
		}
		if r := env.Client("appeals", auth.Operator).PostForm("/admin/appeals/calendar/term-end", url.Values{"term_end": {"next"}}); r.Status != 403 {
			t.Errorf("operator changed the setting: %d", r.Status)
		}
	})
}

// TestExtensionOnlyWithinTheTerm: an extension is counted from the
// statutory term and refused once the term has passed, by the API (422 with
// the reason in Russian) and by the staff page (which says why).
func TestExtensionOnlyWithinTheTerm(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server()
		ctx := context.Background()
		m := env.Municipality
		head := env.Client("affairs", auth.Administrator)
		today := a.Today(m)
		cal, err := a.Calendar(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name     string
			regAgo   int
			status   int
			wantText string
		}{
			{"within the term", 5, 200, ""},
			{"the term passed long ago", 200, 422, "истёк"},
		}
		for i, tt := range tests {
			reg := today.AddDays(-tt.regAgo)
			in := paper(a, env, "Продлёнов"+string(rune('А'+i)), reg)
			ap, err := a.Register(ctx, m, in, Actor{Staff: true}, false)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			page := head.Get("/admin/appeals/" + ap.Href())
			if tt.status == 422 && !strings.Contains(page.Body, "Продление срока невозможно") {
				t.Errorf("%s: the staff page does not say why the term cannot be extended", tt.name)
			}
			if tt.status == 200 && !strings.Contains(page.Body, "Продлить и уведомить заявителя") {
				t.Errorf("%s: no extension form", tt.name)
			}
			form := head.PostForm("/admin/appeals/"+ap.Href()+"/steps", url.Values{"action": {"extend"}, "days": {"30"}, "reason": {"Запрошены документы"}, "basis": {"art10"}})
			wantForm := http.StatusSeeOther
			if tt.status == 422 {
				wantForm = 422
			}
			if form.Status != wantForm || (tt.wantText != "" && !strings.Contains(form.Body, tt.wantText)) {
				t.Errorf("%s: staff form %d, want %d", tt.name, form.Status, wantForm)
			}
			if tt.status == 200 {
				got, err := a.store.ByNumber(ctx, d, m.ID, ap.Number)
				if err != nil {
					t.Fatal(err)
				}
				want := cal.EndOfTerm(reg, reg.AddDays(60))
				if got.Due.AnswerBy != want || got.ExtendedDays != 30 {
					t.Errorf("%s: extended to %s, want %s (registration + 60, then moved)", tt.name, got.Due.AnswerBy, want)
				}
				continue
			}
			r := head.API("POST", "/api/v1/appeals/"+url.PathEscape(ap.Number)+"/extend", map[string]any{"days": 30, "reason": "Запрошены документы"})
			if r.Status != 422 || !strings.Contains(r.Body, "истёк") || !strings.Contains(r.Body, "ч. 2 ст. 12") {
				t.Errorf("%s: API %d %s", tt.name, r.Status, r.Body)
			}
		}
	})
}

func TestNoticeReminder(t *testing.T) {
	cal, err := deadline.Default()
	if err != nil {
		t.Fatal(err)
	}
	d := func(s string) deadline.Date { v, _ := deadline.ParseDate(s); return v }
	// Registered Monday 2 March 2026: notice by Monday 9 March is a holiday
	// (for 8 March), so Friday 6 March; answer by 1 April.
	reg := d("2026-03-02")
	due := ComputeDue(cal, deadline.DefaultRules(), reg, reg)
	if due.NoticeBy != d("2026-03-06") {
		t.Fatalf("notice by %s, want 2026-03-06", due.NoticeBy)
	}
	tests := []struct {
		today  string
		status Status
		notice deadline.Date
		want   string
	}{
		{"2026-03-04", StatusRegistered, due.NoticeBy, ""},
		{"2026-03-05", StatusRegistered, due.NoticeBy, "due1/notice"},
		{"2026-03-06", StatusAssigned, due.NoticeBy, "due1/notice"},
		{"2026-03-05", StatusDrafted, due.NoticeBy, ""},       // a draft answers on the merits
		{"2026-03-10", StatusAssigned, due.NoticeBy, ""},      // never "overdue"
		{"2026-03-05", StatusRegistered, deadline.Date{}, ""}, // registered before the term was tracked
	}
	for _, tt := range tests {
		var got []string
		for _, r := range RemindersDue(cal, d(tt.today), tt.status, due.ForwardBy, due.AnswerBy, tt.notice) {
			if r.Deadline == "notice" {
				got = append(got, r.Kind+"/"+r.Deadline)
			}
		}
		if strings.Join(got, ",") != tt.want {
			t.Errorf("%s %s: %v, want %q", tt.today, tt.status, got, tt.want)
		}
	}
}

// TestNoticeGrounds: closing under parts 2, 4, 4.1 and 5.1 keeps the 7-day
// term (late when past it); part 5.1 needs the link, which the letter gives.
func TestNoticeGrounds(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server()
		ctx := context.Background()
		m := env.Municipality
		head := env.Client("affairs", auth.Administrator)
		today := a.Today(m)
		tests := []struct {
			name     string
			ground   string
			link     string
			regAgo   int
			status   int
			late     bool
			inLetter string
		}{
			{"5.1 without a link", "published", "", 1, 422, false, ""},
			{"5.1 with a page that is not a web address", "published", "javascript:alert(1)", 1, 422, false, ""},
			{"5.1 in time", "published", "https://example.ru/appeals/answers/7", 1, 303, false, "https://example.ru/appeals/answers/7"},
			{"4.1 in time", "no_substance", "", 2, 303, false, "ч. 4.1 ст. 11"},
			{"2 after seven days", "court", "", 20, 303, true, "ч. 2 ст. 11"},
			{"3 has no 7-day term", "abusive", "", 20, 303, false, "ч. 3 ст. 11"},
		}
		for i, tt := range tests {
			reg := today.AddDays(-tt.regAgo)
			in := paper(a, env, "Основанин"+string(rune('А'+i)), reg)
			ap, err := a.Register(ctx, m, in, Actor{Staff: true}, false)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if ap.Due.NoticeBy.IsZero() {
				t.Fatalf("%s: no notice term", tt.name)
			}
			r := head.PostForm("/admin/appeals/"+ap.Href()+"/steps", url.Values{"action": {"close"}, "ground": {tt.ground}, "link": {tt.link}})
			if r.Status != tt.status {
				t.Fatalf("%s: %d, want %d", tt.name, r.Status, tt.status)
			}
			if tt.status == 422 {
				if !strings.Contains(r.Body, "Укажите адрес страницы") {
					t.Errorf("%s: no Russian error", tt.name)
				}
				continue
			}
			got, err := a.store.ByNumber(ctx, d, m.ID, ap.Number)
			if err != nil {
				t.Fatal(err)
			}
			if got.Late != tt.late || got.CloseGround != tt.ground {
				t.Errorf("%s: late %v ground %q, want late %v", tt.name, got.Late, got.CloseGround, tt.late)
			}
			hist, err := a.store.History(ctx, got.ID, false)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, e := range hist {
				if strings.Contains(e.Note, tt.inLetter) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: history does not carry %q", tt.name, tt.inLetter)
			}
		}
	})
}

// TestPublishedAnswer: article 10 part 4 — the head publishes the answer of
// an answered appeal, written without personal data, on /appeals/answers.
func TestPublishedAnswer(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server()
		ctx := context.Background()
		m := env.Municipality
		head := env.Client("affairs", auth.Administrator)
		in := paper(a, env, "Публичнов", a.Today(m))
		ap, err := a.Register(ctx, m, in, Actor{Staff: true}, false)
		if err != nil {
			t.Fatal(err)
		}
		path := "/admin/appeals/" + ap.Href() + "/published-answer"
		ok := url.Values{"question": {"О сроках ремонта дороги по ул. Ленина"}, "published_answer": {"Ремонт включён в план на 2027 год."}, "indefinite": {"yes"}}
		if r := head.PostForm(path, ok); r.Status != http.StatusConflict {
			t.Errorf("publish before the answer: %d", r.Status)
		}
		for _, st := range []url.Values{
			{"action": {"assign"}, "department": {strconv.FormatInt(env.Departments["housing"], 10)}},
			{"action": {"draft"}, "answer": {"Уважаемый Иван Публичнов! Ремонт включён в план на 2027 год."}, "result": {"explained"}},
			{"action": {"approve"}},
			{"action": {"answer"}},
		} {
			if r := head.PostForm("/admin/appeals/"+ap.Href()+"/steps", st); r.Status != http.StatusSeeOther {
				t.Fatalf("%s: %d %s", st.Get("action"), r.Status, r.Body)
			}
		}
		tests := []struct {
			name   string
			form   url.Values
			status int
			want   string
		}{
			{"without the confirmation", url.Values{"question": ok["question"], "published_answer": ok["published_answer"]}, 422, "неопределённого круга лиц"},
			{"without a question", url.Values{"published_answer": ok["published_answer"], "indefinite": {"yes"}}, 422, "Сформулируйте вопрос"},
			{"published", ok, http.StatusSeeOther, ""},
		}
		for _, tt := range tests {
			r := head.PostForm(path, tt.form)
			if r.Status != tt.status || !strings.Contains(r.Body, tt.want) {
				t.Errorf("%s: %d", tt.name, r.Status)
			}
		}
		if r := env.Client("appeals", auth.Operator).PostForm(path, ok); r.Status != 403 {
			t.Errorf("operator published: %d", r.Status)
		}
		page := env.Anonymous().Get("/appeals/answers")
		if page.Status != 200 || !strings.Contains(page.Body, "Ремонт включён в план на 2027 год.") || strings.Contains(page.Body, "Публичнов") || strings.Contains(page.Body, ap.Number) {
			t.Errorf("public page: %d", page.Status)
		}
	})
}
