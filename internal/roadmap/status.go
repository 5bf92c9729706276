package roadmap

import (
	"sort"
	"time"
)

// Status is where a measure stands, in the four words a report on a plan uses.
type Status string

const (
	StatusDone     Status = "done"     // выполнено
	StatusProgress Status = "progress" // в работе
	StatusPending  Status = "pending"  // срок не наступил
	StatusOverdue  Status = "overdue"  // просрочено
	// StatusNoTool is a measure whose evidence no area of the portal can
	// write yet (the council, the groups, open data, … are not built): the
	// portal cannot say it is done or overdue.
	StatusNoTool Status = "notool" // в портале пока нет инструмента
	// StatusNoData is a measure of a plan entered into the portal after its
	// period ended, with nothing a person linked: the portal holds no record
	// of that time and cannot say whether it was done.
	StatusNoData Status = "nodata" // нет сведений об исполнении
)

// Statuses lists them in the order a summary shows them.
var Statuses = []Status{StatusDone, StatusProgress, StatusPending, StatusOverdue, StatusNoTool, StatusNoData}

// Label is the Russian word for the status.
func (s Status) Label() string {
	switch s {
	case StatusDone:
		return "выполнено"
	case StatusProgress:
		return "в работе"
	case StatusPending:
		return "срок не наступил"
	case StatusOverdue:
		return "просрочено"
	case StatusNoTool:
		return "в портале пока нет инструмента"
	case StatusNoData:
		return "нет сведений об исполнении"
	}
	return string(s)
}

// PeriodStatus is the status of one window of a recurring measure.
type PeriodStatus struct {
	Period
	Count  int
	Status Status
}

// Progress is a measure's standing on a given day, computed from its
// schedule and the dates of the evidence found for it.
type Progress struct {
	Status Status
	// Count is the evidence that counts toward the schedule: within its
	// window, or since the plan began for a deadline.
	Count    int
	Required int
	// Late marks a measure done only after its deadline.
	Late bool
	// Periods are the windows of a recurring measure that have begun.
	Periods []PeriodStatus
	// Compliance is the share of the recurring windows that have ended or
	// are done in which the measure was done, from 0 to 1; -1 when there is
	// no such window yet (or the measure does not recur by windows).
	Compliance float64
}

// Evaluate computes a measure's status on today from its schedule, the
// number of pieces of evidence each window needs (at least one), and the
// dates of the evidence found. It is a pure function of its arguments, so
// that the public page, the exports and the reminders agree.
//
// The rules: a deadline is done once enough evidence exists up to today
// (late when some of it came after the deadline), overdue after the deadline
// otherwise, and in work before it. A period is the same but not yet due
// before it begins. A recurring measure is counted window by window: a
// window is done with enough evidence inside it, overdue once it ended
// without; the measure is overdue when its last ended window was missed,
// done when its span is over and every window was done, and in work
// otherwise. A continuous measure («Постоянно») is done while it has
// evidence within its span. One done on demand is done with any evidence
// and in work without, since nothing is due until a request comes. An
// unparsed schedule has no dates: done with evidence, in work without.
func Evaluate(s Schedule, required int, evidence []time.Time, today time.Time) Progress {
	if required < 1 {
		required = 1
	}
	today = civil(today)
	days := make([]time.Time, 0, len(evidence))
	for _, e := range evidence {
		days = append(days, civil(e))
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Before(days[j]) })
	p := Progress{Required: required, Compliance: -1}

	switch s.Kind {
	case ScheduleDeadline, SchedulePeriod:
		evaluateDated(&p, s, days, today)
	case ScheduleRecurring:
		evaluateRecurring(&p, s, days, today)
	default: // unparsed
		p.Count = len(days)
		p.Status = StatusProgress
		if p.Count >= required {
			p.Status = StatusDone
		}
	}
	return p
}

// evaluateDated sets the standing of a deadline or a period measure.
func evaluateDated(p *Progress, s Schedule, days []time.Time, today time.Time) {
	from := s.From // zero for a deadline: anything before it counts
	p.Count = countIn(days, from, today)
	switch {
	case p.Count >= p.Required:
		p.Status = StatusDone
		// Late when the required piece arrived after the deadline.
		if n := countIn(days, from, s.To); n < p.Required {
			p.Late = true
		}
	case !from.IsZero() && today.Before(from):
		p.Status = StatusPending
	case today.After(s.To):
		p.Status = StatusOverdue
	default:
		p.Status = StatusProgress
	}
}

// evaluateRecurring sets the standing of a recurring measure: on demand and
// continuous ones as a whole, the others window by window.
func evaluateRecurring(p *Progress, s Schedule, days []time.Time, today time.Time) {
	switch {
	case s.Every == OnDemand || s.From.IsZero() || s.To.IsZero():
		p.Count = countIn(days, s.From, today)
		p.Status = StatusProgress
		if p.Count >= p.Required {
			p.Status = StatusDone
		}
		return
	case today.Before(s.From):
		p.Status = StatusPending
		return
	case s.Every == Continuous:
		p.Count = countIn(days, s.From, minTime(today, s.To))
		switch {
		case p.Count >= p.Required:
			p.Status = StatusDone
		case today.After(s.To):
			p.Status = StatusOverdue
		default:
			p.Status = StatusProgress
		}
		return
	}
	evaluateWindows(p, s, days, today)
}

// evaluateWindows counts a recurring measure window by window and sets its
// periods, compliance and overall status from them.
func evaluateWindows(p *Progress, s Schedule, days []time.Time, today time.Time) {
	var closed, met int
	lastEndedMissed := false
	for _, w := range s.Periods(today) {
		ps := PeriodStatus{Period: w, Count: countIn(days, w.From, w.To)}
		p.Count += ps.Count
		switch {
		case ps.Count >= p.Required:
			ps.Status = StatusDone
			closed++
			met++
			if w.To.Before(today) {
				lastEndedMissed = false
			}
		case w.To.Before(today):
			ps.Status = StatusOverdue
			closed++
			lastEndedMissed = true
		default:
			ps.Status = StatusProgress
		}
		p.Periods = append(p.Periods, ps)
	}
	if closed > 0 {
		p.Compliance = float64(met) / float64(closed)
	}
	switch {
	case lastEndedMissed:
		p.Status = StatusOverdue
	case today.After(s.To) && met == len(p.Periods):
		p.Status = StatusDone
	default:
		p.Status = StatusProgress
	}
}

// countIn counts the sorted days within [from, to]; a zero from is open.
// Binary search keeps a weekly measure with years of evidence cheap.
func countIn(days []time.Time, from, to time.Time) int {
	lo := 0
	if !from.IsZero() {
		lo = sort.Search(len(days), func(i int) bool { return !days[i].Before(from) })
	}
	hi := sort.Search(len(days), func(i int) bool { return days[i].After(to) })
	return max(0, hi-lo)
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// Window is the span of time in which evidence for the schedule is looked
// for: a deadline's from the plan's start, the others their own. Evidence is
// looked for up to today even past the end, so that late work still shows.
func Window(s Schedule, planFrom time.Time) (from, to time.Time) {
	from, to = s.From, s.To
	if s.Kind == ScheduleDeadline || from.IsZero() {
		from = planFrom
	}
	return from, to
}

// Required is how many pieces of evidence a measure needs per window: the
// count its rule asks for, or else its indicator's target (a ceiling such as
// «не более 8» asks for at least one), or one.
func Required(ruleCount int, ind *Indicator) int {
	switch {
	case ruleCount > 0:
		return ruleCount
	case ind != nil && !ind.Limit && ind.Target > 0:
		return ind.Target
	}
	return 1
}

// DueSoon reports the next date by which something of the measure is due, if
// it falls within lead days of today and is not yet done: the deadline, the
// end of the period, or the end of the running window of a recurring
// measure. It is what reminders are sent for, once per due date.
func DueSoon(s Schedule, p Progress, today time.Time, lead int) (time.Time, bool) {
	today = civil(today)
	limit := today.AddDate(0, 0, lead)
	var due time.Time
	switch s.Kind {
	case ScheduleDeadline, SchedulePeriod:
		if p.Status == StatusDone {
			return time.Time{}, false
		}
		due = s.To
	case ScheduleRecurring:
		if len(p.Periods) == 0 {
			return time.Time{}, false
		}
		last := p.Periods[len(p.Periods)-1]
		if last.Status == StatusDone {
			return time.Time{}, false
		}
		due = last.To
	default:
		return time.Time{}, false
	}
	if due.Before(today) || due.After(limit) {
		return time.Time{}, false
	}
	return due, true
}

// Tally counts a roadmap's measures by status.
type Tally struct {
	Total  int
	Counts map[Status]int
}

// Add counts one status.
func (t *Tally) Add(s Status) {
	if t.Counts == nil {
		t.Counts = map[Status]int{}
	}
	t.Total++
	t.Counts[s]++
}

// Of is the number of measures with status s.
func (t Tally) Of(s Status) int { return t.Counts[s] }

// Done is the number of measures done.
func (t Tally) Done() int { return t.Counts[StatusDone] }

// Percent is the share of measures with status s, rounded to a whole percent.
func (t Tally) Percent(s Status) int {
	if t.Total == 0 {
		return 0
	}
	return (t.Counts[s]*100 + t.Total/2) / t.Total
}
