package deadline

import (
	"errors"
	"fmt"
)

// Unit is what a statutory period is counted in.
type Unit int

const (
	// CalendarDays is the default: 59-FZ and the other laws here say
	// "days", which are calendar days unless the law says working days.
	CalendarDays Unit = iota
	// WorkingDays counts only working days of the Calendar, for a
	// municipality whose own regulation sets its terms in working days.
	WorkingDays
)

// String names the unit as configuration writes it.
func (u Unit) String() string {
	switch u {
	case CalendarDays:
		return "calendar_days"
	case WorkingDays:
		return "working_days"
	}
	return fmt.Sprintf("Unit(%d)", int(u))
}

// MarshalText writes the unit as String does, for configuration files.
func (u Unit) MarshalText() ([]byte, error) {
	if u != CalendarDays && u != WorkingDays {
		return nil, fmt.Errorf("deadline: unknown unit %d", int(u))
	}
	return []byte(u.String()), nil
}

// UnmarshalText reads "calendar_days" or "working_days".
func (u *Unit) UnmarshalText(b []byte) error {
	switch string(b) {
	case "calendar_days":
		*u = CalendarDays
	case "working_days":
		*u = WorkingDays
	default:
		return fmt.Errorf("deadline: unknown unit %q, want calendar_days or working_days", b)
	}
	return nil
}

// Rule is one statutory period: so many days, counted from the day of an
// event (receipt, registration), the event's own day not counted (article
// 191 of the Civil Code).
type Rule struct {
	// Name is what officials see, in Russian.
	Name string
	// Basis is the provision of law that sets the period, for the page
	// that explains a deadline.
	Basis string
	Days  int
	Unit  Unit
}

// Validate reports a rule that Due could not count.
func (r Rule) Validate() error {
	if r.Name == "" {
		return errors.New("deadline: rule without a name")
	}
	if r.Days < 1 {
		return fmt.Errorf("deadline: rule %q: %d days, want at least 1", r.Name, r.Days)
	}
	if r.Unit != CalendarDays && r.Unit != WorkingDays {
		return fmt.Errorf("deadline: rule %q: unknown unit %d", r.Name, int(r.Unit))
	}
	return nil
}

// Rules are the statutory periods glasnost counts. They are configuration,
// so that an installation can follow its own regulation where it is
// stricter than the law; DefaultRules gives the law's own terms.
type Rules struct {
	// Registration of a written appeal: 3 days from receipt.
	Registration Rule
	// Forwarding an appeal to the body competent to answer it: 7 days
	// from registration.
	Forwarding Rule
	// Answer to an appeal: 30 days from registration.
	Answer Rule
	// Extension of the answer period: the length offered by default. The
	// law allows at most MaxExtensionDays, which Extend enforces whatever
	// this says.
	Extension Rule
	// ExpertiseAnswer to the conclusion of an independent anticorruption
	// expertise: 30 days from its receipt.
	ExpertiseAnswer Rule
	// Notice to the citizen under article 11 parts 2, 4, 4.1 and 5.1 of
	// 59-FZ (appeal returned, unreadable, without substance, answer already
	// published): 7 days from registration.
	Notice Rule
	// MediaAnswer to an editorial office's request for information: 7 days.
	MediaAnswer Rule
	// MediaNotice of a refusal or deferral of a media request: 3 days from
	// its receipt.
	MediaNotice Rule
}

// DefaultRules returns the periods as the law sets them, all in calendar
// days.
func DefaultRules() Rules {
	return Rules{
		Registration: Rule{
			Name:  "Регистрация письменного обращения",
			Basis: "ч. 2 ст. 8 Федерального закона от 02.05.2006 № 59-ФЗ",
			Days:  3,
		},
		Forwarding: Rule{
			Name:  "Направление обращения по компетенции",
			Basis: "ч. 3 ст. 8 Федерального закона от 02.05.2006 № 59-ФЗ",
			Days:  7,
		},
		Answer: Rule{
			Name:  "Рассмотрение обращения",
			Basis: "ч. 1 ст. 12 Федерального закона от 02.05.2006 № 59-ФЗ",
			Days:  30,
		},
		Extension: Rule{
			Name:  "Продление срока рассмотрения обращения",
			Basis: "ч. 2 ст. 12 Федерального закона от 02.05.2006 № 59-ФЗ",
			Days:  MaxExtensionDays,
		},
		Notice: Rule{
			Name:  "Сообщение заявителю по статье 11",
			Basis: "ч. 2, 4, 4.1 и 5.1 ст. 11 Федерального закона от 02.05.2006 № 59-ФЗ",
			Days:  7,
		},
		ExpertiseAnswer: Rule{
			Name:  "Рассмотрение заключения независимой антикоррупционной экспертизы",
			Basis: "ст. 5 Федерального закона от 17.07.2009 № 172-ФЗ",
			Days:  30,
		},
		MediaAnswer: Rule{
			Name:  "Ответ на запрос средства массовой информации",
			Basis: "ст. 40 Закона РФ от 27.12.1991 № 2124-1 «О средствах массовой информации»",
			Days:  7,
		},
		MediaNotice: Rule{
			Name:  "Уведомление редакции об отказе или отсрочке",
			Basis: "ст. 40 Закона РФ от 27.12.1991 № 2124-1 «О средствах массовой информации»",
			Days:  3,
		},
	}
}

// Validate reports a rule that cannot be counted, and an extension longer
// than the law allows.
func (rs Rules) Validate() error {
	for _, r := range []Rule{
		rs.Registration, rs.Forwarding, rs.Answer, rs.Extension, rs.Notice,
		rs.ExpertiseAnswer, rs.MediaAnswer, rs.MediaNotice,
	} {
		if err := r.Validate(); err != nil {
			return err
		}
	}
	if rs.Extension.Days > MaxExtensionDays {
		return fmt.Errorf("deadline: rule %q: %w", rs.Extension.Name, ErrExtensionTooLong)
	}
	if rs.Extension.Unit != CalendarDays {
		return fmt.Errorf("deadline: rule %q: an extension is counted in calendar days", rs.Extension.Name)
	}
	return nil
}

// MaxExtensionDays is the longest extension of the answer period that
// article 12 part 2 of 59-FZ allows.
const MaxExtensionDays = 30

// The errors of Extend. Their text is Russian because it reaches the
// official who asked for the extension as it is.
var (
	ErrExtensionTooLong  = errors.New("срок рассмотрения обращения можно продлить не более чем на 30 дней (ч. 2 ст. 12 Федерального закона № 59-ФЗ)")
	ErrExtensionTooShort = errors.New("срок рассмотрения обращения можно продлить не менее чем на 1 день")
)

// Due returns the last day of the period r that starts with the event of
// start: start plus r.Days calendar days, moved by the calendar's TermEnd
// if that is a day off (to the preceding working day by default, to the
// next one under article 193 of the Civil Code); or, for WorkingDays, the
// r.Days-th working day after start. Due does not validate r: check
// configured rules once, at start, with Rules.Validate.
func (c Calendar) Due(start Date, r Rule) Date {
	if r.Unit == WorkingDays {
		return c.AddWorkingDays(start, r.Days)
	}
	return c.EndOfTerm(start, c.Statutory(start, r))
}

// Statutory returns the period's last day as the law counts it, before any
// move off a day off: start plus r.Days calendar days (for WorkingDays,
// the same as Due).
func (c Calendar) Statutory(start Date, r Rule) Date {
	if r.Unit == WorkingDays {
		return c.AddWorkingDays(start, r.Days)
	}
	return start.normal().AddDays(r.Days)
}

// Extend returns the answer term of an appeal registered on start, under
// rule answer, extended by days calendar days: the statutory last day
// (registration + 30) plus the extension, then moved by the calendar's
// TermEnd; never counted from a term that was already moved. It refuses an
// extension of 1 to MaxExtensionDays days asked for after current, the term
// as it stands, has passed on today (ErrTermEnded).
func (c Calendar) Extend(start Date, answer Rule, current, today Date, days int) (Date, error) {
	switch {
	case days < 1:
		return Date{}, fmt.Errorf("%w (запрошено дней: %d)", ErrExtensionTooShort, days)
	case days > MaxExtensionDays:
		return Date{}, fmt.Errorf("%w (запрошено дней: %d)", ErrExtensionTooLong, days)
	case today.After(current):
		return Date{}, fmt.Errorf("%w (срок истёк %s)", ErrTermEnded, current.Russian())
	}
	return c.EndOfTerm(start, c.Statutory(start, answer).AddDays(days)), nil
}

// How many working days before a deadline the assignee is reminded of it.
const (
	firstReminder = 5
	lastReminder  = 1
)

// ReminderDates returns the days to remind the assignee of the deadline
// due: 5 and 1 working days before it, earliest first.
func (c Calendar) ReminderDates(due Date) []Date {
	return []Date{
		c.AddWorkingDays(due, -firstReminder),
		c.AddWorkingDays(due, -lastReminder),
	}
}
