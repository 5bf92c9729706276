// Package consult is the one engine behind the documents the administration
// puts before the public: public discussion of draft acts, the public
// declaration of goals, independent anticorruption expertise, public
// hearings under art. 5.1 of the Town Planning Code, and the collection of
// proposals. This file holds the types and rules; it does no I/O.
package consult

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/deadline"
)

// Kind is the kind of a consultation.
type Kind string

const (
	KindDiscussion  Kind = "discussion"  // общественное обсуждение проекта акта
	KindDeclaration Kind = "declaration" // публичная декларация целей и задач
	KindExpertise   Kind = "expertise"   // независимая антикоррупционная экспертиза
	KindUrban       Kind = "urban"       // общественные обсуждения по ст. 5.1 ГрК РФ
	KindProposals   Kind = "proposals"   // сбор предложений
)

// Stage is a step of a consultation's procedure.
type Stage string

const (
	StageProposals  Stage = "proposals"  // сбор предложений
	StagePublished  Stage = "published"  // проект опубликован
	StageDiscussion Stage = "discussion" // обсуждение
	StageSummary    Stage = "summary"    // подведение итогов
	StageApproval   Stage = "approval"   // утверждение
	StageFinal      Stage = "final"      // итоговая редакция
)

// AllStages is the order stages always follow.
var AllStages = []Stage{StageProposals, StagePublished, StageDiscussion, StageSummary, StageApproval, StageFinal}

var stageLabels = map[Stage]string{
	StageProposals:  "Сбор предложений",
	StagePublished:  "Проект опубликован",
	StageDiscussion: "Обсуждение",
	StageSummary:    "Подведение итогов",
	StageApproval:   "Утверждение",
	StageFinal:      "Итоговая редакция",
}

// Label is the stage's Russian name; the expertise calls its open stage by
// what happens in it.
func (s Stage) Label(k Kind) string {
	if k == KindExpertise && s == StageDiscussion {
		return "Приём заключений экспертов"
	}
	if s == "" {
		return "Запланировано"
	}
	if l, ok := stageLabels[s]; ok {
		return l
	}
	return string(s)
}

// Open reports whether residents may comment during the stage.
func (s Stage) Open() bool { return s == StageProposals || s == StageDiscussion }

func stageIndex(s Stage) int { return slices.Index(AllStages, s) }

// Participation says who may take part.
type Participation string

const (
	AnyResident        Participation = "any"        // любой житель, без регистрации
	RegisteredResident Participation = "registered" // зарегистрированные жители
	GroupMembersOnly   Participation = "groups"     // члены референтных групп сфер обсуждения
	AccreditedExperts  Participation = "experts"    // аккредитованные эксперты
)

// Label is the Russian description shown to participants.
func (p Participation) Label() string {
	switch p {
	case AnyResident:
		return "любой житель, регистрация не нужна"
	case RegisteredResident:
		return "зарегистрированные на портале жители"
	case GroupMembersOnly:
		return "члены референтных групп по сферам обсуждения"
	case AccreditedExperts:
		return "независимые эксперты, аккредитованные Минюстом России"
	}
	return string(p)
}

// Moderation says whether comments appear before or after a moderator looks.
type Moderation string

const (
	PreModeration  Moderation = "pre"  // published once approved
	PostModeration Moderation = "post" // published at once, may be removed
)

// Impact is the degree of regulatory impact of a draft; it sets the
// discussion's minimum length.
type Impact string

const (
	ImpactNone   Impact = ""
	ImpactLow    Impact = "low"
	ImpactMedium Impact = "medium"
	ImpactHigh   Impact = "high"
)

// Procedure is the configured procedure of a kind.
type Procedure struct {
	Kind          Kind
	Label         string
	Stages        []Stage
	MinDays       int // minimum length of the open stage, calendar days
	MaxDays       int // maximum length of the open stage
	Participation Participation
	Moderation    Moderation
}

// Procedures are the procedures of every kind. They are configuration: an
// installation may override them with ParseProcedures.
type Procedures map[Kind]Procedure

// DefaultProcedures follow federal law and the roadmap: expertise lasts at
// least 7 days (Decree No. 96 practice, 172-FZ), regulatory-impact
// discussions 10/15/20 days by degree and at most 45.
func DefaultProcedures() Procedures {
	return Procedures{
		KindDiscussion: {KindDiscussion, "Общественное обсуждение проекта акта",
			[]Stage{StagePublished, StageDiscussion, StageSummary, StageApproval, StageFinal}, 10, 45, AnyResident, PostModeration},
		KindDeclaration: {KindDeclaration, "Публичная декларация целей и задач",
			[]Stage{StageProposals, StagePublished, StageDiscussion, StageSummary, StageApproval, StageFinal}, 14, 45, AnyResident, PreModeration},
		KindExpertise: {KindExpertise, "Независимая антикоррупционная экспертиза",
			[]Stage{StagePublished, StageDiscussion, StageSummary, StageFinal}, 7, 30, AccreditedExperts, PreModeration},
		KindUrban: {KindUrban, "Общественные обсуждения (ст. 5.1 Градостроительного кодекса РФ)",
			[]Stage{StagePublished, StageDiscussion, StageSummary, StageApproval, StageFinal}, 14, 90, RegisteredResident, PreModeration},
		KindProposals: {KindProposals, "Сбор предложений",
			[]Stage{StageProposals, StageSummary}, 7, 60, AnyResident, PostModeration},
	}
}

// Kinds lists the kinds in display order.
var Kinds = []Kind{KindDiscussion, KindDeclaration, KindExpertise, KindUrban, KindProposals}

// Label is the kind's Russian name.
func (ps Procedures) Label(k Kind) string {
	if p, ok := ps[k]; ok {
		return p.Label
	}
	return string(k)
}

// ParseProcedures applies a text override to the defaults, one setting a
// line: "kind.field = value" where field is stages (comma-separated),
// min_days, max_days, participation or moderation. Lines starting with #
// are comments. Errors are Russian and name the line.
func ParseProcedures(src string, base Procedures) (Procedures, error) {
	out := Procedures{}
	for k, p := range base {
		p.Stages = slices.Clone(p.Stages)
		out[k] = p
	}
	for i, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		kind, field, ok2 := strings.Cut(strings.TrimSpace(key), ".")
		if !ok || !ok2 {
			return nil, fmt.Errorf("строка %d: ожидалось «вид.поле = значение»", i+1)
		}
		p, exists := out[Kind(kind)]
		if !exists {
			return nil, fmt.Errorf("строка %d: неизвестный вид обсуждения %q", i+1, kind)
		}
		val = strings.TrimSpace(val)
		switch field {
		case "stages":
			var st []Stage
			for _, s := range strings.Split(val, ",") {
				s := Stage(strings.TrimSpace(s))
				if stageIndex(s) < 0 {
					return nil, fmt.Errorf("строка %d: неизвестный этап %q", i+1, s)
				}
				if len(st) > 0 && stageIndex(s) <= stageIndex(st[len(st)-1]) {
					return nil, fmt.Errorf("строка %d: этапы должны идти в порядке: сбор предложений, проект, обсуждение, итоги, утверждение, итоговая редакция", i+1)
				}
				st = append(st, s)
			}
			if !slices.ContainsFunc(st, Stage.Open) {
				return nil, fmt.Errorf("строка %d: нужен этап обсуждения или сбора предложений", i+1)
			}
			p.Stages = st
		case "min_days", "max_days":
			var n int
			if _, err := fmt.Sscanf(val, "%d", &n); err != nil || n < 1 || n > 365 {
				return nil, fmt.Errorf("строка %d: число дней от 1 до 365", i+1)
			}
			if field == "min_days" {
				p.MinDays = n
			} else {
				p.MaxDays = n
			}
		case "participation":
			switch Participation(val) {
			case AnyResident, RegisteredResident, GroupMembersOnly, AccreditedExperts:
				p.Participation = Participation(val)
			default:
				return nil, fmt.Errorf("строка %d: участники: any, registered, groups или experts", i+1)
			}
		case "moderation":
			switch Moderation(val) {
			case PreModeration, PostModeration:
				p.Moderation = Moderation(val)
			default:
				return nil, fmt.Errorf("строка %d: модерация: pre или post", i+1)
			}
		default:
			return nil, fmt.Errorf("строка %d: неизвестное поле %q", i+1, field)
		}
		if p.MinDays > p.MaxDays {
			return nil, fmt.Errorf("строка %d: наименьший срок больше наибольшего", i+1)
		}
		out[Kind(kind)] = p
	}
	return out, nil
}

// ImpactMinDays is the minimum discussion of a draft by its degree of
// regulatory impact; ImpactMaxDays caps every degree.
func ImpactMinDays(i Impact) int {
	switch i {
	case ImpactLow:
		return 10
	case ImpactMedium:
		return 15
	case ImpactHigh:
		return 20
	}
	return 0
}

// ImpactMaxDays is the longest regulatory-impact discussion.
const ImpactMaxDays = 45

// ImpactLabel is the degree's Russian name.
func ImpactLabel(i Impact) string {
	switch i {
	case ImpactLow:
		return "низкая степень регулирующего воздействия"
	case ImpactMedium:
		return "средняя степень регулирующего воздействия"
	case ImpactHigh:
		return "высокая степень регулирующего воздействия"
	}
	return ""
}

// Bounds returns the minimum and maximum length of the open stage for a
// consultation of procedure p with impact i.
func (p Procedure) Bounds(i Impact) (minDays, maxDays int) {
	minDays, maxDays = p.MinDays, p.MaxDays
	if n := ImpactMinDays(i); n > 0 {
		minDays = max(minDays, n)
		maxDays = min(maxDays, ImpactMaxDays)
	}
	return minDays, maxDays
}

// Period is one stage with its dates. Ends is zero for an open-ended last
// stage.
type Period struct {
	Stage  Stage
	Starts deadline.Date
	Ends   deadline.Date
}

// Days is the stage's length counting both ends.
func (p Period) Days() int {
	if p.Ends.IsZero() {
		return 0
	}
	return int(dateTime(p.Ends).Sub(dateTime(p.Starts)).Hours()/24) + 1
}

func dateTime(d deadline.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// ScheduleError names the stage at fault, for the form.
type ScheduleError struct {
	Stage Stage
	Msg   string
}

func (e *ScheduleError) Error() string { return e.Msg }

// ValidateSchedule checks a schedule against the procedure: every stage of
// the procedure present, in order, without overlaps, and the open stage
// within the procedure's bounds.
func ValidateSchedule(p Procedure, impact Impact, periods []Period) error {
	if len(periods) != len(p.Stages) {
		return errors.New("укажите даты каждого этапа")
	}
	minDays, maxDays := p.Bounds(impact)
	for i, per := range periods {
		if per.Stage != p.Stages[i] {
			return &ScheduleError{per.Stage, "этапы не соответствуют процедуре"}
		}
		label := per.Stage.Label(p.Kind)
		if per.Starts.IsZero() {
			return &ScheduleError{per.Stage, fmt.Sprintf("Укажите дату начала этапа «%s».", label)}
		}
		last := i == len(periods)-1
		if per.Ends.IsZero() && !last {
			return &ScheduleError{per.Stage, fmt.Sprintf("Укажите дату окончания этапа «%s».", label)}
		}
		if !per.Ends.IsZero() && per.Ends.Before(per.Starts) {
			return &ScheduleError{per.Stage, fmt.Sprintf("Этап «%s» заканчивается раньше, чем начинается.", label)}
		}
		if i > 0 && !per.Starts.After(periods[i-1].Ends) {
			return &ScheduleError{per.Stage, fmt.Sprintf("Этап «%s» должен начаться после окончания предыдущего.", label)}
		}
		if per.Stage.Open() {
			if d := per.Days(); d < minDays {
				return &ScheduleError{per.Stage, fmt.Sprintf("Этап «%s» должен длиться не меньше %d дней (сейчас %d).", label, minDays, d)}
			} else if d > maxDays {
				return &ScheduleError{per.Stage, fmt.Sprintf("Этап «%s» должен длиться не больше %d дней (сейчас %d).", label, maxDays, d)}
			}
		}
	}
	return nil
}

// DefaultSchedule lays the procedure's stages out from start: the open
// stage lasts its minimum, the summary 7 days, approval 14 days, the
// published stage a day, and the final text is open-ended.
func DefaultSchedule(p Procedure, impact Impact, start deadline.Date) []Period {
	minDays, _ := p.Bounds(impact)
	var out []Period
	d := start
	for i, s := range p.Stages {
		n := 7
		switch {
		case s.Open():
			n = minDays
		case s == StagePublished:
			n = 1
		case s == StageApproval:
			n = 14
		}
		per := Period{Stage: s, Starts: d}
		if i < len(p.Stages)-1 {
			per.Ends = d.AddDays(n - 1)
			d = per.Ends.AddDays(1)
		}
		out = append(out, per)
	}
	return out
}

// DueStage is the stage a consultation should be in on day today: the last
// stage that has started. It never moves back from current, so a stage that
// staff advanced by hand stays advanced. ok is false when nothing changes.
func DueStage(periods []Period, current Stage, today deadline.Date) (Stage, bool) {
	due := Stage("")
	for _, p := range periods {
		if !p.Starts.After(today) {
			due = p.Stage
		}
	}
	if due == "" || due == current || (current != "" && stageIndex(due) < stageIndex(current)) {
		return current, false
	}
	return due, true
}

// Until is the last day of stage s: its end, or the day before the next
// stage starts; zero when open-ended.
func Until(periods []Period, s Stage) deadline.Date {
	for i, p := range periods {
		if p.Stage != s {
			continue
		}
		if !p.Ends.IsZero() {
			return p.Ends
		}
		if i+1 < len(periods) {
			return periods[i+1].Starts.AddDays(-1)
		}
	}
	return deadline.Date{}
}

// Decision is the drafter's answer to a comment.
type Decision string

const (
	Undecided       Decision = ""
	Accepted        Decision = "accepted" // учтено
	PartlyAccepted  Decision = "partly"   // учтено частично
	NotAccepted     Decision = "rejected" // не учтено
	NotedDecision   Decision = "noted"    // принято к сведению
	maxReasonLength          = 4000
)

// Decisions lists the answers in display order.
var Decisions = []Decision{Accepted, PartlyAccepted, NotAccepted, NotedDecision}

// Label is the decision's Russian name.
func (d Decision) Label() string {
	switch d {
	case Accepted:
		return "учтено"
	case PartlyAccepted:
		return "учтено частично"
	case NotAccepted:
		return "не учтено"
	case NotedDecision:
		return "принято к сведению"
	}
	return "ответ готовится"
}

// Valid reports whether d is one of the four answers.
func (d Decision) Valid() bool { return slices.Contains(Decisions, d) }

// TakenIntoAccount reports whether the proposal counts as taken into
// account in the conclusion (fully or partly).
func (d Decision) TakenIntoAccount() bool { return d == Accepted || d == PartlyAccepted }

// CheckAnswer validates an answer: a decision, and a reason for every
// decision except full acceptance (art. 5.1 requires reasoned refusals;
// glasnost asks for a reason always, as the issue says).
func CheckAnswer(d Decision, reason string) map[string]string {
	errs := map[string]string{}
	if !d.Valid() {
		errs["decision"] = "Выберите решение по предложению."
	}
	r := strings.TrimSpace(reason)
	if r == "" {
		errs["reason"] = "Обоснуйте решение: участник должен понять, почему его предложение учтено или нет."
	} else if len([]rune(r)) > maxReasonLength {
		errs["reason"] = "Обоснование длиннее 4000 знаков."
	}
	return errs
}

// Comment statuses.
const (
	StatusPending   = "pending"   // awaiting pre-moderation
	StatusHeld      = "held"      // held automatically by the word list
	StatusPublished = "published" // visible
	StatusRejected  = "rejected"  // refused by a moderator, with a reason
)

// StatusLabel names a comment status for its author.
func StatusLabel(s string) string {
	switch s {
	case StatusPending:
		return "на модерации"
	case StatusHeld:
		return "задержано для проверки модератором"
	case StatusPublished:
		return "опубликовано"
	case StatusRejected:
		return "отклонено модератором"
	}
	return s
}

// Author kinds: how a participant chose to be shown.
const (
	AuthorName         = "name"         // by name
	AuthorResident     = "resident"     // as «житель»
	AuthorOrganisation = "organisation" // as the organisation
)

// AuthorDisplay is the author as published: the name, «житель», or the
// organisation, as the author chose. Nothing else of a participant is shown.
func AuthorDisplay(kind, name, organisation string) string {
	switch kind {
	case AuthorName:
		if strings.TrimSpace(name) != "" {
			return name
		}
	case AuthorOrganisation:
		if strings.TrimSpace(organisation) != "" {
			return organisation
		}
	}
	return "Житель"
}

// FormatReceipt makes a participant's receipt number: the consultation, the
// comment's sequence within it, and a random tail so that receipts cannot
// be guessed to read others' unpublished proposals.
func FormatReceipt(consultationID int64, seq int, tail string) string {
	return fmt.Sprintf("%d-%05d-%s", consultationID, seq, tail)
}

// NormalizeReceipt tidies a receipt number typed by a person.
func NormalizeReceipt(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	s = strings.NewReplacer(" ", "", "—", "-", "–", "-", "№", "").Replace(s)
	return s
}

// Quote checks that a quoted passage occurs in the point's or the whole
// draft's text, and returns its character offsets in text (-1, -1 when
// the quote is not there).
func Quote(text, quote string) (start, end int) {
	q := strings.TrimSpace(quote)
	if q == "" {
		return -1, -1
	}
	// Lower-casing keeps the number of runes of Cyrillic and Latin text, so
	// offsets found in the normalised copy map back.
	norm := func(s string) string {
		return strings.Join(strings.Fields(strings.ReplaceAll(strings.ToLower(s), "ё", "е")), " ")
	}
	i := strings.Index(text, q)
	if i < 0 {
		// Whitespace and «ё» differ between what was copied and the source;
		// search in a normalised copy and map the position back.
		nt, nq := norm(text), norm(q)
		j := strings.Index(nt, nq)
		if j < 0 {
			return -1, -1
		}
		startRune := len([]rune(nt[:j]))
		return mapNormalized(text, startRune, len([]rune(nq)))
	}
	start = len([]rune(text[:i]))
	return start, start + len([]rune(q))
}

// mapNormalized maps a rune span of the whitespace-collapsed text back to
// the original text.
func mapNormalized(text string, start, n int) (int, int) {
	rs := []rune(text)
	pos, ni := 0, 0
	// Skip leading spaces, as Fields does.
	for pos < len(rs) && isSpace(rs[pos]) {
		pos++
	}
	s, e := -1, -1
	for pos <= len(rs) {
		if ni == start && s < 0 {
			s = pos
		}
		if ni == start+n {
			e = pos
			break
		}
		if pos == len(rs) {
			break
		}
		if isSpace(rs[pos]) {
			for pos < len(rs) && isSpace(rs[pos]) {
				pos++
			}
			ni++
			continue
		}
		pos++
		ni++
	}
	if s < 0 || e < 0 {
		return -1, -1
	}
	return s, e
}

func isSpace(r rune) bool { return r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\u00a0' }

// Factor is one corruptiogenic factor of the Methodology approved by
// Government Decree No. 96 of 26.02.2010.
type Factor struct {
	Code string
	Name string
}

// Factors are the twelve factors of points 3 and 4 of the Methodology.
var Factors = []Factor{
	{"3.1", "широта дискреционных полномочий"},
	{"3.2", "определение компетенции по формуле «вправе»"},
	{"3.3", "выборочное изменение объёма прав"},
	{"3.4", "чрезмерная свобода подзаконного нормотворчества"},
	{"3.5", "принятие нормативного правового акта за пределами компетенции"},
	{"3.6", "заполнение законодательных пробелов при помощи подзаконных актов в отсутствие законодательной делегации"},
	{"3.7", "отсутствие или неполнота административных процедур"},
	{"3.8", "отказ от конкурсных (аукционных) процедур"},
	{"3.9", "нормативные коллизии"},
	{"4.1", "наличие завышенных требований к лицу, предъявляемых для реализации принадлежащего ему права"},
	{"4.2", "злоупотребление правом заявителя органами государственной власти или органами местного самоуправления"},
	{"4.3", "юридико-лингвистическая неопределённость"},
}

// FactorFinding is what an expert found for one factor.
type FactorFinding struct {
	Code       string `json:"factor"`
	Provisions string `json:"provisions"`
	Proposal   string `json:"proposal"`
}

// CheckConclusion validates an expert conclusion: at least one factor
// with its provisions and a proposal, or a free-text conclusion (an expert
// may conclude that no factor was found). Errors are keyed by form field.
func CheckConclusion(found []FactorFinding, body string) map[string]string {
	errs := map[string]string{}
	filled := false
	for _, f := range found {
		p, q := strings.TrimSpace(f.Provisions), strings.TrimSpace(f.Proposal)
		if p == "" && q == "" {
			continue
		}
		filled = true
		if p == "" {
			errs["provisions_"+f.Code] = "Укажите положения проекта, в которых выявлен фактор " + f.Code + "."
		}
		if q == "" {
			errs["proposal_"+f.Code] = "Предложите способ устранения фактора " + f.Code + "."
		}
	}
	if !filled && strings.TrimSpace(body) == "" {
		errs["body"] = "Заполните хотя бы один фактор или напишите вывод экспертизы в свободной форме."
	}
	return errs
}

// ExpertiseDue is the day by which the administration owes a reasoned
// answer to a conclusion received on day received.
func ExpertiseDue(cal deadline.Calendar, rules deadline.Rules, received deadline.Date) deadline.Date {
	return cal.Due(received, rules.ExpertiseAnswer)
}

// Overdue reports whether an unanswered conclusion is past its due day.
func Overdue(due, today deadline.Date, answered bool) bool {
	return !answered && today.After(due)
}
