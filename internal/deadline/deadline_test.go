package deadline_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/deadline"
)

// day is short for a date literal in the tables.
func day(y int, m time.Month, d int) deadline.Date { return deadline.NewDate(y, m, d) }

func defaultCalendar(t *testing.T) deadline.Calendar {
	t.Helper()
	c, err := deadline.Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return c
}

// Each row is a fact of the published production calendar of its year.
func TestIsWorkingDay(t *testing.T) {
	c := defaultCalendar(t)
	tests := []struct {
		date deadline.Date
		want bool
		why  string
	}{
		{day(2026, time.April, 15), true, "an ordinary Wednesday"},
		{day(2026, time.April, 18), false, "an ordinary Saturday"},

		// New Year holidays.
		{day(2026, time.January, 8), false, "2026: 8 January, New Year holidays"},
		{day(2026, time.January, 9), false, "2026: Friday 9 January, day off moved from Saturday 3 January"},
		{day(2026, time.January, 12), true, "2026: Monday 12 January, first working day"},
		{day(2025, time.January, 9), true, "2025: Thursday 9 January, first working day"},
		{day(2021, time.January, 11), true, "2021: Monday 11 January, first working day after 1-10 January"},
		{day(2022, time.January, 10), true, "2022: Monday 10 January, first working day after 1-9 January"},
		{day(2023, time.January, 9), true, "2023: Monday 9 January, first working day"},

		// Saturdays made working days by a decree.
		{day(2018, time.April, 28), true, "2018: Saturday 28 April, working"},
		{day(2018, time.June, 9), true, "2018: Saturday 9 June, working"},
		{day(2018, time.December, 29), true, "2018: Saturday 29 December, working"},
		{day(2021, time.February, 20), true, "2021: Saturday 20 February, working"},
		{day(2022, time.March, 5), true, "2022: Saturday 5 March, working"},
		{day(2024, time.April, 27), true, "2024: Saturday 27 April, working"},
		{day(2024, time.November, 2), true, "2024: Saturday 2 November, working"},
		{day(2024, time.December, 28), true, "2024: Saturday 28 December, working"},
		{day(2025, time.November, 1), true, "2025: Saturday 1 November, working"},
		{day(2027, time.February, 20), true, "2027: Saturday 20 February, working"},

		// Weekdays made days off by a decree.
		{day(2018, time.March, 9), false, "2018: Friday 9 March, from Saturday 6 January"},
		{day(2018, time.December, 31), false, "2018: Monday 31 December, from Saturday 29 December"},
		{day(2019, time.May, 10), false, "2019: Friday 10 May, from Saturday 23 February"},
		{day(2020, time.May, 4), false, "2020: Monday 4 May, from Saturday 4 January"},
		{day(2021, time.November, 5), false, "2021: Friday 5 November, from Saturday 2 January"},
		{day(2021, time.December, 31), false, "2021: Friday 31 December, from Sunday 3 January"},
		{day(2022, time.March, 7), false, "2022: Monday 7 March, from Saturday 5 March"},
		{day(2022, time.May, 3), false, "2022: Tuesday 3 May, from Saturday 1 January"},
		{day(2023, time.February, 24), false, "2023: Friday 24 February, from Sunday 1 January"},
		{day(2023, time.May, 8), false, "2023: Monday 8 May, from Sunday 8 January"},
		{day(2024, time.April, 29), false, "2024: Monday 29 April, from Saturday 27 April"},
		{day(2024, time.April, 30), false, "2024: Tuesday 30 April, from Saturday 2 November"},
		{day(2024, time.December, 30), false, "2024: Monday 30 December, from Saturday 28 December"},
		{day(2024, time.December, 31), false, "2024: Tuesday 31 December, from Sunday 7 January"},
		{day(2025, time.May, 2), false, "2025: Friday 2 May, from Saturday 4 January"},
		{day(2025, time.May, 8), false, "2025: Thursday 8 May, from Sunday 23 February"},
		{day(2025, time.June, 13), false, "2025: Friday 13 June, from Saturday 8 March"},
		{day(2025, time.November, 3), false, "2025: Monday 3 November, from Saturday 1 November"},
		{day(2025, time.December, 31), false, "2025: Wednesday 31 December, from Sunday 5 January"},
		{day(2026, time.December, 31), false, "2026: Thursday 31 December, from Sunday 4 January"},
		{day(2027, time.November, 5), false, "2027: Friday 5 November, from Saturday 2 January"},

		// A holiday on a weekend moves its day off to the next working day,
		// unless the decree moved that day elsewhere.
		{day(2018, time.November, 5), false, "2018: Monday 5 November, for Sunday 4 November"},
		{day(2020, time.May, 11), false, "2020: Monday 11 May, for Saturday 9 May"},
		{day(2021, time.June, 14), false, "2021: Monday 14 June, for Saturday 12 June"},
		{day(2023, time.November, 6), false, "2023: Monday 6 November, for Saturday 4 November"},
		{day(2026, time.March, 9), false, "2026: Monday 9 March, for Sunday 8 March"},
		{day(2026, time.May, 11), false, "2026: Monday 11 May, for Saturday 9 May"},
		{day(2019, time.February, 25), true, "2019: Monday 25 February works, 23 February went to 10 May"},
		{day(2025, time.February, 24), true, "2025: Monday 24 February works, 23 February went to 8 May"},
		{day(2025, time.March, 10), true, "2025: Monday 10 March works, 8 March went to 13 June"},
	}
	for _, tt := range tests {
		if got := c.IsWorkingDay(tt.date); got != tt.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v: %s", tt.date, got, tt.want, tt.why)
		}
	}
}

// TestDue is the article 193 reading: a term ending on a day off moves to
// the next working day. TestDuePreceding is the default.
func TestDue(t *testing.T) {
	c := defaultCalendar(t).WithTermEnd(deadline.NextWorkingDay)
	rules := deadline.DefaultRules()
	fiveWorking := deadline.Rule{Name: "5 рабочих дней", Days: 5, Unit: deadline.WorkingDays}
	tenWorking := deadline.Rule{Name: "10 рабочих дней", Days: 10, Unit: deadline.WorkingDays}
	tests := []struct {
		name  string
		rule  deadline.Rule
		start deadline.Date
		want  deadline.Date
	}{
		// Year ends.
		{"received 30 Dec 2025, registration falls on 2 Jan, holidays to 11 Jan",
			rules.Registration, day(2025, time.December, 30), day(2026, time.January, 12)},
		{"registered 30 Dec 2025, answer on an ordinary Thursday",
			rules.Answer, day(2025, time.December, 30), day(2026, time.January, 29)},
		{"received on Monday 30 Dec 2024, itself a day off",
			rules.Registration, day(2024, time.December, 30), day(2025, time.January, 9)},
		{"registered 1 Dec 2025, answer due on 31 Dec, a day off",
			rules.Answer, day(2025, time.December, 1), day(2026, time.January, 12)},
		{"media request 28 Dec 2026, due 4 Jan 2027 in the holidays to 10 Jan",
			rules.MediaAnswer, day(2026, time.December, 28), day(2027, time.January, 11)},

		// The May holidays.
		{"2024: due 1 May moves to 2 May",
			rules.Answer, day(2024, time.April, 1), day(2024, time.May, 2)},
		{"2024: due 9 May, holidays 9-12 May",
			rules.Answer, day(2024, time.April, 9), day(2024, time.May, 13)},
		{"2025: due Thursday 8 May, a day off moved from 23 February",
			rules.Answer, day(2025, time.April, 8), day(2025, time.May, 12)},
		{"2026: forwarding due Friday 1 May",
			rules.Forwarding, day(2026, time.April, 24), day(2026, time.May, 4)},

		// Transfers.
		{"2024: due Saturday 27 April, a working day",
			rules.Answer, day(2024, time.March, 28), day(2024, time.April, 27)},
		{"2025: due Saturday 1 November, a working day",
			rules.Answer, day(2025, time.October, 2), day(2025, time.November, 1)},
		{"2024: due Saturday 2 November, a working day",
			rules.Answer, day(2024, time.October, 3), day(2024, time.November, 2)},
		{"2024: due Tuesday 30 April, a weekday made a day off",
			rules.Answer, day(2024, time.March, 31), day(2024, time.May, 2)},
		{"2021: due Friday 5 November, a weekday made a day off",
			rules.Answer, day(2021, time.October, 6), day(2021, time.November, 8)},
		{"2025: due Friday 13 June, a weekday made a day off",
			rules.Answer, day(2025, time.May, 14), day(2025, time.June, 16)},

		// Saturday, Sunday, holiday.
		{"2026: due Saturday 7 March, then 8 and 9 March off",
			rules.Answer, day(2026, time.February, 5), day(2026, time.March, 10)},
		{"2026: due Sunday 21 June",
			rules.Answer, day(2026, time.May, 22), day(2026, time.June, 22)},
		{"2026: due 12 June, Russia Day",
			rules.Answer, day(2026, time.May, 13), day(2026, time.June, 15)},
		{"2026: expertise answer due 4 November, Unity Day",
			rules.ExpertiseAnswer, day(2026, time.October, 5), day(2026, time.November, 5)},
		{"2026: media notice due Monday",
			rules.MediaNotice, day(2026, time.April, 2), day(2026, time.April, 6)},

		// Working days.
		{"2026: 5 working days from 30 April skip 1-3 May",
			fiveWorking, day(2026, time.April, 30), day(2026, time.May, 8)},
		{"10 working days across the New Year holidays",
			tenWorking, day(2025, time.December, 26), day(2026, time.January, 21)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Due(tt.start, tt.rule); got != tt.want {
				t.Errorf("Due(%s, %s %d %s) = %s (%s), want %s (%s)", tt.start, tt.rule.Name, tt.rule.Days, tt.rule.Unit,
					got, got.Weekday(), tt.want, tt.want.Weekday())
			}
		})
	}
}

func TestWorkingDaysAcrossNewYear(t *testing.T) {
	c := defaultCalendar(t)
	adds := []struct {
		start deadline.Date
		n     int
		want  deadline.Date
	}{
		{day(2025, time.December, 29), 3, day(2026, time.January, 13)},  // 30 Dec, 12 Jan, 13 Jan
		{day(2024, time.December, 27), 1, day(2024, time.December, 28)}, // a working Saturday
		{day(2024, time.December, 27), 2, day(2025, time.January, 9)},   // 29 Dec - 8 Jan off
		{day(2026, time.January, 13), -3, day(2025, time.December, 29)}, // backwards
		{day(2026, time.January, 3), 0, day(2026, time.January, 3)},     // zero is the start, even a day off
		{day(2021, time.December, 30), 1, day(2022, time.January, 10)},  // 31 Dec 2021 - 9 Jan 2022 off
	}
	for _, tt := range adds {
		if got := c.AddWorkingDays(tt.start, tt.n); got != tt.want {
			t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tt.start, tt.n, got, tt.want)
		}
	}

	betweens := []struct {
		a, b deadline.Date
		want int
	}{
		{day(2025, time.December, 26), day(2026, time.January, 16), 7}, // 29, 30 Dec; 12-16 Jan
		{day(2026, time.January, 16), day(2025, time.December, 26), -7},
		{day(2025, time.December, 30), day(2026, time.January, 11), 0},
		{day(2024, time.December, 27), day(2025, time.January, 9), 2}, // 28 Dec (Saturday), 9 Jan
		{day(2026, time.January, 12), day(2026, time.January, 12), 0},
	}
	for _, tt := range betweens {
		if got := c.WorkingDaysBetween(tt.a, tt.b); got != tt.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}

	// The two agree: n working days after any day, and n working days
	// before a working day (a deadline), are n working days away.
	for d := day(2025, time.December, 20); d.Before(day(2026, time.January, 20)); d = d.AddDays(1) {
		for _, n := range []int{1, 5, 6} {
			if got := c.WorkingDaysBetween(d, c.AddWorkingDays(d, n)); got != n {
				t.Fatalf("WorkingDaysBetween(%s, AddWorkingDays(%s, %d)) = %d", d, d, n, got)
			}
			if !c.IsWorkingDay(d) {
				continue
			}
			if got := c.WorkingDaysBetween(c.AddWorkingDays(d, -n), d); got != n {
				t.Fatalf("WorkingDaysBetween(AddWorkingDays(%s, -%d), %s) = %d", d, n, d, got)
			}
		}
	}
}

func TestReminderDates(t *testing.T) {
	c := defaultCalendar(t)
	tests := []struct {
		due  deadline.Date
		want [2]deadline.Date
	}{
		{day(2026, time.January, 13), [2]deadline.Date{day(2025, time.December, 25), day(2026, time.January, 12)}},
		// One working day before 2 May 2024 is the working Saturday 27 April.
		{day(2024, time.May, 2), [2]deadline.Date{day(2024, time.April, 23), day(2024, time.April, 27)}},
		{day(2026, time.May, 12), [2]deadline.Date{day(2026, time.May, 4), day(2026, time.May, 8)}},
	}
	for _, tt := range tests {
		got := c.ReminderDates(tt.due)
		if len(got) != 2 || got[0] != tt.want[0] || got[1] != tt.want[1] {
			t.Errorf("ReminderDates(%s) = %v, want %v", tt.due, got, tt.want)
		}
		for i, n := range []int{5, 1} {
			if len(got) == 2 && c.WorkingDaysBetween(got[i], tt.due) != n {
				t.Errorf("reminder %s is not %d working days before %s", got[i], n, tt.due)
			}
		}
	}
}

func TestDuePreceding(t *testing.T) {
	c := defaultCalendar(t)
	if c.TermEnd() != deadline.PrecedingWorkingDay {
		t.Fatalf("default TermEnd = %v, want PrecedingWorkingDay", c.TermEnd())
	}
	rules := deadline.DefaultRules()
	tests := []struct {
		name  string
		rule  deadline.Rule
		start deadline.Date
		want  deadline.Date
	}{
		{"registered 5 Dec 2026, answer due 4 Jan 2027 in the holidays: 30 Dec", // 31 Dec 2026 is a day off
			rules.Answer, day(2026, time.December, 5), day(2026, time.December, 30)},
		{"registered 30 Dec 2025, answer on an ordinary Thursday",
			rules.Answer, day(2025, time.December, 30), day(2026, time.January, 29)},
		{"registered 1 Dec 2025, answer due on 31 Dec, a day off: 30 Dec",
			rules.Answer, day(2025, time.December, 1), day(2025, time.December, 30)},
		{"2026: due Saturday 7 March: Friday 6 March",
			rules.Answer, day(2026, time.February, 5), day(2026, time.March, 6)},
		{"2026: due Sunday 21 June: Friday 19 June",
			rules.Answer, day(2026, time.May, 22), day(2026, time.June, 19)},
		{"2026: due 12 June, Russia Day: 11 June",
			rules.Answer, day(2026, time.May, 13), day(2026, time.June, 11)},
		{"2024: due Saturday 27 April, a working day, stays",
			rules.Answer, day(2024, time.March, 28), day(2024, time.April, 27)},
		{"2026: forwarding due Friday 1 May: Thursday 30 April",
			rules.Forwarding, day(2026, time.April, 24), day(2026, time.April, 30)},
		{"2026: notice under art. 11 due Sunday: Friday",
			rules.Notice, day(2026, time.March, 15), day(2026, time.March, 20)},
		{"2026: expertise answer due 4 November: 3 November",
			rules.ExpertiseAnswer, day(2026, time.October, 5), day(2026, time.November, 3)},
		{"no working day inside the period: the next working day after it",
			rules.Registration, day(2025, time.December, 31), day(2026, time.January, 12)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Due(tt.start, tt.rule)
			if got != tt.want {
				t.Errorf("Due(%s, %s) = %s (%s), want %s (%s)", tt.start, tt.rule.Name, got, got.Weekday(), tt.want, tt.want.Weekday())
			}
			// Never past the statutory day, unless the period holds no working day.
			if stat := c.Statutory(tt.start, tt.rule); got.After(stat) && c.WorkingDaysBetween(tt.start, stat) > 0 {
				t.Errorf("Due %s is past the statutory day %s", got, stat)
			}
		})
	}
}

func TestExtend(t *testing.T) {
	c := defaultCalendar(t)
	answer := deadline.DefaultRules().Answer
	tests := []struct {
		name       string
		end        deadline.TermEnd
		registered deadline.Date
		today      deadline.Date
		days       int
		want       deadline.Date
		wantErr    error
	}{
		{"+30 from registration 5 Dec 2026 is 3 Feb 2027, not 10 Feb", deadline.PrecedingWorkingDay,
			day(2026, time.December, 5), day(2026, time.December, 20), 30, day(2027, time.February, 3), nil},
		{"the same under article 193: 3 Feb is a working day", deadline.NextWorkingDay,
			day(2026, time.December, 5), day(2026, time.December, 20), 30, day(2027, time.February, 3), nil},
		{"+1 counts from the statutory day", deadline.PrecedingWorkingDay,
			day(2026, time.February, 8), day(2026, time.February, 20), 1, day(2026, time.March, 11), nil},
		{"extended to Sunday 21 June 2026: Friday 19 June", deadline.PrecedingWorkingDay,
			day(2026, time.April, 22), day(2026, time.May, 1), 30, day(2026, time.June, 19), nil},
		{"extended to Sunday 21 June 2026, article 193: Monday 22 June", deadline.NextWorkingDay,
			day(2026, time.April, 22), day(2026, time.May, 1), 30, day(2026, time.June, 22), nil},
		{"asked on the last day of the term", deadline.PrecedingWorkingDay,
			day(2026, time.February, 8), day(2026, time.March, 10), 10, day(2026, time.March, 20), nil},
		{"asked the day after the term ended", deadline.PrecedingWorkingDay,
			day(2026, time.February, 8), day(2026, time.March, 11), 10, deadline.Date{}, deadline.ErrTermEnded},
		{"+31 is beyond the law", deadline.PrecedingWorkingDay,
			day(2026, time.February, 8), day(2026, time.February, 20), 31, deadline.Date{}, deadline.ErrExtensionTooLong},
		{"+0 is no extension", deadline.PrecedingWorkingDay,
			day(2026, time.February, 8), day(2026, time.February, 20), 0, deadline.Date{}, deadline.ErrExtensionTooShort},
		{"negative", deadline.PrecedingWorkingDay,
			day(2026, time.February, 8), day(2026, time.February, 20), -5, deadline.Date{}, deadline.ErrExtensionTooShort},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal := c.WithTermEnd(tt.end)
			current := cal.Due(tt.registered, answer)
			got, err := cal.Extend(tt.registered, answer, current, tt.today, tt.days)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Extend(%s, %d) error = %v, want %v", tt.registered, tt.days, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("Extend(%s, %d) = %s, want %s", tt.registered, tt.days, got, tt.want)
			}
		})
	}

	// The official reads the error as it is.
	_, err := c.Extend(day(2026, time.February, 8), answer, day(2026, time.March, 10), day(2026, time.February, 9), 31)
	if msg := err.Error(); !strings.Contains(msg, "не более чем на 30 дней") || !strings.Contains(msg, "31") {
		t.Errorf("Extend error %q should say the limit and the request in Russian", msg)
	}
	_, err = c.Extend(day(2026, time.February, 8), answer, day(2026, time.March, 10), day(2026, time.March, 12), 5)
	if msg := err.Error(); !strings.Contains(msg, "истёк") || !strings.Contains(msg, "10.03.2026") {
		t.Errorf("Extend error %q should say the term ended and when", msg)
	}
}

func TestTermEndSetting(t *testing.T) {
	for _, e := range deadline.TermEnds {
		got, err := deadline.ParseTermEnd(e.String())
		if err != nil || got != e {
			t.Errorf("ParseTermEnd(%q) = %v, %v", e.String(), got, err)
		}
		if e.Label() == "" || !strings.Contains(e.Explain(), "нерабочий день") {
			t.Errorf("%v: label %q, explanation %q", e, e.Label(), e.Explain())
		}
	}
	if _, err := deadline.ParseTermEnd("later"); err == nil {
		t.Error("ParseTermEnd accepted an unknown value")
	}
}

func TestOverrides(t *testing.T) {
	c := defaultCalendar(t)
	answer := deadline.DefaultRules().Answer
	registered := day(2026, time.February, 18) // answer due Friday 20 March 2026

	if got := c.Due(registered, answer); got != day(2026, time.March, 20) {
		t.Fatalf("without the regional holiday: due %s, want 2026-03-20", got)
	}

	regional := c.WithOverrides(deadline.Override{
		Date: day(2026, time.March, 20),
		Note: "Ураза-байрам (региональный нерабочий праздничный день)",
	})
	if got := regional.Due(registered, answer); got != day(2026, time.March, 19) {
		t.Errorf("with the regional holiday: due %s, want Thursday 2026-03-19", got)
	}
	if got := regional.WithTermEnd(deadline.NextWorkingDay).Due(registered, answer); got != day(2026, time.March, 23) {
		t.Errorf("with the regional holiday, article 193: due %s, want Monday 2026-03-23", got)
	}
	if got := regional.Note(day(2026, time.March, 20)); !strings.HasPrefix(got, "Ураза-байрам") {
		t.Errorf("Note = %q, want the administrator's note", got)
	}
	if !c.IsWorkingDay(day(2026, time.March, 20)) {
		t.Error("WithOverrides changed the calendar it was called on")
	}

	// A day off made a working day, and the later of two corrections wins.
	worked := regional.WithOverrides(
		deadline.Override{Date: day(2026, time.January, 9), Working: false, Note: "first"},
		deadline.Override{Date: day(2026, time.January, 9), Working: true, Note: "рабочий день по решению главы"},
	)
	if got := worked.AddWorkingDays(day(2025, time.December, 30), 1); got != day(2026, time.January, 9) {
		t.Errorf("AddWorkingDays onto a worked 9 January = %s", got)
	}
	list := worked.Overrides()
	if len(list) != 2 || list[0].Date != day(2026, time.January, 9) || !list[0].Working || list[1].Date != day(2026, time.March, 20) {
		t.Errorf("Overrides() = %v, want 9 January (working) then 20 March, in date order", list)
	}

	// Overrides apply beyond the shipped years too.
	far := c.WithOverrides(deadline.Override{Date: day(2030, time.June, 3), Note: "региональный праздник"})
	if far.IsWorkingDay(day(2030, time.June, 3)) {
		t.Error("override in a fallback year ignored")
	}
}

func TestFallbackBeyondShippedYears(t *testing.T) {
	c := defaultCalendar(t)
	if d, ok := c.Decree(2026); !ok || !strings.Contains(d, "№ 1466") {
		t.Errorf("Decree(2026) = %q, %v", d, ok)
	}
	if _, ok := c.Decree(2028); ok {
		t.Error("Decree(2028) reported as shipped")
	}
	tests := []struct {
		date deadline.Date
		want bool
		why  string
	}{
		{day(2028, time.January, 7), false, "Christmas, a Friday"},
		{day(2028, time.January, 10), true, "no decree: the weekend holidays of January are not transferred"},
		{day(2028, time.March, 8), false, "a holiday on Wednesday"},
		{day(2028, time.November, 4), false, "a holiday on Saturday"},
		{day(2028, time.November, 6), false, "its day off moves to Monday"},
		{day(2028, time.November, 7), true, "the Tuesday after"},
		{day(2029, time.November, 5), false, "2029: Sunday 4 November moves to Monday"},
		{day(2017, time.November, 6), false, "before the shipped years too: Saturday 4 November 2017"},
	}
	for _, tt := range tests {
		if got := c.IsWorkingDay(tt.date); got != tt.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v: %s", tt.date, got, tt.want, tt.why)
		}
	}
	if got := c.WithTermEnd(deadline.NextWorkingDay).Due(day(2028, time.October, 7), deadline.DefaultRules().Answer); got != day(2028, time.November, 7) {
		t.Errorf("fallback Due, article 193 = %s, want 2028-11-07", got)
	}
	if got := c.Due(day(2028, time.October, 7), deadline.DefaultRules().Answer); got != day(2028, time.November, 3) {
		t.Errorf("fallback Due = %s, want Friday 2028-11-03", got)
	}
	if got := c.Note(day(2028, time.November, 6)); !strings.Contains(got, "День народного единства") {
		t.Errorf("fallback Note = %q", got)
	}

	// The zero Calendar is the fallback everywhere: 9 March 2026 by article
	// 112, but not 9 January, which only the decree made a day off.
	var zero deadline.Calendar
	if zero.IsWorkingDay(day(2026, time.March, 9)) || !zero.IsWorkingDay(day(2026, time.January, 9)) {
		t.Error("zero Calendar does not follow article 112 alone")
	}
}

// The working days of each shipped year, as the published production
// calendars count them for the five-day week. A wrong line in the data
// file changes the count.
func TestWorkingDaysPerYear(t *testing.T) {
	c := defaultCalendar(t)
	want := map[int]int{
		2018: 247, 2019: 247, 2020: 248, 2021: 247, 2022: 247,
		2023: 247, 2024: 248, 2025: 247, 2026: 247, 2027: 247,
	}
	for year := 2018; year <= 2027; year++ {
		if _, ok := c.Decree(year); !ok {
			t.Errorf("year %d not shipped", year)
			continue
		}
		got := c.WorkingDaysBetween(day(year-1, time.December, 31), day(year, time.December, 31))
		if got < 247 || got > 249 {
			t.Errorf("%d: %d working days, outside the five-day-week norm of 247-249", year, got)
		}
		if got != want[year] {
			t.Errorf("%d: %d working days, the published calendar has %d", year, got, want[year])
		}
	}
}

func TestRules(t *testing.T) {
	rules := deadline.DefaultRules()
	if err := rules.Validate(); err != nil {
		t.Fatalf("DefaultRules().Validate() = %v", err)
	}
	for _, r := range []deadline.Rule{rules.Registration, rules.Forwarding, rules.Answer, rules.Extension,
		rules.ExpertiseAnswer, rules.MediaAnswer, rules.MediaNotice} {
		if r.Unit != deadline.CalendarDays || r.Basis == "" {
			t.Errorf("rule %q: unit %s, basis %q; the law counts calendar days and must be cited", r.Name, r.Unit, r.Basis)
		}
	}
	if got := [...]int{rules.Registration.Days, rules.Forwarding.Days, rules.Answer.Days, rules.Extension.Days,
		rules.ExpertiseAnswer.Days, rules.MediaAnswer.Days}; got != [...]int{3, 7, 30, 30, 30, 7} {
		t.Errorf("default periods = %v", got)
	}

	long := rules
	long.Extension.Days = 45
	if err := long.Validate(); !errors.Is(err, deadline.ErrExtensionTooLong) {
		t.Errorf("45-day extension: Validate() = %v", err)
	}
	empty := rules
	empty.Answer.Days = 0
	if err := empty.Validate(); err == nil {
		t.Error("0-day answer period passed Validate")
	}

	var u deadline.Unit
	if err := u.UnmarshalText([]byte("working_days")); err != nil || u != deadline.WorkingDays {
		t.Errorf("UnmarshalText(working_days) = %v, %v", u, err)
	}
	if err := u.UnmarshalText([]byte("weeks")); err == nil {
		t.Error("UnmarshalText(weeks) accepted")
	}
}
