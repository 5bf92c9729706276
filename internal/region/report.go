package region

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
)

// Period is the report's period: a year, or one quarter of it.
type Period struct {
	Year    int
	Quarter int // 1–4, or 0 for the whole year
}

// ParsePeriod reads ?year= and ?quarter=; the current year by default, and
// by default too for values out of range.
func ParsePeriod(year, quarter string, today deadline.Date) Period {
	p := Period{Year: today.Year}
	if y, err := strconv.Atoi(year); err == nil && y >= 2000 && y <= today.Year {
		p.Year = y
	}
	if q, err := strconv.Atoi(quarter); err == nil && q >= 1 && q <= 4 {
		p.Quarter = q
	}
	return p
}

// Dates are the period's first and last days.
func (p Period) Dates() (deadline.Date, deadline.Date) {
	if p.Quarter == 0 {
		return deadline.NewDate(p.Year, time.January, 1), deadline.NewDate(p.Year, time.December, 31)
	}
	from := deadline.NewDate(p.Year, time.Month(3*p.Quarter-2), 1)
	return from, deadline.NewDate(p.Year, time.Month(3*p.Quarter+1), 1).AddDays(-1)
}

// Title names the period in Russian.
func (p Period) Title() string {
	if p.Quarter == 0 {
		return strconv.Itoa(p.Year) + " год"
	}
	return [...]string{"I", "II", "III", "IV"}[p.Quarter-1] + " квартал " + strconv.Itoa(p.Year) + " года"
}

// Query is the period as a query string, for the export links.
func (p Period) Query() string {
	q := "?year=" + strconv.Itoa(p.Year)
	if p.Quarter != 0 {
		q += "&quarter=" + strconv.Itoa(p.Quarter)
	}
	return q
}

// Row is one municipality's line of the report (or the totals).
type Row struct {
	Name, Host string
	// Figures by portal.Region* key.
	Figures map[string]int
	// Changed is the last change of any of its datasets, zero when none.
	Changed time.Time
}

// Fig is a figure by key, for templates.
func (r Row) Fig(key string) int { return r.Figures[key] }

// Report is the whole table.
type Report struct {
	Period Period
	Today  deadline.Date
	Rows   []Row
	Total  Row
}

// columns are the report's figures in their order, with their headers.
var columns = []struct{ Key, Label string }{
	{portal.RegionAppealsReceived, "Обращений поступило"},
	{portal.RegionAppealsAnswered, "Обращений рассмотрено с ответом"},
	{portal.RegionAppealsInTerm, "Из них в срок"},
	{portal.RegionAppealsOpen, "Обращений на рассмотрении сейчас"},
	{portal.RegionAppealsOverdue, "Из них с истёкшим сроком"},
	{portal.RegionMeasures, "Мероприятий дорожной карты"},
	{portal.RegionMeasuresDone, "Мероприятий выполнено"},
	{portal.RegionMeasuresOverdue, "Мероприятий просрочено"},
	{portal.RegionDatasets, "Наборов открытых данных"},
	{portal.RegionDatasetsOverdue, "Наборов с просроченным обновлением"},
}

// Build makes the report: the municipalities sorted by name, each area's
// figures read once for all of them.
func Build(ctx context.Context, ms []tenant.Municipality, sources []portal.RegionSource, p Period, today deadline.Date) (Report, error) {
	from, to := p.Dates()
	rep := Report{Period: p, Today: today, Total: Row{Name: "Итого", Figures: map[string]int{}}}
	byID := map[int64]*Row{}
	rep.Rows = make([]Row, len(ms))
	sorted := slices.Clone(ms)
	slices.SortStableFunc(sorted, func(x, y tenant.Municipality) int { return cmp.Compare(x.Name, y.Name) })
	for i, m := range sorted {
		rep.Rows[i] = Row{Name: m.Name, Figures: map[string]int{}}
		if len(m.Hosts) > 0 {
			rep.Rows[i].Host = m.Hosts[0]
		}
		byID[m.ID] = &rep.Rows[i]
	}
	for _, src := range sources {
		figs, err := src(ctx, from, to, today)
		if err != nil {
			return rep, err
		}
		for _, f := range figs {
			row := byID[f.MunicipalityID]
			if row == nil {
				continue
			}
			if f.Key == portal.RegionDatasetsChanged {
				if f.At.After(row.Changed) {
					row.Changed = f.At
				}
				if f.At.After(rep.Total.Changed) {
					rep.Total.Changed = f.At
				}
				continue
			}
			row.Figures[f.Key] += f.Value
			rep.Total.Figures[f.Key] += f.Value
		}
	}
	return rep, nil
}

// table is the report as cells: the header, a line per municipality and
// the totals.
func (rep Report) table(changed func(time.Time) any) ([]string, [][]any) {
	header := []string{"Муниципальное образование", "Адрес портала"}
	for _, c := range columns {
		header = append(header, c.Label)
	}
	header = append(header, "Последнее изменение наборов")
	line := func(row Row) []any {
		out := []any{row.Name, row.Host}
		for _, c := range columns {
			out = append(out, row.Figures[c.Key])
		}
		return append(out, changed(row.Changed))
	}
	var rows [][]any
	for _, row := range rep.Rows {
		rows = append(rows, line(row))
	}
	return header, append(rows, line(rep.Total))
}
