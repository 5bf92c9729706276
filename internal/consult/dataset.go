package consult

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/glasnost/glasnost/internal/portal"
)

// datasets are the open datasets generated from the consultations: each
// published consultation with its period and the counts of its results.
// Comments are counted, never copied: no author reaches the dataset.
func (a *Area) datasets() []portal.DatasetSource {
	return []portal.DatasetSource{{
		Code:        "consultations",
		Title:       "Общественные обсуждения и их итоги",
		Description: "Общественные обсуждения, публичная декларация целей, антикоррупционная экспертиза и сбор предложений: сроки, число опубликованных замечаний и предложений и как они учтены.",
		Keywords:    []string{"общественные обсуждения", "проекты актов", "итоги обсуждения", "предложения"},
		Department:  "legal",
		Every:       6 * time.Hour,
		Structure: []portal.DatasetField{
			{Name: "id", Description: "Номер обсуждения на портале", Format: "integer"},
			{Name: "kind", Description: "Вид обсуждения", Format: "string"},
			{Name: "title", Description: "Наименование", Format: "string"},
			{Name: "department", Description: "Ответственное подразделение", Format: "string"},
			{Name: "stage", Description: "Текущий этап", Format: "string"},
			{Name: "start", Description: "Начало приёма замечаний и предложений", Format: "date"},
			{Name: "end", Description: "Окончание приёма замечаний и предложений", Format: "date"},
			{Name: "comments", Description: "Опубликовано замечаний и предложений", Format: "integer"},
			{Name: "accepted", Description: "Учтено", Format: "integer"},
			{Name: "partly", Description: "Учтено частично", Format: "integer"},
			{Name: "rejected", Description: "Не учтено", Format: "integer"},
			{Name: "noted", Description: "Принято к сведению", Format: "integer"},
			{Name: "results_published", Description: "Дата публикации итогов", Format: "date"},
			{Name: "url", Description: "Адрес обсуждения на портале", Format: "string"},
		},
		Rows: a.datasetRows,
	}}
}

func (a *Area) datasetRows(ctx context.Context, munID int64) ([][]string, error) {
	rows, err := a.DB.Query(ctx, `SELECT c.id, c.kind, c.title, COALESCE(d.name, ''), c.stage, COALESCE(s.starts, ''), COALESCE(s.ends, ''),
 COALESCE(n.total, 0), COALESCE(n.accepted, 0), COALESCE(n.partly, 0), COALESCE(n.rejected, 0), COALESCE(n.noted, 0), c.results_published_at
 FROM consultations c
 LEFT JOIN departments d ON d.id = c.department_id
 LEFT JOIN (SELECT consultation_id, MIN(starts_on) AS starts, MAX(ends_on) AS ends FROM consultation_stages WHERE stage IN ('proposals', 'discussion') GROUP BY consultation_id) s ON s.consultation_id = c.id
 LEFT JOIN (SELECT consultation_id, COUNT(*) AS total,
   SUM(CASE WHEN decision = 'accepted' THEN 1 ELSE 0 END) AS accepted, SUM(CASE WHEN decision = 'partly' THEN 1 ELSE 0 END) AS partly,
   SUM(CASE WHEN decision = 'rejected' THEN 1 ELSE 0 END) AS rejected, SUM(CASE WHEN decision = 'noted' THEN 1 ELSE 0 END) AS noted
   FROM consultation_comments WHERE municipality_id = ? AND status = 'published' GROUP BY consultation_id) n ON n.consultation_id = c.id
 WHERE c.municipality_id = ? AND c.published_at IS NOT NULL ORDER BY c.id`, munID, munID)
	if err != nil {
		return nil, fmt.Errorf("consultations dataset: %w", err)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		var id, total, acc, partly, rej, noted int64
		var kind, title, dept, stage, start, end string
		var results *time.Time
		if err := rows.Scan(&id, &kind, &title, &dept, &stage, &start, &end, &total, &acc, &partly, &rej, &noted, &results); err != nil {
			return nil, fmt.Errorf("consultations dataset: %w", err)
		}
		res := ""
		if results != nil {
			res = results.UTC().Format("2006-01-02")
		}
		k := Kind(kind)
		out = append(out, []string{strconv.FormatInt(id, 10), a.Procedures.Label(k), title, dept, Stage(stage).Label(k), start, end,
			strconv.FormatInt(total, 10), strconv.FormatInt(acc, 10), strconv.FormatInt(partly, 10), strconv.FormatInt(rej, 10), strconv.FormatInt(noted, 10),
			res, a.BaseURL + "/consultations/" + strconv.FormatInt(id, 10)})
	}
	return out, rows.Err()
}
