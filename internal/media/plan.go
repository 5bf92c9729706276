package media

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Option is a code and its Russian label.
type Option struct{ Value, Label string }

// Channels are where a plan item is published (the fixed list).
var Channels = []Option{
	{"site", "Официальный сайт"},
	{"newspaper", "Газета"},
	{"tv", "Телевидение"},
	{"radio", "Радио"},
	{"social", "Аккаунты в социальных сетях"},
	{"press_conference", "Пресс-конференция"},
	{"briefing", "Брифинг"},
}

// Item statuses in the weekly control.
const (
	StatusPlanned   = "planned"
	StatusDone      = "done"
	StatusMoved     = "moved"
	StatusCancelled = "cancelled"
)

// Statuses label the item statuses.
var Statuses = []Option{
	{StatusPlanned, "Запланировано"},
	{StatusDone, "Выполнено"},
	{StatusMoved, "Перенесено"},
	{StatusCancelled, "Отменено"},
}

func label(opts []Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

// ParseChannel accepts a channel's code or its Russian label (any case).
func ParseChannel(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, o := range Channels {
		if o.Value == s || strings.EqualFold(o.Label, s) {
			return o.Value, true
		}
	}
	// Short forms people type in a spreadsheet.
	switch strings.ToLower(s) {
	case "сайт":
		return "site", true
	case "тв":
		return "tv", true
	case "социальные сети", "соцсети":
		return "social", true
	}
	return "", false
}

// Plan is the media plan of one year.
type Plan struct {
	ID         int64
	Year       int
	Title      string
	ActNumber  string
	ActDate    string
	ActURL     string
	ApprovedAt *time.Time
	Items      int
}

// Approved reports whether the approving act has been recorded.
func (p Plan) Approved() bool { return p.ApprovedAt != nil }

// ActDateRU is the act's date as Russians write it.
func (p Plan) ActDateRU() string { return russianDate(p.ActDate) }

// Item is one line of a media plan.
type Item struct {
	ID               int64
	PlanID           int64
	Topic            string
	Channel          string
	WeekStart        string // the Monday of the planned week, YYYY-MM-DD
	PlannedDate      string // the planned day, or "" when only the week is planned
	DepartmentID     int64
	Department       string
	Material         string
	Status           string
	StatusReason     string
	MovedTo          string
	PublicationURL   string
	PublicationTitle string
}

// ChannelLabel names the channel.
func (it Item) ChannelLabel() string { return label(Channels, it.Channel) }

// StatusLabel names the status.
func (it Item) StatusLabel() string { return label(Statuses, it.Status) }

// When is the planned date or week in Russian.
func (it Item) When() string {
	if it.PlannedDate != "" {
		return russianDate(it.PlannedDate)
	}
	return WeekLabel(it.WeekStart)
}

// Week is the ISO week number of the item's week.
func (it Item) Week() int {
	t, err := time.Parse(time.DateOnly, it.WeekStart)
	if err != nil {
		return 0
	}
	_, w := t.ISOWeek()
	return w
}

// Errors are field errors in Russian, keyed by field name.
type Errors map[string]string

// WeekMonday is the Monday of ISO week w of year y.
func WeekMonday(y, w int) time.Time {
	jan4 := time.Date(y, time.January, 4, 0, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, 7*(w-1))
}

// MondayOf is the Monday of the week holding t.
func MondayOf(t time.Time) time.Time {
	t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

// weeksIn is the number of ISO weeks of year y.
func weeksIn(y int) int {
	_, w := time.Date(y, time.December, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
	return w
}

// WeekLabel describes a week by its Monday: «неделя 12 (16.03–22.03.2026)».
func WeekLabel(monday string) string {
	t, err := time.Parse(time.DateOnly, monday)
	if err != nil {
		return monday
	}
	_, w := t.ISOWeek()
	end := t.AddDate(0, 0, 6)
	return fmt.Sprintf("неделя %d (%s–%s)", w, t.Format("02.01"), end.Format("02.01.2006"))
}

func russianDate(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return t.Format("02.01.2006")
}

// ParseDay reads a date as ГГГГ-ММ-ДД or ДД.ММ.ГГГГ.
func ParseDay(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.DateOnly, "02.01.2006", "2.1.2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ResolveWhen turns the planned week number or date of an item of a plan
// of year y into the week's Monday and the date ("" for a week). It fails
// with a Russian message for the field at fault.
func ResolveWhen(y int, week, date string) (monday, day string, field, msg string) {
	week, date = strings.TrimSpace(week), strings.TrimSpace(date)
	switch {
	case date != "":
		t, ok := ParseDay(date)
		if !ok {
			return "", "", "date", "Укажите дату в формате ДД.ММ.ГГГГ, например 16.03." + strconv.Itoa(y) + "."
		}
		if t.Year() != y {
			return "", "", "date", fmt.Sprintf("Дата должна относиться к %d году — году медиаплана.", y)
		}
		return MondayOf(t).Format(time.DateOnly), t.Format(time.DateOnly), "", ""
	case week != "":
		n, err := strconv.Atoi(week)
		if err != nil || n < 1 || n > weeksIn(y) {
			return "", "", "week", fmt.Sprintf("Номер недели — число от 1 до %d.", weeksIn(y))
		}
		return WeekMonday(y, n).Format(time.DateOnly), "", "", ""
	}
	return "", "", "week", "Укажите неделю или дату."
}

// ValidateItem checks an item's texts and channel.
func ValidateItem(it Item) Errors {
	e := Errors{}
	switch n := utf8.RuneCountInString(it.Topic); {
	case n == 0:
		e["topic"] = "Укажите тему."
	case n > 500:
		e["topic"] = "Тема длиннее 500 знаков."
	}
	if _, ok := ParseChannel(it.Channel); !ok {
		e["channel"] = "Выберите канал из списка."
	}
	if utf8.RuneCountInString(it.Material) > 2000 {
		e["material"] = "Описание материала длиннее 2000 знаков."
	}
	return e
}

// ValidatePlan checks a plan's header; approving needs the act.
func ValidatePlan(p Plan, approving bool) Errors {
	e := Errors{}
	if strings.TrimSpace(p.Title) == "" {
		e["title"] = "Укажите название медиаплана."
	} else if utf8.RuneCountInString(p.Title) > 300 {
		e["title"] = "Название длиннее 300 знаков."
	}
	if utf8.RuneCountInString(p.ActNumber) > 50 {
		e["act_number"] = "Номер акта длиннее 50 знаков."
	}
	if p.ActDate != "" {
		if _, ok := ParseDay(p.ActDate); !ok {
			e["act_date"] = "Укажите дату акта в формате ДД.ММ.ГГГГ."
		}
	}
	if p.ActURL != "" {
		u, err := url.Parse(p.ActURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			if !strings.HasPrefix(p.ActURL, "/") || strings.HasPrefix(p.ActURL, "//") {
				e["act_url"] = "Ссылка на акт — адрес вида https://… или /acts/…"
			}
		}
	}
	if approving {
		if p.ActNumber == "" {
			e["act_number"] = "Для утверждения укажите номер акта."
		}
		if p.ActDate == "" {
			e["act_date"] = "Для утверждения укажите дату акта."
		}
	}
	return e
}

// ValidateYear checks the year of a new plan.
func ValidateYear(s string, now time.Time) (int, string) {
	y, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || y < 2000 || y > now.Year()+2 {
		return 0, fmt.Sprintf("Год — число от 2000 до %d.", now.Year()+2)
	}
	return y, ""
}
