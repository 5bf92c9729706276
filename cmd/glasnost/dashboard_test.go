package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// taskCount finds the count a dashboard row shows for a task label; -1 when
// the row is not there.
func taskCount(page, label string) int {
	m := regexp.MustCompile(regexp.QuoteMeta(label) + `</a>(?: <strong>\(срок истёк\)</strong>)?</td><td>(\d+)</td>`).FindStringSubmatch(page)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestStaffDashboardShowsWhatWaits: every staff member has a way into their
// work from the header, and /admin shows what waits for them with the
// counts the areas' own lists show; roles are named in Russian.
func TestStaffDashboardShowsWhatWaits(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		for _, email := range []string{"admin@vpyshma.demo", "editor@vpyshma.demo", "press@vpyshma.demo", "lawyer@vpyshma.demo", "operator@vpyshma.demo"} {
			if home := app.as(email).get("/"); !strings.Contains(home.body, `<a href="/admin">Рабочий кабинет</a>`) {
				t.Errorf("%s: the header has no way into the staff pages", email)
			}
		}
		if home := app.as("resident@vpyshma.demo").get("/"); strings.Contains(home.body, `href="/admin"`) {
			t.Error("a resident is offered the staff pages")
		}

		count := func(q string, args ...any) int { return dbtest.Count(t, d, q, args...) }
		received := count(`SELECT COUNT(*) FROM appeals WHERE status = 'received'`)
		registered := count(`SELECT COUNT(*) FROM appeals WHERE status = 'registered'`)
		if received+registered == 0 {
			t.Fatal("the demo has no appeal waiting for the desk: the test would prove nothing")
		}
		op := app.as("operator@vpyshma.demo").get("/admin").body
		for label, want := range map[string]int{
			"Поступившие обращения ждут регистрации":                 received,
			"Зарегистрированные обращения ждут передачи исполнителю": registered,
		} {
			if want == 0 {
				want = -1 // a task with nothing to do is not shown
			}
			if got := taskCount(op, label); got != want {
				t.Errorf("operator: %q shows %d, want %d", label, got, want)
			}
		}
		if strings.Contains(op, "Проекты ответов ждут согласования") {
			t.Error("the operator is asked to approve drafts, which only the head may do")
		}

		// An editor sees only their department's appeals to answer.
		var dept int64
		if err := d.QueryRow(t.Context(), `SELECT department_id FROM accounts WHERE email = 'editor@vpyshma.demo'`).Scan(&dept); err != nil {
			t.Fatal(err)
		}
		assigned := count(`SELECT COUNT(*) FROM appeals WHERE status = 'assigned' AND department_id = ?`, dept)
		if assigned == 0 {
			assigned = -1
		}
		ed := app.as("editor@vpyshma.demo").get("/admin").body
		if got := taskCount(ed, "Обращения ждут подготовки ответа"); got != assigned {
			t.Errorf("editor: appeals to answer %d, want %d", got, assigned)
		}
		if strings.Contains(ed, "Поступившие обращения ждут регистрации") {
			t.Error("an editor is asked to register appeals")
		}

		admin := app.as("admin@vpyshma.demo")
		users := admin.get("/admin/users").body
		if !strings.Contains(users, "Администратор") || strings.Contains(users, "<td>administrator") || strings.Contains(users, ", editor") {
			t.Error("/admin/users names roles in English")
		}
		if acc := admin.get("/account").body; strings.Contains(acc, "[Администратор") {
			t.Error("the account page prints the roles as a Go slice")
		}
	})
}
