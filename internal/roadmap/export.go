package roadmap

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
	"github.com/xuri/excelize/v2"

	"github.com/glasnost/glasnost/internal/pdfdoc"
)

// MarkColumn is the column the exports add to the plan's own table.
const MarkColumn = "Отметка об исполнении"

// exportColumns are the columns of the original table, and the mark.
var exportColumns = []string{
	"№",
	"Механизмы (инструменты) открытости деятельности органа местного самоуправления",
	"Мероприятие",
	"Ожидаемый результат",
	"Сроки исполнения",
	"Ответственный",
	MarkColumn,
}

// maxMarkEvidence is how much evidence a mark lists; the public page has the rest.
const maxMarkEvidence = 3

// Mark is the text of the «Отметка об исполнении» cell: the status on the
// day, with the share of periods for a recurring measure, and the evidence.
func Mark(ms PlanMeasure, today time.Time) string {
	p := ms.Progress
	var b strings.Builder
	b.WriteString(capitalize(p.Status.Label()))
	if p.Late {
		b.WriteString(" с нарушением срока")
	}
	fmt.Fprintf(&b, " на %s", today.Format("02.01.2006"))
	if p.Compliance >= 0 {
		done := 0
		closed := 0
		for _, w := range p.Periods {
			if w.Status == StatusDone {
				done++
			}
			if w.Status != StatusProgress {
				closed++
			}
		}
		fmt.Fprintf(&b, ". Исполнено в %d из %d периодов (%d%%)", done, closed, int(p.Compliance*100+0.5))
	}
	if len(ms.Evidence) == 0 {
		b.WriteString(". Подтверждений нет.")
		return b.String()
	}
	fmt.Fprintf(&b, ". Подтверждения (%d):", len(ms.Evidence))
	start := max(0, len(ms.Evidence)-maxMarkEvidence)
	for _, e := range ms.Evidence[start:] {
		fmt.Fprintf(&b, "\n– %s, %s", e.Title, e.On.Format("02.01.2006"))
	}
	if start > 0 {
		fmt.Fprintf(&b, "\n(показаны последние %d)", maxMarkEvidence)
	}
	return b.String()
}

// measureText is the measure as the plan writes it: its number within the
// mechanism, then the text.
func measureText(ms PlanMeasure) string {
	if _, sub, ok := strings.Cut(ms.Number, "."); ok {
		return sub + ". " + ms.Text
	}
	return ms.Text
}

// exportRows are the table's rows: the mechanism's number and title on its
// first measure only, as the merged cells of the original show them.
func exportRows(p Plan, today time.Time) [][]string {
	var rows [][]string
	for _, m := range p.Mechanisms {
		for j, ms := range m.Measures {
			num, title := "", ""
			if j == 0 {
				num, title = strconv.Itoa(m.Number)+".", m.Title
			}
			var units []string
			for _, u := range ms.Units {
				units = append(units, u.Name)
			}
			row := []string{num, title, measureText(ms), ms.ExpectedResult, ms.Schedule.Text, strings.Join(units, ",\n"), Mark(ms, today)}
			for i := range row {
				row[i] = strings.Map(dropControl, row[i])
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// WriteXLSX writes the plan with its progress (see Attach) as a workbook in
// the layout of the original table, with the mark column added.
func WriteXLSX(w io.Writer, p Plan, today time.Time) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Дорожная карта"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("xlsx: name sheet: %w", err)
	}
	styles, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	for i, wd := range []float64{6, 28, 50, 34, 18, 26, 40} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, wd); err != nil {
			return fmt.Errorf("xlsx: width: %w", err)
		}
	}
	head, err := writeXLSXTitle(f, sheet, p, styles.title)
	if err != nil {
		return err
	}
	if err := writeXLSXTable(f, sheet, p, today, head, styles); err != nil {
		return err
	}
	_ = f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: head, TopLeftCell: fmt.Sprintf("A%d", head+1), ActivePane: "bottomLeft"})
	_ = f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: ptr("landscape")})
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: write: %w", err)
	}
	return nil
}

// xlsxStyles are the workbook's styles for the table's cells, its header
// row and the plan's title.
type xlsxStyles struct {
	cell, head, title int
}

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var st xlsxStyles
	wrap := &excelize.Alignment{WrapText: true, Vertical: "top"}
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	var err error
	st.cell, err = f.NewStyle(&excelize.Style{Alignment: wrap, Border: border})
	if err != nil {
		return st, fmt.Errorf("xlsx: style: %w", err)
	}
	st.head, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"}, Border: border, Font: &excelize.Font{Bold: true}})
	if err != nil {
		return st, fmt.Errorf("xlsx: style: %w", err)
	}
	st.title, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Horizontal: "center"}, Font: &excelize.Font{Bold: true, Size: 12}})
	if err != nil {
		return st, fmt.Errorf("xlsx: style: %w", err)
	}
	return st, nil
}

func setXLSXCell(f *excelize.File, sheet, cell string, v any) error {
	if err := f.SetCellValue(sheet, cell, v); err != nil {
		return fmt.Errorf("xlsx: %s: %w", cell, err)
	}
	return nil
}

// writeXLSXTitle writes the approval line (when the plan has an approving
// act) and the plan's title above the table, and returns the row the
// table's header goes in.
func writeXLSXTitle(f *excelize.File, sheet string, p Plan, titleStyle int) (int, error) {
	row := 1
	if p.ApprovingAct != "" {
		if err := setXLSXCell(f, sheet, "F1", "УТВЕРЖДЁН "+p.ApprovingAct); err != nil {
			return 0, err
		}
		_ = f.MergeCell(sheet, "F1", "G1")
		_ = f.SetCellStyle(sheet, "F1", "G1", cellStyleNoBorder(f))
		_ = f.SetRowHeight(sheet, 1, 45)
		row = 3
	}
	title := fmt.Sprintf("A%d", row)
	if err := setXLSXCell(f, sheet, title, p.Title); err != nil {
		return 0, err
	}
	_ = f.MergeCell(sheet, title, fmt.Sprintf("G%d", row))
	_ = f.SetCellStyle(sheet, title, title, titleStyle)
	_ = f.SetRowHeight(sheet, row, 48)
	return row + 2, nil
}

// writeXLSXTable writes the table's header at row head and the measures
// below it, with each mechanism's cells merged over its measures.
func writeXLSXTable(f *excelize.File, sheet string, p Plan, today time.Time, head int, styles xlsxStyles) error {
	row := head
	for i, c := range exportColumns {
		cell, _ := excelize.CoordinatesToCellName(i+1, row)
		if err := setXLSXCell(f, sheet, cell, c); err != nil {
			return err
		}
	}
	_ = f.SetCellStyle(sheet, fmt.Sprintf("A%d", row), fmt.Sprintf("G%d", row), styles.head)
	row++
	first := row
	for _, r := range exportRows(p, today) {
		for i, v := range r {
			cell, _ := excelize.CoordinatesToCellName(i+1, row)
			if err := setXLSXCell(f, sheet, cell, v); err != nil {
				return err
			}
		}
		row++
	}
	// Each mechanism spans its measures, as the merged cells of the original do.
	start := first
	for _, m := range p.Mechanisms {
		if n := len(m.Measures); n > 1 {
			_ = f.MergeCell(sheet, fmt.Sprintf("A%d", start), fmt.Sprintf("A%d", start+n-1))
			_ = f.MergeCell(sheet, fmt.Sprintf("B%d", start), fmt.Sprintf("B%d", start+n-1))
		}
		start += len(m.Measures)
	}
	if row > first {
		if err := f.SetCellStyle(sheet, fmt.Sprintf("A%d", first), fmt.Sprintf("G%d", row-1), styles.cell); err != nil {
			return fmt.Errorf("xlsx: style cells: %w", err)
		}
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

func cellStyleNoBorder(f *excelize.File) int {
	s, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	return s
}

// WritePDF writes the plan with its progress as a landscape A4 document in
// the layout of the original table, with the mark column added. DejaVu Sans
// is embedded because the PDF core fonts have no Cyrillic.
func WritePDF(w io.Writer, p Plan, municipality string, today time.Time) error {
	pdf := newPlanPDF(p, municipality, today)
	_, pageH := pdf.GetPageSize()
	pdf.AddPage()
	writePDFTitle(pdf, p)
	t := pdfTable{pdf: pdf, widths: []float64{10, 38, 66, 42, 26, 34, 61}, lineH: 3.6, bottom: pageH - 12}
	t.row(exportColumns, true)
	for _, r := range exportRows(p, today) {
		t.row(r, false)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// newPlanPDF starts the document: its metadata, margins and the footer
// with the day of the state and the page number.
func newPlanPDF(p Plan, municipality string, today time.Time) *fpdf.Fpdf {
	pdf := pdfdoc.New("L", pdfdoc.Meta{Title: p.Title, Author: municipality})
	pdf.SetSubject(MarkColumn, true)
	pdf.SetCreationDate(today)
	pdf.SetModificationDate(today)
	pdf.SetMargins(10, 10, 10)
	pdf.SetAutoPageBreak(false, 10)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-8)
		pdf.SetFont("DejaVu", "", 7)
		pdf.CellFormat(0, 4, fmt.Sprintf("Состояние на %s. Страница %d из {nb}", today.Format("02.01.2006"), pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	return pdf
}

// writePDFTitle writes the approval line (when the plan has an approving
// act) and the plan's title above the table.
func writePDFTitle(pdf *fpdf.Fpdf, p Plan) {
	if p.ApprovingAct != "" {
		pdf.SetFont("DejaVu", "", 8)
		pdf.SetX(190)
		pdf.MultiCell(97, 3.8, "УТВЕРЖДЁН\n"+pdfSafe(p.ApprovingAct), "", "L", false)
		pdf.Ln(2)
	}
	pdf.SetFont("DejaVu", "B", 11)
	pdf.MultiCell(0, 5, pdfSafe(p.Title), "", "C", false)
	pdf.Ln(3)
}

// pdfTable draws the plan's table row by row, starting a new page (with
// the header again) when a row does not fit above bottom.
type pdfTable struct {
	pdf    *fpdf.Fpdf
	widths []float64
	lineH  float64
	bottom float64
}

// lines splits a cell's text into the lines that fit width w, keeping its
// own line breaks.
func (t pdfTable) lines(text string, w float64) []string {
	var out []string
	for _, para := range strings.Split(pdfSafe(text), "\n") {
		if para == "" {
			out = append(out, "")
			continue
		}
		out = append(out, t.pdf.SplitText(para, w)...)
	}
	return out
}

// row draws one row of cells, bold for the header.
func (t pdfTable) row(cells []string, bold bool) {
	pdf := t.pdf
	style := ""
	if bold {
		style = "B"
	}
	pdf.SetFont("DejaVu", style, 7.5)
	split := make([][]string, len(cells))
	n := 1
	for i, c := range cells {
		split[i] = t.lines(c, t.widths[i])
		n = max(n, len(split[i]))
	}
	h := float64(n)*t.lineH + 1.5
	if pdf.GetY()+h > t.bottom {
		// A row is never split; the header starts every page.
		pdf.AddPage()
		if !bold {
			t.row(exportColumns, true)
			pdf.SetFont("DejaVu", style, 7.5)
		}
	}
	x, y := pdf.GetX(), pdf.GetY()
	for i, ls := range split {
		pdf.Rect(x, y, t.widths[i], h, "D")
		for k, l := range ls {
			pdf.SetXY(x, y+0.75+float64(k)*t.lineH)
			pdf.CellFormat(t.widths[i], t.lineH, l, "", 0, "L", false, 0, "")
		}
		x += t.widths[i]
	}
	pdf.SetXY(10, y+h)
}

// pdfSafe replaces what the embedded font cannot measure: fpdf indexes its
// width table (the Basic Multilingual Plane) by rune without a bounds check,
// so an emoji in a measure's text would otherwise crash the export.
func pdfSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r > 0xFFFF || r < ' ' || r == utf8.RuneError:
			return '?'
		}
		return r
	}, s)
}

// dropControl removes control characters other than line breaks and tabs,
// which XML 1.0 (and so a workbook) cannot hold.
func dropControl(r rune) rune {
	if r < ' ' && r != '\n' && r != '\t' {
		return -1
	}
	return r
}
