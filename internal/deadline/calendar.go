// Package deadline is the production calendar of the Russian Federation
// (which days are working days) and the statutory periods that are counted
// on it: the terms of Federal Law No. 59-FZ for citizens' appeals, of the
// anticorruption expertise and of the law on mass media.
//
// The calendar ships as data (calendar.txt, embedded) for the years whose
// Government decree on the transfer of days off is known, and an
// administrator corrects it for the municipality with overrides. Outside the
// shipped years it falls back to the rule of article 112 of the Labour Code
// alone; see Calendar.
package deadline

import (
	"bytes"
	_ "embed"
	"fmt"
	"maps"
	"slices"
	"time"
)

// shippedCalendar is the production calendar the package ships with. It is
// data compiled into the binary, not state: nothing writes to it.
//
//go:embed calendar.txt
var shippedCalendar []byte

// Shipped returns the shipped calendar data, for the administrator's page
// that shows what the overrides correct. It parses the embedded file on
// every call.
func Shipped() (Data, error) {
	data, err := Parse(bytes.NewReader(shippedCalendar))
	if err != nil {
		return Data{}, fmt.Errorf("deadline: shipped calendar: %w", err)
	}
	return data, nil
}

// Calendar answers whether a date is a working day in one municipality.
//
// For a shipped year it follows the shipped data: the listed days, and the
// Saturday–Sunday week for the rest. For any other year it follows article
// 112 of the Labour Code without a decree: Saturdays, Sundays and the
// non-working holidays are days off, and a holiday other than those of 1–8
// January that falls on a Saturday or Sunday moves its day off to the next
// working day. The Government's yearly transfers (the two January days off,
// the bridges between a holiday and a weekend) cannot be known before the
// decree, so such a year has up to two working days more than it will, and
// a deadline near a future transfer can differ from the real one until the
// decree's section is added to calendar.txt.
//
// An administrator's overrides take precedence over both, for any year.
// The calendar also carries the municipality's TermEnd, the rule for a
// period whose last day is a day off (the preceding working day unless the
// municipality chose article 193 of the Civil Code).
//
// A Calendar is an immutable value, safe for concurrent use; WithOverrides
// returns a new one. The zero Calendar ships no years and applies the
// article 112 rule everywhere.
type Calendar struct {
	decrees   map[int]string    // shipped year → decree it follows
	shipped   map[Date]Override // the listed days of the shipped years
	overrides map[Date]Override // the administrator's corrections
	end       TermEnd           // where a period ending on a day off ends
}

// Default returns the calendar built from the shipped data. It parses the
// embedded file on every call: build it once at start and pass it on.
func Default() (Calendar, error) {
	data, err := Shipped()
	if err != nil {
		return Calendar{}, err
	}
	return New(data)
}

// New builds a calendar from calendar data, such as Parse returns.
func New(data Data) (Calendar, error) {
	c := Calendar{
		decrees: make(map[int]string, len(data.Years)),
		shipped: make(map[Date]Override),
	}
	for _, y := range data.Years {
		if _, dup := c.decrees[y.Year]; dup {
			return Calendar{}, fmt.Errorf("deadline: year %d listed twice", y.Year)
		}
		if y.Decree == "" {
			return Calendar{}, fmt.Errorf("deadline: year %d names no decree", y.Year)
		}
		c.decrees[y.Year] = y.Decree
		for _, o := range y.Days {
			o.Date = o.Date.normal()
			if o.Date.Year != y.Year {
				return Calendar{}, fmt.Errorf("deadline: %s listed under year %d", o.Date, y.Year)
			}
			if _, dup := c.shipped[o.Date]; dup {
				return Calendar{}, fmt.Errorf("deadline: %s listed twice", o.Date)
			}
			c.shipped[o.Date] = o
		}
	}
	return c, nil
}

// WithOverrides returns a calendar with the administrator's corrections
// added to those c already has; for a date given twice the later wins.
func (c Calendar) WithOverrides(overrides ...Override) Calendar {
	merged := make(map[Date]Override, len(c.overrides)+len(overrides))
	maps.Copy(merged, c.overrides)
	for _, o := range overrides {
		o.Date = o.Date.normal()
		merged[o.Date] = o
	}
	c.overrides = merged
	return c
}

// Overrides returns the administrator's corrections in date order.
func (c Calendar) Overrides() []Override {
	out := slices.Collect(maps.Values(c.overrides))
	slices.SortFunc(out, func(a, b Override) int { return a.Date.Compare(b.Date) })
	return out
}

// Decree returns the decree the shipped data follows for year, and false if
// the year is not shipped and the article 112 fallback applies.
func (c Calendar) Decree(year int) (string, bool) {
	d, ok := c.decrees[year]
	return d, ok
}

// IsWorkingDay reports whether d is a working day.
func (c Calendar) IsWorkingDay(d Date) bool {
	working, _ := c.lookup(d.normal())
	return working
}

// Note says why d is or is not a working day, in Russian: the holiday, the
// transfer, the administrator's note, "Выходной день"; it is empty for an
// ordinary working day.
func (c Calendar) Note(d Date) string {
	_, note := c.lookup(d.normal())
	return note
}

func (c Calendar) lookup(d Date) (working bool, note string) {
	if o, ok := c.overrides[d]; ok {
		return o.Working, o.Note
	}
	if _, ok := c.decrees[d.Year]; ok {
		if o, ok := c.shipped[d]; ok {
			return o.Working, o.Note
		}
		if d.isWeekend() {
			return false, noteWeekend
		}
		return true, ""
	}
	return statutoryDay(d)
}

// WorkingDayOnOrAfter returns d if it is a working day, else the first
// working day after it: where a period ends on a day off, it ends on the
// next working day (article 193 of the Civil Code).
func (c Calendar) WorkingDayOnOrAfter(d Date) Date {
	d = d.normal()
	for !c.IsWorkingDay(d) {
		d = d.AddDays(1)
	}
	return d
}

// AddWorkingDays returns the n-th working day after start, not counting
// start itself; for n < 0, the |n|-th working day before start; for n == 0,
// start.
func (c Calendar) AddWorkingDays(start Date, n int) Date {
	d := start.normal()
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// WorkingDaysBetween counts the working days after a up to and including
// b, so that WorkingDaysBetween(a, AddWorkingDays(a, n)) == n. It is
// negative when b is before a. For a reminder job it answers "how many
// working days are left until the deadline, the deadline's day included".
func (c Calendar) WorkingDaysBetween(a, b Date) int {
	a, b = a.normal(), b.normal()
	sign := 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	n := 0
	for d := a.AddDays(1); !d.After(b); d = d.AddDays(1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return sign * n
}

const noteWeekend = "Выходной день"

// statutoryHoliday is a non-working holiday of article 112 part 1 of the
// Labour Code (as amended by Federal Law No. 35-FZ of 23.04.2012, in force
// since 2013).
type statutoryHoliday struct {
	month time.Month
	day   int
	name  string
}

// statutoryHolidays lists article 112 part 1 in date order. Those of
// January, the New Year holidays and Christmas, do not move a day off when
// they fall on a weekend (part 2); the Government transfers two such days
// by decree instead.
var statutoryHolidays = [...]statutoryHoliday{
	{time.January, 1, "Новогодние каникулы"},
	{time.January, 2, "Новогодние каникулы"},
	{time.January, 3, "Новогодние каникулы"},
	{time.January, 4, "Новогодние каникулы"},
	{time.January, 5, "Новогодние каникулы"},
	{time.January, 6, "Новогодние каникулы"},
	{time.January, 7, "Рождество Христово"},
	{time.January, 8, "Новогодние каникулы"},
	{time.February, 23, "День защитника Отечества"},
	{time.March, 8, "Международный женский день"},
	{time.May, 1, "Праздник Весны и Труда"},
	{time.May, 9, "День Победы"},
	{time.June, 12, "День России"},
	{time.November, 4, "День народного единства"},
}

// statutoryDay decides a day of a year without shipped data, by article
// 112 alone.
func statutoryDay(d Date) (working bool, note string) {
	for _, h := range statutoryHolidays {
		if h.month == d.Month && h.day == d.Day {
			return false, h.name
		}
	}
	if from, ok := carriedOver(d.Year)[d]; ok {
		return false, fmt.Sprintf("Выходной день за праздник «%s», совпавший с выходным (ч. 2 ст. 112 ТК РФ)", from.name)
	}
	if d.isWeekend() {
		return false, noteWeekend
	}
	return true, ""
}

// carriedOver returns the days off that article 112 part 2 moves from a
// holiday on a weekend to the next working day, for a year without a
// decree. Holidays are taken in date order, so that a day already taken by
// an earlier carry-over passes the next one further on.
func carriedOver(year int) map[Date]statutoryHoliday {
	out := make(map[Date]statutoryHoliday)
	isHoliday := func(d Date) bool {
		for _, h := range statutoryHolidays {
			if h.month == d.Month && h.day == d.Day {
				return true
			}
		}
		return false
	}
	for _, h := range statutoryHolidays {
		day := NewDate(year, h.month, h.day)
		if h.month == time.January || !day.isWeekend() {
			continue
		}
		next := day.AddDays(1)
		for {
			_, taken := out[next]
			if !next.isWeekend() && !isHoliday(next) && !taken {
				break
			}
			next = next.AddDays(1)
		}
		out[next] = h
	}
	return out
}
