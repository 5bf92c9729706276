package appeals

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/pdfdoc"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// Letter is the printable answer letter for an answer sent by post. The
// portal keeps no separate outgoing register: the outgoing number is the
// appeal's number with "/исх" and its date is the day the answer was sent;
// the official is the account that recorded the answer ("answer" step), and
// since accounts hold no job title, the position is "уполномоченное
// должностное лицо" with that account's department.
type Letter struct {
	Municipality   string
	OutgoingNumber string
	OutgoingDate   string
	AppealNumber   string
	AppealDate     string
	AddresseeName  string
	PostalAddress  string
	Text           string
	OfficialName   string
	OfficialPost   string
}

// OutgoingNumber is the outgoing number of an appeal's answer letter.
func OutgoingNumber(ap Appeal) string { return ap.Number + "/исх" }

// HasLetter reports whether an appeal has an answer to print.
func (a Appeal) HasLetter() bool {
	return a.Status == StatusAnswered && strings.TrimSpace(a.Answer) != ""
}

// LetterFor gathers the letter's data for an answered appeal.
func (a *Area) LetterFor(ctx context.Context, m tenant.Municipality, ap Appeal) (Letter, error) {
	if !ap.HasLetter() {
		return Letter{}, fmt.Errorf("appeal %s has no answer: %w", ap.Number, db.ErrNotFound)
	}
	l := Letter{
		Municipality:   m.Name,
		OutgoingNumber: OutgoingNumber(ap),
		OutgoingDate:   ap.ClosedOn.Russian(),
		AppealNumber:   ap.Number,
		AppealDate:     ap.RegisteredOn.Russian(),
		AddresseeName:  ap.Author.FullName(),
		PostalAddress:  strings.TrimSpace(ap.Author.PostalAddress),
		Text:           ap.Answer,
	}
	// The official is whoever recorded the answer; their department comes
	// from auth (areas do not read accounts).
	var dept string
	var accountID sql.NullInt64
	err := a.DB.QueryRow(ctx, `SELECT e.actor, e.account_id FROM appeal_events e
		WHERE e.appeal_id = ? AND e.action = ?
		ORDER BY e.at DESC, e.id DESC LIMIT 1`, ap.ID, string(ActAnswer)).Scan(&l.OfficialName, &accountID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Letter{}, fmt.Errorf("read answering official: %w", err)
	}
	if accountID.Valid {
		if acc, err := a.People.ByID(ctx, ap.MunicipalityID, accountID.Int64); err == nil {
			dept = acc.Department
		} else if !errors.Is(err, db.ErrNotFound) {
			return Letter{}, fmt.Errorf("read answering official: %w", err)
		}
	}
	l.OfficialPost = "Уполномоченное должностное лицо"
	if dept == "" {
		dept = ap.Department
	}
	if dept != "" {
		l.OfficialPost += ", " + dept
	}
	return l, nil
}

// WriteLetter writes the letter as an A4 PDF.
func WriteLetter(w io.Writer, l Letter) error {
	p := pdfdoc.New("P", pdfdoc.Meta{Title: "Ответ на обращение № " + l.AppealNumber, Author: l.Municipality})
	p.SetMargins(25, 20, 15)
	p.AddPage()
	p.SetFont(pdfdoc.Font, "B", 12)
	p.MultiCell(80, 6, l.Municipality, "", "L", false)
	p.SetFont(pdfdoc.Font, "", 10)
	p.MultiCell(80, 5, "Исх. № "+l.OutgoingNumber+" от "+l.OutgoingDate, "", "L", false)
	p.MultiCell(80, 5, "На № "+l.AppealNumber+" от "+l.AppealDate, "", "L", false)
	p.Ln(4)
	// The addressee block sits on the right, as on a letter.
	p.SetX(110)
	p.SetFont(pdfdoc.Font, "B", 11)
	p.MultiCell(0, 6, l.AddresseeName, "", "L", false)
	p.SetFont(pdfdoc.Font, "", 11)
	for _, line := range strings.Split(l.PostalAddress, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			p.SetX(110)
			p.MultiCell(0, 6, line, "", "L", false)
		}
	}
	p.Ln(10)
	p.SetFont(pdfdoc.Font, "", 11)
	p.MultiCell(0, 6, strings.ReplaceAll(l.Text, "\r\n", "\n"), "", "J", false)
	p.Ln(12)
	y := p.GetY()
	p.MultiCell(100, 6, l.OfficialPost, "", "L", false)
	p.SetXY(130, y)
	p.CellFormat(0, 6, l.OfficialName, "", 1, "R", false, 0, "")
	if err := p.Output(w); err != nil {
		return fmt.Errorf("write letter pdf: %w", err)
	}
	return nil
}

// letter loads the appeal a letter route names and the letter's data.
func (a *Area) letter(r *http.Request) (Appeal, Letter, error) {
	m := web.Municipality(r)
	ap, err := a.View(r.Context(), m, r.PathValue("number"), actorOf(r), roleFor(r), "letter")
	if err != nil {
		return ap, Letter{}, err
	}
	l, err := a.LetterFor(r.Context(), m, ap)
	return ap, l, err
}

// letterHTML is the letter as an accessible, print-ready page: the PDF
// library (go-pdf/fpdf) writes no structure tags, so a screen reader gets
// the same letter here, with headings, language and reading order.
func (a *Area) letterHTML(w http.ResponseWriter, r *http.Request) {
	ap, l, err := a.letter(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "appeals/letter", "Ответ на обращение № "+ap.Number, map[string]any{"L": l, "Appeal": ap, "Paragraphs": strings.Split(strings.ReplaceAll(l.Text, "\r\n", "\n"), "\n"),
		"Address": strings.Split(l.PostalAddress, "\n")})
}

func (a *Area) letterPDF(w http.ResponseWriter, r *http.Request) {
	ap, l, err := a.letter(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := WriteLetter(&buf, l); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape("answer-"+ap.Number+".pdf"))
	_, _ = w.Write(buf.Bytes())
}
