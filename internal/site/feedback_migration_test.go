package site

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// An installation that already has handled suggestions (poll_wishes, 1100)
// applies 0130 after them: SQLite's table rebuild must keep every wish and
// leave poll_wishes pointing at the live site_feedback table.
func TestOptionalScoresMigrationKeepsPollWishes(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		if d.Dialect != db.SQLite {
			t.Skip("PostgreSQL drops NOT NULL in place")
		}
		s := newTestSite(t, d)
		ctx := context.Background()
		mun := s.Municipality.ID
		now := time.Now().UTC()
		if _, err := d.Exec(ctx, `INSERT INTO site_feedback (id, municipality_id, path, relevance, completeness, usefulness, suggestion, ip_key, browser_key, day, created_at) VALUES (7, ?, '/news/11', 5, 4, 3, 'Добавьте карту', 'ip', 'br', '2026-12-05', ?)`, mun, now); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `INSERT INTO poll_wishes (feedback_id, municipality_id, status, handled_at) VALUES (7, ?, 'accepted', ?)`, mun, now); err != nil {
			t.Fatal(err)
		}
		// Undo 0130 (scores back to NOT NULL at the end of the table, as
		// a rebuild-free downgrade would leave them), then apply it again
		// the way Migrate does, with poll_wishes already in place.
		undo := ""
		for _, c := range []string{"relevance", "completeness", "usefulness"} {
			undo += `ALTER TABLE site_feedback RENAME COLUMN ` + c + ` TO ` + c + `_was;
				ALTER TABLE site_feedback ADD COLUMN ` + c + ` INTEGER NOT NULL DEFAULT 0;
				UPDATE site_feedback SET ` + c + ` = ` + c + `_was;
				ALTER TABLE site_feedback DROP COLUMN ` + c + `_was;`
		}
		sql, err := os.ReadFile("../db/migrations/sqlite/0130_site_feedback_optional_scores.sql")
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{undo, string(sql)} {
			if err := d.InTx(ctx, func(tx *db.Tx) error { _, err := tx.ExecContext(ctx, q); return err }); err != nil {
				t.Fatal(err)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM poll_wishes WHERE feedback_id = 7`); n != 1 {
			t.Fatal("the rebuild deleted a handled wish")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM site_feedback WHERE id = 7 AND relevance = 5 AND suggestion = 'Добавьте карту'`); n != 1 {
			t.Fatal("the rebuild lost a rating")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM pragma_foreign_key_list('poll_wishes') WHERE "table" = 'site_feedback'`); n != 1 {
			t.Fatal("poll_wishes no longer refers to site_feedback")
		}
		if _, err := d.Exec(ctx, `INSERT INTO site_feedback (municipality_id, path, suggestion, ip_key, browser_key, day, created_at) VALUES (?, '/', 'Только предложение', 'ip2', 'br2', '2026-12-05', ?)`, mun, now); err != nil {
			t.Fatalf("a rating without scores is refused after the migration: %v", err)
		}
	})
}
