package media

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/markdown"
)

// The feed parser reads RSS 2.0 (and RSS 1.0/RDF items) and Atom 1.0 with
// encoding/xml. github.com/mmcdole/gofeed was checked first: the module
// proxy serves it only from an earlier copy, not an approved release, so
// the portal does not depend on it; the two formats need little code.

// Entry is one item of a fetched feed, its texts as plain text.
type Entry struct {
	Title     string
	Link      string
	GUID      string
	Summary   string
	Published time.Time // zero when the feed gave no readable date
}

// ErrNotFeed is a document that is neither RSS nor Atom.
var ErrNotFeed = errors.New("документ не является лентой RSS или Atom")

type rssItem struct {
	Title       string `xml:"title"`
	Link        string `xml:"link"`
	GUID        string `xml:"guid"`
	PubDate     string `xml:"pubDate"`
	Date        string `xml:"http://purl.org/dc/elements/1.1/ date"`
	Description string `xml:"description"`
}

type rssDoc struct {
	Channel struct {
		Title string    `xml:"title"`
		Items []rssItem `xml:"item"`
	} `xml:"channel"`
	Items []rssItem `xml:"item"` // RSS 1.0 (RDF) keeps items beside the channel
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",innerxml"`
}

type atomEntry struct {
	Title     atomText   `xml:"title"`
	Links     []atomLink `xml:"link"`
	ID        string     `xml:"id"`
	Published string     `xml:"published"`
	Updated   string     `xml:"updated"`
	Summary   atomText   `xml:"summary"`
	Content   atomText   `xml:"content"`
}

type atomDoc struct {
	Title   string      `xml:"title"`
	Entries []atomEntry `xml:"entry"`
}

// ParseFeed reads an RSS or Atom document. Invalid or truncated XML is an
// error; a bad date only leaves the entry's date zero.
func ParseFeed(b []byte) (title string, entries []Entry, err error) {
	root, err := rootElement(b)
	if err != nil {
		return "", nil, err
	}
	switch strings.ToLower(root) {
	case "rss", "rdf":
		var d rssDoc
		if err := decode(b, &d); err != nil {
			return "", nil, err
		}
		for _, it := range append(d.Channel.Items, d.Items...) {
			date := it.PubDate
			if date == "" {
				date = it.Date
			}
			entries = append(entries, Entry{Title: plain(it.Title, 500), Link: strings.TrimSpace(it.Link), GUID: strings.TrimSpace(it.GUID),
				Summary: plain(it.Description, 2000), Published: parseFeedDate(date)})
		}
		return plain(d.Channel.Title, 300), entries, nil
	case "feed":
		var d atomDoc
		if err := decode(b, &d); err != nil {
			return "", nil, err
		}
		for _, e := range d.Entries {
			link := ""
			for _, l := range e.Links {
				if l.Rel == "" || l.Rel == "alternate" {
					link = strings.TrimSpace(l.Href)
					break
				}
			}
			sum := e.Summary
			if strings.TrimSpace(sum.Body) == "" {
				sum = e.Content
			}
			date := e.Published
			if date == "" {
				date = e.Updated
			}
			entries = append(entries, Entry{Title: atomPlain(e.Title, 500), Link: link, GUID: strings.TrimSpace(e.ID),
				Summary: atomPlain(sum, 2000), Published: parseFeedDate(date)})
		}
		return plain(d.Title, 300), entries, nil
	}
	return "", nil, ErrNotFeed
}

// rootElement is the local name of the document's first element.
func rootElement(b []byte) (string, error) {
	dec := newDecoder(b)
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return "", ErrNotFeed
			}
			return "", xmlError(err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local, nil
		}
	}
}

func newDecoder(b []byte) *xml.Decoder {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	dec.CharsetReader = charsetReader
	// Feeds use HTML entities (&nbsp;, &laquo;) without declaring them.
	dec.Entity = xml.HTMLEntity
	return dec
}

func decode(b []byte, v any) error {
	if err := newDecoder(b).Decode(v); err != nil {
		return xmlError(err)
	}
	return nil
}

func xmlError(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		if strings.Contains(se.Msg, "unexpected EOF") {
			return fmt.Errorf("лента оборвана (строка %d): документ XML не закончен", se.Line)
		}
		return fmt.Errorf("ошибка XML в строке %d: %s", se.Line, se.Msg)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("лента оборвана: документ XML не закончен")
	}
	return fmt.Errorf("ошибка XML: %v", err)
}

// plain turns a feed text (which may hold HTML) into plain text of at most
// max runes.
func plain(s string, max int) string {
	s = markdown.OneLine(s)
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = strings.TrimSpace(string(r[:max-1])) + "…"
	}
	return s
}

// atomPlain reads an Atom text construct: "html" holds escaped HTML,
// "xhtml" markup, "text" text.
func atomPlain(t atomText, max int) string {
	body := t.Body
	if t.Type != "xhtml" {
		// innerxml keeps escapes and CDATA as written: decode them.
		var s string
		if err := newDecoder([]byte("<x>" + body + "</x>")).Decode(&s); err == nil {
			body = s
		}
	}
	return plain(body, max)
}

var feedDateLayouts = []string{
	time.RFC1123Z, time.RFC1123, time.RFC822Z, time.RFC822, time.RFC3339, time.RFC3339Nano,
	"Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST", "2 Jan 2006 15:04:05 -0700",
	"Mon, 02 Jan 2006 15:04 -0700", "Mon, 2 Jan 2006 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02",
}

// parseFeedDate reads the dates feeds write; a date it cannot read is zero.
func parseFeedDate(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, l := range feedDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "windows-1251", "cp1251", "win-1251":
		b, err := io.ReadAll(in)
		if err != nil {
			return nil, err
		}
		return strings.NewReader(decode1251(b)), nil
	}
	return nil, fmt.Errorf("кодировка %q не поддерживается (нужна UTF-8 или windows-1251)", label)
}

var cp1251High = [64]rune{
	0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
	0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
	0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
	0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
}

func decode1251(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) * 2)
	for _, c := range b {
		switch {
		case c < 0x80:
			sb.WriteByte(c)
		case c < 0xC0:
			sb.WriteRune(cp1251High[c-0x80])
		default:
			sb.WriteRune(rune(c-0xC0) + 0x0410)
		}
	}
	return sb.String()
}
