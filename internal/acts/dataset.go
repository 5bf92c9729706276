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
// published municipal legal acts.
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
	}}
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
