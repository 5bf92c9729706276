package consult

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/sentences"
)

// The wording check helps the anticorruption expertise of a draft act. It
// looks for the words by which the Methodology of anticorruption expertise
// (approved by Government Decree No. 96 of 26.02.2010, «Об антикоррупционной
// экспертизе нормативных правовых актов и проектов нормативных правовых
// актов») recognises some corruptiogenic factors: «вправе» without conditions,
// actions without a deadline, open lists of documents, evaluative words.
//
// It advises, it never decides. A finding is a place for the drafter or the
// expert to look at, not a conclusion that the factor is present: whether a
// norm is corruptiogenic depends on the whole act and on the law above it,
// and only a person can write the conclusion. Factors that have no wording
// of their own (3.5 acting beyond competence, 3.6 filling legislative gaps,
// 3.9 conflicts of norms, 4.2 abuse of the applicant's right) are not
// checked at all.

// WordingRule is one wording that may signal a corruptiogenic factor.
//
// Pattern and Exclude are matched against a copy of the text in which «ё» is
// read as «е» and every kind of space as a plain space, so that «\s» and
// «[а-я]» work on text pasted from a word processor. A match must begin at
// the start of a word (Go's \b does not know Cyrillic letters) and is
// extended to the end of the word it stops in, so a stem such as «надлежащ»
// finds «надлежащим».
type WordingRule struct {
	// ID is stable and unique: findings and the experts' notes refer to it.
	ID string
	// Factor is the item of the Methodology, such as "3.2" or "4.3".
	Factor string
	// Name is the factor's name in Russian, shown with the finding.
	Name string
	// Pattern finds the wording; case-insensitive when built by
	// ParseWordingRules or DefaultWordingRules.
	Pattern *regexp.Regexp
	// Exclude, if not nil, withdraws a match when the same sentence also
	// matches it: «вправе» with a condition or a deadline, a citizen's right.
	Exclude *regexp.Regexp
	// Advice says, in Russian, what the drafter could change.
	Advice string
}

// WordingFinding is one place in a text that a rule points at.
type WordingFinding struct {
	Factor string
	// Rule is the ID of the rule that found it.
	Rule string
	// Excerpt is the found wording exactly as written in the text.
	Excerpt string
	// Start and End are character (rune) offsets, not byte offsets:
	// Excerpt == string([]rune(text)[Start:End]). Browsers and editors
	// count characters, so the page can highlight the place directly.
	Start, End int
	Advice     string
}

// CheckWording returns the places in text that the rules point at, ordered by
// position. Rules without a Pattern are skipped.
func CheckWording(text string, rules []WordingRule) []WordingFinding {
	norm := wordingNormalize(text)
	sentences := wordingSentences(norm)
	var findings []WordingFinding
	for _, rule := range rules {
		if rule.Pattern == nil {
			continue
		}
		for _, m := range wordingMatches(rule.Pattern, norm, -1) {
			if rule.Exclude != nil {
				s := wordingSentenceAt(sentences, m[0])
				if len(wordingMatches(rule.Exclude, norm[s[0]:s[1]], 1)) > 0 {
					continue
				}
			}
			findings = append(findings, WordingFinding{
				Factor:  rule.Factor,
				Rule:    rule.ID,
				Excerpt: text[m[0]:m[1]],
				// Counting from the start each time is quadratic in theory;
				// drafts are tens of kilobytes and findings few.
				Start:  utf8.RuneCountInString(text[:m[0]]),
				End:    utf8.RuneCountInString(text[:m[1]]),
				Advice: rule.Advice,
			})
		}
	}
	slices.SortStableFunc(findings, func(a, b WordingFinding) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return a.End - b.End
	})
	return findings
}

// wordingNormalize returns a copy of text with the same byte length in which
// «ё» is «е» and every non-ASCII space is as many ASCII spaces as it had
// bytes; invalid bytes become «?». Byte offsets in the copy are therefore byte
// offsets in the original.
func wordingNormalize(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteByte('?')
		case r == 'ё':
			b.WriteRune('е')
		case r == 'Ё':
			b.WriteRune('Е')
		case r >= utf8.RuneSelf && (unicode.IsSpace(r) || unicode.Is(unicode.Zs, r)):
			b.WriteString(strings.Repeat(" ", size))
		default:
			b.WriteString(text[i : i+size])
		}
		i += size
	}
	return b.String()
}

// wordingMatches returns up to limit (all when negative) byte spans where re
// matches s starting at a word boundary. Each span is trimmed of surrounding
// spaces and punctuation that an explicit boundary in the pattern may have
// caught, and extended to the end of the word it stops in.
func wordingMatches(re *regexp.Regexp, s string, limit int) [][2]int {
	var out [][2]int
	for pos := 0; pos <= len(s) && (limit < 0 || len(out) < limit); {
		loc := re.FindStringIndex(s[pos:])
		if loc == nil {
			break
		}
		start, end := pos+loc[0], pos+loc[1]
		first, firstSize := utf8.DecodeRuneInString(s[start:])
		if start > 0 && wordingIsWordRune(first) {
			if prev, _ := utf8.DecodeLastRuneInString(s[:start]); wordingIsWordRune(prev) {
				pos = start + max(firstSize, 1) // inside a word: look further on
				continue
			}
		}
		for start < end {
			r, size := utf8.DecodeRuneInString(s[start:end])
			if !unicode.IsSpace(r) && !unicode.IsPunct(r) {
				break
			}
			start += size
		}
		for end > start {
			r, size := utf8.DecodeLastRuneInString(s[start:end])
			if !unicode.IsSpace(r) && !strings.ContainsRune(",;:", r) {
				break
			}
			end -= size
		}
		if end > start {
			if last, _ := utf8.DecodeLastRuneInString(s[start:end]); wordingIsWordRune(last) {
				for end < len(s) {
					r, size := utf8.DecodeRuneInString(s[end:])
					if !wordingIsWordRune(r) {
						break
					}
					end += size
				}
			}
			out = append(out, [2]int{start, end})
		}
		pos = max(end, pos+loc[1], start+max(firstSize, 1))
	}
	return out
}

func wordingIsWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// wordingSentenceAt returns the sentence span that contains byte offset b.
func wordingSentenceAt(sentences [][2]int, b int) [2]int {
	i, _ := slices.BinarySearchFunc(sentences, b, func(s [2]int, b int) int {
		switch {
		case s[1] <= b:
			return -1
		case s[0] > b:
			return 1
		}
		return 0
	})
	if i < len(sentences) {
		return sentences[i]
	}
	return [2]int{0, 0}
}

// wordingSentences splits s into byte spans that cover it whole, with «;»
// and line breaks ending sentences: the items of a point are checked one by
// one. The portal's one splitter decides the rest (see package sentences).
func wordingSentences(s string) [][2]int {
	return sentences.Spans(s, sentences.Options{Semicolons: true, LineBreaks: true})
}

// wordingRegexp compiles the alternatives of a rule's pattern the way
// ParseWordingRules does: «ё» read as «е», case-insensitive, several
// alternatives joined by «|». It is for rules written in Go, where a bad
// pattern is a programming error.
func wordingRegexp(alternatives ...string) *regexp.Regexp {
	re, err := wordingCompile(alternatives)
	if err != nil {
		panic(err)
	}
	return re
}

func wordingCompile(alternatives []string) (*regexp.Regexp, error) {
	if len(alternatives) == 0 {
		return nil, nil
	}
	src := wordingFoldYo(alternatives[0])
	if len(alternatives) > 1 {
		parts := make([]string, len(alternatives))
		for i, a := range alternatives {
			parts[i] = "(?:" + wordingFoldYo(a) + ")"
		}
		src = strings.Join(parts, "|")
	}
	return regexp.Compile("(?i)" + src)
}

func wordingFoldYo(s string) string {
	return strings.NewReplacer("ё", "е", "Ё", "Е").Replace(s)
}

// wordingAlternatives recovers the lines a pattern was compiled from: the
// source without the flag that compilation adds, split back into the
// «(?:…)|(?:…)» alternatives that wordingCompile joined. A source of any
// other shape stays one line.
func wordingAlternatives(re *regexp.Regexp) []string {
	if re == nil {
		return nil
	}
	src := strings.TrimPrefix(re.String(), "(?i)")
	var parts []string
	depth, from, inClass := 0, 0, false
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '\\':
			i++ // the escaped byte is literal
		case inClass:
			inClass = c != ']'
		case c == '[':
			inClass = true
			if strings.HasPrefix(src[i+1:], "]") || strings.HasPrefix(src[i+1:], "^]") {
				i += strings.Index(src[i+1:], "]") + 1 // «[]…]» and «[^]…]» start with a literal «]»
			}
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == '|' && depth == 0:
			parts = append(parts, src[from:i])
			from = i + 1
		}
	}
	parts = append(parts, src[from:])
	if len(parts) == 1 {
		return parts
	}
	for i, p := range parts {
		inner, ok := strings.CutPrefix(p, "(?:")
		if !ok || !strings.HasSuffix(inner, ")") || !wordingBalanced(inner[:len(inner)-1]) {
			return []string{src}
		}
		parts[i] = inner[:len(inner)-1]
	}
	return parts
}

// wordingBalanced reports whether the groups of a pattern fragment close
// within it, so that «(?:a)|(?:b)» is seen as two wrapped parts and
// «(?:a)b(?:c)» is not one.
func wordingBalanced(src string) bool {
	_, err := regexp.Compile(src)
	return err == nil
}

// wordingDeadline lists the ways an act gives a deadline: «в течение 10
// рабочих дней», «не позднее», «до 1 июня».
func wordingDeadline() []string {
	return []string{
		`в\s+течение\s+\d`,
		`не\s+(?:позднее|позже)`,
		`не\s+более\s+чем\s+на\s+\d`,
		`в\s+сроки?(?:[^а-я]|$)`,
		`в\s+день\s`,
		`до\s+\d`,
		`незамедлительно|немедленно`,
		`\d+\s+(?:рабоч[а-я]*\s+|календарн[а-я]*\s+)?(?:дн|день|недел|месяц|час)`,
	}
}

// wordingCondition lists the ways an act names the case in which a power
// applies: «в случае, предусмотренном пунктом 5», «при условии», «если».
// «в случае необходимости» is not one: it is itself a finding of 4.3.
func wordingCondition() []string {
	return []string{
		`в\s+случа(?:е|ях),?\s+(?:если|когда|предусмотренн|указанн|установленн|определенн|перечисленн|названн)`,
		`в\s+случа(?:е|ях)\s+(?:не)?(?:представлени|наличи|отсутстви|выявлени|нарушени|поступлени|истечени|несоответстви|исполнени|подач|изменени|смерт|ликвидаци|обнаружени|установлени|получени)`,
		`при\s+условии`,
		`если`,
		`(?:по\s+основаниям|при\s+наличии\s+(?:оснований|условий)),?\s+(?:предусмотренн|указанн|установленн|перечисленн|названн)`,
	}
}

// wordingPrivateSubject finds a citizen or an organisation as the subject of
// «вправе»: their rights are not an official's discretion. Nominative forms
// only, so that «по заявлению гражданина орган вправе» still counts.
const wordingPrivateSubject = `(?:заявител[ьи]|гражданин|граждане|получател[ьи](?:\s+субсидии)?|участник(?:и)?|претендент(?:ы)?|кандидат(?:ы)?|инициатор(?:ы)?|жител[ьи]|собственник(?:и)?|арендатор(?:ы)?|правообладател[ьи]|потребител[ьи]|эксперт(?:ы)?|субъект(?:ы)?\s+малого\s+и\s+среднего\s+предпринимательства|(?:физическ|юридическ)(?:ое|ие)\s+лиц[оа]|индивидуальн(?:ый|ые)\s+предпринимател[ьи]|лиц[оа],\s+подавш[а-я]+\s+заявлени[ея])(?:[\s,]+[а-я]+){0,6}[\s,]+(?:вправе|име(?:ет|ют)\s+право|мо(?:жет|гут))`

// DefaultWordingRules returns the rules that glasnost ships with, written in
// Go so that the compiler and the tests check them. An installation can
// replace them with rules its lawyers keep in the text format (see
// ParseWordingRules); FormatWordingRules prints these as a starting point.
func DefaultWordingRules() []WordingRule {
	return slices.Concat(discretionRules(), procedureRules(), requirementRules())
}

// discretionRules find the factors of paragraph 3 of the Methodology that
// widen the official's discretion: breadth of discretionary powers such as
// no term for a decision (3.1), «вправе» where a duty is meant (3.2), and
// selective change of the scope of rights (3.3).
func discretionRules() []WordingRule {
	return []WordingRule{
		{
			ID:     "3.1-bez-sroka",
			Factor: "3.1",
			Name:   "Широта дискреционных полномочий: действие без срока",
			Pattern: wordingRegexp(
				`принима(?:ет|ют|ется|ются)\s+решени[ея]`,
				`решени[ея](?:\s+[а-я]+){0,4}?\s+принима(?:ет|ют|ется|ются)`,
				`рассматрива(?:ет|ют|ется|ются)`,
			),
			Exclude: wordingRegexp(append(wordingDeadline(), `рассматрива[а-я]*\s+как\s`)...),
			Advice: "Не указан срок, в который орган или должностное лицо рассматривает документы или принимает решение. " +
				"Установите срок числом дней и событием, от которого он считается, например «в течение 10 рабочих дней со дня регистрации заявления».",
		},
		{
			ID:     "3.2-vprave",
			Factor: "3.2",
			Name:   "Определение компетенции по формуле «вправе»",
			Pattern: wordingRegexp(
				`вправе`,
				`име(?:ет|ют)\s+право`,
				`мо(?:жет|гут)\s+(?:отказать|отклонить|приостановить|прекратить|продлить|потребовать|запросить|принять\s+решение|не\s+рассматривать)`,
			),
			Exclude: wordingRegexp(slices.Concat(
				[]string{
					`не\s+вправе`,
					`не\s+име(?:ет|ют)\s+права?`,
					`не\s+мо(?:жет|гут)`,
					wordingPrivateSubject,
				},
				wordingCondition(),
				wordingDeadline(),
			)...),
			Advice: "«Вправе» позволяет органу по своему выбору действовать или не действовать. " +
				"Замените полномочие обязанностью («обязан», «принимает решение») или перечислите случаи, основания и сроки, в которых оно применяется.",
		},
		{
			ID:     "3.3-iskluchenie",
			Factor: "3.3",
			Name:   "Выборочное изменение объёма прав",
			Pattern: wordingRegexp(
				`в\s+порядке\s+исключения`,
				`в\s+индивидуальном\s+порядке`,
				`за\s+исключением\s+случаев,?\s+(?:определ|установл|утвержд)[а-я]*\s+(?:комисси|руководител|глав|уполномоченн|администраци|должностн)`,
			),
			Advice: "Исключения из общего порядка позволяют применять норму выборочно. " +
				"Перечислите в акте все исключения и основания для них.",
		},
	}
}

// procedureRules find the factors of paragraph 3 about how the rules are
// made and applied: rule-making left to the body itself (3.4), missing or
// incomplete administrative procedures (3.7), no competition where one is due
// (3.8).
func procedureRules() []WordingRule {
	return []WordingRule{
		{
			ID:     "3.4-otsylka",
			Factor: "3.4",
			Name:   "Чрезмерная свобода подзаконного нормотворчества",
			Pattern: wordingRegexp(
				`(?:порядк[а-я]*|порядок|услови[а-я]+|критери[а-я]+)(?:\s+[а-я]+){0,3}?,?\s+(?:установленн|определенн|утвержденн|устанавлива|определя|утвержда)[а-я]*\s+(?:администраци|глав|руководител|уполномоченн|комисси|должностн|распоряжени|приказ)`,
			),
			Advice: "Правило переносится в будущий акт того же органа, который будет его применять. " +
				"Установите порядок в этом акте или укажите, кто, в какой срок и каким актом его утверждает.",
		},
		{
			ID:     "3.7-procedura",
			Factor: "3.7",
			Name:   "Отсутствие или неполнота административных процедур",
			Pattern: wordingRegexp(
				`в\s+установленном\s+порядке`,
				`в\s+соответствии\s+с\s+действующим\s+законодательством`,
				`в\s+порядке,?\s+предусмотренном\s+(?:действующим\s+)?законодательством`,
			),
			Advice: "Отсылка не называет акт и пункт, где описана процедура. " +
				"Укажите реквизиты акта и пункт или опишите процедуру: кто, что, в какой срок и в какой форме делает.",
		},
		{
			ID:     "3.8-bez-torgov",
			Factor: "3.8",
			Name:   "Отказ от конкурсных (аукционных) процедур",
			Pattern: wordingRegexp(
				`без\s+проведения\s+(?:торгов|конкурс|аукцион|отбор)`,
				`(?:вне|без)\s+конкурс`,
				`у\s+единственного\s+поставщика`,
			),
			Exclude: wordingRegexp(
				`в\s+случаях?,?\s+(?:предусмотренн|установленн)[а-я]*\s+(?:федеральн|стать|законодательств|част|пункт)`,
			),
			Advice: "Права и ресурсы без торгов предоставляются только в случаях, прямо названных федеральным законом. " +
				"Сошлитесь на норму закона или предусмотрите конкурс, аукцион или отбор.",
		},
	}
}

// requirementRules find the factors of paragraph 4, uncertain or burdensome
// requirements on citizens and organisations: overstated requirements on a
// person (4.1) and legal-linguistic uncertainty, ambiguous or undefined
// terms (4.3).
func requirementRules() []WordingRule {
	return []WordingRule{
		{
			ID:     "4.1-otkrytyi-perechen",
			Factor: "4.1",
			Name:   "Завышенные требования к лицу: открытый перечень документов",
			Pattern: wordingRegexp(
				`(?:ин|друг)(?:ые|ых|ыми|ие|их|ими|ое|ого|ая|ую|ой)\s+(?:документ|сведени|информаци|материал|справк|бумаг)`,
				`и\s+т\.\s?д\.?`,
				`и\s+т\.\s?п\.?`,
				`и\s+(?:так\s+далее|тому\s+подобное|прочее|пр\.)`,
				`но\s+не\s+ограничиваясь`,
			),
			Exclude: wordingRegexp(
				`(?:ин|друг)[а-я]+\s+(?:документ|сведени|информаци|материал)[а-я]*,?\s+(?:предусмотренн|установленн|указанн|перечисленн|определенн|названн)[а-я]*\s+(?:в\s+)?(?:пункт|подпункт|стать|част|приложени|федеральн|настоящ|перечн)`,
				`кроме\s+(?:указанн|предусмотренн|перечисленн|названн)`,
				`по\s+собственной\s+инициативе`,
			),
			Advice: "Перечень документов должен быть исчерпывающим: открытый перечень позволяет требовать от заявителя что угодно. " +
				"Перечислите все документы или сошлитесь на пункт, где они перечислены.",
		},
		{
			ID:     "4.3-srok",
			Factor: "4.3",
			Name:   "Юридико-лингвистическая неопределённость: неопределённый срок",
			Pattern: wordingRegexp(
				`в\s+(?:разумн|кратчайш|оптимальн|приемлем)[а-я]*\s+срок`,
				`своевременн`,
				`по\s+мере\s+(?:поступлени|готовност)`,
			),
			Advice: "Срок, который каждый понимает по-своему, не срок. " +
				"Укажите число дней (часов) и событие, от которого срок считается.",
		},
		{
			ID:     "4.3-neobhodimost",
			Factor: "4.3",
			Name:   "Юридико-лингвистическая неопределённость: «при необходимости»",
			Pattern: wordingRegexp(
				`при\s+необходимости`,
				`в\s+случае\s+необходимости`,
				`по\s+мере\s+необходимости`,
				`при\s+наличии\s+(?:возможности|необходимости)`,
				`по\s+возможности`,
			),
			Advice: "Неясно, кто и по каким признакам решает, что необходимость наступила. " +
				"Назовите случаи прямо.",
		},
		{
			ID:      "4.3-usmotrenie",
			Factor:  "4.3",
			Name:    "Юридико-лингвистическая неопределённость: «по усмотрению»",
			Pattern: wordingRegexp(`по\s+(?:своему\s+|собственному\s+)?усмотрению`, `на\s+(?:свое\s+)?усмотрение`),
			Advice: "Решение «по усмотрению» ничем не ограничено. " +
				"Установите критерии, по которым принимается решение, и основания для отказа.",
		},
		{
			ID:     "4.3-iskluchitelnye",
			Factor: "4.3",
			Name:   "Юридико-лингвистическая неопределённость: исключения без названия",
			Pattern: wordingRegexp(
				`как\s+правило`,
				`в\s+(?:исключительных|отдельных|особых)\s+случаях`,
			),
			Advice: "Слова допускают исключения, не называя их. " +
				"Перечислите случаи-исключения и основания для них или уберите оговорку.",
		},
		{
			ID:     "4.3-ocenochnye",
			Factor: "4.3",
			Name:   "Юридико-лингвистическая неопределённость: оценочные слова",
			Pattern: wordingRegexp(
				`надлежащ`,
				`существенн`,
				`значительн`,
				`достаточн`,
				`уважительн[а-я]*\s+причин`,
			),
			Exclude: wordingRegexp(`надлежащим\s+образом\s+заверенн`),
			Advice: "Оценочное слово каждый понимает по-своему. " +
				"Дайте признаки или числовой критерий, например «превышает 10 процентов».",
		},
	}
}

// The editable format of wording rules, for lawyers: one field a line,
// «поле: значение»; a rule starts with «правило:»; blank lines and lines
// starting with «#» are ignored; an indented line continues «название» or
// «совет»; «шаблон» and «исключение» may repeat, each line an alternative.
//
//	# Формулировки, которые указывают на коррупциогенные факторы
//	правило: 3.2-vprave
//	фактор: 3.2
//	название: Определение компетенции по формуле «вправе»
//	шаблон: вправе
//	шаблон: име(?:ет|ют)\s+право
//	исключение: не\s+вправе
//	исключение: в\s+течение\s+\d
//	совет: Замените «вправе» обязанностью
//	  или перечислите случаи и сроки.
const (
	wordingKeyID      = "правило"
	wordingKeyFactor  = "фактор"
	wordingKeyName    = "название"
	wordingKeyPattern = "шаблон"
	wordingKeyExclude = "исключение"
	wordingKeyAdvice  = "совет"
)

// wordingFactorPattern is the form of an item of the Methodology: «3.2».
var wordingFactorPattern = regexp.MustCompile(`^\d+(?:\.\d+)+$`)

// ParseWordingRules reads rules in the editable text format. Patterns are Go
// regular expressions (RE2 syntax), matched case-insensitively from the start
// of a word, with «ё» read as «е». Errors are in Russian and name the line.
func ParseWordingRules(src string) ([]WordingRule, error) {
	drafts, err := parseWordingDrafts(src)
	if err != nil {
		return nil, err
	}
	ids := map[string]int{}
	rules := make([]WordingRule, 0, len(drafts))
	for _, d := range drafts {
		if prev, dup := ids[d.id]; dup {
			return nil, fmt.Errorf("строка %d: правило «%s» уже есть в строке %d", d.line, d.id, prev)
		}
		ids[d.id] = d.line
		rule, err := d.rule()
		if err != nil {
			return nil, err
		}
		rules = append(rules, rule)
	}
	return rules, nil
}

// wordingDraft is one rule as read from the text, before its fields are
// checked for completeness; it keeps line numbers for the error messages.
type wordingDraft struct {
	line             int
	id, factor, name string
	advice           string
	patterns         []string
	patternLines     []int
	excludes         []string
	excludeLines     []int
	// seen holds the line of each single-valued field, to report repeats.
	seen map[string]int
}

// parseWordingDrafts splits the text into rules and checks each line on its
// own; whether a rule is complete is left to wordingDraft.rule.
func parseWordingDrafts(src string) ([]*wordingDraft, error) {
	var (
		drafts []*wordingDraft
		cur    *wordingDraft
		// lastKey is the field an indented line continues, "" when none may.
		lastKey string
	)
	src = strings.ReplaceAll(src, "\r\n", "\n")
	for i, raw := range strings.Split(src, "\n") {
		n := i + 1
		line := strings.TrimRight(raw, " \t")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			lastKey = ""
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			switch {
			case cur != nil && lastKey == wordingKeyName:
				cur.name += " " + trimmed
			case cur != nil && lastKey == wordingKeyAdvice:
				cur.advice += " " + trimmed
			default:
				return nil, fmt.Errorf("строка %d: продолжать на следующей строке можно только «%s» и «%s»; для шаблона добавьте ещё одну строку «%s:»",
					n, wordingKeyName, wordingKeyAdvice, wordingKeyPattern)
			}
			continue
		}
		key, value, ok := strings.Cut(trimmed, ":")
		if !ok {
			return nil, fmt.Errorf("строка %d: ожидалось «поле: значение», например «%s: 3.2-vprave»", n, wordingKeyID)
		}
		key = strings.ToLower(strings.TrimSpace(key))
		value = strings.TrimSpace(value)
		if key == wordingKeyID {
			cur = &wordingDraft{line: n, seen: map[string]int{}}
			drafts = append(drafts, cur)
		} else if cur == nil {
			return nil, fmt.Errorf("строка %d: поле «%s» вне правила; начните правило строкой «%s: код»", n, key, wordingKeyID)
		}
		if err := cur.setField(n, key, value); err != nil {
			return nil, err
		}
		lastKey = key
	}
	if len(drafts) == 0 {
		return nil, fmt.Errorf("в тексте нет ни одного правила; правило начинается строкой «%s: код»", wordingKeyID)
	}
	return drafts, nil
}

// setField records the field «key: value» read from line n.
func (d *wordingDraft) setField(n int, key, value string) error {
	if value == "" {
		return fmt.Errorf("строка %d: пустое значение поля «%s»", n, key)
	}
	switch key {
	case wordingKeyID, wordingKeyFactor, wordingKeyName, wordingKeyAdvice:
		if prev, dup := d.seen[key]; dup {
			return fmt.Errorf("строка %d: поле «%s» уже задано в строке %d", n, key, prev)
		}
		d.seen[key] = n
	}
	switch key {
	case wordingKeyID:
		if strings.ContainsAny(value, " \t") {
			return fmt.Errorf("строка %d: код правила «%s» не должен содержать пробелов", n, value)
		}
		d.id = value
	case wordingKeyFactor:
		if !wordingFactorPattern.MatchString(value) {
			return fmt.Errorf("строка %d: фактор «%s» должен быть номером пункта Методики, например «3.2» или «4.3»", n, value)
		}
		d.factor = value
	case wordingKeyName:
		d.name = value
	case wordingKeyAdvice:
		d.advice = value
	case wordingKeyPattern, wordingKeyExclude:
		if _, err := wordingCompile([]string{value}); err != nil {
			return fmt.Errorf("строка %d: ошибка в регулярном выражении поля «%s»: %w", n, key, err)
		}
		if key == wordingKeyPattern {
			d.patterns = append(d.patterns, value)
			d.patternLines = append(d.patternLines, n)
		} else {
			d.excludes = append(d.excludes, value)
			d.excludeLines = append(d.excludeLines, n)
		}
	default:
		return fmt.Errorf("строка %d: неизвестное поле «%s»; поля правила: %s, %s, %s, %s, %s, %s",
			n, key, wordingKeyID, wordingKeyFactor, wordingKeyName, wordingKeyPattern, wordingKeyExclude, wordingKeyAdvice)
	}
	return nil
}

// rule checks that the draft has every required field and compiles it.
func (d *wordingDraft) rule() (WordingRule, error) {
	for _, f := range []struct{ key, value string }{
		{wordingKeyFactor, d.factor},
		{wordingKeyName, d.name},
		{wordingKeyAdvice, d.advice},
	} {
		if f.value == "" {
			return WordingRule{}, fmt.Errorf("строка %d: в правиле «%s» нет поля «%s»", d.line, d.id, f.key)
		}
	}
	if len(d.patterns) == 0 {
		return WordingRule{}, fmt.Errorf("строка %d: в правиле «%s» нет поля «%s»", d.line, d.id, wordingKeyPattern)
	}
	pattern, err := wordingCompile(d.patterns)
	if err != nil {
		return WordingRule{}, fmt.Errorf("строка %d: шаблоны правила «%s»: %w", d.line, d.id, err)
	}
	if i := wordingMatchesEmpty(d.patterns); i >= 0 {
		return WordingRule{}, fmt.Errorf("строка %d: шаблон «%s» находит пустую строку, то есть что угодно", d.patternLines[i], d.patterns[i])
	}
	exclude, err := wordingCompile(d.excludes)
	if err != nil {
		return WordingRule{}, fmt.Errorf("строка %d: исключения правила «%s»: %w", d.line, d.id, err)
	}
	if i := wordingMatchesEmpty(d.excludes); i >= 0 {
		return WordingRule{}, fmt.Errorf("строка %d: исключение «%s» находит пустую строку и отменило бы всё правило", d.excludeLines[i], d.excludes[i])
	}
	return WordingRule{
		ID:      d.id,
		Factor:  d.factor,
		Name:    d.name,
		Pattern: pattern,
		Exclude: exclude,
		Advice:  d.advice,
	}, nil
}

// wordingMatchesEmpty returns the index of the first alternative that
// matches the empty string, and so would match anywhere, or -1. The
// alternatives have already compiled.
func wordingMatchesEmpty(alternatives []string) int {
	for i, p := range alternatives {
		if re, _ := wordingCompile([]string{p}); re.MatchString("") {
			return i
		}
	}
	return -1
}

// FormatWordingRules prints rules in the editable text format, so that
// lawyers can start from the default rules. ParseWordingRules reads the
// result back to the same rules.
func FormatWordingRules(rules []WordingRule) string {
	var b strings.Builder
	b.WriteString("# Правила проверки формулировок проекта акта (антикоррупционная экспертиза,\n")
	b.WriteString("# Методика, утверждённая постановлением Правительства РФ от 26.02.2010 № 96).\n")
	b.WriteString("# Шаблон — регулярное выражение Go; регистр букв не важен, «ё» читается как «е»,\n")
	b.WriteString("# совпадение начинается с начала слова. Исключение проверяется в том же предложении.\n")
	for _, r := range rules {
		b.WriteString("\n")
		fmt.Fprintf(&b, "%s: %s\n", wordingKeyID, r.ID)
		fmt.Fprintf(&b, "%s: %s\n", wordingKeyFactor, r.Factor)
		fmt.Fprintf(&b, "%s: %s\n", wordingKeyName, wordingOneLine(r.Name))
		for _, p := range wordingAlternatives(r.Pattern) {
			fmt.Fprintf(&b, "%s: %s\n", wordingKeyPattern, p)
		}
		for _, e := range wordingAlternatives(r.Exclude) {
			fmt.Fprintf(&b, "%s: %s\n", wordingKeyExclude, e)
		}
		fmt.Fprintf(&b, "%s: %s\n", wordingKeyAdvice, wordingOneLine(r.Advice))
	}
	return b.String()
}

func wordingOneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
