package deadline

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// The calendar file is UTF-8 text, one statement a line:
//
//	# a comment: the whole line, ignored
//	year 2026 Постановление Правительства РФ от 24.09.2025 № 1466 «О переносе выходных дней в 2026 году»
//	2026-01-09 off Перенос выходного дня с субботы 3 января
//	2025-11-01 work Рабочая суббота: выходной день перенесён на 3 ноября
//
// A "year" line opens the section of one year and names the act it follows.
// A day line gives a date, "off" (not a working day) or "work" (a working
// day), and a note for people. Within a year section the days listed
// override the Saturday–Sunday week; every day not listed is a working day
// from Monday to Friday and a day off on Saturday and Sunday. The shipped
// file lists every holiday (those on a weekend too, for their names), every
// day off the Labour Code or a decree moves, and every weekend day a decree
// makes a working day.
//
// An administrator's corrections use the same day lines without a year
// line (ParseOverrides, FormatOverrides), so the two read alike.

const (
	keywordYear = "year"
	keywordOff  = "off"
	keywordWork = "work"
)

// Override states whether one date is a working day, overriding the
// Saturday–Sunday week. The shipped data records holidays and decree
// transfers as overrides of the week; an administrator's corrections (a
// region's own holiday, a day the head of the municipality declares off)
// are overrides of the shipped data.
type Override struct {
	Date    Date
	Working bool
	// Note says why, in Russian, for the administrator's list and the
	// calendar page: "День России", "Ураза-байрам (закон Республики ...)".
	Note string
}

// String formats the override as a line of the calendar file.
func (o Override) String() string {
	kind := keywordOff
	if o.Working {
		kind = keywordWork
	}
	line := o.Date.String() + " " + kind
	if o.Note != "" {
		line += " " + o.Note
	}
	return line
}

// validate rejects what the file could not hold.
func (o Override) validate() error {
	if o.Date.IsZero() {
		return errors.New("deadline: override without a date")
	}
	if strings.ContainsAny(o.Note, "\r\n") {
		return fmt.Errorf("deadline: note of %s spans lines", o.Date)
	}
	return nil
}

// CalendarYear is the section of the calendar file for one year.
type CalendarYear struct {
	Year int
	// Decree names the Government decree on the transfer of days off that
	// the year follows, as the calendar page cites it.
	Decree string
	Days   []Override
}

// Data is the content of a calendar file.
type Data struct {
	Years []CalendarYear
}

// Parse reads a calendar file. It rejects a day outside its year's section,
// a date listed twice and a year listed twice, naming the line.
func Parse(r io.Reader) (Data, error) {
	var data Data
	seenYears := make(map[int]bool)
	var seenDays map[Date]bool
	err := scanLines(r, func(line string) error {
		if rest, ok := strings.CutPrefix(line, keywordYear+" "); ok {
			y, err := parseYearLine(rest)
			if err != nil {
				return err
			}
			if seenYears[y.Year] {
				return fmt.Errorf("year %d listed twice", y.Year)
			}
			seenYears[y.Year] = true
			seenDays = make(map[Date]bool)
			data.Years = append(data.Years, y)
			return nil
		}
		o, err := parseDay(line)
		if err != nil {
			return err
		}
		if len(data.Years) == 0 {
			return errors.New("day before any year line")
		}
		y := &data.Years[len(data.Years)-1]
		if o.Date.Year != y.Year {
			return fmt.Errorf("%s is in the section of year %d", o.Date, y.Year)
		}
		if seenDays[o.Date] {
			return fmt.Errorf("%s listed twice", o.Date)
		}
		seenDays[o.Date] = true
		y.Days = append(y.Days, o)
		return nil
	})
	if err != nil {
		return Data{}, err
	}
	return data, nil
}

// Format writes data as a calendar file, each year's days in date order.
// Comments are not kept: the file is data, and the notes carry the reasons.
func Format(w io.Writer, data Data) error {
	bw := bufio.NewWriter(w)
	for i, y := range data.Years {
		if y.Decree == "" || strings.ContainsAny(y.Decree, "\r\n") {
			return fmt.Errorf("deadline: year %d needs a one-line decree reference", y.Year)
		}
		if i > 0 {
			bw.WriteString("\n")
		}
		fmt.Fprintf(bw, "%s %d %s\n", keywordYear, y.Year, y.Decree)
		if err := writeDays(bw, y.Days); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("deadline: writing calendar: %w", err)
	}
	return nil
}

// ParseOverrides reads an administrator's corrections: day lines only.
func ParseOverrides(r io.Reader) ([]Override, error) {
	var out []Override
	seen := make(map[Date]bool)
	err := scanLines(r, func(line string) error {
		o, err := parseDay(line)
		if err != nil {
			return err
		}
		if seen[o.Date] {
			return fmt.Errorf("%s listed twice", o.Date)
		}
		seen[o.Date] = true
		out = append(out, o)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// FormatOverrides writes an administrator's corrections in date order.
func FormatOverrides(w io.Writer, overrides []Override) error {
	bw := bufio.NewWriter(w)
	if err := writeDays(bw, overrides); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("deadline: writing overrides: %w", err)
	}
	return nil
}

// ParseOverride parses one day line: "2026-03-20 off Ураза-байрам".
func ParseOverride(line string) (Override, error) {
	o, err := parseDay(line)
	if err != nil {
		return Override{}, fmt.Errorf("deadline: %w", err)
	}
	return o, nil
}

func parseDay(line string) (Override, error) {
	dateField, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
	kindField, note, _ := strings.Cut(strings.TrimSpace(rest), " ")
	d, err := parseDate(dateField)
	if err != nil {
		return Override{}, err
	}
	o := Override{Date: d, Note: strings.TrimSpace(note)}
	switch kindField {
	case keywordOff:
	case keywordWork:
		o.Working = true
	default:
		return Override{}, fmt.Errorf("%s: want %q or %q, got %q", d, keywordOff, keywordWork, kindField)
	}
	return o, nil
}

func parseYearLine(rest string) (CalendarYear, error) {
	yearField, decree, _ := strings.Cut(strings.TrimSpace(rest), " ")
	year, err := strconv.Atoi(yearField)
	if err != nil || year < 1 || year > 9999 {
		return CalendarYear{}, fmt.Errorf("year %q is not a year", yearField)
	}
	decree = strings.TrimSpace(decree)
	if decree == "" {
		return CalendarYear{}, fmt.Errorf("year %d names no decree", year)
	}
	return CalendarYear{Year: year, Decree: decree}, nil
}

// scanLines calls fn with each line that is not blank or a comment, and
// wraps its error with the line number, which is what an administrator
// needs to find the mistake.
func scanLines(r io.Reader, fn func(line string) error) error {
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.Join(strings.Fields(line), " ")
		if err := fn(line); err != nil {
			return fmt.Errorf("deadline: calendar line %d: %w", n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("deadline: reading calendar: %w", err)
	}
	return nil
}

func writeDays(bw *bufio.Writer, days []Override) error {
	sorted := slices.Clone(days)
	slices.SortStableFunc(sorted, func(a, b Override) int { return a.Date.Compare(b.Date) })
	for _, o := range sorted {
		if err := o.validate(); err != nil {
			return err
		}
		bw.WriteString(o.String())
		bw.WriteString("\n")
	}
	return nil
}
