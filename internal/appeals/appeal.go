// Package appeals is mechanism 9 of the roadmap: citizens' appeals under
// Federal Law No. 59-FZ — electronic submission by residents, registration
// of paper, post, reception and МЭДО appeals by staff, statutory deadlines on
// the municipality's production calendar, the reference line operator's
// console, reminders, the ТОТКО classifier, and the quarterly analytical
// report (measures 9.1 and 9.2).
//
// This file holds the types and the rules: the state machine, who may do
// what, deadlines and registration numbers. It does no I/O.
package appeals

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/deadline"
)

// Status is the state of an appeal.
type Status string

const (
	StatusReceived   Status = "received"
	StatusRegistered Status = "registered"
	StatusAssigned   Status = "assigned"
	StatusDrafted    Status = "drafted"
	StatusApproved   Status = "approved"
	StatusAnswered   Status = "answered"
	StatusForwarded  Status = "forwarded"
	StatusLeft       Status = "left_unanswered"
	StatusReturned   Status = "returned"
)

var statusLabels = map[Status]string{
	StatusReceived:   "Поступило",
	StatusRegistered: "Зарегистрировано",
	StatusAssigned:   "Передано исполнителю",
	StatusDrafted:    "Подготовлен проект ответа",
	StatusApproved:   "Ответ согласован руководителем",
	StatusAnswered:   "Дан ответ",
	StatusForwarded:  "Направлено по компетенции",
	StatusLeft:       "Оставлено без ответа",
	StatusReturned:   "Возвращено заявителю",
}

// Label is the status in Russian.
func (s Status) Label() string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return string(s)
}

// Closed reports whether consideration of the appeal has ended.
func (s Status) Closed() bool {
	switch s {
	case StatusAnswered, StatusForwarded, StatusLeft, StatusReturned:
		return true
	}
	return false
}

// OpenStatuses are the states in which a deadline runs.
var OpenStatuses = []Status{StatusReceived, StatusRegistered, StatusAssigned, StatusDrafted, StatusApproved}

// ClosedStatuses end consideration.
var ClosedStatuses = []Status{StatusAnswered, StatusForwarded, StatusLeft, StatusReturned}

// Option is a value with its Russian label, for selects and reports.
type Option struct {
	Value string
	Label string
}

func label(opts []Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	if v == "" {
		return "Не указано"
	}
	return v
}

func valid(opts []Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// Channels by which an appeal arrives.
var Channels = []Option{
	{"written", "Письменное (почта, нарочно)"},
	{"electronic", "В форме электронного документа"},
	{"oral", "Устное (личный приём)"},
	{"phone", "По телефону (справочная линия)"},
	{"medo", "Через МЭДО"},
}

// Kinds of appeal (article 4 of 59-FZ).
var Kinds = []Option{
	{"statement", "Заявление"},
	{"proposal", "Предложение"},
	{"complaint", "Жалоба"},
}

// Results of consideration, as the quarterly report counts them.
var Results = []Option{
	{"supported", "Поддержано"},
	{"supported_measures", "Поддержано, в т. ч. меры приняты"},
	{"explained", "Разъяснено"},
	{"not_supported", "Не поддержано"},
	{"left_unanswered", "Оставлено без ответа"},
	{"forwarded", "Направлено по компетенции"},
	{"site_visit", "Рассмотрено с выездом на место"},
	// Only the report uses it: an appeal returned under article 11 part 2
	// (a court decision is appealed) is not one left without an answer.
	{"returned", "Возвращено заявителю (обжалуется судебное решение)"},
}

// AnswerResults are the results a department chooses when it answers; the
// others follow from forwarding or closing on article 11 grounds.
var AnswerResults = []Option{Results[0], Results[1], Results[2], Results[3], Results[6]}

// ChannelLabel, KindLabel and ResultLabel give the Russian names.
func ChannelLabel(v string) string { return label(Channels, v) }
func KindLabel(v string) string    { return label(Kinds, v) }
func ResultLabel(v string) string  { return label(Results, v) }

// Ground is a ground of article 11 of 59-FZ for not answering an appeal on
// its merits, with the letter sent to the citizen.
type Ground struct {
	Code    string
	Basis   string
	Title   string
	Outcome Status // StatusLeft or StatusReturned
	// Notify says whether the citizen is written to (not when the appeal
	// names no one to answer).
	Notify bool
	// Letter is the body of the letter, a text/template over the appeal's
	// number and date (and Link, for part 5.1).
	Letter string
	// NoticeTerm: the citizen is told within 7 days of registration
	// (parts 2, 4, 4.1 and 5.1), a term tracked as Due.NoticeBy.
	NoticeTerm bool
	// NeedsLink: the letter names the page where the answer is published
	// (part 5.1).
	NeedsLink bool
}

// Grounds lists the grounds of article 11.
var Grounds = []Ground{
	{"no_name", "ч. 1 ст. 11", "Не указаны фамилия гражданина или почтовый адрес (адрес электронной почты) для ответа", StatusLeft, false,
		"Ответ на обращение не даётся: не указаны фамилия гражданина или адрес, по которому должен быть направлен ответ (ч. 1 ст. 11 Федерального закона № 59-ФЗ).", false, false},
	{"abusive", "ч. 3 ст. 11", "Нецензурные либо оскорбительные выражения, угрозы жизни, здоровью и имуществу должностного лица", StatusLeft, true,
		"Ваше обращение № {{.Number}} от {{.Date}} оставлено без ответа по существу поставленных в нём вопросов, так как содержит нецензурные либо оскорбительные выражения или угрозы (ч. 3 ст. 11 Федерального закона № 59-ФЗ). Сообщаем о недопустимости злоупотребления правом.", false, false},
	{"unreadable", "ч. 4 ст. 11", "Текст обращения не поддаётся прочтению", StatusLeft, true,
		"Ответ на обращение № {{.Number}} от {{.Date}} не дан, так как его текст не поддаётся прочтению (ч. 4 ст. 11 Федерального закона № 59-ФЗ). Вы вправе направить обращение повторно.", true, false},
	{"no_substance", "ч. 4.1 ст. 11", "Текст обращения не позволяет определить его суть", StatusLeft, true,
		"Ответ на обращение № {{.Number}} от {{.Date}} не дан, так как его текст не позволяет определить суть предложения, заявления или жалобы (ч. 4.1 ст. 11 Федерального закона № 59-ФЗ).", true, false},
	{"repeated", "ч. 5 ст. 11", "Повторное обращение без новых доводов; переписка прекращена решением руководителя", StatusLeft, true,
		"По Вашему обращению № {{.Number}} от {{.Date}} принято решение о безосновательности очередного обращения и прекращении переписки по данному вопросу, так как Вам неоднократно давались письменные ответы по существу, а новых доводов или обстоятельств не приведено (ч. 5 ст. 11 Федерального закона № 59-ФЗ).", false, false},
	{"secret", "ч. 6 ст. 11", "Ответ невозможен без разглашения охраняемой законом тайны", StatusLeft, true,
		"Ответ по существу обращения № {{.Number}} от {{.Date}} не может быть дан без разглашения сведений, составляющих государственную или иную охраняемую федеральным законом тайну (ч. 6 ст. 11 Федерального закона № 59-ФЗ).", false, false},
	{"court", "ч. 2 ст. 11", "Обжалуется судебное решение", StatusReturned, true,
		"Обращение № {{.Number}} от {{.Date}}, в котором обжалуется судебное решение, возвращается Вам с разъяснением порядка обжалования: судебное решение обжалуется в порядке, установленном процессуальным законодательством (ч. 2 ст. 11 Федерального закона № 59-ФЗ).", true, false},
	{"published", "ч. 5.1 ст. 11", "Ответ на поставленный вопрос уже размещён на официальном сайте", StatusLeft, true,
		"Ответ на вопрос, поставленный в Вашем обращении № {{.Number}} от {{.Date}}, размещён на официальном сайте: {{.Link}}. Обращение, содержащее вопрос, ответ на который размещён на сайте, не рассматривается повторно по существу (ч. 5.1 ст. 11 Федерального закона № 59-ФЗ).", true, true},
}

// GroundByCode finds an article 11 ground.
func GroundByCode(code string) (Ground, bool) {
	for _, g := range Grounds {
		if g.Code == code {
			return g, true
		}
	}
	return Ground{}, false
}

// Action is a step of the workflow.
type Action string

const (
	ActRegister Action = "register"
	ActAssign   Action = "assign"
	ActDraft    Action = "draft"
	ActRework   Action = "rework"
	ActApprove  Action = "approve"
	ActAnswer   Action = "answer"
	ActForward  Action = "forward"
	ActClose    Action = "close"
	ActExtend   Action = "extend"
)

var actionLabels = map[Action]string{
	ActRegister: "Регистрация",
	ActAssign:   "Передача исполнителю",
	ActDraft:    "Подготовка проекта ответа",
	ActRework:   "Возврат проекта на доработку",
	ActApprove:  "Согласование ответа руководителем",
	ActAnswer:   "Направление ответа",
	ActForward:  "Направление по компетенции",
	ActClose:    "Отказ в рассмотрении по существу (ст. 11)",
	ActExtend:   "Продление срока рассмотрения",
}

// ActionLabel names a history entry's action in Russian.
func ActionLabel(a string) string {
	switch a {
	case "received":
		return "Поступление"
	case "submitted":
		return "Подача в электронной форме"
	case "call":
		return "Звонок на справочный телефон"
	case "reminder":
		return "Напоминание исполнителю"
	case "publish_answer":
		return "Ответ размещён на портале (ч. 4 ст. 10)"
	}
	if l, ok := actionLabels[Action(a)]; ok {
		return l
	}
	return a
}

// Role is what a person is to one appeal, which decides what they may do.
type Role struct {
	Operator   bool // the reference line and the office for appeals
	Head       bool // the head (administrator) who approves, extends and closes
	Department bool // staff of the department the appeal is assigned to
}

// Any reports whether the person may see the appeal at all.
func (r Role) Any() bool { return r.Operator || r.Head || r.Department }

// ErrForbiddenAction and ErrWrongState are returned by Next.
var (
	ErrForbiddenAction = errors.New("у вас нет права выполнить это действие с обращением")
	ErrWrongState      = errors.New("это действие недоступно в текущем состоянии обращения")
)

type transition struct {
	from []Status
	to   Status // "" keeps the status
	who  func(Role) bool
}

func operatorOrHead(r Role) bool { return r.Operator || r.Head }
func worker(r Role) bool         { return r.Operator || r.Head || r.Department }
func head(r Role) bool           { return r.Head }

var transitions = map[Action]transition{
	ActRegister: {[]Status{StatusReceived}, StatusRegistered, operatorOrHead},
	ActAssign:   {[]Status{StatusRegistered, StatusAssigned}, StatusAssigned, operatorOrHead},
	ActDraft:    {[]Status{StatusAssigned, StatusDrafted}, StatusDrafted, worker},
	ActRework:   {[]Status{StatusDrafted, StatusApproved}, StatusAssigned, head},
	ActApprove:  {[]Status{StatusDrafted}, StatusApproved, head},
	ActAnswer:   {[]Status{StatusApproved}, StatusAnswered, worker},
	ActForward:  {[]Status{StatusReceived, StatusRegistered, StatusAssigned}, StatusForwarded, operatorOrHead},
	ActClose:    {[]Status{StatusReceived, StatusRegistered, StatusAssigned, StatusDrafted}, "", head},
	ActExtend:   {[]Status{StatusRegistered, StatusAssigned, StatusDrafted, StatusApproved}, "", head},
}

// Next returns the status an action leads to from the current one, or why
// it may not be taken. ActClose leads to the outcome of its ground, which
// the caller applies.
func Next(cur Status, act Action, who Role) (Status, error) {
	t, ok := transitions[act]
	if !ok {
		return "", fmt.Errorf("unknown action %q", act)
	}
	if !t.who(who) {
		return "", ErrForbiddenAction
	}
	allowed := false
	for _, s := range t.from {
		if s == cur {
			allowed = true
		}
	}
	if !allowed {
		return "", ErrWrongState
	}
	if t.to == "" {
		return cur, nil
	}
	return t.to, nil
}

// Allowed lists the actions who may take from cur, for the buttons on the
// appeal's page.
func Allowed(cur Status, who Role) map[Action]bool {
	out := map[Action]bool{}
	for a := range transitions {
		if _, err := Next(cur, a, who); err == nil {
			out[a] = true
		}
	}
	return out
}

// Due are the statutory deadlines of one appeal.
type Due struct {
	RegisterBy deadline.Date `json:"register_by"`
	ForwardBy  deadline.Date `json:"forward_by"`
	AnswerBy   deadline.Date `json:"answer_by"`
	// NoticeBy is the 7-day term of article 11 parts 2, 4, 4.1 and 5.1:
	// if one of those grounds applies, the citizen is told by then. Zero
	// for appeals registered before the term was tracked.
	NoticeBy deadline.Date `json:"notice_by,omitzero"`
}

// ComputeDue counts the deadlines on the calendar: registration from
// receipt (ч. 2 ст. 8), forwarding (ч. 3 ст. 8), answer (ч. 1 ст. 12) and
// the notices of article 11 (ч. 2, 4, 4.1, 5.1) from registration.
func ComputeDue(cal deadline.Calendar, rules deadline.Rules, received, registered deadline.Date) Due {
	return Due{
		RegisterBy: cal.Due(received, rules.Registration),
		ForwardBy:  cal.Due(registered, rules.Forwarding),
		AnswerBy:   cal.Due(registered, rules.Answer),
		NoticeBy:   cal.Due(registered, rules.Notice),
	}
}

// ErrAlreadyExtended is returned for a second extension: article 12 part 2
// allows one, of at most 30 days.
var ErrAlreadyExtended = errors.New("срок рассмотрения этого обращения уже продлевался; повторное продление закон не допускает (ч. 2 ст. 12 Федерального закона № 59-ФЗ)")

// ExtendDue returns the answer deadline of an appeal registered on
// registered, extended by days: registration + 30 + days, then moved by the
// municipality's rule for a day off, never counted from a moved term. It
// refuses a second extension and one asked for on today after current, the
// answer term as it stands, has passed.
func ExtendDue(cal deadline.Calendar, rules deadline.Rules, registered, current, today deadline.Date, alreadyExtended, days int) (deadline.Date, error) {
	if alreadyExtended > 0 {
		return deadline.Date{}, ErrAlreadyExtended
	}
	return cal.Extend(registered, rules.Answer, current, today, days)
}

// Reminder is a message the periodic job owes for one deadline.
type Reminder struct {
	Kind     string // "due5", "due1" to the assignee; "overdue" to the head
	Deadline string // "forward" or "answer"
	Due      deadline.Date
	Left     int // working days left, the deadline's day included
}

// RemindersDue says which reminders are owed on today for an open appeal:
// 5 and 1 working days before each deadline to the assignee, and to the head
// once it has passed. Only the latest owed reminder of each deadline is
// returned, so that a job that did not run for a few days sends one message,
// not a burst; the caller skips those already sent.
//
// The 7-day notice term of article 11 gets one reminder, a working day
// before it, while the appeal is not yet with a draft: it asks whether a
// ground of parts 2, 4, 4.1 or 5.1 applies. It is never "overdue", since
// most appeals have none of those grounds and are answered on the merits.
func RemindersDue(cal deadline.Calendar, today deadline.Date, st Status, forwardBy, answerBy, noticeBy deadline.Date) []Reminder {
	if st.Closed() {
		return nil
	}
	var out []Reminder
	check := func(name string, due deadline.Date) {
		if today.After(due) {
			out = append(out, Reminder{Kind: "overdue", Deadline: name, Due: due, Left: -cal.WorkingDaysBetween(due, today)})
			return
		}
		dates := cal.ReminderDates(due)
		kinds := []string{"due5", "due1"}
		for i := len(dates) - 1; i >= 0; i-- {
			if !today.Before(dates[i]) {
				out = append(out, Reminder{Kind: kinds[i], Deadline: name, Due: due, Left: cal.WorkingDaysBetween(today, due)})
				return
			}
		}
	}
	// Forwarding by competence matters only before the appeal is with the
	// department that answers it.
	if st == StatusReceived || st == StatusRegistered {
		check("forward", forwardBy)
	}
	if (st == StatusRegistered || st == StatusAssigned) && !noticeBy.IsZero() && !today.After(noticeBy) {
		if d := cal.ReminderDates(noticeBy)[1]; !today.Before(d) {
			out = append(out, Reminder{Kind: "due1", Deadline: "notice", Due: noticeBy, Left: cal.WorkingDaysBetween(today, noticeBy)})
		}
	}
	check("answer", answerBy)
	return out
}

// NumberFormat builds registration numbers from a pattern with {year} and
// {seq} or {seq:N} (zero-padded to N digits), e.g. "ВП-{year}-{seq:06}".
type NumberFormat string

// DefaultNumberFormat gives numbers like ВП-2026-000123.
const DefaultNumberFormat NumberFormat = "ВП-{year}-{seq:06}"

// Validate checks that the pattern has a sequence and makes numbers that
// are safe in a URL path segment and in a query.
func (f NumberFormat) Validate() error {
	s := string(f)
	if !strings.Contains(s, "{seq") {
		return errors.New("формат номера должен содержать {seq}")
	}
	if strings.ContainsAny(s, "/?#% \t") {
		return errors.New("формат номера не должен содержать пробелы и символы / ? # %")
	}
	_, err := f.Format(2026, 1)
	return err
}

// Format makes the number of the seq-th appeal of year.
func (f NumberFormat) Format(year, seq int) (string, error) {
	s := strings.ReplaceAll(string(f), "{year}", strconv.Itoa(year))
	for {
		i := strings.Index(s, "{seq")
		if i < 0 {
			return s, nil
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return "", errors.New("формат номера: не закрыта скобка {seq")
		}
		spec := s[i+4 : i+j]
		width := 0
		if spec != "" {
			n, err := strconv.Atoi(strings.TrimPrefix(spec, ":"))
			if err != nil || !strings.HasPrefix(spec, ":") || n < 1 || n > 12 {
				return "", fmt.Errorf("формат номера: неверная ширина %q", spec)
			}
			width = n
		}
		s = s[:i] + fmt.Sprintf("%0*d", width, seq) + s[i+j+1:]
	}
}

// NormalizeName folds a surname for the operator's lookup: lower case, ё as
// е, no surrounding spaces. It is done in Go because SQLite's lower() knows
// only ASCII.
func NormalizeName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.ReplaceAll(s, "ё", "е")
}

// NormalizeEmail lower-cases an address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// NormalizePhone keeps the last ten digits, so that +7 (343) 555-01-02,
// 8 343 5550102 and 3435550102 match.
func NormalizePhone(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	if len(d) > 10 {
		d = d[len(d)-10:]
	}
	if len(d) < 5 {
		return ""
	}
	return d
}

// LookupKind guesses what the operator typed into the console's one box.
func LookupKind(q string) string {
	q = strings.TrimSpace(q)
	switch {
	case q == "":
		return ""
	case strings.Contains(q, "@"):
		return "email"
	case looksLikeNumber(q):
		return "number"
	case NormalizePhone(q) != "" && digitsShare(q) > 0.6:
		return "phone"
	default:
		return "name"
	}
}

func looksLikeNumber(q string) bool {
	// A registration number has letters and digits joined by dashes.
	return strings.Contains(q, "-") && strings.IndexFunc(q, unicode.IsDigit) >= 0 && strings.IndexFunc(q, unicode.IsLetter) >= 0
}

func digitsShare(q string) float64 {
	n, d := 0, 0
	for _, r := range q {
		if unicode.IsSpace(r) {
			continue
		}
		n++
		if unicode.IsDigit(r) {
			d++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(d) / float64(n)
}

// Author is the person who wrote the appeal.
type Author struct {
	LastName      string `json:"last_name"`
	FirstName     string `json:"first_name"`
	MiddleName    string `json:"middle_name"`
	Email         string `json:"email"`
	Phone         string `json:"phone"`
	PostalAddress string `json:"postal_address"`
}

// FullName is "Фамилия Имя Отчество".
func (a Author) FullName() string {
	return strings.TrimSpace(strings.Join([]string{a.LastName, a.FirstName, a.MiddleName}, " "))
}

// Validate checks an author, returning errors by field name (as the forms
// and the API name them) in Russian. An answer needs an e-mail or postal
// address (ч. 1 ст. 7).
func (a Author) Validate() map[string]string {
	errs := a.formatErrors()
	if strings.TrimSpace(a.LastName) == "" {
		errs["last_name"] = "Укажите фамилию."
	}
	if strings.TrimSpace(a.FirstName) == "" {
		errs["first_name"] = "Укажите имя."
	}
	if strings.TrimSpace(a.Email) == "" && strings.TrimSpace(a.PostalAddress) == "" {
		errs["email"] = "Укажите адрес электронной почты или почтовый адрес для ответа."
	}
	return errs
}

// ValidateRecorded checks the author of an appeal staff register: the
// formats only, nothing required. Article 8 of 59-FZ registers every
// written appeal, one without a surname or an address too; the grounds of
// article 11 part 1 are offered afterwards. A call to the hotline needs only
// the caller's phone.
func (a Author) ValidateRecorded(channel string) map[string]string {
	errs := a.formatErrors()
	if channel == "phone" && strings.TrimSpace(a.Phone) == "" {
		if _, bad := errs["phone"]; !bad {
			errs["phone"] = "Укажите номер телефона, с которого звонил заявитель."
		}
	}
	return errs
}

// AccountName splits an account's full name into the author's parts: "Имя
// Фамилия" or "Фамилия Имя Отчество" (told apart by the patronymic's
// ending), "Имя Отчество Фамилия"; one word is a surname.
func AccountName(full string) Author {
	w := strings.Fields(full)
	patronymic := func(s string) bool {
		s = strings.ToLower(s)
		for _, end := range []string{"вич", "вна", "чна", "ична", "оглы", "кызы"} {
			if strings.HasSuffix(s, end) {
				return true
			}
		}
		return false
	}
	switch {
	case len(w) == 0:
		return Author{}
	case len(w) == 1:
		return Author{LastName: w[0]}
	case len(w) == 2:
		return Author{FirstName: w[0], LastName: w[1]}
	case patronymic(w[1]) && !patronymic(w[2]):
		return Author{FirstName: w[0], MiddleName: w[1], LastName: strings.Join(w[2:], " ")}
	default:
		return Author{LastName: w[0], FirstName: w[1], MiddleName: strings.Join(w[2:], " ")}
	}
}

// ErrNameDiffers refuses an electronic appeal whose author's name is not the
// signed-in account's: under 547-FZ the author is the authenticated person.
const ErrNameDiffers = "Фамилия и имя в электронном обращении должны совпадать с подтверждёнными в учётной записи (%s): автор электронного обращения — вошедший на портал человек. Если имя в учётной записи неверно, исправьте его в профиле."

// BindToAccount returns the author of an electronic appeal with the
// account's name: a part left empty is taken from the account, and a typed
// part that differs from it is an error (by field). A middle name may be
// added only when the account has none.
func BindToAccount(typed Author, accountName string) (Author, map[string]string) {
	acc := AccountName(accountName)
	errs := map[string]string{}
	if acc.LastName == "" && acc.FirstName == "" {
		return typed, errs // no confirmed name to bind to
	}
	norm := func(s string) string {
		return strings.ReplaceAll(strings.ToLower(strings.Join(strings.Fields(s), " ")), "ё", "е")
	}
	msg := fmt.Sprintf(ErrNameDiffers, strings.Join(strings.Fields(accountName), " "))
	for _, p := range []struct {
		field       string
		typed, acc  *string
		mayAddWhere bool
	}{
		{"last_name", &typed.LastName, &acc.LastName, false},
		{"first_name", &typed.FirstName, &acc.FirstName, false},
		{"middle_name", &typed.MiddleName, &acc.MiddleName, true},
	} {
		switch {
		case strings.TrimSpace(*p.typed) == "":
			*p.typed = *p.acc
		case norm(*p.typed) == norm(*p.acc):
			*p.typed = *p.acc
		case p.mayAddWhere && *p.acc == "":
			// a patronymic the account does not record
		default:
			errs[p.field] = msg
		}
	}
	return typed, errs
}

// NoAnswerAddress: the appeal names no one to answer or no address for a
// written answer (article 11 part 1 of 59-FZ).
func (a Author) NoAnswerAddress() bool {
	return strings.TrimSpace(a.LastName) == "" || (strings.TrimSpace(a.Email) == "" && strings.TrimSpace(a.PostalAddress) == "")
}

func (a Author) formatErrors() map[string]string {
	errs := map[string]string{}
	for field, v := range map[string]string{"last_name": a.LastName, "first_name": a.FirstName, "middle_name": a.MiddleName} {
		if utf8.RuneCountInString(v) > 100 {
			errs[field] = "Не длиннее 100 символов."
		}
	}
	if e := strings.TrimSpace(a.Email); len(e) > 254 {
		errs["email"] = "Адрес электронной почты длиннее 254 знаков: проверьте его."
	} else if e != "" {
		at := strings.LastIndexByte(e, '@')
		if at < 1 || at == len(e)-1 || !strings.Contains(e[at:], ".") || strings.ContainsAny(e, " <>\"") {
			errs["email"] = "Укажите адрес электронной почты в виде name@example.ru."
		}
	}
	if p := strings.TrimSpace(a.Phone); utf8.RuneCountInString(p) > 40 {
		errs["phone"] = "Телефон не длиннее 40 знаков."
	} else if p != "" && NormalizePhone(p) == "" {
		errs["phone"] = "Укажите телефон цифрами, например +7 343 555-01-02."
	}
	if utf8.RuneCountInString(a.PostalAddress) > 500 {
		errs["postal_address"] = "Не длиннее 500 символов."
	}
	return errs
}

// ValidateText checks the text of an appeal against the configured length.
func ValidateText(text string, max int) string {
	n := utf8.RuneCountInString(strings.TrimSpace(text))
	switch {
	case n == 0:
		return "Напишите текст обращения."
	case n > max:
		return fmt.Sprintf("Текст обращения не должен быть длиннее %d символов (сейчас %d). Подробности можно приложить файлом.", max, n)
	}
	return ""
}

// ParseCosigners reads co-signers of a collective appeal, one a line.
func ParseCosigners(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if l := strings.TrimSpace(line); l != "" {
			out = append(out, l)
		}
	}
	return out
}
