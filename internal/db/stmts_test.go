package db

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// SQLite's read queries run as prepared statements kept by their text.
// They must behave as unprepared queries do: see every committed write and
// every change of the schema, report a query's error, and not fail a
// request whose statement the bounded cache dropped while it was in use.
func TestPreparedReadsBehaveAsUnprepared(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := openTestSQLite(t)
	d.stmts.max = 3
	if _, err := d.Exec(ctx, `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM notes`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for i := range 3 {
		if _, err := d.Exec(ctx, `INSERT INTO notes (body) VALUES (?)`, fmt.Sprint("заметка ", i)); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != i+1 {
			t.Fatalf("after %d inserts the prepared count reads %d", i+1, n)
		}
	}

	columns := func() int {
		rows, err := d.Query(ctx, `SELECT * FROM notes LIMIT 1`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cs, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		return len(cs)
	}
	if n := columns(); n != 2 {
		t.Fatalf("%d columns, want 2", n)
	}
	if _, err := d.Exec(ctx, `ALTER TABLE notes ADD COLUMN author TEXT`); err != nil {
		t.Fatal(err)
	}
	if n := columns(); n != 3 {
		t.Errorf("after a new column the prepared SELECT * gives %d columns, want 3", n)
	}

	if _, err := d.Query(ctx, `SELECT title FROM notes`); err == nil || !strings.Contains(err.Error(), "no such column") {
		t.Errorf("a query of a missing column: %v", err)
	}
	var s string
	if err := d.QueryRow(ctx, `SELECT title FROM notes`).Scan(&s); err == nil || !strings.Contains(err.Error(), "no such column") {
		t.Errorf("a single-row query of a missing column: %v", err)
	}

	// Twenty texts through a cache of three, from eight goroutines at once:
	// statements are dropped (and closed) while others are about to use them.
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 300 {
				k := (g*7 + i) % 20
				var n int
				if err := d.QueryRow(ctx, fmt.Sprintf(`SELECT COUNT(*) + %d FROM notes`, k)).Scan(&n); err != nil {
					errs <- err
					return
				}
				if n != 3+k {
					errs <- fmt.Errorf("query %d read %d, want %d", k, n, 3+k)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(d.stmts.byQ); n > 3 {
		t.Errorf("%d statements kept, the bound is 3", n)
	}
}
