package outbox

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/jobs"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/webtest"
)

// refuse marks every queued letter as given up by the SMTP server, as
// River leaves a job after its last failed attempt.
func refuse(t *testing.T, d *db.DB, reason string) {
	t.Helper()
	errs := `'[{"at":"2026-12-01T10:00:00Z","attempt":8,"error":"` + reason + `"}]'`
	if d.Dialect == db.Postgres {
		errs = `ARRAY['{"at":"2026-12-01T10:00:00Z","attempt":8,"error":"` + reason + `"}'::jsonb]`
	}
	if _, err := d.Exec(context.Background(), `UPDATE river_job SET state = 'discarded', attempt = 8, max_attempts = 8, finalized_at = created_at, errors = `+errs+` WHERE kind = 'send_email'`); err != nil {
		t.Fatal(err)
	}
}

// TestOutboxShowsRefusedLettersAndSendsThemAgain: an administrator sees the
// letters the SMTP server refused, with the reason, only for their own
// municipality; sending them again runs as a job with a status page, and
// the letters reach the server.
func TestOutboxShowsRefusedLettersAndSendsThemAgain(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env := webtest.New(t, d)
		a, err := New(env.Deps(nil))
		if err != nil {
			t.Fatal(err)
		}
		a.Mount(env.Router)
		env.Portal.Add(a.Contribution())
		ctx := context.Background()
		env.Server() // builds the queue for inserting; workers start later
		other := tenant.Municipality{Slug: "other", Name: "Другой округ", TimeZone: "Asia/Yekaterinburg", Hosts: []string{"other.test"}}
		if err := env.Tenants.Create(ctx, d, &other); err != nil {
			t.Fatal(err)
		}
		for _, x := range []struct {
			m  tenant.Municipality
			to string
		}{{env.Municipality, "anna@example.ru"}, {other, "boris@example.ru"}} {
			mctx := tenant.WithMunicipality(ctx, x.m)
			if err := d.InTx(mctx, func(tx *db.Tx) error {
				return env.Mailer.Queue(mctx, tx, x.to, "reset_password", map[string]any{"Link": "http://portal.test/reset?token=x"})
			}); err != nil {
				t.Fatal(err)
			}
		}
		refuse(t, d, "550 5.1.1 mailbox unavailable")

		admin := env.Client("", auth.Administrator)
		page := admin.Get("/admin/outbox")
		if page.Status != 200 || !strings.Contains(page.Body, "anna@example.ru") || !strings.Contains(page.Body, "550 5.1.1 mailbox unavailable") ||
			!strings.Contains(page.Body, "Восстановление пароля") || !strings.Contains(page.Body, "Не отправлены: 1") {
			t.Fatalf("outbox: %d\n%s", page.Status, page.Body)
		}
		if strings.Contains(page.Body, "boris@example.ru") {
			t.Fatal("the outbox shows another municipality's letter")
		}
		if r := env.Client("housing", auth.Editor).Get("/admin/outbox"); r.Status != http.StatusForbidden {
			t.Errorf("an editor opens the outbox: %d", r.Status)
		}
		env.StartJobs()
		r := admin.PostForm("/admin/outbox/retry", url.Values{})
		loc := r.Header.Get("Location")
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/jobs/") {
			t.Fatalf("retry: %d %q", r.Status, loc)
		}
		env.WaitJobsDone(t, 30*time.Second, "outbox_retry", "send_email")
		env.Mail.WaitFor(t, "anna@example.ru", "Восстановление пароля", 20*time.Second)
		for _, msg := range env.Mail.Messages() {
			if strings.Contains(strings.Join(msg.To, ","), "boris@example.ru") {
				t.Error("another municipality's letter was sent again")
			}
		}
		var state, message string
		if err := d.QueryRow(ctx, `SELECT state, message FROM job_tasks ORDER BY id DESC LIMIT 1`).Scan(&state, &message); err != nil {
			t.Fatal(err)
		}
		if state != jobs.TaskDone || !strings.Contains(message, "1 из 1") {
			t.Errorf("task: %s %q", state, message)
		}
		if after := admin.Get("/admin/outbox"); !strings.Contains(after.Body, "Неотправленных писем нет") {
			t.Error("a letter sent again still shows as refused")
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'outbox.retry'`); n != 1 {
			t.Errorf("audit entries: %d", n)
		}
	})
}
