package media

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/deadline"
)

// Request statuses.
const (
	ReqRegistered = "registered" // waiting for an answer
	ReqDeferred   = "deferred"   // a deferral notice was sent (art. 40)
	ReqRefused    = "refused"    // a refusal notice was sent (art. 40); closed
	ReqReview     = "review"     // an answer is drafted and waits for the check
	ReqReturned   = "returned"   // the checker returned the draft with remarks
	ReqAnswered   = "answered"   // the checked answer was sent; closed
)

// ReqStatuses label the statuses.
var ReqStatuses = []Option{
	{ReqRegistered, "Зарегистрирован"},
	{ReqDeferred, "Отсрочен"},
	{ReqReview, "Ответ на проверке"},
	{ReqReturned, "Ответ возвращён на доработку"},
	{ReqAnswered, "Ответ дан"},
	{ReqRefused, "Отказано"},
}

// ReqChannels are how a request arrived.
var ReqChannels = []Option{
	{"portal", "Через портал"}, {"email", "Электронная почта"}, {"letter", "Письмо"}, {"fax", "Факс"}, {"phone", "Телефон"}, {"api", "Через API"},
}

// Request is a request of an editorial office for information (art. 39 of
// the Mass Media Law).
type Request struct {
	ID             int64
	Number         string
	Outlet         string
	Certificate    string
	Journalist     string
	Contact        string
	Question       string
	ReceivedOn     string
	Channel        string
	AccountID      int64
	Accredited     bool
	NoticeBy       string
	AnswerBy       string
	Status         string
	NoticeKind     string
	NoticeReason   string
	NoticeUntil    string
	NoticeOfficial string
	NoticeText     string
	Draft          string
	DraftedBy      string
	DraftedByID    int64
	Remarks        string
	CheckedBy      string
	Answer         string
	AnsweredAt     *time.Time
	Published      bool
}

// StatusLabel names the status.
func (r Request) StatusLabel() string { return label(ReqStatuses, r.Status) }

// ChannelLabel names the channel.
func (r Request) ChannelLabel() string { return label(ReqChannels, r.Channel) }

// ReceivedRU, NoticeByRU, AnswerByRU are dates as Russians write them.
func (r Request) ReceivedRU() string { return russianDate(r.ReceivedOn) }

// NoticeByRU is the last day for a deferral or refusal notice.
func (r Request) NoticeByRU() string { return russianDate(r.NoticeBy) }

// AnswerByRU is the last day for the answer.
func (r Request) AnswerByRU() string { return russianDate(r.AnswerBy) }

// AnsweredRU is the day of the answer.
func (r Request) AnsweredRU() string {
	if r.AnsweredAt == nil {
		return ""
	}
	return r.AnsweredAt.Format("02.01.2006")
}

// Open reports whether the request still waits for an answer.
func (r Request) Open() bool { return r.Status != ReqAnswered && r.Status != ReqRefused }

// Overdue reports whether the answer is late on today (YYYY-MM-DD).
func (r Request) Overdue(today string) bool { return r.Open() && today > r.AnswerBy }

// NoticeAllowed reports whether a deferral or refusal notice may still be
// sent: before any answer and only once.
func (r Request) NoticeAllowed() bool {
	return r.Status == ReqRegistered || r.Status == ReqReturned && r.NoticeKind == ""
}

// MediaDue counts the terms of a request received on received: a notice of
// deferral or refusal within 3 days (art. 40), the answer within 7 days
// (art. 39–40), calendar days, the day of receipt not counted. A term
// ending on a day off moves as the municipality's calendar says for every
// term of the portal (deadline.TermEnd): to the preceding working day by
// default, so that an answer is never late; to the next one (art. 193 of
// the Civil Code) where the administrator chose that reading.
func MediaDue(cal deadline.Calendar, received deadline.Date) (noticeBy, answerBy deadline.Date) {
	rules := deadline.DefaultRules()
	return cal.Due(received, rules.MediaNotice), cal.Due(received, rules.MediaAnswer)
}

// ValidateRequest checks a request's fields.
func ValidateRequest(r Request) Errors {
	e := Errors{}
	need := func(field, value, msg string, max int) {
		switch n := utf8.RuneCountInString(value); {
		case strings.TrimSpace(value) == "":
			e[field] = msg
		case n > max:
			e[field] = fmt.Sprintf("Не больше %d знаков.", max)
		}
	}
	need("outlet", r.Outlet, "Укажите название СМИ (редакции).", 300)
	need("journalist", r.Journalist, "Укажите фамилию, имя и отчество журналиста.", 200)
	need("contact", r.Contact, "Укажите адрес электронной почты или телефон для ответа.", 200)
	need("question", r.Question, "Опишите запрашиваемую информацию.", 10000)
	if utf8.RuneCountInString(r.Certificate) > 50 {
		e["certificate"] = "Номер свидетельства — не больше 50 знаков."
	}
	if label(ReqChannels, r.Channel) == r.Channel {
		e["channel"] = "Выберите способ поступления из списка."
	}
	return e
}

// ContactEmail is the contact when it is an e-mail address.
func (r Request) ContactEmail() string {
	if a, err := mail.ParseAddress(r.Contact); err == nil && strings.Contains(a.Address, "@") {
		return a.Address
	}
	return ""
}

// Notice kinds.
const (
	NoticeDeferral = "deferral"
	NoticeRefusal  = "refusal"
)

// Notice is a notice of deferral or refusal (art. 40).
type Notice struct {
	Kind     string
	Reason   string
	Until    string // deferral: the date by which the information will be given
	Official string // who decided
}

// ValidateNotice checks what article 40 requires of the notice: the reason,
// for a deferral the date by which the information will be given (after
// the answer's term), and the official who decided.
func ValidateNotice(n Notice, r Request) Errors {
	e := Errors{}
	if n.Kind != NoticeDeferral && n.Kind != NoticeRefusal {
		e["kind"] = "Выберите: отсрочка или отказ."
	}
	if strings.TrimSpace(n.Reason) == "" {
		e["reason"] = "Укажите причину: закон требует её в уведомлении."
	} else if utf8.RuneCountInString(n.Reason) > 3000 {
		e["reason"] = "Причина длиннее 3000 знаков."
	}
	if strings.TrimSpace(n.Official) == "" {
		e["official"] = "Укажите должностное лицо, принявшее решение."
	} else if utf8.RuneCountInString(n.Official) > 300 {
		e["official"] = "Не больше 300 знаков."
	}
	if n.Kind == NoticeDeferral {
		t, ok := ParseDay(n.Until)
		switch {
		case !ok:
			e["until"] = "Укажите дату, к которой будет предоставлена информация (ДД.ММ.ГГГГ)."
		case t.Format(time.DateOnly) <= r.ReceivedOn:
			e["until"] = "Дата должна быть позже дня получения запроса."
		}
	}
	return e
}

// NoticeLetter is the text of the notice with what the law requires.
func NoticeLetter(municipality string, r Request, n Notice) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Редакции %s\n%s\n\n", r.Outlet, r.Journalist)
	switch n.Kind {
	case NoticeDeferral:
		fmt.Fprintf(&b, "Уведомление об отсрочке предоставления информации\n\n")
		fmt.Fprintf(&b, "На Ваш запрос № %s от %s сообщаем, что запрашиваемая информация не может быть предоставлена в семидневный срок.\n", r.Number, r.ReceivedRU())
		fmt.Fprintf(&b, "Причина: %s\n", n.Reason)
		fmt.Fprintf(&b, "Информация будет предоставлена не позднее %s.\n", russianDate(n.Until))
	default:
		fmt.Fprintf(&b, "Уведомление об отказе в предоставлении информации\n\n")
		fmt.Fprintf(&b, "На Ваш запрос № %s от %s сообщаем об отказе в предоставлении запрашиваемой информации.\n", r.Number, r.ReceivedRU())
		fmt.Fprintf(&b, "Причина: %s\n", n.Reason)
	}
	fmt.Fprintf(&b, "Решение принял(а): %s.\n\n%s\n(ст. 40 Закона РФ от 27.12.1991 № 2124-1 «О средствах массовой информации»)", n.Official, municipality)
	return b.String()
}

// CanCheck reports whether a viewer may approve or return the draft: the
// press secretary or an administrator (the head), not the drafter.
func CanCheck(r Request, viewerID int64, checker bool) (bool, string) {
	switch {
	case r.Status != ReqReview:
		return false, "Проверять нечего: ответ не направлен на проверку."
	case !checker:
		return false, "Проверяет ответ пресс-секретарь или глава администрации."
	case r.DraftedByID == viewerID:
		return false, "Ответ проверяет другой сотрудник: автор проекта не может утвердить его сам."
	}
	return true, ""
}

// Accreditation is an entry of the accreditation register.
type Accreditation struct {
	ID        int64
	Outlet    string
	Person    string
	ValidFrom string
	ValidTo   string
	Status    string
}

// AccStatuses label accreditation statuses.
var AccStatuses = []Option{{"active", "Действует"}, {"suspended", "Приостановлена"}, {"revoked", "Лишён аккредитации"}}

// StatusLabel names the status.
func (a Accreditation) StatusLabel() string { return label(AccStatuses, a.Status) }

// Term is the accreditation's term in Russian.
func (a Accreditation) Term() string {
	return russianDate(a.ValidFrom) + " — " + russianDate(a.ValidTo)
}

// Covers reports whether the accreditation marks a journalist of an outlet
// on a day.
func (a Accreditation) Covers(outlet, person, day string) bool {
	return a.Status == "active" && strings.EqualFold(strings.TrimSpace(a.Outlet), strings.TrimSpace(outlet)) &&
		strings.EqualFold(strings.Join(strings.Fields(a.Person), " "), strings.Join(strings.Fields(person), " ")) &&
		a.ValidFrom <= day && day <= a.ValidTo
}
