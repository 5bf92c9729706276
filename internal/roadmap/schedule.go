package roadmap

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ScheduleKind says what shape of time a measure's «срок исполнения» describes.
type ScheduleKind string

const (
	// ScheduleDeadline is a single date by which the measure is done: «До 01.11.2018 года».
	ScheduleDeadline ScheduleKind = "deadline"
	// SchedulePeriod is a window in which the measure is done: a month, quarter, year or a range of them.
	SchedulePeriod ScheduleKind = "period"
	// ScheduleRecurring is a measure repeated for as long as the roadmap runs: «Ежеквартально».
	ScheduleRecurring ScheduleKind = "recurring"
	// ScheduleUnparsed is wording that was not understood; a person sets the schedule.
	ScheduleUnparsed ScheduleKind = "unparsed"
)

// Frequency is how often a recurring measure repeats.
type Frequency string

const (
	Continuous Frequency = "continuous" // «Постоянно»
	Weekly     Frequency = "week"       // «Еженедельно»
	Monthly    Frequency = "month"      // «Ежемесячно»
	Quarterly  Frequency = "quarter"    // «Ежеквартально»
	Yearly     Frequency = "year"       // «Ежегодно»
	OnDemand   Frequency = "on-demand"  // «По мере поступления»
)

// Schedule is the structured form of a measure's deadline wording.
//
// Dates are civil dates: time.Time at midnight UTC, and To is the last day
// included. A deadline has only To. A period has From and To. A recurring
// schedule has Every, and From and To bound the window in which it recurs;
// the wording rarely gives one, so an import sets it to the roadmap's period.
// Text is always the original wording, so nothing a person wrote is lost.
type Schedule struct {
	Kind  ScheduleKind
	From  time.Time
	To    time.Time
	Every Frequency
	Text  string
}

// Period is one window of a recurring schedule (a week, a month, a quarter,
// a year) in which the measure must be done once; To is the last day included.
type Period struct {
	From time.Time
	To   time.Time
}

// Date returns the civil date y-m-d as a time.Time at midnight UTC.
func Date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// civil drops the clock and the zone of t, keeping its calendar date.
func civil(t time.Time) time.Time {
	return Date(t.Date())
}

// monthNames are nominative, the form a plan uses for a month on its own.
var monthNames = [...]string{"январь", "февраль", "март", "апрель", "май", "июнь",
	"июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"}

// monthByName reads a month in whatever case the sentence needs: «Июль 2018
// года», «до 1 июля 2018 года», «в июле 2018 года» all name July.
var monthByName = func() map[string]time.Month {
	forms := [12][]string{
		{"январь", "января", "январе"},
		{"февраль", "февраля", "феврале"},
		{"март", "марта", "марте"},
		{"апрель", "апреля", "апреле"},
		{"май", "мая", "мае"},
		{"июнь", "июня", "июне"},
		{"июль", "июля", "июле"},
		{"август", "августа", "августе"},
		{"сентябрь", "сентября", "сентябре"},
		{"октябрь", "октября", "октябре"},
		{"ноябрь", "ноября", "ноябре"},
		{"декабрь", "декабря", "декабре"},
	}
	m := map[string]time.Month{}
	for i, fs := range forms {
		for _, f := range fs {
			m[f] = time.Month(i + 1)
		}
	}
	return m
}()

// The patterns below run on normalised wording (see normalizeWording): lower
// case, ё as е, every dash as "-" with no spaces around it, single spaces, no
// trailing full stop.
const (
	yearWord = `(?:\s*(?:г|гг|год|года|году|годы|годов)\.?)?`
	year     = `(\d{4})` + yearWord
	by       = `(?:(?:в срок )?до|не позднее|в срок не позднее)\s+`
	quarter  = `([1-4]|i{1,3}|iv)(?:-?(?:й|ый))?`
	qWord    = `\s*(?:квартал\p{L}*|кв\.?)\s+`
	within   = `(?:в течение\s+|в\s+|на\s+)?`
	recur    = `(постоянно|на постоянной основе|в постоянном режиме|еженедельно|ежемесячно|ежеквартально|ежегодно|` +
		`по мере (?:поступления|необходимости)(?: \p{L}+)?|по запросу|по запросам)`
)

var (
	reByNumericDate = regexp.MustCompile(`^(?:` + by + `)?(\d{1,2})\.(\d{1,2})\.` + year + `$`)
	reByWordDate    = regexp.MustCompile(`^(?:` + by + `)?(\d{1,2})\s+(\p{L}+)\s+` + year + `$`)
	reByYearEnd     = regexp.MustCompile(`^до конца\s+` + year + `$`)
	reDateRange     = regexp.MustCompile(`^(?:с\s+)?(\d{1,2})\.(\d{1,2})\.` + year + `(?:-|\s+по\s+)(\d{1,2})\.(\d{1,2})\.` + year + `$`)
	reMonth         = regexp.MustCompile(`^` + within + `(\p{L}+)\s+` + year + `$`)
	reMonthRange    = regexp.MustCompile(`^` + within + `(?:с\s+)?(\p{L}+)(?:\s+` + year + `)?(?:-|\s+по\s+)(\p{L}+)\s+` + year + `$`)
	reQuarter       = regexp.MustCompile(`^` + within + quarter + `(?:-` + quarter + `)?` + qWord + year + `$`)
	reQuarterRange  = regexp.MustCompile(`^` + within + quarter + qWord + year + `-` + quarter + qWord + year + `$`)
	reHalf          = regexp.MustCompile(`^` + within + `([12]|i{1,2})(?:-?(?:е|ое|м|ом))?\s*полугоди\p{L}*\s+` + year + `$`)
	reYear          = regexp.MustCompile(`^` + within + year + `$`)
	reYearRange     = regexp.MustCompile(`^` + within + `(\d{4})-` + year + `$`)
	reRecurring     = regexp.MustCompile(`^` + recur + `(?:[,;]?\s*` + within + `(\d{4})(?:-(\d{4}))?` + yearWord + `)?$`)

	reSpacedDash = regexp.MustCompile(`\s*-\s*`)
	reYearToken  = regexp.MustCompile(`\d+`)
)

var dashes = strings.NewReplacer(
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-", "\u2015", "-", "\u2212", "-",
	"\u00a0", " ", "ё", "е", "Ё", "Е",
)

// normalizeWording reduces the ways one wording can be typed to one spelling,
// so that the patterns need not know about case, dashes or stray spaces.
func normalizeWording(s string) string {
	s = strings.ToLower(dashes.Replace(s))
	s = strings.Join(strings.Fields(s), " ")
	s = strings.TrimRight(s, ". ")
	return reSpacedDash.ReplaceAllString(s, "-")
}

// ParseSchedule reads the Russian wording of a deadline. It never fails:
// wording it does not understand comes back as ScheduleUnparsed with the text
// kept, because an import must go on and a person can set the schedule later.
func ParseSchedule(text string) Schedule {
	s := parseWording(normalizeWording(text))
	s.Text = text
	return s
}

func parseWording(w string) Schedule {
	if w != "" {
		for _, form := range wordings {
			if s, ok := form(w); ok {
				return s
			}
		}
	}
	return Schedule{Kind: ScheduleUnparsed}
}

// wordings are the forms a schedule is written in, tried in order. Each says
// whether w is written in its form and holds valid dates; a form that does not
// apply lets the next one try, and wording no form takes stays unparsed.
var wordings = []func(w string) (Schedule, bool){
	func(w string) (Schedule, bool) { // «Постоянно», «Ежеквартально», «По мере поступления»
		m := reRecurring.FindStringSubmatch(w)
		if m == nil {
			return Schedule{}, false
		}
		s := Schedule{Kind: ScheduleRecurring, Every: frequencyOf(m[1])}
		if m[2] == "" {
			return s, true
		}
		last := m[2]
		if m[3] != "" {
			last = m[3]
		}
		var ok bool
		s.From, s.To, ok = years(m[2], last)
		return s, ok
	},
	func(w string) (Schedule, bool) { // «До 01.11.2018 года»
		m := reByNumericDate.FindStringSubmatch(w)
		if m == nil {
			return Schedule{}, false
		}
		d, ok := numericDate(m[1], m[2], m[3])
		return Schedule{Kind: ScheduleDeadline, To: d}, ok
	},
	func(w string) (Schedule, bool) { // «До 1 декабря 2018 года»
		m := reByWordDate.FindStringSubmatch(w)
		if m == nil {
			return Schedule{}, false
		}
		mon, ok := monthByName[m[2]]
		if !ok {
			return Schedule{}, false
		}
		d, ok := validDate(atoi(m[3]), mon, atoi(m[1]))
		return Schedule{Kind: ScheduleDeadline, To: d}, ok
	},
	func(w string) (Schedule, bool) { // «До конца 2018 года»
		m := reByYearEnd.FindStringSubmatch(w)
		if m == nil {
			return Schedule{}, false
		}
		y, ok := validYear(m[1])
		return Schedule{Kind: ScheduleDeadline, To: Date(y, time.December, 31)}, ok
	},
	func(w string) (Schedule, bool) { // «С 01.02.2019 по 30.04.2019»
		m := reDateRange.FindStringSubmatch(w)
		if m == nil {
			return Schedule{}, false
		}
		from, ok1 := numericDate(m[1], m[2], m[3])
		to, ok2 := numericDate(m[4], m[5], m[6])
		return period(from, to, ok1 && ok2)
	},
	func(w string) (Schedule, bool) { // «Июль 2018 года», «в июле 2018 года»
		m := reMonth.FindStringSubmatch(w)
		if m == nil {
			return Schedule{}, false
		}
		mon, ok := monthByName[m[1]]
		y, okY := validYear(m[2])
		from := Date(y, mon, 1)
		return period(from, endOfMonth(from), ok && okY)
	},
	func(w string) (Schedule, bool) { // «Декабрь 2018-январь 2019 годов», «Июль-август 2018 года»
		m := reMonthRange.FindStringSubmatch(w)
		if m == nil {
			return Schedule{}, false
		}
		m1, ok1 := monthByName[m[1]]
		m2, ok2 := monthByName[m[3]]
		y2, okY := validYear(m[4])
		y1, okY1 := y2, true // «Июль-август 2018 года»: the first month is in the year of the last
		if m[2] != "" {
			y1, okY1 = validYear(m[2])
		}
		return period(Date(y1, m1, 1), endOfMonth(Date(y2, m2, 1)), ok1 && ok2 && okY && okY1)
	},
	func(w string) (Schedule, bool) { // «4 квартал 2018 года», «2-3 квартал 2019 года»
		m := reQuarter.FindStringSubmatch(w)
		if m == nil {
			return Schedule{}, false
		}
		q1 := quarterNumber(m[1])
		q2 := q1
		if m[2] != "" {
			q2 = quarterNumber(m[2])
		}
		y, ok := validYear(m[3])
		return period(quarterStart(y, q1), quarterEnd(y, q2), ok)
	},
	func(w string) (Schedule, bool) { // «4 квартал 2018 года-1 квартал 2019 года»
		m := reQuarterRange.FindStringSubmatch(w)
		if m == nil {
			return Schedule{}, false
		}
		y1, ok1 := validYear(m[2])
		y2, ok2 := validYear(m[4])
		return period(quarterStart(y1, quarterNumber(m[1])), quarterEnd(y2, quarterNumber(m[3])), ok1 && ok2)
	},
	func(w string) (Schedule, bool) { // «1 полугодие 2019 года»
		m := reHalf.FindStringSubmatch(w)
		if m == nil {
			return Schedule{}, false
		}
		y, ok := validYear(m[2])
		from := Date(y, time.January, 1)
		if m[1] == "2" || m[1] == "ii" {
			from = Date(y, time.July, 1)
		}
		return period(from, endOfMonth(from.AddDate(0, 5, 0)), ok)
	},
	func(w string) (Schedule, bool) { // «2019 год», «В течение 2018 года»
		m := reYear.FindStringSubmatch(w)
		if m == nil {
			return Schedule{}, false
		}
		from, to, ok := years(m[1], m[1])
		return period(from, to, ok)
	},
	func(w string) (Schedule, bool) { // «2018-2019 годы»
		m := reYearRange.FindStringSubmatch(w)
		if m == nil {
			return Schedule{}, false
		}
		from, to, ok := years(m[1], m[2])
		return period(from, to, ok)
	},
}

// period builds a period schedule, refusing a window that ends before it starts.
func period(from, to time.Time, ok bool) (Schedule, bool) {
	if !ok || to.Before(from) {
		return Schedule{}, false
	}
	return Schedule{Kind: SchedulePeriod, From: from, To: to}, true
}

func frequencyOf(word string) Frequency {
	switch {
	case word == "еженедельно":
		return Weekly
	case word == "ежемесячно":
		return Monthly
	case word == "ежеквартально":
		return Quarterly
	case word == "ежегодно":
		return Yearly
	case strings.HasPrefix(word, "по "):
		return OnDemand
	default:
		return Continuous
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// validYear accepts the years a municipal plan can mean; a four-digit number
// far outside them is more likely a typo than a date.
func validYear(s string) (int, bool) {
	y := atoi(s)
	return y, y >= 1990 && y <= 2199
}

func years(first, last string) (from, to time.Time, ok bool) {
	y1, ok1 := validYear(first)
	y2, ok2 := validYear(last)
	if !ok1 || !ok2 || y2 < y1 {
		return time.Time{}, time.Time{}, false
	}
	return Date(y1, time.January, 1), Date(y2, time.December, 31), true
}

func numericDate(d, m, y string) (time.Time, bool) {
	mon := atoi(m)
	if mon < 1 || mon > 12 {
		return time.Time{}, false
	}
	yy, ok := validYear(y)
	if !ok {
		return time.Time{}, false
	}
	return validDate(yy, time.Month(mon), atoi(d))
}

// validDate refuses dates such as 31.02, which time.Date would quietly move to March.
func validDate(y int, m time.Month, d int) (time.Time, bool) {
	t := Date(y, m, d)
	if y < 1990 || y > 2199 || t.Day() != d || t.Month() != m {
		return time.Time{}, false
	}
	return t, true
}

func quarterNumber(s string) int {
	switch s {
	case "i":
		return 1
	case "ii":
		return 2
	case "iii":
		return 3
	case "iv":
		return 4
	}
	return atoi(s)
}

func quarterStart(y, q int) time.Time {
	return Date(y, time.Month(3*(q-1)+1), 1)
}

func quarterEnd(y, q int) time.Time {
	return endOfMonth(quarterStart(y, q).AddDate(0, 2, 0))
}

func endOfMonth(t time.Time) time.Time {
	return Date(t.Year(), t.Month()+1, 0)
}

func isEndOfMonth(t time.Time) bool {
	return t.AddDate(0, 0, 1).Day() == 1
}

// Periods returns the windows of a recurring schedule, from its From up to
// its To, that have begun by until; the last one may still be running. Each
// window is clipped to From and To. They are what per-period compliance is
// counted over: a weekly measure must be done in every week. A continuous
// measure has one window, its whole span; one done on demand has none, as
// there is nothing to do until a request comes. Other kinds have none.
func (s Schedule) Periods(until time.Time) []Period {
	if s.Kind != ScheduleRecurring || s.From.IsZero() || s.To.IsZero() {
		return nil
	}
	until = civil(until)
	if s.From.After(until) {
		return nil
	}
	var start time.Time
	var next func(time.Time) time.Time
	switch s.Every {
	case Continuous:
		return []Period{{From: s.From, To: s.To}}
	case Weekly:
		// Weeks start on Monday, as in the Russian calendar.
		start = s.From.AddDate(0, 0, -((int(s.From.Weekday()) + 6) % 7))
		next = func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }
	case Monthly:
		start = Date(s.From.Year(), s.From.Month(), 1)
		next = func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }
	case Quarterly:
		start = quarterStart(s.From.Year(), (int(s.From.Month())-1)/3+1)
		next = func(t time.Time) time.Time { return t.AddDate(0, 3, 0) }
	case Yearly:
		start = Date(s.From.Year(), time.January, 1)
		next = func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }
	default:
		return nil
	}
	var out []Period
	for ; !start.After(s.To) && !start.After(until); start = next(start) {
		p := Period{From: start, To: next(start).AddDate(0, 0, -1)}
		if p.From.Before(s.From) {
			p.From = s.From
		}
		if p.To.After(s.To) {
			p.To = s.To
		}
		out = append(out, p)
	}
	return out
}

// Shift moves the schedule by whole years and months; the demo uses it to set
// the 2018 plan around the present. A date at the end of its month stays at
// the end of its month, so a quarter stays a quarter. The wording follows the
// dates: for a shift by whole years the years in the original text are
// rewritten, which keeps its phrasing; otherwise the text is written anew.
// Unparsed wording has no dates and is left as it is.
func (s Schedule) Shift(years, months int) Schedule {
	if s.Kind == ScheduleUnparsed || (years == 0 && months == 0) {
		return s
	}
	out := s
	out.From = shiftDate(s.From, years, months)
	out.To = shiftDate(s.To, years, months)
	if months%12 == 0 {
		out.Text = shiftYearsInText(s.Text, years+months/12)
	} else {
		out.Text = out.Wording()
	}
	return out
}

func shiftDate(t time.Time, years, months int) time.Time {
	if t.IsZero() {
		return t
	}
	total := t.Year()*12 + int(t.Month()) - 1 + years*12 + months
	first := Date(total/12, time.Month(total%12+1), 1)
	last := endOfMonth(first)
	if isEndOfMonth(t) || t.Day() > last.Day() {
		return last
	}
	return Date(first.Year(), first.Month(), t.Day())
}

func shiftYearsInText(text string, years int) string {
	return reYearToken.ReplaceAllStringFunc(text, func(tok string) string {
		if y, ok := validYear(tok); ok && len(tok) == 4 {
			return strconv.Itoa(y + years)
		}
		return tok
	})
}

var recurringWording = map[Frequency]string{
	Continuous: "Постоянно",
	Weekly:     "Еженедельно",
	Monthly:    "Ежемесячно",
	Quarterly:  "Ежеквартально",
	Yearly:     "Ежегодно",
	OnDemand:   "По мере поступления",
}

// Wording writes the schedule the way a plan of measures would, for a
// schedule a person set by hand or one moved by Shift. ParseSchedule reads
// back what Wording writes. Unparsed schedules keep their text.
func (s Schedule) Wording() string {
	switch s.Kind {
	case ScheduleDeadline:
		return "До " + s.To.Format("02.01.2006") + " года"
	case SchedulePeriod:
		return periodWording(s.From, s.To)
	case ScheduleRecurring:
		if w, ok := recurringWording[s.Every]; ok {
			return w
		}
	}
	return s.Text
}

func periodWording(from, to time.Time) string {
	if from.Day() != 1 || !isEndOfMonth(to) {
		return fmt.Sprintf("С %s по %s", from.Format("02.01.2006"), to.Format("02.01.2006"))
	}
	n := (to.Year()-from.Year())*12 + int(to.Month()) - int(from.Month()) + 1
	sameYear := from.Year() == to.Year()
	switch {
	case from.Month() == time.January && to.Month() == time.December && sameYear:
		return fmt.Sprintf("%d год", from.Year())
	case from.Month() == time.January && to.Month() == time.December:
		return fmt.Sprintf("%d–%d годы", from.Year(), to.Year())
	case n == 6 && sameYear && (from.Month() == time.January || from.Month() == time.July):
		return fmt.Sprintf("%d полугодие %d года", int(from.Month())/6+1, from.Year())
	case n%3 == 0 && sameYear && (from.Month()-1)%3 == 0:
		q1, q2 := int(from.Month()-1)/3+1, int(to.Month()-1)/3+1
		if q1 == q2 {
			return fmt.Sprintf("%d квартал %d года", q1, from.Year())
		}
		return fmt.Sprintf("%d–%d квартал %d года", q1, q2, from.Year())
	case n == 1:
		return fmt.Sprintf("%s %d года", capitalize(monthNames[from.Month()-1]), from.Year())
	case sameYear:
		return fmt.Sprintf("%s–%s %d года", capitalize(monthNames[from.Month()-1]), monthNames[to.Month()-1], from.Year())
	default:
		return fmt.Sprintf("%s %d – %s %d годов", capitalize(monthNames[from.Month()-1]), from.Year(),
			monthNames[to.Month()-1], to.Year())
	}
}

// capitalize upper-cases the first letter, as a table cell starts with one.
func capitalize(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
