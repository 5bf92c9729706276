package appeals

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/webtest"
)

func submitForm(extra url.Values) url.Values {
	v := url.Values{
		"middle_name": {"Петровна"}, // the surname and name come from the account (547-FZ)
		"email":       {"kuznetsova@example.ru"}, "phone": {"+7 912 111-22-33"}, "addressee": {"administration"},
		"text": {"Прошу организовать уборку снега во дворе дома по ул. Чистова, 5."}, "consent": {"yes"},
	}
	for k, x := range extra {
		v[k] = x
	}
	return v
}

func numberIn(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `class="appeal-number">`)
	if i < 0 {
		t.Fatalf("no registration number on the page:\n%s", body)
	}
	rest := body[i+len(`class="appeal-number">`):]
	return rest[:strings.Index(rest, "<")]
}

func TestResidentSubmitsAndTracks(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, _ := setup(t, d)
		env.StartJobs()
		resident := env.Client("", auth.Resident)

		// A form with mistakes comes back filled in, with the errors beside the fields.
		r := resident.PostForm("/appeals", submitForm(url.Values{"last_name": {"Кузнецова"}, "first_name": {"Мария"}, "consent": {""}, "email": {"не-адрес"}}))
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("invalid form: %d", r.Status)
		}
		for _, want := range []string{`class="error-summary"`, `href="#last_name"`, "должны совпадать с подтверждёнными в учётной записи", "Укажите адрес электронной почты в виде", "ул. Чистова, 5", `value="Мария"`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("invalid form lacks %q", want)
			}
		}

		r = resident.PostForm("/appeals", submitForm(nil))
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/appeals/submitted/") {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}
		confirm := r.Header.Get("Location")
		r = resident.Get(confirm)
		number := numberIn(t, r.Body)
		if !strings.HasPrefix(number, "ВП-") || !strings.Contains(r.Body, "Дата регистрации") {
			t.Fatalf("number %q", number)
		}
		msg := env.Mail.WaitFor(t, "kuznetsova@example.ru", "зарегистрировано", 10*time.Second)
		if !strings.Contains(msg.Body, number) {
			t.Errorf("confirmation lacks the number: %s", msg.Body)
		}

		// The resident sees it with its history; another resident does not.
		if r := resident.Get("/account/appeals"); !strings.Contains(r.Body, number) {
			t.Errorf("my appeals lacks %s", number)
		}
		path := "/account/appeals/" + url.PathEscape(number)
		if r := resident.Get(path); r.Status != 200 || !strings.Contains(r.Body, "ул. Чистова") || !strings.Contains(r.Body, "Зарегистрировано") {
			t.Errorf("my appeal: %d", r.Status)
		}
		if r := env.Client("", auth.Resident).Get(path); r.Status != 404 || strings.Contains(r.Body, "Чистова") {
			t.Errorf("another resident's appeal: %d", r.Status)
		}
		var mine struct {
			Appeals []APIAppeal `json:"appeals"`
			Total   int         `json:"total"`
		}
		resident.API("GET", "/api/v1/account/appeals", nil).JSON(t, &mine)
		if mine.Total != 1 || mine.Appeals[0].Number != number || mine.Appeals[0].Due.AnswerBy.IsZero() {
			t.Errorf("API my appeals: %+v", mine)
		}

		// Anyone with the number and the contact sees the status only.
		anon := env.Anonymous()
		ok := anon.Get("/appeals/status?" + url.Values{"number": {number}, "contact": {"8 912 1112233"}}.Encode())
		if ok.Status != 200 || !strings.Contains(ok.Body, "Зарегистрировано") || strings.Contains(ok.Body, "Чистова") || strings.Contains(ok.Body, "Кузнецова") {
			t.Errorf("status by phone: %d", ok.Status)
		}
		bad := anon.Get("/appeals/status?" + url.Values{"number": {number}, "contact": {"other@example.ru"}}.Encode())
		if bad.Status != 422 || !strings.Contains(bad.Body, "не найдено") {
			t.Errorf("status with a wrong contact: %d", bad.Status)
		}
		var st map[string]any
		api := anon.API("GET", "/api/v1/appeals/status?"+url.Values{"number": {number}, "contact": {"KUZNETSOVA@example.ru"}}.Encode(), nil)
		api.JSON(t, &st)
		if api.Status != 200 || len(st) != 4 || st["registration_number"] != number || st["status"] != "registered" || st["answer_by"] == "" {
			t.Errorf("API status: %d %v", api.Status, st)
		}
		if r := anon.API("GET", "/api/v1/appeals/status?number=ВП-1999-000001&contact=a@b.ru", nil); r.Status != 404 {
			t.Errorf("unknown number: %d", r.Status)
		}
		// Anonymous visitors cannot submit.
		if r := anon.PostForm("/appeals", submitForm(nil)); r.Status != http.StatusSeeOther {
			t.Errorf("anonymous submit: %d", r.Status)
		}
	})
}

func multipartBody(t *testing.T, fields url.Values, fileField, fileName string, content []byte) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, vs := range fields {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	if fileField != "" {
		fw, err := w.CreateFormFile(fileField, fileName)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(content)
	}
	_ = w.Close()
	return &b, w.FormDataContentType()
}

func TestSubmitWithAttachments(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		_ = a
		resident := env.Client("", auth.Resident)
		post := func(name string, content []byte) webtest.Response {
			body, ct := multipartBody(t, submitForm(nil), "attachments", name, content)
			req, _ := http.NewRequest("POST", env.URL()+"/appeals", body)
			req.Header.Set("Content-Type", ct)
			return resident.Do(req)
		}
		// A mistake elsewhere in the form: the file cannot be kept by the
		// browser, and the form names it so that it is attached again.
		refusedBody, refusedCT := multipartBody(t, submitForm(url.Values{"text": {""}}), "attachments", "схема двора.pdf", []byte("%PDF-1.4\n%%EOF\n"))
		refused, _ := http.NewRequest("POST", env.URL()+"/appeals", refusedBody)
		refused.Header.Set("Content-Type", refusedCT)
		if r := resident.Do(refused); r.Status != 422 || !strings.Contains(r.Body, "Файлы не сохранены, потому что в форме есть ошибки: «схема двора.pdf». Прикрепите их снова.") {
			t.Errorf("a refused form with a file: %d, the file is not named for attaching again", r.Status)
		}
		r := post("script.exe", []byte("MZ\x90\x00binary"))
		if r.Status != 422 || !strings.Contains(r.Body, "допускаются PDF, DOCX, JPEG и PNG") {
			t.Fatalf("bad type: %d", r.Status)
		}
		r = post("фото двора.pdf", []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("with a PDF: %d %s", r.Status, r.Body)
		}
		number := numberIn(t, resident.Get(r.Header.Get("Location")).Body)
		page := resident.Get("/account/appeals/" + url.PathEscape(number))
		i := strings.Index(page.Body, `href="/appeals/files/`)
		if i < 0 || !strings.Contains(page.Body, "фото двора.pdf") {
			t.Fatalf("attachment not listed")
		}
		href := page.Body[i+6 : i+6+strings.Index(page.Body[i+6:], `"`)]
		if f := resident.Get(href); f.Status != 200 || !strings.HasPrefix(f.Body, "%PDF") {
			t.Errorf("owner download: %d", f.Status)
		}
		if f := env.Client("", auth.Resident).Get(href); f.Status != 404 {
			t.Errorf("stranger download: %d", f.Status)
		}
		if f := env.Client("", auth.Operator).Get(href); f.Status != 200 {
			t.Errorf("operator download: %d", f.Status)
		}

		// The answer carries a file, which the citizen gets once it is sent.
		head := env.Client("affairs", auth.Administrator)
		enc := url.PathEscape(number)
		if r := head.API("POST", "/api/v1/appeals/"+enc+"/assign", map[string]any{"department_id": env.Departments["affairs"]}); r.Status != 200 {
			t.Fatalf("assign: %d", r.Status)
		}
		body, ct := multipartBody(t, url.Values{"action": {"draft"}, "answer": {"См. схему уборки во вложении."}, "result": {"explained"}}, "attachments", "схема.pdf", []byte("%PDF-1.4\nanswer\n%%EOF\n"))
		req, _ := http.NewRequest("POST", env.URL()+"/admin/appeals/"+enc+"/steps", body)
		req.Header.Set("Content-Type", ct)
		if r := head.Do(req); r.Status != http.StatusSeeOther {
			t.Fatalf("draft with a file: %d %s", r.Status, r.Body)
		}
		var answerFile int64
		if err := env.DB.QueryRow(context.Background(), `SELECT file_id FROM appeal_files WHERE role = 'answer'`).Scan(&answerFile); err != nil {
			t.Fatal(err)
		}
		answerHref := "/appeals/files/" + strconv.FormatInt(answerFile, 10)
		if f := resident.Get(answerHref); f.Status != 404 {
			t.Errorf("the citizen downloads a draft answer's file: %d", f.Status)
		}
		for _, act := range []string{"approve", "answer"} {
			if r := head.API("POST", "/api/v1/appeals/"+enc+"/"+act, nil); r.Status != 200 {
				t.Fatalf("%s: %d %s", act, r.Status, r.Body)
			}
		}
		if f := resident.Get(answerHref); f.Status != 200 || !strings.Contains(f.Body, "answer") {
			t.Errorf("the citizen cannot download the answer's file: %d", f.Status)
		}
		if page := resident.Get("/account/appeals/" + enc); !strings.Contains(page.Body, "схема.pdf") || !strings.Contains(page.Body, "См. схему уборки") {
			t.Error("the answer and its file are not in the citizen's account")
		}
	})
}

// TestWorkflow follows an appeal through the API and the pages: an
// operator registers a paper appeal with its real receipt date, assigns it,
// the department drafts, the head extends and approves, the department
// answers, and the citizen gets the answer.
func TestWorkflow(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.StartJobs()
		m := env.Municipality
		today := a.Today(m)
		op := env.Client("appeals", auth.Operator)
		head := env.Client("affairs", auth.Administrator)
		housing := env.Client("housing", auth.Editor)
		legal := env.Client("legal", auth.Lawyer)

		received := today.AddDays(-2)
		body := map[string]any{
			"channel": "written", "received_at": received.String(),
			"author": map[string]string{"last_name": "Соколов", "first_name": "Андрей", "middle_name": "Ильич", "email": "sokolov@example.ru", "phone": "+7 912 555-66-77", "postal_address": "624090, г. Верхняя Пышма, ул. Ленина, 1"},
			"text":   "Прошу отремонтировать подъезд.", "type": "statement", "topic": "0005.0005.0055.1112",
		}
		r := op.API("POST", "/api/v1/appeals", body)
		if r.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		var created map[string]any
		r.JSON(t, &created)
		number, _ := created["registration_number"].(string)
		due, _ := created["due"].(map[string]any)
		if created["status"] != "registered" || created["received_at"] != received.String() || created["registered_at"] != today.String() || due["register_by"] == nil || due["forward_by"] == nil || due["answer_by"] == nil {
			t.Fatalf("create response: %v", created)
		}
		enc := url.PathEscape(number)

		// Validation errors name the fields.
		bad := op.API("POST", "/api/v1/appeals", map[string]any{"channel": "pigeon", "received_at": "вчера", "author": map[string]string{}})
		if bad.Status != 422 || !strings.Contains(bad.Body, "received_at") {
			t.Errorf("invalid create: %d %s", bad.Status, bad.Body)
		}
		bad = op.API("POST", "/api/v1/appeals", map[string]any{"channel": "pigeon", "received_at": today.String(), "author": map[string]string{"email": "x"}, "text": ""})
		for _, f := range []string{"channel", "author.email", "text"} {
			if !strings.Contains(bad.Body, `"`+f+`"`) {
				t.Errorf("invalid create lacks field %s: %s", f, bad.Body)
			}
		}
		// Article 8: a written appeal without a surname or an address is
		// registered all the same; a call needs only the phone.
		for _, anon := range []map[string]any{
			{"channel": "written", "received_at": today.String(), "author": map[string]string{}, "text": "Без подписи."},
			{"channel": "phone", "received_at": today.String(), "author": map[string]string{"phone": "+7 343 555-01-02"}, "text": "Звонок."},
		} {
			if r := op.API("POST", "/api/v1/appeals", anon); r.Status != http.StatusCreated {
				t.Errorf("register %v: %d %s", anon["channel"], r.Status, r.Body)
			}
		}
		if r := op.API("POST", "/api/v1/appeals", map[string]any{"channel": "phone", "received_at": today.String(), "author": map[string]string{}, "text": "Звонок."}); r.Status != 422 || !strings.Contains(r.Body, "author.phone") {
			t.Errorf("a call without a phone: %d %s", r.Status, r.Body)
		}

		step := func(c *webtest.Client, act string, b any, want int) map[string]any {
			t.Helper()
			r := c.API("POST", "/api/v1/appeals/"+enc+"/"+act, b)
			if r.Status != want {
				t.Fatalf("%s: %d, want %d: %s", act, r.Status, want, r.Body)
			}
			var out map[string]any
			if want == 200 {
				r.JSON(t, &out)
			}
			return out
		}
		// The department cannot act before the appeal is assigned to it.
		step(housing, "draft", map[string]any{"answer": "x", "result": "explained"}, 404)
		step(op, "assign", map[string]any{"department_id": env.Departments["housing"]}, 200)
		step(legal, "draft", map[string]any{"answer": "x", "result": "explained"}, 404)
		step(housing, "draft", map[string]any{"answer": "", "result": "maybe"}, 422)
		out := step(housing, "draft", map[string]any{"answer": "Капитальный ремонт подъезда включён в план на июнь.", "result": "supported_measures"}, 200)
		if out["status"] != "drafted" {
			t.Errorf("after draft: %v", out["status"])
		}
		step(housing, "answer", nil, 409) // not before the head approves
		step(op, "approve", nil, 403)
		ext := step(head, "extend", map[string]any{"days": 30, "reason": "Запрошены сведения у фонда капитального ремонта", "basis": "art10"}, 200)
		cal, _ := a.Calendar(context.Background(), m.ID)
		orig := ComputeDue(cal, a.cfg.Rules, received, today).AnswerBy
		want, err := cal.Extend(today, a.cfg.Rules.Answer, orig, today, 30)
		if err != nil {
			t.Fatal(err)
		}
		if ext["due"].(map[string]any)["answer_by"] != want.String() || ext["extended_days"].(float64) != 30 {
			t.Errorf("extend: %v, want answer_by %s", ext["due"], want)
		}
		step(head, "extend", map[string]any{"days": 5, "reason": "ещё"}, 422) // once only
		env.Mail.WaitFor(t, "sokolov@example.ru", "продлён", 10*time.Second)
		step(head, "approve", nil, 200)
		final := step(housing, "answer", nil, 200)
		if final["status"] != "answered" || final["result"] != "supported_measures" || final["late"] != false {
			t.Errorf("answered: %v", final)
		}
		msg := env.Mail.WaitFor(t, "sokolov@example.ru", "Ответ на обращение", 10*time.Second)
		if !strings.Contains(msg.Body, "Капитальный ремонт подъезда") {
			t.Errorf("answer mail: %s", msg.Body)
		}
		hist, _ := final["history"].([]any)
		if len(hist) < 7 {
			t.Errorf("history has %d entries", len(hist))
		}

		// Reading it through the API is allowed to staff who may see it, and audited.
		if r := op.API("GET", "/api/v1/appeals/"+enc, nil); r.Status != 200 || !strings.Contains(r.Body, `"history"`) {
			t.Errorf("GET: %d", r.Status)
		}
		if r := legal.API("GET", "/api/v1/appeals/"+enc, nil); r.Status != 404 {
			t.Errorf("another department GET: %d", r.Status)
		}
		var views int
		if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'appeal.viewed' AND entity_id = ?`, number).Scan(&views); err != nil || views != 1 {
			t.Errorf("audited views: %d, %v", views, err)
		}
		// The audit log keeps the workflow, not the citizen's text.
		leaked := dbtest.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE after_state LIKE ? OR before_state LIKE ?`, "%подъезд%", "%подъезд%")
		if leaked != 0 {
			t.Error("appeal text copied into the audit log")
		}
		// The page of the staff member shows it and writes the view too.
		if r := op.Get("/admin/appeals/" + enc); r.Status != 200 || !strings.Contains(r.Body, "Соколов Андрей Ильич") || !strings.Contains(r.Body, "Дан ответ") {
			t.Errorf("staff page: %d", r.Status)
		}
		if r := legal.Get("/admin/appeals/" + enc); r.Status != 404 {
			t.Errorf("another department page: %d", r.Status)
		}
	})
}

func TestForwardAndCloseByPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.StartJobs()
		op := env.Client("appeals", auth.Operator)
		head := env.Client("affairs", auth.Administrator)
		today := a.Today(env.Municipality).String()

		form := url.Values{"channel": {"oral"}, "received_on": {today}, "registered_on": {today}, "last_name": {"Попов"}, "first_name": {"Олег"},
			"email": {"popov@example.ru"}, "addressee": {"administration"}, "text": {"Прошу снизить тариф на газ."}, "kind": {"complaint"}}
		bad := op.PostForm("/admin/appeals", url.Values{"channel": {"oral"}, "received_on": {"завтра"}, "text": {"Текст сохранится"}})
		if bad.Status != 422 || !strings.Contains(bad.Body, "Укажите дату поступления") || !strings.Contains(bad.Body, "Текст сохранится") {
			t.Fatalf("invalid paper form: %d", bad.Status)
		}
		r := op.PostForm("/admin/appeals", form)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("register paper: %d %s", r.Status, r.Body)
		}
		loc := r.Header.Get("Location")
		page := op.Get(loc)
		if page.Status != 200 || !strings.Contains(page.Body, "Обращение зарегистрировано под номером") {
			t.Fatalf("after register: %d", page.Status)
		}
		stepURL := loc + "/steps"
		if r := op.PostForm(stepURL, url.Values{"action": {"forward"}, "forward_to": {""}}); r.Status != 422 || !strings.Contains(r.Body, "Укажите орган") {
			t.Errorf("forward without addressee: %d", r.Status)
		}
		if r := op.PostForm(stepURL, url.Values{"action": {"close"}, "ground": {"abusive"}}); r.Status != 403 {
			t.Errorf("operator closing on art. 11: %d", r.Status)
		}
		if r := op.PostForm(stepURL, url.Values{"action": {"forward"}, "forward_to": {"Региональная энергетическая комиссия Свердловской области"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("forward: %d %s", r.Status, r.Body)
		}
		msg := env.Mail.WaitFor(t, "popov@example.ru", "направлено по компетенции", 10*time.Second)
		if !strings.Contains(msg.Body, "Региональная энергетическая комиссия") {
			t.Errorf("forward notice: %s", msg.Body)
		}
		if r := head.PostForm(stepURL, url.Values{"action": {"close"}, "ground": {"abusive"}}); r.Status != 409 {
			t.Errorf("closing a forwarded appeal: %d", r.Status)
		}

		// Another one, left without an answer on an article 11 ground.
		form.Set("email", "popov2@example.ru")
		loc = op.PostForm("/admin/appeals", form).Header.Get("Location")
		if r := head.PostForm(loc+"/steps", url.Values{"action": {"close"}, "ground": {"no_substance"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("close: %d %s", r.Status, r.Body)
		}
		msg = env.Mail.WaitFor(t, "popov2@example.ru", "Оставлено без ответа", 10*time.Second)
		if !strings.Contains(msg.Body, "ч. 4.1 ст. 11") {
			t.Errorf("art. 11 letter: %s", msg.Body)
		}
	})
}

func TestOverdueRemindersDashboardAndLateAnswer(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.StartJobs()
		ctx := context.Background()
		m := env.Municipality
		today := a.Today(m)
		op := env.Client("appeals", auth.Operator)
		head := env.Client("affairs", auth.Administrator)
		housing := env.Client("housing", auth.Editor)
		old := today.AddDays(-45)
		c := createAssigned(t, env, op, housing, old, "Лебедев", "lebedev@example.ru")
		enc := url.PathEscape(c.Number)

		dash := housing.Get("/admin/appeals")
		if !strings.Contains(dash.Body, "1 — просрочено") || !strings.Contains(dash.Body, c.Number) {
			t.Errorf("department dashboard does not flag the overdue appeal")
		}
		if r := housing.Get("/admin/appeals?overdue=yes"); !strings.Contains(r.Body, "Найдено обращений: 1") {
			t.Errorf("overdue filter")
		}
		listed := dbtest.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'appeal.list_viewed' AND account_id = ? AND after_state LIKE ?`, housing.Account.ID, "%"+c.Number+"%")
		if listed != 2 {
			t.Errorf("list views audited: %d, want 2", listed)
		}
		if r := env.Client("legal", auth.Lawyer).Get("/admin/appeals"); strings.Contains(r.Body, c.Number) {
			t.Errorf("another department sees the appeal in its list")
		}

		// The periodic job (started above) may have sent them first.
		n, err := a.SendReminders(ctx, m)
		if err != nil || (n == 0 && dbtest.Count(t, d, `SELECT COUNT(*) FROM appeal_reminders r JOIN appeals a ON a.id = r.appeal_id WHERE a.number = ?`, c.Number) == 0) {
			t.Fatalf("reminders: %d, %v", n, err)
		}
		msg := env.Mail.WaitFor(t, head.Account.Email, "Просрочено обращение", 10*time.Second)
		if !strings.Contains(msg.Body, c.Number) {
			t.Errorf("overdue mail: %s", msg.Body)
		}
		if again, err := a.SendReminders(ctx, m); err != nil || again != 0 {
			t.Errorf("second run sent %d, %v: each reminder goes once", again, err)
		}

		for _, s := range []struct {
			c   *webtest.Client
			act string
			b   any
		}{{housing, "draft", map[string]any{"answer": "Отопление восстановлено.", "result": "site_visit"}}, {head, "approve", nil}, {housing, "answer", nil}} {
			if r := s.c.API("POST", "/api/v1/appeals/"+enc+"/"+s.act, s.b); r.Status != 200 {
				t.Fatalf("%s: %d %s", s.act, r.Status, r.Body)
			}
		}
		var late bool
		if err := d.QueryRow(ctx, `SELECT late FROM appeals WHERE number = ?`, c.Number).Scan(&late); err != nil || !late {
			t.Errorf("a late answer must be flagged: %v %v", late, err)
		}
		from, to := QuarterOf(old)
		rep, err := a.store.MakeReport(ctx, m.ID, from, to, today)
		if err != nil || rep.AnsweredLate != 1 {
			t.Errorf("report counts %d late answers, %v", rep.AnsweredLate, err)
		}
	})
}

func TestReportsPublishedAndExported(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		ctx := context.Background()
		m := env.Municipality
		// The clock can step past the quarter's end, to publish it.
		var ahead atomic.Int64
		wall := d.Now
		d.Now = func() time.Time { return wall().Add(time.Duration(ahead.Load())) }
		env.Server()
		today := a.Today(m)
		from, to := QuarterOf(today)
		if _, err := a.Register(ctx, m, paper(a, env, "Егоров", from), Actor{Staff: true}, false); err != nil {
			t.Fatal(err)
		}
		head := env.Client("affairs", auth.Administrator)
		anon := env.Anonymous()
		bad := head.PostForm("/admin/appeals/reports", url.Values{"from": {to.String()}, "to": {from.String()}})
		if bad.Status != 422 || !strings.Contains(bad.Body, "не раньше даты начала") {
			t.Fatalf("inverted period: %d", bad.Status)
		}
		r := head.PostForm("/admin/appeals/reports", url.Values{"from": {from.String()}, "to": {to.String()}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("make report: %d %s", r.Status, r.Body)
		}
		loc := r.Header.Get("Location")
		if r := head.Get(loc); r.Status != 200 || !strings.Contains(r.Body, "Черновик") || !strings.Contains(r.Body, `role="img"`) {
			t.Errorf("draft for the head: %d", r.Status)
		}
		if r := anon.Get(loc); r.Status != 404 {
			t.Errorf("draft visible to the public: %d", r.Status)
		}
		id := strings.TrimPrefix(loc, "/appeals/reports/")
		// Not before the quarter has ended.
		if r := head.PostForm("/admin/appeals/reports/"+id+"/publish", nil); r.Status != http.StatusConflict || !strings.Contains(r.Body, "пока не закончился его период") {
			t.Fatalf("publish an unfinished quarter: %d", r.Status)
		}
		days := 0
		for x := today; !x.After(to); x = x.AddDays(1) {
			days++
		}
		ahead.Store(int64(days) * int64(24*time.Hour))
		if r := head.PostForm("/admin/appeals/reports/"+id+"/publish", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("publish: %d", r.Status)
		}
		ahead.Store(0)
		page := anon.Get(loc)
		if page.Status != 200 || !strings.Contains(page.Body, "По разделам типового общероссийского тематического классификатора") || strings.Contains(page.Body, "Егоров") {
			t.Errorf("published report: %d", page.Status)
		}
		if r := anon.Get("/appeals/reports"); !strings.Contains(r.Body, loc) {
			t.Error("report not listed")
		}
		x := anon.Get(loc + "/xlsx")
		if x.Status != 200 || !strings.HasPrefix(x.Body, "PK") {
			t.Errorf("xlsx: %d", x.Status)
		}
		p := anon.Get(loc + "/pdf")
		if p.Status != 200 || !strings.HasPrefix(p.Body, "%PDF") {
			t.Errorf("pdf: %d", p.Status)
		}
		if f := anon.Get("/appeals/reports/feed.atom"); f.Status != 200 || !strings.Contains(f.Body, "<feed") || !strings.Contains(f.Body, "http://portal.test"+loc) {
			t.Errorf("feed: %d %s", f.Status, f.Body)
		}
		var pub struct {
			Reports []apiReport `json:"reports"`
			Total   int         `json:"total"`
		}
		anon.API("GET", "/api/v1/appeals/reports", nil).JSON(t, &pub)
		if pub.Total != 1 || pub.Reports[0].URL != loc {
			t.Errorf("API reports: %+v", pub)
		}
		var one apiReport
		anon.API("GET", "/api/v1/appeals/reports/"+id, nil).JSON(t, &one)
		if one.Data == nil || one.Data.Total != 1 {
			t.Errorf("API report: %+v", one)
		}
		var counter map[string]map[string]int
		r = anon.API("GET", "/api/v1/appeals/counter", nil)
		_ = json.Unmarshal([]byte(r.Body), &counter)
		if counter["year"]["received"] != 1 {
			t.Errorf("API counter: %s", r.Body)
		}
		evs, err := events.List(ctx, d, events.Query{MunicipalityID: m.ID, Kinds: []events.Kind{events.AppealsReportPublished}})
		if err != nil || len(evs) != 1 || evs[0].URL != loc {
			t.Errorf("event: %+v, %v", evs, err)
		}
		var docs int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM search_docs WHERE type = 'appeals_report' AND url = ?`, loc).Scan(&docs); err != nil || docs != 1 {
			t.Errorf("search docs: %d, %v", docs, err)
		}
		// Regenerating a published period leaves it as published.
		if r := head.PostForm("/admin/appeals/reports", url.Values{"from": {from.String()}, "to": {to.String()}}); r.Header.Get("Location") != loc {
			t.Errorf("regenerate: %s", r.Header.Get("Location"))
		}
		// The periodic job makes the previous quarter's draft once.
		if err := a.QuarterlyReport(ctx, m); err != nil {
			t.Fatal(err)
		}
		if err := a.QuarterlyReport(ctx, m); err != nil {
			t.Fatal(err)
		}
		list, total, err := a.store.Reports(ctx, m.ID, false, 10, 0)
		if err != nil || total != 2 || list[1].Published() {
			t.Errorf("after the job: %d reports, %v", total, err)
		}
		// The public page counts the year and month.
		if r := anon.Get("/appeals"); !strings.Contains(r.Body, "Счётчик обращений") || !strings.Contains(r.Body, "<th scope=\"row\">Поступило</th><td>1</td>") {
			t.Errorf("counter: %s", r.Body)
		}
	})
}

func TestConsoleClassifierAndCalendar(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		ctx := context.Background()
		m := env.Municipality
		env.Server()
		today := a.Today(m)
		in := paper(a, env, "Семёнова", today)
		in.Author.Phone = "+7 343 222-33-44"
		ap, err := a.Register(ctx, m, in, Actor{Staff: true}, false)
		if err != nil {
			t.Fatal(err)
		}
		op := env.Client("appeals", auth.Operator)
		for _, q := range []string{"семенова", "8 (343) 222-33-44", ap.Number} {
			r := op.Get("/admin/appeals/console?q=" + url.QueryEscape(q))
			if r.Status != 200 || !strings.Contains(r.Body, "Обращение № "+ap.Number) || !strings.Contains(r.Body, "Ответить до") || !strings.Contains(r.Body, "Ход рассмотрения") {
				t.Errorf("console %q: %d", q, r.Status)
			}
		}
		if r := op.PostForm("/admin/appeals/console/calls", url.Values{"number": {ap.Number}, "note": {""}}); r.Status != 422 {
			t.Errorf("empty call note: %d", r.Status)
		}
		if r := op.PostForm("/admin/appeals/console/calls", url.Values{"number": {ap.Number}, "note": {"Сообщили срок ответа"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("log call: %d %s", r.Status, r.Body)
		}
		hist, _ := a.store.History(ctx, ap.ID, false)
		pub, _ := a.store.History(ctx, ap.ID, true)
		if len(hist) != len(pub)+1 || hist[len(hist)-1].Action != "call" {
			t.Errorf("the call is in the staff history only: %d vs %d", len(hist), len(pub))
		}

		head := env.Client("affairs", auth.Administrator)
		body, ct := multipartBody(t, nil, "file", "totko.csv", []byte("Код;Наименование\n0001;Государство\n0001.0001;Конституционный строй\n"))
		req, _ := http.NewRequest("POST", env.URL()+"/admin/appeals/classifier", body)
		req.Header.Set("Content-Type", ct)
		r := head.Do(req)
		if r.Status != 200 || !strings.Contains(r.Body, "выведено из действия") {
			t.Fatalf("classifier import: %d %s", r.Status, r.Body)
		}
		body, ct = multipartBody(t, nil, "file", "bad.csv", []byte("0009;Нет такого раздела\n"))
		req, _ = http.NewRequest("POST", env.URL()+"/admin/appeals/classifier", body)
		req.Header.Set("Content-Type", ct)
		if r := head.Do(req); r.Status != 422 || !strings.Contains(r.Body, "строка 1") {
			t.Errorf("bad classifier: %d", r.Status)
		}

		if r := head.PostForm("/admin/appeals/calendar", url.Values{"overrides": {"2026-13-01 off Нет такой даты"}}); r.Status != 422 || !strings.Contains(r.Body, "2026-13-01") {
			t.Errorf("bad calendar: %d", r.Status)
		}
		// Declaring the deadline day off moves the deadline of a new appeal.
		cal, _ := a.Calendar(ctx, m.ID)
		due := ComputeDue(cal, a.cfg.Rules, today, today).AnswerBy
		if r := head.PostForm("/admin/appeals/calendar", url.Values{"overrides": {due.String() + " off Региональный праздник"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("save calendar: %d %s", r.Status, r.Body)
		}
		in2 := paper(a, env, "Макаров", today)
		in2.QuestionCode = "" // the import above replaced the classifier
		ap2, err := a.Register(ctx, m, in2, Actor{Staff: true}, false)
		if err != nil {
			t.Fatal(err)
		}
		if !ap2.Due.AnswerBy.Before(due) { // the preceding working day by default
			t.Errorf("override ignored: %s", ap2.Due.AnswerBy)
		}
		if r := head.Get("/admin/appeals/calendar"); !strings.Contains(r.Body, "Региональный праздник") {
			t.Error("override not shown")
		}
		if r := op.Get("/admin/appeals/calendar"); r.Status != 403 {
			t.Errorf("operator on the calendar: %d", r.Status)
		}
	})
}

func TestDemoIsIdempotent(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server()
		ctx := context.Background()
		// The demo loads its own classifier into an empty one.
		if _, err := d.Exec(ctx, `DELETE FROM appeal_topics WHERE municipality_id = ?`, env.Municipality.ID); err != nil {
			t.Fatal(err)
		}
		if err := a.Demo(ctx, env.Municipality); err != nil {
			t.Fatal(err)
		}
		count := func() (n, r int) {
			return dbtest.Count(t, d, `SELECT COUNT(*) FROM appeals`), dbtest.Count(t, d, `SELECT COUNT(*) FROM appeal_reports WHERE status = 'published'`)
		}
		n1, r1 := count()
		if n1 < 300 || r1 != 4 {
			t.Fatalf("demo: %d appeals, %d reports", n1, r1)
		}
		overdue := dbtest.Count(t, d, `SELECT COUNT(*) FROM appeals WHERE status IN ('registered','assigned','drafted','approved') AND answer_by < ?`, a.Today(env.Municipality).String())
		if overdue == 0 {
			t.Error("the demo should show some overdue appeals")
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM appeal_topics WHERE level > 1 AND title NOT LIKE ?`, "%"+DemoTopicMark); n != 0 {
			t.Errorf("%d demo classifier entries are not labelled as invented", n)
		}
		// One appeal under each path of issue 11.
		for _, p := range []struct{ name, query string }{
			{"anonymous written", `SELECT COUNT(*) FROM appeals WHERE channel = 'written' AND last_name = '' AND email = '' AND postal_address = ''`},
			{"phone", `SELECT COUNT(*) FROM appeals WHERE channel = 'phone' AND phone <> ''`},
			{"art. 11 p. 5.1", `SELECT COUNT(*) FROM appeals WHERE close_ground = 'published'`},
			{"art. 10 p. 4", `SELECT COUNT(*) FROM appeal_published_answers`},
		} {
			if dbtest.Count(t, d, p.query) == 0 {
				t.Errorf("the demo has no %s appeal", p.name)
			}
		}
		if err := a.Demo(ctx, env.Municipality); err != nil {
			t.Fatal(err)
		}
		if n2, r2 := count(); n2 != n1 || r2 != r1 {
			t.Errorf("second run changed the demo: %d→%d appeals, %d→%d reports", n1, n2, r1, r2)
		}
	})
}

func TestAddresseeAndSilentGround(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		resident := env.Client("", auth.Resident)
		housing := env.Departments["housing"]
		r := resident.PostForm("/appeals", submitForm(url.Values{"addressee": {"dept:" + strconv.FormatInt(housing, 10)}}))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("submit to a department: %d %s", r.Status, r.Body)
		}
		number := numberIn(t, resident.Get(r.Header.Get("Location")).Body)
		ap, err := a.store.ByNumber(context.Background(), env.DB, env.Municipality.ID, number)
		if err != nil {
			t.Fatal(err)
		}
		// The department is the addressee, not yet the assignee.
		if ap.Addressee != "Управление ЖКХ" || ap.DepartmentID != 0 || ap.Status != StatusRegistered {
			t.Errorf("addressee %q, department %d, status %s", ap.Addressee, ap.DepartmentID, ap.Status)
		}
		if r := resident.PostForm("/appeals", submitForm(url.Values{"addressee": {"dept:999999"}})); r.Status != 422 || !strings.Contains(r.Body, "Выберите адресата") {
			t.Errorf("unknown addressee: %d", r.Status)
		}
		// A ground that names no one to write to closes without a letter.
		head := env.Client("affairs", auth.Administrator)
		if r := head.API("POST", "/api/v1/appeals/"+url.PathEscape(number)+"/close", map[string]any{"ground": "no_name"}); r.Status != 200 || !strings.Contains(r.Body, `"status": "left_unanswered"`) {
			t.Fatalf("close: %d %s", r.Status, r.Body)
		}
		mails := dbtest.Count(t, env.DB, `SELECT COUNT(*) FROM river_job WHERE kind = 'send_email' AND CAST(args AS TEXT) LIKE ?`, "%Оставлено без ответа%")
		registered := dbtest.Count(t, env.DB, `SELECT COUNT(*) FROM river_job WHERE kind = 'send_email' AND CAST(args AS TEXT) LIKE ?`, "%зарегистрировано%")
		if mails != 0 || registered == 0 {
			t.Errorf("letters queued: %d for the ground (want 0), %d for the registration (want some)", mails, registered)
		}
		if r := head.API("POST", "/api/v1/appeals/"+url.PathEscape(number)+"/close", map[string]any{"ground": "no_name"}); r.Status != 409 {
			t.Errorf("closing twice: %d", r.Status)
		}
	})
}

func TestSubmissionRateLimit(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, _ := setup(t, d)
		resident := env.Client("", auth.Resident)
		// Mistakes do not count.
		for range 8 {
			if r := resident.PostForm("/appeals", submitForm(url.Values{"text": {""}})); r.Status != 422 {
				t.Fatalf("invalid: %d", r.Status)
			}
		}
		for i := range 5 {
			if r := resident.PostForm("/appeals", submitForm(url.Values{"text": {"Обращение номер " + strconv.Itoa(i)}})); r.Status != http.StatusSeeOther {
				t.Fatalf("submission %d: %d", i+1, r.Status)
			}
		}
		r := resident.PostForm("/appeals", submitForm(url.Values{"text": {"Шестое обращение"}}))
		if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
			t.Errorf("sixth submission at once: %d", r.Status)
		}
		// Another resident is not affected.
		if r := env.Client("", auth.Resident).PostForm("/appeals", submitForm(nil)); r.Status != http.StatusSeeOther {
			t.Errorf("another resident: %d", r.Status)
		}
	})
}

// Files stored for a submission that is not registered are removed: a
// second attachment of a refused type, or a repeat of an appeal already
// registered, leaves no file that no appeal holds.
func TestRefusedSubmissionLeavesNoFiles(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, _ := setup(t, d)
		resident := env.Client("", auth.Resident)
		pdf := []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
		post := func(attachments map[string][]byte) webtest.Response {
			var b bytes.Buffer
			w := multipart.NewWriter(&b)
			for k, vs := range submitForm(nil) {
				for _, v := range vs {
					if err := w.WriteField(k, v); err != nil {
						t.Fatal(err)
					}
				}
			}
			for _, name := range []string{"схема.pdf", "script.exe"} {
				content, ok := attachments[name]
				if !ok {
					continue
				}
				fw, err := w.CreateFormFile("attachments", name)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := fw.Write(content); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			req, err := http.NewRequest("POST", env.URL()+"/appeals", &b)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", w.FormDataContentType())
			return resident.Do(req)
		}
		files := func() int { return dbtest.Count(t, d, `SELECT COUNT(*) FROM files`) }

		if r := post(map[string][]byte{"схема.pdf": pdf, "script.exe": []byte("MZ\x90\x00binary")}); r.Status != 422 {
			t.Fatalf("a PDF and a program: %d", r.Status)
		}
		if n := files(); n != 0 {
			t.Errorf("the refused submission left %d files", n)
		}
		if r := post(map[string][]byte{"схема.pdf": pdf}); r.Status != http.StatusSeeOther {
			t.Fatalf("with a PDF: %d", r.Status)
		}
		r := post(map[string][]byte{"схема.pdf": pdf})
		if r.Status != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "repeat=1") {
			t.Fatalf("the same appeal again: %d %s", r.Status, r.Header.Get("Location"))
		}
		if n := files(); n != 1 {
			t.Errorf("%d files after an appeal and its repeat, want the first appeal's one", n)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM files f WHERE NOT EXISTS (SELECT 1 FROM appeal_files af WHERE af.file_id = f.id)`); n != 0 {
			t.Errorf("%d files belong to no appeal", n)
		}
	})
}
