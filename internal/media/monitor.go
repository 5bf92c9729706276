package media

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/search"
)

// Tonalities of a mention, as staff set them.
const (
	Positive = "positive"
	Neutral  = "neutral"
	Negative = "negative"
)

// Tonalities label the tonalities.
var Tonalities = []Option{{Positive, "Позитивная"}, {Neutral, "Нейтральная"}, {Negative, "Негативная"}}

// Source is a monitored feed.
type Source struct {
	ID            int64
	Title         string
	URL           string
	ETag          string
	LastModified  string
	LastFetchedAt *time.Time
	LastOKAt      *time.Time
	NextFetchAt   *time.Time
	Failures      int
	LastError     string
	Mentions      int
}

// Failing reports whether the last fetch failed.
func (s Source) Failing() bool { return s.Failures > 0 }

// ValidateSource checks a new source.
func ValidateSource(title, raw string) Errors {
	e := Errors{}
	if strings.TrimSpace(title) == "" {
		e["title"] = "Укажите название источника."
	} else if utf8.RuneCountInString(title) > 200 {
		e["title"] = "Название длиннее 200 знаков."
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(raw) > 2000 {
		e["url"] = "Укажите адрес ленты RSS или Atom вида https://…"
	}
	return e
}

// Rule is a keyword or phrase with the topic of what it finds.
type Rule struct {
	ID     int64
	Phrase string
	Topic  string
	stems  []string
}

// ValidateRule checks a rule: the phrase must have words that search
// indexes (not only stop words).
func ValidateRule(r Rule) Errors {
	e := Errors{}
	switch {
	case strings.TrimSpace(r.Phrase) == "":
		e["phrase"] = "Укажите слово или фразу."
	case len(search.Stems(r.Phrase)) == 0:
		e["phrase"] = "Во фразе нет значимых слов (только предлоги и союзы)."
	case utf8.RuneCountInString(r.Phrase) > 200:
		e["phrase"] = "Фраза длиннее 200 знаков."
	}
	if strings.TrimSpace(r.Topic) == "" {
		e["topic"] = "Укажите тему."
	} else if utf8.RuneCountInString(r.Topic) > 100 {
		e["topic"] = "Тема длиннее 100 знаков."
	}
	return e
}

// Matcher finds which rule an entry matches, whatever the words' forms:
// a phrase matches when every one of its stems is among the entry's.
type Matcher struct{ rules []Rule }

// NewMatcher prepares rules.
func NewMatcher(rules []Rule) *Matcher {
	m := &Matcher{}
	for _, r := range rules {
		r.stems = search.Stems(r.Phrase)
		if len(r.stems) > 0 {
			m.rules = append(m.rules, r)
		}
	}
	return m
}

// Match returns the topic of the first matching rule and the phrases found.
func (m *Matcher) Match(title, summary string) (topic string, phrases []string, ok bool) {
	have := map[string]bool{}
	for _, s := range search.Stems(title + " " + summary) {
		have[s] = true
	}
	for _, r := range m.rules {
		all := true
		for _, s := range r.stems {
			all = all && have[s]
		}
		if all {
			if topic == "" {
				topic = r.Topic
			}
			phrases = append(phrases, r.Phrase)
		}
	}
	return topic, phrases, topic != ""
}

// TitleKey is a title reduced for deduplication: the same story
// republished by another outlet, with other case, punctuation or word
// forms, has the same key.
func TitleKey(title string) string { return strings.Join(search.Stems(title), " ") }

// LinkKey is a link reduced for deduplication: no scheme, «www.», query of
// trackers or trailing slash.
func LinkKey(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return strings.TrimSpace(raw)
	}
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(k, "utm_") {
			q.Del(k)
		}
	}
	host := strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	s := host + strings.TrimSuffix(u.EscapedPath(), "/")
	if e := q.Encode(); e != "" {
		s += "?" + e
	}
	return s
}

// DefaultLexicon is the Russian lexicon the portal starts with: «+» marks
// words of positive tone, «-» of negative. Staff edit it.
const DefaultLexicon = `+ открыли
+ открытие
+ благоустройство
+ победа
+ наградили
+ отремонтировали
+ благодарность
+ улучшение
+ отличные
+ успешно
- жалоба
- жалуются
- коррупция
- скандал
- авария
- мусор
- свалка
- отключение
- нарушение
- прокуратура
- задержка
- протест
`

// Lexicon is the parsed lexicon: stem → tonality, and the word it came from.
type Lexicon struct {
	tone map[string]string
	word map[string]string
}

// ParseLexicon reads «+ word» and «- word» lines; it reports the lines it
// cannot read.
func ParseLexicon(text string) (Lexicon, []string) {
	l := Lexicon{tone: map[string]string{}, word: map[string]string{}}
	var bad []string
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var tone string
		switch line[0] {
		case '+':
			tone = Positive
		case '-':
			tone = Negative
		default:
			bad = append(bad, fmt.Sprintf("Строка %d: начните со знака «+» (позитивное) или «-» (негативное).", i+1))
			continue
		}
		stems := search.Stems(line[1:])
		if len(stems) != 1 {
			bad = append(bad, fmt.Sprintf("Строка %d: укажите одно значимое слово.", i+1))
			continue
		}
		l.tone[stems[0]] = tone
		l.word[stems[0]] = strings.TrimSpace(line[1:])
	}
	return l, bad
}

// Proposal is the portal's guess of a mention's tonality with its reasons.
// It is shown to staff and never stored as the decision.
type Proposal struct {
	Tonality string
	Positive []string
	Negative []string
}

// Label names the proposed tonality.
func (p Proposal) Label() string { return label(Tonalities, p.Tonality) }

// Why explains the proposal in Russian.
func (p Proposal) Why() string {
	var parts []string
	if len(p.Positive) > 0 {
		parts = append(parts, "позитивные слова: "+strings.Join(p.Positive, ", "))
	}
	if len(p.Negative) > 0 {
		parts = append(parts, "негативные слова: "+strings.Join(p.Negative, ", "))
	}
	if len(parts) == 0 {
		return "слов из словаря тональности не найдено"
	}
	return strings.Join(parts, "; ")
}

// Propose counts the lexicon's words in a text: more negative ones make it
// negative, more positive ones positive, otherwise neutral.
func (l Lexicon) Propose(text string) Proposal {
	var p Proposal
	seen := map[string]bool{}
	for _, s := range search.Stems(text) {
		if seen[s] {
			continue
		}
		seen[s] = true
		switch l.tone[s] {
		case Positive:
			p.Positive = append(p.Positive, l.word[s])
		case Negative:
			p.Negative = append(p.Negative, l.word[s])
		}
	}
	sort.Strings(p.Positive)
	sort.Strings(p.Negative)
	switch {
	case len(p.Negative) > len(p.Positive):
		p.Tonality = Negative
	case len(p.Positive) > len(p.Negative):
		p.Tonality = Positive
	default:
		p.Tonality = Neutral
	}
	return p
}

// Mention is a publication found by monitoring.
type Mention struct {
	ID          int64
	SourceID    int64
	Source      string
	Title       string
	Link        string
	Summary     string
	PublishedAt time.Time
	Topic       string
	Matched     string
	Republished int
	Tonality    string
	TonalityBy  string
	Proposal    Proposal
}

// TonalityLabel names the tonality staff set ("" when not yet set).
func (m Mention) TonalityLabel() string {
	if m.Tonality == "" {
		return "не оценена"
	}
	return label(Tonalities, m.Tonality)
}

// Backoff is the wait before fetching a failing source again: the interval
// doubled per failure, at most a day.
func Backoff(interval time.Duration, failures int) time.Duration {
	d := interval
	for i := 1; i < failures && d < 24*time.Hour; i++ {
		d *= 2
	}
	return min(d, 24*time.Hour)
}
