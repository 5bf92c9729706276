package appeals

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
)

// Appeal is one citizen's appeal with everything staff may see of it.
type Appeal struct {
	ID               int64
	MunicipalityID   int64
	Number           string
	Channel          string
	Kind             string
	Status           Status
	ReceivedOn       deadline.Date
	RegisteredOn     deadline.Date
	Due              Due
	AnswerByOriginal deadline.Date
	ExtendedDays     int
	ClosedOn         deadline.Date
	Late             bool
	Addressee        string
	DepartmentID     int64
	Department       string
	AssigneeID       int64
	Assignee         string
	AccountID        int64
	Author           Author
	Text             string
	Collective       bool
	Cosigners        []string
	Repeated         bool
	QuestionCode     string
	QuestionTitle    string
	Result           string
	Answer           string
	ForwardedTo      string
	CloseGround      string
	ConsentAt        time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
	// ReceivedFrom is the body that forwarded the appeal ("" when the
	// citizen sent it directly); AnswerMethod how the citizen asked to be
	// answered (see AnswerMethods). Read by Store.extras, not scanAppeal.
	ReceivedFrom string
	AnswerMethod string
	// Identity is the author's identity level at submission, read for the
	// staff page only (identity.go).
	Identity string
}

// Href is the escaped path segment of the number, for links: numbers hold
// Cyrillic letters.
func (a Appeal) Href() string { return url.PathEscape(a.Number) }

// StatusLabel, ChannelLabel, KindLabel and ResultLabel are for templates.
func (a Appeal) StatusLabel() string  { return a.Status.Label() }
func (a Appeal) ChannelLabel() string { return ChannelLabel(a.Channel) }
func (a Appeal) KindLabel() string    { return KindLabel(a.Kind) }
func (a Appeal) ResultLabel() string  { return ResultLabel(a.Result) }

// Overdue reports whether the answer deadline has passed on today with the
// appeal still open.
func (a Appeal) Overdue(today deadline.Date) bool {
	return !a.Status.Closed() && today.After(a.Due.AnswerBy)
}

// Entry is one line of an appeal's history.
type Entry struct {
	At     time.Time
	Actor  string
	Action string
	Status Status
	Note   string
	Public bool
}

// ActionLabel names the entry's action.
func (e Entry) ActionLabel() string { return ActionLabel(e.Action) }

// Store reads and writes appeals.
type Store struct {
	DB *db.DB
	// People names the assignees: the accounts table is auth's.
	People *auth.Store
}

const appealColumns = `a.id, a.municipality_id, a.number, a.channel, a.status, a.kind, a.received_on, a.registered_on,
 a.register_by, a.forward_by, a.answer_by, a.notice_by, a.answer_by_original, a.extended_days, COALESCE(a.closed_on, ''), a.late,
 a.addressee, COALESCE(a.department_id, 0), COALESCE(d.name, ''), COALESCE(a.assignee_id, 0),
 COALESCE(a.account_id, 0), a.last_name, a.first_name, a.middle_name, a.email, a.phone, a.postal_address, a.body,
 a.collective, a.cosigners, a.repeated, a.question_code, COALESCE(t.title, ''), a.result, a.answer, a.forwarded_to,
 a.close_ground, a.consent_at, a.identity_level, a.created_at, a.updated_at`

const appealFrom = ` FROM appeals a
 LEFT JOIN departments d ON d.id = a.department_id
 LEFT JOIN appeal_topics t ON t.municipality_id = a.municipality_id AND t.code = a.question_code`

func dateOrZero(s string) deadline.Date {
	if s == "" {
		return deadline.Date{}
	}
	d, err := deadline.ParseDate(s)
	if err != nil {
		return deadline.Date{}
	}
	return d
}

func dateOrEmpty(d deadline.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func dateOrNil(d deadline.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

func idOrNil(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func scanAppeal(row interface{ Scan(...any) error }) (Appeal, error) {
	var a Appeal
	var status, recv, reg, rb, fb, ab, nb, abo, closed, cosigners string
	var consent sql.NullTime
	err := row.Scan(&a.ID, &a.MunicipalityID, &a.Number, &a.Channel, &status, &a.Kind, &recv, &reg,
		&rb, &fb, &ab, &nb, &abo, &a.ExtendedDays, &closed, &a.Late,
		&a.Addressee, &a.DepartmentID, &a.Department, &a.AssigneeID,
		&a.AccountID, &a.Author.LastName, &a.Author.FirstName, &a.Author.MiddleName, &a.Author.Email, &a.Author.Phone, &a.Author.PostalAddress, &a.Text,
		&a.Collective, &cosigners, &a.Repeated, &a.QuestionCode, &a.QuestionTitle, &a.Result, &a.Answer, &a.ForwardedTo,
		&a.CloseGround, &consent, &a.Identity, &a.CreatedAt, &a.UpdatedAt)
	if err != nil {
		return a, err
	}
	a.Status = Status(status)
	a.ReceivedOn, a.RegisteredOn = dateOrZero(recv), dateOrZero(reg)
	a.Due = Due{RegisterBy: dateOrZero(rb), ForwardBy: dateOrZero(fb), AnswerBy: dateOrZero(ab), NoticeBy: dateOrZero(nb)}
	a.AnswerByOriginal, a.ClosedOn = dateOrZero(abo), dateOrZero(closed)
	a.Cosigners = ParseCosigners(cosigners)
	if consent.Valid {
		a.ConsentAt = consent.Time
	}
	return a, nil
}

// nextSeq takes the next sequence number of a municipality's year. The
// UPDATE locks the counter row until the transaction ends (PostgreSQL) or
// runs under SQLite's single writer, so concurrent registrations never get
// the same number.
func (s *Store) nextSeq(ctx context.Context, tx *db.Tx, munID int64, year int) (int, error) {
	if _, err := tx.Exec(ctx, `INSERT INTO appeal_counters (municipality_id, year, last) VALUES (?, ?, 0) ON CONFLICT (municipality_id, year) DO NOTHING`, munID, year); err != nil {
		return 0, fmt.Errorf("create appeal counter: %w", err)
	}
	var n int
	if err := tx.QueryRow(ctx, `UPDATE appeal_counters SET last = last + 1 WHERE municipality_id = ? AND year = ? RETURNING last`, munID, year).Scan(&n); err != nil {
		return 0, fmt.Errorf("take appeal number: %w", err)
	}
	return n, nil
}

// Create registers an appeal in tx: it takes the next number of the year
// of registration and inserts the row. The caller has validated it and
// computed its deadlines.
func (s *Store) Create(ctx context.Context, tx *db.Tx, a *Appeal, format NumberFormat) error {
	seq, err := s.nextSeq(ctx, tx, a.MunicipalityID, a.RegisteredOn.Year)
	if err != nil {
		return err
	}
	if a.Number, err = format.Format(a.RegisteredOn.Year, seq); err != nil {
		return err
	}
	now := s.DB.Now()
	a.CreatedAt, a.UpdatedAt = now, now
	var consent any
	if !a.ConsentAt.IsZero() {
		consent = a.ConsentAt
	}
	a.ID, err = db.InsertID(ctx, tx, `INSERT INTO appeals (municipality_id, number, channel, status, kind, received_on, registered_on,
 register_by, forward_by, answer_by, notice_by, answer_by_original, extended_days, addressee, department_id, account_id,
 last_name, first_name, middle_name, search_name, email, email_norm, phone, phone_norm, postal_address, body,
 collective, cosigners, repeated, section_code, topic_code, question_code, consent_at, created_at, updated_at)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, a.Number, a.Channel, string(a.Status), a.Kind, a.ReceivedOn.String(), a.RegisteredOn.String(),
		a.Due.RegisterBy.String(), a.Due.ForwardBy.String(), a.Due.AnswerBy.String(), dateOrEmpty(a.Due.NoticeBy), a.Due.AnswerBy.String(), a.Addressee, idOrNil(a.DepartmentID), idOrNil(a.AccountID),
		a.Author.LastName, a.Author.FirstName, a.Author.MiddleName, NormalizeName(a.Author.LastName), a.Author.Email, NormalizeEmail(a.Author.Email), a.Author.Phone, NormalizePhone(a.Author.Phone), a.Author.PostalAddress, a.Text,
		a.Collective, strings.Join(a.Cosigners, "\n"), a.Repeated, Section(a.QuestionCode), TopicOf(a.QuestionCode), a.QuestionCode, consent, now, now)
	if err != nil {
		return fmt.Errorf("insert appeal: %w", err)
	}
	a.AnswerByOriginal = a.Due.AnswerBy
	return nil
}

// Save writes the fields that the workflow changes.
func (s *Store) Save(ctx context.Context, tx *db.Tx, a *Appeal) error {
	a.UpdatedAt = s.DB.Now()
	_, err := tx.Exec(ctx, `UPDATE appeals SET status = ?, kind = ?, answer_by = ?, extended_days = ?, closed_on = ?, late = ?,
 department_id = ?, assignee_id = ?, repeated = ?, section_code = ?, topic_code = ?, question_code = ?, result = ?, answer = ?,
 forwarded_to = ?, close_ground = ?, updated_at = ? WHERE id = ? AND municipality_id = ?`,
		string(a.Status), a.Kind, a.Due.AnswerBy.String(), a.ExtendedDays, dateOrNil(a.ClosedOn), a.Late,
		idOrNil(a.DepartmentID), idOrNil(a.AssigneeID), a.Repeated, Section(a.QuestionCode), TopicOf(a.QuestionCode), a.QuestionCode, a.Result, a.Answer,
		a.ForwardedTo, a.CloseGround, a.UpdatedAt, a.ID, a.MunicipalityID)
	if err != nil {
		return fmt.Errorf("save appeal %s: %w", a.Number, err)
	}
	return nil
}

func (s *Store) one(ctx context.Context, q db.Querier, where string, args ...any) (Appeal, error) {
	a, err := scanAppeal(q.QueryRow(ctx, `SELECT `+appealColumns+appealFrom+` WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("appeal: %w", db.ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("read appeal: %w", err)
	}
	list := []Appeal{a}
	if err := s.nameAssignees(ctx, q, list); err != nil {
		return a, err
	}
	a = list[0]
	return a, nil
}

// ByNumber finds an appeal of a municipality by its registration number.
func (s *Store) ByNumber(ctx context.Context, q db.Querier, munID int64, number string) (Appeal, error) {
	return s.one(ctx, q, `a.municipality_id = ? AND a.number = ?`, munID, strings.TrimSpace(number))
}

// RecentSame returns the number of an appeal by the same account with the
// same text and addressee registered since since, or "" when there is none.
func (s *Store) RecentSame(ctx context.Context, q db.Querier, munID, accountID int64, addressee, body string, since time.Time) (string, error) {
	var number string
	err := q.QueryRow(ctx, `SELECT number FROM appeals WHERE municipality_id = ? AND account_id = ? AND addressee = ? AND body = ? AND created_at >= ? ORDER BY id DESC LIMIT 1`,
		munID, accountID, addressee, body, since).Scan(&number)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("look for a repeated submission: %w", err)
	}
	return number, nil
}

// ByID finds an appeal of a municipality by id.
func (s *Store) ByID(ctx context.Context, q db.Querier, munID, id int64) (Appeal, error) {
	return s.one(ctx, q, `a.municipality_id = ? AND a.id = ?`, munID, id)
}

// AddEntry appends a line to an appeal's history in tx.
func (s *Store) AddEntry(ctx context.Context, tx *db.Tx, appealID int64, accountID int64, actor, action string, st Status, note string, public bool) error {
	_, err := tx.Exec(ctx, `INSERT INTO appeal_events (appeal_id, at, account_id, actor, action, status, note, public) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		appealID, s.DB.Now(), idOrNil(accountID), actor, action, string(st), note, public)
	if err != nil {
		return fmt.Errorf("append appeal history: %w", err)
	}
	return nil
}

// History returns an appeal's history, oldest first; publicOnly leaves out
// what only staff see (the call log).
func (s *Store) History(ctx context.Context, appealID int64, publicOnly bool) ([]Entry, error) {
	q := `SELECT at, actor, action, status, note, public FROM appeal_events WHERE appeal_id = ?`
	if publicOnly {
		q += ` AND public = TRUE`
	}
	rows, err := s.DB.Query(ctx, q+` ORDER BY at, id`, appealID)
	if err != nil {
		return nil, fmt.Errorf("read appeal history: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var st string
		if err := rows.Scan(&e.At, &e.Actor, &e.Action, &st, &e.Note, &e.Public); err != nil {
			return nil, err
		}
		e.Status = Status(st)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Filter narrows the staff list.
type Filter struct {
	Status       string
	DepartmentID int64
	Overdue      bool
	Today        deadline.Date
	AccountID    int64 // a resident's own
}

func (f Filter) where(munID int64) (string, []any) {
	where := `a.municipality_id = ?`
	args := []any{munID}
	if f.Status != "" {
		where += ` AND a.status = ?`
		args = append(args, f.Status)
	}
	if f.DepartmentID != 0 {
		where += ` AND a.department_id = ?`
		args = append(args, f.DepartmentID)
	}
	if f.AccountID != 0 {
		where += ` AND a.account_id = ?`
		args = append(args, f.AccountID)
	}
	if f.Overdue {
		where += ` AND a.status IN (` + db.Placeholders(len(OpenStatuses)) + `) AND a.answer_by < ?`
		for _, s := range OpenStatuses {
			args = append(args, string(s))
		}
		args = append(args, f.Today.String())
	}
	return where, args
}

// List returns one page of appeals, newest first, and the total.
func (s *Store) List(ctx context.Context, munID int64, f Filter, limit, offset int) ([]Appeal, int, error) {
	where, args := f.where(munID)
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM appeals a WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count appeals: %w", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT `+appealColumns+appealFrom+` WHERE `+where+` ORDER BY a.registered_on DESC, a.id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list appeals: %w", err)
	}
	out, err := scanAll(rows)
	if err != nil {
		return nil, 0, err
	}
	return out, total, s.nameAssignees(ctx, s.DB, out)
}

// nameAssignees fills the assignees' names of a page of appeals with one
// question to auth.
func (s *Store) nameAssignees(ctx context.Context, q db.Querier, list []Appeal) error {
	if len(list) == 0 || s.People == nil {
		return nil
	}
	ids := make([]int64, 0, len(list))
	for _, a := range list {
		ids = append(ids, a.AssigneeID)
	}
	names, err := s.People.Names(ctx, q, list[0].MunicipalityID, ids)
	if err != nil {
		return err
	}
	for i := range list {
		list[i].Assignee = names[list[i].AssigneeID]
	}
	return nil
}

func scanAll(rows *sql.Rows) ([]Appeal, error) {
	defer rows.Close()
	var out []Appeal
	for rows.Next() {
		a, err := scanAppeal(rows)
		if err != nil {
			return nil, fmt.Errorf("scan appeal: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Lookup finds appeals by what the operator typed: a registration number,
// a surname, a phone or an e-mail; each uses its own index.
func (s *Store) Lookup(ctx context.Context, munID int64, q string, limit int) ([]Appeal, error) {
	q = strings.TrimSpace(q)
	var where string
	var arg any
	switch LookupKind(q) {
	case "":
		return nil, nil
	case "number":
		where, arg = `a.number = ?`, q
	case "email":
		where, arg = `a.email_norm = ?`, NormalizeEmail(q)
	case "phone":
		where, arg = `a.phone_norm = ?`, NormalizePhone(q)
	default:
		// The surname is the first word; the rest (a name) is ignored.
		where, arg = `a.search_name = ?`, NormalizeName(strings.Fields(q)[0])
	}
	rows, err := s.DB.Query(ctx, `SELECT `+appealColumns+appealFrom+` WHERE a.municipality_id = ? AND `+where+` ORDER BY a.registered_on DESC, a.id DESC LIMIT ?`, munID, arg, limit)
	if err != nil {
		return nil, fmt.Errorf("look up appeals: %w", err)
	}
	out, err := scanAll(rows)
	if err != nil {
		return nil, err
	}
	return out, s.nameAssignees(ctx, s.DB, out)
}

// DepartmentLoad is one line of the dashboard: a department's open appeals,
// those due within the warning window and those overdue.
type DepartmentLoad struct {
	DepartmentID int64
	Department   string
	Open         int
	DueSoon      int
	Overdue      int
}

// Dashboard counts open appeals per department in one grouped query.
func (s *Store) Dashboard(ctx context.Context, munID int64, today, soon deadline.Date, onlyDept int64) ([]DepartmentLoad, error) {
	args := []any{today.String(), soon.String(), today.String(), munID}
	for _, st := range OpenStatuses {
		args = append(args, string(st))
	}
	where := ``
	if onlyDept != 0 {
		where = ` AND a.department_id = ?`
		args = append(args, onlyDept)
	}
	rows, err := s.DB.Query(ctx, `SELECT COALESCE(a.department_id, 0), COALESCE(d.name, ''), COUNT(*),
 SUM(CASE WHEN a.answer_by >= ? AND a.answer_by <= ? THEN 1 ELSE 0 END),
 SUM(CASE WHEN a.answer_by < ? THEN 1 ELSE 0 END)
 FROM appeals a LEFT JOIN departments d ON d.id = a.department_id
 WHERE a.municipality_id = ? AND a.status IN (`+db.Placeholders(len(OpenStatuses))+`)`+where+`
 GROUP BY COALESCE(a.department_id, 0), COALESCE(d.name, '') ORDER BY 2`, args...)
	if err != nil {
		return nil, fmt.Errorf("appeals dashboard: %w", err)
	}
	defer rows.Close()
	var out []DepartmentLoad
	for rows.Next() {
		var l DepartmentLoad
		if err := rows.Scan(&l.DepartmentID, &l.Department, &l.Open, &l.DueSoon, &l.Overdue); err != nil {
			return nil, err
		}
		if l.Department == "" {
			l.Department = "Не распределены"
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Counter is the public counter of the Decree of the President No. 171 of 17.04.2017: received, answered and in
// progress for the current year and month.
type Counter struct {
	YearReceived, YearAnswered, YearInProgress    int
	MonthReceived, MonthAnswered, MonthInProgress int
}

// Count reads the counter from the monthly tallies that triggers keep on
// appeals (migration 1200): its cost does not grow with the appeals. The
// year is its months up to today's: no appeal is registered after today
// (validateNew refuses a later registration date), so the month's tally
// holds no day past today.
func (s *Store) Count(ctx context.Context, munID int64, today deadline.Date) (Counter, error) {
	month := today.String()[:7]
	var c Counter
	err := s.DB.QueryRow(ctx, `SELECT COALESCE(SUM(received), 0), COALESCE(SUM(closed), 0),
 COALESCE(SUM(CASE WHEN month = ? THEN received ELSE 0 END), 0), COALESCE(SUM(CASE WHEN month = ? THEN closed ELSE 0 END), 0)
 FROM appeal_tallies WHERE municipality_id = ? AND month >= ? AND month <= ?`, month, month, munID, month[:4]+"-01", month).
		Scan(&c.YearReceived, &c.YearAnswered, &c.MonthReceived, &c.MonthAnswered)
	if err != nil {
		return c, fmt.Errorf("appeals counter: %w", err)
	}
	c.YearInProgress, c.MonthInProgress = c.YearReceived-c.YearAnswered, c.MonthReceived-c.MonthAnswered
	return c, nil
}

// PublicStatus is what anyone with the number and the contact may learn.
type PublicStatus struct {
	Number       string        `json:"registration_number"`
	Status       Status        `json:"status"`
	RegisteredOn deadline.Date `json:"registered_at"`
	AnswerBy     deadline.Date `json:"answer_by"`
}

// NumberCandidates are the spellings a registration number typed by a
// citizen may stand for: without spaces, with any dash (‐ ‑ ‒ – — − ―) as a
// hyphen, as typed, in upper case and in lower case. SQLite's UPPER knows
// no Cyrillic, so the variants are compared rather than the case folded in
// SQL.
func NumberCandidates(typed string) [3]string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(typed) {
		switch {
		case unicode.IsSpace(r):
		case r == '‐' || r == '‑' || r == '‒' || r == '–' || r == '—' || r == '−' || r == '―' || r == '_':
			b.WriteRune('-')
		default:
			b.WriteRune(r)
		}
	}
	n := b.String()
	return [3]string{n, strings.ToUpper(n), strings.ToLower(n)}
}

// StatusContact reads the status of an appeal with the normalised contacts
// it was given with, for the caller to compare.
func (s *Store) StatusContact(ctx context.Context, munID int64, number string) (PublicStatus, string, string, error) {
	var p PublicStatus
	var st, reg, ab, email, phone string
	c := NumberCandidates(number)
	err := s.DB.QueryRow(ctx, `SELECT number, status, registered_on, answer_by, email_norm, phone_norm FROM appeals WHERE municipality_id = ? AND number IN (?, ?, ?) ORDER BY id LIMIT 1`, munID, c[0], c[1], c[2]).
		Scan(&p.Number, &st, &reg, &ab, &email, &phone)
	if errors.Is(err, sql.ErrNoRows) {
		return p, "", "", fmt.Errorf("appeal: %w", db.ErrNotFound)
	}
	if err != nil {
		return p, "", "", fmt.Errorf("read appeal status: %w", err)
	}
	p.Status, p.RegisteredOn, p.AnswerBy = Status(st), dateOrZero(reg), dateOrZero(ab)
	return p, email, phone, nil
}

// Topics lists the active classifier, by code.
func (s *Store) Topics(ctx context.Context, munID int64) ([]Topic, error) {
	rows, err := s.DB.Query(ctx, `SELECT code, level, title FROM appeal_topics WHERE municipality_id = ? AND active = TRUE ORDER BY code`, munID)
	if err != nil {
		return nil, fmt.Errorf("list classifier: %w", err)
	}
	defer rows.Close()
	var out []Topic
	for rows.Next() {
		var t Topic
		if err := rows.Scan(&t.Code, &t.Level, &t.Title); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// ImportResult counts what a classifier import changed.
type ImportResult struct{ Added, Updated, Deactivated int }

// ImportTopics makes the classifier equal to the given edition: new codes
// are added, titles updated, and codes missing from the edition are
// deactivated rather than deleted, since past appeals refer to them.
func (s *Store) ImportTopics(ctx context.Context, tx *db.Tx, munID int64, topics []Topic) (ImportResult, error) {
	var res ImportResult
	existing := map[string]string{}
	active := map[string]bool{}
	rows, err := tx.Query(ctx, `SELECT code, title, active FROM appeal_topics WHERE municipality_id = ?`, munID)
	if err != nil {
		return res, fmt.Errorf("read classifier: %w", err)
	}
	for rows.Next() {
		var c, t string
		var a bool
		if err := rows.Scan(&c, &t, &a); err != nil {
			rows.Close()
			return res, err
		}
		existing[c], active[c] = t, a
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, err
	}
	now := s.DB.Now()
	inEdition := map[string]bool{}
	for _, t := range topics {
		inEdition[t.Code] = true
		old, ok := existing[t.Code]
		switch {
		case !ok:
			if _, err := tx.Exec(ctx, `INSERT INTO appeal_topics (municipality_id, code, level, title, active, updated_at) VALUES (?, ?, ?, ?, TRUE, ?)`, munID, t.Code, t.Level, t.Title, now); err != nil {
				return res, fmt.Errorf("add classifier entry %s: %w", t.Code, err)
			}
			res.Added++
		case old != t.Title || !active[t.Code]:
			if _, err := tx.Exec(ctx, `UPDATE appeal_topics SET title = ?, level = ?, active = TRUE, updated_at = ? WHERE municipality_id = ? AND code = ?`, t.Title, t.Level, now, munID, t.Code); err != nil {
				return res, fmt.Errorf("update classifier entry %s: %w", t.Code, err)
			}
			res.Updated++
		}
	}
	for c := range existing {
		if !inEdition[c] && active[c] {
			if _, err := tx.Exec(ctx, `UPDATE appeal_topics SET active = FALSE, updated_at = ? WHERE municipality_id = ? AND code = ?`, now, munID, c); err != nil {
				return res, fmt.Errorf("deactivate classifier entry %s: %w", c, err)
			}
			res.Deactivated++
		}
	}
	return res, nil
}

// TopicExists reports whether a question code is in the active classifier.
func (s *Store) TopicExists(ctx context.Context, munID int64, code string) (bool, error) {
	var n int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM appeal_topics WHERE municipality_id = ? AND code = ? AND active = TRUE`, munID, code).Scan(&n); err != nil {
		return false, fmt.Errorf("check classifier code: %w", err)
	}
	return n > 0, nil
}

// Attachment is a file of an appeal: the citizen's or the answer's.
type Attachment struct {
	FileID int64
	Name   string
	Size   int64
	Role   string // "appeal" or "answer"
}

// Attach links a stored file to an appeal.
func (s *Store) Attach(ctx context.Context, tx *db.Tx, appealID, fileID int64, role string) error {
	if _, err := tx.Exec(ctx, `INSERT INTO appeal_files (appeal_id, file_id, role) VALUES (?, ?, ?)`, appealID, fileID, role); err != nil {
		return fmt.Errorf("attach file: %w", err)
	}
	return nil
}

// Attachments lists an appeal's files.
func (s *Store) Attachments(ctx context.Context, appealID int64) ([]Attachment, error) {
	rows, err := s.DB.Query(ctx, `SELECT f.id, f.name, f.size, af.role FROM appeal_files af JOIN files f ON f.id = af.file_id WHERE af.appeal_id = ? ORDER BY af.role, f.id`, appealID)
	if err != nil {
		return nil, fmt.Errorf("list appeal files: %w", err)
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		var x Attachment
		if err := rows.Scan(&x.FileID, &x.Name, &x.Size, &x.Role); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// AppealOfFile returns the appeal a file belongs to.
func (s *Store) AppealOfFile(ctx context.Context, munID, fileID int64) (Appeal, error) {
	return s.one(ctx, s.DB, `a.municipality_id = ? AND a.id = (SELECT appeal_id FROM appeal_files WHERE file_id = ?)`, munID, fileID)
}

// LogCall records a call to the reference line.
func (s *Store) LogCall(ctx context.Context, tx *db.Tx, munID, appealID, accountID int64, note string) error {
	if _, err := tx.Exec(ctx, `INSERT INTO appeal_calls (municipality_id, appeal_id, account_id, note, at) VALUES (?, ?, ?, ?, ?)`, munID, idOrNil(appealID), idOrNil(accountID), note, s.DB.Now()); err != nil {
		return fmt.Errorf("log call: %w", err)
	}
	return nil
}

// Call is a logged call to the reference line.
type Call struct {
	At       time.Time
	Number   string
	Operator string
	Note     string
}

// RecentCalls lists the latest calls.
func (s *Store) RecentCalls(ctx context.Context, munID int64, limit int) ([]Call, error) {
	rows, err := s.DB.Query(ctx, `SELECT c.at, COALESCE(a.number, ''), COALESCE(c.account_id, 0), c.note FROM appeal_calls c
 LEFT JOIN appeals a ON a.id = c.appeal_id
 WHERE c.municipality_id = ? ORDER BY c.at DESC, c.id DESC LIMIT ?`, munID, limit)
	if err != nil {
		return nil, fmt.Errorf("list calls: %w", err)
	}
	defer rows.Close()
	var out []Call
	var operators []int64
	for rows.Next() {
		var c Call
		var operator int64
		if err := rows.Scan(&c.At, &c.Number, &operator, &c.Note); err != nil {
			return nil, fmt.Errorf("list calls: %w", err)
		}
		out = append(out, c)
		operators = append(operators, operator)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list calls: %w", err)
	}
	if s.People == nil || len(out) == 0 {
		return out, nil
	}
	names, err := s.People.Names(ctx, s.DB, munID, operators)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Operator = names[operators[i]]
	}
	return out, nil
}

// OpenAppeal is what the reminder job needs of an open appeal.
type OpenAppeal struct {
	ID           int64
	Number       string
	Status       Status
	ForwardBy    deadline.Date
	AnswerBy     deadline.Date
	NoticeBy     deadline.Date
	DepartmentID int64
	AssigneeID   int64
}

// Open lists a municipality's open appeals with a deadline on or before
// until: the reminder job looks no further ahead than its first reminder.
func (s *Store) Open(ctx context.Context, munID int64, until deadline.Date) ([]OpenAppeal, error) {
	args := []any{munID}
	for _, st := range OpenStatuses {
		args = append(args, string(st))
	}
	args = append(args, until.String(), until.String(), until.String())
	rows, err := s.DB.Query(ctx, `SELECT id, number, status, forward_by, answer_by, notice_by, COALESCE(department_id, 0), COALESCE(assignee_id, 0) FROM appeals
 WHERE municipality_id = ? AND status IN (`+db.Placeholders(len(OpenStatuses))+`) AND (answer_by <= ? OR forward_by <= ? OR (notice_by <> '' AND notice_by <= ?)) ORDER BY answer_by`, args...)
	if err != nil {
		return nil, fmt.Errorf("list open appeals: %w", err)
	}
	defer rows.Close()
	var out []OpenAppeal
	for rows.Next() {
		var o OpenAppeal
		var st, fb, ab, nb string
		if err := rows.Scan(&o.ID, &o.Number, &st, &fb, &ab, &nb, &o.DepartmentID, &o.AssigneeID); err != nil {
			return nil, err
		}
		o.Status, o.ForwardBy, o.AnswerBy, o.NoticeBy = Status(st), dateOrZero(fb), dateOrZero(ab), dateOrZero(nb)
		out = append(out, o)
	}
	return out, rows.Err()
}

// MarkReminded records a reminder; it reports false when it was sent before.
func (s *Store) MarkReminded(ctx context.Context, tx *db.Tx, appealID int64, kind string, due deadline.Date) (bool, error) {
	res, err := tx.Exec(ctx, `INSERT INTO appeal_reminders (appeal_id, kind, due, sent_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, appealID, kind, due.String(), s.DB.Now())
	if err != nil {
		return false, fmt.Errorf("record reminder: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
