package acts

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/tenant"
)

// The public list's year filter offers the years that have published
// acts, newest first, and its counts take only the public acts of the
// municipality, at the edges of a year too.
func TestPublicListYearsAndCounts(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		env, a := newArea(t, d)
		ac := system(env)
		for i, act := range []Act{
			{Date: "2018-03-07", Status: StatusInForce, Published: true},
			{Date: "2020-01-01", Status: StatusInForce, Published: true},
			{Date: "2020-12-31", Status: StatusRepealed, Published: true},
			{Date: "2021-01-01", Status: StatusAmended, Published: true},
			{Date: "2026-11-30", Status: StatusInForce, Published: true},
			{Date: "2015-06-01", Status: StatusInForce, Published: false}, // not yet published
			{Date: "2024-02-02", Status: StatusDraft, Published: false},
		} {
			act.Kind, act.Number, act.Title = "order", fmt.Sprint(100+i), fmt.Sprint("Постановление ", i)
			saveAct(t, a, ac, act)
		}
		other := tenant.Municipality{Slug: "other", Name: "Другой округ", TimeZone: "Asia/Yekaterinburg"}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return tenant.NewStore(d).Create(ctx, tx, &other) }); err != nil {
			t.Fatal(err)
		}
		saveAct(t, a, Actor{MunicipalityID: other.ID, Name: "тест"}, Act{Kind: "order", Number: "1", Date: "2030-01-01", Title: "Чужое", Status: StatusInForce, Published: true})

		years, err := a.Store.Years(ctx, d, env.Municipality.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := []int{2026, 2021, 2020, 2018}; !slices.Equal(years, want) {
			t.Errorf("years %v, want %v", years, want)
		}
		if years, err := a.Store.Years(ctx, d, 0); err != nil || len(years) != 0 {
			t.Errorf("a municipality without acts: %v, %v", years, err)
		}
		for _, c := range []struct {
			year, want int
		}{{0, 5}, {2020, 2}, {2021, 1}, {2015, 0}, {2024, 0}} {
			list, total, err := a.Store.ListActs(ctx, d, env.Municipality.ID, Filter{PublicOnly: true, Year: c.year}, 20, 0)
			if err != nil {
				t.Fatal(err)
			}
			if total != c.want || len(list) != c.want {
				t.Errorf("year %d: total %d, %d listed, want %d", c.year, total, len(list), c.want)
			}
		}
	})
}

// BenchmarkPublicList times the public list of acts, /acts, with 100 and
// with 10,000 published acts (the demo's scale 1 and scale 100), the two
// interleaved request by request, and reports the ratio of their medians.
//
//	go test ./internal/acts -run '^$' -bench PublicList -benchtime 200x
func BenchmarkPublicList(b *testing.B) {
	ctx := context.Background()
	var handlers [2]http.Handler
	for i, n := range []int{100, 10_000} {
		d := dbtest.Open(b, db.SQLite)
		env, a := newArea(b, d)
		env.Server()
		if err := a.Generate(ctx, env.Municipality, n, 1); err != nil {
			b.Fatal(err)
		}
		handlers[i] = env.Handler()
	}
	var took [2][]time.Duration
	for i := 0; b.Loop(); i++ {
		for j := range 2 {
			k := (i + j) % 2 // which goes first alternates
			rec := httptest.NewRecorder()
			t0 := time.Now()
			handlers[k].ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/acts", nil))
			took[k] = append(took[k], time.Since(t0))
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
		}
	}
	median := func(ds []time.Duration) float64 {
		slices.Sort(ds)
		return float64(ds[len(ds)/2].Microseconds()) / 1000
	}
	m100, m10k := median(took[0]), median(took[1])
	b.ReportMetric(m100, "ms/100-acts")
	b.ReportMetric(m10k, "ms/10000-acts")
	b.ReportMetric(m10k/m100, "ratio")
}
