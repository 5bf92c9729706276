package media

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/pdfdoc"
	"github.com/glasnost/glasnost/internal/web"
	"github.com/glasnost/glasnost/internal/xlsxdoc"
)

// weekRow is an item on the week page with its form and suggestion.
type weekRow struct {
	Item      Item
	Form      *web.Form
	Suggested *Publication
}

// weekPage is the data of the weekly control page.
type weekPage struct {
	Monday     string
	Label      string
	Prev, Next string
	Rows       []weekRow
	News       []Publication
	Statuses   []Option
}

func (a *Area) weekData(r *http.Request, monday time.Time) (*weekPage, error) {
	m := web.Municipality(r)
	ms := monday.Format(time.DateOnly)
	items, err := WeekItems(r.Context(), a.DB, m.ID, ms)
	if err != nil {
		return nil, err
	}
	loc := m.Location
	if loc == nil {
		loc = time.UTC
	}
	from := time.Date(monday.Year(), monday.Month(), monday.Day(), 0, 0, 0, 0, loc)
	news, err := WeekNews(r.Context(), a.DB, m.ID, from, from.AddDate(0, 0, 7))
	if err != nil {
		return nil, err
	}
	pubs := append([]Publication(nil), news...)
	mentions, err := a.weekMentions(r, from)
	if err != nil {
		return nil, err
	}
	pubs = append(pubs, mentions...)
	p := &weekPage{Monday: ms, Label: WeekLabel(ms), Prev: monday.AddDate(0, 0, -7).Format(time.DateOnly),
		Next: monday.AddDate(0, 0, 7).Format(time.DateOnly), News: pubs, Statuses: Statuses}
	for _, it := range items {
		row := weekRow{Item: it, Form: web.NewForm(controlValues(it))}
		if it.PublicationURL == "" {
			if s, ok := Suggest(it, pubs); ok {
				row.Suggested = &s
			}
		}
		p.Rows = append(p.Rows, row)
	}
	return p, nil
}

func controlValues(it Item) url.Values {
	v := url.Values{}
	v.Set("status", it.Status)
	v.Set("reason", it.StatusReason)
	if it.MovedTo != "" {
		v.Set("moved_to", russianDate(it.MovedTo))
	}
	v.Set("url", it.PublicationURL)
	v.Set("title", it.PublicationTitle)
	return v
}

func (a *Area) adminWeek(w http.ResponseWriter, r *http.Request) {
	monday := MondayOf(a.today(web.Municipality(r)))
	if s := r.URL.Query().Get("week"); s != "" {
		t, ok := ParseDay(s)
		if !ok {
			a.Errors.Render(w, r, web.ErrNotFound)
			return
		}
		monday = MondayOf(t)
	}
	data, err := a.weekData(r, monday)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "media/admin_week", "Контроль медиаплана: "+data.Label, data)
}

// adminControl saves the press secretary's mark of an item. A moved item
// gets a copy planned for the new date in the plan of that year, if any.
func (a *Area) adminControl(w http.ResponseWriter, r *http.Request) {
	p, before, ok := a.loadItem(w, r)
	if !ok {
		return
	}
	f, err := web.ParseForm(w, r, maxFormBytes)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	c := Control{Status: f.Get("status"), Reason: f.Get("reason"), MovedTo: f.Get("moved_to"), URL: f.Get("url"), Title: f.Get("title")}
	for _, k := range []string{"status", "reason", "moved_to", "url"} {
		if msg, bad := ValidateControl(c, before)[k]; bad {
			f.Fail(k, msg)
		}
	}
	m := web.Municipality(r)
	monday, _ := time.Parse(time.DateOnly, before.WeekStart)
	if !f.Valid() {
		data, err := a.weekData(r, monday)
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		for i := range data.Rows {
			if data.Rows[i].Item.ID == before.ID {
				data.Rows[i].Form = f
			}
		}
		a.Renderer.Page(w, r, http.StatusUnprocessableEntity, "media/admin_week", "Контроль медиаплана: "+data.Label, data)
		return
	}
	it := before
	it.Status, it.StatusReason, it.PublicationURL, it.PublicationTitle, it.MovedTo = c.Status, c.Reason, c.URL, c.Title, ""
	if c.Status == StatusMoved {
		t, _ := ParseDay(c.MovedTo)
		it.MovedTo = t.Format(time.DateOnly)
	}
	if c.Status != StatusMoved && c.Status != StatusCancelled {
		it.StatusReason = ""
	}
	now := a.DB.Now()
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := SetItemControl(r.Context(), tx, m.ID, it, now); err != nil {
			return err
		}
		if it.Status == StatusMoved && before.MovedTo != it.MovedTo {
			t, _ := time.Parse(time.DateOnly, it.MovedTo)
			target := p
			if t.Year() != p.Year {
				if target, err = PlanOfYear(r.Context(), tx, m.ID, t.Year()); err != nil {
					target = Plan{}
				}
			}
			if target.ID != 0 {
				moved := Item{PlanID: target.ID, Topic: it.Topic, Channel: it.Channel, WeekStart: MondayOf(t).Format(time.DateOnly),
					PlannedDate: it.MovedTo, DepartmentID: it.DepartmentID, Material: it.Material}
				if err := SaveItem(r.Context(), tx, m.ID, &moved, now); err != nil {
					return err
				}
			}
		}
		return audit.Write(r.Context(), tx, now, audit.FromRequest(r, "control", "media_plan_item", strconv.FormatInt(it.ID, 10), before, it))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, "Отметка сохранена: «"+it.Topic+"» — "+it.StatusLabel()+".")
	http.Redirect(w, r, "/admin/media/week?week="+before.WeekStart+"#item-"+strconv.FormatInt(it.ID, 10), http.StatusSeeOther)
}

func (a *Area) adminReports(w http.ResponseWriter, r *http.Request) {
	p := web.NewPager(r.URL, 30)
	list, total, err := Reports(r.Context(), a.DB, web.Municipality(r).ID, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	a.Renderer.Page(w, r, http.StatusOK, "media/admin_reports", "Отчёты об исполнении медиаплана", map[string]any{"Reports": list, "Pager": p})
}

func (a *Area) loadReport(w http.ResponseWriter, r *http.Request) (Report, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		a.Errors.Render(w, r, err)
		return Report{}, false
	}
	rep, err := GetReport(r.Context(), a.DB, web.Municipality(r).ID, id)
	if err != nil {
		a.Errors.Render(w, r, err)
		return Report{}, false
	}
	return rep, true
}

func (a *Area) adminReport(w http.ResponseWriter, r *http.Request) {
	rep, ok := a.loadReport(w, r)
	if !ok {
		return
	}
	a.Renderer.Page(w, r, http.StatusOK, "media/admin_report", "Исполнение медиаплана: "+rep.Week(), rep)
}

func (a *Area) adminReportXLSX(w http.ResponseWriter, r *http.Request) {
	rep, ok := a.loadReport(w, r)
	if !ok {
		return
	}
	rows := make([][]any, 0, len(rep.Rows))
	for _, x := range rep.Rows {
		rows = append(rows, []any{x.When, x.Topic, x.ChannelLabel(), x.Department, x.StatusLabel(), x.Reason, x.MovedToRU(), x.Publication})
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="mediaplan-week-%s.xlsx"`, rep.WeekStart))
	err := xlsxdoc.Write(w, xlsxdoc.Meta{Title: "Исполнение медиаплана: " + rep.Week(), Author: web.Municipality(r).Name},
		xlsxdoc.Sheet{Name: "Исполнение", Title: "Исполнение медиаплана: " + rep.Week(), Subtitle: rep.Summary(),
			Header: []string{"Когда", "Тема", "Канал", "Ответственный", "Исполнение", "Причина", "Перенесено на", "Публикация"}, Rows: rows})
	if err != nil {
		a.Log.Error("media week report xlsx", "err", err)
	}
}

func (a *Area) adminReportPDF(w http.ResponseWriter, r *http.Request) {
	rep, ok := a.loadReport(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="mediaplan-week-%s.pdf"`, rep.WeekStart))
	if err := WriteReportPDF(w, web.Municipality(r).Name, rep); err != nil {
		a.Log.Error("media week report pdf", "err", err)
	}
}

// WriteReportPDF writes the weekly report as a PDF document.
func WriteReportPDF(w io.Writer, municipality string, rep Report) error {
	pdf := pdfdoc.New("L", pdfdoc.Meta{Title: "Исполнение медиаплана: " + rep.Week(), Author: municipality})
	pdf.SetMargins(12, 12, 12)
	pdf.AddPage()
	pdf.SetFont(pdfdoc.Font, "B", 13)
	pdf.MultiCell(0, 7, "Исполнение медиаплана: "+rep.Week(), "", "L", false)
	pdf.SetFont(pdfdoc.Font, "", 10)
	pdf.MultiCell(0, 6, municipality, "", "L", false)
	pdf.MultiCell(0, 6, rep.Summary(), "", "L", false)
	pdf.Ln(3)
	widths := []float64{35, 90, 40, 40, 30, 38}
	head := []string{"Когда", "Тема", "Канал", "Ответственный", "Исполнение", "Примечание"}
	pdf.SetFont(pdfdoc.Font, "B", 9)
	for i, h := range head {
		pdf.CellFormat(widths[i], 7, h, "1", 0, "L", false, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont(pdfdoc.Font, "", 9)
	for _, x := range rep.Rows {
		note := x.Reason
		if x.MovedTo != "" {
			note = "на " + x.MovedToRU() + ". " + note
		}
		cells := []string{x.When, x.Topic, x.ChannelLabel(), x.Department, x.StatusLabel(), note}
		lines := 1
		for i, c := range cells {
			lines = max(lines, len(pdf.SplitText(c, widths[i]-2)))
		}
		h := float64(lines) * 5
		if pdf.GetY()+h > 195 {
			pdf.AddPage()
		}
		x0, y0 := pdf.GetX(), pdf.GetY()
		for i, c := range cells {
			pdf.Rect(x0, y0, widths[i], h, "D")
			pdf.MultiCell(widths[i], 5, c, "", "L", false)
			x0 += widths[i]
			pdf.SetXY(x0, y0)
		}
		pdf.SetXY(12, y0+h)
	}
	return pdf.Output(w)
}

// weekMentions are the monitored mentions of the week starting at from.
func (a *Area) weekMentions(r *http.Request, from time.Time) ([]Publication, error) {
	ms, _, err := Mentions(r.Context(), a.DB, web.Municipality(r).ID, MentionFilter{From: from, To: from.AddDate(0, 0, 7)}, 300, 0)
	if err != nil {
		return nil, err
	}
	out := make([]Publication, 0, len(ms))
	for _, m := range ms {
		if m.Link != "" {
			out = append(out, Publication{Source: m.Source, Title: m.Title, URL: m.Link, At: m.PublishedAt})
		}
	}
	return out, nil
}
