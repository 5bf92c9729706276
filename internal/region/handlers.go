package region

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/web"
	"github.com/glasnost/glasnost/internal/xlsxdoc"
)

// report reads the period from the request and builds the report as of
// today in the requesting municipality's zone.
func (a *Area) report(r *http.Request) (Report, error) {
	today := deadline.DateOf(web.Municipality(r).Local(a.DB.Now()))
	q := r.URL.Query()
	p := ParsePeriod(q.Get("year"), q.Get("quarter"), today)
	ms, err := a.Tenants.All(r.Context())
	if err != nil {
		return Report{}, err
	}
	return Build(r.Context(), ms, a.Portal.Region(), p, today)
}

const perPage = 100

func (a *Area) page(w http.ResponseWriter, r *http.Request) {
	rep, err := a.report(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	pg := web.NewPager(r.URL, perPage)
	pg.SetTotal(len(rep.Rows))
	rows := rep.Rows[min(pg.Offset(), len(rep.Rows)):min(pg.Offset()+perPage, len(rep.Rows))]
	years := []int{}
	for y := rep.Today.Year; y >= min(rep.Today.Year-5, rep.Period.Year); y-- {
		years = append(years, y)
	}
	a.Renderer.Page(w, r, http.StatusOK, "region/index", "Сводка по муниципалитетам региона", map[string]any{
		"Report": rep, "Rows": rows, "Pager": pg, "Columns": columns, "Years": years, "Quarters": []int{1, 2, 3, 4},
	})
}

func fileName(p Period, ext string) string {
	name := "region-" + strconv.Itoa(p.Year)
	if p.Quarter != 0 {
		name += "-q" + strconv.Itoa(p.Quarter)
	}
	return name + "." + ext
}

// export writes the report of the request as a download, the moments
// given as changed makes them.
func (a *Area) export(w http.ResponseWriter, r *http.Request, contentType, ext string, changed func(time.Time) any,
	write func(rep Report, header []string, rows [][]any) error) {
	rep, err := a.report(r)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	header, rows := rep.table(func(t time.Time) any {
		if t.IsZero() {
			return ""
		}
		return changed(t.UTC())
	})
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+fileName(rep.Period, ext)+`"`)
	if err := write(rep, header, rows); err != nil {
		a.Log.Error("region export", "format", ext, "err", err)
	}
}

func (a *Area) csv(w http.ResponseWriter, r *http.Request) {
	a.export(w, r, "text/csv; charset=utf-8", "csv", func(t time.Time) any { return t.Format(time.RFC3339) },
		func(_ Report, header []string, rows [][]any) error {
			cw := csv.NewWriter(w)
			if err := cw.Write(header); err != nil {
				return err
			}
			for _, row := range rows {
				rec := make([]string, len(row))
				for i, v := range row {
					rec[i] = fmt.Sprint(v)
				}
				if err := cw.Write(rec); err != nil {
					return err
				}
			}
			cw.Flush()
			return cw.Error()
		})
}

func (a *Area) xlsx(w http.ResponseWriter, r *http.Request) {
	a.export(w, r, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", func(t time.Time) any { return t },
		func(rep Report, header []string, rows [][]any) error {
			title := "Сводка по муниципалитетам региона: " + rep.Period.Title()
			return xlsxdoc.Write(w, xlsxdoc.Meta{Title: title},
				xlsxdoc.Sheet{Name: "Регион", Title: title, Subtitle: "По состоянию на " + rep.Today.Russian(), Header: header, Rows: rows})
		})
}
