package council

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

	"github.com/glasnost/glasnost/internal/pdfdoc"
	"github.com/glasnost/glasnost/internal/web"
	"github.com/glasnost/glasnost/internal/xlsxdoc"
)

func (a *Area) planYear(w http.ResponseWriter, r *http.Request) (Plan, bool) {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		a.Errors.Render(w, r, web.ErrNotFound)
		return Plan{}, false
	}
	p, err := a.Store.PlanFor(r.Context(), web.Municipality(r).ID, year)
	if err != nil {
		a.Errors.Render(w, r, err)
		return p, false
	}
	return p, true
}

func planRows(p Plan) [][]any {
	var rows [][]any
	for _, it := range p.Items {
		rows = append(rows, []any{it.Quarter, it.Title, it.Member, StatusLabel(it.Status), it.Reason, it.Link})
	}
	return rows
}

func planSubtitle(p Plan) string {
	if p.ActNumber == "" {
		return "План не утверждён"
	}
	return fmt.Sprintf("Утверждён актом № %s от %s", p.ActNumber, p.ActDate)
}

var planHeader = []string{"Квартал", "Мероприятие", "Ответственный", "Состояние", "Причина", "Ссылка"}

func (a *Area) planXLSX(w http.ResponseWriter, r *http.Request) {
	p, ok := a.planYear(w, r)
	if !ok {
		return
	}
	m := web.Municipality(r)
	title := fmt.Sprintf("План работы общественного совета на %d год", p.Year)
	var buf bytes.Buffer
	if err := xlsxdoc.Write(&buf, xlsxdoc.Meta{Title: title, Author: m.Name}, xlsxdoc.Sheet{Name: "План", Title: title, Subtitle: planSubtitle(p), Header: planHeader, Rows: planRows(p)}); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="council-plan-%d.xlsx"`, p.Year))
	_, _ = w.Write(buf.Bytes())
}

// tablePDF writes a titled table as a PDF.
func (a *Area) tablePDF(w http.ResponseWriter, r *http.Request, name, title, subtitle string, header []string, widths []float64, rows [][]any) {
	m := web.Municipality(r)
	pdf := pdfdoc.New("L", pdfdoc.Meta{Title: title, Author: m.Name})
	pdf.AddPage()
	pdf.SetFont(pdfdoc.Font, "B", 14)
	pdf.MultiCell(0, 7, title, "", "L", false)
	pdf.SetFont(pdfdoc.Font, "", 10)
	pdf.MultiCell(0, 6, m.Name+". "+subtitle, "", "L", false)
	pdf.Ln(2)
	pdf.SetFont(pdfdoc.Font, "B", 9)
	for i, h := range header {
		pdf.CellFormat(widths[i], 7, h, "1", 0, "L", false, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont(pdfdoc.Font, "", 9)
	for _, row := range rows {
		for i, v := range row {
			s := fmt.Sprint(v)
			if lim := int(widths[i] / 1.9); len([]rune(s)) > lim {
				s = string([]rune(s)[:lim-1]) + "…"
			}
			pdf.CellFormat(widths[i], 7, s, "1", 0, "L", false, 0, "")
		}
		pdf.Ln(-1)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, _ = w.Write(buf.Bytes())
}

func (a *Area) planPDF(w http.ResponseWriter, r *http.Request) {
	p, ok := a.planYear(w, r)
	if !ok {
		return
	}
	a.tablePDF(w, r, fmt.Sprintf("council-plan-%d.pdf", p.Year), fmt.Sprintf("План работы общественного совета на %d год", p.Year), planSubtitle(p),
		planHeader, []float64{20, 100, 50, 30, 40, 37}, planRows(p))
}

func (a *Area) evaluationTable(w http.ResponseWriter, r *http.Request) (Run, []any, [][]any, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return Run{}, nil, nil, false
	}
	data, err := a.evaluationData(r, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return Run{}, nil, nil, false
	}
	run := data["Run"].(Run)
	prev := data["PrevAvg"].(map[int64]int)
	var rows [][]any
	for _, x := range data["Results"].([]Result) {
		p := ""
		if v, ok := prev[x.CriterionID]; ok {
			p = fmt.Sprintf("%.2f", float64(v)/100)
		}
		rows = append(rows, []any{x.Title, x.Weight, fmt.Sprintf("%.2f", x.Average()), x.Scorers, p})
	}
	rows = append(rows, []any{"Итог (взвешенный)", "", fmt.Sprintf("%.2f", run.Total()), run.Scorers, ""})
	return run, nil, rows, true
}

var evalHeader = []string{"Критерий", "Вес", "Средний балл", "Оценили", "Прошлая оценка"}

func (a *Area) evaluationXLSX(w http.ResponseWriter, r *http.Request) {
	run, _, rows, ok := a.evaluationTable(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	sub := fmt.Sprintf("Оценили членов совета: %d", run.Scorers)
	if err := xlsxdoc.Write(&buf, xlsxdoc.Meta{Title: run.Title, Author: web.Municipality(r).Name}, xlsxdoc.Sheet{Name: "Оценка", Title: run.Title, Subtitle: sub, Header: evalHeader, Rows: rows}); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="council-evaluation-%d.xlsx"`, run.ID))
	_, _ = w.Write(buf.Bytes())
}

func (a *Area) evaluationPDF(w http.ResponseWriter, r *http.Request) {
	run, _, rows, ok := a.evaluationTable(w, r)
	if !ok {
		return
	}
	a.tablePDF(w, r, fmt.Sprintf("council-evaluation-%d.pdf", run.ID), run.Title, fmt.Sprintf("Оценили членов совета: %d", run.Scorers),
		evalHeader, []float64{130, 20, 40, 30, 50}, rows)
}
