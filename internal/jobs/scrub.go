package jobs

import (
	"context"
	"fmt"
)

// ScrubbedArgs is what a finished job's arguments are replaced with when
// they held personal data (a message's recipient and text).
const ScrubbedArgs = `{"scrubbed":true}`

// ScrubArgs replaces the arguments of one job with ScrubbedArgs. A worker
// calls it after its work succeeded; River's completion later changes the
// state only, never the arguments. It goes straight to the writer: a job
// row is not content and must not empty the page cache.
func (q *Queue) ScrubArgs(ctx context.Context, jobID int64) error {
	if _, err := q.db.Write.ExecContext(ctx, q.db.Rebind(`UPDATE river_job SET args = ? WHERE id = ?`), ScrubbedArgs, jobID); err != nil {
		return fmt.Errorf("scrub job %d: %w", jobID, err)
	}
	return nil
}

// ScrubFinished replaces the arguments of every finished job of the kind
// (completed, discarded after its last attempt, or cancelled) that still
// holds them, and returns how many it scrubbed: the sweep behind ScrubArgs
// for a job whose worker could not scrub its own row.
func (q *Queue) ScrubFinished(ctx context.Context, kind string) (int64, error) {
	res, err := q.db.Write.ExecContext(ctx, q.db.Rebind(`UPDATE river_job SET args = ? WHERE kind = ? AND state IN ('completed', 'discarded', 'cancelled') AND args <> ?`),
		ScrubbedArgs, kind, ScrubbedArgs)
	if err != nil {
		return 0, fmt.Errorf("scrub finished %s jobs: %w", kind, err)
	}
	return res.RowsAffected()
}
