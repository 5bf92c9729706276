package appeals

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/tenant"
)

// The benchmarks share one SQLite database of GLASNOST_BENCH_APPEALS
// generated appeals (20 000 by default, so that `go test -bench` stays
// quick; set 1000000 for the figures in docs/appeals.md) over five quarters.
type benchData struct {
	d       *db.DB
	cleanup func()
	store   *Store
	munID   int64
	today   deadline.Date
	stats   GenerateStats
	err     error
}

var (
	benchOnce sync.Once
	bench     benchData
)

func benchSetup(b *testing.B) *benchData {
	b.Helper()
	benchOnce.Do(func() {
		n := 20000
		if s := os.Getenv("GLASNOST_BENCH_APPEALS"); s != "" {
			if v, err := strconv.Atoi(s); err == nil && v > 0 {
				n = v
			}
		}
		ctx := context.Background()
		d, cleanup, err := benchDB(ctx)
		if err != nil {
			bench.err = err
			return
		}
		bench.cleanup = cleanup
		if _, err := d.Migrate(ctx); err != nil {
			bench.err = err
			return
		}
		ts := tenant.NewStore(d)
		m := tenant.Municipality{Slug: "bench", Name: "Городской округ для замеров", TimeZone: "Asia/Yekaterinburg"}
		var depts []int64
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			if err := ts.Create(ctx, tx, &m); err != nil {
				return err
			}
			for _, slug := range []string{"housing", "roads", "education", "economy", "legal"} {
				id, err := ts.EnsureDepartment(ctx, tx, m.ID, slug, "Подразделение "+slug)
				if err != nil {
					return err
				}
				depts = append(depts, id)
			}
			topics, err := ParseClassifier(bytes.NewReader(demoClassifier))
			if err != nil {
				return err
			}
			_, err = (&Store{DB: d}).ImportTopics(ctx, tx, m.ID, topics)
			return err
		}); err != nil {
			bench.err = err
			return
		}
		today := deadline.DateOf(time.Now().UTC())
		start := time.Now()
		cal, err := deadline.Default()
		if err != nil {
			b.Fatal(err)
		}
		stats, err := Generate(ctx, d, cal, m.ID, n, today, 5, depts, 1)
		if err != nil {
			bench.err = err
			return
		}
		b.Logf("generated %d appeals in %s (%.0f rows/s)", n, time.Since(start).Round(time.Millisecond), float64(n)/time.Since(start).Seconds())
		b.Logf("engine %s", d.Dialect)
		bench = benchData{d: d, cleanup: cleanup, store: &Store{DB: d}, munID: m.ID, today: today, stats: stats}
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return &bench
}

// benchDB opens the benchmark database: a SQLite file, or with
// GLASNOST_BENCH_ENGINE=postgres a fresh schema in GLASNOST_TEST_POSTGRES_URL.
// The returned cleanup removes it; TestMain calls it once all benchmarks ran.
func benchDB(ctx context.Context) (*db.DB, func(), error) {
	if os.Getenv("GLASNOST_BENCH_ENGINE") != "postgres" {
		dir, err := os.MkdirTemp("", "glasnost-bench-appeals-")
		if err != nil {
			return nil, nil, err
		}
		d, err := db.Open(ctx, filepath.Join(dir, "bench.db"))
		if err != nil {
			return nil, nil, err
		}
		return d, func() { d.Close(); os.RemoveAll(dir) }, nil
	}
	base := os.Getenv("GLASNOST_TEST_POSTGRES_URL")
	if base == "" {
		return nil, nil, fmt.Errorf("GLASNOST_BENCH_ENGINE=postgres needs GLASNOST_TEST_POSTGRES_URL")
	}
	admin, err := db.Open(ctx, base)
	if err != nil {
		return nil, nil, err
	}
	schema := fmt.Sprintf("bench_appeals_%d", time.Now().UnixNano())
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return nil, nil, err
	}
	u, err := url.Parse(base)
	if err != nil {
		admin.Close()
		return nil, nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	d, err := db.Open(ctx, u.String())
	if err != nil {
		admin.Close()
		return nil, nil, err
	}
	return d, func() {
		d.Close()
		_, _ = admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	}, nil
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.cleanup != nil {
		bench.cleanup()
	}
	os.Exit(code)
}

func BenchmarkQuarterReport(b *testing.B) {
	bd := benchSetup(b)
	from, to := PreviousQuarter(bd.today)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		r, err := bd.store.MakeReport(ctx, bd.munID, from, to, bd.today)
		if err != nil || r.Total == 0 {
			b.Fatal(r.Total, err)
		}
	}
}

// BenchmarkQuarterReportBareSQL is the floor the report is compared with:
// the bare aggregates the report needs — one COUNT(*) … GROUP BY per
// dimension over the quarter and one COUNT(*) — scanned and thrown away,
// without the previous period, labels, flags or the report's structure.
func BenchmarkQuarterReportBareSQL(b *testing.B) {
	bd := benchSetup(b)
	from, to := PreviousQuarter(bd.today)
	ctx := context.Background()
	keys := []string{"channel", "kind", "section_code", "topic_code", "department_id", "result"}
	b.ResetTimer()
	for b.Loop() {
		var total int
		if err := bd.d.QueryRow(ctx, `SELECT COUNT(*) FROM appeals WHERE municipality_id = ? AND registered_on >= ? AND registered_on <= ?`, bd.munID, from.String(), to.String()).Scan(&total); err != nil {
			b.Fatal(err)
		}
		for _, k := range keys {
			rows, err := bd.d.Query(ctx, `SELECT `+k+`, COUNT(*) FROM appeals WHERE municipality_id = ? AND registered_on >= ? AND registered_on <= ? GROUP BY `+k, bd.munID, from.String(), to.String())
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
				var key any
				var c int
				if err := rows.Scan(&key, &c); err != nil {
					b.Fatal(err)
				}
			}
			rows.Close()
		}
	}
}

func BenchmarkOperatorLookupByNumber(b *testing.B) {
	bd := benchSetup(b)
	ctx := context.Background()
	i := 0
	b.ResetTimer()
	for b.Loop() {
		n := bd.stats.Numbers[i%len(bd.stats.Numbers)]
		i++
		got, err := bd.store.Lookup(ctx, bd.munID, n, 20)
		if err != nil || len(got) != 1 {
			b.Fatal(n, len(got), err)
		}
	}
}

func BenchmarkOperatorLookupBySurname(b *testing.B) {
	bd := benchSetup(b)
	ctx := context.Background()
	i := 0
	b.ResetTimer()
	for b.Loop() {
		s := bd.stats.Surnames[i%len(bd.stats.Surnames)]
		i++
		got, err := bd.store.Lookup(ctx, bd.munID, s, 20)
		if err != nil || len(got) == 0 {
			b.Fatal(s, len(got), err)
		}
	}
}

// BenchmarkPublicCounter reads the counter of /appeals and of
// /api/v1/appeals/counter from the monthly tallies.
func BenchmarkPublicCounter(b *testing.B) {
	bd := benchSetup(b)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		c, err := bd.store.Count(ctx, bd.munID, bd.today)
		if err != nil || c.YearReceived == 0 {
			b.Fatal(c, err)
		}
	}
}

// BenchmarkPublicCounterRecount is the reference the tallies are measured
// against in the same run: the one aggregate over the year's appeals that
// the counter ran before them (from the covering index appeals_registered).
func BenchmarkPublicCounterRecount(b *testing.B) {
	bd := benchSetup(b)
	ctx := context.Background()
	in, closed := closedCondition()
	monthStart := bd.today.String()[:8] + "01"
	args := append(append(append(append([]any{}, closed...), monthStart, monthStart), closed...), bd.munID, bd.today.String()[:5]+"01-01", bd.today.String())
	b.ResetTimer()
	for b.Loop() {
		var year, yearClosed, month, monthClosed int
		if err := bd.d.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN `+in+` THEN 1 ELSE 0 END), 0),
 COALESCE(SUM(CASE WHEN registered_on >= ? THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN registered_on >= ? AND `+in+` THEN 1 ELSE 0 END), 0)
 FROM appeals WHERE municipality_id = ? AND registered_on >= ? AND registered_on <= ?`, args...).Scan(&year, &yearClosed, &month, &monthClosed); err != nil || year == 0 {
			b.Fatal(year, err)
		}
	}
}
