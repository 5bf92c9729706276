package appeals

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// recount is what the monthly tallies must hold: every month's appeals
// and the closed ones among them, counted from the appeals themselves
// with Go's list of closed statuses.
func recount(t *testing.T, d *db.DB, munID int64) string {
	t.Helper()
	in, closed := closedCondition()
	return monthly(t, d, `SELECT substr(registered_on, 1, 7), COUNT(*), SUM(CASE WHEN `+in+` THEN 1 ELSE 0 END)
 FROM appeals WHERE municipality_id = ? GROUP BY substr(registered_on, 1, 7) ORDER BY 1`, append(closed, munID)...)
}

// closedCondition is "status IN (…)" over ClosedStatuses and its arguments,
// for the counts the tallies are checked and measured against.
func closedCondition() (string, []any) {
	args := make([]any, len(ClosedStatuses))
	for i, st := range ClosedStatuses {
		args[i] = string(st)
	}
	return `status IN (` + db.Placeholders(len(args)) + `)`, args
}

func tallies(t *testing.T, d *db.DB, munID int64) string {
	t.Helper()
	return monthly(t, d, `SELECT month, received, closed FROM appeal_tallies WHERE municipality_id = ? AND received > 0 ORDER BY month`, munID)
}

func monthly(t *testing.T, d *db.DB, q string, args ...any) string {
	t.Helper()
	rows, err := d.Query(context.Background(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var month string
		var received, closed int
		if err := rows.Scan(&month, &received, &closed); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s=%d/%d", month, received, closed))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, " ")
}

// The public counter reads monthly tallies that triggers keep, so it must
// agree with a count of the appeals after every kind of write: a bulk
// insert, a change of status to each status there is (the triggers' list of
// closed statuses must be Go's), a move to another month, a bulk update,
// a deletion, and the migration's own backfill of existing appeals.
func TestCounterTalliesFollowEveryWriteOfAppeals(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		ctx := context.Background()
		m := env.Municipality
		today := a.Today(m)
		cal, err := a.Calendar(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Generate(ctx, d, cal, m.ID, 400, today, 6, nil, 7); err != nil {
			t.Fatal(err)
		}
		check := func(after string) {
			t.Helper()
			want := recount(t, d, m.ID)
			if got := tallies(t, d, m.ID); got != want {
				t.Fatalf("after %s the tallies are\n %s\nthe appeals\n %s", after, got, want)
			}
			c, err := a.store.Count(ctx, m.ID, today)
			if err != nil {
				t.Fatal(err)
			}
			yearStart := fmt.Sprintf("%04d-01-01", today.Year)
			monthStart := today.String()[:8] + "01"
			in, closed := closedCondition()
			between := func(from string) (int, int) {
				all := dbtest.Count(t, d, `SELECT COUNT(*) FROM appeals WHERE municipality_id = ? AND registered_on >= ? AND registered_on <= ?`, m.ID, from, today.String())
				done := dbtest.Count(t, d, `SELECT COUNT(*) FROM appeals WHERE municipality_id = ? AND registered_on >= ? AND registered_on <= ? AND `+in, append([]any{m.ID, from, today.String()}, closed...)...)
				return all, done
			}
			yAll, yDone := between(yearStart)
			mAll, mDone := between(monthStart)
			wantC := Counter{YearReceived: yAll, YearAnswered: yDone, YearInProgress: yAll - yDone, MonthReceived: mAll, MonthAnswered: mDone, MonthInProgress: mAll - mDone}
			if c != wantC {
				t.Fatalf("after %s the counter is %+v, the appeals give %+v", after, c, wantC)
			}
		}
		check("the generator's bulk insert")
		if tallies(t, d, m.ID) == "" || dbtest.Count(t, d, `SELECT COUNT(*) FROM appeals WHERE municipality_id = ? AND registered_on >= ?`, m.ID, today.String()[:8]+"01") == 0 {
			t.Fatal("the generator left this month without appeals: the test would prove nothing about it")
		}

		var id int64
		if err := d.QueryRow(ctx, `SELECT id FROM appeals WHERE municipality_id = ? AND registered_on >= ? ORDER BY id LIMIT 1`, m.ID, today.String()[:8]+"01").Scan(&id); err != nil {
			t.Fatal(err)
		}
		for _, st := range append(append([]Status{}, ClosedStatuses...), OpenStatuses...) {
			if _, err := d.Exec(ctx, `UPDATE appeals SET status = ? WHERE id = ?`, string(st), id); err != nil {
				t.Fatal(err)
			}
			check("a change of status to " + string(st))
		}
		if _, err := d.Exec(ctx, `UPDATE appeals SET status = ?, registered_on = ? WHERE id = ?`, string(StatusAnswered), fmt.Sprintf("%04d-01-15", today.Year-1), id); err != nil {
			t.Fatal(err)
		}
		check("a move to another month")
		if _, err := d.Exec(ctx, `UPDATE appeals SET status = ? WHERE municipality_id = ? AND status IN (?, ?)`, string(StatusAnswered), m.ID, string(StatusRegistered), string(StatusAssigned)); err != nil {
			t.Fatal(err)
		}
		check("a bulk update")
		if _, err := d.Exec(ctx, `DELETE FROM appeals WHERE id = ?`, id); err != nil {
			t.Fatal(err)
		}
		check("a deletion")

		// The migration on a database that already has appeals: undo it,
		// then apply it again.
		undo := `DROP TRIGGER appeal_tallies_inserted; DROP TRIGGER appeal_tallies_updated; DROP TRIGGER appeal_tallies_deleted; DROP VIEW appeal_tally_deltas; DROP TABLE appeal_tallies;`
		if d.Dialect == db.Postgres {
			undo = `DROP TABLE appeal_tallies; DROP TRIGGER appeal_tallies_inserted ON appeals; DROP TRIGGER appeal_tallies_updated ON appeals; DROP TRIGGER appeal_tallies_deleted ON appeals;
 DROP FUNCTION appeal_tallies_changed(); DROP FUNCTION appeal_closed(TEXT);`
		}
		migration, err := os.ReadFile("../db/migrations/" + string(d.Dialect) + "/1200_appeal_tallies.sql")
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{undo, string(migration)} {
			if err := d.InTx(ctx, func(tx *db.Tx) error { _, err := tx.ExecContext(ctx, q); return err }); err != nil {
				t.Fatal(err)
			}
		}
		check("the migration's backfill")
		if _, err := d.Exec(ctx, `UPDATE appeals SET status = ? WHERE municipality_id = ? AND status <> ?`, string(StatusDrafted), m.ID, string(StatusDrafted)); err != nil {
			t.Fatal(err)
		}
		check("an update after the backfill")
	})
}
