package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/backup"
	"github.com/glasnost/glasnost/internal/config"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/progress"
)

// cmdBackup writes the database and the uploaded files into one archive
// while the portal keeps running (docs/operations.md).
func cmdBackup(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	to := fs.String("to", "", "файл архива (например, glasnost-2026-12-06.tar.gz)")
	cfg, err := loadConfig(fs, args)
	if err != nil {
		return err
	}
	if *to == "" {
		return errors.New("укажите --to: файл, в который записать копию")
	}
	if _, err := os.Stat(*to); err == nil {
		return fmt.Errorf("файл %s уже существует: укажите новое имя", *to)
	}
	// Opened without migrating: a backup changes nothing.
	d, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("база данных недоступна: %w", err)
	}
	defer d.Close()
	ctx, storage, err := withStorage(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	start := time.Now()
	// Written under a temporary name and renamed at the end, so that a
	// file named --to is always a whole copy.
	dir := filepath.Dir(*to)
	tmp, err := os.CreateTemp(dir, ".glasnost-backup-*.tar.gz")
	if err != nil {
		return fmt.Errorf("создать файл копии: %w", err)
	}
	defer os.Remove(tmp.Name())
	m, werr := backup.Write(ctx, backup.Source{DB: d, URL: cfg.DatabaseURL, Storage: storage, DataDir: cfg.DataDir, Version: version}, dir, tmp)
	if werr != nil && !errors.Is(werr, backup.ErrNoPGDump) {
		tmp.Close()
		return werr
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("записать копию: %w", err)
	}
	st, _ := tmp.Stat()
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("записать копию: %w", err)
	}
	if err := os.Rename(tmp.Name(), *to); err != nil {
		return fmt.Errorf("записать копию: %w", err)
	}
	what := databaseTitle(m, "только файлы, без базы данных")
	fmt.Fprintf(stdout, "Резервная копия записана в %s: %s, файлов: %s (%s), архив %s, за %s.\n",
		*to, what, progress.Number(m.Files), megabytes(m.FileBytes()), megabytes(st.Size()), secondsRU(time.Since(start)))
	if werr != nil {
		fmt.Fprintln(stdout, "Внимание:", werr)
	}
	return nil
}

// cmdRestore restores an archive into a new installation (the one that
// GLASNOST_DATABASE_URL, GLASNOST_DATA_DIR and GLASNOST_FILES_URL name).
func cmdRestore(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	from := fs.String("from", "", "файл архива, записанный командой glasnost backup")
	force := fs.Bool("force", false, "заменить базу данных, в которой уже есть данные")
	cfg, err := loadConfig(fs, args)
	if err != nil {
		return err
	}
	if *from == "" {
		return errors.New("укажите --from: файл резервной копии")
	}
	f, err := os.Open(*from)
	if err != nil {
		return fmt.Errorf("открыть копию: %w", err)
	}
	defer f.Close()
	ctx, storage, err := withStorage(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	start := time.Now()
	m, err := backup.Restore(ctx, backup.Target{URL: cfg.DatabaseURL, Storage: storage, DataDir: cfg.DataDir, Force: *force, Migrate: migrateAll}, f)
	if err != nil {
		return err
	}
	what := databaseTitle(m, "только файлы; базу данных восстановите из дампа pg_dump командой pg_restore")
	fmt.Fprintf(stdout, "Восстановлено из копии от %s UTC (glasnost %s): %s, файлов: %s (%s) в %s, за %s.\n",
		m.CreatedAt.Format("02.01.2006 15:04"), m.Version, what, progress.Number(m.Files), megabytes(m.FileBytes()), files.Describe(storage), secondsRU(time.Since(start)))
	return nil
}

// withStorage opens the file storage and reports progress to stdout.
func withStorage(ctx context.Context, cfg config.Config, stdout io.Writer) (context.Context, files.Storage, error) {
	storage, err := files.OpenStorage(ctx, cfg.FilesURL, cfg.DataDir, config.Getenv)
	if err != nil {
		return ctx, nil, err
	}
	return progress.With(ctx, progress.NewWriter(stdout, progress.IsTerminal(stdout))), storage, nil
}

// databaseTitle says what an archive holds of the database.
func databaseTitle(m backup.Manifest, filesOnly string) string {
	if m.Database == "" {
		return filesOnly
	}
	engine := "SQLite"
	if m.Engine == string(db.Postgres) {
		engine = "PostgreSQL"
	}
	return "база данных " + engine + " (миграция " + m.Migration + ")"
}

func megabytes(n int64) string {
	return strings.Replace(fmt.Sprintf("%.1f МБ", float64(n)/(1<<20)), ".", ",", 1)
}

func secondsRU(d time.Duration) string {
	return strings.Replace(fmt.Sprintf("%.1f с", d.Seconds()), ".", ",", 1)
}
