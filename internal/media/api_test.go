package media

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/web"
)

func TestAPIAndTasks(t *testing.T) {
	srv, _ := feedServer(t)
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		useClock(d, time.Date(2026, 5, 14, 6, 0, 0, 0, time.UTC))
		env, a := newArea(t, d)
		if err := a.Demo(ctx, env.Municipality); err != nil {
			t.Fatal(err)
		}
		operator := env.Client("", auth.Operator)
		resident := env.Client("", auth.Resident)
		press := env.Client("press", auth.Press)
		body := map[string]any{"outlet": "Вести", "journalist": "Петров П. П.", "contact": "+7 900 000-00-00", "question": "Сколько?", "received_at": "2026-04-02"}
		if r := resident.API("POST", "/api/v1/media/requests", body); r.Status != http.StatusForbidden {
			t.Errorf("resident token: %d", r.Status)
		}
		r := operator.API("POST", "/api/v1/media/requests", body)
		var got struct {
			ID     int64
			Number string
			Due    struct {
				NoticeBy string `json:"notice_by"`
				AnswerBy string `json:"answer_by"`
			} `json:"due"`
		}
		r.JSON(t, &got)
		if r.Status != http.StatusCreated || got.Number != "СМИ-2026-007" || got.Due.NoticeBy != "2026-04-03" || got.Due.AnswerBy != "2026-04-09" {
			t.Errorf("api request: %d %+v", r.Status, got)
		}
		if r := operator.API("POST", "/api/v1/media/requests", map[string]any{"outlet": "Вести"}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("incomplete api request: %d", r.Status)
		}
		var plan struct {
			Year  int
			Items []map[string]any
		}
		r = env.Anonymous().API("GET", "/api/v1/media/plan?year=2026", nil)
		r.JSON(t, &plan)
		if r.Status != http.StatusOK || plan.Year != 2026 || len(plan.Items) < 10 {
			t.Errorf("plan api: %d %d", r.Status, len(plan.Items))
		}
		if r := env.Anonymous().API("GET", "/api/v1/media/plan?year=2020", nil); r.Status != http.StatusNotFound {
			t.Errorf("no plan: %d", r.Status)
		}
		var ms struct{ Total int }
		press.API("GET", "/api/v1/media/mentions?tonality=negative&from=2026-05-01&to=2026-05-31", nil).JSON(t, &ms)
		if ms.Total != 2 {
			t.Errorf("negative mentions: %d", ms.Total)
		}
		var src struct {
			ID int64
		}
		r = press.API("POST", "/api/v1/media/sources", map[string]any{"url": srv.URL + "/atom.xml", "title": "Atom"})
		r.JSON(t, &src)
		if r.Status != http.StatusCreated || src.ID == 0 {
			t.Fatalf("source api: %d", r.Status)
		}
		var fetched struct {
			OK  bool
			New int
		}
		press.API("POST", "/api/v1/media/sources/"+itoa(src.ID)+"/fetch", nil).JSON(t, &fetched)
		if !fetched.OK {
			t.Errorf("fetch api: %+v", fetched)
		}
		tasks, err := a.Tasks(ctx, env.Municipality, &web.Viewer{ID: press.Account.ID, Roles: []string{auth.Press}})
		if err != nil {
			t.Fatal(err)
		}
		labels := map[string]int{}
		for _, x := range tasks {
			labels[x.Label] = x.Count
		}
		if labels["Мероприятия медиаплана этой недели без отметки"] != 3 || labels["Ответы на запросы СМИ ждут проверки"] != 1 || labels["Запросы СМИ ждут ответа"] < 1 {
			t.Errorf("tasks: %v", labels)
		}
		if tasks, _ := a.Tasks(ctx, env.Municipality, &web.Viewer{Roles: []string{auth.Resident}}); len(tasks) != 0 {
			t.Errorf("resident has tasks")
		}
	})
}
