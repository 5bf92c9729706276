package site

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/glasnost/glasnost/internal/web"
)

// CalendarItem is a published or scheduled news item on the publication
// calendar, at its local time of publication.
type CalendarItem struct {
	News
	At      time.Time // local
	CanEdit bool
}

// CalendarDay is a cell of the month grid; Day is 0 for the days of the
// neighbouring months that fill the first and last weeks.
type CalendarDay struct {
	Day   int
	Date  time.Time
	Today bool
	Items []CalendarItem
}

// MonthGrid lays the month of first (any time in it, in the municipality's
// zone) out in weeks from Monday to Sunday, each item on the day of its
// local publication time, in time order as given. today marks the current
// day when it falls in the month.
func MonthGrid(first time.Time, items []CalendarItem, today time.Time) [][]CalendarDay {
	loc := first.Location()
	start := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, loc)
	days := start.AddDate(0, 1, -1).Day()
	lead := (int(start.Weekday()) + 6) % 7 // Monday is 0
	cells := make([]CalendarDay, lead, lead+days+6)
	for d := 1; d <= days; d++ {
		date := time.Date(start.Year(), start.Month(), d, 0, 0, 0, 0, loc)
		c := CalendarDay{Day: d, Date: date}
		ty, tm, td := today.In(loc).Date()
		c.Today = ty == date.Year() && tm == date.Month() && td == d
		cells = append(cells, c)
	}
	for _, it := range items {
		at := it.At.In(loc)
		if at.Year() == start.Year() && at.Month() == start.Month() {
			i := lead + at.Day() - 1
			cells[i].Items = append(cells[i].Items, it)
		}
	}
	for len(cells)%7 != 0 {
		cells = append(cells, CalendarDay{})
	}
	var weeks [][]CalendarDay
	for i := 0; i < len(cells); i += 7 {
		weeks = append(weeks, cells[i:i+7])
	}
	return weeks
}

// ParseMonth reads «YYYY-MM» as the first moment of that month in loc; an
// empty value is the month of now.
func ParseMonth(s string, now time.Time, loc *time.Location) (time.Time, error) {
	if s == "" {
		y, m, _ := now.In(loc).Date()
		return time.Date(y, m, 1, 0, 0, 0, 0, loc), nil
	}
	t, err := time.ParseInLocation("2006-01", s, loc)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}, web.Invalid("Укажите месяц в виде ГГГГ-ММ, например 2026-12.")
	}
	return t, nil
}

// CalendarNews lists the news published or scheduled for publication in
// [from, to), in time order; departments narrows them as in NewsFilter.
func (st *Store) CalendarNews(ctx context.Context, munID int64, from, to time.Time, departments []int64) ([]News, error) {
	f := NewsFilter{Departments: departments}
	w, args := f.where(munID)
	w += ` AND ((n.state = ? AND n.published_at >= ? AND n.published_at < ?) OR (n.state = ? AND n.publish_at >= ? AND n.publish_at < ?))`
	args = append(args, StatePublished, from.UTC(), to.UTC(), StateScheduled, from.UTC(), to.UTC())
	rows, err := st.DB.Query(ctx, `SELECT `+newsColumns+newsFrom+` WHERE `+w+` ORDER BY COALESCE(n.published_at, n.publish_at), n.id LIMIT 2000`, args...)
	if err != nil {
		return nil, fmt.Errorf("calendar news: %w", err)
	}
	defer rows.Close()
	var out []News
	for rows.Next() {
		n, err := scanNews(rows)
		if err != nil {
			return nil, fmt.Errorf("scan news: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

var monthNames = [...]string{"Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь"}

// monthGenitive names months in dates («5 декабря»).
var monthGenitive = [...]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}

func (a *Area) newsCalendar(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	loc := locationOf(m)
	now := a.DB.Now()
	first, err := ParseMonth(r.URL.Query().Get("month"), now, loc)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	v := viewer(r)
	var depts []int64
	if !SeesAllNews(v) {
		depts = []int64{}
		if v.DepartmentID != 0 {
			depts = []int64{v.DepartmentID}
		}
	}
	next := first.AddDate(0, 1, 0)
	news, err := a.Store.CalendarNews(r.Context(), m.ID, first, next, depts)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	items := make([]CalendarItem, len(news))
	published, scheduled := 0, 0
	for i, n := range news {
		at := n.PublishedAt
		if n.State == StateScheduled {
			at, scheduled = n.PublishAt, scheduled+1
		} else {
			published++
		}
		items[i] = CalendarItem{News: n, At: at.In(loc), CanEdit: CanEditNews(v, n.DepartmentID)}
	}
	title := monthNames[first.Month()-1] + " " + fmt.Sprint(first.Year())
	a.Renderer.Page(w, r, http.StatusOK, "site/admin_news_calendar", "Календарь публикаций: "+title, map[string]any{
		"Month": title, "Weeks": MonthGrid(first, items, now), "Value": first.Format("2006-01"),
		"Prev": first.AddDate(0, -1, 0).Format("2006-01"), "Next": next.Format("2006-01"),
		"PrevLabel": monthNames[first.AddDate(0, -1, 0).Month()-1], "NextLabel": monthNames[next.Month()-1],
		"Published": published, "Scheduled": scheduled, "AllDepartments": SeesAllNews(v),
		"Genitive": monthGenitive[first.Month()-1],
	})
}
