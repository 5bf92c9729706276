package db

import (
	"slices"
	"testing"
)

// The page cache is only as good as the table names found in statements:
// a read it misses leaves a page cached after the table changed.
func TestParseTables(t *testing.T) {
	for _, c := range []struct {
		q             string
		reads, writes []string
	}{
		{`SELECT a.id FROM acts a JOIN act_spheres s ON s.act_id = a.id WHERE a.x = ?`, []string{"acts", "act_spheres"}, nil},
		{`SELECT 1 FROM acts, act_links l, "Site_News" WHERE 1`, []string{"acts", "act_links", "Site_News"}, nil},
		{`SELECT (SELECT COUNT(*) FROM appeals WHERE y = 'FROM fake') FROM public.site_news AS n LEFT JOIN site_pages p ON 1`, []string{"appeals", "site_news", "site_pages"}, nil},
		{`-- FROM commented
		SELECT * FROM /* FROM x */ consultations`, []string{"consultations"}, nil},
		{`WITH t AS (SELECT id FROM polls_x) SELECT * FROM t`, []string{"polls_x", "t"}, nil},
		{`INSERT INTO site_feedback (page, useful) VALUES (?, ?)`, nil, []string{"site_feedback"}},
		{`INSERT OR IGNORE INTO act_spheres (a) SELECT id FROM spheres`, []string{"spheres"}, []string{"act_spheres"}},
		{`INSERT INTO appeal_counters (y, n) VALUES (?, 1) ON CONFLICT (y) DO UPDATE SET n = appeal_counters.n + 1 RETURNING n`, nil, []string{"appeal_counters"}},
		{`UPDATE acts SET title = ? WHERE id = ?`, nil, []string{"acts"}},
		{`UPDATE OR IGNORE acts SET title = ?`, nil, []string{"acts"}},
		{`DELETE FROM site_news_spheres WHERE news_id = ?`, []string{"site_news_spheres"}, []string{"site_news_spheres"}},
		{`UPDATE appeals SET status = ? WHERE id = ?`, nil, []string{"appeals", "appeal_tallies"}},
		{`DELETE FROM appeals WHERE id = ?`, []string{"appeals"}, []string{"appeals", "appeal_tallies"}},
		{`SELECT id FROM river_job WHERE state = 'available' FOR UPDATE SKIP LOCKED`, []string{"river_job"}, nil},
		{`SELECT id FROM appeals FOR NO KEY UPDATE`, []string{"appeals"}, nil},
		{`WITH d AS (DELETE FROM sessions WHERE expiry < ? RETURNING 1) SELECT COUNT(*) FROM d`, []string{"sessions", "d"}, []string{"sessions"}},
	} {
		st := parseTables(c.q)
		if !slices.Equal(st.reads, c.reads) || !slices.Equal(st.writes, c.writes) {
			t.Errorf("%s:\nreads %v, want %v\nwrites %v, want %v", c.q, st.reads, c.reads, st.writes, c.writes)
		}
	}
}

// Rules for what a write drops.
func TestWriteTags(t *testing.T) {
	for _, c := range []struct {
		tables, want []string
	}{
		{[]string{"site_news", "audit_log", "river_job"}, []string{"site_news"}},
		{[]string{"sessions"}, nil},
		{[]string{"audit_log", "river_job", "river_leader", "email_tokens"}, nil},
		{[]string{"appeals", "municipalities"}, []string{Everything}},
		{[]string{"consult_settings"}, []string{Everything}},
		{nil, []string{Everything}}, // not known
	} {
		if got := WriteTags(c.tables); !slices.Equal(got, c.want) {
			t.Errorf("WriteTags(%v) = %v, want %v", c.tables, got, c.want)
		}
	}
}
