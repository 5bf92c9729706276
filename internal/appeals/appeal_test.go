package appeals

import (
	"errors"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/deadline"
)

func d(s string) deadline.Date {
	x, err := deadline.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return x
}

func TestNext(t *testing.T) {
	op := Role{Operator: true}
	head := Role{Head: true}
	dept := Role{Department: true}
	none := Role{}
	tests := []struct {
		from Status
		act  Action
		who  Role
		want Status
		err  error
	}{
		{StatusReceived, ActRegister, op, StatusRegistered, nil},
		{StatusReceived, ActRegister, dept, "", ErrForbiddenAction},
		{StatusRegistered, ActAssign, op, StatusAssigned, nil},
		{StatusAssigned, ActAssign, head, StatusAssigned, nil}, // reassignment
		{StatusRegistered, ActAssign, dept, "", ErrForbiddenAction},
		{StatusAssigned, ActDraft, dept, StatusDrafted, nil},
		{StatusDrafted, ActDraft, dept, StatusDrafted, nil}, // the draft is edited
		{StatusRegistered, ActDraft, dept, "", ErrWrongState},
		{StatusDrafted, ActApprove, head, StatusApproved, nil},
		{StatusDrafted, ActApprove, op, "", ErrForbiddenAction},
		{StatusDrafted, ActApprove, dept, "", ErrForbiddenAction},
		{StatusApproved, ActRework, head, StatusAssigned, nil},
		{StatusApproved, ActAnswer, dept, StatusAnswered, nil},
		{StatusDrafted, ActAnswer, dept, "", ErrWrongState}, // not without the head's approval
		{StatusAnswered, ActAnswer, head, "", ErrWrongState},
		{StatusRegistered, ActForward, op, StatusForwarded, nil},
		{StatusDrafted, ActForward, op, "", ErrWrongState},
		{StatusAssigned, ActClose, head, StatusAssigned, nil}, // the ground decides the outcome
		{StatusAssigned, ActClose, op, "", ErrForbiddenAction},
		{StatusAnswered, ActClose, head, "", ErrWrongState},
		{StatusAssigned, ActExtend, head, StatusAssigned, nil},
		{StatusApproved, ActExtend, head, StatusApproved, nil},
		{StatusAssigned, ActExtend, dept, "", ErrForbiddenAction},
		{StatusForwarded, ActExtend, head, "", ErrWrongState},
		{StatusAssigned, ActDraft, none, "", ErrForbiddenAction},
	}
	for _, tt := range tests {
		got, err := Next(tt.from, tt.act, tt.who)
		if !errors.Is(err, tt.err) || got != tt.want {
			t.Errorf("Next(%s, %s, %+v) = %q, %v; want %q, %v", tt.from, tt.act, tt.who, got, err, tt.want, tt.err)
		}
	}
	if _, err := Next(StatusAssigned, "explode", head); err == nil {
		t.Error("an unknown action must fail")
	}
}

func TestAllowedOffersOnlyPossibleSteps(t *testing.T) {
	got := Allowed(StatusDrafted, Role{Department: true})
	if !got[ActDraft] || got[ActApprove] || got[ActAnswer] || len(got) != 1 {
		t.Fatalf("department on a draft: %v", got)
	}
	got = Allowed(StatusDrafted, Role{Head: true})
	for _, a := range []Action{ActDraft, ActApprove, ActRework, ActClose, ActExtend} {
		if !got[a] {
			t.Errorf("head on a draft lacks %s", a)
		}
	}
	if len(Allowed(StatusAnswered, Role{Head: true, Operator: true})) != 0 {
		t.Error("an answered appeal has no further steps")
	}
}

// TestComputeDue is the article 193 reading (the next working day), which a
// municipality may choose; TestComputeDuePreceding is the default.
func TestComputeDue(t *testing.T) {
	cal, err := deadline.Default()
	if err != nil {
		t.Fatal(err)
	}
	cal = cal.WithTermEnd(deadline.NextWorkingDay)
	rules := deadline.DefaultRules()
	tests := []struct {
		name                  string
		received, registered  string
		register, fwd, answer string
	}{
		// Across the New Year holidays of 2026 (1–9 January off by Decree No. 1466).
		{"year end", "2025-12-29", "2025-12-30", "2026-01-12", "2026-01-12", "2026-01-29"},
		// 1 May 2025 is a holiday and 2 May a transferred day off.
		{"May holidays", "2025-03-31", "2025-04-01", "2025-04-03", "2025-04-08", "2025-05-05"},
		{"May 8–11", "2025-04-07", "2025-04-08", "2025-04-10", "2025-04-15", "2025-05-12"},
		// Saturday 1 November 2025 is a working day by transfer.
		{"working Saturday", "2025-10-01", "2025-10-02", "2025-10-06", "2025-10-09", "2025-11-01"},
		// 3 November 2025 is the day off moved from that Saturday, 4 November a holiday.
		{"transferred day off", "2025-10-03", "2025-10-04", "2025-10-06", "2025-10-13", "2025-11-05"},
		// 8 March 2026 falls on a Sunday; the day off moves to Monday 9 March.
		{"holiday on a weekend", "2026-02-05", "2026-02-07", "2026-02-09", "2026-02-16", "2026-03-10"},
		// A year without a decree (article 112 alone): 4 November 2029 is a
		// Sunday, so Monday 5 November is off.
		{"future year", "2029-10-04", "2029-10-06", "2029-10-08", "2029-10-15", "2029-11-06"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ComputeDue(cal, rules, d(tt.received), d(tt.registered))
			want := Due{RegisterBy: d(tt.register), ForwardBy: d(tt.fwd), AnswerBy: d(tt.answer), NoticeBy: d(tt.fwd)} // 7 days, as forwarding
			if got != want {
				t.Errorf("ComputeDue(%s, %s) = %+v, want %+v", tt.received, tt.registered, got, want)
			}
		})
	}
}

func TestComputeDuePreceding(t *testing.T) {
	cal, err := deadline.Default()
	if err != nil {
		t.Fatal(err)
	}
	rules := deadline.DefaultRules()
	tests := []struct {
		name                  string
		received, registered  string
		register, fwd, answer string
	}{
		// The review's case: registered 05.12.2026, the answer was 11.01.2027
		// (37 days); now the working day before 4 January, 30 December.
		{"New Year", "2026-12-05", "2026-12-05", "2026-12-08", "2026-12-11", "2026-12-30"},
		{"year end", "2025-12-29", "2025-12-30", "2025-12-30", "2026-01-12", "2026-01-29"},
		{"May holidays", "2025-03-31", "2025-04-01", "2025-04-03", "2025-04-08", "2025-04-30"},
		{"holiday on a weekend", "2026-02-05", "2026-02-07", "2026-02-06", "2026-02-13", "2026-03-06"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ComputeDue(cal, rules, d(tt.received), d(tt.registered))
			want := Due{RegisterBy: d(tt.register), ForwardBy: d(tt.fwd), AnswerBy: d(tt.answer), NoticeBy: d(tt.fwd)} // 7 days, as forwarding
			if got != want {
				t.Errorf("ComputeDue(%s, %s) = %+v, want %+v", tt.received, tt.registered, got, want)
			}
			stat := d(tt.registered).AddDays(rules.Answer.Days)
			if got.AnswerBy.After(stat) {
				t.Errorf("answer by %s is past the statutory day %s", got.AnswerBy, stat)
			}
		})
	}
}

func TestComputeDueWithOverridesAndWorkingDays(t *testing.T) {
	cal, _ := deadline.Default()
	cal = cal.WithTermEnd(deadline.NextWorkingDay)
	rules := deadline.DefaultRules()
	// A region's own holiday on the day the answer falls due moves it on.
	local := cal.WithOverrides(deadline.Override{Date: d("2026-01-29"), Note: "Региональный праздник"})
	if got := ComputeDue(local, rules, d("2025-12-29"), d("2025-12-30")).AnswerBy; got != d("2026-01-30") {
		t.Errorf("override: answer by %s, want 2026-01-30", got)
	}
	// A municipality whose regulation counts registration in working days.
	rules.Registration.Unit = deadline.WorkingDays
	if got := ComputeDue(cal, rules, d("2025-12-29"), d("2025-12-30")).RegisterBy; got != d("2026-01-13") {
		t.Errorf("working days: register by %s, want 2026-01-13 (30 December, 12 and 13 January)", got)
	}
}

func TestExtendDue(t *testing.T) {
	base, _ := deadline.Default()
	rules := deadline.DefaultRules()
	tests := []struct {
		name       string
		end        deadline.TermEnd
		registered string
		today      string
		already    int
		days       int
		want       string
		err        error
	}{
		// The review's case: registered 05.12.2026, +30 gave 10.02.2027
		// from the moved 11.01.2027; registration + 60 is 03.02.2027.
		{"from the statutory term", deadline.NextWorkingDay, "2026-12-05", "2026-12-20", 0, 30, "2027-02-03", nil},
		{"from the statutory term, default", deadline.PrecedingWorkingDay, "2026-12-05", "2026-12-20", 0, 30, "2027-02-03", nil},
		{"to a Saturday, default", deadline.PrecedingWorkingDay, "2025-12-30", "2026-01-20", 0, 30, "2026-02-27", nil}, // 28 February 2026 is a Saturday
		{"to a Saturday, article 193", deadline.NextWorkingDay, "2025-12-30", "2026-01-20", 0, 30, "2026-03-02", nil},
		{"to a Sunday, default", deadline.PrecedingWorkingDay, "2025-12-30", "2026-01-20", 0, 10, "2026-02-06", nil}, // 8 February is a Sunday
		{"on the last day of the term", deadline.PrecedingWorkingDay, "2025-12-30", "2026-01-29", 0, 10, "2026-02-06", nil},
		{"the day after the term ended", deadline.PrecedingWorkingDay, "2025-12-30", "2026-01-30", 0, 10, "", deadline.ErrTermEnded},
		{"the review's case: months after the term", deadline.NextWorkingDay, "2026-05-25", "2026-12-05", 0, 30, "", deadline.ErrTermEnded},
		{"too long", deadline.PrecedingWorkingDay, "2025-12-30", "2026-01-20", 0, 31, "", deadline.ErrExtensionTooLong},
		{"too short", deadline.PrecedingWorkingDay, "2025-12-30", "2026-01-20", 0, 0, "", deadline.ErrExtensionTooShort},
		{"twice", deadline.PrecedingWorkingDay, "2025-12-30", "2026-01-20", 30, 5, "", ErrAlreadyExtended},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal := base.WithTermEnd(tt.end)
			current := cal.Due(d(tt.registered), rules.Answer)
			got, err := ExtendDue(cal, rules, d(tt.registered), current, d(tt.today), tt.already, tt.days)
			if !errors.Is(err, tt.err) {
				t.Fatalf("ExtendDue error %v, want %v", err, tt.err)
			}
			if tt.err == nil && got != d(tt.want) {
				t.Errorf("ExtendDue = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestRemindersDue(t *testing.T) {
	cal, _ := deadline.Default()
	answer := d("2026-01-29") // 5 working days before: 22 January; 1 before: 28 January
	forward := d("2026-01-12")
	tests := []struct {
		today  string
		status Status
		want   []string
	}{
		{"2026-01-21", StatusAssigned, nil},
		{"2026-01-22", StatusAssigned, []string{"due5/answer/5"}},
		{"2026-01-27", StatusAssigned, []string{"due5/answer/2"}},
		{"2026-01-28", StatusAssigned, []string{"due1/answer/1"}},
		{"2026-01-29", StatusDrafted, []string{"due1/answer/0"}},
		{"2026-01-30", StatusApproved, []string{"overdue/answer/-1"}},
		{"2026-02-03", StatusAnswered, nil},
		// Before assignment the forwarding deadline counts too; 31 December
		// and 1–9 January are off, so 5 working days before 12 January is
		// 29 December.
		{"2025-12-29", StatusRegistered, []string{"due5/forward/2"}},
		{"2026-01-13", StatusRegistered, []string{"overdue/forward/-1"}},
	}
	for _, tt := range tests {
		var got []string
		for _, r := range RemindersDue(cal, d(tt.today), tt.status, forward, answer, deadline.Date{}) {
			got = append(got, r.Kind+"/"+r.Deadline+"/"+itoa(r.Left))
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s %s: reminders %v, want %v", tt.today, tt.status, got, tt.want)
		}
	}
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + itoa(n%10)
}

func TestNumberFormat(t *testing.T) {
	tests := []struct {
		f    NumberFormat
		year int
		seq  int
		want string
		err  bool
	}{
		{DefaultNumberFormat, 2026, 123, "ВП-2026-000123", false},
		{DefaultNumberFormat, 2026, 1234567, "ВП-2026-1234567", false},
		{"{seq}/{year}", 2026, 7, "", true}, // a slash breaks the URL path
		{"ОГ-{seq:4}-{year}", 2027, 5, "ОГ-0005-2027", false},
		{"{year}", 2026, 1, "", true},
		{"A-{seq:x}", 2026, 1, "", true},
	}
	for _, tt := range tests {
		err := tt.f.Validate()
		if (err != nil) != tt.err {
			t.Errorf("%q: Validate() = %v, want error %v", tt.f, err, tt.err)
			continue
		}
		if tt.err {
			continue
		}
		got, err := tt.f.Format(tt.year, tt.seq)
		if err != nil || got != tt.want {
			t.Errorf("%q.Format(%d, %d) = %q, %v; want %q", tt.f, tt.year, tt.seq, got, err, tt.want)
		}
	}
}

func TestLookupKindAndNormalisation(t *testing.T) {
	for q, want := range map[string]string{
		"ВП-2026-000123":      "number",
		"  ivanov@Mail.ru ":   "email",
		"+7 (343) 555-01-02":  "phone",
		"8 343 5550102":       "phone",
		"Иванов":              "name",
		"Фёдоров Пётр":        "name",
		"":                    "",
		"Соколова-Ивановская": "name",
	} {
		if got := LookupKind(q); got != want {
			t.Errorf("LookupKind(%q) = %q, want %q", q, got, want)
		}
	}
	if NormalizePhone("+7 (343) 555-01-02") != NormalizePhone("8 343 5550102") || NormalizePhone("12") != "" {
		t.Error("phones must normalise to the last ten digits")
	}
	if NormalizeName(" Фёдоров ") != "федоров" {
		t.Errorf("NormalizeName: %q", NormalizeName(" Фёдоров "))
	}
}

func TestAuthorValidate(t *testing.T) {
	ok := Author{LastName: "Иванов", FirstName: "Иван", Email: "ivan@example.ru"}
	if errs := ok.Validate(); len(errs) != 0 {
		t.Fatalf("valid author rejected: %v", errs)
	}
	post := Author{LastName: "Иванов", FirstName: "Иван", PostalAddress: "624090, Верхняя Пышма, ул. Ленина, 1"}
	if errs := post.Validate(); len(errs) != 0 {
		t.Fatalf("a postal address alone is enough: %v", errs)
	}
	tests := []struct {
		a     Author
		field string
	}{
		{Author{FirstName: "Иван", Email: "a@b.ru"}, "last_name"},
		{Author{LastName: "Иванов", Email: "a@b.ru"}, "first_name"},
		{Author{LastName: "Иванов", FirstName: "Иван"}, "email"},
		{Author{LastName: "Иванов", FirstName: "Иван", Email: "not-an-address"}, "email"},
		{Author{LastName: "Иванов", FirstName: "Иван", Email: "a@b.ru", Phone: "12"}, "phone"},
		{Author{LastName: strings.Repeat("я", 101), FirstName: "Иван", Email: "a@b.ru"}, "last_name"},
	}
	for _, tt := range tests {
		if _, bad := tt.a.Validate()[tt.field]; !bad {
			t.Errorf("%+v: no error for %s", tt.a, tt.field)
		}
	}
	if ValidateText("  ", 100) == "" || ValidateText(strings.Repeat("ж", 101), 100) == "" || ValidateText(strings.Repeat("ж", 100), 100) != "" {
		t.Error("ValidateText counts characters, not bytes, and refuses empty text")
	}
}

func TestGroundLetters(t *testing.T) {
	ap := Appeal{Number: "ВП-2026-000007", RegisteredOn: d("2026-02-03")}
	for _, g := range Grounds {
		if g.Outcome != StatusLeft && g.Outcome != StatusReturned {
			t.Errorf("%s: outcome %s", g.Code, g.Outcome)
		}
		letter, err := renderLetter(g, ap, "https://example.ru/answers/1")
		if err != nil {
			t.Fatalf("%s: %v", g.Code, err)
		}
		if g.Notify && (!strings.Contains(letter, ap.Number) || !strings.Contains(letter, "03.02.2026")) {
			t.Errorf("%s: letter does not name the appeal: %s", g.Code, letter)
		}
		if !strings.Contains(letter, "59-ФЗ") {
			t.Errorf("%s: letter cites no law", g.Code)
		}
	}
}

func TestQuarters(t *testing.T) {
	from, to := QuarterOf(d("2026-05-17"))
	if from != d("2026-04-01") || to != d("2026-06-30") {
		t.Errorf("QuarterOf: %s–%s", from, to)
	}
	from, to = PreviousQuarter(d("2026-02-01"))
	if from != d("2025-10-01") || to != d("2025-12-31") {
		t.Errorf("PreviousQuarter across a year: %s–%s", from, to)
	}
	if got := PeriodTitle(d("2025-10-01"), d("2025-12-31")); got != "IV квартал 2025 года" {
		t.Errorf("PeriodTitle: %q", got)
	}
	if got := PeriodTitle(d("2026-01-10"), d("2026-01-20")); got != "период с 10.01.2026 по 20.01.2026" {
		t.Errorf("PeriodTitle: %q", got)
	}
	pf, pt := previousPeriod(d("2026-01-10"), d("2026-01-20"))
	if pf != d("2025-12-30") || pt != d("2026-01-09") {
		t.Errorf("previousPeriod: %s–%s", pf, pt)
	}
}

func TestBarChartIsAccessibleAndEscaped(t *testing.T) {
	svg := string(BarChart("c1", "По темам <x>", []Row{{Label: "Дороги & <b>", Count: 10}, {Label: "ЖКХ", Count: 0}}))
	for _, want := range []string{`role="img"`, `aria-labelledby="c1-title c1-desc"`, "<title id=\"c1-title\">По темам &lt;x&gt;</title>", "Дороги &amp; &lt;b&gt;: 10", `class="chart-value">10<`} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %q:\n%s", want, svg)
		}
	}
	if strings.Contains(svg, "<b>") || strings.Contains(svg, "style=") {
		t.Error("chart must escape labels and carry no style attributes")
	}
}

func TestParseClassifier(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		n     int
		error string
	}{
		{"semicolon with header and BOM", "\ufeffКод;Наименование\n0001;Государство\n0001.0001;Конституционный строй\n0001.0001.0003;Обращения\n0001.0001.0003.0027;Несогласие\n", 4, ""},
		{"comma, quoted", "0005,\"Жилищно-коммунальная сфера\"\n0005.0005,\"Жилище, быт\"\n", 2, ""},
		{"section out of range", "0006;Что-то\n", 0, "от 0001 до 0005"},
		{"bad code", "0001;А\n0001.01;Б\n", 0, "четыре цифры"},
		{"orphan", "0001;А\n0001.0001.0001;Б\n", 0, "нет вышестоящей записи"},
		{"duplicate", "0001;А\n0001;Б\n", 0, "повторяется"},
		{"no title", "0001;\n", 0, "нет наименования"},
		{"empty", "Код;Наименование\n", 0, "нет ни одной записи"},
		{"not UTF-8", "0001;\xcf\xf0\xe8\n", 0, "UTF-8"},
		// As the federal publisher writes it: higher levels zero-padded to
		// four parts, and the fifth level (subquestion) of current editions.
		{"zero-padded higher levels", "0004.0000.0000.0000;Оборона\n0004.0015.0000.0000;Безопасность\n0004.0015.0158.0000;Тема\n0004.0015.0158.0965;Вопрос\n", 4, ""},
		{"five levels", "0004;А\n0004.0015;Б\n0004.0015.0158;В\n0004.0015.0158.0965;Г\n0004.0015.0158.0965.0064;Подвопрос\n", 5, ""},
		{"six levels", "0004;А\n0004.0015;Б\n0004.0015.0158;В\n0004.0015.0158.0965;Г\n0004.0015.0158.0965.0064;Д\n0004.0015.0158.0965.0064.0001;Е\n", 0, "больше пяти частей"},
		{"padded orphan", "0004.0000.0000.0000;Оборона\n0004.0015.0158.0000;Тема\n", 0, "нет вышестоящей записи 0004.0015"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseClassifier(strings.NewReader(tt.in))
			if tt.error != "" {
				if err == nil || !strings.Contains(err.Error(), tt.error) {
					t.Fatalf("error %v, want one containing %q", err, tt.error)
				}
				return
			}
			if err != nil || len(got) != tt.n {
				t.Fatalf("got %d entries, %v; want %d", len(got), err, tt.n)
			}
		})
	}
	padded, err := ParseClassifier(strings.NewReader("0004.0000.0000.0000;А\n0004.0015.0000.0000;Б\n0004.0015.0158.0000;В\n0004.0015.0158.0965;Г\n0004.0015.0158.0965.0064;Д\n"))
	if err != nil || padded[0].Code != "0004" || padded[0].Level != 1 || padded[2].Code != "0004.0015.0158" || padded[2].Level != 3 || padded[4].Level != 5 {
		t.Errorf("padded and 5-level codes: %+v, %v", padded, err)
	}
	got, _ := ParseClassifier(strings.NewReader("0005;А\n0005.0005;Б\n0005.0005.0056;В\n0005.0005.0056.1154;Уборка   снега\n"))
	if got[3].Level != 4 || got[3].Title != "Уборка снега" || Section(got[3].Code) != "0005" || TopicOf(got[3].Code) != "0005.0005.0056" {
		t.Errorf("parsed entry: %+v", got[3])
	}
}

func TestDemoClassifierParses(t *testing.T) {
	topics, err := ParseClassifier(strings.NewReader(string(demoClassifier)))
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]bool{}
	for _, tp := range topics {
		sections[Section(tp.Code)] = true
		if tp.Level == 4 && demoTexts[tp.Code] == nil {
			t.Errorf("demo question %s has no demo text", tp.Code)
		}
	}
	if len(sections) != 5 {
		t.Errorf("demo classifier has %d sections, want 5", len(sections))
	}
}

func TestConfigFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, err := ConfigFromEnv(env(nil))
	if err != nil || c.NumberFormat != DefaultNumberFormat || !c.ReportApproval {
		t.Fatalf("defaults: %+v, %v", c, err)
	}
	c, err = ConfigFromEnv(env(map[string]string{"GLASNOST_APPEALS_NUMBER_FORMAT": "ОГ-{seq:5}/{year}"}))
	if err == nil || !strings.Contains(err.Error(), "GLASNOST_APPEALS_NUMBER_FORMAT") {
		t.Errorf("a slash in the number format: %v", err)
	}
	c, err = ConfigFromEnv(env(map[string]string{"GLASNOST_APPEALS_NUMBER_FORMAT": "ОГ-{year}-{seq:5}", "GLASNOST_APPEALS_MAX_TEXT": "2000",
		"GLASNOST_APPEALS_REPORT_APPROVAL": "false", "GLASNOST_APPEALS_ANSWER_DAYS": "20"}))
	if err != nil || c.NumberFormat != "ОГ-{year}-{seq:5}" || c.MaxTextLength != 2000 || c.ReportApproval ||
		c.Rules.Answer.Days != 20 || c.Rules.Answer.Unit != deadline.CalendarDays {
		t.Errorf("settings: %+v, %v", c, err)
	}
	_, err = ConfigFromEnv(env(map[string]string{"GLASNOST_APPEALS_MAX_TEXT": "много", "GLASNOST_APPEALS_REPORT_APPROVAL": "может быть",
		"GLASNOST_APPEALS_WORKING_DAYS": "answer", "GLASNOST_APPEALS_ANSWER_DAYS": "45"}))
	for _, want := range []string{"GLASNOST_APPEALS_MAX_TEXT", "GLASNOST_APPEALS_REPORT_APPROVAL", "GLASNOST_APPEALS_WORKING_DAYS больше не поддерживается", "сократить", "GLASNOST_APPEALS_ANSWER_DAYS: ожидается", "45"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
}

// Every action the workflow admits has its step in Apply, and no step
// exists for an action the workflow does not know.
func TestEveryActionHasAStep(t *testing.T) {
	for act := range transitions {
		if steps[act] == nil {
			t.Errorf("action %q has no step in Apply", act)
		}
	}
	for act := range steps {
		if _, ok := transitions[act]; !ok {
			t.Errorf("step for %q, which the workflow does not know", act)
		}
	}
}
