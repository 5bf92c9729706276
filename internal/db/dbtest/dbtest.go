// Package dbtest gives tests a fresh, migrated database on every engine:
// SQLite always, and PostgreSQL when GLASNOST_TEST_POSTGRES_URL is set. Under
// CI=true a missing PostgreSQL fails the test instead of skipping it.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/jobs"
)

// PostgresURL returns the test PostgreSQL URL, failing under CI when unset.
func PostgresURL(t testing.TB) string {
	u := os.Getenv("GLASNOST_TEST_POSTGRES_URL")
	if u == "" && os.Getenv("CI") == "true" {
		t.Fatal("CI=true but GLASNOST_TEST_POSTGRES_URL is not set: the PostgreSQL tests must run")
	}
	return u
}

// Engines runs fn once per available engine, each with a fresh database.
// Every database is the test's own, so the test and its engine runs go in
// parallel with other such tests: call Engines first in the test, before
// anything that must not run in parallel (t.Setenv).
func Engines(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, Open(t, db.SQLite))
	})
	if PostgresURL(t) != "" {
		t.Run("postgres", func(t *testing.T) {
			t.Parallel()
			fn(t, Open(t, db.Postgres))
		})
	}
}

// Count runs a query that returns one integer and fails the test on any
// error, so that a broken query can never pass as "none found".
func Count(t testing.TB, q db.Querier, query string, args ...any) int {
	t.Helper()
	var n int
	if err := q.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// URL creates a fresh empty database of the given engine and returns its URL
// (for tests that start the whole binary).
func URL(t testing.TB, dialect db.Dialect) string {
	t.Helper()
	if dialect == db.SQLite {
		return filepath.Join(t.TempDir(), "glasnost.db")
	}
	base := PostgresURL(t)
	if base == "" {
		t.Skip("PostgreSQL not configured (set GLASNOST_TEST_POSTGRES_URL)")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	admin, err := db.Open(ctx, base)
	if err != nil {
		t.Fatalf("connect to test postgres: %v", err)
	}
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse test postgres url: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open creates and migrates a fresh database of the given engine.
func Open(t testing.TB, dialect db.Dialect) *db.DB {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, URL(t, dialect))
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	if err := jobs.Migrate(ctx, d); err != nil {
		t.Fatalf("migrate job queue on %s: %v", dialect, err)
	}
	return d
}

// Name is a short engine-qualified label for messages.
func Name(d *db.DB) string { return strings.ToUpper(string(d.Dialect)) }
