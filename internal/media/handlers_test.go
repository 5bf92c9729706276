package media

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/webtest"
	"github.com/glasnost/glasnost/internal/xlsxdoc"
)

func newArea(t testing.TB, d *db.DB) (*webtest.Env, *Area) {
	t.Helper()
	env := webtest.New(t, d)
	a, err := New(env.Deps(nil))
	if err != nil {
		t.Fatal(err)
	}
	a.Mount(env.Router)
	return env, a
}

func count(t testing.TB, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func noInlineCode(t *testing.T, page, body string) {
	t.Helper()
	for _, bad := range []string{"<script", ` style="`, " onclick="} {
		if strings.Contains(body, bad) {
			t.Errorf("%s contains %q, which the CSP forbids", page, bad)
		}
	}
}

func upload(t *testing.T, env *webtest.Env, c *webtest.Client, path string, content []byte) webtest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "plan.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, env.URL()+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(req)
}

// createPlan makes the plan of 2026 as c and returns its page address.
func createPlan(t *testing.T, c *webtest.Client) string {
	t.Helper()
	r := c.PostForm("/admin/media/plans", url.Values{"year": {"2026"}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/admin/media/plans/") {
		t.Fatalf("create plan: %d %s", r.Status, r.Header.Get("Location"))
	}
	return r.Header.Get("Location")
}

func TestPlanEditingAndApproval(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, _ := newArea(t, d)
		press := env.Client("press", auth.Press)
		if r := env.Client("", auth.Resident).Get("/admin/media"); r.Status != http.StatusForbidden {
			t.Errorf("resident on /admin/media: %d", r.Status)
		}
		if r := env.Client("legal", auth.Editor).PostForm("/admin/media/plans", url.Values{"year": {"2026"}}); r.Status != http.StatusForbidden {
			t.Errorf("editor creates a plan: %d", r.Status)
		}
		plan := createPlan(t, press)
		if r := press.PostForm("/admin/media/plans", url.Values{"year": {"2026"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Медиаплан на этот год уже есть.") {
			t.Errorf("second plan of a year: %d", r.Status)
		}

		// An invalid item keeps what was typed and says why in Russian.
		r := press.PostForm(plan+"/items", url.Values{"topic": {"День города"}, "channel": {"pigeon"}, "week": {"60"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Выберите канал из списка.") ||
			!strings.Contains(r.Body, "Номер недели — число от 1 до 53.") || !strings.Contains(r.Body, `value="День города"`) && !strings.Contains(r.Body, ">День города</textarea>") {
			t.Fatalf("invalid item: %d\n%s", r.Status, r.Body)
		}
		r = press.PostForm(plan+"/items", url.Values{"topic": {"День города"}, "channel": {"site"}, "date": {"12.06.2026"},
			"department": {"999999"}, "material": {"Фоторепортаж"}})
		if r.Status == http.StatusSeeOther {
			t.Fatalf("an unknown department accepted")
		}
		r = press.PostForm(plan+"/items", url.Values{"topic": {"День города"}, "channel": {"site"}, "date": {"12.06.2026"},
			"department": {itoa(env.Departments["press"])}, "material": {"Фоторепортаж"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("add item: %d\n%s", r.Status, r.Body)
		}
		page := press.Get(plan)
		if page.Status != http.StatusOK || !strings.Contains(page.Body, "12.06.2026") || !strings.Contains(page.Body, "Пресс-секретарь") {
			t.Errorf("plan page lacks the item:\n%s", page.Body)
		}
		noInlineCode(t, plan, page.Body)
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'media_plan_item' AND action = 'create'`); n != 1 {
			t.Errorf("audit of item creation: %d", n)
		}

		// Approval needs the act; then the event is recorded once.
		r = press.PostForm(plan, url.Values{"title": {"Медиаплан на 2026 год"}, "approve": {"yes"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Для утверждения укажите номер акта.") {
			t.Fatalf("approval without act: %d", r.Status)
		}
		r = press.PostForm(plan, url.Values{"title": {"Медиаплан на 2026 год"}, "act_number": {"15-р"}, "act_date": {"20.01.2026"}, "act_url": {"/acts/1"}, "approve": {"yes"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("approve: %d\n%s", r.Status, r.Body)
		}
		press.PostForm(plan, url.Values{"title": {"Медиаплан на 2026 год"}, "act_number": {"15-р"}, "act_date": {"20.01.2026"}, "approve": {"yes"}})
		if n := count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = 'media.plan_approved'`); n != 1 {
			t.Errorf("plan_approved events: %d", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'media_plan' AND action = 'approve'`); n != 1 {
			t.Errorf("audit of approval: %d", n)
		}
		if page := press.Get(plan); !strings.Contains(page.Body, "Утверждён актом № 15-р от 20.01.2026") {
			t.Errorf("approval not shown")
		}
	})
}

func TestPlanImport(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, _ := newArea(t, d)
		press := env.Client("press", auth.Administrator)
		plan := createPlan(t, press)
		tpl := press.Get("/admin/media/plans/template.xlsx?year=2026")
		if tpl.Status != http.StatusOK || !strings.Contains(tpl.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("template: %d %s", tpl.Status, tpl.Header.Get("Content-Type"))
		}
		var bad bytes.Buffer
		_ = xlsxdoc.Write(&bad, xlsxdoc.Meta{}, xlsxdoc.Sheet{Name: "Лист1", Header: importHeader, Rows: [][]any{
			{"Хорошая строка", "Радио", "3", "", "Юридический отдел", ""},
			{"Плохая строка", "Радио", "", "", "", ""},
		}})
		r := upload(t, env, press, plan+"/import", bad.Bytes())
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Строка 3: укажите неделю или дату.") {
			t.Fatalf("bad import: %d\n%s", r.Status, r.Body)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM media_plan_items`); n != 0 {
			t.Errorf("a bad file imported %d rows", n)
		}
		r = upload(t, env, press, plan+"/import", []byte(tpl.Body))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("import the template: %d\n%s", r.Status, r.Body)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM media_plan_items`); n != 2 {
			t.Errorf("imported %d rows, want 2", n)
		}
	})
}
