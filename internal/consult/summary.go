package consult

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/pdfdoc"
	"github.com/glasnost/glasnost/internal/web"
	"github.com/glasnost/glasnost/internal/xlsxdoc"
)

// SummaryHead is what the summary of proposals says about its consultation.
type SummaryHead struct {
	Municipality string
	Title        string
	KindLabel    string
	Department   string
	Conclusion   string
	Generated    time.Time // in the municipality's zone
}

// OpenPeriod is the span during which comments were accepted: from the
// first open stage's start to the last one's end.
func OpenPeriod(periods []Period) (from, to deadline.Date) {
	for _, p := range periods {
		if !p.Stage.Open() {
			continue
		}
		if from.IsZero() {
			from = p.Starts
		}
		to = p.Ends
	}
	return from, to
}

// ConclusionText is the conclusion on the results, generated from the
// answered comments: dates, participants, proposals, and how many were
// taken into account.
func ConclusionText(c Consultation, kindLabel string, t Tally) string {
	var b strings.Builder
	from, to := OpenPeriod(c.Periods)
	switch {
	case c.ClosedEarlyOn.IsZero():
		fmt.Fprintf(&b, "%s «%s» проводилось с %s по %s.", kindLabel, c.Title, from.Russian(), to.Russian())
	case c.ClosedEarlyOn.Before(to):
		// The real dates, not the announced ones.
		fmt.Fprintf(&b, "%s «%s» проводилось с %s по %s (было объявлено до %s).", kindLabel, c.Title, from.Russian(), c.ClosedEarlyOn.Russian(), to.Russian())
	default: // ended on the last announced day, before it was over
		fmt.Fprintf(&b, "%s «%s» проводилось с %s по %s.", kindLabel, c.Title, from.Russian(), c.ClosedEarlyOn.Russian())
	}
	if !c.ClosedEarlyOn.IsZero() {
		fmt.Fprintf(&b, " Приём замечаний завершён досрочно %s. Причина: %s.", c.ClosedEarlyOn.Russian(), strings.TrimRight(c.ClosedEarlyReason, ". "))
	}
	if c.Department != "" {
		fmt.Fprintf(&b, " Организатор — %s.", c.Department)
	}
	if t.Comments == 0 {
		b.WriteString(" Замечаний и предложений не поступило.")
	} else {
		fmt.Fprintf(&b, " Приняли участие %d %s; поступило %d %s.",
			t.Participants, web.Plural(t.Participants, "участник", "участника", "участников"),
			t.Comments, web.Plural(t.Comments, "замечание или предложение", "замечания и предложения", "замечаний и предложений"))
		fmt.Fprintf(&b, " Учтено — %d, учтено частично — %d, не учтено — %d, принято к сведению — %d.",
			t.ByDecision[Accepted], t.ByDecision[PartlyAccepted], t.ByDecision[NotAccepted], t.ByDecision[NotedDecision])
		fmt.Fprintf(&b, " Всего учтено полностью или частично %d из %d.", t.TakenIntoAccount(), t.Comments)
		if rest := t.Comments - t.Answered; rest > 0 {
			fmt.Fprintf(&b, " Без ответа разработчика остаётся %d.", rest)
		}
	}
	if c.ActNumber != "" {
		fmt.Fprintf(&b, " Документ утверждён актом № %s", c.ActNumber)
		if c.ActDate != "" {
			if d, err := deadline.ParseDate(c.ActDate); err == nil {
				fmt.Fprintf(&b, " от %s", d.Russian())
			}
		}
		b.WriteString(".")
	}
	return b.String()
}

// SummaryRow is one line of the summary of proposals.
func SummaryRow(c Comment) []string {
	point := c.PointLabel
	if point == "" {
		point = "проект в целом"
	}
	proposal := c.Body
	if c.Quote != "" {
		proposal = "«" + c.Quote + "» — " + c.Body
	}
	return []string{fmt.Sprint(c.Number), c.Receipt, c.Author(), point, proposal, c.Decision.Label(), c.DecisionReason}
}

// SummaryColumns are the summary's column headings.
var SummaryColumns = []string{"№", "Квитанция", "Автор", "Пункт проекта", "Замечание или предложение", "Решение", "Обоснование"}

// Rows streams summary rows to a writer.
type Rows func(fn func(Comment) error) error

// WriteXLSX writes the summary as a workbook: the table of proposals on the
// first sheet (streamed, so 10,000 rows do not sit in memory as cells), the
// conclusion on the second.
func WriteXLSX(w io.Writer, h SummaryHead, rows Rows) error {
	title := "Сводка предложений: " + h.Title
	return xlsxdoc.Write(w, xlsxdoc.Meta{Title: title, Author: h.Municipality},
		xlsxdoc.Sheet{Name: "Сводка предложений", Title: title,
			Subtitle: h.KindLabel + ". " + h.Municipality + ". Сформировано " + h.Generated.Format("02.01.2006 15:04"),
			Header:   SummaryColumns, Widths: []float64{6, 16, 24, 16, 70, 18, 60},
			Each: func(emit func([]any) error) error {
				return rows(func(c Comment) error {
					vals := SummaryRow(c)
					row := make([]any, len(vals))
					for i, v := range vals {
						row[i] = v
					}
					row[0] = c.Number
					return emit(row)
				})
			}},
		xlsxdoc.Sheet{Name: "Заключение", Title: "Заключение о результатах: " + h.Title, Rows: [][]any{{h.Conclusion}}, Widths: []float64{120}},
	)
}

// WritePDF writes the summary as a PDF document with an embedded Cyrillic
// font. Each proposal is a block rather than a table cell, so that long
// proposals break across pages cleanly.
func WritePDF(w io.Writer, h SummaryHead, rows Rows) error {
	pdf := pdfdoc.New("P", pdfdoc.Meta{Title: "Сводка предложений: " + h.Title, Author: h.Municipality})
	pdf.SetMargins(18, 16, 18)
	pdf.SetAutoPageBreak(true, 16)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("DejaVu", "", 8)
		pdf.CellFormat(0, 5, fmt.Sprintf("Стр. %d", pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	pdf.SetFont("DejaVu", "B", 14)
	pdf.MultiCell(0, 7, "Сводка предложений и заключение о результатах", "", "L", false)
	pdf.SetFont("DejaVu", "B", 12)
	pdf.MultiCell(0, 6, h.Title, "", "L", false)
	pdf.SetFont("DejaVu", "", 9)
	pdf.MultiCell(0, 5, h.KindLabel+". "+h.Municipality+". Сформировано "+h.Generated.Format("02.01.2006 15:04"), "", "L", false)
	pdf.Ln(3)
	pdf.SetFont("DejaVu", "B", 11)
	pdf.MultiCell(0, 6, "Заключение", "", "L", false)
	pdf.SetFont("DejaVu", "", 10)
	pdf.MultiCell(0, 5, h.Conclusion, "", "J", false)
	pdf.Ln(3)
	pdf.SetFont("DejaVu", "B", 11)
	pdf.MultiCell(0, 6, "Замечания и предложения", "", "L", false)
	err := rows(func(c Comment) error {
		v := SummaryRow(c)
		pdf.Ln(1.5)
		pdf.SetFont("DejaVu", "B", 9.5)
		pdf.MultiCell(0, 5, fmt.Sprintf("%s. Квитанция %s · %s · %s", v[0], v[1], v[2], v[3]), "", "L", false)
		pdf.SetFont("DejaVu", "", 9.5)
		pdf.MultiCell(0, 4.8, v[4], "", "L", false)
		pdf.SetFont("DejaVu", "B", 9.5)
		reason := v[6]
		if reason == "" {
			reason = "—"
		}
		pdf.MultiCell(0, 4.8, "Решение: "+v[5], "", "L", false)
		pdf.SetFont("DejaVu", "", 9.5)
		pdf.MultiCell(0, 4.8, "Обоснование: "+reason, "", "L", false)
		return pdf.Error()
	})
	if err != nil {
		return fmt.Errorf("pdf rows: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}
