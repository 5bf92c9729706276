package appeals

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/search"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// Actor is who does something: a staff member, a resident or the system.
type Actor struct {
	AccountID int64
	Name      string // e-mail, for the audit log
	Display   string // full name, for the history the citizen sees
	Staff     bool
}

func (ac Actor) auditEntry(munID int64, action, number string, before, after any) audit.Entry {
	name := ac.Name
	if name == "" {
		name = "система"
	}
	return audit.Entry{MunicipalityID: munID, AccountID: ac.AccountID, Actor: name, Action: action, Entity: "appeal", EntityID: number, Before: before, After: after}
}

// NewAppeal is what is needed to register an appeal.
type NewAppeal struct {
	Channel      string
	Kind         string
	ReceivedOn   deadline.Date
	RegisteredOn deadline.Date
	Author       Author
	Text         string
	Addressee    string
	// AddresseeDepartment is the department the appeal is addressed to;
	// the office for appeals still decides who answers it.
	AddresseeDepartment int64
	// Assign is the department staff assign it to at registration.
	Assign       int64
	Collective   bool
	Cosigners    []string
	Repeated     bool
	QuestionCode string
	AccountID    int64 // the resident who submitted it
	// Consent is ignored: an appeal under 59-FZ is processed without consent
	// (152-FZ art. 6 part 1 item 2); the form shows a notice instead.
	Consent bool
	Files   []int64 // stored files to attach
	// ReceivedFrom names the body that forwarded the appeal (staff entry).
	ReceivedFrom string
	// AnswerMethod is how the caller or visitor chose to be answered
	// (staff entry; see AnswerMethods).
	AnswerMethod string
	// Identity is the author's identity level at submission (electronic
	// appeals; identity.go).
	Identity string

	// checked is set by validateNew, which also resolves the departments
	// named by id, so that Register neither checks nor looks them up again.
	checked                  bool
	addresseeDept, assignDep tenant.Department
}

// Validate checks a new appeal; today is the municipality's date.
// oldestReceipt bounds how far back a receipt date may be, in days: an
// appeal received more than five years ago (the retention term) cannot be
// registered now, and year 1 or 1900 is a typing error (the probe stored
// both).
const oldestReceipt = 5 * 366

func (a *Area) validateNew(ctx context.Context, munID int64, in *NewAppeal, today deadline.Date, electronic bool) FieldErrors {
	errs := FieldErrors(in.Author.Validate())
	if !electronic {
		errs = FieldErrors(in.Author.ValidateRecorded(in.Channel))
	}
	if !valid(Channels, in.Channel) {
		errs["channel"] = "Выберите форму поступления."
	}
	if in.Kind != "" && !valid(Kinds, in.Kind) {
		errs["kind"] = "Выберите тип обращения из списка."
	}
	if msg := ValidateText(in.Text, a.cfg.MaxTextLength); msg != "" {
		errs["text"] = msg
	}
	if in.ReceivedOn.IsZero() {
		errs["received_on"] = "Укажите дату поступления в виде ГГГГ-ММ-ДД."
	} else if in.ReceivedOn.After(today) {
		errs["received_on"] = "Дата поступления не может быть позже сегодняшней."
	} else if in.ReceivedOn.Before(today.AddDays(-oldestReceipt)) {
		errs["received_on"] = "Дата поступления раньше чем за пять лет до сегодняшнего дня: проверьте год."
	}
	if in.RegisteredOn.IsZero() {
		errs["registered_on"] = "Укажите дату регистрации в виде ГГГГ-ММ-ДД."
	} else if in.RegisteredOn.After(today) {
		errs["registered_on"] = "Дата регистрации не может быть позже сегодняшней."
	} else if !in.ReceivedOn.IsZero() && in.RegisteredOn.Before(in.ReceivedOn) {
		errs["registered_on"] = "Обращение не может быть зарегистрировано раньше, чем поступило."
	}
	if in.Collective && len(in.Cosigners) == 0 {
		errs["cosigners"] = "Перечислите соавторов коллективного обращения, по одному в строке."
	}
	if len(in.Cosigners) > 200 {
		errs["cosigners"] = "Не более 200 соавторов."
	}
	for _, c := range in.Cosigners {
		if utf8.RuneCountInString(c) > 300 {
			errs["cosigners"] = "Каждая строка соавтора — не длиннее 300 знаков."
			break
		}
	}
	if utf8.RuneCountInString(in.Addressee) > 300 {
		errs["addressee"] = "Не длиннее 300 символов."
	}
	if in.QuestionCode != "" {
		ok, err := a.store.TopicExists(ctx, munID, in.QuestionCode)
		if err != nil || !ok {
			errs["topic"] = "Выберите вопрос из классификатора."
		}
	}
	if in.AddresseeDepartment != 0 || in.Assign != 0 {
		depts, err := a.Tenants.Departments(ctx, munID)
		if err != nil {
			errs["department"] = "Не удалось прочитать список подразделений; попробуйте ещё раз."
			return errs
		}
		var ok bool
		if in.AddresseeDepartment != 0 {
			if in.addresseeDept, ok = findDepartment(depts, in.AddresseeDepartment); !ok {
				errs["addressee"] = "Выберите адресата из списка."
			}
		}
		if in.Assign != 0 {
			if in.assignDep, ok = findDepartment(depts, in.Assign); !ok {
				errs["department"] = "Выберите подразделение из списка."
			}
		}
	}
	validateOrigin(*in, errs)
	in.checked = len(errs) == 0
	return errs
}

func findDepartment(depts []tenant.Department, id int64) (tenant.Department, bool) {
	for _, d := range depts {
		if d.ID == id {
			return d, true
		}
	}
	return tenant.Department{}, false
}

func (a *Area) department(ctx context.Context, munID, id int64) (tenant.Department, error) {
	depts, err := a.Tenants.Departments(ctx, munID)
	if err != nil {
		return tenant.Department{}, err
	}
	if d, ok := findDepartment(depts, id); ok {
		return d, nil
	}
	return tenant.Department{}, fmt.Errorf("department %d: %w", id, db.ErrNotFound)
}

// Register creates and registers an appeal: an electronic one submitted by
// a resident (electronic is true: the resident is its owner; no consent is
// asked, the form shows a notice of processing) or one that staff enter from paper, post, reception or МЭДО.
// It writes the history, the audit record for staff, and the notice to the
// citizen in one transaction.
// SystemRegistrar is who the history names for an appeal the portal
// registered itself, on an electronic submission.
const SystemRegistrar = "Система (автоматическая регистрация на портале)"

// DuplicateWindow is how long an identical electronic submission by the
// same account is taken for a repeat of the first (a double click, a form
// sent again) rather than a new appeal.
const DuplicateWindow = 10 * time.Minute

// DuplicateError: the same author sent the same text to the same addressee
// within DuplicateWindow; Number is the appeal already registered.
type DuplicateError struct{ Number string }

func (e *DuplicateError) Error() string {
	return "такое же обращение уже зарегистрировано под номером " + e.Number + "; повторно оно не регистрируется"
}

func (a *Area) Register(ctx context.Context, m tenant.Municipality, in NewAppeal, actor Actor, electronic bool) (Appeal, error) {
	if !in.checked {
		if errs := a.validateNew(ctx, m.ID, &in, a.Today(m), electronic); len(errs) > 0 {
			return Appeal{}, errs
		}
	}
	cal, err := a.Calendar(ctx, m.ID)
	if err != nil {
		return Appeal{}, err
	}
	ap := Appeal{
		MunicipalityID: m.ID, Channel: in.Channel, Kind: in.Kind, Status: StatusRegistered,
		ReceivedOn: in.ReceivedOn, RegisteredOn: in.RegisteredOn,
		Due:       ComputeDue(cal, a.cfg.Rules, in.ReceivedOn, in.RegisteredOn),
		Addressee: strings.TrimSpace(in.Addressee), AccountID: in.AccountID, Author: trimAuthor(in.Author),
		Text: strings.TrimSpace(in.Text), Collective: in.Collective || len(in.Cosigners) > 0, Cosigners: in.Cosigners,
		Repeated: in.Repeated, QuestionCode: in.QuestionCode,
	}
	if ap.Addressee == "" && in.AddresseeDepartment != 0 {
		ap.Addressee = in.addresseeDept.Name
	}
	if ap.Addressee == "" {
		ap.Addressee = "Администрация"
	}
	err = a.DB.InTx(ctx, func(tx *db.Tx) error {
		if electronic && ap.AccountID != 0 {
			same, err := a.store.RecentSame(ctx, tx, m.ID, ap.AccountID, ap.Addressee, ap.Text, a.DB.Now().Add(-DuplicateWindow))
			if err != nil {
				return err
			}
			if same != "" {
				return &DuplicateError{Number: same}
			}
		}
		if err := a.store.Create(ctx, tx, &ap, a.cfg.NumberFormat); err != nil {
			return err
		}
		ap.ReceivedFrom, ap.AnswerMethod = strings.TrimSpace(in.ReceivedFrom), in.AnswerMethod
		if err := a.store.saveExtras(ctx, tx, &ap); err != nil {
			return err
		}
		if in.Identity != "" {
			if err := a.store.setIdentity(ctx, tx, ap.ID, in.Identity); err != nil {
				return err
			}
			ap.Identity = in.Identity
		}
		who := actor.Display
		if who == "" {
			who = "Заявитель"
		}
		if err := a.registrationHistory(ctx, tx, ap, actor, who, electronic); err != nil {
			return err
		}
		for _, f := range in.Files {
			if err := a.store.Attach(ctx, tx, ap.ID, f, "appeal"); err != nil {
				return err
			}
		}
		if actor.Staff && in.Assign != 0 {
			if err := a.assignAtRegistration(ctx, tx, &ap, in.assignDep, actor.AccountID, who); err != nil {
				return err
			}
		}
		if actor.Staff {
			if err := audit.Write(ctx, tx, a.DB.Now(), actor.auditEntry(m.ID, "appeal.registered", ap.Number, nil, auditState(ap))); err != nil {
				return err
			}
		}
		if ap.Author.Email != "" {
			return a.Mailer.Queue(ctx, tx, ap.Author.Email, "appeal_registered", a.mailData(m, ap, nil))
		}
		return nil
	})
	if err != nil {
		return Appeal{}, err
	}
	return ap, nil
}

// registrationHistory writes the two first entries of an appeal's history:
// its receipt, and its registration by the staff member or, for an
// electronic appeal, by the portal itself — never by the citizen.
func (a *Area) registrationHistory(ctx context.Context, tx *db.Tx, ap Appeal, actor Actor, who string, electronic bool) error {
	action := "received"
	if electronic {
		action = "submitted"
	}
	if err := a.store.AddEntry(ctx, tx, ap.ID, actor.AccountID, who, action, StatusReceived, "Поступило "+ap.ReceivedOn.Russian()+": "+ChannelLabel(ap.Channel), true); err != nil {
		return err
	}
	note := "Регистрационный номер " + ap.Number
	if ap.RegisteredOn.After(ap.Due.RegisterBy) {
		note += "; зарегистрировано позже срока " + ap.Due.RegisterBy.Russian()
	}
	// The history names who registered: the staff member, or the
	// portal itself for an electronic appeal — never the citizen.
	regBy, regWho := actor.AccountID, who
	if electronic || !actor.Staff {
		regBy, regWho = 0, SystemRegistrar
	}
	return a.store.AddEntry(ctx, tx, ap.ID, regBy, regWho, string(ActRegister), StatusRegistered, note, true)
}

// assignAtRegistration passes an appeal staff register to the department
// they chose on the registration form.
func (a *Area) assignAtRegistration(ctx context.Context, tx *db.Tx, ap *Appeal, d tenant.Department, by int64, who string) error {
	ap.Status, ap.DepartmentID, ap.Department = StatusAssigned, d.ID, d.Name
	if err := a.store.Save(ctx, tx, ap); err != nil {
		return err
	}
	return a.store.AddEntry(ctx, tx, ap.ID, by, who, string(ActAssign), StatusAssigned, "Исполнитель: "+d.Name, true)
}

func trimAuthor(au Author) Author {
	return Author{
		LastName: strings.TrimSpace(au.LastName), FirstName: strings.TrimSpace(au.FirstName), MiddleName: strings.TrimSpace(au.MiddleName),
		Email: strings.TrimSpace(au.Email), Phone: strings.TrimSpace(au.Phone), PostalAddress: strings.TrimSpace(au.PostalAddress),
	}
}

// auditState is what the audit log keeps of an appeal: its workflow state,
// not the citizen's text or contacts (the log is browsed by administrators
// for who did what, and must not become a second copy of personal data).
func auditState(ap Appeal) map[string]any {
	return map[string]any{
		"status": ap.Status, "department_id": ap.DepartmentID, "assignee_id": ap.AssigneeID, "answer_by": ap.Due.AnswerBy.String(),
		"extended_days": ap.ExtendedDays, "result": ap.Result, "kind": ap.Kind, "question_code": ap.QuestionCode, "close_ground": ap.CloseGround,
		"answer_method": ap.AnswerMethod, "received_from": ap.ReceivedFrom,
	}
}

// Step is one workflow action with its inputs.
type Step struct {
	Action       Action
	DepartmentID int64   // assign
	AssigneeID   int64   // assign, optional
	Answer       string  // draft
	Result       string  // draft
	Kind         string  // draft, optional
	QuestionCode string  // draft, optional
	Repeated     bool    // draft
	ForwardTo    string  // forward
	Ground       string  // close
	Link         string  // close under part 5.1: where the answer is published
	Days         int     // extend
	Basis        string  // extend: "art12" or "art10"
	Note         string  // rework, extend reason
	Files        []int64 // draft: stored files to attach to the answer
}

// Apply takes a workflow step on the appeal with number as viewer with
// role, in one transaction with its history, audit record and the notice
// to the citizen. What the step itself does is in the function for its
// action (steps); Apply does what every step shares.
func (a *Area) Apply(ctx context.Context, m tenant.Municipality, number string, st Step, actor Actor, roleOf func(Appeal) Role) (Appeal, error) {
	cal, err := a.Calendar(ctx, m.ID)
	if err != nil {
		return Appeal{}, err
	}
	var ap Appeal
	err = a.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		ap, err = a.store.ByNumber(ctx, tx, m.ID, number)
		if err != nil {
			return err
		}
		if err := a.store.extras(ctx, tx, &ap); err != nil {
			return err
		}
		role := roleOf(ap)
		if !role.Any() {
			return db.ErrNotFound // do not reveal that the number exists
		}
		next, err := Next(ap.Status, st.Action, role)
		if err != nil {
			return err
		}
		before := auditState(ap)
		run := &stepRun{ctx: ctx, tx: tx, m: m, today: a.Today(m), cal: cal, ap: &ap, st: st,
			errs: FieldErrors{}, public: true, next: next, mailExtra: map[string]any{}}
		if do := steps[st.Action]; do != nil {
			if err := do(a, run); err != nil {
				return err
			}
		}
		if len(run.errs) > 0 {
			return run.errs
		}
		ap.Status = run.next
		if err := a.store.Save(ctx, tx, &ap); err != nil {
			return err
		}
		if err := a.store.AddEntry(ctx, tx, ap.ID, actor.AccountID, actor.Display, string(st.Action), ap.Status, run.note, run.public); err != nil {
			return err
		}
		if err := audit.Write(ctx, tx, a.DB.Now(), actor.auditEntry(m.ID, "appeal."+string(st.Action), ap.Number, before, auditState(ap))); err != nil {
			return err
		}
		if run.mail != "" && ap.Author.Email != "" && !run.noMail {
			return a.Mailer.Queue(ctx, tx, ap.Author.Email, run.mail, a.mailData(m, ap, run.mailExtra))
		}
		return nil
	})
	return ap, err
}

// stepRun is one step in progress: its inputs, the appeal it changes, the
// refusals it finds and what it leaves for the history and the citizen.
type stepRun struct {
	ctx   context.Context
	tx    *db.Tx
	m     tenant.Municipality
	today deadline.Date
	cal   deadline.Calendar
	ap    *Appeal
	st    Step
	errs  FieldErrors

	note      string // the history entry
	public    bool   // whether the citizen sees the entry
	next      Status // the status after the step
	mail      string // the letter to the citizen, if any
	mailExtra map[string]any
	noMail    bool // the citizen chose another way to be answered
}

// steps holds what each action does beyond the shared part of Apply.
var steps = map[Action]func(*Area, *stepRun) error{
	ActRegister: (*Area).stepRegister,
	ActAssign:   (*Area).stepAssign,
	ActDraft:    (*Area).stepDraft,
	ActRework:   (*Area).stepRework,
	ActApprove:  (*Area).stepApprove,
	ActAnswer:   (*Area).stepAnswer,
	ActForward:  (*Area).stepForward,
	ActClose:    (*Area).stepClose,
	ActExtend:   (*Area).stepExtend,
}

func (a *Area) stepRegister(r *stepRun) error {
	r.note = "Регистрационный номер " + r.ap.Number
	return nil
}

func (a *Area) stepAssign(r *stepRun) error {
	ap, st := r.ap, r.st
	d, err := a.department(r.ctx, r.m.ID, st.DepartmentID)
	if err != nil {
		r.errs["department"] = "Выберите подразделение из списка."
		return nil
	}
	ap.DepartmentID, ap.Department, ap.AssigneeID = d.ID, d.Name, 0
	r.note = "Исполнитель: " + d.Name
	if st.AssigneeID == 0 {
		return nil
	}
	acc, err := a.People.ByID(r.ctx, r.m.ID, st.AssigneeID)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return fmt.Errorf("check assignee: %w", err)
	}
	if err != nil || acc.Disabled || acc.DepartmentID != d.ID {
		r.errs["assignee"] = "Ответственный должен быть сотрудником выбранного подразделения."
		return nil
	}
	ap.AssigneeID = st.AssigneeID
	return nil
}

func (a *Area) stepDraft(r *stepRun) error {
	ap, st := r.ap, r.st
	if msg := ValidateText(st.Answer, 50000); msg != "" {
		r.errs["answer"] = "Напишите текст ответа."
	}
	if !valid(AnswerResults, st.Result) {
		r.errs["result"] = "Выберите результат рассмотрения."
	}
	if st.Kind != "" && !valid(Kinds, st.Kind) {
		r.errs["kind"] = "Выберите тип обращения из списка."
	}
	if st.QuestionCode != "" {
		if ok, err := a.store.TopicExists(r.ctx, r.m.ID, st.QuestionCode); err != nil || !ok {
			r.errs["topic"] = "Выберите вопрос из классификатора."
		}
	}
	ap.Answer, ap.Result, ap.Repeated = strings.TrimSpace(st.Answer), st.Result, st.Repeated
	if st.Kind != "" {
		ap.Kind = st.Kind
	}
	if st.QuestionCode != "" {
		ap.QuestionCode = st.QuestionCode
	}
	r.public = false
	r.note = "Результат: " + ResultLabel(st.Result)
	if len(r.errs) > 0 {
		return nil
	}
	for _, f := range st.Files {
		if err := a.store.Attach(r.ctx, r.tx, ap.ID, f, "answer"); err != nil {
			return err
		}
	}
	return nil
}

func (a *Area) stepRework(r *stepRun) error {
	if strings.TrimSpace(r.st.Note) == "" {
		r.errs["note"] = "Укажите, что нужно доработать."
	}
	r.note, r.public = strings.TrimSpace(r.st.Note), false
	return nil
}

func (a *Area) stepApprove(r *stepRun) error {
	r.public = false
	return nil
}

// stepAnswer sends the approved answer the way the citizen can receive
// it; an appeal with no address for an answer gets none (art. 11 part 1).
func (a *Area) stepAnswer(r *stepRun) error {
	ap := r.ap
	if ap.Answer == "" {
		r.errs["answer"] = "Сначала подготовьте и согласуйте текст ответа."
	}
	ap.ClosedOn, ap.Late = r.today, r.today.After(ap.Due.AnswerBy)
	r.note = "Ответ направлен заявителю"
	switch {
	case ap.AnswerMethod != "":
		var msg string
		r.note, r.noMail, msg = answerByMethod(*ap)
		if msg != "" {
			r.errs["answer"] = msg
		}
	case ap.Author.Email != "":
	case strings.TrimSpace(ap.Author.PostalAddress) != "":
		r.note = "Ответ направлен почтой по адресу, указанному в обращении"
	case ap.Channel == "phone" || ap.Channel == "oral":
		r.note = "Ответ дан устно (по телефону или на приёме): письменный ответ требует почтового адреса или адреса электронной почты"
	default:
		r.errs["answer"] = "В обращении нет адреса для ответа. Ответ не даётся (ч. 1 ст. 11 Федерального закона № 59-ФЗ): примените это основание или, если сообщается о противоправном деянии, направьте обращение по компетенции."
	}
	r.mail, r.mailExtra["Answer"], r.mailExtra["Result"] = "appeal_answered", ap.Answer, ResultLabel(ap.Result)
	return nil
}

func (a *Area) stepForward(r *stepRun) error {
	ap := r.ap
	to := strings.TrimSpace(r.st.ForwardTo)
	if to == "" {
		r.errs["forward_to"] = "Укажите орган или должностное лицо, в компетенцию которого входит решение вопроса."
	}
	ap.ForwardedTo, ap.Result, ap.ClosedOn, ap.Late = to, "forwarded", r.today, r.today.After(ap.Due.ForwardBy)
	r.note = "Направлено в: " + to
	r.mail, r.mailExtra["ForwardTo"] = "appeal_forwarded", to
	return nil
}

// stepClose leaves the appeal without an answer on a ground of article 11,
// with the notice to the citizen the ground requires and its 7-day term.
func (a *Area) stepClose(r *stepRun) error {
	ap := r.ap
	g, ok := GroundByCode(r.st.Ground)
	if !ok {
		r.errs["ground"] = "Выберите основание по статье 11."
		return nil
	}
	link := strings.TrimSpace(r.st.Link)
	if g.NeedsLink {
		if u, err := url.Parse(link); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(link) > 2000 {
			r.errs["link"] = "Укажите адрес страницы официального сайта, где размещён ответ (начинается с https://)."
			return nil
		}
	}
	r.next, ap.CloseGround, ap.Result, ap.ClosedOn = g.Outcome, g.Code, "left_unanswered", r.today
	r.note = g.Basis + ": " + g.Title
	if g.NoticeTerm && !ap.Due.NoticeBy.IsZero() {
		ap.Late = r.today.After(ap.Due.NoticeBy)
		if ap.Late {
			r.note += fmt.Sprintf(". Сообщение заявителю направлено с нарушением семидневного срока (до %s)", ap.Due.NoticeBy.Russian())
		} else {
			r.note += fmt.Sprintf(". Сообщение заявителю направлено в семидневный срок (до %s)", ap.Due.NoticeBy.Russian())
		}
	}
	if g.Notify {
		letter, err := renderLetter(g, *ap, link)
		if err != nil {
			return err
		}
		r.mail, r.mailExtra["Letter"], r.mailExtra["Outcome"] = "appeal_closed", letter, g.Outcome.Label()
		r.note += ". " + letter
	}
	return nil
}

// stepExtend moves the answer term by the days asked, counted from the
// statutory term (ExtendDue), and tells the citizen why.
func (a *Area) stepExtend(r *stepRun) error {
	ap, st := r.ap, r.st
	reason := strings.TrimSpace(st.Note)
	if reason == "" {
		r.errs["reason"] = "Укажите причину продления."
	}
	due, err := ExtendDue(r.cal, a.cfg.Rules, ap.RegisteredOn, ap.Due.AnswerBy, r.today, ap.ExtendedDays, st.Days)
	if err != nil {
		r.errs["days"] = capitalize(err.Error())
		return nil
	}
	basis := "ч. 2 ст. 12 Федерального закона № 59-ФЗ"
	if st.Basis == "art10" {
		basis += " (запрос документов в другие органы, ч. 2 ст. 10)"
	}
	ap.Due.AnswerBy, ap.ExtendedDays = due, st.Days
	r.note = fmt.Sprintf("Срок продлён на %d дн. до %s (%s): %s", st.Days, due.Russian(), basis, reason)
	r.mail, r.mailExtra["AnswerBy"], r.mailExtra["Reason"] = "appeal_extended", due.Russian(), reason
	return nil
}

func capitalize(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

func renderLetter(g Ground, ap Appeal, link string) (string, error) {
	t, err := template.New(g.Code).Parse(g.Letter)
	if err != nil {
		return "", fmt.Errorf("letter template %s: %w", g.Code, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, map[string]string{"Number": ap.Number, "Date": ap.RegisteredOn.Russian(), "Link": link}); err != nil {
		return "", fmt.Errorf("letter %s: %w", g.Code, err)
	}
	return b.String(), nil
}

// View reads an appeal for a staff member and writes the view to the audit
// log: every look at a citizen's personal data by staff is recorded.
func (a *Area) View(ctx context.Context, m tenant.Municipality, number string, actor Actor, roleOf func(Appeal) Role, how string) (Appeal, error) {
	ap, err := a.store.ByNumber(ctx, a.DB, m.ID, number)
	if err != nil {
		return ap, err
	}
	if !roleOf(ap).Any() {
		return Appeal{}, fmt.Errorf("appeal: %w", db.ErrNotFound)
	}
	if err := a.store.extras(ctx, a.DB, &ap); err != nil {
		return ap, err
	}
	err = a.DB.InTx(ctx, func(tx *db.Tx) error {
		return audit.Write(ctx, tx, a.DB.Now(), actor.auditEntry(m.ID, "appeal.viewed", ap.Number, nil, how))
	})
	return ap, err
}

// ErrStatusNotFound is the one answer to a status request that does not
// match, whether the number is unknown or the contact is wrong.
var ErrStatusNotFound = web.Invalid("Обращение с таким номером и контактом не найдено. Проверьте номер и укажите адрес электронной почты или телефон, которые были указаны в обращении.")

var dummyContact = sha256.Sum256([]byte("no-such-appeal-contact"))

// PublicStatus answers the reference line's question: the status and due
// date of the appeal with number, if contact is the e-mail or phone given
// in it. The comparison takes the same time whether the number exists.
func (a *Area) PublicStatus(ctx context.Context, munID int64, number, contact string) (PublicStatus, error) {
	number, contact = strings.TrimSpace(number), strings.TrimSpace(contact)
	if number == "" || contact == "" {
		return PublicStatus{}, ErrStatusNotFound
	}
	p, email, phone, err := a.store.StatusContact(ctx, munID, number)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return PublicStatus{}, err
	}
	found := err == nil
	given := NormalizePhone(contact)
	if strings.Contains(contact, "@") {
		given = NormalizeEmail(contact)
	}
	g := sha256.Sum256([]byte("c:" + given))
	e := sha256.Sum256([]byte("c:" + email))
	ph := sha256.Sum256([]byte("c:" + phone))
	if !found {
		e, ph = dummyContact, dummyContact
	}
	match := subtle.ConstantTimeCompare(g[:], e[:])&boolInt(email != "") | subtle.ConstantTimeCompare(g[:], ph[:])&boolInt(phone != "")
	if !found || match != 1 || given == "" {
		return PublicStatus{}, ErrStatusNotFound
	}
	return p, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// LogCall records a call to the reference line in the call log and, when
// the caller asked about an appeal, in its history (not shown to the citizen).
func (a *Area) LogCall(ctx context.Context, m tenant.Municipality, number, note string, actor Actor) error {
	note = strings.TrimSpace(note)
	if note == "" {
		return FieldErrors{"note": "Кратко опишите, о чём был звонок и что ответили."}
	}
	if utf8.RuneCountInString(note) > 2000 {
		return FieldErrors{"note": "Не длиннее 2000 символов."}
	}
	return a.DB.InTx(ctx, func(tx *db.Tx) error {
		var appealID int64
		if strings.TrimSpace(number) != "" {
			ap, err := a.store.ByNumber(ctx, tx, m.ID, number)
			if err != nil {
				return FieldErrors{"number": "Обращение с таким номером не найдено."}
			}
			appealID = ap.ID
			if err := a.store.AddEntry(ctx, tx, ap.ID, actor.AccountID, actor.Display, "call", ap.Status, note, false); err != nil {
				return err
			}
		}
		if err := a.store.LogCall(ctx, tx, m.ID, appealID, actor.AccountID, note); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a.DB.Now(), actor.auditEntry(m.ID, "appeal.call_logged", number, nil, map[string]any{"appeal_id": appealID}))
	})
}

// MakeReport computes and stores (as a draft, or published when no
// approval is configured and publish is true) the report for a period.
func (a *Area) MakeReport(ctx context.Context, m tenant.Municipality, from, to deadline.Date, actor Actor, publish bool) (StoredReport, error) {
	rep, err := a.store.MakeReport(ctx, m.ID, from, to, a.Today(m))
	if err != nil {
		return StoredReport{}, err
	}
	var sr StoredReport
	err = a.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if sr, err = a.store.SaveReport(ctx, tx, m.ID, rep); err != nil {
			return err
		}
		if err := audit.Write(ctx, tx, a.DB.Now(), audit.Entry{MunicipalityID: m.ID, AccountID: actor.AccountID, Actor: nameOr(actor.Name), Action: "appeals_report.made", Entity: "appeals_report", EntityID: strconv.FormatInt(sr.ID, 10), After: sr.Title}); err != nil {
			return err
		}
		if publish && !sr.Published() {
			return a.publish(ctx, tx, m, &sr, actor)
		}
		return nil
	})
	return sr, err
}

func nameOr(s string) string {
	if s == "" {
		return "система"
	}
	return s
}

// PublishReport puts a draft report on the site.
func (a *Area) PublishReport(ctx context.Context, m tenant.Municipality, id int64, actor Actor) (StoredReport, error) {
	var sr StoredReport
	err := a.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if sr, err = a.store.ReportByID(ctx, tx, m.ID, id); err != nil {
			return err
		}
		if sr.Published() {
			return nil
		}
		return a.publish(ctx, tx, m, &sr, actor)
	})
	return sr, err
}

// ErrPeriodNotEnded refuses to publish a report whose period has not ended:
// its figures would change after publication.
var ErrPeriodNotEnded = &web.Error{Status: http.StatusConflict, Code: "period_not_ended",
	Message: "Отчёт нельзя опубликовать, пока не закончился его период: сведения за неоконченный квартал ещё изменятся. Опубликуйте его после последнего дня периода."}

func (a *Area) publish(ctx context.Context, tx *db.Tx, m tenant.Municipality, sr *StoredReport, actor Actor) error {
	if !a.Today(m).After(sr.To) {
		return ErrPeriodNotEnded
	}
	if err := a.store.PublishReport(ctx, tx, m.ID, sr.ID); err != nil {
		return err
	}
	sr.Status, sr.PublishedAt = ReportPublished, a.DB.Now()
	id := strconv.FormatInt(sr.ID, 10)
	if err := events.Record(ctx, tx, events.Event{MunicipalityID: m.ID, Kind: events.AppealsReportPublished, ObjectType: "appeals_report", ObjectID: id, Title: sr.Title, URL: "/appeals/reports/" + id, OccurredAt: sr.PublishedAt}); err != nil {
		return err
	}
	if err := audit.Write(ctx, tx, a.DB.Now(), audit.Entry{MunicipalityID: m.ID, AccountID: actor.AccountID, Actor: nameOr(actor.Name), Action: "appeals_report.published", Entity: "appeals_report", EntityID: id, After: sr.Title}); err != nil {
		return err
	}
	// The report holds aggregates only, so its text may be searched.
	return search.Put(ctx, tx, search.Doc{MunicipalityID: m.ID, Type: "appeals_report", ObjectID: id, Title: sr.Title,
		Body: ReportText(sr.Data), URL: "/appeals/reports/" + id, PublishedAt: sr.PublishedAt})
}

// ReportText is the searchable text of a published report: its title and
// the names of what it counts, never anything of an appeal.
func ReportText(r Report) string {
	var b strings.Builder
	b.WriteString("Анализ обращений граждан за " + PeriodTitle(r.From, r.To) + ". Поступило обращений: " + strconv.Itoa(r.Total) + ".")
	for _, d := range r.Dimensions() {
		b.WriteString(" " + d.Title + ":")
		for _, row := range d.Rows {
			b.WriteString(" " + row.Label + " — " + strconv.Itoa(row.Count) + ";")
		}
	}
	return b.String()
}
