package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/glasnost/glasnost/internal/db"
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

// ScrubFinished replaces the arguments of finished jobs of the kind that
// still hold them, and returns how many it scrubbed: the sweep behind
// ScrubArgs for a job whose worker could not scrub its own row. A completed
// job is scrubbed at once; a job given up after its last attempt, or
// cancelled, only once it has been finished for keepRefused, so that an
// administrator can still see a refused letter and send it again.
func (q *Queue) ScrubFinished(ctx context.Context, kind string, keepRefused time.Duration) (int64, error) {
	// River keeps finalized_at as text on SQLite ('YYYY-MM-DD HH:MM:SS.SSS'
	// UTC): compare it by julianday there, as a timestamp on PostgreSQL.
	secs := int64(keepRefused / time.Second)
	old := `finalized_at < now() - make_interval(secs => ?)`
	if q.db.Dialect == db.SQLite {
		old = `julianday(finalized_at) < julianday('now') - ? / 86400.0`
	}
	res, err := q.db.Write.ExecContext(ctx, q.db.Rebind(`UPDATE river_job SET args = ? WHERE kind = ? AND args <> ?
		AND (state = 'completed' OR (state IN ('discarded', 'cancelled') AND `+old+`))`),
		ScrubbedArgs, kind, ScrubbedArgs, secs)
	if err != nil {
		return 0, fmt.Errorf("scrub finished %s jobs: %w", kind, err)
	}
	return res.RowsAffected()
}
