package roadmap

import (
	"slices"
	"strings"

	"github.com/glasnost/glasnost/internal/events"
)

// Rule says which public events count as evidence of a measure: events of
// one of Kinds, in one of Spheres when any are given, whose title contains
// one of Words when any are given; Count of them are needed in each window
// of the schedule (0 means as many as the indicator's target). An event
// whose object also has an event of one of Except (at any time up to
// today) does not count: a consultation opened counts as a public
// discussion only when it is not an expertise or a declaration.
type Rule struct {
	Kinds   []events.Kind
	Spheres []string // sphere slugs
	Words   []string // lower case
	Count   int
	Except  []events.Kind
}

// Empty reports a rule that matches nothing: the measure is proved only by
// links a person adds.
func (r Rule) Empty() bool { return len(r.Kinds) == 0 }

// Matches reports whether an event of kind, with its title and spheres, is
// evidence under the rule.
func (r Rule) Matches(kind events.Kind, title string, spheres []string) bool {
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

// KindLabel is the Russian description of an event kind.
func KindLabel(k events.Kind) string { return events.Label(k) }

// DefaultRules are the rules for the measures of the seed plan, by number:
// which platform object proves each of them. Plans of other municipalities
// follow the same regional model plan and its numbering, so an import starts
// every measure with the rule of its number; staff correct rules per measure.
var DefaultRules = map[string]Rule{
	"1.1":  {Kinds: []events.Kind{events.ActPublished}, Words: []string{"доступ к информации", "доступа к информации", "доступе к информации"}},
	"1.2":  {Kinds: []events.Kind{events.PagePublished}},
	"2.1":  {Kinds: []events.Kind{events.DatasetPublished, events.DatasetVersionPublished}},
	"2.2":  {Kinds: []events.Kind{events.SurveyPublished, events.SurveyResultsPublished}},
	"3.1":  {Kinds: []events.Kind{events.ExplanationPublished}},
	"4.1":  {Kinds: []events.Kind{events.ActPublished}, Words: []string{"обсужден"}},
	"4.2":  {Kinds: []events.Kind{events.ConsultationOpened}, Except: []events.Kind{events.ExpertiseOpened, events.DeclarationPublished}},
	"4.3":  {Kinds: []events.Kind{events.ConsultationAnswered}},
	"4.4":  {Kinds: []events.Kind{events.ConsultationResultsPublished}},
	"5.1":  {Kinds: []events.Kind{events.CouncilRegulationsApproved}},
	"5.2":  {Kinds: []events.Kind{events.CouncilCompositionApproved}},
	"5.3":  {Kinds: []events.Kind{events.CouncilSectionPublished}},
	"5.4":  {Kinds: []events.Kind{events.CouncilPlanApproved}},
	"5.5":  {Kinds: []events.Kind{events.CouncilMethodologyApproved}},
	"5.6":  {Kinds: []events.Kind{events.CouncilEvaluationPublished}},
	"5.7":  {Kinds: []events.Kind{events.CouncilOpenMeetingHeld}},
	"6.1":  {Kinds: []events.Kind{events.GroupsRegistryPublished}},
	"6.2":  {Kinds: []events.Kind{events.GroupsRegulationsApproved}},
	"6.3":  {Kinds: []events.Kind{events.GroupsInformed}},
	"7.1":  {Kinds: []events.Kind{events.DeclarationPublished, events.ActPublished}, Words: []string{"декларац"}},
	"7.2":  {Kinds: []events.Kind{events.DeclarationPublished, events.ConsultationOpened}, Words: []string{"декларац"}},
	"7.3":  {Kinds: []events.Kind{events.ConsultationOpened, events.ConsultationResultsPublished}, Words: []string{"декларац"}},
	"7.4":  {Kinds: []events.Kind{events.ActPublished}, Words: []string{"декларац"}},
	"7.5":  {Kinds: []events.Kind{events.DeclarationPublished, events.PagePublished}, Words: []string{"декларац"}},
	"8.1":  {Kinds: []events.Kind{events.ExpertiseOpened, events.ExpertiseConclusionPublished}},
	"8.2":  {Kinds: []events.Kind{events.TrainingCourseCompleted}},
	"8.3":  {Kinds: []events.Kind{events.PracticeReviewPublished}},
	"9.1":  {Kinds: []events.Kind{events.HotlineCallLogged}},
	"9.2":  {Kinds: []events.Kind{events.AppealsReportPublished}},
	"10.1": {Kinds: []events.Kind{events.MediaPlanApproved}},
	"10.2": {Kinds: []events.Kind{events.MediaWeekControlled}},
	"10.3": {Kinds: []events.Kind{events.MediaDigestPublished}},
	"10.4": {Kinds: []events.Kind{events.MediaRequestAnswered}},
}

// DefaultRule is the rule a measure starts with: a copy of the seed's rule
// for its number, or the empty rule. Count 0 leaves the number needed to the
// indicator (see Required).
func DefaultRule(number string) Rule {
	r, ok := DefaultRules[number]
	if !ok {
		return Rule{}
	}
	return Rule{Kinds: slices.Clone(r.Kinds), Spheres: slices.Clone(r.Spheres), Words: slices.Clone(r.Words), Count: r.Count, Except: slices.Clone(r.Except)}
}

// renamedKinds are names that rules stored before the event kinds were
// declared in one place used for kinds that now have other names.
var renamedKinds = map[string]events.Kind{
	"dataset.published":            events.DatasetPublished,
	"poll.published":               events.SurveyPublished,
	"council.meeting_held":         events.CouncilOpenMeetingHeld,
	"council.evaluation_published": events.CouncilEvaluationPublished,
	"group.created":                events.GroupsRegistryPublished,
	"training.held":                events.TrainingCourseCompleted,
	"media_plan.published":         events.MediaPlanApproved,
	"media_monitoring.published":   events.MediaDigestPublished,
	"media_request.answered":       events.MediaRequestAnswered,
}

// storedKinds reads the kinds of a stored rule: renamed kinds take their new
// names, and kinds nobody declares are dropped, so that a rule never waits
// for an event no area writes.
func storedKinds(names []string) []events.Kind {
	var out []events.Kind
	for _, n := range names {
		k := events.Kind(n)
		if nk, ok := renamedKinds[n]; ok {
			k = nk
		}
		if events.Known(k) && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}
