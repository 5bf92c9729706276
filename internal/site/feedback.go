package site

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Feedback is one answer to «Полезна ли информация?» (roadmap measure 2.2):
// how relevant, complete and useful a page was, from 1 to 5 (0 when the
// visitor did not say, stored as NULL), and what the resident would add to
// the site. It holds no personal data.
type Feedback struct {
	ID           int64
	Path         string
	SectionID    int64
	Relevance    int
	Completeness int
	Usefulness   int
	Suggestion   string
	CreatedAt    time.Time
}

// MaxSuggestion is the longest suggestion accepted, in characters.
const MaxSuggestion = 2000

// FeedbackScales are the three questions, in the order of the form.
var FeedbackScales = []struct{ Name, Legend string }{
	{"relevance", "Актуальность информации"},
	{"completeness", "Полнота информации"},
	{"usefulness", "Полезность информации"},
}

// ParseScore reads a 1–5 rating.
func ParseScore(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 5 {
		return 0, false
	}
	return n, true
}

// PageTitle is the rated page's title as the rating form sent it, so that
// the form shown again names the page as the visitor knows it, not by its
// address; a missing or overlong title gives "" (the address is shown).
func PageTitle(raw string) string {
	t := strings.Join(strings.Fields(raw), " ")
	if utf8.RuneCountInString(t) > 300 {
		return ""
	}
	return t
}

// nullScore stores an unanswered score as NULL, which AVG leaves out.
func nullScore(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// CleanReturnPath accepts only a local path to go back to after rating, so
// that the form cannot be used to send people to another site. The query is
// dropped: it is not part of what was rated and can hold personal data.
func CleanReturnPath(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "", false
	}
	p := u.Path
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.Contains(p, `\`) || len(p) > 500 {
		return "", false
	}
	return p, true
}

// RatingKey is the one-per-day key for an identity (an address or a browser
// id) and a page: a keyed hash, so that the stored value cannot be reversed
// to the address by trying all of them, and one that changes every day.
func RatingKey(secret []byte, kind, identity, path, day string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(kind + "\x00" + identity + "\x00" + path + "\x00" + day))
	return hex.EncodeToString(m.Sum(nil))
}

// FeedbackSummary aggregates the answers for a page or a section.
type FeedbackSummary struct {
	Key          string // path or section title
	Href         string
	Count        int
	Relevance    float64
	Completeness float64
	Usefulness   float64
	Suggestions  int
}

// Overall is the mean of the three averages.
func (s FeedbackSummary) Overall() float64 {
	return (s.Relevance + s.Completeness + s.Usefulness) / 3
}
