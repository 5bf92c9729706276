package deadline

import (
	"fmt"
	"time"
)

// Date is a civil date: a day in the production calendar, with no time of
// day and no time zone. Statutory periods are counted in whole days, and a
// day is a working day or not for the whole municipality, so a time.Time
// would only invite off-by-one-zone mistakes. Convert an instant to a Date
// in the municipality's zone with DateOf(t.In(loc)).
//
// The fields may be written out directly (Date{2026, time.January, 12});
// every function of this package normalises an out-of-range value the way
// time.Date does, so Date{2026, time.January, 32} is 1 February 2026.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the normalised date for year, month and day.
func NewDate(year int, month time.Month, day int) Date {
	return dateOfUTC(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the date of t in t's location. Pass t.In(loc) to get the
// date in a municipality's time zone rather than the one t happens to carry.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses a date written as YYYY-MM-DD, the form the calendar file
// and the JSON API use.
func ParseDate(s string) (Date, error) {
	d, err := parseDate(s)
	if err != nil {
		return Date{}, fmt.Errorf("deadline: %w", err)
	}
	return d, nil
}

func parseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q is not YYYY-MM-DD: %w", s, err)
	}
	return dateOfUTC(t), nil
}

func dateOfUTC(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// midnight is the start of the date in UTC, the one place a Date becomes a
// time.Time for arithmetic; UTC has no daylight-saving gaps.
func (d Date) midnight() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// normal returns d normalised, so that out-of-range literals compare and
// hash like the date they denote.
func (d Date) normal() Date {
	if d.Month >= time.January && d.Month <= time.December && d.Day >= 1 && d.Day <= 28 {
		return d // always valid: the common case, without a time.Date call
	}
	return dateOfUTC(d.midnight())
}

// String formats the date as YYYY-MM-DD.
func (d Date) String() string {
	d = d.normal()
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText formats the date as YYYY-MM-DD, for JSON and forms.
func (d Date) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// UnmarshalText parses a YYYY-MM-DD date.
func (d *Date) UnmarshalText(b []byte) error {
	parsed, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// IsZero reports whether d is the zero Date, which callers use for "not set".
func (d Date) IsZero() bool {
	return d == Date{}
}

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday {
	return d.midnight().Weekday()
}

// AddDays returns the date n calendar days after d (before it if n < 0).
func (d Date) AddDays(n int) Date {
	return dateOfUTC(d.midnight().AddDate(0, 0, n))
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	return d.midnight().Compare(e.midnight())
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// isWeekend reports whether d falls on the Saturday or Sunday of the
// five-day week.
func (d Date) isWeekend() bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// Russian writes the date as Russians do: 15.11.2026; "" for the zero date.
func (d Date) Russian() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d.%02d.%04d", d.Day, int(d.Month), d.Year)
}

// monthNames are nominative, the form a month takes on its own.
var monthNames = [...]string{"январь", "февраль", "март", "апрель", "май", "июнь",
	"июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"}

// MonthName is the nominative Russian name of a month: «январь».
func MonthName(m time.Month) string {
	if m < time.January || m > time.December {
		return ""
	}
	return monthNames[m-1]
}
