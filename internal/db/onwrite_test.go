package db_test

import (
	"context"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// A statement that changes no row must not empty the page cache: periodic
// jobs that find nothing to do run every minute.
func TestOnWriteOnlyWhenRowsChange(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, `CREATE TABLE onwrite_probe (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		calls := 0
		d.OnWrite = func() { calls++ }
		for _, c := range []struct {
			q    string
			want int
		}{
			{`UPDATE onwrite_probe SET v = 1 WHERE id = 1`, 0},     // nothing to change
			{`INSERT INTO onwrite_probe (id, v) VALUES (1, 0)`, 1}, // a new row
			{`UPDATE onwrite_probe SET v = 2 WHERE id = 1`, 1},     // a changed row
			{`DELETE FROM onwrite_probe WHERE id = 99`, 0},         // nothing to delete
			{`INSERT INTO onwrite_probe (id, v) VALUES (1, 0)`, 0}, // fails: duplicate
		} {
			before := calls
			_, _ = d.Exec(ctx, c.q)
			if got := calls - before; got != c.want {
				t.Errorf("%s: OnWrite called %d times, want %d", c.q, got, c.want)
			}
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if calls != 3 {
			t.Errorf("after a transaction: %d calls, want 3 (a committed transaction always counts)", calls)
		}
	})
}
