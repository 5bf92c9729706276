package roadmap

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/webtest"
)

// seedPlanWithProgress is the seed, re-dated around fixedNow, as a stored plan.
func seedPlanForBench(b *testing.B) Plan {
	res, err := SeedPlan()
	if err != nil {
		b.Fatal(err)
	}
	r := res.Roadmap.Redate(fixedNow)
	p := Plan{Title: r.Title, ApprovingAct: r.ApprovingAct, PeriodFrom: r.PeriodFrom, PeriodTo: r.PeriodTo}
	for _, m := range r.Mechanisms {
		pm := PlanMechanism{Number: m.Number, Title: m.Title}
		for _, ms := range m.Measures {
			pm.Measures = append(pm.Measures, PlanMeasure{Number: ms.Number, Text: ms.Text, ExpectedResult: ms.ExpectedResult, Indicator: ms.Indicator,
				Schedule: ms.Schedule, Rule: DefaultRule(ms.Number), Units: []Unit{{Name: "Управление делами"}}})
		}
		p.Mechanisms = append(p.Mechanisms, pm)
	}
	return p
}

// benchFacts are n public events spread over the plan's two years, of the
// kinds its rules count.
func benchFacts(n int, from time.Time) []Fact {
	kinds := []events.Kind{events.ActPublished, events.NewsPublished, events.PagePublished, events.ConsultationOpened, events.AppealsReportPublished, events.ExplanationPublished}
	out := make([]Fact, n)
	for i := range out {
		out[i] = Fact{Kind: kinds[i%len(kinds)], Title: fmt.Sprintf("Публикация %d о доступе к информации", i), URL: fmt.Sprintf("/news/%d", i),
			On: from.AddDate(0, 0, i%700)}
	}
	return out
}

// BenchmarkAttach computes the progress of the 33 measures over 10,000 events.
func BenchmarkAttach(b *testing.B) {
	p := seedPlanForBench(b)
	facts := benchFacts(10000, p.PeriodFrom)
	today := Today(fixedNow, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		Attach(&p, facts, today)
	}
}

func benchExport(b *testing.B, write func(w io.Writer, p Plan) error) {
	p := seedPlanForBench(b)
	Attach(&p, benchFacts(2000, p.PeriodFrom), Today(fixedNow, time.UTC))
	b.ReportAllocs()
	for b.Loop() {
		if err := write(io.Discard, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExportXLSX and BenchmarkExportPDF write the seed plan with its marks.
func BenchmarkExportXLSX(b *testing.B) {
	benchExport(b, func(w io.Writer, p Plan) error { return WriteXLSX(w, p, fixedNow) })
}

func BenchmarkExportPDF(b *testing.B) {
	benchExport(b, func(w io.Writer, p Plan) error { return WritePDF(w, p, "Верхняя Пышма", fixedNow) })
}

// BenchmarkPublicPage renders /roadmap/{id} on SQLite with the demo plan and
// 5,000 recorded public events: load, count evidence, render.
func BenchmarkPublicPage(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	env, a := newBenchArea(b, d)
	if err := a.Demo(context.Background(), env.Municipality); err != nil {
		b.Fatal(err)
	}
	plans, _, _ := a.Store.List(context.Background(), env.Municipality.ID, 1, 0)
	from := plans[0].PeriodFrom
	err := d.InTx(context.Background(), func(tx *db.Tx) error {
		for _, f := range benchFacts(5000, from) {
			if err := events.Record(context.Background(), tx, events.Event{MunicipalityID: env.Municipality.ID, Kind: f.Kind, ObjectType: "x", ObjectID: f.URL,
				Title: f.Title, URL: f.URL, OccurredAt: f.On.Add(8 * time.Hour)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(env.Handler())
	defer srv.Close()
	url := fmt.Sprintf("%s/roadmap/%d", srv.URL, plans[0].ID)
	b.ReportAllocs()
	for b.Loop() {
		resp, err := http.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}

func newBenchArea(b *testing.B, d *db.DB) (*webtest.Env, *Area) {
	d.Now = func() time.Time { return fixedNow }
	env := webtest.New(b, d)
	a, err := New(env.Deps(nil))
	if err != nil {
		b.Fatal(err)
	}
	a.Mount(env.Router)
	env.Server() // builds the job queue the mailer needs
	return env, a
}
