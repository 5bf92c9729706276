package roadmap

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/events"
	"github.com/xuri/excelize/v2"
)

func dates(ds ...string) []time.Time {
	var out []time.Time
	for _, d := range ds {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			panic(err)
		}
		out = append(out, t)
	}
	return out
}

func on(s string) time.Time { return dates(s)[0] }

func TestEvaluate(t *testing.T) {
	deadline := ParseSchedule("До 01.11.2026 года")
	period := ParseSchedule("4 квартал 2026 года")
	quarterly := Schedule{Kind: ScheduleRecurring, Every: Quarterly, From: on("2026-01-01"), To: on("2027-12-31"), Text: "Ежеквартально"}
	continuous := Schedule{Kind: ScheduleRecurring, Every: Continuous, From: on("2026-01-01"), To: on("2027-12-31"), Text: "Постоянно"}
	onDemand := Schedule{Kind: ScheduleRecurring, Every: OnDemand, From: on("2026-01-01"), To: on("2027-12-31"), Text: "По мере поступления"}
	weekly := Schedule{Kind: ScheduleRecurring, Every: Weekly, From: on("2026-11-02"), To: on("2027-12-31"), Text: "Еженедельно"}
	unparsed := ParseSchedule("по согласованию")

	tests := []struct {
		name       string
		s          Schedule
		required   int
		evidence   []time.Time
		today      string
		want       Status
		late       bool
		compliance float64
		periods    int
	}{
		{"deadline ahead, nothing yet", deadline, 1, nil, "2026-10-01", StatusProgress, false, -1, 0},
		{"deadline ahead, done", deadline, 1, dates("2026-09-20"), "2026-10-01", StatusDone, false, -1, 0},
		{"deadline passed, nothing", deadline, 1, nil, "2026-11-02", StatusOverdue, false, -1, 0},
		{"deadline day itself still in time", deadline, 1, nil, "2026-11-01", StatusProgress, false, -1, 0},
		{"deadline passed, done late", deadline, 1, dates("2026-11-10"), "2026-11-20", StatusDone, true, -1, 0},
		{"deadline, evidence after today ignored", deadline, 1, dates("2026-12-10"), "2026-11-20", StatusOverdue, false, -1, 0},
		{"deadline needs five, has three", deadline, 5, dates("2026-01-10", "2026-02-10", "2026-03-10"), "2026-06-01", StatusProgress, false, -1, 0},
		{"period not begun", period, 1, nil, "2026-09-30", StatusPending, false, -1, 0},
		{"period running", period, 1, nil, "2026-10-01", StatusProgress, false, -1, 0},
		{"period done inside", period, 1, dates("2026-10-15"), "2026-11-01", StatusDone, false, -1, 0},
		{"period evidence before it does not count", period, 1, dates("2026-09-15"), "2026-11-01", StatusProgress, false, -1, 0},
		{"period ended without", period, 1, nil, "2027-01-01", StatusOverdue, false, -1, 0},
		{"quarterly before start", quarterly, 1, nil, "2025-12-31", StatusPending, false, -1, 0},
		{"quarterly first quarter running", quarterly, 1, nil, "2026-02-01", StatusProgress, false, -1, 1},
		{"quarterly all ended done", quarterly, 1, dates("2026-03-20", "2026-06-20", "2026-09-20"), "2026-11-29", StatusProgress, false, 1, 4},
		{"quarterly one missed earlier", quarterly, 1, dates("2026-03-20", "2026-09-20"), "2026-11-29", StatusProgress, false, 2.0 / 3, 4},
		{"quarterly last ended missed", quarterly, 1, dates("2026-03-20", "2026-06-20"), "2026-11-29", StatusOverdue, false, 2.0 / 3, 4},
		{"quarterly running done counts in share", quarterly, 1, dates("2026-03-20", "2026-06-20", "2026-09-20", "2026-10-05"), "2026-11-29", StatusProgress, false, 1, 4},
		{"quarterly over, every quarter done", quarterly, 1, dates("2026-03-20", "2026-06-20", "2026-09-20", "2026-12-20", "2027-03-20", "2027-06-20", "2027-09-20", "2027-12-20"), "2028-01-10", StatusDone, false, 1, 8},
		{"continuous with evidence", continuous, 1, dates("2026-05-01"), "2026-11-29", StatusDone, false, -1, 0},
		{"continuous without", continuous, 1, nil, "2026-11-29", StatusProgress, false, -1, 0},
		{"continuous over without", continuous, 1, nil, "2028-01-01", StatusOverdue, false, -1, 0},
		{"on demand without", onDemand, 1, nil, "2026-11-29", StatusProgress, false, -1, 0},
		{"on demand with", onDemand, 1, dates("2026-04-01"), "2026-11-29", StatusDone, false, -1, 0},
		{"weekly missed last week", weekly, 1, dates("2026-11-03", "2026-11-10"), "2026-11-25", StatusOverdue, false, 2.0 / 3, 4},
		{"unparsed without", unparsed, 1, nil, "2026-11-29", StatusProgress, false, -1, 0},
		{"unparsed with", unparsed, 1, dates("2026-01-01"), "2026-11-29", StatusDone, false, -1, 0},
		{"required below one means one", period, 0, dates("2026-10-15"), "2026-11-01", StatusDone, false, -1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Evaluate(tt.s, tt.required, tt.evidence, on(tt.today))
			if p.Status != tt.want || p.Late != tt.late {
				t.Errorf("status %s late %v, want %s late %v", p.Status, p.Late, tt.want, tt.late)
			}
			if diff := p.Compliance - tt.compliance; diff > 1e-9 || diff < -1e-9 {
				t.Errorf("compliance %v, want %v", p.Compliance, tt.compliance)
			}
			if len(p.Periods) != tt.periods {
				t.Errorf("%d periods, want %d", len(p.Periods), tt.periods)
			}
		})
	}
}

func TestEvaluatePeriodStatuses(t *testing.T) {
	s := Schedule{Kind: ScheduleRecurring, Every: Quarterly, From: on("2026-01-01"), To: on("2027-12-31")}
	p := Evaluate(s, 1, dates("2026-03-20", "2026-09-20"), on("2026-11-29"))
	want := []Status{StatusDone, StatusOverdue, StatusDone, StatusProgress}
	for i, w := range want {
		if p.Periods[i].Status != w {
			t.Errorf("quarter %d: %s, want %s", i+1, p.Periods[i].Status, w)
		}
	}
	if p.Periods[0].Count != 1 || p.Periods[1].Count != 0 || p.Count != 2 {
		t.Errorf("counts %+v, total %d", p.Periods, p.Count)
	}
}

func TestRequired(t *testing.T) {
	tests := []struct {
		rule int
		ind  *Indicator
		want int
	}{
		{0, nil, 1},
		{3, nil, 3},
		{0, &Indicator{Kind: IndicatorPublications, Target: 5}, 5},
		{2, &Indicator{Kind: IndicatorPublications, Target: 5}, 2},
		{0, &Indicator{Kind: IndicatorReferenceGroups, Target: 8, Limit: true}, 1},
		{0, &Indicator{Kind: IndicatorActs, Target: 0}, 1},
	}
	for _, tt := range tests {
		if got := Required(tt.rule, tt.ind); got != tt.want {
			t.Errorf("Required(%d, %+v) = %d, want %d", tt.rule, tt.ind, got, tt.want)
		}
	}
}

func TestDueSoon(t *testing.T) {
	deadline := ParseSchedule("До 01.12.2026 года")
	quarterly := Schedule{Kind: ScheduleRecurring, Every: Quarterly, From: on("2026-01-01"), To: on("2027-12-31")}
	tests := []struct {
		name     string
		s        Schedule
		evidence []time.Time
		today    string
		due      string // "" for none
	}{
		{"deadline in 10 days", deadline, nil, "2026-11-21", "2026-12-01"},
		{"deadline today", deadline, nil, "2026-12-01", "2026-12-01"},
		{"deadline too far", deadline, nil, "2026-11-01", ""},
		{"deadline passed", deadline, nil, "2026-12-02", ""},
		{"deadline done", deadline, dates("2026-11-15"), "2026-11-21", ""},
		{"quarter ends soon", quarterly, nil, "2026-12-20", "2026-12-31"},
		{"quarter done already", quarterly, dates("2026-10-10"), "2026-12-20", ""},
		{"quarter end far", quarterly, nil, "2026-10-05", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Evaluate(tt.s, 1, tt.evidence, on(tt.today))
			due, ok := DueSoon(tt.s, p, on(tt.today), 14)
			got := ""
			if ok {
				got = dateString(due)
			}
			if got != tt.due {
				t.Errorf("due %q, want %q", got, tt.due)
			}
		})
	}
}

func TestRuleMatches(t *testing.T) {
	r := Rule{Kinds: []events.Kind{events.ActPublished}, Words: ParseWords("Доступ к информации, обсуждени")}
	tests := []struct {
		kind    events.Kind
		title   string
		spheres []string
		want    bool
	}{
		{"act.published", "Об обеспечении доступа к информации о деятельности", nil, false},
		{"act.published", "Об обеспечении ДОСТУП К ИНФОРМАЦИИ", nil, true},
		{"act.published", "Порядок общественных обсуждений", nil, true},
		{"news.published", "Порядок общественных обсуждений", nil, false},
		{"act.published", "О бюджете", nil, false},
	}
	for _, tt := range tests {
		if got := r.Matches(tt.kind, tt.title, tt.spheres); got != tt.want {
			t.Errorf("Matches(%q, %q) = %v, want %v", tt.kind, tt.title, got, tt.want)
		}
	}
	sph := Rule{Kinds: []events.Kind{events.ConsultationOpened}, Spheres: []string{"housing"}}
	if !sph.Matches("consultation.opened", "x", []string{"education", "housing"}) || sph.Matches("consultation.opened", "x", []string{"education"}) || sph.Matches("consultation.opened", "x", nil) {
		t.Error("sphere filter")
	}
	if !(Rule{}).Empty() || (Rule{Kinds: []events.Kind{events.ActPublished}}).Empty() {
		t.Error("Empty")
	}
	if got := ParseWords(" Ёлка,  ёлка ;\nДва  слова "); len(got) != 2 || got[0] != "елка" || got[1] != "два слова" {
		t.Errorf("ParseWords = %q", got)
	}
}

func TestDefaultRulesCoverTheSeed(t *testing.T) {
	res := importSeed(t)
	for _, m := range res.Roadmap.Mechanisms {
		for _, ms := range m.Measures {
			r := DefaultRule(ms.Number)
			if r.Empty() {
				t.Errorf("measure %s has no default rule", ms.Number)
			}
			for _, k := range r.Kinds {
				if !events.Known(k) {
					t.Errorf("measure %s: kind %q has no label", ms.Number, k)
				}
			}
		}
	}
	if len(DefaultRules) != 33 {
		t.Errorf("%d default rules, want 33", len(DefaultRules))
	}
	// A copy: changing it leaves the table alone.
	r := DefaultRule("9.2")
	r.Kinds[0] = "x"
	if DefaultRules["9.2"].Kinds[0] != "appeals_report.published" {
		t.Error("DefaultRule shares its slice with the table")
	}
}

func TestMatchDepartment(t *testing.T) {
	depts := []Department{{1, "Управление делами"}, {2, "Пресс-секретарь"}, {3, "Юридический отдел"}, {4, "Управление ЖКХ"},
		{5, "Отдел по работе с обращениями граждан"}, {6, "Управление образования"}}
	tests := []struct {
		unit string
		want int64 // 0: none
	}{
		{"Управление делами", 1},
		{"управление делами администрации городского округа", 1},
		{"Пресс-секретарь", 2},
		{"Юридический отдел администрации", 3},
		{"Отдел по обращениям граждан", 5},
		{"Руководители структурных подразделений", 0},
		{"Разработчики правовых актов", 0},
		{"Общественный совет", 0},
		{"Управление культуры", 0},
	}
	for _, tt := range tests {
		d, score, ok := MatchDepartment(tt.unit, depts)
		got := int64(0)
		if ok {
			got = d.ID
		}
		if got != tt.want {
			t.Errorf("MatchDepartment(%q) = %d (%.2f), want %d", tt.unit, got, score, tt.want)
		}
	}
	if _, _, ok := MatchDepartment("Управление делами", nil); ok {
		t.Error("matched with no departments")
	}
}

func TestScoreAndStage(t *testing.T) {
	tests := []struct {
		answers []Answer
		score   int
		stage   int
	}{
		{nil, 0, 1},
		{[]Answer{{1, ValueNo, 2}, {2, ValueNo, 3}}, 0, 1},
		{[]Answer{{1, ValueYes, 2}, {2, ValueYes, 3}}, 100, 4},
		{[]Answer{{1, ValueYes, 1}, {2, ValueNo, 1}}, 50, 3},
		{[]Answer{{1, ValuePartly, 2}, {2, ValueYes, 3}}, 80, 3},
		{[]Answer{{1, ValuePartly, 1}, {2, ValueNo, 3}}, 13, 2},
		{[]Answer{{1, 7, 1}, {2, -3, 1}}, 50, 3}, // out of range values are clamped
		{[]Answer{{1, ValueYes, 0}}, 0, 1},       // weightless criteria do not count
	}
	for _, tt := range tests {
		if got := Score(tt.answers); got != tt.score {
			t.Errorf("Score(%v) = %d, want %d", tt.answers, got, tt.score)
		}
		if got := SuggestStage(tt.score); got != tt.stage {
			t.Errorf("SuggestStage(%d) = %d, want %d", tt.score, got, tt.stage)
		}
	}
	if StageLabel(0) != "не оценён" || StageLabel(4) != "внедрён полностью" || ValueLabel(1) != "частично" {
		t.Error("labels")
	}
}

func TestAttachCountsRulesAndLinks(t *testing.T) {
	p := Plan{PeriodFrom: on("2026-01-01"), PeriodTo: on("2027-12-31"), Mechanisms: []PlanMechanism{{Number: 9, Measures: []PlanMeasure{
		{Number: "9.2", Schedule: Schedule{Kind: ScheduleRecurring, Every: Quarterly, From: on("2026-01-01"), To: on("2027-12-31")}, Rule: DefaultRule("9.2")},
		{Number: "1.1", Schedule: ParseSchedule("До 01.11.2026 года"), Rule: Rule{},
			Links: []Link{{ID: 7, Title: "Распоряжение", URL: "/acts/1", DoneOn: on("2026-10-20")}}},
	}}}}
	facts := []Fact{
		{Kind: "appeals_report.published", Title: "Отчёт за 1 квартал", URL: "/appeals/reports/1", On: on("2026-04-05")},
		{Kind: "appeals_report.published", Title: "Отчёт за 2 квартал", URL: "/appeals/reports/2", On: on("2026-06-25")},
		{Kind: "appeals_report.published", Title: "Отчёт за 3 квартал", URL: "/appeals/reports/3", On: on("2026-09-25")},
		{Kind: "appeals_report.published", Title: "Старый отчёт", URL: "/appeals/reports/0", On: on("2025-12-25")},
		{Kind: "news.published", Title: "Новость", URL: "/news/1", On: on("2026-03-01")},
	}
	Attach(&p, facts, on("2026-11-29"))
	q := p.Mechanisms[0].Measures[0]
	if len(q.Evidence) != 3 || q.Progress.Status != StatusProgress {
		t.Fatalf("9.2: %d evidence, %s", len(q.Evidence), q.Progress.Status)
	}
	// Q1 missed (its report came in April), Q2 and Q3 done, Q4 running.
	if q.Progress.Compliance < 0.66 || q.Progress.Compliance > 0.67 {
		t.Errorf("9.2 compliance %v", q.Progress.Compliance)
	}
	d := p.Mechanisms[0].Measures[1]
	if len(d.Evidence) != 1 || !d.Evidence[0].Manual() || d.Progress.Status != StatusDone {
		t.Errorf("1.1: %+v %s", d.Evidence, d.Progress.Status)
	}
	if p.Tally.Total != 2 || p.Tally.Done() != 1 || p.Tally.Percent(StatusDone) != 50 || p.Mechanisms[0].Tally.Of(StatusProgress) != 1 {
		t.Errorf("tally %+v", p.Tally)
	}
	if got := RuleKinds(&p); len(got) != 1 || got[0] != "appeals_report.published" {
		t.Errorf("RuleKinds = %q", got)
	}
}

func TestMark(t *testing.T) {
	today := on("2026-11-29")
	quarterly := Schedule{Kind: ScheduleRecurring, Every: Quarterly, From: on("2026-01-01"), To: on("2027-12-31")}
	tests := []struct {
		name string
		ms   PlanMeasure
		want []string
	}{
		{"nothing yet", PlanMeasure{Schedule: ParseSchedule("До 01.11.2026 года")}, []string{"Просрочено на 29.11.2026", "Подтверждений нет."}},
		{"done late", PlanMeasure{Schedule: ParseSchedule("До 01.11.2026 года"), Links: []Link{{ID: 1, Title: "Распоряжение № 5", DoneOn: on("2026-11-10")}}},
			[]string{"Выполнено с нарушением срока на 29.11.2026", "Подтверждения (1):", "– Распоряжение № 5, 10.11.2026"}},
		{"recurring share", PlanMeasure{Schedule: quarterly, Links: []Link{{ID: 1, Title: "Отчёт", DoneOn: on("2026-03-30")}, {ID: 2, Title: "Отчёт", DoneOn: on("2026-09-30")}}},
			[]string{"В работе", "Исполнено в 2 из 3 периодов (67%)"}},
		{"long evidence list is cut", PlanMeasure{Schedule: ParseSchedule("В течение 2026 года"), Links: []Link{
			{ID: 1, Title: "a", DoneOn: on("2026-01-01")}, {ID: 2, Title: "b", DoneOn: on("2026-02-01")}, {ID: 3, Title: "c", DoneOn: on("2026-03-01")}, {ID: 4, Title: "d", DoneOn: on("2026-04-01")}}},
			[]string{"Подтверждения (4):", "– d, 01.04.2026", "(показаны последние 3)"}},
	}
	for _, tt := range tests {
		p := Plan{PeriodFrom: on("2026-01-01"), Mechanisms: []PlanMechanism{{Measures: []PlanMeasure{tt.ms}}}}
		Attach(&p, nil, today)
		got := Mark(p.Mechanisms[0].Measures[0], today)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: mark %q lacks %q", tt.name, got, w)
			}
		}
	}
}

func TestPDFSurvivesCharactersOutsideTheFont(t *testing.T) {
	p := Plan{Title: "План 😀", ApprovingAct: "акт\tс табуляцией", Mechanisms: []PlanMechanism{{Number: 1, Title: "Сайт 🚀", Measures: []PlanMeasure{
		{Number: "1.1", Text: "Мероприятие с эмодзи 👍 и \x01 управляющим символом", Schedule: ParseSchedule("До 01.11.2026 года")}}}}}
	Attach(&p, nil, on("2026-11-29"))
	var b strings.Builder
	if err := WritePDF(&b, p, "Город", on("2026-11-29")); err != nil || !strings.HasPrefix(b.String(), "%PDF") {
		t.Fatalf("PDF: %v", err)
	}
}

func TestXLSXDropsControlCharacters(t *testing.T) {
	p := Plan{Title: "План", Mechanisms: []PlanMechanism{{Number: 1, Title: "Сайт", Measures: []PlanMeasure{
		{Number: "1.1", Text: "Мероприятие с \x01 управляющим символом 👍", Schedule: ParseSchedule("До 01.11.2026 года")}}}}}
	Attach(&p, nil, on("2026-11-29"))
	var b bytes.Buffer
	if err := WriteXLSX(&b, p, on("2026-11-29")); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Дорожная карта")
	last := rows[len(rows)-1]
	if last[2] != "1. Мероприятие с  управляющим символом 👍" {
		t.Errorf("cell %q", last[2])
	}
}
