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

type overlapArgs struct{}

func (overlapArgs) Kind() string { return "overlap_probe" }

// overlapWorker stands for a reminder round that outlasts its interval:
// each run counts itself and holds until release is closed.
type overlapWorker struct {
	river.WorkerDefaults[overlapArgs]
	started *atomic.Int32
	release chan struct{}
}

func (w *overlapWorker) Work(ctx context.Context, _ *river.Job[overlapArgs]) error {
	w.started.Add(1)
	select {
	case <-w.release:
	case <-ctx.Done():
	}
	return nil
}

// A periodic job whose run outlasts its interval is not run a second time
// beside the first (two reminder rounds at once send each reminder twice),
// and the schedule goes on once the run ends.
func TestPeriodicRunsDoNotOverlap(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := jobs.Migrate(ctx, d); err != nil {
			t.Fatal(err)
		}
		var started atomic.Int32
		release := make(chan struct{})
		q := jobs.New(d, slog.New(slog.NewTextHandler(io.Discard, nil)))
		river.AddWorker(q.Workers(), &overlapWorker{started: &started, release: release})
		q.Every("overlap_probe", 200*time.Millisecond, func() river.JobArgs { return overlapArgs{} })
		if err := q.Build(true); err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		released := false
		defer func() {
			if !released {
				close(release)
			}
			stop, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			_ = q.Stop(stop)
		}()
		waitFor := func(what string, within time.Duration, ok func() bool) {
			t.Helper()
			deadline := time.Now().Add(within)
			for !ok() {
				if time.Now().After(deadline) {
					t.Fatalf("%s: not within %s", what, within)
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
		waitFor("the first run starts", 60*time.Second, func() bool { return started.Load() >= 1 })
		// Ten intervals and three fetch rounds while the first run holds.
		time.Sleep(2 * time.Second)
		if n := started.Load(); n != 1 {
			t.Fatalf("%d runs started while the first one was still running, want 1", n)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM river_job WHERE kind = 'overlap_probe' AND state NOT IN ('completed', 'cancelled', 'discarded')`); n != 1 {
			t.Fatalf("%d runs queued or running while the first one ran, want the running one only", n)
		}
		close(release)
		released = true
		waitFor("the next run after the first one ends", 30*time.Second, func() bool { return started.Load() >= 2 })
	})
}
