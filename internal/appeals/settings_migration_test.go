package appeals

import (
	"context"
	"os"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// Migration 0428 moves the retention term from appeal_settings into
// appeals_settings. An installation may have either row, both or none: the
// term must arrive, and the identity requirement must stay as it was.
func TestSettingsMigrationKeepsBothSettings(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		ctx := context.Background()
		mun := env.Municipality.ID
		dialect := "sqlite"
		if d.Dialect == db.Postgres {
			dialect = "postgres"
		}
		redo, err := os.ReadFile("../db/migrations/" + dialect + "/0428_appeals_settings_one_table.sql")
		if err != nil {
			t.Fatal(err)
		}
		// undo puts the two tables back as 0427 left them, with the
		// given rows, then 0428 runs again as Migrate runs it.
		undo := func(identityRow bool, years int) {
			t.Helper()
			q := `CREATE TABLE appeal_settings (municipality_id BIGINT NOT NULL PRIMARY KEY REFERENCES municipalities(id), retention_years INTEGER);
				ALTER TABLE appeals_settings DROP COLUMN retention_years;
				DELETE FROM appeals_settings;`
			if err := d.InTx(ctx, func(tx *db.Tx) error {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return err
				}
				if identityRow {
					if err := a.store.SetRequireVerified(ctx, tx, mun, true); err != nil {
						return err
					}
				}
				if _, err := tx.Exec(ctx, `INSERT INTO appeal_settings (municipality_id, retention_years) VALUES (?, ?)`, mun, years); err != nil {
					return err
				}
				_, err := tx.ExecContext(ctx, string(redo))
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		for _, tt := range []struct {
			name        string
			identityRow bool
			years       int
		}{
			{"both settings", true, 10},
			{"only the retention term", false, 3},
		} {
			undo(tt.identityRow, tt.years)
			rt, err := a.RetentionFor(ctx, mun)
			if err != nil {
				t.Fatal(err)
			}
			if rt.Years != tt.years || !rt.Own {
				t.Errorf("%s: retention %+v, want %d years of the municipality's own", tt.name, rt, tt.years)
			}
			on, err := a.store.RequireVerified(ctx, mun)
			if err != nil {
				t.Fatal(err)
			}
			if on != tt.identityRow {
				t.Errorf("%s: verified identity required = %v, want %v", tt.name, on, tt.identityRow)
			}
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM appeals_settings`); n != 1 {
			t.Errorf("%d rows of settings for one municipality", n)
		}
	})
}
