package db

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"testing"
)

// Every SQLite connection, whichever of the pool a request borrows, must
// have the settings the portal relies on: readers that cannot write,
// foreign keys enforced, WAL so that reading never waits for a writer, and
// the file memory-mapped so that concurrent searches do not queue on
// the shared page-cache mutex.
func TestSQLiteConnectionsHaveTheirSettings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := openTestSQLite(t)

	// Hold several reader connections at once, so that each setting is
	// read on distinct connections, not on one reused from the pool.
	var readers []*sql.Conn
	for range 4 {
		c, err := d.Read.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		readers = append(readers, c)
	}
	w, err := d.Write.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A full slice, so that appending the writer cannot write into readers.
	all := append(readers[:len(readers):len(readers)], w)
	t.Cleanup(func() {
		for _, c := range all {
			c.Close()
		}
	})

	pragma := func(c *sql.Conn, name string) string {
		t.Helper()
		var v string
		if err := c.QueryRowContext(ctx, `PRAGMA `+name).Scan(&v); err != nil {
			t.Fatalf("PRAGMA %s: %v", name, err)
		}
		return v
	}
	if sqliteMmapSize < 64<<20 {
		t.Fatalf("sqliteMmapSize = %d, less than the 64 MB that measurably helped", sqliteMmapSize)
	}
	want := map[string]string{"mmap_size": strconv.Itoa(sqliteMmapSize), "foreign_keys": "1", "journal_mode": "wal"}
	for i, c := range all {
		for name, v := range want {
			if got := pragma(c, name); got != v {
				t.Errorf("connection %d: %s = %s, want %s", i, name, got, v)
			}
		}
	}
	for i, c := range readers {
		if got := pragma(c, "query_only"); got != "1" {
			t.Errorf("reader %d: query_only = %s, want 1", i, got)
		}
		if _, err := c.ExecContext(ctx, `CREATE TABLE t (x)`); err == nil {
			t.Errorf("reader %d created a table", i)
		}
	}
	if got := pragma(w, "query_only"); got != "0" {
		t.Errorf("writer: query_only = %s, want 0", got)
	}
}

// openTestSQLite opens a fresh SQLite database in the test's directory.
func openTestSQLite(t *testing.T) *DB {
	t.Helper()
	d, err := Open(context.Background(), filepath.Join(t.TempDir(), "glasnost.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}
