package acts

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/glasnost/glasnost/internal/portal"
)

// datasets are the open datasets generated from the register: the
// published municipal legal acts and the reviews of law-enforcement
// practice.
func (a *Area) datasets() []portal.DatasetSource {
	return []portal.DatasetSource{{
		Code:        "legal_acts",
		Title:       "Реестр муниципальных правовых актов",
		Description: "Опубликованные муниципальные правовые акты администрации: вид, номер, дата, наименование, статус и ссылка на текст.",
		Keywords:    []string{"правовые акты", "постановления", "распоряжения", "реестр"},
		Department:  "legal",
		Every:       24 * time.Hour,
		Structure: []portal.DatasetField{
			{Name: "id", Description: "Номер записи в реестре портала", Format: "integer"},
			{Name: "kind", Description: "Вид акта", Format: "string"},
			{Name: "number", Description: "Номер акта", Format: "string"},
			{Name: "date", Description: "Дата подписания", Format: "date"},
			{Name: "title", Description: "Наименование акта", Format: "string"},
			{Name: "status", Description: "Статус (действует, утратил силу и т. п.)", Format: "string"},
			{Name: "department", Description: "Подразделение-разработчик", Format: "string"},
			{Name: "published", Description: "Дата публикации на портале", Format: "date"},
			{Name: "url", Description: "Адрес акта на портале", Format: "string"},
		},
		Rows: a.datasetRows,
	}, {
		Code:        "practice_reviews",
		Title:       "Обзоры правоприменительной практики",
		Description: "Опубликованные обзоры правоприменительной практики по итогам рассмотрения вступивших в силу решений судов: период, подразделение, число рассмотренных актов и ссылка на обзор.",
		Keywords:    []string{"правоприменительная практика", "обзоры", "судебные решения", "антикоррупция"},
		Department:  "legal",
		Every:       24 * time.Hour,
		Structure: []portal.DatasetField{
			{Name: "id", Description: "Номер обзора на портале", Format: "integer"},
			{Name: "title", Description: "Наименование обзора", Format: "string"},
			{Name: "period_from", Description: "Начало периода", Format: "date"},
			{Name: "period_to", Description: "Окончание периода", Format: "date"},
			{Name: "department", Description: "Подразделение", Format: "string"},
			{Name: "acts", Description: "Число связанных правовых актов", Format: "integer"},
			{Name: "published", Description: "Дата публикации", Format: "date"},
			{Name: "url", Description: "Адрес обзора на портале", Format: "string"},
		},
		Rows: a.reviewRows,
	}}
}

func (a *Area) reviewRows(ctx context.Context, munID int64) ([][]string, error) {
	rows, err := a.DB.Query(ctx, `SELECT r.id, r.title, r.period_from, r.period_to, COALESCE(d.name, ''), COALESCE(n.acts, 0), r.published_at FROM practice_reviews r LEFT JOIN departments d ON d.id = r.department_id LEFT JOIN (SELECT review_id, COUNT(*) AS acts FROM practice_review_acts GROUP BY review_id) n ON n.review_id = r.id WHERE r.municipality_id = ? AND r.published = ? ORDER BY r.period_to, r.id`, munID, true)
	if err != nil {
		return nil, fmt.Errorf("reviews dataset: %w", err)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		var id, acts int64
		var title, from, to, dept string
		var pub sql.NullTime
		if err := rows.Scan(&id, &title, &from, &to, &dept, &acts, &pub); err != nil {
			return nil, fmt.Errorf("reviews dataset: %w", err)
		}
		published := ""
		if pub.Valid {
			published = pub.Time.UTC().Format("2006-01-02")
		}
		out = append(out, []string{strconv.FormatInt(id, 10), title, from, to, dept, strconv.FormatInt(acts, 10), published,
			a.BaseURL + "/practice-reviews/" + strconv.FormatInt(id, 10)})
	}
	return out, rows.Err()
}

func (a *Area) datasetRows(ctx context.Context, munID int64) ([][]string, error) {
	rows, err := a.DB.Query(ctx, `SELECT a.id, a.kind, a.number, a.act_date, a.title, a.status, COALESCE(d.name, ''), a.published_at FROM acts a LEFT JOIN departments d ON d.id = a.department_id WHERE a.municipality_id = ? AND a.published = ? ORDER BY a.act_date, a.id`, munID, true)
	if err != nil {
		return nil, fmt.Errorf("acts dataset: %w", err)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		var id int64
		var kind, number, date, title, status, dept string
		var pub sql.NullTime
		if err := rows.Scan(&id, &kind, &number, &date, &title, &status, &dept, &pub); err != nil {
			return nil, fmt.Errorf("acts dataset: %w", err)
		}
		published := ""
		if pub.Valid {
			published = pub.Time.UTC().Format("2006-01-02")
		}
		out = append(out, []string{strconv.FormatInt(id, 10), KindLabel(kind), number, date, title, StatusLabel(status), dept, published,
			a.BaseURL + "/acts/" + strconv.FormatInt(id, 10)})
	}
	return out, rows.Err()
}
