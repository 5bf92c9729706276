package deadline_test

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/deadline"
)

// decreeTransfers are the transfers of days off as each year's decree words
// them: "перенести с субботы 3 января на пятницу 9 января". They are a
// second, independent statement of the shipped data: the test derives
// every day of the year from them and article 112, and the calendar file
// must agree.
var decreeTransfers = map[int][][2]deadline.Date{
	2018: {{day(2018, 1, 6), day(2018, 3, 9)}, {day(2018, 1, 7), day(2018, 5, 2)}, {day(2018, 4, 28), day(2018, 4, 30)},
		{day(2018, 6, 9), day(2018, 6, 11)}, {day(2018, 12, 29), day(2018, 12, 31)}},
	2019: {{day(2019, 1, 5), day(2019, 5, 2)}, {day(2019, 1, 6), day(2019, 5, 3)}, {day(2019, 2, 23), day(2019, 5, 10)}},
	2020: {{day(2020, 1, 4), day(2020, 5, 4)}, {day(2020, 1, 5), day(2020, 5, 5)}},
	2021: {{day(2021, 1, 2), day(2021, 11, 5)}, {day(2021, 1, 3), day(2021, 12, 31)}, {day(2021, 2, 20), day(2021, 2, 22)}},
	2022: {{day(2022, 1, 1), day(2022, 5, 3)}, {day(2022, 1, 2), day(2022, 5, 10)}, {day(2022, 3, 5), day(2022, 3, 7)}},
	2023: {{day(2023, 1, 1), day(2023, 2, 24)}, {day(2023, 1, 8), day(2023, 5, 8)}},
	2024: {{day(2024, 1, 6), day(2024, 5, 10)}, {day(2024, 1, 7), day(2024, 12, 31)}, {day(2024, 4, 27), day(2024, 4, 29)},
		{day(2024, 11, 2), day(2024, 4, 30)}, {day(2024, 12, 28), day(2024, 12, 30)}},
	2025: {{day(2025, 1, 4), day(2025, 5, 2)}, {day(2025, 1, 5), day(2025, 12, 31)}, {day(2025, 2, 23), day(2025, 5, 8)},
		{day(2025, 3, 8), day(2025, 6, 13)}, {day(2025, 11, 1), day(2025, 11, 3)}},
	2026: {{day(2026, 1, 3), day(2026, 1, 9)}, {day(2026, 1, 4), day(2026, 12, 31)}},
	2027: {{day(2027, 1, 2), day(2027, 11, 5)}, {day(2027, 1, 3), day(2027, 12, 31)}, {day(2027, 2, 20), day(2027, 2, 22)}},
}

// decreeNumbers are the numbers of the decrees, as the year lines must cite them.
var decreeNumbers = map[int]string{
	2018: "от 14.10.2017 № 1250", 2019: "от 01.10.2018 № 1163", 2020: "от 10.07.2019 № 875",
	2021: "от 10.10.2020 № 1648", 2022: "от 16.09.2021 № 1564", 2023: "от 29.08.2022 № 1505",
	2024: "от 10.08.2023 № 1314", 2025: "от 04.10.2024 № 1335", 2026: "от 24.09.2025 № 1466",
	2027: "от 17.09.2026 № 1187",
}

// derivedWorking decides a day from article 112 and the decree's
// transfers, without the calendar file.
func derivedWorking(d deadline.Date) bool {
	holiday := func(d deadline.Date) bool {
		switch {
		case d.Month == time.January && d.Day <= 8,
			d.Month == time.February && d.Day == 23,
			d.Month == time.March && d.Day == 8,
			d.Month == time.May && (d.Day == 1 || d.Day == 9),
			d.Month == time.June && d.Day == 12,
			d.Month == time.November && d.Day == 4:
			return true
		}
		return false
	}
	weekend := func(d deadline.Date) bool {
		return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
	}
	from := map[deadline.Date]bool{}
	to := map[deadline.Date]bool{}
	for _, tr := range decreeTransfers[d.Year] {
		from[tr[0]], to[tr[1]] = true, true
	}
	if holiday(d) || to[d] {
		return false
	}
	if from[d] {
		return true // a weekend day the decree made a working day
	}
	// Article 112 part 2: a holiday outside January on a weekend moves its
	// day off to the next working day, unless the decree moved it itself.
	carried := map[deadline.Date]bool{}
	for _, md := range [][2]int{{2, 23}, {3, 8}, {5, 1}, {5, 9}, {6, 12}, {11, 4}} {
		h := day(d.Year, time.Month(md[0]), md[1])
		if !weekend(h) || from[h] {
			continue
		}
		next := h.AddDays(1)
		for weekend(next) || holiday(next) || to[next] || carried[next] {
			next = next.AddDays(1)
		}
		carried[next] = true
	}
	return !weekend(d) && !carried[d]
}

func TestShippedDataAgreesWithDecrees(t *testing.T) {
	c := defaultCalendar(t)
	data, err := deadline.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	if len(data.Years) != len(decreeTransfers) {
		t.Errorf("shipped %d years, the test knows %d decrees", len(data.Years), len(decreeTransfers))
	}
	for _, y := range data.Years {
		if !strings.Contains(y.Decree, decreeNumbers[y.Year]) || !strings.Contains(y.Decree, "в "+strconv.Itoa(y.Year)+" году") {
			t.Errorf("%d: decree %q, want %s for that year", y.Year, y.Decree, decreeNumbers[y.Year])
		}
		for _, o := range y.Days {
			wd := o.Date.Weekday()
			if o.Working && wd != time.Saturday && wd != time.Sunday {
				t.Errorf("%s: a weekday listed as a working day, which it is anyway", o.Date)
			}
			if o.Note == "" {
				t.Errorf("%s: no note", o.Date)
			}
		}
		for d := day(y.Year, 1, 1); d.Year == y.Year; d = d.AddDays(1) {
			if got, want := c.IsWorkingDay(d), derivedWorking(d); got != want {
				t.Errorf("%s (%s): calendar says working=%v, the decree and article 112 say %v", d, d.Weekday(), got, want)
			}
		}
	}
}

// The shipped file is in the form Format writes, so a reformat by the
// administrator's tools changes nothing but comments.
func TestShippedFileIsCanonical(t *testing.T) {
	raw, err := os.ReadFile("calendar.txt")
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, line := range strings.Split(string(raw), "\n") {
		if !strings.HasPrefix(line, "#") {
			kept = append(kept, line)
		}
	}
	want := strings.TrimLeft(strings.Join(kept, "\n"), "\n")

	data, err := deadline.Parse(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := deadline.Format(&buf, data); err != nil {
		t.Fatal(err)
	}
	if buf.String() != want {
		t.Errorf("Format(Parse(calendar.txt)) differs from the file without comments:\n%s", buf.String())
	}
	again, err := deadline.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, data) {
		t.Error("Parse(Format(data)) != data")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"day before year", "2026-01-01 off Новый год", "line 1: day before any year line"},
		{"day in another year", "year 2026 X\n2025-01-01 off", "line 2: 2025-01-01 is in the section of year 2026"},
		{"no such date", "year 2026 X\n\n2026-02-30 off", "line 3: date \"2026-02-30\" is not YYYY-MM-DD"},
		{"unknown kind", "year 2026 X\n2026-01-01 holiday", `want "off" or "work", got "holiday"`},
		{"date twice", "year 2026 X\n2026-01-01 off\n2026-01-01 work", "line 3: 2026-01-01 listed twice"},
		{"year twice", "year 2026 X\n# comment\nyear 2026 Y", "line 3: year 2026 listed twice"},
		{"no decree", "year 2026", "names no decree"},
		{"not a year", "year 20x6 X", `year "20x6" is not a year`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := deadline.Parse(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) error = %v, want it to contain %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestOverridesFile(t *testing.T) {
	in := `# Поправки администратора
2026-03-20 off Ураза-байрам
2026-01-09   work   Рабочий день по решению главы
`
	got, err := deadline.ParseOverrides(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []deadline.Override{
		{Date: day(2026, 3, 20), Note: "Ураза-байрам"},
		{Date: day(2026, 1, 9), Working: true, Note: "Рабочий день по решению главы"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseOverrides = %#v", got)
	}

	var buf bytes.Buffer
	if err := deadline.FormatOverrides(&buf, got); err != nil {
		t.Fatal(err)
	}
	const formatted = "2026-01-09 work Рабочий день по решению главы\n2026-03-20 off Ураза-байрам\n"
	if buf.String() != formatted {
		t.Errorf("FormatOverrides = %q, want %q (in date order)", buf.String(), formatted)
	}

	if _, err := deadline.ParseOverrides(strings.NewReader("year 2026 X")); err == nil {
		t.Error("a year line accepted among overrides")
	}
	if _, err := deadline.ParseOverrides(strings.NewReader("2026-03-20 off\n2026-03-20 work")); err == nil {
		t.Error("a date corrected twice accepted")
	}
	bad := []deadline.Override{{Date: day(2026, 3, 20), Note: "two\nlines"}}
	if err := deadline.FormatOverrides(&bytes.Buffer{}, bad); err == nil {
		t.Error("a note with a newline formatted")
	}

	o, err := deadline.ParseOverride("2026-06-15 off День республики")
	if err != nil || o.String() != "2026-06-15 off День республики" {
		t.Errorf("ParseOverride/String round trip = %q, %v", o.String(), err)
	}
}

func TestNewRejectsInconsistentData(t *testing.T) {
	if _, err := deadline.New(deadline.Data{Years: []deadline.CalendarYear{
		{Year: 2026, Decree: "X", Days: []deadline.Override{{Date: day(2025, 12, 31)}}},
	}}); err == nil {
		t.Error("a day outside its year accepted")
	}
	if _, err := deadline.New(deadline.Data{Years: []deadline.CalendarYear{
		{Year: 2026, Decree: "X"}, {Year: 2026, Decree: "Y"},
	}}); err == nil {
		t.Error("a year twice accepted")
	}
}

func TestDate(t *testing.T) {
	d, err := deadline.ParseDate("2026-01-09")
	if err != nil || d != (deadline.Date{Year: 2026, Month: time.January, Day: 9}) {
		t.Fatalf("ParseDate = %v, %v", d, err)
	}
	if _, err := deadline.ParseDate("09.01.2026"); err == nil {
		t.Error("ParseDate accepted DD.MM.YYYY")
	}
	// A literal out of range means the date it normalises to.
	c := defaultCalendar(t)
	if got := (deadline.Date{Year: 2025, Month: time.December, Day: 40}); got.String() != "2026-01-09" || c.IsWorkingDay(got) {
		t.Errorf("Date{2025, 12, 40} = %s, working %v; want 2026-01-09, a day off", got, c.IsWorkingDay(got))
	}
	// An instant becomes the date of the zone it is shown in.
	ekb := time.FixedZone("Asia/Yekaterinburg", 5*60*60)
	instant := time.Date(2026, time.January, 11, 20, 30, 0, 0, time.UTC) // 01:30 on the 12th in Yekaterinburg
	if got := deadline.DateOf(instant.In(ekb)); got != day(2026, 1, 12) {
		t.Errorf("DateOf in Yekaterinburg = %s, want 2026-01-12", got)
	}

	b, err := json.Marshal(deadline.Override{Date: day(2026, 3, 20), Note: "x"})
	if err != nil || !strings.Contains(string(b), `"Date":"2026-03-20"`) {
		t.Errorf("JSON = %s, %v", b, err)
	}
	var back deadline.Override
	if err := json.Unmarshal(b, &back); err != nil || back.Date != day(2026, 3, 20) {
		t.Errorf("JSON round trip = %v, %v", back, err)
	}
}
