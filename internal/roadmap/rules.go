package roadmap

import (
	"slices"
	"strings"
)

// Rule says which public events count as evidence of a measure: events of
// one of Kinds, in one of Spheres when any are given, whose title contains
// one of Words when any are given; Count of them are needed in each window
// of the schedule (0 means as many as the indicator's target).
type Rule struct {
	Kinds   []string
	Spheres []string // sphere slugs
	Words   []string // lower case
	Count   int
}

// Empty reports a rule that matches nothing: the measure is proved only by
// links a person adds.
func (r Rule) Empty() bool { return len(r.Kinds) == 0 }

// Matches reports whether an event of kind, with its title and spheres, is
// evidence under the rule.
func (r Rule) Matches(kind, title string, spheres []string) bool {
	return slices.Contains(r.Kinds, kind) && r.matchesSpheres(spheres) && r.matchesWords(foldWord(title))
}

func (r Rule) matchesSpheres(spheres []string) bool {
	return len(r.Spheres) == 0 || slices.ContainsFunc(spheres, func(s string) bool { return slices.Contains(r.Spheres, s) })
}

// matchesWords takes the title already folded.
func (r Rule) matchesWords(title string) bool {
	if len(r.Words) == 0 {
		return true
	}
	for _, w := range r.Words {
		if strings.Contains(title, w) {
			return true
		}
	}
	return false
}

// foldWord lower-cases and writes ё as е, so that words match as people read them.
func foldWord(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "ё", "е")
}

// ParseWords splits the words a person typed (by commas or lines) into the
// folded, trimmed, unique form a rule keeps.
func ParseWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		w = foldWord(strings.Join(strings.Fields(w), " "))
		if w != "" && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// EventKind is a kind of public event that areas record, with the words a
// person choosing a rule reads.
type EventKind struct {
	Kind  string
	Label string
}

// EventKinds are the events the platform's areas record, for the rule editor.
// A rule may name others, as new areas bring new events.
var EventKinds = []EventKind{
	{"act.published", "опубликован правовой акт"},
	{"explanation.published", "опубликовано пояснение к акту"},
	{"news.published", "опубликована новость"},
	{"page.published", "опубликована страница или раздел сайта"},
	{"dataset.published", "опубликован набор открытых данных"},
	{"poll.published", "опубликован опрос"},
	{"consultation.opened", "открыто общественное обсуждение"},
	{"consultation.results_published", "опубликованы итоги обсуждения"},
	{"declaration.published", "опубликована декларация целей"},
	{"expertise.opened", "проект открыт для антикоррупционной экспертизы"},
	{"expertise.conclusion_published", "опубликовано заключение эксперта"},
	{"council.meeting_held", "проведено заседание общественного совета"},
	{"council.document_published", "опубликован документ общественного совета"},
	{"council.evaluation_published", "опубликована оценка деятельности администрации"},
	{"group.created", "создана референтная группа"},
	{"training.held", "проведено обучение"},
	{"practice_review.published", "опубликован обзор правоприменительной практики"},
	{"appeals_report.published", "опубликован отчёт по обращениям граждан"},
	{"media_plan.published", "утверждён медиаплан"},
	{"media_monitoring.published", "опубликован обзор мониторинга СМИ"},
	{"media_request.answered", "дан ответ на запрос СМИ"},
}

// KindLabel is the Russian description of an event kind, or the kind itself.
func KindLabel(kind string) string {
	for _, k := range EventKinds {
		if k.Kind == kind {
			return k.Label
		}
	}
	return kind
}

// DefaultRules are the rules for the measures of the seed plan, by number:
// which platform object proves each of them. Plans of other municipalities
// follow the same regional model plan and its numbering, so an import starts
// every measure with the rule of its number; staff correct rules per measure.
var DefaultRules = map[string]Rule{
	"1.1":  {Kinds: []string{"act.published"}, Words: []string{"доступ к информации", "доступа к информации", "доступе к информации"}},
	"1.2":  {Kinds: []string{"page.published"}},
	"2.1":  {Kinds: []string{"news.published", "page.published", "dataset.published"}},
	"2.2":  {Kinds: []string{"poll.published"}},
	"3.1":  {Kinds: []string{"explanation.published"}},
	"4.1":  {Kinds: []string{"act.published"}, Words: []string{"обсужден"}},
	"4.2":  {Kinds: []string{"consultation.opened"}},
	"4.3":  {Kinds: []string{"consultation.results_published"}},
	"4.4":  {Kinds: []string{"consultation.results_published"}},
	"5.1":  {Kinds: []string{"act.published", "council.document_published"}, Words: []string{"положени", "общественн"}},
	"5.2":  {Kinds: []string{"act.published", "council.document_published"}, Words: []string{"состав"}},
	"5.3":  {Kinds: []string{"page.published"}, Words: []string{"общественн"}},
	"5.4":  {Kinds: []string{"council.document_published", "act.published"}, Words: []string{"план работы"}},
	"5.5":  {Kinds: []string{"act.published", "council.document_published"}, Words: []string{"методик"}},
	"5.6":  {Kinds: []string{"council.evaluation_published"}},
	"5.7":  {Kinds: []string{"council.meeting_held"}},
	"6.1":  {Kinds: []string{"group.created"}},
	"6.2":  {Kinds: []string{"act.published"}, Words: []string{"референтн"}},
	"6.3":  {Kinds: []string{"consultation.opened"}},
	"7.1":  {Kinds: []string{"declaration.published", "act.published"}, Words: []string{"декларац"}},
	"7.2":  {Kinds: []string{"declaration.published", "consultation.opened"}, Words: []string{"декларац"}},
	"7.3":  {Kinds: []string{"consultation.opened", "consultation.results_published"}, Words: []string{"декларац"}},
	"7.4":  {Kinds: []string{"act.published"}, Words: []string{"декларац"}},
	"7.5":  {Kinds: []string{"declaration.published", "page.published"}, Words: []string{"декларац"}},
	"8.1":  {Kinds: []string{"expertise.opened", "expertise.conclusion_published"}},
	"8.2":  {Kinds: []string{"training.held"}},
	"8.3":  {Kinds: []string{"practice_review.published"}},
	"9.1":  {Kinds: []string{"appeals_report.published", "page.published"}, Words: []string{"обращени", "телефон", "горяч"}},
	"9.2":  {Kinds: []string{"appeals_report.published"}},
	"10.1": {Kinds: []string{"media_plan.published"}},
	"10.2": {Kinds: []string{"news.published"}},
	"10.3": {Kinds: []string{"media_monitoring.published"}},
	"10.4": {Kinds: []string{"media_request.answered"}},
}

// DefaultRule is the rule a measure starts with: a copy of the seed's rule
// for its number, or the empty rule. Count 0 leaves the number needed to the
// indicator (see Required).
func DefaultRule(number string) Rule {
	r, ok := DefaultRules[number]
	if !ok {
		return Rule{}
	}
	return Rule{Kinds: slices.Clone(r.Kinds), Spheres: slices.Clone(r.Spheres), Words: slices.Clone(r.Words), Count: r.Count}
}
