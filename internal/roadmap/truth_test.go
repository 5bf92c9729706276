package roadmap

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/webtest"
)

// Each default rule counts the thing its measure is about and nothing else.
func TestDefaultRulesCountOnlyTheirOwnEvidence(t *testing.T) {
	tests := []struct {
		number    string
		counts    []events.Kind // kinds that must count
		notCounts []events.Kind // related kinds that must not
	}{
		{"6.3", []events.Kind{events.GroupsInformed}, []events.Kind{events.ConsultationOpened, events.ConsultationStageChanged, events.GroupsRegistryPublished}},
		{"9.1", []events.Kind{events.HotlineCallLogged}, []events.Kind{events.AppealsReportPublished}},
		{"9.2", []events.Kind{events.AppealsReportPublished}, []events.Kind{events.HotlineCallLogged}},
		{"10.2", []events.Kind{events.MediaWeekControlled}, []events.Kind{events.NewsPublished, events.MediaDigestPublished, events.PagePublished}},
		{"4.2", []events.Kind{events.ConsultationOpened}, []events.Kind{events.ExpertiseOpened, events.DeclarationPublished, events.ActPublished}},
		{"8.1", []events.Kind{events.ExpertiseOpened, events.ExpertiseConclusionPublished}, []events.Kind{events.ConsultationOpened}},
		{"2.2", []events.Kind{events.SurveyPublished}, []events.Kind{events.PagePublished, events.NewsPublished}},
		{"2.1", []events.Kind{events.DatasetPublished}, []events.Kind{events.PagePublished, events.NewsPublished}},
	}
	for _, tt := range tests {
		r := DefaultRule(tt.number)
		for _, k := range tt.counts {
			if !r.Matches(k, "", nil) {
				t.Errorf("%s does not count %s", tt.number, k)
			}
		}
		for _, k := range tt.notCounts {
			if r.Matches(k, "", nil) {
				t.Errorf("%s counts %s", tt.number, k)
			}
		}
	}
	// Every kind a default rule names is declared.
	for n, r := range DefaultRules {
		for _, k := range slices.Concat(r.Kinds, r.Except) {
			if !events.Known(k) {
				t.Errorf("%s names the undeclared kind %s", n, k)
			}
		}
	}
}

// 4.2 counts a public discussion opened, not an expertise or a declaration
// opened through the same consultation machinery; read from the events
// table on both engines.
func TestDiscussionsExcludeExpertiseAndDeclarations(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env := webtest.New(t, d)
		ctx := context.Background()
		m := env.Municipality
		at := time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)
		record := func(kind events.Kind, id, title string) {
			if err := d.InTx(ctx, func(tx *db.Tx) error {
				return events.Record(ctx, tx, events.Event{MunicipalityID: m.ID, Kind: kind, ObjectType: "consultation", ObjectID: id, Title: title, URL: "/consultations/" + id, OccurredAt: at})
			}); err != nil {
				t.Fatal(err)
			}
		}
		record(events.ConsultationOpened, "1", "Проект правил благоустройства")
		record(events.ConsultationOpened, "2", "Проект положения (экспертиза)")
		record(events.ExpertiseOpened, "2", "Проект положения (экспертиза)")
		record(events.ConsultationOpened, "3", "Декларация целей")
		record(events.DeclarationPublished, "3", "Декларация целей")
		record(events.ConsultationOpened, "4", "Проект схемы размещения НТО")

		p := Plan{MunicipalityID: m.ID, PeriodFrom: on("2026-01-01"), PeriodTo: on("2027-12-31"), Mechanisms: []PlanMechanism{{Number: 4, Measures: []PlanMeasure{
			{Number: "4.2", Schedule: ParseSchedule("Постоянно"), Rule: DefaultRule("4.2")},
			{Number: "8.1", Schedule: ParseSchedule("Постоянно"), Rule: DefaultRule("8.1")},
		}}}}
		today := on("2026-11-29")
		facts, err := Facts(ctx, d, &p, time.UTC, today)
		if err != nil {
			t.Fatal(err)
		}
		Attach(&p, facts, today)
		var got []string
		for _, e := range p.Mechanisms[0].Measures[0].Evidence {
			got = append(got, e.URL)
		}
		slices.Sort(got)
		if want := []string{"/consultations/1", "/consultations/4"}; !slices.Equal(got, want) {
			t.Errorf("4.2 evidence %v, want %v", got, want)
		}
		if n := len(p.Mechanisms[0].Measures[1].Evidence); n != 1 {
			t.Errorf("8.1 evidence %d, want 1", n)
		}
	})
}

// A measure whose evidence no mounted area writes shows «в портале пока нет
// инструмента», never «просрочено» or a false «выполнено».
func TestMeasureWithoutTool(t *testing.T) {
	today := on("2026-11-29")
	past := ParseSchedule("До 01.11.2026 года")
	council := Rule{Kinds: []events.Kind{events.CouncilOpenMeetingHeld}}
	reports := Rule{Kinds: []events.Kind{events.AppealsReportPublished}}
	link := []Link{{ID: 1, Title: "Протокол заседания", URL: "https://example.ru/p.pdf", DoneOn: on("2026-10-01")}}
	tools := map[events.Kind]bool{events.AppealsReportPublished: true}
	tests := []struct {
		name  string
		rule  Rule
		links []Link
		tools map[events.Kind]bool
		facts []Fact
		want  Status
	}{
		{"no tool, nothing done, deadline passed", council, nil, tools, nil, StatusNoTool},
		{"no tool, a stray event of its kind", council, nil, tools, []Fact{{Kind: events.CouncilOpenMeetingHeld, Title: "x", On: on("2026-10-01")}}, StatusNoTool},
		{"no tool, a person linked the proof", council, link, tools, nil, StatusDone},
		{"tool exists, nothing done", reports, nil, tools, nil, StatusOverdue},
		{"tool exists, done", reports, nil, tools, []Fact{{Kind: events.AppealsReportPublished, Title: "Отчёт", On: on("2026-10-01")}}, StatusDone},
		{"links only (empty rule), nothing done", Rule{}, nil, tools, nil, StatusOverdue},
		{"tools unknown", council, nil, nil, nil, StatusOverdue},
	}
	for _, tt := range tests {
		p := Plan{PeriodFrom: on("2026-01-01"), Tools: tt.tools, Mechanisms: []PlanMechanism{{Number: 5, Measures: []PlanMeasure{
			{Number: "5.7", Schedule: past, Rule: tt.rule, Links: tt.links}}}}}
		Attach(&p, tt.facts, today)
		ms := p.Mechanisms[0].Measures[0]
		if ms.Progress.Status != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, ms.Progress.Status, tt.want)
		}
		if p.Tally.Of(tt.want) != 1 {
			t.Errorf("%s: tally %+v", tt.name, p.Tally)
		}
	}
	if StatusNoTool.Label() != "в портале пока нет инструмента" {
		t.Errorf("label %q", StatusNoTool.Label())
	}
}

// A plan entered after its period ended counts no later publication and
// shows «нет сведений», not «просрочено» or a late «выполнено».
func TestArchivePlan(t *testing.T) {
	today := on("2026-11-29")
	deadline := ParseSchedule("До 01.11.2018 года")
	rule := Rule{Kinds: []events.Kind{events.PagePublished}}
	tests := []struct {
		name    string
		created time.Time
		facts   []Fact
		links   []Link
		want    Status
	}{
		{"entered after its period, nothing known", on("2026-11-01"), nil, nil, StatusNoData},
		{"entered after its period, a later page does not count", on("2026-11-01"), []Fact{{Kind: events.PagePublished, Title: "Раздел", On: on("2026-10-01")}}, nil, StatusNoData},
		{"entered after its period, a staff link proves it", on("2026-11-01"), nil, []Link{{ID: 1, Title: "Распоряжение", DoneOn: on("2018-10-01")}}, StatusDone},
		{"entered during its period, nothing done", on("2018-02-01"), nil, nil, StatusOverdue},
	}
	for _, tt := range tests {
		p := Plan{PeriodFrom: on("2018-01-01"), PeriodTo: on("2019-12-31"), CreatedAt: tt.created, Mechanisms: []PlanMechanism{{Number: 1, Measures: []PlanMeasure{
			{Number: "1.2", Schedule: deadline, Rule: rule, Links: tt.links}}}}}
		Attach(&p, tt.facts, today)
		if got := p.Mechanisms[0].Measures[0].Progress.Status; got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

// The demo loads order No. 118 with its own dates and a second, invented
// plan for the present; the official plan's page says what the portal
// knows of it.
func TestDemoKeepsOrder118Dates(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		demo := loadDemo(t, env, a)
		plans, _, err := a.Store.List(context.Background(), env.Municipality.ID, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		official := plans[1]
		if official.ApprovingAct != "распоряжением администрации городского округа Верхняя Пышма от 07.03.2018 № 118" ||
			official.PeriodFrom.Year() != 2018 || official.PeriodTo.Year() > 2019 {
			t.Errorf("order No. 118: %q %v – %v", official.ApprovingAct, official.PeriodFrom, official.PeriodTo)
		}
		if demo.ApprovingAct != "" || !strings.Contains(demo.Title, "вымышленный") || demo.PeriodFrom.Year() != 2026 {
			t.Errorf("demo plan: %q %q %v", demo.Title, demo.ApprovingAct, demo.PeriodFrom)
		}
		r := env.Anonymous().Get(fmt.Sprintf("/roadmap/%d", official.ID))
		if r.Status != http.StatusOK {
			t.Fatalf("official plan page: %d", r.Status)
		}
		for _, want := range []string{"от 07.03.2018 № 118", "Период исполнения: 01.01.2018", "после окончания периода исполнения", "нет сведений об исполнении"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("official plan page lacks %q", want)
			}
		}
		for _, bad := range []string{"2026 — ", "До 01.11.2026"} {
			if strings.Contains(r.Body, bad) {
				t.Errorf("official plan page shows %q", bad)
			}
		}
		p, err := a.Store.Progress(context.Background(), env.Municipality.ID, official.ID, env.Municipality.Location, Today(d.Now(), env.Municipality.Location))
		if err != nil {
			t.Fatal(err)
		}
		if p.Tally.Of(StatusDone) != 0 || p.Tally.Of(StatusOverdue) != 0 || p.Tally.Of(StatusNoData) != 33 {
			t.Errorf("official plan tally %+v", p.Tally.Counts)
		}
	})
}
