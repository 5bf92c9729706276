package roadmap

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/webtest"
)

// fixedNow is the day the handler tests live on: the demo plan, re-dated,
// runs from 2026 to 2027.
var fixedNow = time.Date(2026, time.November, 29, 7, 0, 0, 0, time.UTC)

func newArea(t *testing.T, d *db.DB) (*webtest.Env, *Area) {
	t.Helper()
	d.Now = func() time.Time { return fixedNow }
	env := webtest.New(t, d)
	// The handler tests stand for a portal whose every area is built: each
	// declared kind has its tool (TestMeasureWithoutTool covers the others).
	var all []events.Kind
	for _, k := range events.Kinds {
		all = append(all, k.Kind)
	}
	env.Portal.Add(portal.Contribution{Name: "every-tool", Evidence: all})
	a, err := New(env.Deps(nil))
	if err != nil {
		t.Fatal(err)
	}
	a.Mount(env.Router)
	return env, a
}

func loadDemo(t *testing.T, env *webtest.Env, a *Area) Plan {
	t.Helper()
	if err := a.Demo(context.Background(), env.Municipality); err != nil {
		t.Fatalf("demo: %v", err)
	}
	plans, _, err := a.Store.List(context.Background(), env.Municipality.ID, 10, 0)
	if err != nil || len(plans) != 2 {
		t.Fatalf("demo plans: %v %d", err, len(plans))
	}
	// Newest first: the invented live plan, then order No. 118 as approved.
	if !strings.HasPrefix(plans[0].Title, "Демонстрационный план") || !strings.Contains(plans[1].ApprovingAct, "от 07.03.2018 № 118") {
		t.Fatalf("demo plans: %q, %q", plans[0].Title, plans[1].ApprovingAct)
	}
	return plans[0]
}

func upload(t *testing.T, c *webtest.Client, env *webtest.Env, name string, data []byte) webtest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, env.URL()+"/admin/roadmaps/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(req)
}

var (
	reFileID = regexp.MustCompile(`name="file_id" value="(\d+)"`)
	reSelect = regexp.MustCompile(`(?s)<select id="(unit-\d+)" name="[^"]+"[^>]*>(.*?)</select>`)
	reChosen = regexp.MustCompile(`<option value="(\d+)" selected>`)
)

// previewForm is the preview's form as a browser would submit it unchanged.
func previewForm(t *testing.T, body string) url.Values {
	t.Helper()
	m := reFileID.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no file_id in preview:\n%s", body)
	}
	v := url.Values{"file_id": {m[1]}}
	for _, s := range reSelect.FindAllStringSubmatch(body, -1) {
		chosen := "0"
		if c := reChosen.FindStringSubmatch(s[2]); c != nil {
			chosen = c[1]
		}
		v.Set(s[1], chosen)
	}
	return v
}

func TestImportDOCXPreviewAndSave(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		admin := env.Client("affairs", auth.Administrator)
		docx, err := os.ReadFile(mergedFixture)
		if err != nil {
			t.Fatal(err)
		}
		if r := admin.Get("/admin/roadmaps/import"); r.Status != 200 || !strings.Contains(r.Body, `enctype="multipart/form-data"`) {
			t.Fatalf("import form: %d", r.Status)
		}
		r := upload(t, admin, env, "План мероприятий.docx", docx)
		if r.Status != 200 || !strings.Contains(r.Body, "распознано 10 механизмов и 33 мероприятия") || strings.Contains(r.Body, "не распознано сроков") {
			t.Fatalf("preview: %d\n%s", r.Status, r.Body)
		}
		for _, want := range []string{"Проверка импорта", "Развитие официального сайта", "Ежеквартально", "повторяется", "Ответственные подразделения", "Ничего ещё не сохранено"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("preview lacks %q", want)
			}
		}
		// Nothing is saved by the preview.
		if plans, _, _ := a.Store.List(context.Background(), env.Municipality.ID, 10, 0); len(plans) != 0 {
			t.Fatal("preview saved a roadmap")
		}
		form := previewForm(t, r.Body)
		form.Set("title", "")
		form.Set("act", "распоряжением администрации от 07.03.2018 № 118")
		// The title is required; the error is beside the field and the rest is kept.
		bad := admin.PostForm("/admin/roadmaps/import/save", form)
		if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "Заполните поле «Название»") || !strings.Contains(bad.Body, `href="#title"`) ||
			!strings.Contains(bad.Body, "от 07.03.2018 № 118") {
			t.Fatalf("missing title: %d\n%s", bad.Status, bad.Body)
		}
		form.Set("title", "План мероприятий («дорожная карта») открытости")
		saved := admin.PostForm("/admin/roadmaps/import/save", form)
		if saved.Status != http.StatusSeeOther || !strings.HasPrefix(saved.Header.Get("Location"), "/admin/roadmaps/") {
			t.Fatalf("save: %d %s", saved.Status, saved.Body)
		}
		page := admin.Get(saved.Header.Get("Location"))
		if page.Status != 200 || !strings.Contains(page.Body, "Дорожная карта сохранена: 10 механизмов, 33 мероприятия") {
			t.Fatalf("after save: %d\n%s", page.Status, page.Body)
		}
		plans, _, _ := a.Store.List(context.Background(), env.Municipality.ID, 10, 0)
		if len(plans) != 1 || plans[0].Title != "План мероприятий («дорожная карта») открытости" || plans[0].SourceName != "План мероприятий.docx" {
			t.Fatalf("saved %+v", plans)
		}
		p, _ := a.Store.Get(context.Background(), env.Municipality.ID, plans[0].ID)
		if p.Mechanisms[0].Measures[0].Units[0].DepartmentID != env.Departments["affairs"] {
			t.Errorf("1.1 responsible not mapped to «Управление делами»: %+v", p.Mechanisms[0].Measures[0].Units)
		}
		recs, _, _ := audit.List(context.Background(), d, env.Municipality.ID, audit.Filter{Action: "roadmap.import"}, 10, 0)
		if len(recs) != 1 || recs[0].Actor != admin.Account.Email {
			t.Errorf("audit %+v", recs)
		}
	})
}

func TestImportUnparsedScheduleSetByHand(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		admin := env.Client("affairs", auth.Administrator)
		tsv := "План мероприятий по открытости\n\n" +
			"№\tМероприятие\tОжидаемый результат\tСроки исполнения\tОтветственный\n" +
			"1. Развитие сайта\n" +
			"1.1\tДоработка сайта\tКоличество разделов – 1 ед.\tВ течение 2026 года\tУправление делами\n" +
			"1.2\tОпрос жителей\t\tпо согласованию с главой\tПресс-секретарь\n"
		r := upload(t, admin, env, "plan.tsv", []byte(tsv))
		if r.Status != 200 || !strings.Contains(r.Body, "не распознано сроков: 1") || !strings.Contains(r.Body, `id="schedule-1-2"`) || !strings.Contains(r.Body, "rm-row-unparsed") {
			t.Fatalf("preview: %d\n%s", r.Status, r.Body)
		}
		form := previewForm(t, r.Body)
		form.Set("title", "План мероприятий по открытости")
		form.Set("schedule-1-2", "когда-нибудь")
		bad := admin.PostForm("/admin/roadmaps/import/save", form)
		if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "срок «когда-нибудь» не распознан") || !strings.Contains(bad.Body, `value="когда-нибудь"`) {
			t.Fatalf("bad schedule: %d\n%s", bad.Status, bad.Body)
		}
		form.Set("schedule-1-2", "4 квартал 2026 года")
		if s := admin.PostForm("/admin/roadmaps/import/save", form); s.Status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", s.Status, s.Body)
		}
		plans, _, _ := a.Store.List(context.Background(), env.Municipality.ID, 10, 0)
		p, _ := a.Store.Get(context.Background(), env.Municipality.ID, plans[0].ID)
		ms := p.Mechanisms[0].Measures[1]
		if ms.Schedule.Kind != SchedulePeriod || !ms.ScheduleManual || dateString(ms.Schedule.From) != "2026-10-01" {
			t.Errorf("1.2 schedule %+v manual %v", ms.Schedule, ms.ScheduleManual)
		}
	})
}

func TestImportRefusals(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, _ := newArea(t, d)
		admin := env.Client("affairs", auth.Administrator)
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
		if r := upload(t, admin, env, "picture.png", png); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "документом Word (DOCX)") {
			t.Errorf("PNG: %d\n%s", r.Status, r.Body)
		}
		if r := upload(t, admin, env, "notes.txt", []byte("Просто текст\nбез таблицы\n")); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "не найдена таблица мероприятий") {
			t.Errorf("no table: %d\n%s", r.Status, r.Body)
		}
		if r := admin.PostForm("/admin/roadmaps/import/save", url.Values{"file_id": {"999"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "загрузите его ещё раз") {
			t.Errorf("missing file: %d", r.Status)
		}
		editor := env.Client("press", auth.Editor)
		if r := editor.Get("/admin/roadmaps/import"); r.Status != http.StatusForbidden {
			t.Errorf("editor import: %d", r.Status)
		}
		if r := env.Anonymous().Get("/admin/roadmaps"); r.Status != http.StatusSeeOther {
			t.Errorf("anonymous admin list: %d", r.Status)
		}
	})
}

// pdfText reports whether the PDF's content streams show text: fpdf writes
// the text of a Unicode font as UTF-16BE inside compressed streams.
func pdfHasText(pdf []byte, text string) bool {
	var want []byte
	for _, u := range utf16.Encode([]rune(text)) {
		want = append(want, byte(u>>8), byte(u))
	}
	rest := pdf
	for {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			return false
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("endstream"))
		if j < 0 {
			return false
		}
		if zr, err := zlib.NewReader(bytes.NewReader(rest[:j])); err == nil {
			data, _ := io.ReadAll(zr)
			if bytes.Contains(data, want) {
				return true
			}
		}
		rest = rest[j+len("endstream"):]
	}
}

func TestPublicPagesExportsAndAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		plan := loadDemo(t, env, a)
		// The demo is idempotent.
		var links, measures int
		count := func() (int, int) {
			var l, m int
			if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM roadmap_links`).Scan(&l); err != nil {
				t.Fatal(err)
			}
			if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM roadmap_measures`).Scan(&m); err != nil {
				t.Fatal(err)
			}
			return l, m
		}
		links, measures = count()
		if err := a.Demo(context.Background(), env.Municipality); err != nil {
			t.Fatal(err)
		}
		if l, m := count(); l != links || m != measures || measures != 66 || links == 0 {
			t.Errorf("demo twice: links %d→%d, measures %d→%d", links, l, measures, m)
		}
		// Re-dated: the plan runs around the present.
		if plan.PeriodFrom.Year() != 2026 || plan.PeriodTo.Year() != 2027 {
			t.Errorf("demo period %v – %v", plan.PeriodFrom, plan.PeriodTo)
		}
		anon := env.Anonymous()
		id := fmt.Sprint(plan.ID)
		if r := anon.Get("/roadmap"); r.Status != 200 || !strings.Contains(r.Body, plan.Title) {
			t.Fatalf("/roadmap: %d", r.Status)
		}
		r := anon.Get("/roadmap/" + id)
		if r.Status != 200 {
			t.Fatalf("/roadmap/%s: %d", id, r.Status)
		}
		for _, want := range []string{"Ход исполнения", "выполнено", "просрочено", "срок не наступил", "в работе", "Аналитический отчёт о работе с обращениями граждан",
			"Исполнено в 67% периодов", "<caption>Мероприятия механизма 9", `scope="col"`, "export.xlsx", "export.pdf", "Распоряжение администрации «Об обеспечении доступа"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("public page lacks %q", want)
			}
		}
		if strings.Contains(r.Body, "style=") || strings.Contains(r.Body, "<script>") {
			t.Error("inline style or script")
		}
		if r := anon.Get("/roadmap/999999"); r.Status != 404 {
			t.Errorf("missing roadmap: %d", r.Status)
		}
		if r := anon.Get("/roadmap/abc"); r.Status != 404 {
			t.Errorf("bad id: %d", r.Status)
		}

		x := anon.Get("/roadmap/" + id + "/export.xlsx")
		if x.Status != 200 || !strings.Contains(x.Header.Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("xlsx: %d", x.Status)
		}
		f, err := excelize.OpenReader(strings.NewReader(x.Body))
		if err != nil {
			t.Fatalf("open xlsx: %v", err)
		}
		rows, err := f.GetRows("Дорожная карта")
		if err != nil {
			t.Fatal(err)
		}
		head := -1
		for i, row := range rows {
			if len(row) == 7 && row[6] == MarkColumn && row[2] == "Мероприятие" {
				head = i
			}
		}
		if head < 0 || len(rows)-head-1 != 33 {
			t.Fatalf("xlsx: header at %d, %d rows", head, len(rows))
		}
		if first := rows[head+1]; first[0] != "1." || !strings.HasPrefix(first[2], "1. Разработка распоряжения") || !strings.HasPrefix(first[6], "Выполнено") {
			t.Errorf("xlsx first row %q", first)
		}

		pdf := anon.Get("/roadmap/" + id + "/export.pdf")
		if pdf.Status != 200 || !strings.HasPrefix(pdf.Body, "%PDF") || pdf.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("pdf: %d %q", pdf.Status, pdf.Body[:min(len(pdf.Body), 8)])
		}
		for _, want := range []string{MarkColumn, "Развитие официального", "Ежеквартально"} {
			if !pdfHasText([]byte(pdf.Body), want) {
				t.Errorf("the PDF does not show %q", want)
			}
		}

		as := anon.Get("/roadmap/" + id + "/assessment")
		if as.Status != 200 || !strings.Contains(as.Body, "2025 год") || !strings.Contains(as.Body, "2026 год") || !strings.Contains(as.Body, "внедрён полностью") {
			t.Errorf("assessment page: %d\n%s", as.Status, as.Body)
		}

		var list struct {
			Items []struct {
				ID    int64  `json:"id"`
				Title string `json:"title"`
				URL   string `json:"url"`
			} `json:"items"`
			Total int `json:"total"`
		}
		anon.API("GET", "/api/v1/roadmaps", nil).JSON(t, &list)
		if list.Total != 2 || list.Items[0].ID != plan.ID || list.Items[0].URL != "/roadmap/"+id {
			t.Errorf("API list %+v", list)
		}
		var full struct {
			AsOf       string         `json:"as_of"`
			Progress   map[string]int `json:"progress"`
			Mechanisms []struct {
				Number   int `json:"number"`
				Measures []struct {
					Number     string   `json:"number"`
					Status     string   `json:"status"`
					Compliance *float64 `json:"compliance"`
					Evidence   []struct {
						Source string `json:"source"`
						URL    string `json:"url"`
					} `json:"evidence"`
					Schedule struct {
						Kind string `json:"kind"`
					} `json:"schedule"`
				} `json:"measures"`
			} `json:"mechanisms"`
		}
		resp := anon.API("GET", "/api/v1/roadmaps/"+id, nil)
		resp.JSON(t, &full)
		if full.AsOf != "2026-11-29" || full.Progress["total"] != 33 || len(full.Mechanisms) != 10 {
			t.Fatalf("API roadmap: %s", resp.Body[:min(500, len(resp.Body))])
		}
		q := full.Mechanisms[8].Measures[1]
		if q.Number != "9.2" || q.Compliance == nil || *q.Compliance < 0.66 || len(q.Evidence) != 2 || q.Evidence[0].Source != "link" || q.Schedule.Kind != "recurring" {
			t.Errorf("API 9.2 %+v", q)
		}
		sum := 0
		for _, s := range []string{"done", "progress", "pending", "overdue"} {
			sum += full.Progress[s]
		}
		if sum != 33 || full.Progress["done"] == 0 || full.Progress["overdue"] == 0 || full.Progress["pending"] == 0 {
			t.Errorf("progress %v", full.Progress)
		}
		if !env.API.Has("GET", "/api/v1/roadmaps/{id}") || !env.API.Has("GET", "/api/v1/roadmaps") {
			t.Error("API not described")
		}
		var apiErr map[string]map[string]string
		anon.API("GET", "/api/v1/roadmaps/999999", nil).JSON(t, &apiErr)
		if apiErr["error"]["code"] != "not_found" {
			t.Errorf("API 404: %v", apiErr)
		}
	})
}

func TestMeasureScheduleRuleAndLinks(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		plan := loadDemo(t, env, a)
		p, _ := a.Store.Get(context.Background(), env.Municipality.ID, plan.ID)
		ms := p.Mechanisms[7].Measures[1] // 8.2: the ethics training, 1st quarter of 2027
		path := fmt.Sprintf("/admin/roadmap-measures/%d", ms.ID)
		editor := env.Client("press", auth.Editor)
		if r := editor.Get(path); r.Status != 200 || !strings.Contains(r.Body, "Мероприятие 8.2") || !strings.Contains(r.Body, `value="training.course_completed" checked`) {
			t.Fatalf("measure page: %d\n%s", r.Status, r.Body)
		}
		form := url.Values{"schedule": {"в следующем году"}, "kinds": {"training.course_completed"}, "count": {"1"}}
		r := editor.PostForm(path, form)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Срок «в следующем году» не распознан") || !strings.Contains(r.Body, `value="в следующем году"`) {
			t.Fatalf("bad schedule: %d\n%s", r.Status, r.Body)
		}
		form = url.Values{"schedule": {"До 01.11.2026 года"}, "kinds": {"training.course_completed", "news.published", "nobody.writes_this"},
			"spheres": {"education"}, "words": {"этик, Кодекс"}, "count": {"2"}}
		if r := editor.PostForm(path, form); r.Status != http.StatusSeeOther {
			t.Fatalf("save: %d\n%s", r.Status, r.Body)
		}
		got, _ := a.Store.Measure(context.Background(), env.Municipality.ID, ms.ID)
		if got.Schedule.Kind != ScheduleDeadline || dateString(got.Schedule.To) != "2026-11-01" || !got.ScheduleManual ||
			len(got.Rule.Kinds) != 2 || got.Rule.Spheres[0] != "education" || got.Rule.Words[1] != "кодекс" || got.Rule.Count != 2 {
			t.Errorf("saved %+v %+v", got.Schedule, got.Rule)
		}
		if r := editor.PostForm(path, url.Values{"schedule": {"До 01.11.2026 года"}, "count": {"-1"}}); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, "от 0 до 1000") {
			t.Errorf("bad rule: %d", r.Status)
		}

		// Links: validated, then counted; overdue becomes done late.
		if st := measureStatus(t, a, env, ms.ID); st != StatusOverdue {
			t.Errorf("before the link: %s", st)
		}
		bad := editor.PostForm(path+"/links", url.Values{"link_title": {"Курс"}, "link_url": {"javascript:alert(1)"}, "done_on": {"2027-01-01"}})
		if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "адрес страницы портала") || !strings.Contains(bad.Body, "не может быть позже сегодняшней") {
			t.Fatalf("bad link: %d\n%s", bad.Status, bad.Body)
		}
		for _, day := range []string{"2026-11-10", "2026-11-12"} {
			ok := editor.PostForm(path+"/links", url.Values{"link_title": {"Тренинг по кодексу этики"}, "link_url": {"/news/12"}, "done_on": {day}})
			if ok.Status != http.StatusSeeOther {
				t.Fatalf("add link: %d\n%s", ok.Status, ok.Body)
			}
		}
		if st := measureStatus(t, a, env, ms.ID); st != StatusDone {
			t.Errorf("after two links: %s", st)
		}
		got, _ = a.Store.Measure(context.Background(), env.Municipality.ID, ms.ID)
		if r := editor.PostForm(fmt.Sprintf("/admin/roadmap-links/%d/delete", got.Links[0].ID), nil); r.Status != http.StatusSeeOther {
			t.Fatalf("delete link: %d", r.Status)
		}
		if st := measureStatus(t, a, env, ms.ID); st != StatusOverdue {
			t.Errorf("after deleting one: %s", st)
		}
		recs, _, _ := audit.List(context.Background(), d, env.Municipality.ID, audit.Filter{Entity: "roadmap_measure"}, 50, 0)
		actions := map[string]int{}
		for _, rec := range recs {
			actions[rec.Action]++
		}
		if actions["roadmap.measure.update"] != 1 || actions["roadmap.link.add"] != 2 || actions["roadmap.link.delete"] != 1 {
			t.Errorf("audit %v", actions)
		}
		resident := env.Client("", auth.Resident)
		if r := resident.PostForm(path+"/links", url.Values{"link_title": {"x"}, "link_url": {"/x"}, "done_on": {"2026-11-01"}}); r.Status != http.StatusForbidden {
			t.Errorf("resident adds a link: %d", r.Status)
		}
	})
}

func measureStatus(t *testing.T, a *Area, env *webtest.Env, measureID int64) Status {
	t.Helper()
	ms, err := a.Store.Measure(context.Background(), env.Municipality.ID, measureID)
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := a.progress(context.Background(), env.Municipality, ms.RoadmapID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range p.Mechanisms {
		for _, x := range m.Measures {
			if x.ID == measureID {
				return x.Progress.Status
			}
		}
	}
	t.Fatal("measure not in plan")
	return ""
}

func TestUnitsCriteriaAndAssessmentPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		plan := loadDemo(t, env, a)
		admin := env.Client("affairs", auth.Administrator)
		base := fmt.Sprintf("/admin/roadmaps/%d", plan.ID)
		if r := admin.Get(base); r.Status != 200 || !strings.Contains(r.Body, "Правило подтверждения") {
			t.Fatalf("admin page: %d", r.Status)
		}
		r := admin.Get(base + "/units")
		if r.Status != 200 || !strings.Contains(r.Body, "Общественный совет") {
			t.Fatalf("units: %d", r.Status)
		}
		units, _ := a.Store.UnitMappings(context.Background(), env.Municipality.ID, plan.ID)
		form := url.Values{}
		for i, u := range units {
			v := fmt.Sprint(u.DepartmentID)
			if u.Name == "Общественный совет" {
				v = fmt.Sprint(env.Departments["legal"])
			}
			form.Set(fmt.Sprintf("unit-%d", i), v)
		}
		if r := admin.PostForm(base+"/units", form); r.Status != http.StatusSeeOther {
			t.Fatalf("save units: %d\n%s", r.Status, r.Body)
		}
		form.Set("unit-0", "99999")
		if r := admin.PostForm(base+"/units", form); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "из списка") {
			t.Errorf("bad unit: %d", r.Status)
		}
		after, _ := a.Store.UnitMappings(context.Background(), env.Municipality.ID, plan.ID)
		for _, u := range after {
			if u.Name == "Общественный совет" && u.DepartmentID != env.Departments["legal"] {
				t.Errorf("council mapped to %d", u.DepartmentID)
			}
		}

		// Criteria: weights are validated and a criterion is added.
		crit, _ := a.Store.Criteria(context.Background(), env.Municipality.ID, true)
		cf := url.Values{}
		for _, c := range crit {
			cf.Set(fmt.Sprintf("title-%d", c.ID), c.Title)
			cf.Set(fmt.Sprintf("weight-%d", c.ID), fmt.Sprint(c.Weight))
		}
		cf.Set(fmt.Sprintf("weight-%d", crit[0].ID), "11")
		if r := admin.PostForm("/admin/roadmaps/criteria", cf); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "от 1 до 10") {
			t.Errorf("bad weight: %d", r.Status)
		}
		cf.Set(fmt.Sprintf("weight-%d", crit[0].ID), "3")
		cf.Set("new_title", "Механизм понятен жителям")
		cf.Set("new_weight", "1")
		if r := admin.PostForm("/admin/roadmaps/criteria", cf); r.Status != http.StatusSeeOther {
			t.Fatalf("criteria: %d\n%s", r.Status, r.Body)
		}
		crit, _ = a.Store.Criteria(context.Background(), env.Municipality.ID, false)
		if len(crit) != len(DefaultCriteria)+1 || crit[0].Weight != 3 {
			t.Errorf("criteria %+v", crit)
		}

		// The 2027 assessment of mechanism 1: every criterion «да».
		p, _ := a.Store.Get(context.Background(), env.Municipality.ID, plan.ID)
		mech := p.Mechanisms[0].ID
		if r := admin.Get(base + "/assessment?year=2027"); r.Status != 200 || !strings.Contains(r.Body, "за 2027 год") {
			t.Fatalf("assessment form: %d", r.Status)
		}
		af := url.Values{"year": {"2027"}, fmt.Sprintf("stage-%d", mech): {"4"}, fmt.Sprintf("note-%d", mech): {"Сайт полностью обновлён"}}
		for _, c := range crit {
			af.Set(fmt.Sprintf("c-%d-%d", mech, c.ID), "2")
		}
		if r := admin.PostForm(base+"/assessment", af); r.Status != http.StatusSeeOther {
			t.Fatalf("save assessment: %d\n%s", r.Status, r.Body)
		}
		af.Set(fmt.Sprintf("c-%d-%d", mech, crit[0].ID), "5")
		if r := admin.PostForm(base+"/assessment", af); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "ответьте на вопрос") {
			t.Errorf("bad answer: %d", r.Status)
		}
		pub := env.Anonymous().Get(fmt.Sprintf("/roadmap/%d/assessment", plan.ID))
		if !strings.Contains(pub.Body, "2027 год") || !strings.Contains(pub.Body, "внедрён полностью; 100 из 100") || !strings.Contains(pub.Body, "Сайт полностью обновлён") {
			t.Errorf("public assessment:\n%s", pub.Body)
		}
		if r := env.Client("press", auth.Editor).Get(base + "/assessment"); r.Status != http.StatusForbidden {
			t.Errorf("editor assessment: %d", r.Status)
		}

		// Deleting the plan takes it out of the list and the search.
		if r := admin.PostForm(base+"/delete", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("delete: %d", r.Status)
		}
		if r := env.Anonymous().Get(fmt.Sprintf("/roadmap/%d", plan.ID)); r.Status != 404 {
			t.Errorf("deleted plan: %d", r.Status)
		}
		var indexed int
		if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM search_docs WHERE type = 'roadmap' AND object_id = ?`, fmt.Sprint(plan.ID)).Scan(&indexed); err != nil {
			t.Fatal(err)
		}
		if indexed != 0 {
			t.Errorf("deleted plan still indexed")
		}
	})
}

func TestRemindersGoToResponsibleDepartments(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		plan := loadDemo(t, env, a)
		// The test municipality has no economy committee; its measures go to «Управление делами».
		if err := d.InTx(context.Background(), func(tx *db.Tx) error {
			return a.Store.MapUnit(context.Background(), tx, env.Municipality.ID, plan.ID, "Комитет экономики и муниципального заказа", env.Departments["affairs"])
		}); err != nil {
			t.Fatal(err)
		}
		staff := env.Account("affairs", auth.Editor)
		press := env.Account("press", auth.Press)
		env.StartJobs()
		ctx := context.Background()
		n, err := a.SendReminders(ctx, env.Municipality)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Fatal("no reminders sent")
		}
		// 7.1 «До 1 декабря 2026 года» is two days away; 10.2, weekly, is due today.
		msg := env.Mail.WaitFor(t, staff.Email, "7.1", 20*time.Second)
		if !strings.Contains(msg.Body, "До 1 декабря 2026 года") || !strings.Contains(msg.Body, "осталось дней: 2") || !strings.Contains(msg.Body, "http://portal.test/admin/roadmap-measures/") {
			t.Errorf("reminder body:\n%s", msg.Body)
		}
		env.Mail.WaitFor(t, press.Email, "10.2", 20*time.Second)
		// Once per measure and due date.
		again, err := a.SendReminders(ctx, env.Municipality)
		if err != nil || again != 0 {
			t.Errorf("second run sent %d (%v)", again, err)
		}
	})
}
