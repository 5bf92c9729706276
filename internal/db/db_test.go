package db_test

import (
	"context"
	"errors"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

func TestRebind(t *testing.T) {
	d := &db.DB{Dialect: db.Postgres}
	cases := map[string]string{
		"SELECT 1":                        "SELECT 1",
		"SELECT * FROM t WHERE a = ?":     "SELECT * FROM t WHERE a = $1",
		"INSERT INTO t VALUES (?, ?, ?)":  "INSERT INTO t VALUES ($1, $2, $3)",
		"UPDATE t SET a = ? WHERE id = ?": "UPDATE t SET a = $1 WHERE id = $2",
	}
	for in, want := range cases {
		if got := d.Rebind(in); got != want {
			t.Errorf("Rebind(%q) = %q, want %q", in, got, want)
		}
	}
	s := &db.DB{Dialect: db.SQLite}
	if got := s.Rebind("a = ?"); got != "a = ?" {
		t.Errorf("sqlite rebind changed the query: %q", got)
	}
}

func TestMigrateIsIdempotentAndTransactional(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		pending, err := d.Pending(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(pending) != 0 {
			t.Fatalf("after Migrate, pending = %v", pending)
		}
		ran, err := d.Migrate(ctx)
		if err != nil || len(ran) != 0 {
			t.Fatalf("second Migrate ran %v, err %v", ran, err)
		}
		// A failing transaction leaves nothing behind.
		boom := errors.New("boom")
		err = d.InTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO municipalities (slug, name, time_zone, created_at) VALUES (?, ?, ?, ?)`, "x", "X", "UTC", d.Now()); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx error = %v", err)
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM municipalities`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("rolled-back insert is visible: %d rows", n)
		}
	})
}

func TestUniqueViolationIsRecognised(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		q := `INSERT INTO municipalities (slug, name, time_zone, created_at) VALUES (?, ?, ?, ?)`
		if _, err := d.Exec(ctx, q, "a", "A", "UTC", d.Now()); err != nil {
			t.Fatal(err)
		}
		_, err := d.Exec(ctx, q, "a", "A", "UTC", d.Now())
		if !db.IsUniqueViolation(err) {
			t.Fatalf("duplicate slug error not recognised: %v", err)
		}
	})
}
