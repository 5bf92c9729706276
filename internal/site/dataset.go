package site

import (
	"context"
	"fmt"
	"time"

	"github.com/glasnost/glasnost/internal/portal"
)

// datasets are the open datasets generated from the site: the catalogue of
// information on the administration's activity that Federal Law 8-FZ
// requires, each item with its update rule and dates.
func (a *Area) datasets() []portal.DatasetSource {
	return []portal.DatasetSource{{
		Code:        "information_catalogue",
		Title:       "Перечень информации о деятельности администрации (8-ФЗ)",
		Description: "Перечень информации о деятельности органа местного самоуправления, размещаемой на официальном сайте по статье 13 Федерального закона № 8-ФЗ: пункт закона, ответственное подразделение, периодичность обновления и даты последнего обновления.",
		Keywords:    []string{"8-ФЗ", "перечень информации", "официальный сайт", "открытость"},
		Department:  "affairs",
		Every:       24 * time.Hour,
		Structure: []portal.DatasetField{
			{Name: "code", Description: "Пункт статьи 13 части 1 8-ФЗ", Format: "string"},
			{Name: "category", Description: "Группа сведений", Format: "string"},
			{Name: "title", Description: "Наименование сведений", Format: "string"},
			{Name: "department", Description: "Ответственное подразделение", Format: "string"},
			{Name: "update_rule", Description: "Периодичность обновления", Format: "string"},
			{Name: "updated", Description: "Дата последнего обновления на сайте", Format: "date"},
			{Name: "changed", Description: "Дата последнего изменения сведений", Format: "date"},
			{Name: "url", Description: "Адрес перечня на портале", Format: "string"},
		},
		Rows: a.datasetRows,
	}}
}

func (a *Area) datasetRows(ctx context.Context, munID int64) ([][]string, error) {
	rows, err := a.DB.Query(ctx, `SELECT i.id, i.code, i.category, i.title, COALESCE(d.name, ''), i.rule, i.rule_days, i.updated_on, i.changed_on FROM site_catalogue_items i LEFT JOIN departments d ON d.id = i.department_id WHERE i.municipality_id = ? ORDER BY i.position, i.id`, munID)
	if err != nil {
		return nil, fmt.Errorf("catalogue dataset: %w", err)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		var id int64
		var days int
		var code, cat, title, dept, rule, updated, changed string
		if err := rows.Scan(&id, &code, &cat, &title, &dept, &rule, &days, &updated, &changed); err != nil {
			return nil, fmt.Errorf("catalogue dataset: %w", err)
		}
		out = append(out, []string{code, CategoryTitle(cat), title, dept, RuleText(rule, days), updated, changed,
			a.BaseURL + "/catalogue"})
	}
	return out, rows.Err()
}
