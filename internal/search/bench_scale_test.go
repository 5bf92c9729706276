package search

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/tenant"
)

// The demo's --scale N publishes about 101·N acts and 1,000·N comments
// (scale 100: 10,107 acts and 100,008 comments). scaleCorpus indexes as
// many search documents, so the search page can be timed at scale 1 and
// at scale 100 in one run.
func scaleCounts(scale int) (acts, comments int) {
	if scale == 100 {
		return 10_107, 100_008
	}
	return 101 * scale, 1_000 * scale
}

// buildScaleCorpus indexes the acts and comments of one scale in a fresh
// database of its own, so that the smaller index is not slowed by the
// larger one's rows.
func buildScaleCorpus(dialect db.Dialect, base string, scale int) (*db.DB, int64, func(), error) {
	d, cleanup, err := openBenchDB(dialect, base)
	if err != nil {
		return nil, 0, nil, err
	}
	ctx := context.Background()
	m := tenant.Municipality{Slug: "scale", Name: "Городской округ Верхняя Пышма", TimeZone: "Asia/Yekaterinburg"}
	if err := d.InTx(ctx, func(tx *db.Tx) error { return tenant.NewStore(d).Create(ctx, tx, &m) }); err != nil {
		cleanup()
		return nil, 0, nil, err
	}
	acts, comments := scaleCounts(scale)
	g := newGenerator(uint64(scale))
	err = d.InTx(ctx, func(tx *db.Tx) error {
		for i := range acts {
			doc := g.doc(i)
			doc.MunicipalityID, doc.Type, doc.URL = m.ID, "act", fmt.Sprintf("/acts/%d", i)
			if err := Put(ctx, tx, doc); err != nil {
				return err
			}
		}
		// A comment is a resident's few sentences on a draft: everyday
		// words, and now and then the draft's topic.
		for i := range comments {
			doc := g.doc(i)
			body := g.filler()
			if g.r.IntN(3) == 0 {
				body += " " + g.sentence(genTopics[g.r.IntN(len(genTopics))][1])
			}
			doc.MunicipalityID, doc.Type, doc.ObjectID = m.ID, "comment", fmt.Sprint(i)
			doc.Title, doc.Body, doc.URL = "Комментарий к проекту", body, fmt.Sprintf("/consultations/%d#comment-%d", i%97, i)
			if err := Put(ctx, tx, doc); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		if dialect == db.Postgres {
			_, err = d.Exec(ctx, "ANALYZE search_docs")
		} else {
			_, err = d.Exec(ctx, "INSERT INTO search_fts (search_fts) VALUES ('optimize')")
		}
	}
	if err != nil {
		cleanup()
		return nil, 0, nil, err
	}
	return d, m.ID, cleanup, nil
}

// scaleCorpora are built once per engine per run (b.Run calls the
// benchmark body more than once) and dropped by TestMain.
type scaleCorpus struct {
	once         sync.Once
	d1, d100     *db.DB
	mun1, mun100 int64
	c1, c100     func()
	err          error
}

var scaleCorpora = map[db.Dialect]*scaleCorpus{db.SQLite: {}, db.Postgres: {}}

// BenchmarkSearchScale times the search page's query path (Search, as the
// handler calls it: the ranked page of 20, the facets and the total) at
// scale 1 and at scale 100, interleaved query by query so that the load of
// a shared machine falls on both alike, and reports the ratio of the
// medians (the target: ≤ 1.2) and, at scale 100, the ratio of the
// 95th percentiles of Search and of the bare engine query (target ≤ 1.5).
//
//	go test ./internal/search -run '^$' -bench SearchScale -benchtime 400x
func BenchmarkSearchScale(b *testing.B) {
	base := os.Getenv("GLASNOST_TEST_POSTGRES_URL")
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			if dialect == db.Postgres && base == "" {
				b.Skip("PostgreSQL not configured (set GLASNOST_TEST_POSTGRES_URL)")
			}
			sc := scaleCorpora[dialect]
			sc.once.Do(func() {
				start := time.Now()
				if sc.d1, sc.mun1, sc.c1, sc.err = buildScaleCorpus(dialect, base, 1); sc.err == nil {
					sc.d100, sc.mun100, sc.c100, sc.err = buildScaleCorpus(dialect, base, 100)
				}
				b.Logf("%s: indexed scales 1 and 100 in %s", dialect, time.Since(start).Round(time.Millisecond))
			})
			if sc.err != nil {
				b.Fatal(sc.err)
			}
			d1, mun1, d100, mun100 := sc.d1, sc.mun1, sc.d100, sc.mun100
			ctx := context.Background()
			e := engineFor(d100)
			search := func(d *db.DB, mun int64, q string) time.Duration {
				t0 := time.Now()
				r, err := Search(ctx, d, Query{MunicipalityID: mun, Text: q, PerPage: DefaultPerPage})
				if err != nil || len(r.Hits) == 0 {
					b.Fatalf("%q: %v, %d hits", q, err, len(r.Hits))
				}
				return time.Since(t0)
			}
			// Warm both caches before timing.
			for _, q := range benchQueries {
				search(d1, mun1, q)
				search(d100, mun100, q)
			}
			var s1, s100, bare, bare1 []time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				q := benchQueries[i%len(benchQueries)]
				// Alternate which scale goes first, so neither always
				// inherits the other's cache state.
				if i%2 == 0 {
					s1 = append(s1, search(d1, mun1, q))
					s100 = append(s100, search(d100, mun100, q))
				} else {
					s100 = append(s100, search(d100, mun100, q))
					s1 = append(s1, search(d1, mun1, q))
				}
				t0 := time.Now()
				if n, err := e.bare(ctx, d100, plan{query: parseQuery(q), limit: DefaultPerPage}); err != nil || n == 0 {
					b.Fatalf("%q bare: %v, %d", q, err, n)
				}
				bare = append(bare, time.Since(t0))
				// The bare query at scale 1 too: ranking by relevance scores
				// every match, so the floor itself grows with the matches.
				t0 = time.Now()
				if n, err := e.bare(ctx, d1, plan{query: parseQuery(q), limit: DefaultPerPage}); err != nil || n == 0 {
					b.Fatalf("%q bare at scale 1: %v, %d", q, err, n)
				}
				bare1 = append(bare1, time.Since(t0))
			}
			b.StopTimer()
			at := func(ds []time.Duration, pct int) float64 {
				slices.Sort(ds)
				return float64(ds[min(len(ds)-1, len(ds)*pct/100)].Microseconds()) / 1000
			}
			m1, m100 := at(s1, 50), at(s100, 50)
			p100, pb := at(s100, 95), at(bare, 95)
			b.ReportMetric(m1, "scale1-median-ms")
			b.ReportMetric(m100, "scale100-median-ms")
			b.ReportMetric(m100/m1, "scale100/scale1")
			b.ReportMetric(p100, "scale100-p95-ms")
			b.ReportMetric(pb, "bare100-p95-ms")
			b.ReportMetric(p100/pb, "p95/bare")
			b.ReportMetric(at(bare, 50)/at(bare1, 50), "bare100/bare1")
		})
	}
}
