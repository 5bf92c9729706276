// Package outbox is the administrator's view of outgoing mail: letters
// waiting in the queue and letters the SMTP server refused, with the
// reason, and a way to send the refused ones again as a job with a status
// page. Delivered letters keep neither recipient nor text (their job is
// scrubbed, 152-FZ art. 5 part 7), so the outbox cannot list them: the
// SMTP server's log is the record of what was sent.
package outbox

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/jobs"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

// Area serves the outbox.
type Area struct {
	portal.Deps
}

// New builds the area and registers the retry worker.
func New(d portal.Deps) (*Area, error) {
	sub, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	if err := d.Renderer.AddPages("outbox", sub); err != nil {
		return nil, fmt.Errorf("outbox templates: %w", err)
	}
	a := &Area{Deps: d}
	river.AddWorker(d.Queue.Workers(), &retryWorker{a: a})
	return a, nil
}

// Mount registers the routes: administrators only, since letters name
// their recipients.
func (a *Area) Mount(rt *web.Router) {
	admin := web.Roles(auth.Administrator)
	rt.HandleFunc("GET /admin/outbox", admin, a.page)
	rt.HandleFunc("POST /admin/outbox/retry", admin, a.retry)
}

// Contribution offers the outbox in the staff index and tells the
// administrator when letters were refused.
func (a *Area) Contribution() portal.Contribution {
	return portal.Contribution{
		Name: "outbox", Title: "Исходящая почта",
		Staff: []web.NavItem{{Order: 980, Href: "/admin/outbox", Label: "Исходящая почта"}},
		Tasks: a.tasks,
	}
}

// Letter is a letter still in the queue or refused.
type Letter struct {
	ID        int64
	State     string
	To        string
	Subject   string
	Attempts  int
	Error     string
	CreatedAt time.Time
	// At is CreatedAt in the municipality's time, for the page.
	At string
}

// Failed reports whether the letter was given up.
func (l Letter) Failed() bool { return l.State == "discarded" || l.State == "cancelled" }

// StateLabel names the state in Russian.
func (l Letter) StateLabel() string {
	switch l.State {
	case "discarded":
		return "не отправлено: попытки исчерпаны"
	case "cancelled":
		return "не отправлено: отменено"
	case "retryable":
		return "ошибка, будет повторная попытка"
	case "running":
		return "отправляется"
	}
	return "в очереди"
}

const kind = "send_email"

var (
	failedStates  = []any{"discarded", "cancelled"}
	waitingStates = []any{"available", "scheduled", "retryable", "running", "pending"}
)

// where selects the municipality's letters still holding their message;
// the JSON paths differ by engine.
func (a *Area) where(munID int64, states []any) (string, []any) {
	mun := `json_extract(args, '$.message.municipality_id')`
	if a.DB.Dialect == db.Postgres {
		mun = `(args #>> '{message,municipality_id}')::bigint`
	}
	args := append([]any{kind, munID}, states...)
	return ` FROM river_job WHERE kind = ? AND ` + mun + ` = ? AND state IN (` + db.Placeholders(len(states)) + `)`, args
}

// List returns the municipality's letters in the given states, newest
// first, at most limit.
func (a *Area) List(ctx context.Context, munID int64, states []any, limit int) ([]Letter, int, error) {
	from, args := a.where(munID, states)
	var total int
	if err := a.DB.QueryRow(ctx, `SELECT COUNT(*)`+from, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count letters: %w", err)
	}
	to, subject, lastErr := `json_extract(args, '$.message.to')`, `json_extract(args, '$.message.subject')`, `COALESCE(json_extract(errors, '$[#-1].error'), '')`
	if a.DB.Dialect == db.Postgres {
		to, subject, lastErr = `args #>> '{message,to}'`, `args #>> '{message,subject}'`, `COALESCE(errors[array_length(errors, 1)] ->> 'error', '')`
	}
	rows, err := a.DB.Query(ctx, `SELECT id, state, COALESCE(`+to+`, ''), COALESCE(`+subject+`, ''), attempt, `+lastErr+`, created_at`+from+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list letters: %w", err)
	}
	defer rows.Close()
	var out []Letter
	for rows.Next() {
		var l Letter
		if err := rows.Scan(&l.ID, &l.State, &l.To, &l.Subject, &l.Attempts, &l.Error, &l.CreatedAt); err != nil {
			return nil, 0, fmt.Errorf("scan letter: %w", err)
		}
		out = append(out, l)
	}
	return out, total, rows.Err()
}

const perPage = 50

func (a *Area) page(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	failed, nFailed, err := a.List(r.Context(), m.ID, failedStates, perPage)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	waiting, nWaiting, err := a.List(r.Context(), m.ID, waitingStates, perPage)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	for _, ls := range [][]Letter{failed, waiting} {
		for i := range ls {
			ls[i].At = m.Local(ls[i].CreatedAt).Format("02.01.2006 15:04")
		}
	}
	a.Renderer.Page(w, r, http.StatusOK, "outbox/index", "Исходящая почта", map[string]any{
		"Configured": a.Mailer.Configured(), "Failed": failed, "FailedTotal": nFailed, "Waiting": waiting, "WaitingTotal": nWaiting, "PerPage": perPage,
	})
}

// retry starts the job that puts every refused letter back in the queue
// and sends the administrator to its status page.
func (a *Area) retry(w http.ResponseWriter, r *http.Request) {
	if _, err := web.ParseForm(w, r, 1<<10); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	if !a.Mailer.Configured() {
		web.SetFlash(a.Sessions, r, "Письма не отправлены повторно: на портале не настроена отправка почты (GLASNOST_SMTP_URL). Настройте её и повторите.")
		http.Redirect(w, r, "/admin/outbox", http.StatusSeeOther)
		return
	}
	m := web.Municipality(r)
	v := web.ViewerFrom(r.Context())
	var id int64
	err := a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		var err error
		if id, err = jobs.CreateTask(r.Context(), tx, m.ID, v.ID, "Повторная отправка писем", a.DB.Now()); err != nil {
			return err
		}
		if err := a.Queue.InsertTx(r.Context(), tx, RetryArgs{TaskID: id, MunicipalityID: m.ID}, nil); err != nil {
			return err
		}
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "outbox.retry", "job_task", strconv.FormatInt(id, 10), nil, nil))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Повторная отправка началась; за ходом работы можно следить на этой странице.")
	http.Redirect(w, r, jobs.StatusURL(id), http.StatusSeeOther)
}

// RetryArgs is a person's request to send the municipality's refused
// letters again.
type RetryArgs struct {
	TaskID         int64 `json:"task_id"`
	MunicipalityID int64 `json:"municipality_id"`
}

// Kind names the job.
func (RetryArgs) Kind() string { return "outbox_retry" }

type retryWorker struct {
	river.WorkerDefaults[RetryArgs]
	a *Area
}

func (w *retryWorker) Work(ctx context.Context, job *river.Job[RetryArgs]) error {
	a, id := w.a, job.Args.TaskID
	failed, total, err := a.List(ctx, job.Args.MunicipalityID, failedStates, 10000)
	if err != nil {
		_ = jobs.Fail(ctx, a.DB, id, "Не удалось прочитать очередь писем; попробуйте ещё раз.")
		return err
	}
	queued := 0
	for i, l := range failed {
		if err := a.Queue.Retry(ctx, l.ID); err != nil {
			a.Log.Error("outbox retry", "job", l.ID, "err", err)
		} else {
			queued++
		}
		if err := jobs.Progress(ctx, a.DB, id, i+1, total); err != nil {
			return err
		}
	}
	return jobs.Finish(ctx, a.DB, id, fmt.Sprintf("Снова поставлено в очередь писем: %d из %d.", queued, total), "/admin/outbox", "К исходящей почте")
}

func (a *Area) tasks(ctx context.Context, m tenant.Municipality, v *web.Viewer) ([]portal.Task, error) {
	if !v.Has(auth.Administrator) {
		return nil, nil
	}
	from, args := a.where(m.ID, failedStates)
	c := portal.NewTaskCounter(ctx, a.DB)
	c.Add("Письма не отправлены", "/admin/outbox", true, `SELECT COUNT(*)`+from, args...)
	return c.Tasks()
}
