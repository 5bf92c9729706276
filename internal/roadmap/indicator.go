package roadmap

import (
	"regexp"
	"strconv"
	"strings"
)

// Indicator kinds: what an expected result counts. They are the plural nouns
// a plan uses, so a page can show them as they are.
const (
	IndicatorActs            = "правовые акты"
	IndicatorPublications    = "публикации"
	IndicatorSections        = "разделы"
	IndicatorEvents          = "мероприятия"
	IndicatorTrainings       = "тренинги"
	IndicatorExpertises      = "экспертизы"
	IndicatorReferenceGroups = "референтные группы"
	IndicatorReports         = "отчёты"
	IndicatorPolls           = "опросы"
	IndicatorDatasets        = "наборы данных"
)

// indicatorNouns map the start of a word to the kind it counts. A plan declines
// its nouns («публикаций», «правовых актов»), so the stems stop before the ending.
var indicatorNouns = []struct {
	stem string
	kind string
}{
	{"референтн", IndicatorReferenceGroups},
	{"публикац", IndicatorPublications},
	{"подраздел", IndicatorSections},
	{"раздел", IndicatorSections},
	{"тренинг", IndicatorTrainings},
	{"обучени", IndicatorTrainings},
	{"обучающ", IndicatorTrainings},
	{"семинар", IndicatorTrainings},
	{"экспертиз", IndicatorExpertises},
	{"мероприят", IndicatorEvents},
	{"заседани", IndicatorEvents},
	{"совещани", IndicatorEvents},
	{"отчет", IndicatorReports},
	{"доклад", IndicatorReports},
	{"постановлени", IndicatorActs},
	{"распоряжени", IndicatorActs},
	{"опрос", IndicatorPolls},
	{"анкетировани", IndicatorPolls},
}

// actForms are the forms of «акт»; as a stem it would also take «актуализация».
var actForms = map[string]bool{
	"акт": true, "акта": true, "акту": true, "актом": true, "акте": true,
	"акты": true, "актов": true, "актам": true, "актами": true, "актах": true, "нпа": true,
}

// units are the words that make a number a count: «1 ед.», «2 единицы», «3 шт.».
var units = map[string]bool{
	"ед": true, "единица": true, "единицы": true, "единиц": true, "шт": true, "штук": true, "штуки": true,
}

// reToken splits normalised text into words, numbers (a date such as 9.02.2009
// stays one token and so is never taken for a count) and sentence stops.
var reToken = regexp.MustCompile(`\p{L}[\p{L}-]*|\d+(?:[.,]\d+)*|[.;!?\n]`)

type token struct {
	text string
	word bool
	stop bool
}

// ParseIndicator finds the count an expected result states, such as
// «Количество публикаций – 5 ед.», «не более 8 ед.» or «1 правовой акт», and
// what it counts. It returns nil when the text states no count: most results
// of a plan are prose («Обеспечение получения обратной связи»).
func ParseIndicator(text string) *Indicator {
	toks := tokenize(text)
	for i, t := range toks {
		n, ok := count(t)
		if !ok {
			continue
		}
		kind := ""
		switch {
		case i+1 < len(toks) && units[toks[i+1].text]:
			// The thing counted comes before the number, in the same sentence:
			// «Количество референтных групп – не более 8 ед.»
			start := i
			for start > 0 && !toks[start-1].stop {
				start--
			}
			kind = firstKind(toks[start:i])
		default:
			// «1 правовой акт»: the noun follows, perhaps after adjectives.
			end := min(i+4, len(toks))
			kind = firstKind(toks[i+1 : end])
			if kind == "" {
				continue
			}
		}
		if kind == "" {
			kind = firstKind(toks)
		}
		return &Indicator{Kind: kind, Target: n, Limit: isLimit(toks[:i])}
	}
	return nil
}

func tokenize(text string) []token {
	norm := strings.ReplaceAll(strings.ToLower(text), "ё", "е")
	var toks []token
	for _, s := range reToken.FindAllString(norm, -1) {
		switch {
		case strings.ContainsAny(s, ".;!?\n") && len(s) == 1:
			toks = append(toks, token{text: s, stop: true})
		default:
			toks = append(toks, token{text: s, word: !isDigit(s[0])})
		}
	}
	return toks
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// count reads a token as a whole number of things; dates and decimals are not counts.
func count(t token) (int, bool) {
	if t.word || t.stop || strings.ContainsAny(t.text, ".,") || len(t.text) > 6 {
		return 0, false
	}
	n, err := strconv.Atoi(t.text)
	return n, err == nil
}

// isLimit reports whether the words just before a number make it a ceiling
// («не более 8 ед.») rather than a target («не менее 1 ед.», «5 ед.»).
func isLimit(before []token) bool {
	w := func(back int) string {
		if back > len(before) {
			return ""
		}
		return before[len(before)-back].text
	}
	if w(1) == "чем" { // «не более чем 8»
		before = before[:len(before)-1]
	}
	switch {
	case w(2) == "не" && (w(1) == "более" || w(1) == "свыше" || w(1) == "больше"):
		return true
	case w(1) == "до" || w(1) == "максимум":
		return true
	}
	return false
}

// firstKind returns the kind of the first counted noun among toks: in
// «Количество публикаций о правовых актах» the publications are counted.
func firstKind(toks []token) string {
	for i, t := range toks {
		if !t.word {
			continue
		}
		if actForms[t.text] {
			return IndicatorActs
		}
		if strings.HasPrefix(t.text, "набор") {
			for _, u := range toks[i+1 : min(i+3, len(toks))] {
				if strings.HasPrefix(u.text, "данн") {
					return IndicatorDatasets
				}
			}
		}
		for _, n := range indicatorNouns {
			if strings.HasPrefix(t.text, n.stem) {
				return n.kind
			}
		}
	}
	return ""
}
