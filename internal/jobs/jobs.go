// Package jobs is the durable job queue: River over database/sql on both
// engines (its SQLite driver, and its database/sql driver with pgx on
// PostgreSQL), so that a job can be inserted in the same transaction as the
// change that calls for it.
package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/glasnost/glasnost/internal/db"
)

// Queue owns the River client. Areas add workers and periodic jobs before
// Build; after Build they insert jobs.
type Queue struct {
	db       *db.DB
	log      *slog.Logger
	workers  *river.Workers
	periodic []*river.PeriodicJob
	client   *river.Client[*sql.Tx]
	working  bool
}

// migrator picks River's driver for the engine: its SQLite driver, or its
// database/sql driver over pgx for PostgreSQL, both on *sql.Tx.
func migrator(d *db.DB) (*rivermigrate.Migrator[*sql.Tx], error) {
	if d.Dialect == db.SQLite {
		return rivermigrate.New(riversqlite.New(d.Write), nil)
	}
	return rivermigrate.New(riverdatabasesql.New(d.Write), nil)
}

func newClient(d *db.DB, cfg *river.Config) (*river.Client[*sql.Tx], error) {
	if d.Dialect == db.SQLite {
		return river.NewClient(riversqlite.New(d.Write), cfg)
	}
	return river.NewClient(riverdatabasesql.New(d.Write), cfg)
}

// Migrate applies River's own migrations.
func Migrate(ctx context.Context, d *db.DB) error {
	m, err := migrator(d)
	if err != nil {
		return fmt.Errorf("job queue migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return nil
}

// Pending reports whether River's migrations are behind.
func Pending(ctx context.Context, d *db.DB) (bool, error) {
	m, err := migrator(d)
	if err != nil {
		return false, err
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, &rivermigrate.MigrateOpts{DryRun: true})
	if err != nil {
		return false, fmt.Errorf("check job queue migrations: %w", err)
	}
	return len(res.Versions) > 0, nil
}

// JobTimeout bounds one run of a job; RescueAfter is when a job still
// marked running (its process was killed) is taken up again. River's default
// of an hour let appeal registration letters go out 66 minutes after a
// crash; a letter that says "registered" must not wait that long.
const (
	JobTimeout  = 4 * time.Minute
	RescueAfter = 5 * time.Minute
)

// New returns a queue with no workers yet.
func New(d *db.DB, log *slog.Logger) *Queue {
	return &Queue{db: d, log: log, workers: river.NewWorkers()}
}

// Workers is the registry areas add their workers to (river.AddWorker).
func (q *Queue) Workers() *river.Workers { return q.workers }

// Every adds a periodic job, run first shortly after start. A run is not
// queued while the previous one of the same kind is still queued or
// running (see oneAtATime).
func (q *Queue) Every(id string, interval time.Duration, args func() river.JobArgs) {
	q.periodic = append(q.periodic, river.NewPeriodicJob(
		river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return args(), &river.InsertOpts{UniqueOpts: oneAtATime} },
		&river.PeriodicJobOpts{ID: id, RunOnStart: true},
	))
}

// oneAtATime makes a periodic job unique by kind among the jobs not yet
// finished: a run that outlasts its interval (a reminder round on a slow
// mail server, the open data generation of a large region) is not joined
// by a second one doing the same work beside it, which would send the same
// reminder twice. Completed, cancelled and discarded runs do not count, so
// the next tick after a run ends queues the next one; a run waiting to be
// retried does not count either, so that a failing job does not hold up
// the schedule for the hours of its backoff.
var oneAtATime = river.UniqueOpts{ByState: []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateScheduled,
}}

// Build creates the client. With work false it only inserts (CLI commands);
// with work true Start runs workers and periodic jobs.
func (q *Queue) Build(work bool) error {
	cfg := &river.Config{Logger: q.log, Workers: q.workers, FetchPollInterval: 500 * time.Millisecond, FetchCooldown: 100 * time.Millisecond,
		JobTimeout: JobTimeout, RescueStuckJobsAfter: RescueAfter, MaxAttempts: 8}
	if work {
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}}
		cfg.PeriodicJobs = q.periodic
	}
	// River's SQLite driver cannot LISTEN; PostgreSQL here goes through
	// database/sql, which cannot either. Both poll.
	cfg.PollOnly = true
	c, err := newClient(q.db, cfg)
	if err != nil {
		return fmt.Errorf("create job queue client: %w", err)
	}
	q.client, q.working = c, work
	return nil
}

// Start runs the workers.
func (q *Queue) Start(ctx context.Context) error {
	if !q.working {
		return nil
	}
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	return nil
}

// Stop waits for running jobs to finish (or ctx to end).
func (q *Queue) Stop(ctx context.Context) error {
	if !q.working {
		return nil
	}
	return q.client.Stop(ctx)
}

// InsertTx enqueues a job in the caller's transaction, so that the job
// exists exactly when the change that calls for it is committed.
func (q *Queue) InsertTx(ctx context.Context, tx *db.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := q.client.InsertTx(ctx, tx.Tx, args, opts); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	// River wrote its own table, which no page shows: a transaction that
	// only queues letters must not empty the page cache.
	tx.Wrote("river_job")
	return nil
}

// Retry puts a finished job (a letter given up after its last attempt, or
// cancelled) back in the queue to run again now.
func (q *Queue) Retry(ctx context.Context, id int64) error {
	if _, err := q.client.JobRetry(ctx, id); err != nil {
		return fmt.Errorf("retry job %d: %w", id, err)
	}
	return nil
}

// Insert enqueues a job on its own.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := q.client.Insert(ctx, args, opts); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}
