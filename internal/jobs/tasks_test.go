package jobs_test

import (
	"context"
	"errors"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/jobs"
)

// TestTaskLifecycle: a task is queued, runs with progress, and ends done
// (all steps counted, the result kept) or failed; an ended task is not
// reopened by a late progress report, and another municipality cannot read it.
func TestTaskLifecycle(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var mun int64
		err := d.InTx(ctx, func(tx *db.Tx) error {
			var err error
			mun, err = db.InsertID(ctx, tx, `INSERT INTO municipalities (slug, name, short_name, hosts, time_zone, created_at) VALUES ('t', 'Т', 'Т', 't.test', 'Europe/Moscow', ?)`, d.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		newTask := func(title string) int64 {
			var id int64
			if err := d.InTx(ctx, func(tx *db.Tx) error {
				var err error
				id, err = jobs.CreateTask(ctx, tx, mun, 7, title, d.Now())
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return id
		}
		load := func(id int64) jobs.Task {
			x, err := jobs.LoadTask(ctx, d, mun, id)
			if err != nil {
				t.Fatal(err)
			}
			return x
		}
		id := newTask("Отчёт")
		if x := load(id); x.State != jobs.TaskQueued || x.Over() || x.AccountID != 7 {
			t.Fatalf("new task: %+v", x)
		}
		if err := jobs.Progress(ctx, d, id, 3, 12); err != nil {
			t.Fatal(err)
		}
		if x := load(id); x.State != jobs.TaskRunning || x.Percent() != 25 || x.StartedAt.IsZero() {
			t.Fatalf("running: %+v", x)
		}
		if err := jobs.Finish(ctx, d, id, "Составлен.", "/r/1", "Открыть"); err != nil {
			t.Fatal(err)
		}
		_ = jobs.Progress(ctx, d, id, 1, 12) // a late report
		if x := load(id); x.State != jobs.TaskDone || x.Percent() != 100 || x.ResultURL != "/r/1" || x.FinishedAt.IsZero() || !x.Over() {
			t.Fatalf("done: %+v", x)
		}
		bad := newTask("Импорт")
		if err := jobs.Fail(ctx, d, bad, "Файл повреждён."); err != nil {
			t.Fatal(err)
		}
		if x := load(bad); x.State != jobs.TaskFailed || x.Message != "Файл повреждён." || x.ResultURL != "" {
			t.Fatalf("failed: %+v", x)
		}
		if _, err := jobs.LoadTask(ctx, d, mun+1, id); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("another municipality reads the task: %v", err)
		}
	})
}
