package roadmap

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/tenant"
)

// storeFixture is a municipality with the seed's departments.
func storeFixture(t *testing.T, d *db.DB) (tenant.Municipality, []Department) {
	t.Helper()
	ctx := context.Background()
	ts := tenant.NewStore(d)
	m := tenant.Municipality{Slug: "vp", Name: "Верхняя Пышма", TimeZone: "Asia/Yekaterinburg"}
	var depts []Department
	err := d.InTx(ctx, func(tx *db.Tx) error {
		if err := ts.Create(ctx, tx, &m); err != nil {
			return err
		}
		for slug, name := range map[string]string{"affairs": "Управление делами", "press": "Пресс-секретарь", "legal": "Юридический отдел", "economy": "Комитет экономики и муниципального заказа"} {
			id, err := ts.EnsureDepartment(ctx, tx, m.ID, slug, name)
			if err != nil {
				return err
			}
			depts = append(depts, Department{ID: id, Name: name})
		}
		_, err := ts.EnsureSphere(ctx, tx, m.ID, "housing", "ЖКХ")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	m, _ = ts.BySlug(ctx, "vp")
	return m, depts
}

func saveSeed(t *testing.T, d *db.DB, s *Store, munID int64, depts []Department, r Roadmap) int64 {
	t.Helper()
	var id int64
	err := d.InTx(context.Background(), func(tx *db.Tx) error {
		var err error
		id, err = s.SaveImport(context.Background(), tx, munID, r, SaveOptions{SourceName: "seed.txt", Departments: depts}, audit.Entry{Actor: "тест"})
		return err
	})
	if err != nil {
		t.Fatalf("save: %v", err)
	}
	return id
}

func TestStoreRoundTrip(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m, depts := storeFixture(t, d)
		s := &Store{DB: d}
		seed := importSeed(t).Roadmap
		id := saveSeed(t, d, s, m.ID, depts, seed)

		p, err := s.Get(ctx, m.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Title != seed.Title || p.ApprovingAct != seed.ApprovingAct || !p.PeriodFrom.Equal(seed.PeriodFrom) || !p.PeriodTo.Equal(seed.PeriodTo) {
			t.Errorf("head %+v", p)
		}
		n := 0
		for i, mech := range p.Mechanisms {
			want := seed.Mechanisms[i]
			if mech.Number != want.Number || mech.Title != want.Title || len(mech.Measures) != len(want.Measures) {
				t.Fatalf("mechanism %d: %+v", i, mech)
			}
			for j, ms := range mech.Measures {
				w := want.Measures[j]
				n++
				if ms.Number != w.Number || ms.Text != w.Text || ms.ExpectedResult != w.ExpectedResult || ms.Schedule != w.Schedule {
					t.Errorf("measure %s: %+v, want %+v", w.Number, ms.Schedule, w.Schedule)
				}
				if (ms.Indicator == nil) != (w.Indicator == nil) || (w.Indicator != nil && *ms.Indicator != *w.Indicator) {
					t.Errorf("measure %s indicator %+v, want %+v", w.Number, ms.Indicator, w.Indicator)
				}
				if len(ms.Units) != len(w.Responsible) {
					t.Fatalf("measure %s units %+v", w.Number, ms.Units)
				}
				for k, u := range ms.Units {
					if u.Name != w.Responsible[k] {
						t.Errorf("measure %s unit %q, want %q", w.Number, u.Name, w.Responsible[k])
					}
				}
				if len(ms.Rule.Kinds) == 0 {
					t.Errorf("measure %s has no rule", w.Number)
				}
			}
		}
		if n != 33 {
			t.Errorf("%d measures", n)
		}
		// Units map by name: «Управление делами» to its department, «Общественный совет» to none.
		u11 := p.Mechanisms[0].Measures[0].Units[0]
		if u11.Name != "Управление делами" || u11.Department != "Управление делами" || u11.DepartmentID == 0 {
			t.Errorf("1.1 unit %+v", u11)
		}
		u56 := p.Mechanisms[4].Measures[5].Units[0]
		if u56.Name != "Общественный совет" || u56.DepartmentID != 0 {
			t.Errorf("5.6 unit %+v", u56)
		}

		plans, total, err := s.List(ctx, m.ID, 10, 0)
		if err != nil || total != 1 || len(plans) != 1 || plans[0].ID != id || plans[0].Mechanisms != nil {
			t.Fatalf("List: %v %d %+v", err, total, plans)
		}
		if _, err := s.Get(ctx, m.ID+1000, id); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("another municipality's roadmap: %v", err)
		}
		if got, err := s.FindByTitle(ctx, d, m.ID, seed.Title); err != nil || got != id {
			t.Errorf("FindByTitle: %d %v", got, err)
		}

		// The import wrote its audit record and its search entry.
		recs, _, err := audit.List(ctx, d, m.ID, audit.Filter{Entity: "roadmap"}, 10, 0)
		if err != nil || len(recs) != 1 || recs[0].Action != "roadmap.import" {
			t.Errorf("audit: %v %+v", err, recs)
		}
		var indexed int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM search_docs WHERE municipality_id = ? AND type = 'roadmap'`, m.ID).Scan(&indexed); err != nil || indexed != 1 {
			t.Errorf("search entry: %v %d", err, indexed)
		}

		// Unit mapping is corrected per name across the roadmap.
		maps, err := s.UnitMappings(ctx, m.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		var affairs UnitMapping
		for _, u := range maps {
			if u.Name == "Управление делами" {
				affairs = u
			}
		}
		if affairs.Measures != 14 || affairs.DepartmentID == 0 {
			t.Errorf("Управление делами: %+v", affairs)
		}
		press := depts[0].ID
		for _, dp := range depts {
			if dp.Name == "Пресс-секретарь" {
				press = dp.ID
			}
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			return s.MapUnit(ctx, tx, m.ID, id, "Общественный совет", press)
		}); err != nil {
			t.Fatal(err)
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			return s.MapUnit(ctx, tx, m.ID, id, "Общественный совет", 99999)
		}); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("map to a missing department: %v", err)
		}
		ms, err := s.Measure(ctx, m.ID, p.Mechanisms[4].Measures[5].ID)
		if err != nil || ms.Units[0].DepartmentID != press {
			t.Errorf("after MapUnit: %v %+v", err, ms.Units)
		}

		// A schedule and rule set by hand.
		ms.Schedule, ms.ScheduleManual = ParseSchedule("Ежеквартально"), true
		ms.Schedule.From, ms.Schedule.To = p.PeriodFrom, p.PeriodTo
		ms.Rule = Rule{Kinds: []events.Kind{events.CouncilEvaluationPublished}, Spheres: []string{"housing"}, Words: []string{"оценк"}, Count: 2}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return s.UpdateMeasure(ctx, tx, m.ID, ms) }); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Measure(ctx, m.ID, ms.ID)
		if got.Schedule != ms.Schedule || !got.ScheduleManual || got.Rule.Count != 2 || got.Rule.Spheres[0] != "housing" || got.Rule.Words[0] != "оценк" {
			t.Errorf("UpdateMeasure: %+v", got)
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return s.UpdateMeasure(ctx, tx, m.ID+1000, ms) }); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("update another municipality's measure: %v", err)
		}

		// Links.
		l := Link{MeasureID: ms.ID, Title: "Оценка", URL: "/council/1", DoneOn: on("2019-05-01")}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return s.AddLink(ctx, tx, m.ID, 0, &l) }); err != nil || l.ID == 0 {
			t.Fatalf("AddLink: %v", err)
		}
		got, _ = s.Measure(ctx, m.ID, ms.ID)
		if len(got.Links) != 1 || got.Links[0].Title != "Оценка" || !got.Links[0].DoneOn.Equal(on("2019-05-01")) {
			t.Errorf("links %+v", got.Links)
		}
		if _, err := s.Link(ctx, d, m.ID+1000, l.ID); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("another municipality's link: %v", err)
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return s.DeleteLink(ctx, tx, m.ID, l.ID) }); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Measure(ctx, m.ID, ms.ID)
		if len(got.Links) != 0 {
			t.Errorf("link not deleted")
		}

		// Delete removes everything.
		if err := d.InTx(ctx, func(tx *db.Tx) error { return s.Delete(ctx, tx, m.ID, id) }); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(ctx, m.ID, id); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("deleted roadmap: %v", err)
		}
		var left int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM roadmap_units`).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left != 0 {
			t.Errorf("%d units left after delete", left)
		}
	})
}

func TestProgressFromEvents(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m, depts := storeFixture(t, d)
		s := &Store{DB: d}
		id := saveSeed(t, d, s, m.ID, depts, importSeed(t).Roadmap)
		at := func(date string) time.Time {
			t0, _ := time.ParseInLocation(time.DateOnly, date, m.Location)
			return t0.Add(10 * time.Hour).UTC()
		}
		err := d.InTx(ctx, func(tx *db.Tx) error {
			for _, e := range []events.Event{
				{Kind: "appeals_report.published", Title: "Отчёт за 1 квартал 2018 года", URL: "/appeals/reports/2018-1", OccurredAt: at("2018-03-30")},
				{Kind: "appeals_report.published", Title: "Отчёт за 2 квартал 2018 года", URL: "/appeals/reports/2018-2", OccurredAt: at("2018-06-29")},
				{Kind: "act.published", Title: "Об обеспечении доступа к информации о деятельности администрации", URL: "/acts/1", OccurredAt: at("2018-10-15")},
				{Kind: "act.published", Title: "О бюджете на 2019 год", URL: "/acts/2", OccurredAt: at("2018-10-16")},
				{Kind: "explanation.published", Title: "Пояснение 1", URL: "/acts/1#e1", OccurredAt: at("2018-02-01")},
				{Kind: "explanation.published", Title: "Пояснение 2", URL: "/acts/1#e2", OccurredAt: at("2018-03-01")},
			} {
				e.MunicipalityID, e.ObjectType, e.ObjectID = m.ID, "x", e.URL
				if err := events.Record(ctx, tx, e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.Progress(ctx, m.ID, id, m.Location, on("2018-11-20"))
		if err != nil {
			t.Fatal(err)
		}
		byNumber := map[string]PlanMeasure{}
		for _, mech := range p.Mechanisms {
			for _, ms := range mech.Measures {
				byNumber[ms.Number] = ms
			}
		}
		if ms := byNumber["1.1"]; ms.Progress.Status != StatusDone || len(ms.Evidence) != 1 || ms.Evidence[0].URL != "/acts/1" {
			t.Errorf("1.1: %s %+v", ms.Progress.Status, ms.Evidence)
		}
		// 9.2: Q1 and Q2 done, Q3 missed, Q4 running: overdue, 2 of 3.
		if ms := byNumber["9.2"]; ms.Progress.Status != StatusOverdue || len(ms.Progress.Periods) != 4 || ms.Progress.Compliance < 0.66 || ms.Progress.Compliance > 0.67 {
			t.Errorf("9.2: %s %v %+v", ms.Progress.Status, ms.Progress.Compliance, ms.Progress.Periods)
		}
		// 3.1 needs five explanations within 2018: two so far.
		if ms := byNumber["3.1"]; ms.Progress.Status != StatusProgress || ms.Progress.Count != 2 || ms.Progress.Required != 5 {
			t.Errorf("3.1: %+v", ms.Progress)
		}
		if ms := byNumber["6.1"]; ms.Progress.Status != StatusOverdue {
			t.Errorf("6.1: %s", ms.Progress.Status)
		}
		if ms := byNumber["5.5"]; ms.Progress.Status != StatusPending {
			t.Errorf("5.5: %s", ms.Progress.Status)
		}
		if p.Tally.Total != 33 {
			t.Errorf("tally %+v", p.Tally)
		}
	})
}

func TestCriteriaAndAssessments(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m, depts := storeFixture(t, d)
		s := &Store{DB: d}
		id := saveSeed(t, d, s, m.ID, depts, importSeed(t).Roadmap)
		for range 2 { // idempotent
			if err := d.InTx(ctx, func(tx *db.Tx) error { return s.EnsureCriteria(ctx, tx, m.ID) }); err != nil {
				t.Fatal(err)
			}
		}
		crit, err := s.Criteria(ctx, m.ID, false)
		if err != nil || len(crit) != len(DefaultCriteria) {
			t.Fatalf("criteria: %v %d", err, len(crit))
		}
		p, _ := s.Get(ctx, m.ID, id)
		mech := p.Mechanisms[0].ID
		x := Assessment{MechanismID: mech, Year: 2018, Stage: 2, Note: "Первый год"}
		for _, c := range crit {
			x.Answers = append(x.Answers, Answer{CriterionID: c.ID, Value: ValuePartly, Weight: c.Weight})
		}
		var before Assessment
		if err := d.InTx(ctx, func(tx *db.Tx) error { before, err = s.SaveAssessment(ctx, tx, m.ID, &x); return err }); err != nil {
			t.Fatal(err)
		}
		if before.ID != 0 || x.Score != 50 || x.ID == 0 {
			t.Errorf("first save: before %+v, score %d", before, x.Score)
		}
		// A weight changes; the 2018 score keeps the weights it was given with.
		c0 := crit[0]
		c0.Weight = 10
		if err := d.InTx(ctx, func(tx *db.Tx) error { return s.SaveCriterion(ctx, tx, m.ID, &c0) }); err != nil {
			t.Fatal(err)
		}
		y := Assessment{MechanismID: mech, Year: 2019, Stage: 3}
		for i, c := range crit {
			v := ValueNo
			if i == 0 {
				v = ValueYes
			}
			w := c.Weight
			if i == 0 {
				w = 10
			}
			y.Answers = append(y.Answers, Answer{CriterionID: c.ID, Value: v, Weight: w})
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error { _, err := s.SaveAssessment(ctx, tx, m.ID, &y); return err }); err != nil {
			t.Fatal(err)
		}
		// Saving 2018 again replaces it.
		x.Stage, x.Answers = 3, x.Answers[:2]
		if err := d.InTx(ctx, func(tx *db.Tx) error { before, err = s.SaveAssessment(ctx, tx, m.ID, &x); return err }); err != nil {
			t.Fatal(err)
		}
		if before.Stage != 2 || before.Score != 50 {
			t.Errorf("before %+v", before)
		}
		as, err := s.Assessments(ctx, m.ID, id)
		if err != nil || len(as) != 2 {
			t.Fatalf("assessments: %v %+v", err, as)
		}
		if as[0].Year != 2018 || as[0].Stage != 3 || len(as[0].Answers) != 2 || as[1].Year != 2019 || as[1].Score != Score(y.Answers) {
			t.Errorf("assessments %+v", as)
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			_, err := s.SaveAssessment(ctx, tx, m.ID+1000, &Assessment{MechanismID: mech, Year: 2020, Stage: 1})
			return err
		}); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("another municipality's mechanism: %v", err)
		}
		c1 := Criterion{Title: "Новый", Weight: 1, Position: 9, Retired: true}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return s.SaveCriterion(ctx, tx, m.ID, &c1) }); err != nil {
			t.Fatal(err)
		}
		active, _ := s.Criteria(ctx, m.ID, false)
		all, _ := s.Criteria(ctx, m.ID, true)
		if len(active) != len(DefaultCriteria) || len(all) != len(DefaultCriteria)+1 {
			t.Errorf("active %d, all %d", len(active), len(all))
		}
	})
}

// Facts reads page after page; events sharing the boundary instant are
// neither lost nor counted twice.
func TestFactsReadsEveryPage(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m, _ := storeFixture(t, d)
		defer func(n int) { factsPage = n }(factsPage)
		factsPage = 3
		base := time.Date(2026, 3, 1, 5, 0, 0, 0, time.UTC)
		offsets := []int{0, 1, 2, 2, 2, 3, 4} // three events at the third instant straddle the first page
		err := d.InTx(ctx, func(tx *db.Tx) error {
			for i, h := range offsets {
				if err := events.Record(ctx, tx, events.Event{MunicipalityID: m.ID, Kind: "news.published", ObjectType: "news", ObjectID: fmt.Sprint(i),
					Title: fmt.Sprintf("Новость %d", i), URL: fmt.Sprintf("/news/%d", i), OccurredAt: base.Add(time.Duration(h) * time.Hour)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		p := Plan{MunicipalityID: m.ID, PeriodFrom: on("2026-01-01"), Mechanisms: []PlanMechanism{{Measures: []PlanMeasure{{Rule: Rule{Kinds: []events.Kind{events.NewsPublished}}}}}}}
		facts, err := Facts(ctx, d, &p, m.Location, on("2026-11-29"))
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, f := range facts {
			seen[f.URL]++
		}
		if len(facts) != len(offsets) || len(seen) != len(offsets) {
			t.Errorf("%d facts, %d distinct; want %d", len(facts), len(seen), len(offsets))
		}
	})
}
