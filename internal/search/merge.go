package search

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/db"
)

// mergePages bounds the work of one Merge: about 8 MB of index pages
// written, a second or two of holding SQLite's write lock at most. An
// index larger than that is merged over several runs.
const mergePages = 2000

// Merge folds the segments of SQLite's full-text index into one. Every
// transaction that indexes a document adds a segment, and FTS5 merges them
// only four at a time per level, so a portal that publishes one document at
// a time keeps dozens of small segments, and every word of every query is
// looked up in each of them: on the demo at scale 1 that was a third of
// the time of a search (docs/benchmarks.md). A negative page count makes
// FTS5 merge segments of all levels together, as 'optimize' does, but
// bounded. PostgreSQL's GIN index needs nothing of the kind: VACUUM
// empties its pending list.
func Merge(ctx context.Context, d *db.DB) error {
	if d.Dialect != db.SQLite {
		return nil
	}
	if _, err := d.Exec(ctx, `INSERT INTO search_fts (search_fts, rank) VALUES ('merge', ?)`, -mergePages); err != nil {
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
