package db_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// Two processes of one installation hear each other's writes; an
// installation in another schema of the same database hears none of them
// (NOTIFY reaches the whole database, so a shared channel would empty the
// other installation's page cache with every write).
func TestChangesReachOnlyTheSameSchema(t *testing.T) {
	t.Parallel()
	if dbtest.PostgresURL(t) == "" {
		t.Skip("PostgreSQL not configured (set GLASNOST_TEST_POSTGRES_URL)")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	open := func(url string) *db.DB {
		d, err := db.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = d.Close() })
		return d
	}
	urlA, urlB := dbtest.URL(t, db.Postgres), dbtest.URL(t, db.Postgres)
	writer, sameSchema, otherSchema := open(urlA), open(urlA), open(urlB)
	heard := func(d *db.DB) chan []string {
		ch := make(chan []string, 16)
		if err := d.Listen(ctx, func(tags []string) { ch <- tags }); err != nil {
			t.Fatal(err)
		}
		return ch
	}
	same, other := heard(sameSchema), heard(otherSchema)
	if _, err := writer.Exec(ctx, `CREATE TABLE notify_probe (id INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	if _, err := writer.Exec(ctx, `INSERT INTO notify_probe (id) VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	select {
	case tags := <-same:
		if !slices.Equal(tags, []string{"notify_probe"}) {
			t.Errorf("heard %v, want [notify_probe]", tags)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a process did not hear an insert of its own installation")
	}
	select {
	case tags := <-other:
		t.Errorf("an installation in another schema heard %v", tags)
	case <-time.After(500 * time.Millisecond):
	}
}
