package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/jobs"
)

// A transaction that only queues jobs (a consultation's letters) changes
// nothing a page shows: it must not empty the page cache, as it did when
// River's insert went unseen and the transaction counted as "anything".
// A transaction that also writes a table announces that table only.
func TestQueuedJobsLeaveThePageCache(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := jobs.Migrate(ctx, d); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `CREATE TABLE queued_probe (id INTEGER PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		var done atomic.Int32
		q := jobs.New(d, slog.New(slog.NewTextHandler(io.Discard, nil)))
		river.AddWorker(q.Workers(), &rescueWorker{done: &done})
		if err := q.Build(false); err != nil {
			t.Fatal(err)
		}
		var got [][]string
		d.OnWrite = func(tags []string) { got = append(got, tags) }
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			return q.InsertTx(ctx, tx, rescueArgs{}, nil)
		}); err != nil {
			t.Fatal(err)
		}
		if len(got) != 0 {
			t.Errorf("queueing a job announced %v; want nothing", got)
		}
		got = nil
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO queued_probe (id) VALUES (1)`); err != nil {
				return err
			}
			return q.InsertTx(ctx, tx, rescueArgs{}, nil)
		}); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || !slices.Equal(got[0], []string{"queued_probe"}) {
			t.Errorf("a write and a queued job announced %v; want [[queued_probe]]", got)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM river_job WHERE kind = 'rescue_probe'`); n != 2 {
			t.Errorf("%d jobs queued, want 2", n)
		}
	})
}
