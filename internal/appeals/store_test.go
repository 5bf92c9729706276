package appeals

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/webtest"
)

func setup(t *testing.T, d *db.DB) (*webtest.Env, *Area) {
	t.Helper()
	env := webtest.New(t, d)
	a, err := New(env.Deps(nil))
	if err != nil {
		t.Fatal(err)
	}
	a.Mount(env.Router)
	topics, err := ParseClassifier(strings.NewReader(string(demoClassifier)))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.InTx(context.Background(), func(tx *db.Tx) error {
		_, err := a.store.ImportTopics(context.Background(), tx, env.Municipality.ID, topics)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return env, a
}

func paper(a *Area, env *webtest.Env, last string, registered deadline.Date) NewAppeal {
	return NewAppeal{Channel: "written", Kind: "complaint", ReceivedOn: registered, RegisteredOn: registered,
		Author: Author{LastName: last, FirstName: "Иван", Email: strings.ToLower(translit(last)) + "@example.ru", Phone: "+7 912 000-00-01"},
		Text:   "Прошу отремонтировать дорогу.", QuestionCode: "0003.0009.0098.0720"}
}

func TestRegistrationNumbersUnderConcurrency(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server() // builds the job queue that mail is queued on
		ctx := context.Background()
		today := a.Today(env.Municipality)
		const n = 24
		numbers := make(chan string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ap, err := a.Register(ctx, env.Municipality, paper(a, env, fmt.Sprintf("Иванов%d", i), today), Actor{Name: "op@test.ru", Staff: true}, false)
				if err != nil {
					t.Error(err)
					return
				}
				numbers <- ap.Number
			}()
		}
		wg.Wait()
		close(numbers)
		seen := map[string]bool{}
		for num := range numbers {
			if seen[num] {
				t.Errorf("number %s given twice", num)
			}
			seen[num] = true
		}
		for i := 1; i <= n; i++ {
			want, _ := DefaultNumberFormat.Format(today.Year, i)
			if !seen[want] {
				t.Errorf("number %s missing: the sequence has a gap", want)
			}
		}
		// Each year has its own sequence.
		last := deadline.NewDate(today.Year-1, 12, 30)
		ap, err := a.Register(ctx, env.Municipality, paper(a, env, "Петров", last), Actor{Staff: true}, false)
		if err != nil {
			t.Fatal(err)
		}
		if want, _ := DefaultNumberFormat.Format(today.Year-1, 1); ap.Number != want {
			t.Errorf("first number of last year: %s, want %s", ap.Number, want)
		}
	})
}

func TestLookup(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server() // builds the job queue that mail is queued on
		ctx := context.Background()
		today := a.Today(env.Municipality)
		in := paper(a, env, "Фёдорова", today)
		in.Author.Email, in.Author.Phone = "Fedorova@Example.RU", "+7 (343) 555-01-02"
		ap, err := a.Register(ctx, env.Municipality, in, Actor{Staff: true}, false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Register(ctx, env.Municipality, paper(a, env, "Смирнов", today), Actor{Staff: true}, false); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{ap.Number, "федорова", "ФЕДОРОВА Анна", "fedorova@example.ru", "8 343 5550102", "3435550102"} {
			got, err := a.store.Lookup(ctx, env.Municipality.ID, q, 20)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Number != ap.Number {
				t.Errorf("Lookup(%q) found %d appeals", q, len(got))
			}
		}
		if got, _ := a.store.Lookup(ctx, env.Municipality.ID, "Сидоров", 20); len(got) != 0 {
			t.Errorf("unknown surname found %d", len(got))
		}
	})
}

func TestImportTopicsReimport(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env := webtest.New(t, d)
		s := &Store{DB: d}
		ctx := context.Background()
		imp := func(csv string) ImportResult {
			topics, err := ParseClassifier(strings.NewReader(csv))
			if err != nil {
				t.Fatal(err)
			}
			var res ImportResult
			if err := d.InTx(ctx, func(tx *db.Tx) error {
				res, err = s.ImportTopics(ctx, tx, env.Municipality.ID, topics)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return res
		}
		if r := imp("0005;Жилищно-коммунальная сфера\n0005.0005;Жилище\n0005.0005.0056;ЖКХ\n"); r != (ImportResult{Added: 3}) {
			t.Errorf("first import: %+v", r)
		}
		if r := imp("0005;Жилищно-коммунальная сфера\n0005.0005;Жилище (ред. 2026)\n0004;Оборона\n"); r != (ImportResult{Added: 1, Updated: 1, Deactivated: 1}) {
			t.Errorf("re-import: %+v", r)
		}
		if r := imp("0005;Жилищно-коммунальная сфера\n0005.0005;Жилище (ред. 2026)\n0004;Оборона\n"); r != (ImportResult{}) {
			t.Errorf("same edition again changes nothing: %+v", r)
		}
		topics, err := s.Topics(ctx, env.Municipality.ID)
		if err != nil || len(topics) != 3 || topics[2].Title != "Жилище (ред. 2026)" {
			t.Errorf("active classifier: %+v, %v", topics, err)
		}
		if ok, _ := s.TopicExists(ctx, env.Municipality.ID, "0005.0005.0056"); ok {
			t.Error("a code missing from the new edition must not be offered")
		}
	})
}

func TestReportAggregatesAndCounter(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server() // builds the job queue that mail is queued on
		ctx := context.Background()
		m := env.Municipality
		today := a.Today(m)
		from, to := QuarterOf(today)
		prevFrom, _ := PreviousQuarter(today)
		staff := Actor{Name: "op@test.ru", Staff: true}
		role := func(Appeal) Role { return Role{Operator: true, Head: true, Department: true} }
		reg := func(last, channel, kind, q string, on deadline.Date) Appeal {
			in := paper(a, env, last, on)
			in.Channel, in.Kind, in.QuestionCode = channel, kind, q
			ap, err := a.Register(ctx, m, in, staff, false)
			if err != nil {
				t.Fatal(err)
			}
			return ap
		}
		// Three in this quarter, one in the previous one.
		a1 := reg("Орлов", "written", "complaint", "0003.0009.0098.0720", from)
		reg("Орлова", "electronic", "proposal", "0003.0009.0098.0720", from)
		reg("Волков", "oral", "statement", "0005.0005.0056.1154", from)
		reg("Зайцев", "written", "complaint", "0005.0005.0056.1154", prevFrom)
		for _, st := range []Step{
			{Action: ActAssign, DepartmentID: env.Departments["housing"]},
			{Action: ActDraft, Answer: "Дорога будет отремонтирована в мае.", Result: "supported_measures"},
			{Action: ActApprove},
			{Action: ActAnswer},
		} {
			if _, err := a.Apply(ctx, m, a1.Number, st, staff, role); err != nil {
				t.Fatalf("%s: %v", st.Action, err)
			}
		}
		r, err := a.store.MakeReport(ctx, m.ID, from, to, today)
		if err != nil {
			t.Fatal(err)
		}
		if r.Total != 3 || r.PrevTotal != 1 || r.Answered != 1 || r.Pending != 2 || r.TotalChange() != "+2" {
			t.Errorf("totals: %+v", r)
		}
		rows := func(rs []Row) string {
			var out []string
			for _, x := range rs {
				out = append(out, fmt.Sprintf("%s=%d/%d", x.Key, x.Count, x.Prev))
			}
			return strings.Join(out, " ")
		}
		if got := rows(r.ByChannel); got != "electronic=1/0 written=1/1 oral=1/0" {
			t.Errorf("by channel: %s", got)
		}
		if got := rows(r.BySection); got != "0003=2/0 0005=1/1" {
			t.Errorf("by section: %s", got)
		}
		if r.BySection[0].Label != "0003 Экономика" {
			t.Errorf("section label: %q", r.BySection[0].Label)
		}
		if got := rows(r.ByTopic); got != "0003.0009.0098=2/0 0005.0005.0056=1/1" {
			t.Errorf("by topic: %s", got)
		}
		if got := rows(r.ByResult); got != "=2/1 supported_measures=1/0" {
			t.Errorf("by result: %s", got)
		}
		if r.ByDepartment[len(r.ByDepartment)-1].Label != "Управление ЖКХ" {
			t.Errorf("by department: %+v", r.ByDepartment)
		}
		text := ReportText(r)
		for _, personal := range []string{"Орлов", "Прошу", "@example.ru", a1.Number} {
			if strings.Contains(text, personal) {
				t.Errorf("report text holds personal data %q", personal)
			}
		}
		c, err := a.store.Count(ctx, m.ID, today)
		if err != nil {
			t.Fatal(err)
		}
		wantYear := 3
		if prevFrom.Year == today.Year {
			wantYear = 4
		}
		if c.YearReceived != wantYear || c.YearAnswered != 1 || c.YearInProgress != wantYear-1 {
			t.Errorf("counter: %+v", c)
		}
		if from.Month == today.Month && (c.MonthReceived != 3 || c.MonthAnswered != 1 || c.MonthInProgress != 2) {
			t.Errorf("month counter: %+v", c)
		}
		if _, err := a.store.MakeReport(ctx, m.ID, to, from, today); err != ErrPeriod {
			t.Errorf("inverted period: %v", err)
		}
	})
}
