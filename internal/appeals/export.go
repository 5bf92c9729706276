package appeals

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/glasnost/glasnost/internal/pdfdoc"
)

// WriteXLSX writes the report as a spreadsheet: a summary sheet, the
// staff's conclusions and measures taken (narrative; 8-FZ art. 13 p. 1
// item 9), one sheet per breakdown with the change from the previous
// period, and the personal receptions.
func WriteXLSX(w io.Writer, municipality string, r Report, narrative string) error {
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
	if err := xlsxNarrative(f, bold, narrative); err != nil {
		return err
	}
	sheets := map[string]string{"channel": "Формы", "kind": "Типы", "section": "Разделы", "topic": "Темы", "department": "Подразделения", "result": "Результаты",
		"subject": "Тематики", "question": "Вопросы", "source": "Источник", "receptions": "Личный приём", "officials": "Приём по лицам"}
	for _, d := range append(r.Dimensions(), receptionDimensions(r)...) {
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

// WritePDF writes the report as a PDF document: the staff's conclusions
// and measures taken (narrative), then tables with bars.
func WritePDF(w io.Writer, municipality string, r Report, narrative string) error {
	p := pdfdoc.New("P", pdfdoc.Meta{Title: "Анализ обращений граждан за " + PeriodTitle(r.From, r.To), Author: municipality})
	p.AddPage()
	p.SetFont("DejaVu", "B", 14)
	p.MultiCell(0, 7, "Анализ обращений граждан за "+PeriodTitle(r.From, r.To), "", "L", false)
	p.SetFont("DejaVu", "", 10)
	p.MultiCell(0, 5, municipality, "", "L", false)
	p.Ln(3)
	p.SetFont("DejaVu", "B", 11)
	p.MultiCell(0, 6, NarrativeTitle, "", "L", false)
	p.SetFont("DejaVu", "", 10)
	p.MultiCell(0, 5, narrativeOrNote(narrative), "", "L", false)
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
	for _, d := range append(r.Dimensions(), receptionDimensions(r)...) {
		var rows [][]string
		var bars []int
		for _, row := range d.Rows {
			rows = append(rows, []string{row.Label, strconv.Itoa(row.Count), strconv.Itoa(row.Prev), row.ChangeText()})
			bars = append(bars, row.Count)
		}
		if len(rows) == 0 && r.Total > 0 {
			// Every appeal falls in some row of a breakdown the report
			// made: an empty one was not made (an older report).
			rows = [][]string{{"Разбивка в этом отчёте не составлялась", "", "", ""}}
			bars = []int{0}
		} else if len(rows) == 0 {
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

// NarrativeTitle heads the staff's section of the report.
const NarrativeTitle = "Выводы и принятые меры"

// narrativeOrNote is the section's text, or a line saying it is empty, so
// that an export never looks as if the section were lost.
func narrativeOrNote(narrative string) string {
	if strings.TrimSpace(narrative) == "" {
		return "Раздел не заполнен."
	}
	return strings.TrimSpace(narrative)
}

// receptionDimensions are the personal receptions as two more breakdowns
// for the exports: the sums and citizens received by official.
func receptionDimensions(r Report) []Dimension {
	if !r.ReceptionsCounted {
		return nil
	}
	return []Dimension{
		{"receptions", "Личный приём граждан", r.Receptions.Rows()},
		{"officials", "Принято граждан на личном приёме должностными лицами", r.Receptions.ByOfficial},
	}
}

// xlsxNarrative adds the sheet with the staff's conclusions, second after
// the summary; the text is one wrapped cell, split by paragraph so that a
// long text stays readable and within a cell's limit.
func xlsxNarrative(f *excelize.File, bold int, narrative string) error {
	const sheet = "Выводы"
	if _, err := f.NewSheet(sheet); err != nil {
		return fmt.Errorf("xlsx sheet %s: %w", sheet, err)
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("xlsx style: %w", err)
	}
	if err := f.SetCellValue(sheet, "A1", NarrativeTitle); err != nil {
		return fmt.Errorf("xlsx narrative: %w", err)
	}
	_ = f.SetCellStyle(sheet, "A1", "A1", bold)
	_ = f.SetColWidth(sheet, "A", "A", 110)
	for i, para := range strings.Split(narrativeOrNote(narrative), "\n") {
		cell := "A" + strconv.Itoa(2+i)
		if err := f.SetCellValue(sheet, cell, strings.TrimRight(para, "\r")); err != nil {
			return fmt.Errorf("xlsx narrative: %w", err)
		}
		_ = f.SetCellStyle(sheet, cell, cell, wrap)
	}
	return nil
}
