// Package roadmap holds plans of measures («дорожные карты») for the openness
// of an administration: their mechanisms, measures, indicators, schedules and
// responsible units, read from the Word tables and text such plans come in.
package roadmap

import (
	"math"
	"time"
)

// Roadmap is a plan of measures as approved by an act of the administration.
type Roadmap struct {
	Title        string
	ApprovingAct string // as the plan names it: «распоряжением администрации … от 07.03.2018 № 118»
	// PeriodFrom and PeriodTo are the span the plan's own schedules cover; a
	// recurring measure («Постоянно») recurs within them.
	PeriodFrom time.Time
	PeriodTo   time.Time
	Mechanisms []Mechanism
}

// Mechanism is one of the plan's mechanisms (instruments) of openness, such as
// «Развитие официального сайта»; its measures carry its number.
type Mechanism struct {
	Number   int
	Title    string
	Measures []Measure
}

// Measure is one row of the plan: something to do, by when, by whom, and what
// it should yield.
type Measure struct {
	Number         string // "4.2": the mechanism's number, then the measure's within it
	Text           string
	ExpectedResult string
	Indicator      *Indicator // nil when the expected result states no count
	Schedule       Schedule
	Responsible    []string // units as the plan names them, one per entry
}

// Indicator is a count that an expected result states: «Количество
// публикаций – 5 ед.» is Kind «публикации», Target 5. Limit marks a ceiling
// rather than a target: «не более 8 ед.» is met by 8 or fewer.
type Indicator struct {
	Kind   string // one of the Indicator* kinds, or "" when the text names none
	Target int
	Limit  bool
}

// MeasureCount is the number of measures across all mechanisms.
func (r Roadmap) MeasureCount() int {
	n := 0
	for _, m := range r.Mechanisms {
		n += len(m.Measures)
	}
	return n
}

// Shift returns a copy of the roadmap with every date moved by whole years
// and months (see Schedule.Shift). The original is not changed.
func (r Roadmap) Shift(years, months int) Roadmap {
	out := r
	out.PeriodFrom = shiftDate(r.PeriodFrom, years, months)
	out.PeriodTo = shiftDate(r.PeriodTo, years, months)
	out.Mechanisms = make([]Mechanism, len(r.Mechanisms))
	for i, m := range r.Mechanisms {
		m.Measures = append([]Measure(nil), m.Measures...)
		for j := range m.Measures {
			m.Measures[j].Schedule = m.Measures[j].Schedule.Shift(years, months)
			m.Measures[j].Responsible = append([]string(nil), m.Measures[j].Responsible...)
		}
		out.Mechanisms[i] = m
	}
	return out
}

// Redate moves the roadmap by whole years so that the middle of its period
// falls in the year nearest to now: the demo shows a 2018 plan as if it were
// running, with some deadlines past and some ahead. Whole years keep months,
// quarters and the wording of every schedule intact.
func (r Roadmap) Redate(now time.Time) Roadmap {
	if r.PeriodFrom.IsZero() || r.PeriodTo.IsZero() {
		return r
	}
	mid := r.PeriodFrom.Add(r.PeriodTo.Sub(r.PeriodFrom) / 2)
	years := int(math.Round(now.Sub(mid).Hours() / (24 * 365.2425)))
	return r.Shift(years, 0)
}

// span is the period the dated schedules of the measures cover: from the
// earliest date any of them names to the latest.
func span(mechs []Mechanism) (from, to time.Time) {
	for _, m := range mechs {
		for _, ms := range m.Measures {
			s := ms.Schedule
			if s.Kind != ScheduleDeadline && s.Kind != SchedulePeriod {
				continue
			}
			for _, d := range []time.Time{s.From, s.To} {
				if d.IsZero() {
					continue
				}
				if from.IsZero() || d.Before(from) {
					from = d
				}
				if d.After(to) {
					to = d
				}
			}
		}
	}
	return from, to
}
