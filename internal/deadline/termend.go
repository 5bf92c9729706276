package deadline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/glasnost/glasnost/internal/db"
)

// TermEnd says where a period that ends on a day off ends. It is a setting of
// the municipality (Calendars.SetTermEnd) and serves every term the portal
// counts on the calendar: registration, forwarding, answer, extension,
// notices, the expertise answer and the media terms alike.
type TermEnd int

const (
	// PrecedingWorkingDay is the default: a period whose last day is a day
	// off ends on the working day before it, so that an answer never passes
	// the statutory day. This is the stricter practice of the instructions on
	// appeals, which a prosecutor's check reads the law by.
	PrecedingWorkingDay TermEnd = iota
	// NextWorkingDay is the reading of article 193 of the Civil Code: a
	// period whose last day is a day off ends on the next working day.
	NextWorkingDay
)

// TermEnds lists the settings in the order the administrator sees them.
var TermEnds = []TermEnd{PrecedingWorkingDay, NextWorkingDay}

// String names the setting as it is stored.
func (e TermEnd) String() string {
	switch e {
	case PrecedingWorkingDay:
		return "preceding"
	case NextWorkingDay:
		return "next"
	}
	return fmt.Sprintf("TermEnd(%d)", int(e))
}

// Label is the setting's name for the administrator, in Russian.
func (e TermEnd) Label() string {
	if e == NextWorkingDay {
		return "Следующий рабочий день (ст. 193 Гражданского кодекса РФ)"
	}
	return "Предшествующий рабочий день (по умолчанию)"
}

// Explain is the sentence the administrator reads before choosing.
func (e TermEnd) Explain() string {
	if e == NextWorkingDay {
		return "Если последний день срока приходится на нерабочий день, днём окончания срока считается ближайший следующий за ним рабочий день, как в статье 193 Гражданского кодекса; ответ может быть дан позже календарной даты, которую называет закон (например, после новогодних праздников — на неделю позже)."
	}
	return "Если последний день срока приходится на нерабочий день, днём окончания срока считается предшествующий ему рабочий день; ответ никогда не выходит за календарный срок, установленный законом, и так читает сроки прокурорская проверка."
}

// ParseTermEnd reads a stored setting.
func ParseTermEnd(s string) (TermEnd, error) {
	switch s {
	case "preceding", "":
		return PrecedingWorkingDay, nil
	case "next":
		return NextWorkingDay, nil
	}
	return 0, fmt.Errorf("deadline: unknown term end %q, want preceding or next", s)
}

// WithTermEnd returns the calendar with the rule for a period ending on a
// day off.
func (c Calendar) WithTermEnd(e TermEnd) Calendar {
	c.end = e
	return c
}

// TermEnd is the calendar's rule for a period ending on a day off.
func (c Calendar) TermEnd() TermEnd { return c.end }

// EndOfTerm returns the last day of a period that started with the event of
// start and whose statutory last day is last, moved by the calendar's
// TermEnd when last is a day off. Moved back, it never reaches start: a
// period with no working day after start ends on the next working day after
// last, the only day it can be kept.
func (c Calendar) EndOfTerm(start, last Date) Date {
	last = last.normal()
	if c.IsWorkingDay(last) {
		return last
	}
	if c.end == PrecedingWorkingDay {
		start = start.normal()
		for d := last.AddDays(-1); d.After(start); d = d.AddDays(-1) {
			if c.IsWorkingDay(d) {
				return d
			}
		}
	}
	return c.WorkingDayOnOrAfter(last)
}

// ErrTermEnded refuses an extension asked for once the term has passed:
// article 12 part 2 extends a running term, and the citizen must be told
// before it ends.
var ErrTermEnded = errors.New("срок рассмотрения обращения уже истёк; продлить истёкший срок нельзя — продление и уведомление заявителя оформляются до окончания срока (ч. 2 ст. 12 Федерального закона № 59-ФЗ)")

// TermEnd reads the municipality's setting; a municipality that never chose
// has the default, PrecedingWorkingDay.
func (c *Calendars) TermEnd(ctx context.Context, munID int64) (TermEnd, error) {
	var s string
	err := c.db.QueryRow(ctx, `SELECT term_end FROM deadline_settings WHERE municipality_id = ?`, munID).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return PrecedingWorkingDay, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read term end setting: %w", err)
	}
	return ParseTermEnd(s)
}

// SetTermEnd stores the municipality's setting in the caller's transaction,
// dropping the cached calendar as SetOverrides does.
func (c *Calendars) SetTermEnd(ctx context.Context, tx *db.Tx, munID int64, e TermEnd) error {
	if e != PrecedingWorkingDay && e != NextWorkingDay {
		return fmt.Errorf("deadline: unknown term end %d", int(e))
	}
	if _, err := tx.Exec(ctx, `DELETE FROM deadline_settings WHERE municipality_id = ?`, munID); err != nil {
		return fmt.Errorf("clear term end setting: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO deadline_settings (municipality_id, term_end) VALUES (?, ?)`, munID, e.String()); err != nil {
		return fmt.Errorf("save term end setting: %w", err)
	}
	c.Forget(munID)
	tx.AfterCommit(func() { c.Forget(munID) })
	return nil
}
