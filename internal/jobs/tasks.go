package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/glasnost/glasnost/internal/db"
)

// Task states.
const (
	TaskQueued  = "queued"
	TaskRunning = "running"
	TaskDone    = "done"
	TaskFailed  = "failed"
)

// Task is long work started by a person in the browser and run as a job:
// what they watch at /admin/jobs/{id}. An area creates it with CreateTask in
// the transaction that inserts the job (whose args carry the task's id); the
// worker reports Progress and ends it with Finish or Fail.
type Task struct {
	ID             int64
	MunicipalityID int64
	AccountID      int64
	Title          string
	State          string
	Done, Total    int
	// Message says in Russian what came of it; ResultURL and ResultLabel
	// are the link to the result, when there is one.
	Message     string
	ResultURL   string
	ResultLabel string
	CreatedAt   time.Time
	StartedAt   time.Time
	FinishedAt  time.Time
}

// Over reports whether the task has ended, well or not.
func (t Task) Over() bool { return t.State == TaskDone || t.State == TaskFailed }

// Percent is the share done, 0–100, when the total is known.
func (t Task) Percent() int {
	if t.Total <= 0 {
		return 0
	}
	return min(100, t.Done*100/t.Total)
}

// StatusURL is the address of the task's status page.
func StatusURL(id int64) string { return fmt.Sprintf("/admin/jobs/%d", id) }

// CreateTask records a queued task in tx and returns its id.
func CreateTask(ctx context.Context, tx *db.Tx, munID, accountID int64, title string, now time.Time) (int64, error) {
	id, err := db.InsertID(ctx, tx, `INSERT INTO job_tasks (municipality_id, account_id, title, state, created_at) VALUES (?, ?, ?, ?, ?)`,
		munID, accountID, title, TaskQueued, now)
	if err != nil {
		return 0, fmt.Errorf("create task %q: %w", title, err)
	}
	return id, nil
}

// LoadTask reads a municipality's task; db.ErrNotFound when there is none.
func LoadTask(ctx context.Context, q db.Querier, munID, id int64) (Task, error) {
	t := Task{ID: id, MunicipalityID: munID}
	var started, finished sql.NullTime
	err := q.QueryRow(ctx, `SELECT account_id, title, state, done, total, message, result_url, result_label, created_at, started_at, finished_at
		FROM job_tasks WHERE municipality_id = ? AND id = ?`, munID, id).
		Scan(&t.AccountID, &t.Title, &t.State, &t.Done, &t.Total, &t.Message, &t.ResultURL, &t.ResultLabel, &t.CreatedAt, &started, &finished)
	if errors.Is(err, sql.ErrNoRows) {
		return Task{}, db.ErrNotFound
	}
	if err != nil {
		return Task{}, fmt.Errorf("load task %d: %w", id, err)
	}
	t.StartedAt, t.FinishedAt = started.Time, finished.Time
	return t, nil
}

// Progress marks the task running with done of total steps. A task that
// has already ended is left as it is (a retried job does not reopen it).
func Progress(ctx context.Context, d *db.DB, id int64, done, total int) error {
	_, err := d.Exec(ctx, `UPDATE job_tasks SET state = ?, done = ?, total = ?, started_at = COALESCE(started_at, ?)
		WHERE id = ? AND state IN (?, ?)`, TaskRunning, done, total, d.Now(), id, TaskQueued, TaskRunning)
	if err != nil {
		return fmt.Errorf("task %d progress: %w", id, err)
	}
	return nil
}

// Finish ends the task with its result.
func Finish(ctx context.Context, d *db.DB, id int64, message, resultURL, resultLabel string) error {
	return end(ctx, d, id, TaskDone, message, resultURL, resultLabel)
}

// Fail ends the task with a message saying in Russian what went wrong.
func Fail(ctx context.Context, d *db.DB, id int64, message string) error {
	return end(ctx, d, id, TaskFailed, message, "", "")
}

func end(ctx context.Context, d *db.DB, id int64, state, message, resultURL, resultLabel string) error {
	now := d.Now()
	_, err := d.Exec(ctx, `UPDATE job_tasks SET state = ?, message = ?, result_url = ?, result_label = ?, finished_at = ?, started_at = COALESCE(started_at, ?),
		done = CASE WHEN ? = 'done' THEN total ELSE done END WHERE id = ?`, state, message, resultURL, resultLabel, now, now, state, id)
	if err != nil {
		return fmt.Errorf("end task %d: %w", id, err)
	}
	return nil
}
