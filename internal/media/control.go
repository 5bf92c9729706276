package media

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/search"
)

// Control is the press secretary's mark of an item in the weekly control.
type Control struct {
	Status  string
	Reason  string
	MovedTo string // for a moved item, the new date (YYYY-MM-DD)
	URL     string // the publication
	Title   string
}

// ValidateControl checks a mark: a moved or cancelled item needs the
// reason, a moved one the new date after its week, a done one may name
// the publication.
func ValidateControl(c Control, it Item) Errors {
	e := Errors{}
	switch c.Status {
	case StatusPlanned, StatusDone:
	case StatusMoved, StatusCancelled:
		if strings.TrimSpace(c.Reason) == "" {
			e["reason"] = "Укажите причину переноса или отмены."
		}
	default:
		e["status"] = "Выберите отметку об исполнении."
	}
	if utf8.RuneCountInString(c.Reason) > 1000 {
		e["reason"] = "Причина длиннее 1000 знаков."
	}
	if c.Status == StatusMoved {
		t, ok := ParseDay(c.MovedTo)
		switch {
		case !ok:
			e["moved_to"] = "Укажите новую дату в формате ДД.ММ.ГГГГ."
		case t.Format(time.DateOnly) <= it.WeekStart:
			e["moved_to"] = "Новая дата должна быть позже начала планировавшейся недели."
		}
	}
	if c.URL != "" && !safeLink(c.URL) {
		e["url"] = "Ссылка на публикацию — адрес вида https://… или /news/…"
	}
	return e
}

func safeLink(s string) bool {
	if strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") {
		return true
	}
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// Publication is something published in the week: a news item of the
// portal or a monitored mention.
type Publication struct {
	Source string
	Title  string
	URL    string
	At     time.Time
}

// Suggest picks, for an item, the publication whose title shares the most
// word stems with the item's topic (at least two, or one for a one-word
// topic), or nothing.
func Suggest(it Item, pubs []Publication) (Publication, bool) {
	topic := map[string]bool{}
	for _, s := range search.Stems(it.Topic) {
		topic[s] = true
	}
	need := 2
	if len(topic) < 2 {
		need = 1
	}
	best, bestN := Publication{}, 0
	for _, p := range pubs {
		n := 0
		seen := map[string]bool{}
		for _, s := range search.Stems(p.Title) {
			if topic[s] && !seen[s] {
				n++
				seen[s] = true
			}
		}
		if n > bestN {
			best, bestN = p, n
		}
	}
	return best, bestN >= need && bestN > 0
}

// ReportRow is one item as the weekly report keeps it.
type ReportRow struct {
	Topic       string `json:"topic"`
	Channel     string `json:"channel"`
	When        string `json:"when"`
	Department  string `json:"department"`
	Status      string `json:"status"`
	Reason      string `json:"reason,omitempty"`
	MovedTo     string `json:"moved_to,omitempty"`
	Publication string `json:"publication,omitempty"`
	Title       string `json:"title,omitempty"`
}

// StatusLabel names the row's status.
func (r ReportRow) StatusLabel() string { return label(Statuses, r.Status) }

// ChannelLabel names the row's channel.
func (r ReportRow) ChannelLabel() string { return label(Channels, r.Channel) }

// MovedToRU is the new date as Russians write it.
func (r ReportRow) MovedToRU() string { return russianDate(r.MovedTo) }

// Report is the weekly report of the plan against what was published.
type Report struct {
	ID        int64
	WeekStart string
	Planned   int
	Done      int
	Moved     int
	Cancelled int
	Open      int
	Rows      []ReportRow
	CreatedAt time.Time
}

// Week names the report's week.
func (r Report) Week() string { return WeekLabel(r.WeekStart) }

// DonePercent is the share of planned items done, in whole percent.
func (r Report) DonePercent() int {
	if r.Planned == 0 {
		return 0
	}
	return (r.Done*100 + r.Planned/2) / r.Planned
}

// MakeReport counts a week's items.
func MakeReport(monday string, items []Item) Report {
	r := Report{WeekStart: monday, Planned: len(items)}
	for _, it := range items {
		switch it.Status {
		case StatusDone:
			r.Done++
		case StatusMoved:
			r.Moved++
		case StatusCancelled:
			r.Cancelled++
		default:
			r.Open++
		}
		r.Rows = append(r.Rows, ReportRow{Topic: it.Topic, Channel: it.Channel, When: it.When(), Department: it.Department,
			Status: it.Status, Reason: it.StatusReason, MovedTo: it.MovedTo, Publication: it.PublicationURL, Title: it.PublicationTitle})
	}
	return r
}

// Summary is the report in one Russian sentence.
func (r Report) Summary() string {
	return fmt.Sprintf("Запланировано %d, выполнено %d (%d%%), перенесено %d, отменено %d, без отметки %d.",
		r.Planned, r.Done, r.DonePercent(), r.Moved, r.Cancelled, r.Open)
}
