package main

import (
	"context"
	"fmt"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/progress"
	"github.com/glasnost/glasnost/internal/tenant"
)

// DemoPassword is the password of every demo account (README lists them).
const DemoPassword = "demo-glasnost-2026"

// demoDepartments are the units named in the roadmap, plus those its
// measures imply.
var demoDepartments = []struct{ Slug, Name string }{
	{"affairs", "Управление делами"},
	{"press", "Пресс-секретарь"},
	{"legal", "Юридический отдел"},
	{"economy", "Комитет экономики и муниципального заказа"},
	{"deputy-general", "Заместитель главы администрации по общим вопросам"},
	{"housing", "Управление жилищно-коммунального хозяйства"},
	{"education", "Управление образования"},
	{"architecture", "Управление архитектуры и градостроительства"},
	{"finance", "Финансовое управление"},
	{"appeals", "Отдел по работе с обращениями граждан"},
}

var demoSpheres = []struct{ Slug, Name string }{
	{"education", "Образование"},
	{"housing", "ЖКХ"},
	{"transport", "Транспорт и дороги"},
	{"health", "Здравоохранение"},
	{"culture", "Культура"},
	{"sport", "Физкультура и спорт"},
	{"economy", "Экономика и предпринимательство"},
	{"urban", "Градостроительство и благоустройство"},
	{"ecology", "Экология"},
	{"social", "Социальная защита"},
	{"safety", "Безопасность"},
	{"budget", "Бюджет и финансы"},
}

// demoAccounts has one account per role.
var demoAccounts = []struct {
	Email, Name, Dept string
	Roles             []string
}{
	{"admin@vpyshma.demo", "Ирина Администраторова", "affairs", []string{auth.Administrator}},
	{"editor@vpyshma.demo", "Олег Редакторов", "affairs", []string{auth.Editor}},
	{"press@vpyshma.demo", "Мария Пресс-секретарь", "press", []string{auth.Press, auth.Editor}},
	{"lawyer@vpyshma.demo", "Андрей Юристов", "legal", []string{auth.Lawyer}},
	{"operator@vpyshma.demo", "Светлана Операторова", "appeals", []string{auth.Operator}},
	{"council@vpyshma.demo", "Николай Советов", "", []string{auth.Council}},
	{"expert@vpyshma.demo", "Елена Экспертова", "", []string{auth.Expert}},
	{"resident@vpyshma.demo", "Пётр Жителев", "", []string{auth.Resident}},
	{"region@vpyshma.demo", "Галина Регионова", "", []string{auth.RegionalAdmin}},
}

// loadScale runs every area's generator after the demo.
func loadScale(ctx context.Context, app *App, n int) error {
	m, err := app.Tenants.BySlug(ctx, "vpyshma")
	if err != nil {
		return err
	}
	for _, c := range app.Portal.All() {
		if c.Scale == nil {
			continue
		}
		if err := c.Scale(ctx, m, n); err != nil {
			return fmt.Errorf("scale data of %s: %w", c.Name, err)
		}
	}
	return nil
}

// loadDemo creates the demo municipality «Городской округ Верхняя Пышма»
// and its content. Running it twice changes nothing.
func loadDemo(ctx context.Context, app *App) error {
	m, err := ensureMunicipality(ctx, app, tenant.Municipality{Slug: "vpyshma", Name: "Городской округ Верхняя Пышма", ShortName: "Верхняя Пышма", TimeZone: "Asia/Yekaterinburg", Hosts: []string{"localhost", "127.0.0.1"}})
	if err != nil {
		return err
	}
	depts, err := ensureDemoStructure(ctx, app, m.ID)
	if err != nil {
		return fmt.Errorf("demo spheres and departments: %w", err)
	}
	hash, err := auth.HashPassword(DemoPassword)
	if err != nil {
		return err
	}
	for _, da := range demoAccounts {
		a := &auth.Account{MunicipalityID: m.ID, Email: da.Email, FullName: da.Name, DepartmentID: depts[da.Dept], Roles: da.Roles, Confirmed: true}
		if _, err := auth.EnsureAccount(ctx, app.Accounts, a, hash); err != nil {
			return fmt.Errorf("demo account %s: %w", da.Email, err)
		}
	}
	report := progress.From(ctx)
	for _, c := range app.Portal.All() {
		if c.Demo == nil {
			continue
		}
		report.Start("Демонстрационное наполнение: "+c.Label(), 0)
		if err := c.Demo(ctx, m); err != nil {
			return fmt.Errorf("demo of %s: %w", c.Name, err)
		}
		report.Done()
	}
	return nil
}
