package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/roadmap"
	"github.com/glasnost/glasnost/internal/site"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// wireRoadmap mounts the roadmap area: the public roadmap and its exports,
// the staff pages, the API, the daily deadline reminders and the demo plan.
func wireRoadmap(ctx context.Context, a *App) error {
	area, err := roadmap.New(roadmap.Deps{DB: a.DB, Renderer: a.Renderer, Errors: a.Errors, Files: a.Files, Tenants: a.Tenants,
		Mailer: a.Mailer, Sessions: a.Sessions, API: a.API, Log: a.Log})
	if err != nil {
		return fmt.Errorf("roadmap: %w", err)
	}
	area.Mount(a.Router)
	a.Renderer.AddNav(web.NavItem{Order: 90, Href: "/roadmap", Label: "Дорожная карта"})
	a.adminLinks = append(a.adminLinks, web.NavItem{Order: 90, Href: "/admin/roadmaps", Label: "Дорожные карты"})
	a.sitemaps = append(a.sitemaps, func(ctx context.Context, munID int64) ([]site.SitemapURL, error) {
		plans, _, err := area.Store.List(ctx, munID, 1000, 0)
		if err != nil {
			return nil, err
		}
		var out []site.SitemapURL
		for _, p := range plans {
			loc := fmt.Sprintf("/roadmap/%d", p.ID)
			out = append(out, site.SitemapURL{Loc: loc, LastMod: p.UpdatedAt}, site.SitemapURL{Loc: loc + "/assessment", LastMod: p.UpdatedAt})
		}
		return out, nil
	})
	river.AddWorker(a.Queue.Workers(), &roadmap.ReminderWorker{Area: area})
	a.Queue.Every("roadmap_reminders", 24*time.Hour, func() river.JobArgs { return roadmap.ReminderArgs{} })
	a.demo = append(a.demo, func(ctx context.Context, app *App, m tenant.Municipality) error {
		return area.Demo(ctx, m)
	})
	return nil
}

// cmdRoadmapImport is `glasnost roadmap import --file F [--municipality M]
// [--dry-run]`: it reads a plan from DOCX or tab-separated text, prints the
// JSON summary of what it recognised, and unless --dry-run saves it.
func cmdRoadmapImport(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("roadmap import", flag.ContinueOnError)
	file := fs.String("file", "", "файл плана мероприятий: DOCX или текст с табуляциями")
	mun := fs.String("municipality", "", "код муниципального образования")
	dry := fs.Bool("dry-run", false, "только показать, что распознано, ничего не сохраняя")
	cfg, err := loadConfig(fs, args)
	if err != nil {
		return err
	}
	if *file == "" {
		return errors.New("укажите --file")
	}
	data, err := os.ReadFile(*file)
	if err != nil {
		return fmt.Errorf("файл плана: %w", err)
	}
	res, err := roadmap.ParseFile(data)
	if err != nil {
		return fmt.Errorf("импорт %s: %w", *file, err)
	}
	summary, err := roadmap.Summary(res)
	if err != nil {
		return err
	}
	if *dry {
		_, err = stdout.Write(summary)
		return err
	}
	d, err := openDB(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer d.Close()
	ts := tenant.NewStore(d)
	m, err := pickMunicipality(ctx, ts, *mun)
	if err != nil {
		return err
	}
	depts, err := ts.Departments(ctx, m.ID)
	if err != nil {
		return err
	}
	var ds []roadmap.Department
	for _, dp := range depts {
		ds = append(ds, roadmap.Department{ID: dp.ID, Name: dp.Name})
	}
	store := &roadmap.Store{DB: d}
	err = d.InTx(ctx, func(tx *db.Tx) error {
		_, err := store.SaveImport(ctx, tx, m.ID, res.Roadmap, roadmap.SaveOptions{SourceName: fileName(*file), Departments: ds},
			audit.Entry{Actor: "командная строка", Action: "roadmap.import"})
		return err
	})
	if err != nil {
		return fmt.Errorf("сохранение дорожной карты: %w", err)
	}
	_, err = stdout.Write(summary)
	return err
}

func fileName(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' || path[i] == '\\' {
			return path[i+1:]
		}
	}
	return path
}
