package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/roadmap"
	"github.com/glasnost/glasnost/internal/tenant"
)

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
		_, err := store.SaveImport(ctx, tx, m.ID, res.Roadmap, roadmap.SaveOptions{SourceName: filepath.Base(*file), Departments: ds},
			audit.Entry{Actor: "командная строка", Action: "roadmap.import"})
		return err
	})
	if err != nil {
		return fmt.Errorf("сохранение дорожной карты: %w", err)
	}
	_, err = stdout.Write(summary)
	return err
}
