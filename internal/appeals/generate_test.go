package appeals

import (
	"context"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// After a generated load the planner has statistics of the appeals, which
// the reports' plans on a million appeals depend on. On SQLite they leave
// out the full-text index's shadow tables: with samples of those, SQLite
// re-prepares FTS5's own term lookup for every term a resident searches.
func TestGeneratedLoadLeavesStatisticsForAppealsOnly(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		ctx := context.Background()
		cal, err := a.Calendar(ctx, env.Municipality.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Generate(ctx, d, cal, env.Municipality.ID, 300, a.Today(env.Municipality), 3, nil, 5); err != nil {
			t.Fatal(err)
		}
		if d.Dialect == db.Postgres {
			var tuples float64
			if err := d.QueryRow(ctx, `SELECT reltuples FROM pg_class WHERE oid = 'appeals'::regclass`).Scan(&tuples); err != nil {
				t.Fatal(err)
			}
			if tuples < 300 {
				t.Errorf("the planner estimates %.0f appeals after generating 300: not analysed", tuples)
			}
			return
		}
		var appeals int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'appeals'`).Scan(&appeals); err != nil {
			t.Fatal(err)
		}
		if appeals == 0 {
			t.Error("no statistics of the appeals after the load")
		}
		var shadow int
		if err := d.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl IN (SELECT name FROM pragma_table_list WHERE type = 'shadow'))
			+ (SELECT COUNT(*) FROM sqlite_stat4 WHERE tbl IN (SELECT name FROM pragma_table_list WHERE type = 'shadow'))`).Scan(&shadow); err != nil {
			t.Fatal(err)
		}
		if shadow != 0 {
			t.Errorf("%d statistics rows of the full-text index's shadow tables", shadow)
		}
	})
}
