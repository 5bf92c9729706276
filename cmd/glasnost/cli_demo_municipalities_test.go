package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/tenant"
)

// TestDemoMunicipalities loads three extra municipalities for load tests:
// each answers on its own host name with its own name, has the demo's
// departments and an administrator who signs in there and nowhere else, and
// a second run adds nothing.
func TestDemoMunicipalities(t *testing.T) {
	engines := []db.Dialect{db.SQLite}
	if dbtest.PostgresURL(t) != "" {
		engines = append(engines, db.Postgres)
	}
	for _, dialect := range engines {
		t.Run(string(dialect), func(t *testing.T) {
			in := install{url: dbtest.URL(t, dialect), dir: t.TempDir()}
			if _, err := in.run(t, "demo", "--municipalities", "501"); err == nil || !strings.Contains(err.Error(), "--municipalities") {
				t.Fatalf("501 municipalities accepted: %v", err)
			}
			for range 2 {
				out, err := in.run(t, "demo", "--municipalities", "3")
				if err != nil || !strings.Contains(out, "Муниципальные образования для нагрузочных тестов: готово, 3") {
					t.Fatalf("demo --municipalities 3: %v\n%s", err, out)
				}
			}
			ctx := context.Background()
			d, err := db.Open(ctx, in.url)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			ts := tenant.NewStore(d)
			all, err := ts.All(ctx)
			if err != nil || len(all) != 4 {
				t.Fatalf("municipalities after two runs: %d %v", len(all), err)
			}
			accounts := &auth.Store{DB: d}
			var ids []int64
			for i := 1; i <= 3; i++ {
				slug, host, admin := demoMunicipality(i)
				m, err := ts.ForHost(ctx, host)
				if err != nil || m.Slug != slug {
					t.Fatalf("host %s: %+v %v", host, m, err)
				}
				ids = append(ids, m.ID)
				depts, err := ts.Departments(ctx, m.ID)
				if err != nil || len(depts) != len(demoDepartments) {
					t.Fatalf("%s has %d departments (%v), want %d", slug, len(depts), err, len(demoDepartments))
				}
				a, err := accounts.Authenticate(ctx, m.ID, admin, DemoPassword)
				if err != nil || !slices.Contains(a.Roles, auth.Administrator) || a.Department != "Управление делами" {
					t.Fatalf("administrator of %s: %+v %v", slug, a, err)
				}
				if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM accounts WHERE email = ?`, admin); n != 1 {
					t.Fatalf("%s: %d accounts after two runs", admin, n)
				}
			}
			// An administrator belongs to one municipality only.
			_, _, admin1 := demoMunicipality(1)
			if _, err := accounts.Authenticate(ctx, ids[1], admin1, DemoPassword); err == nil {
				t.Fatal("the administrator of m01 signs in to m02")
			}

			// The portal tells the municipalities apart by host name.
			app, err := newApp(ctx, configFor(t, in.url), slog.New(slog.NewTextHandler(io.Discard, nil)), d, appOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range []string{"<title>Демонстрационный городской округ № 1 —", "<title>Демонстрационный городской округ № 2 —", "<title>Демонстрационный городской округ № 3 —"} {
				_, host, _ := demoMunicipality(i + 1)
				req := httptest.NewRequest("GET", "/", nil)
				req.Host = host
				rec := httptest.NewRecorder()
				app.Handler.ServeHTTP(rec, req)
				body := rec.Body.String()
				if rec.Code != 200 || !strings.Contains(body, want) || strings.Contains(body, "Верхняя Пышма") {
					t.Fatalf("%s: %d, want a page with %q (has it: %v; names the demo: %v)", host, rec.Code, want, strings.Contains(body, want), strings.Contains(body, "Верхняя Пышма"))
				}
			}
		})
	}
}
