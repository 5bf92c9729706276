package db_test

import (
	"context"
	"slices"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// A statement that changes no row must not touch the page cache: periodic
// jobs that find nothing to do run every minute. A write names the tables
// it changed, so that only the pages that read them are dropped.
func TestOnWriteNamesChangedTables(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for _, q := range []string{
			`CREATE TABLE onwrite_probe (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)`,
			`CREATE TABLE onwrite_other (id INTEGER PRIMARY KEY)`,
			`CREATE TABLE audit_log_probe (id INTEGER PRIMARY KEY)`,
		} {
			if _, err := d.Exec(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		var got [][]string
		d.OnWrite = func(tags []string) { got = append(got, tags) }
		for _, c := range []struct {
			q    string
			want [][]string
		}{
			{`UPDATE onwrite_probe SET v = 1 WHERE id = 1`, nil},                               // nothing to change
			{`INSERT INTO onwrite_probe (id, v) VALUES (1, 0)`, [][]string{{"onwrite_probe"}}}, // a new row
			{`UPDATE onwrite_probe SET v = 2 WHERE id = 1`, [][]string{{"onwrite_probe"}}},     // a changed row
			{`DELETE FROM onwrite_probe WHERE id = 99`, nil},                                   // nothing to delete
			{`INSERT INTO onwrite_probe (id, v) VALUES (1, 0)`, nil},                           // fails: duplicate
			{`SELECT 1`, nil}, // a query run as a statement
		} {
			got = nil
			_, _ = d.Exec(ctx, c.q)
			if !slices.EqualFunc(got, c.want, slices.Equal) {
				t.Errorf("%s: OnWrite got %v, want %v", c.q, got, c.want)
			}
		}
		tx := func(fn func(tx *db.Tx) error) [][]string {
			got = nil
			if err := d.InTx(ctx, fn); err != nil {
				t.Fatal(err)
			}
			return got
		}
		// A transaction announces every table it changed, once, after commit.
		if g := tx(func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, `UPDATE onwrite_probe SET v = 3 WHERE id = 1`); err != nil {
				return err
			}
			_, err := db.InsertID(ctx, tx, `INSERT INTO onwrite_other (id) VALUES (7)`)
			return err
		}); len(g) != 1 || !slices.Equal(g[0], []string{"onwrite_probe", "onwrite_other"}) {
			t.Errorf("transaction: OnWrite got %v", g)
		}
		// One that only read announces nothing.
		if g := tx(func(tx *db.Tx) error {
			var n int
			return tx.QueryRow(ctx, `SELECT COUNT(*) FROM onwrite_probe`).Scan(&n)
		}); g != nil {
			t.Errorf("read-only transaction: OnWrite got %v", g)
		}
		// One that ran nothing through the wrappers may have written
		// anything: every page goes.
		if g := tx(func(tx *db.Tx) error { return nil }); len(g) != 1 || !slices.Equal(g[0], []string{db.Everything}) {
			t.Errorf("opaque transaction: OnWrite got %v, want [[*]]", g)
		}
		// A rolled-back transaction announces nothing.
		got = nil
		_ = d.InTx(ctx, func(tx *db.Tx) error {
			_, _ = tx.Exec(ctx, `UPDATE onwrite_probe SET v = 4 WHERE id = 1`)
			return context.Canceled
		})
		if got != nil {
			t.Errorf("rolled back: OnWrite got %v", got)
		}
	})
}

// The reads of a context are recorded for the page that renders with it.
func TestTrackReads(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx, reads := db.TrackReads(context.Background())
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM sessions s JOIN audit_log a ON a.id = 0`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if got := reads.Tables(); !slices.Equal(got, []string{"sessions", "audit_log"}) {
			t.Errorf("reads: %v", got)
		}
	})
}
