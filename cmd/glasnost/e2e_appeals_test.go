package main

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserAppeals walks the whole path of an appeal in the browser: a
// resident submits one and checks its status, an operator registers a paper
// appeal and assigns it, the department drafts the answer, the head approves
// it, the department sends it, the overdue ones are flagged on the
// dashboard, and the head makes and publishes the quarter's report, which
// the public then reads and downloads. axe-core checks every page.
func TestBrowserAppeals(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	e2eEngines(t, func(t *testing.T, srv *server, b *browser) {
		logout := func() { b.submit(nil, "header form[action='/logout'] button") }

		// The public page with the counter.
		b.visit("/appeals")
		if s := b.text("table.counter"); !strings.Contains(s, "Поступило") {
			t.Fatalf("counter = %q", s)
		}

		// A resident submits an appeal: no consent is asked (59-FZ), the form
		// shows a notice of processing that names the operator.
		b.login("resident@vpyshma.demo", DemoPassword)
		b.visit("/appeals/new")
		if s := b.text(".pd-notice"); !strings.Contains(s, "Оператор персональных данных") {
			t.Fatalf("processing notice = %q", s)
		}
		b.submit(map[string]string{"#last_name": "Жителев", "#first_name": "Пётр", "#text": "Прошу починить фонарь у дома по ул. Ленина, 9."}, "main form button[type=submit]")
		number := b.text(".appeal-number")
		if !strings.HasPrefix(number, "ВП-") {
			t.Fatalf("registration number %q", number)
		}
		srv.Mail.WaitFor(t, "resident@vpyshma.demo", "зарегистрировано", 30*time.Second)
		b.visit("/account/appeals")
		b.visit("/account/appeals/" + url.PathEscape(number))
		if s := b.text("main"); !strings.Contains(s, "фонарь") || !strings.Contains(s, "Зарегистрировано") {
			t.Errorf("own appeal page: %q", s)
		}
		logout()
		// Anyone with the number and the e-mail learns the status, nothing more.
		b.visit("/appeals/status")
		b.submit(map[string]string{"#number": number, "#contact": "resident@vpyshma.demo"}, "main form button[type=submit]")
		if s := b.text("main"); !strings.Contains(s, "Зарегистрировано") || strings.Contains(s, "фонарь") {
			t.Errorf("status page: %q", s)
		}

		// The operator registers a paper appeal and assigns it.
		b.login("operator@vpyshma.demo", DemoPassword)
		b.visit("/admin/appeals")
		b.visit("/admin/appeals/new")
		received := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
		b.submit(map[string]string{"#received_on": received, "#last_name": "Бумажкин", "#first_name": "Олег",
			"#postal_address": "624090, г. Верхняя Пышма, ул. Чистова, 3", "#text": "Письмо: прошу убрать сухое дерево во дворе."}, "main form button[type=submit]")
		if s := b.text(".flash"); !strings.Contains(s, "зарегистрировано под номером") {
			t.Fatalf("paper appeal: %q", s)
		}
		paperPath := strings.TrimPrefix(get(b, chromedp.Location()), srv.URL)
		affairs := get(b, chromedp.Evaluate[string](`[...document.querySelectorAll('#department option')].find(o => o.textContent.includes('Управление делами')).value`))
		b.run(chromedp.SetValue(chromedp.CSS("#department"), affairs))
		b.submit(nil, "form.step:has(input[value=assign]) button[type=submit]")
		if s := b.text("main"); !strings.Contains(s, "Передано исполнителю") {
			t.Fatalf("after assign: %q", s[:min(len(s), 300)])
		}
		b.visit("/admin/appeals/console?q=" + url.QueryEscape("Бумажкин"))
		b.submit(map[string]string{"#note": "Сообщили, что обращение передано в Управление делами"}, "main form[action='/admin/appeals/console/calls'] button")
		// The operator records a personal reception; the report counts it.
		b.visit("/admin/appeals/receptions")
		b.submit(map[string]string{"#official": "Глава администрации Петров П. П.", "#citizens": "2", "#questions": "3"}, "main form[action='/admin/appeals/receptions'] button")
		if s := b.text(".flash"); !strings.Contains(s, "записан") {
			t.Errorf("reception: %q", s)
		}
		logout()

		// The department drafts the answer.
		b.login("editor@vpyshma.demo", DemoPassword)
		b.visit(paperPath)
		b.run(chromedp.SetValue(chromedp.CSS("#result"), "site_visit"))
		b.submit(map[string]string{"#answer": "Специалисты выехали на место; сухое дерево будет убрано до конца месяца."}, "form.step:has(input[value=draft]) button[type=submit]")
		logout()
		// The head approves it.
		b.login("admin@vpyshma.demo", DemoPassword)
		b.visit(paperPath)
		b.submit(nil, "form.step:has(input[value=approve]) button[type=submit]")
		logout()
		// The department sends it.
		b.login("editor@vpyshma.demo", DemoPassword)
		b.visit(paperPath)
		b.submit(nil, "form.step:has(input[value=answer]) button[type=submit]")
		if s := b.text("main"); !strings.Contains(s, "Дан ответ") {
			t.Fatalf("after answer: %q", s[:min(len(s), 300)])
		}
		logout()

		// The head sees the overdue appeals and publishes this quarter's report.
		b.login("admin@vpyshma.demo", DemoPassword)
		b.visit("/admin/appeals")
		if s := b.text("main table"); !strings.Contains(s, "просрочено") {
			t.Errorf("the dashboard flags no overdue appeal: %q", s)
		}
		b.visit("/admin/appeals?overdue=yes")
		b.visit("/admin/appeals/classifier")
		b.visit("/admin/appeals/calendar")
		b.visit("/admin/appeals/reports")
		// A report is published only for a period that has ended (the
		// demo already published the last quarter): the previous month.
		now := time.Now()
		mStart := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
		prevStart, prevEnd := mStart.AddDate(0, -1, 0).Format("2006-01-02"), mStart.AddDate(0, 0, -1).Format("2006-01-02")
		b.submit(map[string]string{"#from": prevStart, "#to": prevEnd}, "main form[action='/admin/appeals/reports'] button")
		if s := b.text("main"); !strings.Contains(s, "Черновик") {
			t.Fatalf("draft report: %q", s[:min(len(s), 300)])
		}
		reportPath := get(b, chromedp.Location())
		b.visit("/admin/appeals/reports")
		id := reportPath[strings.LastIndex(reportPath, "/")+1:]
		b.submit(nil, "form[action='/admin/appeals/reports/"+id+"/publish'] button")
		if s := b.text(".flash"); !strings.Contains(s, "опубликован") {
			t.Errorf("after publishing: %q", s)
		}
		logout()

		// The public reads the report and downloads it.
		b.visit("/appeals/reports")
		b.visit(strings.TrimPrefix(reportPath, srv.URL))
		if s := b.text("main"); !strings.Contains(s, "По результатам рассмотрения") || strings.Contains(s, "Бумажкин") {
			t.Errorf("public report: %q", s[:min(len(s), 300)])
		}
		for ext, magic := range map[string]string{"xlsx": "PK", "pdf": "%PDF"} {
			resp, err := http.Get(reportPath + "/" + ext)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.HasPrefix(string(body), magic) {
				t.Errorf("report %s: %d", ext, resp.StatusCode)
			}
		}
		t.Logf("axe-core checked %d pages: %v", len(b.Checked), b.Checked)
	})
}
