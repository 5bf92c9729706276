package media

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/chart"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/pdfdoc"
	"github.com/glasnost/glasnost/internal/tenant"
)

// Count is a labelled number in a digest.
type Count struct {
	Label string `json:"label"`
	N     int    `json:"n"`
}

// DigestLink is a negative mention listed in a digest.
type DigestLink struct {
	Title  string `json:"title"`
	Link   string `json:"link"`
	Source string `json:"source"`
}

// DigestData is what a digest counted.
type DigestData struct {
	BySource   []Count      `json:"by_source"`
	ByTopic    []Count      `json:"by_topic"`
	ByTonality []Count      `json:"by_tonality"`
	Negative   []DigestLink `json:"negative"`
}

// Digest is the weekly monitoring digest.
type Digest struct {
	ID            int64
	WeekStart     string
	Total         int
	PreviousTotal int
	Data          DigestData
	CreatedAt     time.Time
}

// Week names the digest's week.
func (d Digest) Week() string { return WeekLabel(d.WeekStart) }

// Change describes the change against the previous week in Russian.
func (d Digest) Change() string {
	diff := d.Total - d.PreviousTotal
	switch {
	case diff > 0:
		return fmt.Sprintf("на %d больше, чем неделей ранее (%d)", diff, d.PreviousTotal)
	case diff < 0:
		return fmt.Sprintf("на %d меньше, чем неделей ранее (%d)", -diff, d.PreviousTotal)
	}
	return fmt.Sprintf("столько же, сколько неделей ранее (%d)", d.PreviousTotal)
}

func bars(cs []Count) []chart.Bar {
	out := make([]chart.Bar, len(cs))
	for i, c := range cs {
		out[i] = chart.Bar{Label: c.Label, Value: c.N}
	}
	return out
}

// SourceChart, TopicChart and TonalityChart are the digest's SVG charts.
func (d Digest) SourceChart() template.HTML {
	return chart.Bars("by-source", "Упоминания по источникам", bars(d.Data.BySource))
}

// TopicChart draws mentions by topic.
func (d Digest) TopicChart() template.HTML {
	return chart.Bars("by-topic", "Упоминания по темам", bars(d.Data.ByTopic))
}

// TonalityChart draws mentions by tonality.
func (d Digest) TonalityChart() template.HTML {
	return chart.Bars("by-tonality", "Упоминания по тональности", bars(d.Data.ByTonality))
}

// MakeDigest counts a week's mentions.
func MakeDigest(monday string, ms []Mention, previous int) Digest {
	d := Digest{WeekStart: monday, Total: len(ms), PreviousTotal: previous}
	src, top := map[string]int{}, map[string]int{}
	ton := map[string]int{}
	for _, m := range ms {
		src[m.Source]++
		t := m.Topic
		if t == "" {
			t = "без темы"
		}
		top[t]++
		ton[m.Tonality]++
		if m.Tonality == Negative {
			d.Data.Negative = append(d.Data.Negative, DigestLink{Title: m.Title, Link: m.Link, Source: m.Source})
		}
	}
	d.Data.BySource, d.Data.ByTopic = sortedCounts(src), sortedCounts(top)
	for _, t := range Tonalities {
		d.Data.ByTonality = append(d.Data.ByTonality, Count{Label: t.Label, N: ton[t.Value]})
	}
	d.Data.ByTonality = append(d.Data.ByTonality, Count{Label: "Не оценена", N: ton[""]})
	return d
}

func sortedCounts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{Label: k, N: v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Label < out[j].Label
	})
	return out
}

const digestCols = `id, week_start, total, previous_total, data, created_at`

func scanDigest(s interface{ Scan(...any) error }) (Digest, error) {
	var d Digest
	var data string
	if err := s.Scan(&d.ID, &d.WeekStart, &d.Total, &d.PreviousTotal, &data, &d.CreatedAt); err != nil {
		return d, err
	}
	return d, json.Unmarshal([]byte(data), &d.Data)
}

// Digests lists one page of digests, newest first.
func Digests(ctx context.Context, q db.Querier, munID int64, limit, offset int) ([]Digest, int, error) {
	var total int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM media_digests WHERE municipality_id = ?`, munID).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := q.Query(ctx, `SELECT `+digestCols+` FROM media_digests WHERE municipality_id = ? ORDER BY week_start DESC LIMIT ? OFFSET ?`, munID, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Digest
	for rows.Next() {
		d, err := scanDigest(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, d)
	}
	return out, total, rows.Err()
}

// GetDigest reads one digest.
func GetDigest(ctx context.Context, q db.Querier, munID, id int64) (Digest, error) {
	d, err := scanDigest(q.QueryRow(ctx, `SELECT `+digestCols+` FROM media_digests WHERE municipality_id = ? AND id = ?`, munID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, db.ErrNotFound
	}
	return d, err
}

func (a *Area) weekStart(m tenant.Municipality, monday string) time.Time {
	t, _ := time.Parse(time.DateOnly, monday)
	loc := m.Location
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// WeekDigest makes the monitoring digest of the week starting on monday
// once, publishes it (event media.digest_published) and mails it to the
// press secretaries and administrators. A municipality without sources has
// no digest.
func (a *Area) WeekDigest(ctx context.Context, m tenant.Municipality, monday string) (Digest, error) {
	return a.weekDigest(ctx, m, monday, true)
}

func (a *Area) weekDigest(ctx context.Context, m tenant.Municipality, monday string, mail bool) (Digest, error) {
	var n int
	if err := a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM media_digests WHERE municipality_id = ? AND week_start = ?`, m.ID, monday).Scan(&n); err != nil || n > 0 {
		return Digest{}, err
	}
	var sources int
	if err := a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM media_sources WHERE municipality_id = ?`, m.ID).Scan(&sources); err != nil || sources == 0 {
		return Digest{}, err
	}
	from := a.weekStart(m, monday)
	ms, _, err := Mentions(ctx, a.DB, m.ID, MentionFilter{From: from, To: from.AddDate(0, 0, 7)}, 100000, 0)
	if err != nil {
		return Digest{}, err
	}
	var prev int
	if err := a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM media_mentions WHERE municipality_id = ? AND published_at >= ? AND published_at < ?`,
		m.ID, from.AddDate(0, 0, -7).UTC(), from.UTC()).Scan(&prev); err != nil {
		return Digest{}, err
	}
	d := MakeDigest(monday, ms, prev)
	data, err := json.Marshal(d.Data)
	if err != nil {
		return Digest{}, err
	}
	now := a.DB.Now()
	err = a.DB.InTx(ctx, func(tx *db.Tx) error {
		id, err := db.InsertID(ctx, tx, `INSERT INTO media_digests (municipality_id, week_start, total, previous_total, data, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			m.ID, monday, d.Total, d.PreviousTotal, string(data), now)
		if err != nil {
			return err
		}
		d.ID, d.CreatedAt = id, now
		url := "/media/digests/" + strconv.FormatInt(id, 10)
		if err := events.Record(ctx, tx, events.Event{MunicipalityID: m.ID, Kind: events.MediaDigestPublished, ObjectType: "media_digest",
			ObjectID: strconv.FormatInt(id, 10), Title: "Обзор мониторинга СМИ и социальных сетей: " + d.Week(), URL: url, OccurredAt: now}); err != nil {
			return err
		}
		if !mail {
			return nil
		}
		to, err := a.People.Recipients(ctx, tx, m.ID, auth.Audience{Roles: []string{auth.Press, auth.Administrator}})
		if err != nil {
			return err
		}
		for _, p := range to {
			if err := a.Mailer.Queue(ctx, tx, p.Email, "media_digest", map[string]any{"Name": p.Name, "D": d, "BaseURL": a.BaseURL}); err != nil {
				return err
			}
		}
		return nil
	})
	if db.IsUniqueViolation(err) {
		return Digest{}, nil
	}
	return d, err
}

// WriteDigestPDF writes the digest as a PDF document.
func WriteDigestPDF(w io.Writer, municipality string, d Digest) error {
	pdf := pdfdoc.New("P", pdfdoc.Meta{Title: "Обзор мониторинга СМИ: " + d.Week(), Author: municipality})
	pdf.SetMargins(15, 15, 15)
	pdf.AddPage()
	pdf.SetFont(pdfdoc.Font, "B", 14)
	pdf.MultiCell(0, 7, "Обзор мониторинга СМИ и социальных сетей", "", "L", false)
	pdf.SetFont(pdfdoc.Font, "", 11)
	pdf.MultiCell(0, 6, municipality+", "+d.Week(), "", "L", false)
	pdf.MultiCell(0, 6, fmt.Sprintf("Упоминаний: %d — %s.", d.Total, d.Change()), "", "L", false)
	section := func(title string, cs []Count) {
		pdf.Ln(3)
		pdf.SetFont(pdfdoc.Font, "B", 12)
		pdf.MultiCell(0, 7, title, "", "L", false)
		pdf.SetFont(pdfdoc.Font, "", 10)
		top := 1
		for _, c := range cs {
			top = max(top, c.N)
		}
		for _, c := range cs {
			pdf.CellFormat(70, 6, c.Label, "", 0, "L", false, 0, "")
			x, y := pdf.GetX(), pdf.GetY()
			if c.N > 0 {
				pdf.SetFillColor(60, 90, 160)
				pdf.Rect(x, y+1, 80*float64(c.N)/float64(top), 4, "F")
			}
			pdf.SetX(x + 82)
			pdf.CellFormat(20, 6, strconv.Itoa(c.N), "", 1, "L", false, 0, "")
		}
	}
	section("По источникам", d.Data.BySource)
	section("По темам", d.Data.ByTopic)
	section("По тональности", d.Data.ByTonality)
	pdf.Ln(3)
	pdf.SetFont(pdfdoc.Font, "B", 12)
	pdf.MultiCell(0, 7, "Негативные упоминания", "", "L", false)
	pdf.SetFont(pdfdoc.Font, "", 10)
	if len(d.Data.Negative) == 0 {
		pdf.MultiCell(0, 6, "Нет.", "", "L", false)
	}
	for _, n := range d.Data.Negative {
		pdf.MultiCell(0, 5, "• "+n.Title+" ("+n.Source+")", "", "L", false)
		if n.Link != "" {
			pdf.SetTextColor(30, 60, 160)
			pdf.WriteLinkString(5, "  "+n.Link, n.Link)
			pdf.SetTextColor(0, 0, 0)
			pdf.Ln(6)
		}
	}
	return pdf.Output(w)
}
