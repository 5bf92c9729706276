package roadmap

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/events"
)

// Plan is a stored roadmap with its mechanisms and measures.
type Plan struct {
	ID             int64
	MunicipalityID int64
	Title          string
	ApprovingAct   string
	PeriodFrom     time.Time
	PeriodTo       time.Time
	SourceName     string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Mechanisms     []PlanMechanism
	// Tally counts the measures by status once progress is computed.
	Tally Tally
	// Tools are the event kinds some mounted area writes; nil when unknown
	// (then every measure is evaluated as if its tool existed).
	Tools map[events.Kind]bool
}

// PlanMechanism is a stored mechanism.
type PlanMechanism struct {
	ID       int64
	Number   int
	Title    string
	Measures []PlanMeasure
	Tally    Tally
}

// PlanMeasure is a stored measure with its rule, units, links and, once
// computed, its progress and evidence.
type PlanMeasure struct {
	ID             int64
	RoadmapID      int64
	MechanismID    int64
	Number         string
	Position       int
	Text           string
	ExpectedResult string
	Indicator      *Indicator
	Schedule       Schedule
	ScheduleManual bool // set by a person, not parsed from the plan
	Rule           Rule
	Units          []Unit
	Links          []Link

	Progress Progress
	Evidence []Evidence
}

// Unit is a responsible unit as the plan names it and the department it is
// mapped to (0 when none).
type Unit struct {
	ID           int64
	Name         string
	DepartmentID int64
	Department   string
}

// Link is an object a staff member linked to a measure as its evidence.
type Link struct {
	ID        int64
	MeasureID int64
	Title     string
	URL       string
	DoneOn    time.Time
	CreatedAt time.Time
}

// Store reads and writes roadmaps. Every query is scoped by municipality.
type Store struct {
	DB *db.DB
	// Tools returns the event kinds some mounted area writes (the portal's
	// registry); nil leaves every measure evaluated as if its tool existed.
	Tools func() map[events.Kind]bool
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func parseDate(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

func joinList[S ~string](xs []S) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = string(x)
	}
	return strings.Join(parts, "\n")
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// SaveOptions say how an import is stored.
type SaveOptions struct {
	SourceName string
	// Departments are the municipality's, for mapping units by name.
	Departments []Department
	// Mapping overrides the automatic mapping: a unit name to a department
	// id, 0 for none. Names not in it are matched by similarity.
	Mapping map[string]int64
	// Manual names the measures whose schedules a person set.
	Manual map[string]bool
}

// Create stores an imported roadmap in tx and returns its id. Each measure
// starts with the default rule of its number and its units mapped to
// departments; the caller writes the audit record and the search entry.
func (s *Store) Create(ctx context.Context, tx *db.Tx, munID int64, r Roadmap, opt SaveOptions) (int64, error) {
	now := s.DB.Now()
	id, err := db.InsertID(ctx, tx, `INSERT INTO roadmaps (municipality_id, title, approving_act, period_from, period_to, source_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		munID, r.Title, r.ApprovingAct, dateString(r.PeriodFrom), dateString(r.PeriodTo), opt.SourceName, now, now)
	if err != nil {
		return 0, fmt.Errorf("insert roadmap: %w", err)
	}
	pos := 0
	for _, m := range r.Mechanisms {
		mechID, err := db.InsertID(ctx, tx, `INSERT INTO roadmap_mechanisms (municipality_id, roadmap_id, number, title) VALUES (?, ?, ?, ?)`, munID, id, m.Number, m.Title)
		if err != nil {
			return 0, fmt.Errorf("insert mechanism %d: %w", m.Number, err)
		}
		for _, ms := range m.Measures {
			pos++
			var ind Indicator
			if ms.Indicator != nil {
				ind = *ms.Indicator
			}
			rule := DefaultRule(ms.Number)
			sc := ms.Schedule
			measureID, err := db.InsertID(ctx, tx, `INSERT INTO roadmap_measures (municipality_id, roadmap_id, mechanism_id, number, position, text, expected_result,
				has_indicator, indicator_kind, indicator_target, indicator_limit, schedule_kind, schedule_from, schedule_to, schedule_every, schedule_text, schedule_manual,
				rule_kinds, rule_spheres, rule_words, rule_count, rule_except) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				munID, id, mechID, ms.Number, pos, ms.Text, ms.ExpectedResult,
				ms.Indicator != nil, ind.Kind, ind.Target, ind.Limit, string(sc.Kind), dateString(sc.From), dateString(sc.To), string(sc.Every), sc.Text, opt.Manual[ms.Number],
				joinList(rule.Kinds), joinList(rule.Spheres), joinList(rule.Words), rule.Count, joinList(rule.Except))
			if err != nil {
				return 0, fmt.Errorf("insert measure %s: %w", ms.Number, err)
			}
			for i, name := range ms.Responsible {
				var dept any
				if d, ok := opt.Mapping[name]; ok {
					if d != 0 {
						dept = d
					}
				} else if d, _, ok := MatchDepartment(name, opt.Departments); ok {
					dept = d.ID
				}
				if _, err := tx.Exec(ctx, `INSERT INTO roadmap_units (municipality_id, measure_id, position, name, department_id) VALUES (?, ?, ?, ?, ?)`, munID, measureID, i, name, dept); err != nil {
					return 0, fmt.Errorf("insert unit of measure %s: %w", ms.Number, err)
				}
			}
		}
	}
	return id, nil
}

// Delete removes a roadmap with everything that belongs to it.
func (s *Store) Delete(ctx context.Context, tx *db.Tx, munID, id int64) error {
	res, err := tx.Exec(ctx, `DELETE FROM roadmaps WHERE municipality_id = ? AND id = ?`, munID, id)
	if err != nil {
		return fmt.Errorf("delete roadmap %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("roadmap %d: %w", id, db.ErrNotFound)
	}
	return nil
}

const planColumns = `id, municipality_id, title, approving_act, period_from, period_to, source_name, created_at, updated_at`

func scanPlan(row interface{ Scan(...any) error }) (Plan, error) {
	var p Plan
	var from, to string
	if err := row.Scan(&p.ID, &p.MunicipalityID, &p.Title, &p.ApprovingAct, &from, &to, &p.SourceName, &p.CreatedAt, &p.UpdatedAt); err != nil {
		return p, err
	}
	p.PeriodFrom, p.PeriodTo = parseDate(from), parseDate(to)
	return p, nil
}

// List returns one page of a municipality's roadmaps, newest first, without
// their measures, and the total.
func (s *Store) List(ctx context.Context, munID int64, limit, offset int) ([]Plan, int, error) {
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM roadmaps WHERE municipality_id = ?`, munID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count roadmaps: %w", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT `+planColumns+` FROM roadmaps WHERE municipality_id = ? ORDER BY id DESC LIMIT ? OFFSET ?`, munID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("list roadmaps: %w", err)
	}
	defer rows.Close()
	var out []Plan
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("scan roadmap: %w", err)
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

// FindByTitle returns the id of a municipality's roadmap with the title.
func (s *Store) FindByTitle(ctx context.Context, q db.Querier, munID int64, title string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM roadmaps WHERE municipality_id = ? AND title = ? ORDER BY id LIMIT 1`, munID, title).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("roadmap %q: %w", title, db.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("find roadmap: %w", err)
	}
	return id, nil
}

// Get returns a roadmap with its mechanisms, measures, units and links, in
// five queries whatever its size.
func (s *Store) Get(ctx context.Context, munID, id int64) (Plan, error) {
	p, err := scanPlan(s.DB.QueryRow(ctx, `SELECT `+planColumns+` FROM roadmaps WHERE municipality_id = ? AND id = ?`, munID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("roadmap %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return p, fmt.Errorf("get roadmap %d: %w", id, err)
	}
	err = s.bodies(ctx, []*Plan{&p}, `roadmap_id = ?`, id)
	return p, err
}

// bodies loads the mechanisms and measures (with units and links) of the
// plans, those whose roadmap_id meets cond: four queries for any number
// of plans.
func (s *Store) bodies(ctx context.Context, plans []*Plan, cond string, args ...any) error {
	byID := map[int64]*Plan{}
	for _, p := range plans {
		byID[p.ID] = p
	}
	rows, err := s.DB.Query(ctx, `SELECT id, roadmap_id, number, title FROM roadmap_mechanisms WHERE `+cond+` ORDER BY roadmap_id, number`, args...)
	if err != nil {
		return fmt.Errorf("list mechanisms: %w", err)
	}
	type place struct {
		plan *Plan
		i    int
	}
	mechs := map[int64]place{}
	for rows.Next() {
		var m PlanMechanism
		var planID int64
		if err := rows.Scan(&m.ID, &planID, &m.Number, &m.Title); err != nil {
			rows.Close()
			return fmt.Errorf("scan mechanism: %w", err)
		}
		if p := byID[planID]; p != nil {
			mechs[m.ID] = place{p, len(p.Mechanisms)}
			p.Mechanisms = append(p.Mechanisms, m)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	measures, err := s.measures(ctx, `m.`+cond, args...)
	if err != nil {
		return err
	}
	for _, ms := range measures {
		if at, ok := mechs[ms.MechanismID]; ok {
			at.plan.Mechanisms[at.i].Measures = append(at.plan.Mechanisms[at.i].Measures, ms)
		}
	}
	return nil
}

const measureColumns = `m.id, m.roadmap_id, m.mechanism_id, m.number, m.position, m.text, m.expected_result, m.has_indicator, m.indicator_kind, m.indicator_target, m.indicator_limit,
	m.schedule_kind, m.schedule_from, m.schedule_to, m.schedule_every, m.schedule_text, m.schedule_manual, m.rule_kinds, m.rule_spheres, m.rule_words, m.rule_count, m.rule_except`

// measures loads the measures matching where (over alias m) with their
// units and links: three queries for any number of measures.
func (s *Store) measures(ctx context.Context, where string, args ...any) ([]PlanMeasure, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+measureColumns+` FROM roadmap_measures m WHERE `+where+` ORDER BY m.position`, args...)
	if err != nil {
		return nil, fmt.Errorf("list measures: %w", err)
	}
	var out []PlanMeasure
	index := map[int64]int{}
	for rows.Next() {
		var ms PlanMeasure
		var hasInd bool
		var ind Indicator
		var kind, from, to, every, kinds, spheres, words, except string
		if err := rows.Scan(&ms.ID, &ms.RoadmapID, &ms.MechanismID, &ms.Number, &ms.Position, &ms.Text, &ms.ExpectedResult, &hasInd, &ind.Kind, &ind.Target, &ind.Limit,
			&kind, &from, &to, &every, &ms.Schedule.Text, &ms.ScheduleManual, &kinds, &spheres, &words, &ms.Rule.Count, &except); err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan measure: %w", err)
		}
		if hasInd {
			ms.Indicator = &ind
		}
		ms.Schedule.Kind, ms.Schedule.Every = ScheduleKind(kind), Frequency(every)
		ms.Schedule.From, ms.Schedule.To = parseDate(from), parseDate(to)
		ms.Rule.Kinds, ms.Rule.Spheres, ms.Rule.Words = storedKinds(splitList(kinds)), splitList(spheres), splitList(words)
		ms.Rule.Except = storedKinds(splitList(except))
		index[ms.ID] = len(out)
		out = append(out, ms)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	sub := `SELECT m.id FROM roadmap_measures m WHERE ` + where
	urows, err := s.DB.Query(ctx, `SELECT u.id, u.measure_id, u.name, COALESCE(u.department_id, 0), COALESCE(d.name, '') FROM roadmap_units u
		LEFT JOIN departments d ON d.id = u.department_id WHERE u.measure_id IN (`+sub+`) ORDER BY u.measure_id, u.position`, args...)
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	for urows.Next() {
		var u Unit
		var mid int64
		if err := urows.Scan(&u.ID, &mid, &u.Name, &u.DepartmentID, &u.Department); err != nil {
			urows.Close()
			return nil, fmt.Errorf("scan unit: %w", err)
		}
		if i, ok := index[mid]; ok {
			out[i].Units = append(out[i].Units, u)
		}
	}
	urows.Close()
	if err := urows.Err(); err != nil {
		return nil, err
	}
	lrows, err := s.DB.Query(ctx, `SELECT id, measure_id, title, url, done_on, created_at FROM roadmap_links WHERE measure_id IN (`+sub+`) ORDER BY measure_id, done_on, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list links: %w", err)
	}
	defer lrows.Close()
	for lrows.Next() {
		var l Link
		var on string
		if err := lrows.Scan(&l.ID, &l.MeasureID, &l.Title, &l.URL, &on, &l.CreatedAt); err != nil {
			return nil, fmt.Errorf("scan link: %w", err)
		}
		l.DoneOn = parseDate(on)
		if i, ok := index[l.MeasureID]; ok {
			out[i].Links = append(out[i].Links, l)
		}
	}
	return out, lrows.Err()
}

// Measure returns one measure of a municipality with its units and links.
func (s *Store) Measure(ctx context.Context, munID, id int64) (PlanMeasure, error) {
	ms, err := s.measures(ctx, `m.municipality_id = ? AND m.id = ?`, munID, id)
	if err != nil {
		return PlanMeasure{}, err
	}
	if len(ms) == 0 {
		return PlanMeasure{}, fmt.Errorf("measure %d: %w", id, db.ErrNotFound)
	}
	return ms[0], nil
}

// UpdateMeasure saves a measure's schedule and rule.
func (s *Store) UpdateMeasure(ctx context.Context, tx *db.Tx, munID int64, ms PlanMeasure) error {
	sc, r := ms.Schedule, ms.Rule
	res, err := tx.Exec(ctx, `UPDATE roadmap_measures SET schedule_kind = ?, schedule_from = ?, schedule_to = ?, schedule_every = ?, schedule_text = ?, schedule_manual = ?,
		rule_kinds = ?, rule_spheres = ?, rule_words = ?, rule_count = ? WHERE municipality_id = ? AND id = ?`,
		string(sc.Kind), dateString(sc.From), dateString(sc.To), string(sc.Every), sc.Text, ms.ScheduleManual,
		joinList(r.Kinds), joinList(r.Spheres), joinList(r.Words), r.Count, munID, ms.ID)
	if err != nil {
		return fmt.Errorf("update measure %d: %w", ms.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("measure %d: %w", ms.ID, db.ErrNotFound)
	}
	return s.touch(ctx, tx, ms.RoadmapID)
}

func (s *Store) touch(ctx context.Context, tx *db.Tx, roadmapID int64) error {
	if _, err := tx.Exec(ctx, `UPDATE roadmaps SET updated_at = ? WHERE id = ?`, s.DB.Now(), roadmapID); err != nil {
		return fmt.Errorf("touch roadmap %d: %w", roadmapID, err)
	}
	return nil
}

// UnitMapping is one unit name of a roadmap and the department it maps to.
type UnitMapping struct {
	Name         string
	DepartmentID int64
	Measures     int
}

// UnitMappings lists the distinct unit names of a roadmap with their
// departments; a name mapped differently in different measures shows the
// mapping most of its measures have.
func (s *Store) UnitMappings(ctx context.Context, munID, roadmapID int64) ([]UnitMapping, error) {
	rows, err := s.DB.Query(ctx, `SELECT u.name, COALESCE(u.department_id, 0), COUNT(*) FROM roadmap_units u JOIN roadmap_measures m ON m.id = u.measure_id
		WHERE m.municipality_id = ? AND m.roadmap_id = ? GROUP BY u.name, u.department_id ORDER BY u.name, COUNT(*) DESC`, munID, roadmapID)
	if err != nil {
		return nil, fmt.Errorf("list unit mappings: %w", err)
	}
	defer rows.Close()
	var out []UnitMapping
	for rows.Next() {
		var u UnitMapping
		if err := rows.Scan(&u.Name, &u.DepartmentID, &u.Measures); err != nil {
			return nil, fmt.Errorf("scan unit mapping: %w", err)
		}
		if n := len(out); n > 0 && out[n-1].Name == u.Name {
			out[n-1].Measures += u.Measures
			continue
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// MapUnit maps every unit of the roadmap with the name to a department (0: none).
func (s *Store) MapUnit(ctx context.Context, tx *db.Tx, munID, roadmapID int64, name string, deptID int64) error {
	var dept any
	if deptID != 0 {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM departments WHERE municipality_id = ? AND id = ?`, munID, deptID).Scan(&n); err != nil {
			return fmt.Errorf("check department: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("department %d: %w", deptID, db.ErrNotFound)
		}
		dept = deptID
	}
	_, err := tx.Exec(ctx, `UPDATE roadmap_units SET department_id = ? WHERE name = ? AND measure_id IN (SELECT id FROM roadmap_measures WHERE municipality_id = ? AND roadmap_id = ?)`,
		dept, name, munID, roadmapID)
	if err != nil {
		return fmt.Errorf("map unit %q: %w", name, err)
	}
	return nil
}

// AddLink stores a link as evidence of a measure.
func (s *Store) AddLink(ctx context.Context, tx *db.Tx, munID, accountID int64, l *Link) error {
	var acc any
	if accountID != 0 {
		acc = accountID
	}
	l.CreatedAt = s.DB.Now()
	id, err := db.InsertID(ctx, tx, `INSERT INTO roadmap_links (municipality_id, measure_id, title, url, done_on, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		munID, l.MeasureID, l.Title, l.URL, dateString(l.DoneOn), acc, l.CreatedAt)
	if err != nil {
		return fmt.Errorf("add link: %w", err)
	}
	l.ID = id
	return nil
}

// Link returns one link of a municipality.
func (s *Store) Link(ctx context.Context, q db.Querier, munID, id int64) (Link, error) {
	var l Link
	var on string
	err := q.QueryRow(ctx, `SELECT id, measure_id, title, url, done_on, created_at FROM roadmap_links WHERE municipality_id = ? AND id = ?`, munID, id).
		Scan(&l.ID, &l.MeasureID, &l.Title, &l.URL, &on, &l.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return l, fmt.Errorf("link %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return l, fmt.Errorf("get link %d: %w", id, err)
	}
	l.DoneOn = parseDate(on)
	return l, nil
}

// DeleteLink removes a link.
func (s *Store) DeleteLink(ctx context.Context, tx *db.Tx, munID, id int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM roadmap_links WHERE municipality_id = ? AND id = ?`, munID, id); err != nil {
		return fmt.Errorf("delete link %d: %w", id, err)
	}
	return nil
}

// ReminderSent reports whether the reminder for a measure's due date went out.
func (s *Store) ReminderSent(ctx context.Context, q db.Querier, measureID int64, due time.Time) (bool, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM roadmap_reminders WHERE measure_id = ? AND due_on = ?`, measureID, dateString(due)).Scan(&n); err != nil {
		return false, fmt.Errorf("check reminder: %w", err)
	}
	return n > 0, nil
}

// MarkReminder records that the reminder for a measure's due date went out.
func (s *Store) MarkReminder(ctx context.Context, tx *db.Tx, measureID int64, due time.Time) error {
	if _, err := tx.Exec(ctx, `INSERT INTO roadmap_reminders (measure_id, due_on, sent_at) VALUES (?, ?, ?)`, measureID, dateString(due), s.DB.Now()); err != nil {
		return fmt.Errorf("mark reminder: %w", err)
	}
	return nil
}
