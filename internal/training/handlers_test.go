package training

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/webtest"
)

func newArea(t testing.TB, d *db.DB) (*webtest.Env, *Area, Course) {
	t.Helper()
	env := webtest.New(t, d)
	a, err := New(env.Deps(nil))
	if err != nil {
		t.Fatal(err)
	}
	a.Mount(env.Router)
	env.Server()
	c := Course{MunicipalityID: env.Municipality.ID, Title: "Кодекс этики", CodeTitle: "Постановление № 98", CodeURL: "/acts/1",
		Material: "# Принципы\nЗаконность и **открытость**.\n# Подарки\nПодарки свыше 3000 рублей сдаются.", Quiz: quiz, PassMark: 100, MaxAttempts: 2}
	if err := d.InTx(context.Background(), func(tx *db.Tx) error {
		return a.SaveCourse(context.Background(), tx, nil, &c, audit.Entry{MunicipalityID: env.Municipality.ID, Actor: "тест"})
	}); err != nil {
		t.Fatal(err)
	}
	return env, a, c
}

func count(t testing.TB, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestQuizAttemptsAndCertificate(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, _, c := newArea(t, d)
		lawyer := env.Client("legal", auth.Lawyer)
		r := lawyer.Get(c.URL() + "?page=2")
		if r.Status != 200 || !strings.Contains(r.Body, "Подарки свыше 3000") || !strings.Contains(r.Body, `href="/acts/1"`) || !strings.Contains(r.Body, "Перейти к тесту") {
			t.Fatalf("course page: %d\n%s", r.Status, r.Body)
		}
		// An incomplete answer is not an attempt.
		r = lawyer.PostForm(c.URL()+"/quiz", url.Values{"q1": {"1"}})
		if r.Status != 422 || !strings.Contains(r.Body, "Ответьте на вопрос 2") || !strings.Contains(r.Body, `value="1" checked`) {
			t.Fatalf("incomplete: %d\n%s", r.Status, r.Body)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM training_attempts`); n != 0 {
			t.Fatalf("%d attempts after an incomplete answer", n)
		}
		// A failed attempt, then a pass.
		r = lawyer.PostForm(c.URL()+"/quiz", url.Values{"q1": {"0"}, "q2": {"0"}})
		if r.Status != 200 || !strings.Contains(r.Body, "Тест не пройден") || !strings.Contains(r.Body, "1 из 2 правильных ответов (50%)") {
			t.Fatalf("failed attempt: %d\n%s", r.Status, r.Body)
		}
		if r := lawyer.PostForm(c.URL()+"/quiz", url.Values{"q1": {"1"}, "q2": {"0"}}); r.Status != 303 {
			t.Fatalf("pass: %d %s", r.Status, r.Body)
		}
		r = lawyer.Get(c.URL())
		if !strings.Contains(r.Body, "Курс пройден") || !strings.Contains(r.Body, "certificate.pdf") {
			t.Fatalf("course after passing: %s", r.Body)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = ?`, string(events.TrainingCourseCompleted)); n != 1 {
			t.Errorf("%d completion events", n)
		}
		// No attempt after passing.
		if r := lawyer.PostForm(c.URL()+"/quiz", url.Values{"q1": {"1"}, "q2": {"0"}}); r.Status != 422 || !strings.Contains(r.Body, "уже прошли") {
			t.Fatalf("attempt after passing: %d", r.Status)
		}
		pdf := lawyer.Get(c.URL() + "/certificate.pdf")
		if pdf.Status != 200 || !strings.HasPrefix(pdf.Body, "%PDF") || pdf.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("certificate: %d %q", pdf.Status, pdf.Header.Get("Content-Type"))
		}
		other := env.Client("legal", auth.Operator)
		if r := other.Get(c.URL() + "/certificate.pdf"); r.Status != 404 {
			t.Errorf("certificate of someone who did not pass: %d", r.Status)
		}
		// The attempt limit: two failures and the third is refused.
		for i := 0; i < 2; i++ {
			if r := other.PostForm(c.URL()+"/quiz", url.Values{"q1": {"0"}, "q2": {"1"}}); r.Status != 200 {
				t.Fatalf("failure %d: %d", i+1, r.Status)
			}
		}
		r = other.PostForm(c.URL()+"/quiz", url.Values{"q1": {"1"}, "q2": {"0"}})
		if r.Status != 422 || !strings.Contains(r.Body, "Попытки исчерпаны: использовано 2 из 2") {
			t.Fatalf("third attempt: %d", r.Status)
		}
		if r := other.Get(c.URL() + "/quiz"); !strings.Contains(r.Body, "Попытки исчерпаны") || strings.Contains(r.Body, `name="q1"`) {
			t.Errorf("the quiz is offered after the attempts ran out")
		}
		// The administrator grants new attempts (audited); now the operator passes.
		admin := env.Client("affairs", auth.Administrator)
		if r := admin.PostForm("/admin/training/"+itoa(c.ID)+"/reset", url.Values{"account": {itoa(other.Account.ID)}}); r.Status != 303 {
			t.Fatalf("reset: %d", r.Status)
		}
		if r := other.PostForm(c.URL()+"/quiz", url.Values{"q1": {"1"}, "q2": {"0"}}); r.Status != 303 {
			t.Fatalf("after reset: %d", r.Status)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'training.attempts_reset'`); n != 1 {
			t.Errorf("%d reset audit entries", n)
		}
	})
}

func TestVerifyCertificate(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a, c := newArea(t, d)
		acc := env.Account("legal", auth.Lawyer)
		var done *Completion
		err := d.InTx(context.Background(), func(tx *db.Tx) error {
			var err error
			_, done, err = a.Attempt(context.Background(), tx, env.Municipality.ID, c, auth.Recipient{ID: acc.ID, Email: acc.Email, Name: "Андрей Юристов"}, []int{1, 0})
			return err
		})
		if err != nil || done == nil {
			t.Fatalf("attempt: %v %v", done, err)
		}
		anon := env.Anonymous()
		typed := strings.ToLower(strings.ReplaceAll(done.Code, "-", ""))
		r := anon.Get("/training/verify?code=" + url.QueryEscape(typed))
		if r.Status != 200 || !strings.Contains(r.Body, "Сертификат действителен") || !strings.Contains(r.Body, "А. Ю.") || !strings.Contains(r.Body, "Кодекс этики") {
			t.Fatalf("verify: %d\n%s", r.Status, r.Body)
		}
		for _, secret := range []string{"Андрей", "Юристов", acc.Email, "100%"} {
			if strings.Contains(r.Body, secret) {
				t.Errorf("the public check shows %q", secret)
			}
		}
		if r := anon.Get("/training/verify?code=AAAA-BBBB-CCCC"); r.Status != 404 || !strings.Contains(r.Body, "Сертификат не найден") {
			t.Errorf("unknown code: %d", r.Status)
		}
		if r := anon.Get("/training/verify"); r.Status != 200 || strings.Contains(r.Body, "не найден") {
			t.Errorf("empty check: %d", r.Status)
		}
		// The certificate carries the name, course, score and code.
		var b strings.Builder
		if err := Certificate(&b, env.Municipality, *done, a.verifyURL(done.Code)); err != nil || !strings.HasPrefix(b.String(), "%PDF") {
			t.Fatalf("certificate: %v", err)
		}
	})
}

func TestReportByDepartment(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a, c := newArea(t, d)
		passed := env.Account("legal", auth.Lawyer)
		failed := env.Account("legal", auth.Editor)
		idle := env.Account("housing", auth.Operator)
		resident := env.Account("", auth.Resident) // not staff: not in the report
		for _, x := range []struct {
			id  int64
			ans []int
		}{{passed.ID, []int{1, 0}}, {failed.ID, []int{0, 0}}} {
			if err := d.InTx(context.Background(), func(tx *db.Tx) error {
				_, _, err := a.Attempt(context.Background(), tx, env.Municipality.ID, c, auth.Recipient{ID: x.id, Name: "Сотрудник"}, x.ans)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		admin := env.Client("affairs", auth.Administrator)
		ds, completed, total, err := a.Report(context.Background(), env.Municipality.ID, c)
		if err != nil {
			t.Fatal(err)
		}
		if completed != 1 || total != 4 { // three staff and the administrator
			t.Fatalf("report: %d of %d", completed, total)
		}
		byDept := map[string]DepartmentReport{}
		for _, dr := range ds {
			byDept[dr.Name] = dr
		}
		if l := byDept["Юридический отдел"]; len(l.Rows) != 2 || l.Completed != 1 {
			t.Errorf("legal: %+v", l)
		}
		if h := byDept["Управление ЖКХ"]; len(h.Rows) != 1 || h.Completed != 0 || h.Rows[0].AccountID != idle.ID {
			t.Errorf("housing: %+v", h)
		}
		r := admin.Get("/admin/training/report")
		if r.Status != 200 || !strings.Contains(r.Body, "прошли 1 из 4") || !strings.Contains(r.Body, "Юридический отдел — прошли 1 из 2") ||
			!strings.Contains(r.Body, "не приступал") || strings.Contains(r.Body, resident.Email) {
			t.Fatalf("report page: %d\n%s", r.Status, r.Body)
		}
		if r := env.Client("legal", auth.Lawyer).Get("/admin/training/report"); r.Status != 403 {
			t.Errorf("report for a lawyer: %d", r.Status)
		}
	})
}

func TestEditCourse(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, _, c := newArea(t, d)
		admin := env.Client("affairs", auth.Administrator)
		v := url.Values{"title": {"Кодекс этики"}, "material": {"# Страница\nновый текст"}, "quiz": {"? Вопрос\n- а\n- б"}, "pass_mark": {"80"}, "max_attempts": {"3"}}
		r := admin.PostForm("/admin/training/"+itoa(c.ID), v)
		if r.Status != 422 || !strings.Contains(r.Body, "не отмечен правильный ответ") || !strings.Contains(r.Body, "новый текст") {
			t.Fatalf("bad quiz: %d\n%s", r.Status, r.Body)
		}
		v.Set("quiz", "? Вопрос\n- а\n+ б")
		if r := admin.PostForm("/admin/training/"+itoa(c.ID), v); r.Status != 303 {
			t.Fatalf("save: %d %s", r.Status, r.Body)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'training.course_update'`); n != 1 {
			t.Errorf("%d update audit entries", n)
		}
		if r := env.Client("legal", auth.Lawyer).Get(c.URL() + "/quiz"); !strings.Contains(r.Body, "Вопрос") || !strings.Contains(r.Body, "Вопросов: 1") {
			t.Errorf("the quiz does not show the edit: %s", r.Body)
		}
		v.Set("title", "Второй курс")
		if r := admin.PostForm("/admin/training", v); r.Status != 303 {
			t.Fatalf("create: %d", r.Status)
		}
		if r := env.Client("", auth.Resident).Get(c.URL()); r.Status != 403 {
			t.Errorf("a resident opens the course: %d", r.Status)
		}
	})
}
