package council

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
)

// datasets are the open datasets of the council's work: its meetings and
// the decisions taken at them with their execution (the issue's "council
// meetings and decisions"). Both hold only what the public pages show: no
// registrations, no accounts.
func (a *Area) datasets() []portal.DatasetSource {
	return []portal.DatasetSource{{
		Code:        "council_meetings",
		Title:       "Заседания общественного совета",
		Description: "Заседания общественного совета: вид, дата и время (местное), место, открытость для жителей, число мест и записавшихся, дата публикации протокола, число принятых решений и ссылка на страницу заседания.",
		Keywords:    []string{"общественный совет", "заседания", "протоколы"},
		Department:  "affairs",
		Every:       24 * time.Hour,
		Structure: []portal.DatasetField{
			{Name: "id", Description: "Номер заседания на портале", Format: "integer"},
			{Name: "kind", Description: "Вид заседания", Format: "string"},
			{Name: "title", Description: "Тема заседания", Format: "string"},
			{Name: "date", Description: "Дата заседания", Format: "date"},
			{Name: "time", Description: "Время начала (местное, ЧЧ:ММ)", Format: "string"},
			{Name: "place", Description: "Место проведения", Format: "string"},
			{Name: "open", Description: "Открыто для жителей", Format: "boolean"},
			{Name: "capacity", Description: "Число мест для жителей", Format: "integer"},
			{Name: "registered", Description: "Записалось жителей", Format: "integer"},
			{Name: "minutes_published", Description: "Дата публикации протокола", Format: "date"},
			{Name: "decisions", Description: "Число принятых решений", Format: "integer"},
			{Name: "url", Description: "Адрес страницы заседания", Format: "string"},
		},
		Rows: a.meetingRows,
	}, {
		Code:        "council_decisions",
		Title:       "Решения общественного совета и их исполнение",
		Description: "Решения, принятые на заседаниях общественного совета: заседание, текст решения, ответственное подразделение, срок и состояние исполнения.",
		Keywords:    []string{"общественный совет", "решения", "исполнение"},
		Department:  "affairs",
		Every:       24 * time.Hour,
		Structure: []portal.DatasetField{
			{Name: "id", Description: "Номер решения на портале", Format: "integer"},
			{Name: "meeting_id", Description: "Номер заседания", Format: "integer"},
			{Name: "meeting_date", Description: "Дата заседания", Format: "date"},
			{Name: "meeting_title", Description: "Тема заседания", Format: "string"},
			{Name: "text", Description: "Текст решения", Format: "string"},
			{Name: "department", Description: "Ответственное подразделение", Format: "string"},
			{Name: "due_date", Description: "Срок исполнения", Format: "date"},
			{Name: "status", Description: "Состояние исполнения", Format: "string"},
			{Name: "url", Description: "Адрес страницы заседания", Format: "string"},
		},
		Rows: a.decisionRows,
	}}
}

// municipality finds the municipality a dataset is generated for, for its
// time zone: meetings are stored in UTC and published in local time.
func (a *Area) municipality(ctx context.Context, munID int64) (tenant.Municipality, error) {
	all, err := a.Tenants.All(ctx)
	if err != nil {
		return tenant.Municipality{}, fmt.Errorf("council dataset: %w", err)
	}
	for _, m := range all {
		if m.ID == munID {
			return m, nil
		}
	}
	return tenant.Municipality{}, fmt.Errorf("council dataset: no municipality %d", munID)
}

func (a *Area) meetingRows(ctx context.Context, munID int64) ([][]string, error) {
	m, err := a.municipality(ctx, munID)
	if err != nil {
		return nil, err
	}
	rows, err := a.DB.Query(ctx, `SELECT `+meetingCols+`, COALESCE(n.decisions, 0) FROM council_meetings
		LEFT JOIN (SELECT meeting_id, COUNT(*) AS decisions FROM council_decisions GROUP BY meeting_id) n ON n.meeting_id = council_meetings.id
		WHERE municipality_id = ? ORDER BY starts_at, id`, munID)
	if err != nil {
		return nil, fmt.Errorf("council meetings dataset: %w", err)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		var decisions int64
		mt, err := scanMeeting(rows, &decisions)
		if err != nil {
			return nil, fmt.Errorf("council meetings dataset: %w", err)
		}
		local := m.Local(mt.StartsAt)
		minutes := ""
		if !mt.MinutesAt.IsZero() {
			minutes = m.Local(mt.MinutesAt).Format("2006-01-02")
		}
		out = append(out, []string{strconv.FormatInt(mt.ID, 10), KindLabel(mt.Kind), mt.Title, local.Format("2006-01-02"), local.Format("15:04"),
			mt.Place, strconv.FormatBool(mt.Open), strconv.Itoa(mt.Capacity), strconv.Itoa(mt.Registered), minutes,
			strconv.FormatInt(decisions, 10), a.BaseURL + mt.Path()})
	}
	return out, rows.Err()
}

func (a *Area) decisionRows(ctx context.Context, munID int64) ([][]string, error) {
	m, err := a.municipality(ctx, munID)
	if err != nil {
		return nil, err
	}
	rows, err := a.DB.Query(ctx, `SELECT d.id, d.meeting_id, m.starts_at, m.title, d.text, COALESCE(dp.name, ''), d.due_date, d.status
		FROM council_decisions d JOIN council_meetings m ON m.id = d.meeting_id LEFT JOIN departments dp ON dp.id = d.department_id
		WHERE d.municipality_id = ? ORDER BY m.starts_at, d.id`, munID)
	if err != nil {
		return nil, fmt.Errorf("council decisions dataset: %w", err)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		var id, meetingID int64
		var starts time.Time
		var title, text, dept, due, status string
		if err := rows.Scan(&id, &meetingID, &starts, &title, &text, &dept, &due, &status); err != nil {
			return nil, fmt.Errorf("council decisions dataset: %w", err)
		}
		out = append(out, []string{strconv.FormatInt(id, 10), strconv.FormatInt(meetingID, 10), m.Local(starts).Format("2006-01-02"), title, text, dept, due,
			StatusLabel(status), a.BaseURL + Meeting{ID: meetingID}.Path()})
	}
	return out, rows.Err()
}
