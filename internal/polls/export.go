package polls

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/web"
	"github.com/glasnost/glasnost/internal/xlsxdoc"
)

// ExportHeader is the header of the results table (CSV and XLSX).
var ExportHeader = []string{"Вопрос", "Строка матрицы", "Вариант ответа", "Ответов", "Процент от ответивших на вопрос"}

// ExportRows are the results as table rows; free-text answers published by
// the moderators follow, one per row, with an empty count.
func ExportRows(rs []QuestionResult) [][]string {
	var out [][]string
	for _, r := range rs {
		for _, row := range r.Rows {
			for _, o := range row.Options {
				out = append(out, []string{r.Question.Text, row.Label, o.Label, strconv.Itoa(o.Count), strconv.Itoa(o.Percent)})
			}
		}
		for _, t := range r.Texts {
			out = append(out, []string{r.Question.Text, "", t.Text, "", ""})
		}
	}
	return out
}

// exportable loads a survey whose results the viewer may see.
func (a *Area) exportable(w http.ResponseWriter, r *http.Request) (Survey, []QuestionResult, bool) {
	s, err := a.loadPublic(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return s, nil, false
	}
	if !s.ResultsVisible(a.DB.Now()) && !web.ViewerFrom(r.Context()).Has(staffRoles...) {
		a.Errors.Render(w, r, web.ErrNotFound)
		return s, nil, false
	}
	rs, err := a.Results(r.Context(), s)
	if err != nil {
		a.Errors.Render(w, r, err)
		return s, nil, false
	}
	return s, rs, true
}

func (a *Area) exportCSV(w http.ResponseWriter, r *http.Request) {
	s, rs, ok := a.exportable(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="poll-%d-results.csv"`, s.ID))
	cw := csv.NewWriter(w)
	_ = cw.Write(ExportHeader)
	_ = cw.WriteAll(ExportRows(rs))
}

func (a *Area) exportXLSX(w http.ResponseWriter, r *http.Request) {
	s, rs, ok := a.exportable(w, r)
	if !ok {
		return
	}
	m := web.Municipality(r)
	rows := ExportRows(rs)
	sheetRows := make([][]any, len(rows))
	for i, row := range rows {
		vals := make([]any, len(row))
		for j, v := range row {
			vals[j] = v
			if j >= 3 && v != "" {
				if n, err := strconv.Atoi(v); err == nil {
					vals[j] = n
				}
			}
		}
		sheetRows[i] = vals
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="poll-%d-results.xlsx"`, s.ID))
	sub := fmt.Sprintf("Ответов: %d. Период: %s — %s.", s.Responses, m.Local(s.OpensAt).Format("02.01.2006"), m.Local(s.ClosesAt.Add(-time.Second)).Format("02.01.2006"))
	if err := xlsxdoc.Write(w, xlsxdoc.Meta{Title: "Итоги опроса: " + s.Title, Author: m.Name},
		xlsxdoc.Sheet{Name: "Итоги", Title: "Итоги опроса «" + s.Title + "»", Subtitle: sub, Header: ExportHeader, Rows: sheetRows}); err != nil {
		a.Log.WarnContext(r.Context(), "poll xlsx", "err", err)
	}
}

// dataset is the open dataset of every closed survey's results.
func (a *Area) dataset() portal.DatasetSource {
	return portal.DatasetSource{
		Code:        "poll_results",
		Title:       "Итоги опросов жителей",
		Description: "Число ответов на каждый вариант каждого вопроса завершённых опросов на портале (мероприятие 2.2). Без персональных данных и без текстов свободных ответов.",
		Keywords:    []string{"опросы", "мнение жителей", "итоги"},
		Every:       24 * time.Hour,
		Structure: []portal.DatasetField{
			{Name: "survey", Description: "Опрос", Format: "string"},
			{Name: "question", Description: "Вопрос (для матрицы — с названием строки)", Format: "string"},
			{Name: "option", Description: "Вариант ответа", Format: "string"},
			{Name: "count", Description: "Число ответов", Format: "integer"},
		},
		Rows: a.datasetRows,
	}
}

func (a *Area) datasetRows(ctx context.Context, munID int64) ([][]string, error) {
	now := a.DB.Now()
	var out [][]string
	for page := 0; ; page++ {
		list, _, err := a.Store.List(ctx, munID, ListFilter{Public: true}, 100, page*100)
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return out, nil
		}
		for _, head := range list {
			if !head.Closed(now) {
				continue
			}
			s, err := a.Store.Get(ctx, a.DB, munID, head.ID)
			if err != nil {
				return nil, err
			}
			cells, answered, err := a.Store.Counts(ctx, s.ID)
			if err != nil {
				return nil, err
			}
			for _, r := range Tally(s.Questions, cells, answered) {
				for _, row := range r.Rows {
					q := r.Question.Text
					if row.Label != "" {
						q += " — " + row.Label
					}
					for _, o := range row.Options {
						out = append(out, []string{s.Title, q, o.Label, strconv.Itoa(o.Count)})
					}
				}
			}
		}
	}
}
