package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/jobs"
)

type rescueArgs struct{}

func (rescueArgs) Kind() string { return "rescue_probe" }

type rescueWorker struct {
	river.WorkerDefaults[rescueArgs]
	done *atomic.Int32
}

func (w *rescueWorker) Work(context.Context, *river.Job[rescueArgs]) error {
	w.done.Add(1)
	return nil
}

// A job left "running" by a process killed with kill -9 is run again within
// minutes of the crash, not after River's default hour.
func TestStuckJobIsRescuedWithinMinutes(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the rescuer's 30-second round")
	}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := jobs.Migrate(ctx, d); err != nil {
			t.Fatal(err)
		}
		// The crashed process: the job was taken RescueAfter + 1 minute ago.
		attempted := time.Now().UTC().Add(-jobs.RescueAfter - time.Minute)
		if _, err := d.Exec(ctx, `INSERT INTO river_job (args, attempt, attempted_at, kind, max_attempts, priority, queue, state, scheduled_at, created_at)
			VALUES ('{}', 1, ?, 'rescue_probe', 8, 1, 'default', 'running', ?, ?)`, attempted, attempted, attempted); err != nil {
			t.Fatalf("insert the stuck job: %v", err)
		}
		var done atomic.Int32
		q := jobs.New(d, slog.New(slog.NewTextHandler(io.Discard, nil)))
		river.AddWorker(q.Workers(), &rescueWorker{done: &done})
		if err := q.Build(true); err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer func() {
			stop, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			_ = q.Stop(stop)
		}()
		deadline := time.Now().Add(90 * time.Second)
		for done.Load() == 0 {
			if time.Now().After(deadline) {
				t.Fatal("the stuck job was not run again within 90 s of start")
			}
			time.Sleep(500 * time.Millisecond)
		}
	})
}
