package training

import (
	"fmt"
	"io"

	"github.com/glasnost/glasnost/internal/pdfdoc"
	"github.com/glasnost/glasnost/internal/tenant"
)

// Certificate writes the PDF certificate of a completion: name, course,
// date, score and the code with the address where anyone can check it.
func Certificate(w io.Writer, m tenant.Municipality, c Completion, verifyURL string) error {
	pdf := pdfdoc.New("L", pdfdoc.Meta{Title: "Сертификат: " + c.CourseTitle, Author: m.Name})
	pdf.SetMargins(25, 25, 25)
	pdf.AddPage()
	pdf.SetDrawColor(60, 90, 140)
	pdf.SetLineWidth(1.2)
	pdf.Rect(12, 12, 273, 186, "D")
	pdf.SetFont(pdfdoc.Font, "", 13)
	pdf.MultiCell(0, 7, m.Name, "", "C", false)
	pdf.Ln(12)
	pdf.SetFont(pdfdoc.Font, "B", 30)
	pdf.CellFormat(0, 14, "СЕРТИФИКАТ", "", 1, "C", false, 0, "")
	pdf.Ln(6)
	pdf.SetFont(pdfdoc.Font, "", 14)
	pdf.CellFormat(0, 8, "подтверждает, что", "", 1, "C", false, 0, "")
	pdf.Ln(2)
	pdf.SetFont(pdfdoc.Font, "B", 22)
	pdf.MultiCell(0, 11, c.FullName, "", "C", false)
	pdf.Ln(2)
	pdf.SetFont(pdfdoc.Font, "", 14)
	pdf.CellFormat(0, 8, "прошёл(а) обучение по курсу", "", 1, "C", false, 0, "")
	pdf.SetFont(pdfdoc.Font, "B", 16)
	pdf.MultiCell(0, 9, "«"+c.CourseTitle+"»", "", "C", false)
	pdf.Ln(4)
	pdf.SetFont(pdfdoc.Font, "", 13)
	date := m.Local(c.CompletedAt).Format("02.01.2006")
	pdf.CellFormat(0, 8, fmt.Sprintf("Дата: %s. Результат итогового теста: %d%% правильных ответов.", date, c.Score), "", 1, "C", false, 0, "")
	pdf.Ln(10)
	pdf.SetFont(pdfdoc.Font, "", 11)
	pdf.CellFormat(0, 6, "Код проверки: "+c.Code, "", 1, "C", false, 0, "")
	pdf.CellFormat(0, 6, "Проверить сертификат: "+verifyURL, "", 1, "C", false, 0, "")
	return pdf.Output(w)
}
