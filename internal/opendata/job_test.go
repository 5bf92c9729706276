package opendata

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/jobs/statuspage"
)

// TestGenerateAllRunsAsJob: «Сформировать все наборы» queues a job and sends
// the editor to its status page, which refreshes itself (no JavaScript)
// while the job waits or runs, then says it is done with the counts and a
// link back, and stops refreshing. Nobody else sees the task.
func TestGenerateAllRunsAsJob(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, _, _, _ := newArea(t, d)
		pages, err := statuspage.New(d, env.Renderer, env.Errors)
		if err != nil {
			t.Fatal(err)
		}
		pages.Mount(env.Router)
		ed := env.Client("legal", auth.Editor)

		r := ed.PostForm("/admin/opendata/generate", url.Values{})
		loc := r.Header.Get("Location")
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/jobs/") {
			t.Fatalf("generate: %d → %q", r.Status, loc)
		}
		waiting := ed.Get(loc)
		if waiting.Status != http.StatusOK || !strings.Contains(waiting.Body, `<meta http-equiv="refresh" content="3">`) ||
			!strings.Contains(waiting.Body, "поставлена в очередь") || !strings.Contains(waiting.Body, "Формирование наборов запущено") {
			t.Fatalf("status while queued: %d\n%s", waiting.Status, waiting.Body)
		}
		if off := ed.Get(loc + "?refresh=off"); strings.Contains(off.Body, `http-equiv="refresh"`) || !strings.Contains(off.Body, "Автообновление выключено") {
			t.Errorf("refreshing could not be turned off")
		}
		if other := env.Client("legal", auth.Editor).Get(loc); other.Status != http.StatusNotFound {
			t.Errorf("another editor sees the task: %d", other.Status)
		}
		if anon := env.Anonymous().Get(loc); anon.Status == http.StatusOK {
			t.Errorf("an anonymous visitor sees the task")
		}

		env.StartJobs()
		env.WaitJobsDone(t, 30*time.Second, GenerateAllArgs{}.Kind())
		done := ed.Get(loc)
		if strings.Contains(done.Body, `http-equiv="refresh"`) || !strings.Contains(done.Body, "Готово. Проверено наборов: 1; опубликовано новых версий: 1.") ||
			!strings.Contains(done.Body, `<a href="/admin/opendata">К списку наборов</a>`) {
			t.Fatalf("status when done:\n%s", done.Body)
		}
		if admin := env.Client("", auth.Administrator).Get(loc); admin.Status != http.StatusOK {
			t.Errorf("an administrator cannot see the task: %d", admin.Status)
		}
		if list := ed.Get("/opendata"); !strings.Contains(list.Body, "Тестовый реестр") {
			t.Errorf("the generated dataset is not listed")
		}
	})
}
