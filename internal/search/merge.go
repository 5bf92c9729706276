package search

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/db"
)

// Merge folds the segments of SQLite's full-text index into one. Every
// transaction that indexes a document adds a segment, and FTS5 merges them
// only four at a time per level, so a portal that publishes one document at
// a time keeps dozens of small segments, and every word of every query is
// looked up in each of them: on the demo at scale 1 that was 28 % of the
// time of a search (docs/benchmarks.md). 'optimize' does nothing when the
// index is already one segment, the hourly job's usual case. The bounded
// form, 'merge' with a negative page count, was tried and dropped: in a
// CI run, on a demo index with replaced and removed documents, it did not
// return for 48 minutes (the stack in fts5IndexMerge's loop), holding the
// write lock. PostgreSQL's GIN index needs nothing of the kind: VACUUM
// empties its pending list.
func Merge(ctx context.Context, d *db.DB) error {
	if d.Dialect != db.SQLite {
		return nil
	}
	if _, err := d.Exec(ctx, `INSERT INTO search_fts (search_fts) VALUES ('optimize')`); err != nil {
		return fmt.Errorf("merge full-text index: %w", err)
	}
	return nil
}

// MergeArgs is the periodic job that runs Merge.
type MergeArgs struct{}

// Kind names the job in the queue.
func (MergeArgs) Kind() string { return "search_merge" }

type mergeWorker struct {
	river.WorkerDefaults[MergeArgs]
	db *db.DB
}

func (w *mergeWorker) Work(ctx context.Context, _ *river.Job[MergeArgs]) error {
	return Merge(ctx, w.db)
}
