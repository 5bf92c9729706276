package search

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
)

// BenchmarkSearchP95 times search.Search and the bare engine query for the
// same eight queries, alternately and on the same corpus, and reports the
// 95th percentile of each and their ratio: the target is on p95,
// which ns/op (a mean) does not show.
func BenchmarkSearchP95(b *testing.B) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			d, mun := corpusDB(b, dialect)
			ctx := context.Background()
			e := engineFor(d)
			var full, bare []time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				q := benchQueries[i%len(benchQueries)]
				t0 := time.Now()
				r, err := Search(ctx, d, Query{MunicipalityID: mun, Text: q})
				if err != nil || len(r.Hits) == 0 {
					b.Fatalf("%q: %v, %d hits", q, err, len(r.Hits))
				}
				t1 := time.Now()
				if n, err := e.bare(ctx, d, plan{query: parseQuery(q), limit: DefaultPerPage}); err != nil || n == 0 {
					b.Fatalf("%q bare: %v, %d", q, err, n)
				}
				full, bare = append(full, t1.Sub(t0)), append(bare, time.Since(t1))
			}
			p95 := func(ds []time.Duration) float64 {
				slices.Sort(ds)
				return float64(ds[min(len(ds)-1, len(ds)*95/100)].Microseconds()) / 1000
			}
			fs, bs := p95(full), p95(bare)
			b.ReportMetric(fs, "search-p95-ms")
			b.ReportMetric(bs, "bare-p95-ms")
			b.ReportMetric(fs/bs, "p95-ratio")
		})
	}
}
