package appeals

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/tenant"
)

// AnonymisedText replaces the text of an appeal whose term has passed.
const AnonymisedText = "Текст обращения удалён: истёк срок хранения."

// retentionBatch bounds one transaction of the retention job.
const retentionBatch = 500

// RetentionArgs is the periodic job that anonymises appeals kept past
// their term (152-FZ art. 5 part 7, art. 21 part 4).
type RetentionArgs struct{}

// Kind names the job.
func (RetentionArgs) Kind() string { return "appeals_retention" }

type retentionWorker struct {
	river.WorkerDefaults[RetentionArgs]
	a *Area
}

func (w *retentionWorker) Work(ctx context.Context, _ *river.Job[RetentionArgs]) error {
	ms, err := w.a.Tenants.All(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if _, err := w.a.AnonymiseExpired(ctx, m); err != nil {
			return fmt.Errorf("retention for %s: %w", m.Slug, err)
		}
	}
	return nil
}

// registerRetention adds the retention job and unlinks appeals from an
// account that its owner deletes (the appeals keep their term).
func (a *Area) registerRetention() {
	a.retentionYears = auth.AppealRetentionYears(a.Deps.Env)
	river.AddWorker(a.Queue.Workers(), &retentionWorker{a: a})
	a.Queue.Every("appeals_retention", 24*time.Hour, func() river.JobArgs { return RetentionArgs{} })
	if a.People != nil {
		a.People.OnDelete(detachAccount)
	}
}

// detachAccount removes the link of appeals and their history to a deleted
// account; the appeals themselves stay for their term.
func detachAccount(ctx context.Context, tx *db.Tx, accountID int64) error {
	for _, q := range []string{
		`UPDATE appeals SET account_id = NULL WHERE account_id = ?`,
		`UPDATE appeal_events SET account_id = NULL, actor = 'Заявитель' WHERE account_id = ? AND actor <> ''`,
	} {
		if _, err := tx.Exec(ctx, q, accountID); err != nil {
			return fmt.Errorf("detach appeals from account %d: %w", accountID, err)
		}
	}
	return nil
}

// RetentionCutoff is the first closing date still kept on today: an appeal
// closed before it has been kept its full term of years after the answer.
func RetentionCutoff(today deadline.Date, years int) deadline.Date {
	return deadline.NewDate(today.Year-years, today.Month, today.Day)
}

// AnonymiseExpired blanks the author's data, the text, the answer and the
// notes of every appeal of the municipality answered (closed) more than the
// retention term ago, keeping the number, dates, classifier codes and
// result for statistics; it writes an audit record per batch and returns
// how many appeals it anonymised. Running it again changes nothing.
func (a *Area) AnonymiseExpired(ctx context.Context, m tenant.Municipality) (int, error) {
	years, err := a.retentionYearsFor(ctx, m)
	if err != nil {
		return 0, err
	}
	cutoff := RetentionCutoff(a.Today(m), years)
	total := 0
	for {
		n := 0
		var blobs []string // the removed files' contents, deleted after commit
		err := a.DB.InTx(ctx, func(tx *db.Tx) error {
			rows, err := tx.Query(ctx, `SELECT id, number FROM appeals WHERE municipality_id = ? AND closed_on IS NOT NULL AND closed_on < ? AND body <> ? ORDER BY id LIMIT `+fmt.Sprint(retentionBatch),
				m.ID, cutoff.String(), AnonymisedText)
			if err != nil {
				return err
			}
			var ids []any
			var numbers []string
			for rows.Next() {
				var id int64
				var number string
				if err := rows.Scan(&id, &number); err != nil {
					rows.Close()
					return err
				}
				ids = append(ids, id)
				numbers = append(numbers, number)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if len(ids) == 0 {
				return nil
			}
			in := db.Placeholders(len(ids))
			args := append([]any{AnonymisedText, a.DB.Now()}, ids...)
			if _, err := tx.Exec(ctx, `UPDATE appeals SET last_name = '', first_name = '', middle_name = '', search_name = '', email = '', email_norm = '',
				phone = '', phone_norm = '', postal_address = '', body = ?, cosigners = '', answer = '', account_id = NULL, consent_at = NULL, updated_at = ?
				WHERE id IN (`+in+`)`, args...); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE appeal_events SET note = '', account_id = NULL WHERE appeal_id IN (`+in+`)`, ids...); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE appeal_calls SET note = '' WHERE appeal_id IN (`+in+`)`, ids...); err != nil {
				return err
			}
			if blobs, err = a.removeFiles(ctx, tx, m.ID, ids, in); err != nil {
				return err
			}
			n = len(ids)
			return audit.Write(ctx, tx, a.DB.Now(), audit.Entry{MunicipalityID: m.ID, Actor: "система", Action: "appeals.anonymise", Entity: "appeal",
				After: map[string]any{"count": n, "closed_before": cutoff.String(), "years": years, "numbers": strings.Join(numbers, ", "), "files_deleted": len(blobs)}})
		})
		if err != nil {
			return total, fmt.Errorf("anonymise appeals: %w", err)
		}
		if err := a.files.DeleteBlobs(ctx, blobs); err != nil {
			return total, fmt.Errorf("anonymise appeals: %w", err)
		}
		total += n
		if n < retentionBatch {
			return total, nil
		}
	}
}

// removeFiles deletes the files attached to the appeals (ids, in the
// placeholders in): their links and records in tx, returning the storage
// keys whose contents the caller deletes once the transaction commits. A
// scanned letter or photo holds the same personal data as the text, so it
// goes with it.
func (a *Area) removeFiles(ctx context.Context, tx *db.Tx, munID int64, ids []any, in string) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT file_id FROM appeal_files WHERE appeal_id IN (`+in+`)`, ids...)
	if err != nil {
		return nil, fmt.Errorf("list files of appeals: %w", err)
	}
	var fileIDs []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list files of appeals: %w", err)
		}
		fileIDs = append(fileIDs, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list files of appeals: %w", err)
	}
	if len(fileIDs) == 0 {
		return nil, nil
	}
	if _, err := tx.Exec(ctx, `DELETE FROM appeal_files WHERE appeal_id IN (`+in+`)`, ids...); err != nil {
		return nil, fmt.Errorf("unlink files of appeals: %w", err)
	}
	return a.files.RemoveRecords(ctx, tx, munID, fileIDs)
}
