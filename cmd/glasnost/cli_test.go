package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/config"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/tenant"
)

// runCLI runs a glasnost command against the database at url.
func runCLI(t *testing.T, url, stdin string, args ...string) (string, error) {
	t.Helper()
	t.Setenv("GLASNOST_DATABASE_URL", url)
	t.Setenv("GLASNOST_DATA_DIR", t.TempDir())
	var out, errb bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String() + errb.String(), err
}

// migratedCLI runs fn on a migrated empty database of each engine at hand.
func migratedCLI(t *testing.T, fn func(t *testing.T, url string)) {
	engines := []db.Dialect{db.SQLite}
	if dbtest.PostgresURL(t) != "" {
		engines = append(engines, db.Postgres)
	}
	for _, dialect := range engines {
		t.Run(string(dialect), func(t *testing.T) {
			url := dbtest.URL(t, dialect)
			if out, err := runCLI(t, url, "", "migrate"); err != nil {
				t.Fatalf("migrate: %v %s", err, out)
			}
			fn(t, url)
		})
	}
}

func TestCLI(t *testing.T) {
	engines := []db.Dialect{db.SQLite}
	if dbtest.PostgresURL(t) != "" {
		engines = append(engines, db.Postgres)
	}
	for _, dialect := range engines {
		t.Run(string(dialect), func(t *testing.T) {
			url := dbtest.URL(t, dialect)
			if dialect == db.Postgres {
				// serve (through openDB) refuses a schema that is behind and names the command.
				_, err := openDB(context.Background(), configFor(t, url), false)
				if err == nil || !strings.Contains(err.Error(), "glasnost migrate") {
					t.Fatalf("behind schema: %v", err)
				}
				if out, err := runCLI(t, url, "", "migrate"); err != nil || !strings.Contains(out, "Применено миграций") {
					t.Fatalf("migrate: %v %s", err, out)
				}
			}
			if out, err := runCLI(t, url, "", "demo"); err != nil {
				t.Fatalf("demo: %v %s", err, out)
			}
			// The demo is idempotent.
			if out, err := runCLI(t, url, "", "demo"); err != nil {
				t.Fatalf("second demo: %v %s", err, out)
			}
			if _, err := runCLI(t, url, "short\n", "user", "add", "--email", "a@b.ru", "--role", "lawyer"); err == nil || !strings.Contains(err.Error(), "не короче") {
				t.Fatalf("short password accepted: %v", err)
			}
			if _, err := runCLI(t, url, "long-password-1\n", "user", "add", "--email", "a@b.ru", "--role", "tsar"); err == nil || !strings.Contains(err.Error(), "неизвестная роль") {
				t.Fatalf("unknown role accepted: %v", err)
			}
			out, err := runCLI(t, url, "long-password-1\n", "user", "add", "--email", "Yurist@B.ru", "--role", "lawyer,editor", "--department", "legal", "--name", "Юрист")
			if err != nil {
				t.Fatalf("user add: %v %s", err, out)
			}
			tok, err := runCLI(t, url, "", "token", "create", "--email", "yurist@b.ru")
			if err != nil || !strings.HasPrefix(strings.TrimSpace(tok), "gl_") {
				t.Fatalf("token create: %q %v", tok, err)
			}
			d, err := db.Open(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			m, _ := tenant.NewStore(d).BySlug(context.Background(), "vpyshma")
			a, err := (&auth.Store{DB: d}).ByAPIToken(context.Background(), m.ID, strings.TrimSpace(tok))
			if err != nil || a.Email != "yurist@b.ru" || a.Department != "Юридический отдел" || len(a.Roles) != 2 {
				t.Fatalf("token's account: %+v %v", a, err)
			}
			var n int
			if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM accounts WHERE email = ?`, "admin@vpyshma.demo").Scan(&n); err != nil || n != 1 {
				t.Fatalf("demo admin accounts after two demo runs: %d %v", n, err)
			}
		})
	}
	if out, err := runCLI(t, "x.db", "", "version"); err != nil || !strings.Contains(out, "glasnost") {
		t.Fatalf("version: %q %v", out, err)
	}
	if _, err := runCLI(t, "x.db", "", "frobnicate"); err == nil {
		t.Fatal("an unknown command succeeded")
	}
}

func configFor(t *testing.T, url string) config.Config {
	t.Helper()
	c := config.FromEnv(func(string) string { return "" })
	c.DatabaseURL, c.DataDir = url, t.TempDir()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return c
}
