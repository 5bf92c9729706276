package appeals

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
)

// Row is one line of a report dimension: a value, its count in the period
// and in the previous period of the same length.
type Row struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Count int    `json:"count"`
	Prev  int    `json:"prev"`
}

// Change is the difference from the previous period.
func (r Row) Change() int { return r.Count - r.Prev }

// ChangeText writes the change with its sign, so that it does not depend on
// colour.
func (r Row) ChangeText() string { return signed(r.Count - r.Prev) }

func signed(n int) string {
	switch {
	case n > 0:
		return "+" + strconv.Itoa(n)
	case n < 0:
		return "−" + strconv.Itoa(-n)
	}
	return "0"
}

// Report is the analytical report on appeals for a period (measure 9.2).
// It holds aggregates only: no name, address, text or number of an appeal.
type Report struct {
	From         deadline.Date `json:"from"`
	To           deadline.Date `json:"to"` // inclusive
	PrevFrom     deadline.Date `json:"prev_from"`
	PrevTo       deadline.Date `json:"prev_to"`
	Total        int           `json:"total"`
	PrevTotal    int           `json:"prev_total"`
	Answered     int           `json:"answered"`
	AnsweredLate int           `json:"answered_late"`
	Pending      int           `json:"pending"`
	Overdue      int           `json:"overdue"`
	Collective   int           `json:"collective"`
	Repeated     int           `json:"repeated"`
	ByChannel    []Row         `json:"by_channel"`
	ByKind       []Row         `json:"by_kind"`
	BySection    []Row         `json:"by_section"`
	ByTopic      []Row         `json:"by_topic"`
	ByDepartment []Row         `json:"by_department"`
	ByResult     []Row         `json:"by_result"`
	MadeAt       time.Time     `json:"made_at"`

	// The Decree No. 171 breakdowns: the classifier's subject (2nd level)
	// and question (4th level, the one the ССТУ counts), the source
	// (directly from the citizen or forwarded by another body), and the
	// personal receptions of the period (counts only).
	BySubject  []Row         `json:"by_subject"`
	ByQuestion []Row         `json:"by_question"`
	BySource   []Row         `json:"by_source"`
	Receptions ReceptionSums `json:"receptions"`
	// ReceptionsCounted tells a report made with the receptions from one
	// stored before they were counted, whose zeros would be untrue.
	ReceptionsCounted bool `json:"receptions_counted"`
}

// TotalChange is the change of the total from the previous period.
func (r Report) TotalChange() string { return signed(r.Total - r.PrevTotal) }

// Dimension is a titled list of rows, for templates and exports.
type Dimension struct {
	ID    string
	Title string
	Rows  []Row
}

// Dimensions lists the report's breakdowns in the order they are shown.
func (r Report) Dimensions() []Dimension {
	return []Dimension{
		{"channel", "По форме поступления", r.ByChannel},
		{"kind", "По типу обращения", r.ByKind},
		{"source", "По источнику поступления", r.BySource},
		{"section", "По разделам типового общероссийского тематического классификатора", r.BySection},
		{"subject", "По тематикам классификатора", r.BySubject},
		{"topic", "По темам классификатора", r.ByTopic},
		{"question", "По вопросам классификатора", r.ByQuestion},
		{"department", "По подразделениям-исполнителям", r.ByDepartment},
		{"result", "По результатам рассмотрения", r.ByResult},
	}
}

// QuarterOf returns the quarter that d falls in.
func QuarterOf(d deadline.Date) (deadline.Date, deadline.Date) {
	q := (int(d.Month) - 1) / 3
	from := deadline.NewDate(d.Year, time.Month(q*3+1), 1)
	return from, deadline.NewDate(d.Year, time.Month(q*3+4), 1).AddDays(-1)
}

// PreviousQuarter returns the quarter before the one d falls in.
func PreviousQuarter(d deadline.Date) (deadline.Date, deadline.Date) {
	from, _ := QuarterOf(d)
	return QuarterOf(from.AddDays(-1))
}

// PeriodTitle names a period: "I квартал 2026 года" for a quarter, dates
// otherwise.
func PeriodTitle(from, to deadline.Date) string {
	qf, qt := QuarterOf(from)
	if qf == from && qt == to {
		return [...]string{"I", "II", "III", "IV"}[(int(from.Month)-1)/3] + " квартал " + strconv.Itoa(from.Year) + " года"
	}
	return "период с " + from.Russian() + " по " + to.Russian()
}

// previousPeriod is the period of the same length just before [from, to].
func previousPeriod(from, to deadline.Date) (deadline.Date, deadline.Date) {
	qf, qt := QuarterOf(from)
	if qf == from && qt == to {
		return PreviousQuarter(from)
	}
	days := 0
	for d := from; !d.After(to); d = d.AddDays(1) {
		days++
	}
	return from.AddDays(-days), from.AddDays(-1)
}

// ErrPeriod is returned for an empty or inverted period.
var ErrPeriod = errors.New("период отчёта задан неверно: дата начала позже даты окончания")

// dimensionQuery is the grouped aggregate of one breakdown: key, label and
// the counts in the current and previous periods, in one pass over the
// registration-date index range of both.
type dimensionQuery struct {
	key, label, join string
}

var dimensionQueries = map[string]dimensionQuery{
	"channel":    {key: "a.channel"},
	"kind":       {key: "a.kind"},
	"section":    {key: "a.section_code", label: "t.title", join: " LEFT JOIN appeal_topics t ON t.municipality_id = ? AND t.code = g.k"},
	"topic":      {key: "a.topic_code", label: "t.title", join: " LEFT JOIN appeal_topics t ON t.municipality_id = ? AND t.code = g.k"},
	"department": {key: "COALESCE(a.department_id, 0)", label: "d.name", join: " LEFT JOIN departments d ON d.id = g.k AND d.municipality_id = ?"},
	"result":     {key: "CASE WHEN a.status = 'returned' THEN 'returned' ELSE a.result END"},
	"subject":    {key: "SUBSTR(a.topic_code, 1, 9)", label: "t.title", join: " LEFT JOIN appeal_topics t ON t.municipality_id = ? AND t.code = g.k"},
	"question":   {key: "CASE WHEN LENGTH(a.question_code) >= 19 THEN SUBSTR(a.question_code, 1, 19) ELSE '' END", label: "t.title", join: " LEFT JOIN appeal_topics t ON t.municipality_id = ? AND t.code = g.k"},
	"source":     {key: "CASE WHEN a.received_from = '' THEN 'direct' ELSE 'forwarded' END"},
}

// DimensionSQL returns the SQL of one breakdown. It reads only the covering
// index over both periods, groups by the key and by whether the row falls
// in the current period (so that each group is counted with a bare
// COUNT(*)), and joins the few groups to their labels. Each key comes back
// in at most two rows, one per period, which the caller folds. Its
// arguments are DimensionArgs. Exposed so that the benchmark can time the
// bare query.
func DimensionSQL(name string) string {
	q := dimensionQueries[name]
	label := "''"
	if q.label != "" {
		label = "COALESCE(" + q.label + ", '')"
	}
	join := q.join
	if join == "" {
		join = " WHERE ? > 0"
	}
	return `SELECT CAST(g.k AS TEXT), ` + label + `, g.cur, g.n FROM (SELECT ` + q.key + ` AS k,
 CASE WHEN a.registered_on >= ? THEN 1 ELSE 0 END AS cur, COUNT(*) AS n
 FROM appeals a
 WHERE a.municipality_id = ? AND a.registered_on >= ? AND a.registered_on <= ?
 GROUP BY 1, 2) g` + join
}

// DimensionArgs are the arguments of DimensionSQL.
func DimensionArgs(munID int64, from, prevFrom, to deadline.Date) []any {
	return []any{from.String(), munID, prevFrom.String(), to.String(), munID}
}

// TotalsSQL is the query of the report's totals: the appeals of both
// periods grouped by the few flags the totals count, from the covering
// index; the caller folds the groups. Its arguments are TotalsArgs.
const TotalsSQL = `SELECT CASE WHEN registered_on >= ? THEN 1 ELSE 0 END, status, late, collective, repeated,
 CASE WHEN answer_by < ? THEN 1 ELSE 0 END, COUNT(*)
 FROM appeals WHERE municipality_id = ? AND registered_on >= ? AND registered_on <= ?
 GROUP BY 1, 2, 3, 4, 5, 6`

// TotalsArgs are the arguments of TotalsSQL.
func TotalsArgs(munID int64, from, to, prevFrom, today deadline.Date) []any {
	return []any{from.String(), today.String(), munID, prevFrom.String(), to.String()}
}

func (s *Store) totals(ctx context.Context, r *Report, munID int64, today deadline.Date) error {
	rows, err := s.DB.Query(ctx, TotalsSQL, TotalsArgs(munID, r.From, r.To, r.PrevFrom, today)...)
	if err != nil {
		return fmt.Errorf("report totals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cur, pastDue, n int
		var status string
		var late, collective, repeated bool
		if err := rows.Scan(&cur, &status, &late, &collective, &repeated, &pastDue, &n); err != nil {
			return fmt.Errorf("report totals: %w", err)
		}
		if cur == 0 {
			r.PrevTotal += n
			continue
		}
		r.Total += n
		st := Status(status)
		switch {
		case st == StatusAnswered:
			r.Answered += n
		case !st.Closed():
			r.Pending += n
			if pastDue == 1 {
				r.Overdue += n
			}
		}
		if late {
			r.AnsweredLate += n
		}
		if collective {
			r.Collective += n
		}
		if repeated {
			r.Repeated += n
		}
	}
	return rows.Err()
}

// MakeReport computes the report for [from, to] as of today: one grouped
// query per dimension and one for the totals.
func (s *Store) MakeReport(ctx context.Context, munID int64, from, to, today deadline.Date) (Report, error) {
	if to.Before(from) {
		return Report{}, ErrPeriod
	}
	r := Report{From: from, To: to, MadeAt: s.DB.Now()}
	r.PrevFrom, r.PrevTo = previousPeriod(from, to)
	if err := s.totals(ctx, &r, munID, today); err != nil {
		return r, err
	}
	dims := []struct {
		name string
		dst  *[]Row
		opts []Option
	}{
		{"channel", &r.ByChannel, Channels},
		{"kind", &r.ByKind, Kinds},
		{"section", &r.BySection, nil},
		{"topic", &r.ByTopic, nil},
		{"department", &r.ByDepartment, nil},
		{"result", &r.ByResult, Results},
		{"subject", &r.BySubject, nil},
		{"question", &r.ByQuestion, nil},
		{"source", &r.BySource, Sources},
	}
	for _, d := range dims {
		rows, err := s.dimension(ctx, d.name, munID, from, r.PrevFrom, to)
		if err != nil {
			return r, err
		}
		for i := range rows {
			switch {
			case d.opts != nil:
				rows[i].Label = label(d.opts, rows[i].Key)
				if d.name == "result" && rows[i].Key == "" {
					rows[i].Label = "На рассмотрении"
				}
			case rows[i].Key == "" || rows[i].Key == "0":
				rows[i].Label = "Не указано"
			case rows[i].Label == "":
				rows[i].Label = rows[i].Key
			case d.name == "section" || d.name == "topic" || d.name == "subject" || d.name == "question":
				rows[i].Label = rows[i].Key + " " + rows[i].Label
			}
		}
		sortRows(rows)
		*d.dst = rows
	}
	var err error
	if r.Receptions, err = s.receptionSums(ctx, munID, from, to, r.PrevFrom); err != nil {
		return r, err
	}
	r.ReceptionsCounted = true
	return r, nil
}

func (s *Store) dimension(ctx context.Context, name string, munID int64, from, prevFrom, to deadline.Date) ([]Row, error) {
	rows, err := s.DB.Query(ctx, DimensionSQL(name), DimensionArgs(munID, from, prevFrom, to)...)
	if err != nil {
		return nil, fmt.Errorf("report by %s: %w", name, err)
	}
	defer rows.Close()
	var out []Row
	at := map[string]int{}
	for rows.Next() {
		var key, lbl string
		var cur, n int
		if err := rows.Scan(&key, &lbl, &cur, &n); err != nil {
			return nil, fmt.Errorf("report by %s: %w", name, err)
		}
		i, ok := at[key]
		if !ok {
			i = len(out)
			at[key] = i
			out = append(out, Row{Key: key, Label: lbl})
		}
		if cur == 1 {
			out[i].Count += n
		} else {
			out[i].Prev += n
		}
	}
	return out, rows.Err()
}

// sortRows orders by count, largest first, then by label.
func sortRows(rows []Row) {
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && (rows[j].Count > rows[j-1].Count || (rows[j].Count == rows[j-1].Count && rows[j].Label < rows[j-1].Label)); j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
}

// BarChart draws a dimension as a horizontal bar chart in SVG. The chart is
// an image with a title and a description; the table beside it on the page
// is its full text alternative. Values are written next to the bars, so that
// nothing is told by colour or length alone.
func BarChart(id, title string, rows []Row) template.HTML {
	const width, labelW, barMax, rowH = 720, 300, 330, 26
	max := 0
	for _, r := range rows {
		if r.Count > max {
			max = r.Count
		}
	}
	n := len(rows)
	if n > 15 {
		n = 15
	}
	h := rowH*n + 10
	var desc []string
	for _, r := range rows[:n] {
		desc = append(desc, r.Label+": "+strconv.Itoa(r.Count))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-title %s-desc">`, width, h, id, id)
	fmt.Fprintf(&b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, html.EscapeString(title), id, html.EscapeString(strings.Join(desc, "; ")))
	for i, r := range rows[:n] {
		y := 5 + i*rowH
		w := 0
		if max > 0 {
			w = r.Count * barMax / max
		}
		lbl := []rune(r.Label)
		if len(lbl) > 42 {
			lbl = append(lbl[:41], '…')
		}
		fmt.Fprintf(&b, `<text x="0" y="%d" class="chart-label">%s</text>`, y+17, html.EscapeString(string(lbl)))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="18" class="chart-bar"></rect>`, labelW, y+3, w)
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="chart-value">%d</text>`, labelW+w+6, y+17, r.Count)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text inside is escaped above
}

// Report statuses.
const (
	ReportDraft     = "draft"
	ReportPublished = "published"
)

// StoredReport is a made report, a draft or published.
type StoredReport struct {
	ID          int64
	From, To    deadline.Date
	Title       string
	Status      string
	Data        Report
	CreatedAt   time.Time
	PublishedAt time.Time
	// Narrative is the staff's text: conclusions and measures taken (8-FZ
	// art. 13 p. 1 item 9). Read by ReportByID only.
	Narrative string
}

// Published reports whether the report is on the site.
func (s StoredReport) Published() bool { return s.Status == ReportPublished }

// SaveReport stores a made report as a draft, replacing an earlier draft
// for the same period. A published report is not replaced: what the site
// showed stays as it was.
func (s *Store) SaveReport(ctx context.Context, tx *db.Tx, munID int64, r Report) (StoredReport, error) {
	data, err := json.Marshal(r)
	if err != nil {
		return StoredReport{}, fmt.Errorf("encode report: %w", err)
	}
	title := "Анализ обращений граждан за " + PeriodTitle(r.From, r.To)
	var id int64
	var status string
	err = tx.QueryRow(ctx, `SELECT id, status FROM appeal_reports WHERE municipality_id = ? AND period_from = ? AND period_to = ?`, munID, r.From.String(), r.To.String()).Scan(&id, &status)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		id, err = db.InsertID(ctx, tx, `INSERT INTO appeal_reports (municipality_id, period_from, period_to, title, status, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			munID, r.From.String(), r.To.String(), title, ReportDraft, string(data), s.DB.Now())
		if err != nil {
			return StoredReport{}, fmt.Errorf("save report: %w", err)
		}
	case err != nil:
		return StoredReport{}, fmt.Errorf("find report: %w", err)
	case status == ReportPublished:
		return s.ReportByID(ctx, tx, munID, id)
	default:
		if _, err := tx.Exec(ctx, `UPDATE appeal_reports SET data = ?, title = ?, created_at = ? WHERE id = ?`, string(data), title, s.DB.Now(), id); err != nil {
			return StoredReport{}, fmt.Errorf("update report: %w", err)
		}
	}
	return s.ReportByID(ctx, tx, munID, id)
}

// PublishReport puts a report on the site.
// SetNarrative writes the staff's conclusions into a draft report.
func (s *Store) SetNarrative(ctx context.Context, tx *db.Tx, munID, id int64, text string) error {
	res, err := tx.Exec(ctx, `UPDATE appeal_reports SET narrative = ? WHERE municipality_id = ? AND id = ? AND status = ?`, text, munID, id, ReportDraft)
	if err != nil {
		return fmt.Errorf("save report narrative: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("draft report %d: %w", id, db.ErrNotFound)
	}
	return nil
}

func (s *Store) PublishReport(ctx context.Context, tx *db.Tx, munID, id int64) error {
	res, err := tx.Exec(ctx, `UPDATE appeal_reports SET status = ?, published_at = ? WHERE municipality_id = ? AND id = ? AND status = ?`, ReportPublished, s.DB.Now(), munID, id, ReportDraft)
	if err != nil {
		return fmt.Errorf("publish report: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("draft report %d: %w", id, db.ErrNotFound)
	}
	return nil
}

const reportColumns = `id, period_from, period_to, title, status, data, created_at, published_at`

func scanReport(row interface{ Scan(...any) error }, withData bool) (StoredReport, error) {
	var r StoredReport
	var from, to, data string
	var pub sql.NullTime
	if err := row.Scan(&r.ID, &from, &to, &r.Title, &r.Status, &data, &r.CreatedAt, &pub); err != nil {
		return r, err
	}
	r.From, r.To = dateOrZero(from), dateOrZero(to)
	if pub.Valid {
		r.PublishedAt = pub.Time
	}
	if withData {
		if err := json.Unmarshal([]byte(data), &r.Data); err != nil {
			return r, fmt.Errorf("decode report %d: %w", r.ID, err)
		}
	}
	return r, nil
}

// ReportByID reads a report.
func (s *Store) ReportByID(ctx context.Context, q db.Querier, munID, id int64) (StoredReport, error) {
	r, err := scanReport(q.QueryRow(ctx, `SELECT `+reportColumns+` FROM appeal_reports WHERE municipality_id = ? AND id = ?`, munID, id), true)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("report %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("read report: %w", err)
	}
	if err := q.QueryRow(ctx, `SELECT narrative FROM appeal_reports WHERE municipality_id = ? AND id = ?`, munID, id).Scan(&r.Narrative); err != nil {
		return r, fmt.Errorf("read report narrative: %w", err)
	}
	return r, nil
}

// Reports lists one page of reports, newest period first, without their
// data; publishedOnly for the public list.
func (s *Store) Reports(ctx context.Context, munID int64, publishedOnly bool, limit, offset int) ([]StoredReport, int, error) {
	where := `municipality_id = ?`
	args := []any{munID}
	if publishedOnly {
		where += ` AND status = ?`
		args = append(args, ReportPublished)
	}
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM appeal_reports WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count reports: %w", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT id, period_from, period_to, title, status, '', created_at, published_at FROM appeal_reports WHERE `+where+` ORDER BY period_from DESC, id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list reports: %w", err)
	}
	defer rows.Close()
	var out []StoredReport
	for rows.Next() {
		r, err := scanReport(rows, false)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}
