package appeals

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/glasnost/glasnost/internal/pdfdoc"
)

// WriteXLSX writes the report as a spreadsheet: a summary sheet and one
// sheet per breakdown, with the change from the previous period.
func WriteXLSX(w io.Writer, municipality string, r Report) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("xlsx style: %w", err)
	}
	const summary = "Итоги"
	if err := f.SetSheetName("Sheet1", summary); err != nil {
		return fmt.Errorf("xlsx sheet: %w", err)
	}
	set := func(sheet, cell string, v any) {
		if err == nil {
			err = f.SetCellValue(sheet, cell, v)
		}
	}
	set(summary, "A1", "Анализ обращений граждан за "+PeriodTitle(r.From, r.To))
	set(summary, "A2", municipality)
	set(summary, "A4", "Показатель")
	set(summary, "B4", "Отчётный период")
	set(summary, "C4", "Предыдущий период")
	lines := []struct {
		label     string
		cur, prev any
	}{
		{"Поступило обращений", r.Total, r.PrevTotal},
		{"Дан ответ", r.Answered, ""},
		{"Ответ дан с нарушением срока", r.AnsweredLate, ""},
		{"На рассмотрении", r.Pending, ""},
		{"Из них с истёкшим сроком", r.Overdue, ""},
		{"Коллективных", r.Collective, ""},
		{"Повторных", r.Repeated, ""},
	}
	for i, l := range lines {
		row := strconv.Itoa(5 + i)
		set(summary, "A"+row, l.label)
		set(summary, "B"+row, l.cur)
		set(summary, "C"+row, l.prev)
	}
	if err != nil {
		return fmt.Errorf("xlsx summary: %w", err)
	}
	_ = f.SetCellStyle(summary, "A1", "A1", bold)
	_ = f.SetCellStyle(summary, "A4", "C4", bold)
	_ = f.SetColWidth(summary, "A", "A", 45)
	_ = f.SetColWidth(summary, "B", "C", 20)
	sheets := map[string]string{"channel": "Формы", "kind": "Типы", "section": "Разделы", "topic": "Темы", "department": "Подразделения", "result": "Результаты"}
	for _, d := range r.Dimensions() {
		name := sheets[d.ID]
		if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("xlsx sheet %s: %w", name, err)
		}
		set(name, "A1", d.Title)
		set(name, "A2", "Значение")
		set(name, "B2", "Отчётный период")
		set(name, "C2", "Предыдущий период")
		set(name, "D2", "Изменение")
		for i, row := range d.Rows {
			n := strconv.Itoa(3 + i)
			set(name, "A"+n, row.Label)
			set(name, "B"+n, row.Count)
			set(name, "C"+n, row.Prev)
			set(name, "D"+n, row.Change())
		}
		if err != nil {
			return fmt.Errorf("xlsx %s: %w", name, err)
		}
		_ = f.SetCellStyle(name, "A1", "D2", bold)
		_ = f.SetColWidth(name, "A", "A", 60)
		_ = f.SetColWidth(name, "B", "D", 18)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// WritePDF writes the report as a PDF document with tables and bars.
func WritePDF(w io.Writer, municipality string, r Report) error {
	p := pdfdoc.New("P", pdfdoc.Meta{Title: "Анализ обращений граждан за " + PeriodTitle(r.From, r.To), Author: municipality})
	p.AddPage()
	p.SetFont("DejaVu", "B", 14)
	p.MultiCell(0, 7, "Анализ обращений граждан за "+PeriodTitle(r.From, r.To), "", "L", false)
	p.SetFont("DejaVu", "", 10)
	p.MultiCell(0, 5, municipality, "", "L", false)
	p.Ln(3)
	table := func(title string, head []string, rows [][]string, bars []int) {
		p.SetFont("DejaVu", "B", 11)
		p.MultiCell(0, 6, title, "", "L", false)
		p.SetFont("DejaVu", "B", 9)
		widths := []float64{95, 30, 30, 25}
		for i, h := range head {
			p.CellFormat(widths[i], 6, h, "1", 0, "C", false, 0, "")
		}
		p.Ln(-1)
		p.SetFont("DejaVu", "", 9)
		max := 0
		for _, b := range bars {
			if b > max {
				max = b
			}
		}
		for i, row := range rows {
			x, y := p.GetXY()
			for j, c := range row {
				align := "R"
				if j == 0 {
					align = "L"
					c = truncate(c, 55)
				}
				p.CellFormat(widths[j], 6, c, "1", 0, align, false, 0, "")
			}
			if bars != nil && max > 0 {
				// A thin bar under the label: the count is in the next cell.
				p.SetFillColor(60, 90, 160)
				p.Rect(x+1, y+5, 93*float64(bars[i])/float64(max), 0.8, "F")
			}
			p.Ln(-1)
		}
		p.Ln(3)
	}
	table("Итоги", []string{"Показатель", "Период", "Предыдущий", ""}, [][]string{
		{"Поступило обращений", strconv.Itoa(r.Total), strconv.Itoa(r.PrevTotal), r.TotalChange()},
		{"Дан ответ", strconv.Itoa(r.Answered), "", ""},
		{"Ответ дан с нарушением срока", strconv.Itoa(r.AnsweredLate), "", ""},
		{"На рассмотрении", strconv.Itoa(r.Pending), "", ""},
		{"Из них с истёкшим сроком", strconv.Itoa(r.Overdue), "", ""},
		{"Коллективных", strconv.Itoa(r.Collective), "", ""},
		{"Повторных", strconv.Itoa(r.Repeated), "", ""},
	}, nil)
	for _, d := range r.Dimensions() {
		var rows [][]string
		var bars []int
		for _, row := range d.Rows {
			rows = append(rows, []string{row.Label, strconv.Itoa(row.Count), strconv.Itoa(row.Prev), row.ChangeText()})
			bars = append(bars, row.Count)
		}
		if len(rows) == 0 {
			rows = [][]string{{"Обращений нет", "0", "0", "0"}}
			bars = []int{0}
		}
		table(d.Title, []string{"Значение", "Период", "Предыдущий", "Изменение"}, rows, bars)
	}
	if err := p.Output(w); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
