package consult

import (
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/deadline"
)

func d(y int, m time.Month, day int) deadline.Date { return deadline.NewDate(y, m, day) }

func TestValidateSchedule(t *testing.T) {
	procs := DefaultProcedures()
	start := d(2026, 3, 2)
	tests := []struct {
		name    string
		kind    Kind
		impact  Impact
		edit    func([]Period) []Period
		wantErr string
	}{
		{"default discussion fits", KindDiscussion, ImpactNone, nil, ""},
		{"default expertise is 7 days", KindExpertise, ImpactNone, nil, ""},
		{"expertise of 6 days is too short", KindExpertise, ImpactNone, func(p []Period) []Period {
			p[1].Ends = p[1].Ends.AddDays(-1)
			return p
		}, "не меньше 7 дней"},
		{"high impact needs 20 days", KindDiscussion, ImpactHigh, func(p []Period) []Period {
			// DefaultSchedule for high impact is already 20; shorten by one.
			p[1].Ends = p[1].Ends.AddDays(-1)
			return p
		}, "не меньше 20 дней"},
		{"regulatory impact caps at 45 days", KindDiscussion, ImpactLow, func(p []Period) []Period {
			p[1].Ends = p[1].Starts.AddDays(45)
			p[2].Starts = p[1].Ends.AddDays(1)
			p[2].Ends = p[2].Starts.AddDays(3)
			p[3].Starts = p[2].Ends.AddDays(1)
			p[3].Ends = p[3].Starts.AddDays(3)
			p[4].Starts = p[3].Ends.AddDays(1)
			return p
		}, "не больше 45 дней"},
		{"overlapping stages", KindDiscussion, ImpactNone, func(p []Period) []Period {
			p[2].Starts = p[1].Ends
			return p
		}, "после окончания предыдущего"},
		{"end before start", KindProposals, ImpactNone, func(p []Period) []Period {
			p[0].Ends = p[0].Starts.AddDays(-1)
			return p
		}, "раньше, чем начинается"},
		{"missing start", KindDeclaration, ImpactNone, func(p []Period) []Period {
			p[3].Starts = deadline.Date{}
			return p
		}, "Укажите дату начала"},
		{"missing stage", KindUrban, ImpactNone, func(p []Period) []Period { return p[:2] }, "каждого этапа"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := procs[tt.kind]
			periods := DefaultSchedule(p, tt.impact, start)
			if tt.edit != nil {
				periods = tt.edit(periods)
			}
			err := ValidateSchedule(p, tt.impact, periods)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestBounds(t *testing.T) {
	p := DefaultProcedures()[KindDiscussion]
	for _, tt := range []struct {
		impact   Impact
		min, max int
	}{{ImpactNone, 10, 45}, {ImpactLow, 10, 45}, {ImpactMedium, 15, 45}, {ImpactHigh, 20, 45}} {
		if lo, hi := p.Bounds(tt.impact); lo != tt.min || hi != tt.max {
			t.Errorf("%q: bounds %d–%d, want %d–%d", tt.impact, lo, hi, tt.min, tt.max)
		}
	}
	if lo, _ := DefaultProcedures()[KindExpertise].Bounds(ImpactNone); lo != 7 {
		t.Errorf("expertise minimum %d, want 7", lo)
	}
}

func TestDueStageAndUntil(t *testing.T) {
	ps := []Period{
		{StagePublished, d(2026, 3, 1), d(2026, 3, 1)},
		{StageDiscussion, d(2026, 3, 2), d(2026, 3, 16)},
		{StageSummary, d(2026, 3, 17), d(2026, 3, 23)},
		{StageFinal, d(2026, 3, 24), deadline.Date{}},
	}
	tests := []struct {
		today   deadline.Date
		current Stage
		want    Stage
		changed bool
	}{
		{d(2026, 2, 28), "", "", false},
		{d(2026, 3, 1), "", StagePublished, true},
		{d(2026, 3, 5), StagePublished, StageDiscussion, true},
		{d(2026, 3, 16), StageDiscussion, StageDiscussion, false},
		{d(2026, 3, 17), StageDiscussion, StageSummary, true},
		// Skipping a stage while the job was down lands on the due one.
		{d(2026, 4, 1), StageDiscussion, StageFinal, true},
		// A stage advanced by hand is not moved back by the schedule.
		{d(2026, 3, 5), StageSummary, StageSummary, false},
	}
	for _, tt := range tests {
		got, changed := DueStage(ps, tt.current, tt.today)
		if got != tt.want || changed != tt.changed {
			t.Errorf("DueStage(%s, %q) = %q, %v; want %q, %v", tt.today, tt.current, got, changed, tt.want, tt.changed)
		}
	}
	if u := Until(ps, StageDiscussion); u != d(2026, 3, 16) {
		t.Errorf("until discussion %s", u)
	}
	if u := Until(ps, StageFinal); !u.IsZero() {
		t.Errorf("final stage is open-ended, got %s", u)
	}
	gap := []Period{{StagePublished, d(2026, 3, 1), deadline.Date{}}, {StageDiscussion, d(2026, 3, 5), d(2026, 3, 20)}}
	if u := Until(gap, StagePublished); u != d(2026, 3, 4) {
		t.Errorf("stage without end lasts until the day before the next: %s", u)
	}
}

func TestCheckAnswer(t *testing.T) {
	tests := []struct {
		d      Decision
		reason string
		fields []string
	}{
		{Accepted, "Пункт изменён.", nil},
		{NotedDecision, "Будет учтено при подготовке бюджета.", nil},
		{"", "причина", []string{"decision"}},
		{"maybe", "причина", []string{"decision"}},
		{NotAccepted, "   ", []string{"reason"}},
		{PartlyAccepted, strings.Repeat("я", 4001), []string{"reason"}},
	}
	for _, tt := range tests {
		errs := CheckAnswer(tt.d, tt.reason)
		if len(errs) != len(tt.fields) {
			t.Errorf("CheckAnswer(%q): %v, want fields %v", tt.d, errs, tt.fields)
		}
		for _, f := range tt.fields {
			if errs[f] == "" {
				t.Errorf("CheckAnswer(%q): no error for %s", tt.d, f)
			}
		}
	}
	if !Accepted.TakenIntoAccount() || !PartlyAccepted.TakenIntoAccount() || NotAccepted.TakenIntoAccount() || NotedDecision.TakenIntoAccount() {
		t.Error("taken into account means accepted fully or partly")
	}
}

func TestAuthorDisplay(t *testing.T) {
	tests := []struct{ kind, name, org, want string }{
		{AuthorName, "Пётр Жителев", "", "Пётр Жителев"},
		{AuthorResident, "Пётр Жителев", "", "Житель"},
		{AuthorOrganisation, "Пётр", "ТСЖ «Уральская, 40»", "ТСЖ «Уральская, 40»"},
		{AuthorName, "  ", "", "Житель"},
		{AuthorOrganisation, "", "", "Житель"},
	}
	for _, tt := range tests {
		if got := AuthorDisplay(tt.kind, tt.name, tt.org); got != tt.want {
			t.Errorf("AuthorDisplay(%q, %q, %q) = %q, want %q", tt.kind, tt.name, tt.org, got, tt.want)
		}
	}
}

func TestQuote(t *testing.T) {
	text := "Тротуары  очищаются\nот снега в течение 6 часов после окончания снегопада. Ёлки не убирают."
	tests := []struct {
		quote      string
		start, end int
	}{
		{"в течение 6 часов", 29, 46},
		{"Тротуары очищаются от снега", 0, 28}, // spaces differ
		{"елки не убирают", 74, 89},            // ё typed as е
		{"в течение 3 часов", -1, -1},          // not there
		{"", -1, -1},
	}
	for _, tt := range tests {
		s, e := Quote(text, tt.quote)
		if s != tt.start || e != tt.end {
			t.Errorf("Quote(%q) = %d, %d; want %d, %d", tt.quote, s, e, tt.start, tt.end)
			continue
		}
		if s >= 0 {
			got := string([]rune(text)[s:e])
			if norm(got) != norm(tt.quote) {
				t.Errorf("offsets cut %q for %q", got, tt.quote)
			}
		}
	}
}

func norm(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(strings.ReplaceAll(s, "ё", "е"), "Ё", "Е")), " "))
}

func TestParseProcedures(t *testing.T) {
	ps, err := ParseProcedures("# местная практика\nexpertise.min_days = 10\ndiscussion.moderation = pre\nproposals.stages = proposals, summary, final\n", DefaultProcedures())
	if err != nil {
		t.Fatal(err)
	}
	if ps[KindExpertise].MinDays != 10 || ps[KindDiscussion].Moderation != PreModeration || len(ps[KindProposals].Stages) != 3 {
		t.Fatalf("overrides not applied: %+v", ps)
	}
	if DefaultProcedures()[KindExpertise].MinDays != 7 {
		t.Fatal("defaults must not change")
	}
	for _, bad := range []string{
		"expertise.min_days = 0", "unknown.min_days = 5", "discussion.stages = summary, discussion",
		"discussion.stages = published, summary", "discussion.participation = everyone", "discussion", "expertise.max_days = 3",
	} {
		if _, err := ParseProcedures(bad, DefaultProcedures()); err == nil || !strings.Contains(err.Error(), "строка 1") {
			t.Errorf("%q: error %v, want a Russian error naming line 1", bad, err)
		}
	}
}

func TestCheckConclusion(t *testing.T) {
	none := []FactorFinding{{Code: "3.1"}, {Code: "3.2"}}
	if errs := CheckConclusion(none, ""); errs["body"] == "" {
		t.Error("an empty conclusion must be refused")
	}
	if errs := CheckConclusion(none, "Коррупциогенные факторы не выявлены."); len(errs) != 0 {
		t.Errorf("a free-text conclusion alone is fine: %v", errs)
	}
	half := []FactorFinding{{Code: "3.2", Provisions: "п. 2.3"}, {Code: "4.3", Proposal: "уточнить"}}
	errs := CheckConclusion(half, "")
	if errs["proposal_3.2"] == "" || errs["provisions_4.3"] == "" || errs["body"] != "" {
		t.Errorf("each named factor needs provisions and a proposal: %v", errs)
	}
	if len(Factors) != 12 {
		t.Errorf("Decree No. 96 names 12 factors, have %d", len(Factors))
	}
}

func TestExpertiseDueAndReminders(t *testing.T) {
	cal, err := deadline.Default()
	if err != nil {
		t.Fatal(err)
	}
	rules := deadline.DefaultRules()
	// Received on Monday 2 March 2026: 30 days later is Wednesday 1 April.
	due := ExpertiseDue(cal, rules, d(2026, 3, 2))
	if due != d(2026, 4, 1) {
		t.Fatalf("due %s, want 2026-04-01", due)
	}
	// 30 days from 7 March 2026 is Monday 6 April.
	if got := ExpertiseDue(cal, rules, d(2026, 3, 7)); got != d(2026, 4, 6) {
		t.Fatalf("due %s, want 2026-04-06", got)
	}
	for _, tt := range []struct {
		today deadline.Date
		n     int
	}{{d(2026, 3, 20), 0}, {d(2026, 3, 25), 1}, {d(2026, 3, 31), 2}, {d(2026, 4, 10), 2}} {
		if n := RemindersDue(cal, due, tt.today); n != tt.n {
			t.Errorf("reminders due on %s: %d, want %d", tt.today, n, tt.n)
		}
	}
	if !Overdue(due, d(2026, 4, 2), false) || Overdue(due, d(2026, 4, 1), false) || Overdue(due, d(2026, 4, 2), true) {
		t.Error("overdue the day after the due day, unless answered")
	}
}

func TestConclusionText(t *testing.T) {
	c := Consultation{Title: "Правила благоустройства", Department: "Управление ЖКХ", ActNumber: "112-п", ActDate: "2026-04-10",
		Periods: []Period{{StagePublished, d(2026, 3, 1), d(2026, 3, 1)}, {StageDiscussion, d(2026, 3, 2), d(2026, 3, 16)}, {StageSummary, d(2026, 3, 17), d(2026, 3, 23)}}}
	tally := Tally{Comments: 5, Participants: 3, Answered: 4, ByDecision: map[Decision]int{Accepted: 2, PartlyAccepted: 1, NotAccepted: 1}}
	got := ConclusionText(c, "Общественное обсуждение проекта акта", tally)
	for _, want := range []string{"с 02.03.2026 по 16.03.2026", "Управление ЖКХ", "3 участника", "5 замечаний и предложений",
		"Учтено — 2, учтено частично — 1, не учтено — 1, принято к сведению — 0", "3 из 5", "Без ответа разработчика остаётся 1", "№ 112-п от 10.04.2026"} {
		if !strings.Contains(got, want) {
			t.Errorf("conclusion lacks %q:\n%s", want, got)
		}
	}
	if got := ConclusionText(c, "Сбор предложений", Tally{ByDecision: map[Decision]int{}}); !strings.Contains(got, "не поступило") {
		t.Errorf("no proposals: %s", got)
	}
}

func TestReceipt(t *testing.T) {
	r := FormatReceipt(12, 34, "K7QF")
	if r != "12-00034-K7QF" {
		t.Fatalf("receipt %q", r)
	}
	if got := NormalizeReceipt(" 12–00034–k7qf "); got != r {
		t.Fatalf("normalised %q", got)
	}
	// Tails are four characters of the unambiguous alphabet (no 0/O, 1/I),
	// and every character of it is used.
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	seen := map[rune]bool{}
	for range 2000 {
		tail := randomTail()
		if len(tail) != 4 || strings.Trim(tail, alphabet) != "" {
			t.Fatalf("tail %q", tail)
		}
		for _, r := range tail {
			seen[r] = true
		}
	}
	if len(seen) != len(alphabet) {
		t.Fatalf("only %d of %d characters used in 8,000 draws", len(seen), len(alphabet))
	}
}
