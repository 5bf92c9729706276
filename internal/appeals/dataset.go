package appeals

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/glasnost/glasnost/internal/portal"
)

// datasets are the open datasets generated from the appeals: the quarterly
// statistics by topic and result. Aggregates only: the query reads no
// column that identifies an appellant or holds a text (names, addresses,
// e-mails, phones, bodies, answers), and every row is a count.
func (a *Area) datasets() []portal.DatasetSource {
	return []portal.DatasetSource{{
		Code:        "appeals_statistics",
		Title:       "Статистика обращений граждан по кварталам",
		Description: "Число обращений граждан, зарегистрированных в администрации за каждый завершённый квартал, по разделам тематического классификатора и результатам рассмотрения. Только итоговые числа, без персональных данных.",
		Keywords:    []string{"обращения граждан", "статистика", "59-ФЗ", "тематический классификатор"},
		Department:  "appeals",
		Every:       24 * time.Hour,
		Structure:   appealsFields,
		Rows:        a.datasetRows,
	}}
}

var appealsFields = []portal.DatasetField{
	{Name: "year", Description: "Год", Format: "integer"},
	{Name: "quarter", Description: "Квартал", Format: "integer"},
	{Name: "section_code", Description: "Код раздела типового общероссийского тематического классификатора", Format: "string"},
	{Name: "section", Description: "Раздел классификатора", Format: "string"},
	{Name: "result", Description: "Результат рассмотрения", Format: "string"},
	{Name: "count", Description: "Число обращений", Format: "integer"},
}

// datasetRows counts the appeals of finished quarters by month, section
// and result, and sums the months into quarters.
func (a *Area) datasetRows(ctx context.Context, munID int64) ([][]string, error) {
	now := a.DB.Now()
	qStart := time.Date(now.Year(), time.Month((int(now.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
	rows, err := a.DB.Query(ctx, `SELECT SUBSTR(a.registered_on, 1, 7), a.section_code, COALESCE(t.title, ''), a.result, COUNT(*)
 FROM appeals a LEFT JOIN appeal_topics t ON t.municipality_id = a.municipality_id AND t.code = a.section_code
 WHERE a.municipality_id = ? AND a.registered_on < ?
 GROUP BY SUBSTR(a.registered_on, 1, 7), a.section_code, t.title, a.result
 ORDER BY 1, 2, 4`, munID, qStart)
	if err != nil {
		return nil, fmt.Errorf("appeals dataset: %w", err)
	}
	defer rows.Close()
	type key struct{ year, quarter, code, section, result string }
	counts := map[key]int{}
	var order []key
	for rows.Next() {
		var month, code, section, result string
		var n int
		if err := rows.Scan(&month, &code, &section, &result, &n); err != nil {
			return nil, fmt.Errorf("appeals dataset: %w", err)
		}
		if len(month) != 7 {
			continue
		}
		m, _ := strconv.Atoi(month[5:])
		label := "На рассмотрении"
		if result != "" {
			label = ResultLabel(result)
		}
		if code == "" {
			section = "Не указан"
		}
		k := key{month[:4], strconv.Itoa((m-1)/3 + 1), code, section, label}
		if _, ok := counts[k]; !ok {
			order = append(order, k)
		}
		counts[k] += n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(order, func(i, j int) bool {
		x, y := order[i], order[j]
		if x.year != y.year || x.quarter != y.quarter {
			return x.year+x.quarter < y.year+y.quarter
		}
		if x.code != y.code {
			return x.code < y.code
		}
		return x.result < y.result
	})
	out := make([][]string, 0, len(order))
	for _, k := range order {
		out = append(out, []string{k.year, k.quarter, k.code, k.section, k.result, strconv.Itoa(counts[k])})
	}
	return out, nil
}
