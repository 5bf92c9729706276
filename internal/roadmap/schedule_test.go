package roadmap

import (
	"testing"
	"time"
)

func TestParseSchedule(t *testing.T) {
	d := Date
	tests := []struct {
		text     string
		kind     ScheduleKind
		from, to time.Time
		every    Frequency
	}{
		// Every wording of the seed.
		{"До 01.11.2018 года", ScheduleDeadline, time.Time{}, d(2018, 11, 1), ""},
		{"До 1 декабря 2018 года", ScheduleDeadline, time.Time{}, d(2018, 12, 1), ""},
		{"В течение 2018 года", SchedulePeriod, d(2018, 1, 1), d(2018, 12, 31), ""},
		{"2019 год", SchedulePeriod, d(2019, 1, 1), d(2019, 12, 31), ""},
		{"Июль 2018 года", SchedulePeriod, d(2018, 7, 1), d(2018, 7, 31), ""},
		{"Декабрь 2018 года", SchedulePeriod, d(2018, 12, 1), d(2018, 12, 31), ""},
		{"Февраль 2019 года", SchedulePeriod, d(2019, 2, 1), d(2019, 2, 28), ""},
		{"Март 2019 года", SchedulePeriod, d(2019, 3, 1), d(2019, 3, 31), ""},
		{"Декабрь 2018-январь 2019 годов", SchedulePeriod, d(2018, 12, 1), d(2019, 1, 31), ""},
		{"2 квартал 2018 года", SchedulePeriod, d(2018, 4, 1), d(2018, 6, 30), ""},
		{"4 квартал 2018 года", SchedulePeriod, d(2018, 10, 1), d(2018, 12, 31), ""},
		{"1 квартал 2019 года", SchedulePeriod, d(2019, 1, 1), d(2019, 3, 31), ""},
		{"2-3 квартал 2019 года", SchedulePeriod, d(2019, 4, 1), d(2019, 9, 30), ""},
		{"4 квартал 2019 года", SchedulePeriod, d(2019, 10, 1), d(2019, 12, 31), ""},
		{"Постоянно", ScheduleRecurring, time.Time{}, time.Time{}, Continuous},
		{"Еженедельно", ScheduleRecurring, time.Time{}, time.Time{}, Weekly},
		{"Ежеквартально", ScheduleRecurring, time.Time{}, time.Time{}, Quarterly},
		{"Ежегодно", ScheduleRecurring, time.Time{}, time.Time{}, Yearly},
		{"По мере поступления", ScheduleRecurring, time.Time{}, time.Time{}, OnDemand},

		// Case, spaces, dashes and stops as people type them.
		{"  до 01.11.2018 г.  ", ScheduleDeadline, time.Time{}, d(2018, 11, 1), ""},
		{"ДО 01.11.2018", ScheduleDeadline, time.Time{}, d(2018, 11, 1), ""},
		{"до\u00a01 декабря 2018\u00a0г.", ScheduleDeadline, time.Time{}, d(2018, 12, 1), ""},
		{"не позднее 1.7.2019", ScheduleDeadline, time.Time{}, d(2019, 7, 1), ""},
		{"в срок до 15 марта 2019 года", ScheduleDeadline, time.Time{}, d(2019, 3, 15), ""},
		{"01.11.2018", ScheduleDeadline, time.Time{}, d(2018, 11, 1), ""},
		{"До конца 2018 года", ScheduleDeadline, time.Time{}, d(2018, 12, 31), ""},
		{"Декабрь 2018 – январь 2019 годов", SchedulePeriod, d(2018, 12, 1), d(2019, 1, 31), ""},
		{"Декабрь 2018 — январь 2019 гг.", SchedulePeriod, d(2018, 12, 1), d(2019, 1, 31), ""},
		{"декабрь 2018 г. - январь 2019 г.", SchedulePeriod, d(2018, 12, 1), d(2019, 1, 31), ""},
		{"Июль–август 2018 года", SchedulePeriod, d(2018, 7, 1), d(2018, 8, 31), ""},
		{"с июля по сентябрь 2018 года", SchedulePeriod, d(2018, 7, 1), d(2018, 9, 30), ""},
		{"в июле 2018 года", SchedulePeriod, d(2018, 7, 1), d(2018, 7, 31), ""},
		{"ФЕВРАЛЬ 2020 ГОДА", SchedulePeriod, d(2020, 2, 1), d(2020, 2, 29), ""},
		{"2 – 3 квартал 2019 года", SchedulePeriod, d(2019, 4, 1), d(2019, 9, 30), ""},
		{"2—3 кварталы 2019 г.", SchedulePeriod, d(2019, 4, 1), d(2019, 9, 30), ""},
		{"IV квартал 2018 года", SchedulePeriod, d(2018, 10, 1), d(2018, 12, 31), ""},
		{"4-й квартал 2018 г.", SchedulePeriod, d(2018, 10, 1), d(2018, 12, 31), ""},
		{"в течение 4 квартала 2018 года", SchedulePeriod, d(2018, 10, 1), d(2018, 12, 31), ""},
		{"4 кв. 2018", SchedulePeriod, d(2018, 10, 1), d(2018, 12, 31), ""},
		{"4 квартал 2018 года - 1 квартал 2019 года", SchedulePeriod, d(2018, 10, 1), d(2019, 3, 31), ""},
		{"1 полугодие 2019 года", SchedulePeriod, d(2019, 1, 1), d(2019, 6, 30), ""},
		{"II полугодие 2019 г.", SchedulePeriod, d(2019, 7, 1), d(2019, 12, 31), ""},
		{"в течение 2018 г.", SchedulePeriod, d(2018, 1, 1), d(2018, 12, 31), ""},
		{"2019", SchedulePeriod, d(2019, 1, 1), d(2019, 12, 31), ""},
		{"В 2019 году", SchedulePeriod, d(2019, 1, 1), d(2019, 12, 31), ""},
		{"2018-2019 годы", SchedulePeriod, d(2018, 1, 1), d(2019, 12, 31), ""},
		{"В течение 2018–2019 годов", SchedulePeriod, d(2018, 1, 1), d(2019, 12, 31), ""},
		{"С 01.02.2019 по 30.04.2019", SchedulePeriod, d(2019, 2, 1), d(2019, 4, 30), ""},
		{"01.02.2019 - 30.04.2019", SchedulePeriod, d(2019, 2, 1), d(2019, 4, 30), ""},
		{"ПОСТОЯННО", ScheduleRecurring, time.Time{}, time.Time{}, Continuous},
		{"Постоянно.", ScheduleRecurring, time.Time{}, time.Time{}, Continuous},
		{"на постоянной основе", ScheduleRecurring, time.Time{}, time.Time{}, Continuous},
		{"Ежемесячно", ScheduleRecurring, time.Time{}, time.Time{}, Monthly},
		{"ежеквартально, в течение 2019 года", ScheduleRecurring, d(2019, 1, 1), d(2019, 12, 31), Quarterly},
		{"Ежегодно 2018-2019 гг.", ScheduleRecurring, d(2018, 1, 1), d(2019, 12, 31), Yearly},
		{"по мере поступления запросов", ScheduleRecurring, time.Time{}, time.Time{}, OnDemand},
		{"По мере необходимости", ScheduleRecurring, time.Time{}, time.Time{}, OnDemand},
	}
	for _, tt := range tests {
		got := ParseSchedule(tt.text)
		want := Schedule{Kind: tt.kind, From: tt.from, To: tt.to, Every: tt.every, Text: tt.text}
		if got != want {
			t.Errorf("ParseSchedule(%q)\n got %+v\nwant %+v", tt.text, got, want)
		}
	}
}

// Wording that is not a schedule, or not a whole one, must stay as written
// for a person to set, and never stop an import.
func TestParseScheduleUnparsed(t *testing.T) {
	for _, text := range []string{
		"",
		"   ",
		"По согласованию",
		"В течение года",           // no year
		"2 квартал",                // no year
		"Июль",                     // no year
		"До 01.11.18 года",         // two-digit year
		"До 31.02.2018 года",       // no such day
		"До 01.13.2018",            // no such month
		"До 32 декабря 2018 года",  // no such day
		"5 квартал 2018 года",      // no such quarter
		"3-2 квартал 2019 года",    // backwards
		"2019-2018 годы",           // backwards
		"Январь 2019-декабрь 2018", // backwards
		"Весна 2019 года",          // not a month
		"Ежеквартально, до 10 числа месяца, следующего за отчётным",
		"1 раз в полгода",
		"2019 год, по согласованию",
		"В течение 2018 года (по отдельному плану)",
		"9999 год",
		"Постоянно и ежегодно",
	} {
		got := ParseSchedule(text)
		if got.Kind != ScheduleUnparsed || got.Text != text || !got.From.IsZero() || !got.To.IsZero() || got.Every != "" {
			t.Errorf("ParseSchedule(%q) = %+v, want unparsed with the text kept", text, got)
		}
	}
}

// Wording writes what ParseSchedule reads back, so a schedule set by hand or
// moved by Shift can be shown and stored as text.
func TestScheduleWordingRoundTrip(t *testing.T) {
	res := importSeed(t)
	var schedules []Schedule
	for _, m := range res.Roadmap.Mechanisms {
		for _, ms := range m.Measures {
			s := ms.Schedule
			if s.Kind == ScheduleRecurring {
				s.From, s.To = time.Time{}, time.Time{} // bound by the import, not by the wording
			}
			schedules = append(schedules, s)
		}
	}
	for _, text := range []string{"1 полугодие 2019 года", "2018-2019 годы", "С 15.02.2019 по 30.04.2019",
		"Июль–август 2018 года", "4 квартал 2018 года - 1 квартал 2019 года", "Ежемесячно"} {
		schedules = append(schedules, ParseSchedule(text))
	}
	for _, s := range schedules {
		w := s.Wording()
		back := ParseSchedule(w)
		if back.Kind != s.Kind || !back.From.Equal(s.From) || !back.To.Equal(s.To) || back.Every != s.Every {
			t.Errorf("%q: Wording() = %q, which reads back as %+v", s.Text, w, back)
		}
	}
	if w := ParseSchedule("Декабрь 2018-январь 2019 годов").Wording(); w != "Декабрь 2018 – январь 2019 годов" {
		t.Errorf("Wording = %q", w)
	}
	if w := ParseSchedule("какой-то срок").Wording(); w != "какой-то срок" {
		t.Errorf("unparsed Wording = %q, want the text", w)
	}
}

func TestPeriods(t *testing.T) {
	d := Date
	quarterly := Schedule{Kind: ScheduleRecurring, Every: Quarterly, From: d(2018, 3, 7), To: d(2019, 12, 31)}
	got := quarterly.Periods(d(2018, 10, 1))
	want := []Period{
		{d(2018, 3, 7), d(2018, 3, 31)}, // clipped to the start of the plan
		{d(2018, 4, 1), d(2018, 6, 30)},
		{d(2018, 7, 1), d(2018, 9, 30)},
		{d(2018, 10, 1), d(2018, 12, 31)}, // begun at until, still running
	}
	if !equalPeriods(got, want) {
		t.Errorf("quarterly: got %v, want %v", got, want)
	}
	if n := len(quarterly.Periods(d(2030, 1, 1))); n != 8 {
		t.Errorf("quarterly over the whole plan: %d periods, want 8", n)
	}

	weekly := Schedule{Kind: ScheduleRecurring, Every: Weekly, From: d(2018, 1, 1), To: d(2018, 1, 20)}
	// 1 January 2018 was a Monday.
	want = []Period{{d(2018, 1, 1), d(2018, 1, 7)}, {d(2018, 1, 8), d(2018, 1, 14)}, {d(2018, 1, 15), d(2018, 1, 20)}}
	if got := weekly.Periods(time.Date(2018, 5, 1, 15, 30, 0, 0, time.FixedZone("MSK", 3*3600))); !equalPeriods(got, want) {
		t.Errorf("weekly: got %v, want %v", got, want)
	}
	midweek := Schedule{Kind: ScheduleRecurring, Every: Weekly, From: d(2018, 1, 3), To: d(2018, 1, 10)}
	want = []Period{{d(2018, 1, 3), d(2018, 1, 7)}, {d(2018, 1, 8), d(2018, 1, 10)}}
	if got := midweek.Periods(d(2018, 2, 1)); !equalPeriods(got, want) {
		t.Errorf("weekly from a Wednesday: got %v, want %v", got, want)
	}

	monthly := Schedule{Kind: ScheduleRecurring, Every: Monthly, From: d(2019, 1, 15), To: d(2019, 3, 31)}
	want = []Period{{d(2019, 1, 15), d(2019, 1, 31)}, {d(2019, 2, 1), d(2019, 2, 28)}, {d(2019, 3, 1), d(2019, 3, 31)}}
	if got := monthly.Periods(d(2019, 12, 1)); !equalPeriods(got, want) {
		t.Errorf("monthly: got %v, want %v", got, want)
	}

	yearly := Schedule{Kind: ScheduleRecurring, Every: Yearly, From: d(2018, 1, 1), To: d(2019, 12, 31)}
	want = []Period{{d(2018, 1, 1), d(2018, 12, 31)}, {d(2019, 1, 1), d(2019, 12, 31)}}
	if got := yearly.Periods(d(2019, 1, 1)); !equalPeriods(got, want) {
		t.Errorf("yearly: got %v, want %v", got, want)
	}

	continuous := Schedule{Kind: ScheduleRecurring, Every: Continuous, From: d(2018, 1, 1), To: d(2019, 12, 31)}
	want = []Period{{d(2018, 1, 1), d(2019, 12, 31)}}
	if got := continuous.Periods(d(2018, 6, 1)); !equalPeriods(got, want) {
		t.Errorf("continuous: got %v, want %v", got, want)
	}

	for name, s := range map[string]Schedule{
		"before the start": quarterly,
		"on demand":        {Kind: ScheduleRecurring, Every: OnDemand, From: d(2018, 1, 1), To: d(2019, 12, 31)},
		"unbound":          ParseSchedule("Ежеквартально"),
		"period":           ParseSchedule("2019 год"),
		"deadline":         ParseSchedule("До 01.11.2018 года"),
		"unparsed":         ParseSchedule("по согласованию"),
	} {
		if got := s.Periods(d(2018, 1, 1)); got != nil {
			t.Errorf("%s: got %v, want none", name, got)
		}
	}
}

func equalPeriods(a, b []Period) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].From.Equal(b[i].From) || !a[i].To.Equal(b[i].To) {
			return false
		}
	}
	return true
}

func TestScheduleShift(t *testing.T) {
	d := Date
	tests := []struct {
		text          string
		years, months int
		want          Schedule
	}{
		{"До 01.11.2018 года", 7, 0, Schedule{Kind: ScheduleDeadline, To: d(2025, 11, 1), Text: "До 01.11.2025 года"}},
		{"В течение 2018 года", 7, 0, Schedule{Kind: SchedulePeriod, From: d(2025, 1, 1), To: d(2025, 12, 31), Text: "В течение 2025 года"}},
		{"Декабрь 2018-январь 2019 годов", 7, 0, Schedule{Kind: SchedulePeriod, From: d(2025, 12, 1), To: d(2026, 1, 31), Text: "Декабрь 2025-январь 2026 годов"}},
		{"Февраль 2019 года", 1, 0, Schedule{Kind: SchedulePeriod, From: d(2020, 2, 1), To: d(2020, 2, 29), Text: "Февраль 2020 года"}},
		{"Февраль 2019 года", 0, 24, Schedule{Kind: SchedulePeriod, From: d(2021, 2, 1), To: d(2021, 2, 28), Text: "Февраль 2021 года"}},
		// Shifts by months keep month ends at month ends and write the wording anew.
		{"4 квартал 2018 года", 0, 3, Schedule{Kind: SchedulePeriod, From: d(2019, 1, 1), To: d(2019, 3, 31), Text: "1 квартал 2019 года"}},
		{"2-3 квартал 2019 года", 6, 4, Schedule{Kind: SchedulePeriod, From: d(2025, 8, 1), To: d(2026, 1, 31), Text: "Август 2025 – январь 2026 годов"}},
		{"До 31.01.2019 года", 0, 1, Schedule{Kind: ScheduleDeadline, To: d(2019, 2, 28), Text: "До 28.02.2019 года"}},
		{"До 30.01.2019 года", 0, 1, Schedule{Kind: ScheduleDeadline, To: d(2019, 2, 28), Text: "До 28.02.2019 года"}},
		{"До 15.01.2019 года", 0, -2, Schedule{Kind: ScheduleDeadline, To: d(2018, 11, 15), Text: "До 15.11.2018 года"}},
		{"Июль 2018 года", 0, 1, Schedule{Kind: SchedulePeriod, From: d(2018, 8, 1), To: d(2018, 8, 31), Text: "Август 2018 года"}},
		{"Постоянно", 7, 0, Schedule{Kind: ScheduleRecurring, Every: Continuous, Text: "Постоянно"}},
		{"по согласованию 2018", 7, 0, Schedule{Kind: ScheduleUnparsed, Text: "по согласованию 2018"}},
	}
	for _, tt := range tests {
		if got := ParseSchedule(tt.text).Shift(tt.years, tt.months); got != tt.want {
			t.Errorf("%q.Shift(%d, %d)\n got %+v\nwant %+v", tt.text, tt.years, tt.months, got, tt.want)
		}
	}
}
