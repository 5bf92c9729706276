package appeals

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/web"
	"github.com/glasnost/glasnost/internal/webtest"
)

func rowMap(rs []Row) map[string]string {
	out := map[string]string{}
	for _, r := range rs {
		out[r.Key] = fmt.Sprintf("%d/%d", r.Count, r.Prev)
	}
	return out
}

// draftReport sets up the area and has the administrator make the
// previous quarter's report; it returns the administrator's client and
// the report's path and id.
func draftReport(t *testing.T, d *db.DB) (*webtest.Env, *webtest.Client, string, string) {
	t.Helper()
	env, a := setup(t, d)
	env.Server()
	head := env.Client("affairs", auth.Administrator)
	from, to := PreviousQuarter(a.Today(env.Municipality))
	r := head.PostForm("/admin/appeals/reports", url.Values{"from": {from.String()}, "to": {to.String()}})
	loc := r.Header.Get("Location")
	if r.Status != 303 || loc == "" {
		t.Fatalf("make report: %d", r.Status)
	}
	return env, head, loc, strings.TrimPrefix(loc, "/appeals/reports/")
}

func sameMap(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestReportDecree171Breakdowns: the quarterly report counts a seeded set by
// the classifier's subject and question, by source (direct or forwarded by
// another body), by result (a returned appeal apart from one left without
// an answer), and the personal receptions — and every breakdown adds up to
// the total. The public page shows the counts, never a reception's note.
func TestReportDecree171Breakdowns(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server()
		ctx := context.Background()
		m := env.Municipality
		today := a.Today(m)
		from, to := QuarterOf(today)
		prevFrom, _ := PreviousQuarter(today)
		seeds := []struct {
			last, q, source string
			on              deadline.Date
			status          Status
			result          string
		}{
			{"Прямов", "0003.0009.0098.0720", "", from, StatusAnswered, "explained"},
			{"Передан", "0003.0009.0098.0720", "Правительство Свердловской области", from, StatusForwarded, "forwarded"},
			{"Прокуров", "0005.0005.0056.1154", "Прокуратура города", from, StatusRegistered, ""},
			{"Судов", "", "", from, StatusReturned, "left_unanswered"},
			{"Прошлов", "0005.0005.0056.1154", "", prevFrom, StatusAnswered, "supported"},
		}
		for _, s := range seeds {
			in := paper(a, env, s.last, s.on)
			in.QuestionCode, in.ReceivedFrom = s.q, s.source
			ap, err := a.Register(ctx, m, in, Actor{Staff: true}, false)
			if err != nil {
				t.Fatal(err)
			}
			if s.status != StatusRegistered {
				ap.Status, ap.Result, ap.ClosedOn = s.status, s.result, s.on
				if err := d.InTx(ctx, func(tx *db.Tx) error { return a.store.Save(ctx, tx, &ap) }); err != nil {
					t.Fatal(err)
				}
			}
		}
		const secret = "Жалоба гражданки Секретовой на соседей"
		for _, rc := range []Reception{
			{HeldOn: from, Official: "Глава администрации Петров П. П.", Citizens: 3, Questions: 4, Note: secret},
			{HeldOn: from, Official: "Заместитель главы Сидоров С. С.", Citizens: 2, Questions: 2},
			{HeldOn: prevFrom, Official: "Глава администрации Петров П. П.", Citizens: 1, Questions: 1},
			{HeldOn: prevFrom.AddDays(-1), Official: "Глава администрации Петров П. П.", Citizens: 9, Questions: 9}, // outside both periods
		} {
			if err := d.InTx(ctx, func(tx *db.Tx) error { return a.store.AddReception(ctx, tx, m.ID, 0, &rc) }); err != nil {
				t.Fatal(err)
			}
		}
		r, err := a.store.MakeReport(ctx, m.ID, from, to, today)
		if err != nil {
			t.Fatal(err)
		}
		if r.Total != 4 || r.PrevTotal != 1 {
			t.Fatalf("totals %d/%d, want 4/1", r.Total, r.PrevTotal)
		}
		tests := []struct {
			name string
			rows []Row
			want map[string]string
		}{
			{"source", r.BySource, map[string]string{"direct": "2/1", "forwarded": "2/0"}},
			{"subject", r.BySubject, map[string]string{"0003.0009": "2/0", "0005.0005": "1/1", "": "1/0"}},
			{"question", r.ByQuestion, map[string]string{"0003.0009.0098.0720": "2/0", "0005.0005.0056.1154": "1/1", "": "1/0"}},
			{"result", r.ByResult, map[string]string{"explained": "1/0", "forwarded": "1/0", "": "1/0", "returned": "1/0", "supported": "0/1"}},
			{"receptions", r.Receptions.Rows(), map[string]string{"held": "2/1", "citizens": "5/1", "questions": "6/1"}},
			{"officials", r.Receptions.ByOfficial, map[string]string{"Глава администрации Петров П. П.": "3/1", "Заместитель главы Сидоров С. С.": "2/0"}},
		}
		for _, tt := range tests {
			if got := rowMap(tt.rows); !sameMap(got, tt.want) {
				t.Errorf("by %s: %v, want %v", tt.name, got, tt.want)
			}
		}
		for _, dim := range r.Dimensions() {
			sum := 0
			for _, row := range dim.Rows {
				sum += row.Count
			}
			if sum != r.Total && dim.ID != "department" {
				t.Errorf("%s adds up to %d of %d", dim.ID, sum, r.Total)
			}
		}
		for _, row := range r.ByQuestion {
			if row.Key == "0003.0009.0098.0720" && !strings.HasPrefix(row.Label, "0003.0009.0098.0720 ") {
				t.Errorf("question label %q lacks the code and title", row.Label)
			}
		}
		for _, row := range r.ByResult {
			if row.Key == "returned" && !strings.Contains(row.Label, "Возвращено") {
				t.Errorf("returned label %q", row.Label)
			}
		}
		// The page made from the stored report: counts and officials, no
		// personal data of citizens.
		head := env.Client("affairs", auth.Administrator)
		resp := head.PostForm("/admin/appeals/reports", url.Values{"from": {from.String()}, "to": {to.String()}})
		if resp.Status != 303 {
			t.Fatalf("make report: %d", resp.Status)
		}
		page := head.Get(resp.Header.Get("Location"))
		for _, want := range []string{"По вопросам классификатора", "По источнику поступления", "Поступило из других органов", "Личный приём граждан", "Принято граждан", "Глава администрации Петров П. П."} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("report page lacks %q", want)
			}
		}
		for _, personal := range []string{secret, "Прямов", "Прокуратура города", "@example.ru"} {
			if strings.Contains(page.Body, personal) {
				t.Errorf("report page shows %q", personal)
			}
		}
	})
}

// TestReportExportsCarryNarrative: the staff's conclusions and measures
// taken are in the XLSX (a sheet of their own) and in the PDF, and an
// export of a report without them says the section is empty.
func TestReportExportsCarryNarrative(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		_, head, loc, id := draftReport(t, d)
		for _, tt := range []struct {
			name, narrative, want string
		}{
			{"empty", "", "Раздел не заполнен."},
			{"written", "Меры: отремонтировано 3 км дорог.\nВыводы: жалоб стало меньше.", "Меры: отремонтировано 3 км дорог."},
		} {
			if tt.narrative != "" {
				if r := head.PostForm("/admin/appeals/reports/"+id+"/narrative", url.Values{"narrative": {tt.narrative}}); r.Status != 303 {
					t.Fatalf("%s: narrative %d", tt.name, r.Status)
				}
			}
			x := head.Get(loc + "/xlsx")
			if x.Status != 200 {
				t.Fatalf("%s: xlsx %d", tt.name, x.Status)
			}
			f, err := excelize.OpenReader(bytes.NewReader([]byte(x.Body)))
			if err != nil {
				t.Fatal(err)
			}
			if sheets := f.GetSheetList(); len(sheets) < 2 || sheets[1] != "Выводы" {
				t.Errorf("%s: sheets %v, want the conclusions second", tt.name, sheets)
			}
			title, _ := f.GetCellValue("Выводы", "A1")
			text, _ := f.GetCellValue("Выводы", "A2")
			if title != NarrativeTitle || text != tt.want {
				t.Errorf("%s: xlsx conclusions %q %q, want %q", tt.name, title, text, tt.want)
			}
			for _, sheet := range []string{"Вопросы", "Тематики", "Источник", "Личный приём"} {
				if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
					t.Errorf("%s: no sheet %s", tt.name, sheet)
				}
			}
			f.Close()
			p := head.Get(loc + "/pdf")
			if p.Status != 200 || !pdfText(t, []byte(p.Body), NarrativeTitle) || !pdfText(t, []byte(p.Body), tt.want) {
				t.Errorf("%s: pdf lacks the conclusions %q", tt.name, tt.want)
			}
		}
	})
}

// TestReceptionForm: the staff record of personal receptions, its rules,
// who may use it and the audit record.
func TestReceptionForm(t *testing.T) {
	today := deadline.NewDate(2026, 12, 6)
	rules := []struct {
		name  string
		form  url.Values
		field string // "" when valid
	}{
		{"valid", url.Values{"held_on": {"2026-12-01"}, "official": {"Глава Петров П. П."}, "citizens": {"3"}, "questions": {"4"}}, ""},
		{"future", url.Values{"held_on": {"2026-12-07"}, "official": {"Глава"}, "citizens": {"1"}, "questions": {"1"}}, "held_on"},
		{"no official", url.Values{"held_on": {"2026-12-01"}, "citizens": {"1"}, "questions": {"1"}}, "official"},
		{"negative", url.Values{"held_on": {"2026-12-01"}, "official": {"Глава"}, "citizens": {"-1"}, "questions": {"1"}}, "citizens"},
		{"words", url.Values{"held_on": {"2026-12-01"}, "official": {"Глава"}, "citizens": {"три"}, "questions": {"1"}}, "citizens"},
		{"fewer questions", url.Values{"held_on": {"2026-12-01"}, "official": {"Глава"}, "citizens": {"3"}, "questions": {"2"}}, "questions"},
		{"too many", url.Values{"held_on": {"2026-12-01"}, "official": {"Глава"}, "citizens": {"5000"}, "questions": {"5000"}}, "citizens"},
	}
	for _, tt := range rules {
		f := web.NewForm(tt.form)
		_, ok := ParseReception(f, today)
		if tt.field == "" && !ok {
			t.Errorf("%s: refused: %v", tt.name, f.Errors)
		}
		if tt.field != "" && f.Errors[tt.field] == "" {
			t.Errorf("%s: no error on %s: %v", tt.name, tt.field, f.Errors)
		}
	}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server()
		m := env.Municipality
		op := env.Client("appeals", auth.Operator)
		day := a.Today(m).String()
		bad := op.PostForm("/admin/appeals/receptions", url.Values{"held_on": {day}, "official": {"Глава Петров П. П."}, "citizens": {"три"}, "questions": {"1"}})
		if bad.Status != 422 || !strings.Contains(bad.Body, "целым числом") || !strings.Contains(bad.Body, "Глава Петров П. П.") {
			t.Errorf("bad reception: %d, message or typed value missing", bad.Status)
		}
		good := op.PostForm("/admin/appeals/receptions", url.Values{"held_on": {day}, "official": {"Глава Петров П. П."}, "citizens": {"3"}, "questions": {"4"}, "note": {"Иванова — о ремонте крыши"}})
		if good.Status != 303 {
			t.Fatalf("reception: %d %s", good.Status, good.Body)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM appeal_receptions WHERE municipality_id = ? AND citizens = 3 AND questions = 4`, m.ID); n != 1 {
			t.Errorf("%d receptions stored", n)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'appeals_reception.recorded' AND after_state NOT LIKE '%Иванова%' AND after_state LIKE '%"citizens":3%'`); n != 1 {
			t.Errorf("%d audit records without the note", n)
		}
		if page := op.Get("/admin/appeals/receptions"); page.Status != 200 || !strings.Contains(page.Body, "Иванова — о ремонте крыши") {
			t.Errorf("journal: %d", page.Status)
		}
		if r := env.Client("housing", auth.Editor).Get("/admin/appeals/receptions"); r.Status != 403 {
			t.Errorf("department staff opened the journal: %d", r.Status)
		}
		if r := env.Client("housing", auth.Editor).PostForm("/admin/appeals/receptions", url.Values{"held_on": {day}, "official": {"X"}, "citizens": {"1"}, "questions": {"1"}}); r.Status != 403 {
			t.Errorf("department staff recorded a reception: %d", r.Status)
		}
	})
}

// TestAnswerMethod: the operator records how a caller wants the answer;
// the staff page shows it, a written way needs its address, and the answer
// goes the chosen way — by e-mail only when the caller chose e-mail.
func TestAnswerMethod(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server()
		env.StartJobs()
		ctx := context.Background()
		m := env.Municipality
		today := a.Today(m)
		op := env.Client("appeals", auth.Operator)
		staff := Actor{Name: "op@test.ru", Display: "Оператор", Staff: true}
		role := func(Appeal) Role { return Role{Operator: true, Head: true, Department: true} }
		tests := []struct {
			name, method, email, postal string
			status                      int
			errText                     string
			mail                        bool
			note                        string
		}{
			{"post without an address", "post", "", "", 422, "укажите почтовый адрес", false, ""},
			{"e-mail without an address", "email", "", "", 422, "укажите адрес электронной почты", false, ""},
			{"by e-mail", "email", "mail-caller@example.ru", "", 303, "", true, "по электронной почте"},
			{"by post, e-mail given too", "post", "post-caller@example.ru", "624090, г. Верхняя Пышма, ул. Ленина, 1", 303, "", false, "почтой"},
			{"by phone", "phone", "phone-caller@example.ru", "", 303, "", false, "по телефону"},
			{"in person", "in_person", "visit-caller@example.ru", "", 303, "", false, "лично"},
			{"unknown way", "pigeon", "", "", 422, "Выберите способ ответа", false, ""},
		}
		for _, tt := range tests {
			form := url.Values{"channel": {"phone"}, "kind": {"statement"}, "phone": {"+7 343 555-01-02"}, "last_name": {"Звонков"}, "first_name": {"Пётр"},
				"email": {tt.email}, "postal_address": {tt.postal}, "answer_method": {tt.method}, "text": {"Не горит фонарь у дома 5."},
				"received_on": {today.String()}, "registered_on": {today.String()}}
			r := op.PostForm("/admin/appeals", form)
			if r.Status != tt.status {
				t.Fatalf("%s: %d", tt.name, r.Status)
			}
			if tt.status != 303 {
				if !strings.Contains(r.Body, tt.errText) || !strings.Contains(r.Body, "Не горит фонарь у дома 5.") {
					t.Errorf("%s: no message %q or the text typed was lost", tt.name, tt.errText)
				}
				continue
			}
			number, _ := url.PathUnescape(strings.TrimPrefix(r.Header.Get("Location"), "/admin/appeals/"))
			if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'appeal.registered' AND entity_id = ? AND after_state LIKE ?`, number, `%"answer_method":"`+tt.method+`"%`); n != 1 {
				t.Errorf("%s: the registration's audit record lacks the answer method", tt.name)
			}
			page := op.Get(r.Header.Get("Location"))
			if !strings.Contains(page.Body, "Способ ответа, выбранный заявителем") || !strings.Contains(page.Body, AnswerMethodLabel(tt.method)) {
				t.Errorf("%s: the staff page does not show the chosen way", tt.name)
			}
			for _, st := range []Step{
				{Action: ActAssign, DepartmentID: env.Departments["housing"]},
				{Action: ActDraft, Answer: "Фонарь заменён 5 декабря.", Result: "supported"},
				{Action: ActApprove},
				{Action: ActAnswer},
			} {
				if _, err := a.Apply(ctx, m, number, st, staff, role); err != nil {
					t.Fatalf("%s: %s: %v", tt.name, st.Action, err)
				}
			}
			if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM appeal_events e JOIN appeals ap ON ap.id = e.appeal_id WHERE ap.number = ? AND e.action = 'answer' AND e.note LIKE ?`, number, "%"+tt.note+"%"); n != 1 {
				t.Errorf("%s: the history does not say the answer went %s", tt.name, tt.note)
			}
		}
		env.WaitJobsDone(t, 20*time.Second, "send_email")
		answered := map[string]bool{}
		for _, msg := range env.Mail.Messages() {
			if strings.Contains(msg.Subject, "Ответ на обращение") {
				for _, to := range msg.To {
					answered[to] = true
				}
			}
		}
		for _, tt := range tests {
			if tt.status == 303 && tt.email != "" && answered[tt.email] != tt.mail {
				t.Errorf("%s: answer e-mailed %v, want %v", tt.name, answered[tt.email], tt.mail)
			}
		}
		// An operator API registration takes the way too.
		resp := op.API("POST", "/api/v1/appeals", map[string]any{"channel": "phone", "received_at": today.String(), "author": map[string]string{"phone": "+7 343 555-01-03"},
			"text": "Яма на дороге.", "answer_method": "post"})
		if resp.Status != 422 || !strings.Contains(resp.Body, "почтовый адрес") {
			t.Errorf("API post without an address: %d %s", resp.Status, resp.Body)
		}
	})
}

// TestRetentionPerMunicipality: the administrator sets the municipality's
// term on the calendar page (the law is named there); the job then
// anonymises by it, deletes the appeal's files from the file store, and
// the report's counts stay as they were.
func TestRetentionPerMunicipality(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server()
		ctx := context.Background()
		m := env.Municipality
		today := a.Today(m)
		in := paper(a, env, "Хранимов", today)
		ap, err := a.Register(ctx, m, in, Actor{Staff: true}, false)
		if err != nil {
			t.Fatal(err)
		}
		meta, err := a.files.Save(ctx, m.ID, 0, "скан.pdf", strings.NewReader("%PDF-1.4\n% Хранимов, ул. Ленина, 1\n%%EOF\n"), files.PDF)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return a.store.Attach(ctx, tx, ap.ID, meta.ID, "appeal") }); err != nil {
			t.Fatal(err)
		}
		closed := deadline.NewDate(today.Year-3, today.Month, 1) // three years ago
		if _, err := d.Exec(ctx, `UPDATE appeals SET status = 'answered', result = 'explained', closed_on = ?, answer = 'Ответ' WHERE id = ?`, closed.String(), ap.ID); err != nil {
			t.Fatal(err)
		}
		from, to := QuarterOf(today)
		before, err := a.store.MakeReport(ctx, m.ID, from, to, today)
		if err != nil {
			t.Fatal(err)
		}
		head := env.Client("affairs", auth.Administrator)
		page := head.Get("/admin/appeals/calendar")
		for _, want := range []string{"Срок хранения обращений", "5 лет после ответа", "по умолчанию портала", "приказом Росархива от 20.12.2019 № 236", "152-ФЗ"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("calendar page lacks %q", want)
			}
		}
		if n, err := a.AnonymiseExpired(ctx, m); err != nil || n != 0 {
			t.Fatalf("within the default 5 years: %d %v", n, err)
		}
		for _, tt := range []struct {
			name, years string
			status      int
			want        int
		}{
			{"too long", "100", 422, 5},
			{"not a number", "пять", 422, 5},
			{"two years", "2", 303, 2},
		} {
			r := head.PostForm("/admin/appeals/calendar/retention", url.Values{"retention_years": {tt.years}})
			if r.Status != tt.status {
				t.Fatalf("%s: %d", tt.name, r.Status)
			}
			if tt.status == 422 && (!strings.Contains(r.Body, "от 1 до 75") || !strings.Contains(r.Body, tt.years)) {
				t.Errorf("%s: no message or the value typed was lost", tt.name)
			}
			if rt, _ := a.RetentionFor(ctx, m.ID); rt.Years != tt.want {
				t.Errorf("%s: term %d, want %d", tt.name, rt.Years, tt.want)
			}
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'appeals_retention.updated'`); n != 1 {
			t.Errorf("%d audit records of the setting", n)
		}
		if !strings.Contains(head.Get("/admin/appeals/calendar").Body, "установлен для муниципального образования") {
			t.Error("the page does not say the term is the municipality's own")
		}
		if n, err := a.AnonymiseExpired(ctx, m); err != nil || n != 1 {
			t.Fatalf("with 2 years: %d %v", n, err)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM files WHERE id = ?`, meta.ID); n != 0 {
			t.Error("the file record survived anonymisation")
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM appeal_files WHERE appeal_id = ?`, ap.ID); n != 0 {
			t.Error("the attachment link survived anonymisation")
		}
		if rc, err := a.files.Storage.Open(ctx, meta.Key); err == nil {
			rc.Close()
			t.Error("the file's contents survived anonymisation")
		} else if !errors.Is(err, db.ErrNotFound) {
			t.Errorf("open removed blob: %v", err)
		}
		after, err := a.store.MakeReport(ctx, m.ID, from, to, today)
		if err != nil {
			t.Fatal(err)
		}
		if after.Total != before.Total || after.Answered != before.Answered || !sameMap(rowMap(after.ByQuestion), rowMap(before.ByQuestion)) || !sameMap(rowMap(after.ByResult), rowMap(before.ByResult)) {
			t.Errorf("report changed by anonymisation: %+v → %+v", before, after)
		}
		// Back to the default: an empty field.
		if r := head.PostForm("/admin/appeals/calendar/retention", url.Values{"retention_years": {""}}); r.Status != 303 {
			t.Fatalf("reset: %d", r.Status)
		}
		if rt, _ := a.RetentionFor(ctx, m.ID); rt.Years != 5 || rt.Own {
			t.Errorf("after reset: %+v", rt)
		}
	})
}

// TestOlderReportSaysWhatItLacks: a report stored before the new
// breakdowns were counted does not show their absence as zeros.
func TestOlderReportSaysWhatItLacks(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server()
		ctx := context.Background()
		m := env.Municipality
		from, to := PreviousQuarter(a.Today(m))
		old := `{"from":"` + from.String() + `","to":"` + to.String() + `","total":3,"by_channel":[{"key":"written","label":"Письменное","count":3,"prev":0}]}`
		id, err := db.InsertID(ctx, d, `INSERT INTO appeal_reports (municipality_id, period_from, period_to, title, status, data, created_at, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, from.String(), to.String(), "Старый отчёт", ReportPublished, old, d.Now(), d.Now())
		if err != nil {
			t.Fatal(err)
		}
		page := env.Anonymous().Get(fmt.Sprintf("/appeals/reports/%d", id))
		if page.Status != 200 || !strings.Contains(page.Body, "Эта разбивка в отчёте не составлялась") || !strings.Contains(page.Body, "Сведения о личном приёме в этот отчёт не включались") {
			t.Errorf("older report: %d", page.Status)
		}
		if strings.Contains(page.Body, "Проведено личных приёмов") {
			t.Error("older report shows zero receptions")
		}
	})
}
