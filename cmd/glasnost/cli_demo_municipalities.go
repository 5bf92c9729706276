package main

import (
	"context"
	"fmt"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/progress"
	"github.com/glasnost/glasnost/internal/tenant"
)

// maxDemoMunicipalities bounds --municipalities: a region is about a
// hundred municipalities (Sverdlovsk oblast has 94).
const maxDemoMunicipalities = 500

// demoMunicipality names the i-th extra municipality (from 1): slug, host
// and administrator's address follow one pattern so that a load test can
// address each of them without asking.
func demoMunicipality(i int) (slug, host, admin string) {
	slug = fmt.Sprintf("m%02d", i)
	return slug, slug + ".demo.local", "admin@" + slug + ".demo"
}

// loadMunicipalities adds n municipalities for load tests beside the demo
// one, each on its own host name mNN.demo.local with the demo's spheres and
// departments and an administrator (admin@mNN.demo, the demo password).
// Running it again changes nothing; a larger n adds the missing ones.
func loadMunicipalities(ctx context.Context, app *App, n int) error {
	hash, err := auth.HashPassword(DemoPassword)
	if err != nil {
		return err
	}
	report := progress.From(ctx)
	report.Start("Муниципальные образования для нагрузочных тестов", n)
	for i := 1; i <= n; i++ {
		slug, host, admin := demoMunicipality(i)
		m, err := ensureMunicipality(ctx, app, tenant.Municipality{Slug: slug, Name: fmt.Sprintf("Демонстрационный городской округ № %d", i),
			ShortName: fmt.Sprintf("Округ № %d", i), TimeZone: "Asia/Yekaterinburg", Hosts: []string{host}})
		if err != nil {
			return fmt.Errorf("municipality %s: %w", slug, err)
		}
		depts, err := ensureDemoStructure(ctx, app, m.ID)
		if err != nil {
			return fmt.Errorf("departments of %s: %w", slug, err)
		}
		affairs := depts["affairs"]
		a := &auth.Account{MunicipalityID: m.ID, Email: admin, FullName: "Администратор округа № " + fmt.Sprint(i), DepartmentID: affairs, Roles: []string{auth.Administrator}, Confirmed: true}
		if _, err := auth.EnsureAccount(ctx, app.Accounts, a, hash); err != nil {
			return fmt.Errorf("administrator of %s: %w", slug, err)
		}
		report.Add(1)
	}
	report.Done()
	return nil
}

// ensureMunicipality creates m unless a municipality with its slug exists,
// and returns the stored one.
func ensureMunicipality(ctx context.Context, app *App, m tenant.Municipality) (tenant.Municipality, error) {
	if got, err := app.Tenants.BySlug(ctx, m.Slug); err == nil {
		return got, nil
	}
	if err := app.DB.InTx(ctx, func(tx *db.Tx) error { return app.Tenants.Create(ctx, tx, &m) }); err != nil {
		return m, err
	}
	return app.Tenants.BySlug(ctx, m.Slug)
}

// ensureDemoStructure gives a municipality the demo's spheres and
// departments and returns the departments' ids by slug.
func ensureDemoStructure(ctx context.Context, app *App, munID int64) (map[string]int64, error) {
	depts := map[string]int64{}
	err := app.DB.InTx(ctx, func(tx *db.Tx) error {
		for _, s := range demoSpheres {
			if _, err := app.Tenants.EnsureSphere(ctx, tx, munID, s.Slug, s.Name); err != nil {
				return err
			}
		}
		for _, d := range demoDepartments {
			id, err := app.Tenants.EnsureDepartment(ctx, tx, munID, d.Slug, d.Name)
			if err != nil {
				return err
			}
			depts[d.Slug] = id
		}
		return nil
	})
	return depts, err
}
