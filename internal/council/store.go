package council

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/glasnost/glasnost/internal/auth"
	"time"

	"github.com/glasnost/glasnost/internal/db"
)

// Store reads and writes the council's tables.
type Store struct {
	DB *db.DB
	// People names the accounts that registered (areas do not read the
	// accounts table).
	People *auth.Store
}

// Meeting kinds.
const (
	KindRegular       = "regular"
	KindExtraordinary = "extraordinary"
	KindOpen          = "open"
)

// KindLabel names a meeting kind in Russian.
func KindLabel(k string) string {
	switch k {
	case KindRegular:
		return "очередное"
	case KindExtraordinary:
		return "внеочередное"
	case KindOpen:
		return "открытое"
	}
	return k
}

// PositionLabel names a member's position in Russian.
func PositionLabel(p string) string {
	switch p {
	case "chair":
		return "председатель"
	case "deputy":
		return "заместитель председателя"
	case "secretary":
		return "секретарь"
	}
	return "член совета"
}

// StatusLabel names a plan item's or decision's status in Russian.
func StatusLabel(s string) string {
	switch s {
	case "planned":
		return "запланировано"
	case "done":
		return "выполнено"
	case "moved":
		return "перенесено"
	case "cancelled":
		return "отменено"
	case "open":
		return "на исполнении"
	}
	return s
}

// Document is an act the council's work rests on (regulations).
type Document struct {
	ID         int64
	Kind       string
	Title      string
	ActID      int64
	URL        string
	Number     string
	ActDate    string
	ApprovedAt time.Time
}

// Href is where the document's act is read.
func (d Document) Href() string {
	if d.ActID != 0 {
		return fmt.Sprintf("/acts/%d", d.ActID)
	}
	return d.URL
}

// Composition is one personal composition of the council.
type Composition struct {
	ID                         int64
	Title                      string
	TermFrom, TermTo           string
	ActID                      int64
	ActURL, ActNumber, ActDate string
	ApprovedAt                 time.Time
	Current                    bool
	Members                    []Member
}

// ActHref is where the approving act is read.
func (c Composition) ActHref() string {
	if c.ActID != 0 {
		return fmt.Sprintf("/acts/%d", c.ActID)
	}
	return c.ActURL
}

// Member is a council member in one composition.
type Member struct {
	ID, CompositionID, AccountID int64
	FullName, Position           string
	TermFrom, TermTo             string
	Bio                          string
	PhotoFileID                  int64
	PhotoAlt                     string
	Represents                   string
}

// Plan is a year's work plan.
type Plan struct {
	ID                         int64
	Year                       int
	ActID                      int64
	ActURL, ActNumber, ActDate string
	ApprovedAt                 time.Time
	Items                      []PlanItem
}

// PlanItem is one item of a plan.
type PlanItem struct {
	ID       int64
	Quarter  int
	Title    string
	MemberID int64
	Member   string
	Status   string
	Reason   string
	Link     string
}

// Meeting is a council meeting.
type Meeting struct {
	ID                   int64
	Kind, Title          string
	StartsAt             time.Time
	Place, Agenda        string
	Documents, VideoURL  string
	Open                 bool
	Capacity, Registered int
	ClosesAt             time.Time
	Minutes              string
	MinutesAt            time.Time
	UpdatedAt            time.Time
}

// Path is the meeting's public page.
func (m Meeting) Path() string { return fmt.Sprintf("/council/meetings/%d", m.ID) }

// Free is how many places are left.
func (m Meeting) Free() int { return max(m.Capacity-m.Registered, 0) }

// RegistrationOpen reports whether the meeting takes registrations at now.
func (m Meeting) RegistrationOpen(now time.Time) bool {
	if !m.Open || m.Capacity <= 0 || !now.Before(m.StartsAt) {
		return false
	}
	if !m.ClosesAt.IsZero() && !now.Before(m.ClosesAt) {
		return false
	}
	return m.Registered < m.Capacity
}

// Registration is one person registered for an open meeting.
type Registration struct {
	ID        int64
	AccountID int64
	Name      string
	Email     string
	Kind      string
	Outlet    string
	CreatedAt time.Time
}

// Decision is a decision in a meeting's minutes.
type Decision struct {
	ID           int64
	MeetingID    int64
	Meeting      string
	Text         string
	DepartmentID int64
	Department   string
	DueDate      string
	Status       string
}

// Overdue reports whether the decision is past its due date (today is YYYY-MM-DD).
func (d Decision) Overdue(today string) bool {
	return d.Status == "open" && d.DueDate != "" && d.DueDate < today
}

const meetingCols = `id, kind, title, starts_at, place, agenda, documents, video_url, is_open, capacity, registered, registration_closes_at, minutes, minutes_published_at, updated_at`

// scanMeeting reads meetingCols and then any extra columns into extra.
func scanMeeting(sc interface{ Scan(...any) error }, extra ...any) (Meeting, error) {
	var m Meeting
	var closes, minAt sql.NullTime
	err := sc.Scan(append([]any{&m.ID, &m.Kind, &m.Title, &m.StartsAt, &m.Place, &m.Agenda, &m.Documents, &m.VideoURL, &m.Open, &m.Capacity, &m.Registered, &closes, &m.Minutes, &minAt, &m.UpdatedAt}, extra...)...)
	m.ClosesAt, m.MinutesAt = closes.Time, minAt.Time
	m.StartsAt, m.UpdatedAt = m.StartsAt.UTC(), m.UpdatedAt.UTC()
	return m, err
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Meeting loads one meeting.
func (s *Store) Meeting(ctx context.Context, q db.Querier, munID, id int64) (Meeting, error) {
	m, err := scanMeeting(q.QueryRow(ctx, `SELECT `+meetingCols+` FROM council_meetings WHERE municipality_id = ? AND id = ?`, munID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, db.ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("load meeting: %w", err)
	}
	return m, nil
}

// Meetings lists meetings, latest first.
func (s *Store) Meetings(ctx context.Context, munID int64, limit, offset int) ([]Meeting, int, error) {
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM council_meetings WHERE municipality_id = ?`, munID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count meetings: %w", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT `+meetingCols+` FROM council_meetings WHERE municipality_id = ? ORDER BY starts_at DESC, id DESC LIMIT ? OFFSET ?`, munID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("list meetings: %w", err)
	}
	defer rows.Close()
	var out []Meeting
	for rows.Next() {
		m, err := scanMeeting(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("scan meeting: %w", err)
		}
		out = append(out, m)
	}
	return out, total, rows.Err()
}

// CreateMeeting stores a new meeting.
func (s *Store) CreateMeeting(ctx context.Context, tx *db.Tx, munID int64, m Meeting) (int64, error) {
	now := s.DB.Now()
	id, err := db.InsertID(ctx, tx, `INSERT INTO council_meetings (municipality_id, kind, title, starts_at, place, agenda, documents, video_url, is_open, capacity, registration_closes_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		munID, m.Kind, m.Title, m.StartsAt.UTC(), m.Place, m.Agenda, m.Documents, m.VideoURL, m.Open, m.Capacity, nullTime(m.ClosesAt), now, now)
	if err != nil {
		return 0, fmt.Errorf("create meeting: %w", err)
	}
	return id, nil
}

// Registration errors.
var (
	ErrFull    = errors.New("council: meeting full")
	ErrAlready = errors.New("council: already registered")
	ErrClosed  = errors.New("council: registration closed")
)

// Register takes a place at an open meeting for an account in tx. The place
// is taken by a guarded update of the meeting's counter, so that concurrent
// registrations never exceed the capacity on either engine: PostgreSQL
// re-checks the WHERE on the locked row, SQLite has one writer.
func (s *Store) Register(ctx context.Context, tx *db.Tx, munID, meetingID, accountID int64, kind, outlet string, now time.Time) (int64, error) {
	m, err := s.Meeting(ctx, tx, munID, meetingID)
	if err != nil {
		return 0, err
	}
	if !m.Open || !now.Before(m.StartsAt) || (!m.ClosesAt.IsZero() && !now.Before(m.ClosesAt)) {
		return 0, ErrClosed
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM council_registrations WHERE meeting_id = ? AND account_id = ?`, meetingID, accountID).Scan(&n); err != nil {
		return 0, fmt.Errorf("check registration: %w", err)
	}
	if n > 0 {
		return 0, ErrAlready
	}
	res, err := tx.Exec(ctx, `UPDATE council_meetings SET registered = registered + 1 WHERE municipality_id = ? AND id = ? AND registered < capacity`, munID, meetingID)
	if err != nil {
		return 0, fmt.Errorf("take place: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return 0, ErrFull
	}
	id, err := db.InsertID(ctx, tx, `INSERT INTO council_registrations (municipality_id, meeting_id, account_id, kind, outlet, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		munID, meetingID, accountID, kind, outlet, now)
	if db.IsUniqueViolation(err) {
		return 0, ErrAlready
	}
	if err != nil {
		return 0, fmt.Errorf("register: %w", err)
	}
	return id, nil
}

// IsRegistered reports whether an account holds a place.
func (s *Store) IsRegistered(ctx context.Context, meetingID, accountID int64) (bool, error) {
	var n int
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM council_registrations WHERE meeting_id = ? AND account_id = ?`, meetingID, accountID).Scan(&n)
	return n > 0, err
}

// Registrations lists who registered for a meeting (staff only), with the
// names and addresses auth holds (one query for all of them).
func (s *Store) Registrations(ctx context.Context, munID, meetingID int64) ([]Registration, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, account_id, kind, outlet, created_at
		FROM council_registrations WHERE municipality_id = ? AND meeting_id = ? ORDER BY id`, munID, meetingID)
	if err != nil {
		return nil, fmt.Errorf("list registrations: %w", err)
	}
	defer rows.Close()
	var out []Registration
	var ids []int64
	for rows.Next() {
		var r Registration
		if err := rows.Scan(&r.ID, &r.AccountID, &r.Kind, &r.Outlet, &r.CreatedAt); err != nil {
			return nil, fmt.Errorf("scan registration: %w", err)
		}
		out = append(out, r)
		ids = append(ids, r.AccountID)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 || s.People == nil {
		return out, nil
	}
	people, err := s.People.Recipients(ctx, s.DB, munID, auth.Audience{IDs: ids})
	if err != nil {
		return nil, fmt.Errorf("name registrations: %w", err)
	}
	byID := make(map[int64]auth.Recipient, len(people))
	for _, p := range people {
		byID[p.ID] = p
	}
	for i := range out {
		p := byID[out[i].AccountID]
		out[i].Name, out[i].Email = p.Name, p.Email
	}
	return out, nil
}

// Documents lists the council's documents of a kind, latest first.
func (s *Store) Documents(ctx context.Context, munID int64, kind string) ([]Document, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, kind, title, COALESCE(act_id, 0), url, number, act_date, approved_at FROM council_documents WHERE municipality_id = ? AND kind = ? ORDER BY approved_at DESC, id DESC`, munID, kind)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	defer rows.Close()
	var out []Document
	for rows.Next() {
		var d Document
		if err := rows.Scan(&d.ID, &d.Kind, &d.Title, &d.ActID, &d.URL, &d.Number, &d.ActDate, &d.ApprovedAt); err != nil {
			return nil, fmt.Errorf("scan document: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// AddDocument stores an approving act of the council's regulations.
func (s *Store) AddDocument(ctx context.Context, tx *db.Tx, munID int64, d Document) (int64, error) {
	return db.InsertID(ctx, tx, `INSERT INTO council_documents (municipality_id, kind, title, act_id, url, number, act_date, approved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		munID, d.Kind, d.Title, nullID(d.ActID), d.URL, d.Number, d.ActDate, s.DB.Now())
}

// Compositions lists every composition with its members, current first.
func (s *Store) Compositions(ctx context.Context, munID int64) ([]Composition, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, title, term_from, term_to, COALESCE(act_id, 0), act_url, act_number, act_date, approved_at, is_current FROM council_compositions WHERE municipality_id = ? ORDER BY is_current DESC, id DESC`, munID)
	if err != nil {
		return nil, fmt.Errorf("list compositions: %w", err)
	}
	var out []Composition
	idx := map[int64]int{}
	for rows.Next() {
		var c Composition
		var at sql.NullTime
		if err := rows.Scan(&c.ID, &c.Title, &c.TermFrom, &c.TermTo, &c.ActID, &c.ActURL, &c.ActNumber, &c.ActDate, &at, &c.Current); err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan composition: %w", err)
		}
		c.ApprovedAt = at.Time
		idx[c.ID] = len(out)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	mrows, err := s.DB.Query(ctx, `SELECT id, composition_id, COALESCE(account_id, 0), full_name, position, term_from, term_to, bio, COALESCE(photo_file_id, 0), photo_alt, represents
		FROM council_members WHERE municipality_id = ? ORDER BY composition_id, sort, id`, munID)
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	defer mrows.Close()
	for mrows.Next() {
		var m Member
		if err := mrows.Scan(&m.ID, &m.CompositionID, &m.AccountID, &m.FullName, &m.Position, &m.TermFrom, &m.TermTo, &m.Bio, &m.PhotoFileID, &m.PhotoAlt, &m.Represents); err != nil {
			return nil, fmt.Errorf("scan member: %w", err)
		}
		if i, ok := idx[m.CompositionID]; ok {
			out[i].Members = append(out[i].Members, m)
		}
	}
	return out, mrows.Err()
}

// CreateComposition stores a draft composition.
func (s *Store) CreateComposition(ctx context.Context, tx *db.Tx, munID int64, c Composition) (int64, error) {
	return db.InsertID(ctx, tx, `INSERT INTO council_compositions (municipality_id, title, term_from, term_to, act_id, act_url, act_number, act_date, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		munID, c.Title, c.TermFrom, c.TermTo, nullID(c.ActID), c.ActURL, c.ActNumber, c.ActDate, s.DB.Now())
}

// AddMember adds a member to a composition.
func (s *Store) AddMember(ctx context.Context, tx *db.Tx, munID int64, m Member) (int64, error) {
	return db.InsertID(ctx, tx, `INSERT INTO council_members (municipality_id, composition_id, account_id, full_name, position, term_from, term_to, bio, photo_file_id, photo_alt, represents, sort)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(sort), 0) + 1 FROM council_members WHERE composition_id = ?))`,
		munID, m.CompositionID, nullID(m.AccountID), m.FullName, m.Position, m.TermFrom, m.TermTo, m.Bio, nullID(m.PhotoFileID), m.PhotoAlt, m.Represents, m.CompositionID)
}

// ApproveComposition makes a composition the current one; the previous
// ones stay as history.
func (s *Store) ApproveComposition(ctx context.Context, tx *db.Tx, munID, id int64, actNumber, actDate, actURL string) error {
	if _, err := tx.Exec(ctx, `UPDATE council_compositions SET is_current = FALSE WHERE municipality_id = ?`, munID); err != nil {
		return err
	}
	res, err := tx.Exec(ctx, `UPDATE council_compositions SET is_current = TRUE, approved_at = ?, act_number = ?, act_date = ?, act_url = ? WHERE municipality_id = ? AND id = ?`,
		s.DB.Now(), actNumber, actDate, actURL, munID, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return db.ErrNotFound
	}
	return nil
}

// PlanFor loads the plan of a year with its items, or ErrNotFound.
func (s *Store) PlanFor(ctx context.Context, munID int64, year int) (Plan, error) {
	var p Plan
	var at sql.NullTime
	err := s.DB.QueryRow(ctx, `SELECT id, year, COALESCE(act_id, 0), act_url, act_number, act_date, approved_at FROM council_plans WHERE municipality_id = ? AND year = ?`, munID, year).
		Scan(&p.ID, &p.Year, &p.ActID, &p.ActURL, &p.ActNumber, &p.ActDate, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return p, db.ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("load plan: %w", err)
	}
	p.ApprovedAt = at.Time
	rows, err := s.DB.Query(ctx, `SELECT i.id, i.quarter, i.title, COALESCE(i.member_id, 0), COALESCE(m.full_name, ''), i.status, i.reason, i.link
		FROM council_plan_items i LEFT JOIN council_members m ON m.id = i.member_id WHERE i.plan_id = ? ORDER BY i.quarter, i.sort, i.id`, p.ID)
	if err != nil {
		return p, fmt.Errorf("list plan items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var it PlanItem
		if err := rows.Scan(&it.ID, &it.Quarter, &it.Title, &it.MemberID, &it.Member, &it.Status, &it.Reason, &it.Link); err != nil {
			return p, fmt.Errorf("scan plan item: %w", err)
		}
		p.Items = append(p.Items, it)
	}
	return p, rows.Err()
}

// EnsurePlan returns the id of a year's plan, creating it.
func (s *Store) EnsurePlan(ctx context.Context, tx *db.Tx, munID int64, year int) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM council_plans WHERE municipality_id = ? AND year = ?`, munID, year).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	return db.InsertID(ctx, tx, `INSERT INTO council_plans (municipality_id, year) VALUES (?, ?)`, munID, year)
}

// AddPlanItem adds an item to a plan.
func (s *Store) AddPlanItem(ctx context.Context, tx *db.Tx, munID, planID int64, it PlanItem) (int64, error) {
	if it.Status == "" {
		it.Status = "planned"
	}
	return db.InsertID(ctx, tx, `INSERT INTO council_plan_items (municipality_id, plan_id, quarter, title, member_id, status, reason, link, sort)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(sort), 0) + 1 FROM council_plan_items WHERE plan_id = ?))`,
		munID, planID, it.Quarter, it.Title, nullID(it.MemberID), it.Status, it.Reason, it.Link, planID)
}

// UpdatePlanItem sets an item's status, reason and link.
func (s *Store) UpdatePlanItem(ctx context.Context, tx *db.Tx, munID, id int64, status, reason, link string) error {
	res, err := tx.Exec(ctx, `UPDATE council_plan_items SET status = ?, reason = ?, link = ? WHERE municipality_id = ? AND id = ?`, status, reason, link, munID, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return db.ErrNotFound
	}
	return nil
}

// ApprovePlan records the plan's approving act.
func (s *Store) ApprovePlan(ctx context.Context, tx *db.Tx, munID, id int64, number, date, url string) error {
	res, err := tx.Exec(ctx, `UPDATE council_plans SET act_number = ?, act_date = ?, act_url = ?, approved_at = ? WHERE municipality_id = ? AND id = ?`, number, date, url, s.DB.Now(), munID, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return db.ErrNotFound
	}
	return nil
}

// PublishMinutes stores a meeting's minutes.
func (s *Store) PublishMinutes(ctx context.Context, tx *db.Tx, munID, id int64, text string) error {
	now := s.DB.Now()
	_, err := tx.Exec(ctx, `UPDATE council_meetings SET minutes = ?, minutes_published_at = COALESCE(minutes_published_at, ?), updated_at = ? WHERE municipality_id = ? AND id = ?`, text, now, now, munID, id)
	return err
}

// AddDecision adds a decision to a meeting's minutes.
func (s *Store) AddDecision(ctx context.Context, tx *db.Tx, munID int64, d Decision) (int64, error) {
	return db.InsertID(ctx, tx, `INSERT INTO council_decisions (municipality_id, meeting_id, text, department_id, due_date, status, updated_at) VALUES (?, ?, ?, ?, ?, 'open', ?)`,
		munID, d.MeetingID, d.Text, nullID(d.DepartmentID), d.DueDate, s.DB.Now())
}

// SetDecisionStatus updates a decision's status (open, done, cancelled).
func (s *Store) SetDecisionStatus(ctx context.Context, tx *db.Tx, munID, id int64, status string) error {
	res, err := tx.Exec(ctx, `UPDATE council_decisions SET status = ?, updated_at = ? WHERE municipality_id = ? AND id = ?`, status, s.DB.Now(), munID, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return db.ErrNotFound
	}
	return nil
}

const decisionSelect = `SELECT d.id, d.meeting_id, m.title, d.text, COALESCE(d.department_id, 0), COALESCE(dp.name, ''), d.due_date, d.status
	FROM council_decisions d JOIN council_meetings m ON m.id = d.meeting_id LEFT JOIN departments dp ON dp.id = d.department_id `

func (s *Store) decisions(ctx context.Context, where string, args ...any) ([]Decision, error) {
	rows, err := s.DB.Query(ctx, decisionSelect+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list decisions: %w", err)
	}
	defer rows.Close()
	var out []Decision
	for rows.Next() {
		var d Decision
		if err := rows.Scan(&d.ID, &d.MeetingID, &d.Meeting, &d.Text, &d.DepartmentID, &d.Department, &d.DueDate, &d.Status); err != nil {
			return nil, fmt.Errorf("scan decision: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Decisions lists a meeting's decisions.
func (s *Store) Decisions(ctx context.Context, munID, meetingID int64) ([]Decision, error) {
	return s.decisions(ctx, `WHERE d.municipality_id = ? AND d.meeting_id = ? ORDER BY d.id`, munID, meetingID)
}

// Overdue lists open decisions whose due date is before today (YYYY-MM-DD).
func (s *Store) Overdue(ctx context.Context, munID int64, today string, limit int) ([]Decision, error) {
	return s.decisions(ctx, `WHERE d.municipality_id = ? AND d.status = 'open' AND d.due_date <> '' AND d.due_date < ? ORDER BY d.due_date, d.id LIMIT ?`, munID, today, limit)
}

// CountOverdue counts overdue decisions.
func (s *Store) CountOverdue(ctx context.Context, munID int64, today string) (int, error) {
	var n int
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM council_decisions WHERE municipality_id = ? AND status = 'open' AND due_date <> '' AND due_date < ?`, munID, today).Scan(&n)
	return n, err
}
