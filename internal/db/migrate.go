package db

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed migrations
var migrationsFS embed.FS

// Migration is one ordered schema change, named after its area and change
// (for example 0003_appeals_create.sql).
type Migration struct {
	Version string
	SQL     string
}

// ErrSchemaBehind means the database has not had every migration applied.
var ErrSchemaBehind = errors.New("схема базы данных устарела: выполните «glasnost migrate»")

func (d *DB) migrations() ([]Migration, error) {
	dir := "migrations/" + string(d.Dialect)
	entries, err := fs.ReadDir(migrationsFS, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		b, err := fs.ReadFile(migrationsFS, dir+"/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, Migration{Version: strings.TrimSuffix(e.Name(), ".sql"), SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	return ms, nil
}

func (d *DB) ensureMigrationTable(ctx context.Context) error {
	_, err := d.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`)
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	return nil
}

func (d *DB) applied(ctx context.Context) (map[string]bool, error) {
	rows, err := d.Write.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read applied migrations: %w", err)
	}
	defer rows.Close()
	done := map[string]bool{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		done[v] = true
	}
	return done, rows.Err()
}

// Migrate applies every pending migration, each in its own transaction, and
// returns the versions applied.
func (d *DB) Migrate(ctx context.Context) ([]string, error) {
	if err := d.ensureMigrationTable(ctx); err != nil {
		return nil, err
	}
	ms, err := d.migrations()
	if err != nil {
		return nil, err
	}
	done, err := d.applied(ctx)
	if err != nil {
		return nil, err
	}
	var ran []string
	for _, m := range ms {
		if done[m.Version] {
			continue
		}
		err := d.InTx(ctx, func(tx *Tx) error {
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return fmt.Errorf("migration %s: %w", m.Version, err)
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, m.Version, d.Now().Format("2006-01-02T15:04:05Z"))
			return err
		})
		if err != nil {
			return ran, err
		}
		ran = append(ran, m.Version)
	}
	return ran, nil
}

// Pending lists migrations not yet applied; serve refuses to start on
// PostgreSQL while any are pending.
func (d *DB) Pending(ctx context.Context) ([]string, error) {
	if err := d.ensureMigrationTable(ctx); err != nil {
		return nil, err
	}
	ms, err := d.migrations()
	if err != nil {
		return nil, err
	}
	done, err := d.applied(ctx)
	if err != nil {
		return nil, err
	}
	var p []string
	for _, m := range ms {
		if !done[m.Version] {
			p = append(p, m.Version)
		}
	}
	return p, nil
}
