package consult

import (
	"errors"
	"fmt"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"
)

// wordingHit is what a test expects of a finding.
type wordingHit struct {
	Factor, Excerpt string
}

func wordingHits(findings []WordingFinding) []wordingHit {
	var hits []wordingHit
	for _, f := range findings {
		hits = append(hits, wordingHit{f.Factor, f.Excerpt})
	}
	return hits
}

// wordingCheckOffsets verifies that every finding's offsets are character
// offsets that cut its excerpt out of the text.
func wordingCheckOffsets(t *testing.T, text string, findings []WordingFinding) {
	t.Helper()
	runes := []rune(text)
	for _, f := range findings {
		if f.Start < 0 || f.End > len(runes) || f.Start >= f.End {
			t.Errorf("finding %+v: offsets out of range of %d characters", f, len(runes))
			continue
		}
		if got := string(runes[f.Start:f.End]); got != f.Excerpt {
			t.Errorf("runes[%d:%d] = %q, excerpt %q", f.Start, f.End, got, f.Excerpt)
		}
	}
}

func TestWordingFlagsCorruptiogenicPhrasing(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []wordingHit
	}{
		{
			name: "вправе without conditions",
			text: "Уполномоченный орган вправе отказать в предоставлении субсидии.",
			want: []wordingHit{{"3.2", "вправе"}},
		},
		{
			name: "имеет право and может отказать",
			text: "Администрация имеет право приостановить выплату. Комиссия может отказать в допуске к отбору.",
			want: []wordingHit{{"3.2", "имеет право"}, {"3.2", "может отказать"}},
		},
		{
			name: "a citizen in the genitive is not the subject",
			text: "По заявлению гражданина уполномоченный орган вправе продлить срок действия разрешения.",
			want: []wordingHit{{"3.2", "вправе"}},
		},
		{
			name: "open list of documents at the discretion of the commission",
			text: "Заявитель представляет паспорт, справку о доходах, а также иные документы по усмотрению комиссии.",
			want: []wordingHit{{"4.1", "иные документы"}, {"4.3", "по усмотрению"}},
		},
		{
			name: "и т.д. at the end of a list",
			text: "К заявлению прилагаются копии учредительных документов, выписка из реестра и т.д.",
			want: []wordingHit{{"4.1", "и т.д."}},
		},
		{
			name: "in a reasonable time",
			text: "Документы рассматриваются комиссией в разумный срок.",
			want: []wordingHit{{"3.1", "рассматриваются"}, {"4.3", "в разумный срок"}},
		},
		{
			name: "decision with no deadline",
			text: "Решение принимается должностным лицом.",
			want: []wordingHit{{"3.1", "Решение принимается"}},
		},
		{
			name: "decision with words between and при необходимости",
			text: "Решение о предоставлении субсидии принимается комиссией при необходимости.",
			want: []wordingHit{{"3.1", "Решение о предоставлении субсидии принимается"}, {"4.3", "при необходимости"}},
		},
		{
			name: "как правило",
			text: "Как правило, заявки рассматриваются в порядке очереди.",
			want: []wordingHit{{"4.3", "Как правило"}, {"3.1", "рассматриваются"}},
		},
		{
			name: "evaluative words found by their stems",
			text: "Надлежащее содержание территории обеспечивается при существенных нарушениях.",
			want: []wordingHit{{"4.3", "Надлежащее"}, {"4.3", "существенных"}},
		},
		{
			name: "exceptions granted individually",
			text: "В исключительных случаях субсидия предоставляется в индивидуальном порядке.",
			want: []wordingHit{{"4.3", "В исключительных случаях"}, {"3.3", "в индивидуальном порядке"}},
		},
		{
			name: "procedure left to a future order",
			text: "Порядок проведения отбора устанавливается распоряжением администрации.",
			want: []wordingHit{{"3.4", "Порядок проведения отбора устанавливается распоряжением"}},
		},
		{
			name: "reference to an unnamed procedure",
			text: "Субсидия возвращается в бюджет в установленном порядке.",
			want: []wordingHit{{"3.7", "в установленном порядке"}},
		},
		{
			name: "without tenders",
			text: "Земельный участок предоставляется без проведения торгов.",
			want: []wordingHit{{"3.8", "без проведения торгов"}},
		},
		{
			name: "upper case, ё and a non-breaking space",
			text: "КОМИССИЯ ВПРАВЕ ОТКАЗАТЬ. Срок продлевается на своё\u00a0усмотрение.",
			want: []wordingHit{{"3.2", "ВПРАВЕ"}, {"4.3", "на своё\u00a0усмотрение"}},
		},
	}
	rules := DefaultWordingRules()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			findings := CheckWording(tt.text, rules)
			if got := wordingHits(findings); !slices.Equal(got, tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
			wordingCheckOffsets(t, tt.text, findings)
			for _, f := range findings {
				if f.Advice == "" || f.Rule == "" {
					t.Errorf("finding without rule or advice: %+v", f)
				}
			}
		})
	}
}

func TestWordingLeavesSoundPhrasingAlone(t *testing.T) {
	sentences := []string{
		// A citizen's right is not an official's discretion.
		"Заявитель вправе отозвать заявление.",
		"Граждане имеют право обжаловать решение в судебном порядке.",
		"Субъекты малого и среднего предпринимательства вправе обратиться за консультацией.",
		"Заявитель, не согласный с решением комиссии, вправе обжаловать его.",
		// A deadline is given.
		"Уполномоченный орган в течение 10 рабочих дней рассматривает заявление и принимает решение.",
		"Решение принимается не позднее 1 июня текущего года.",
		"Заявление рассматривается в срок не более 15 календарных дней со дня его регистрации.",
		"Согласно ст. 5 Порядка комиссия вправе отказать в течение 10 дней со дня подачи заявки.",
		// A condition is given.
		"Комиссия вправе продлить срок в случае, предусмотренном пунктом 5, не более чем на 10 дней.",
		"Комиссия вправе отказать в случаях, определённых пунктом 3.2 настоящего Порядка.",
		// A prohibition, not a power.
		"Уполномоченный орган не вправе требовать от заявителя иные документы, кроме указанных в пункте 2.6 настоящего Порядка.",
		// Voluntary documents and a closed list.
		"Заявитель вправе представить иные документы по собственной инициативе.",
		"Заявитель представляет иные документы, предусмотренные пунктом 2.7 настоящего Порядка.",
		// Not a decision at all, and a fixed phrase.
		"Непредставление документов рассматривается как отказ от получения субсидии.",
		"Прилагаются надлежащим образом заверенные копии документов.",
		// A pattern inside another word: «Единые» contains «иные».
		"Единые документы территориального планирования хранятся в архиве.",
		"",
	}
	rules := DefaultWordingRules()
	for _, s := range sentences {
		if got := CheckWording(s, rules); len(got) != 0 {
			t.Errorf("CheckWording(%q) = %v, want nothing", s, wordingHits(got))
		}
	}
}

func TestWordingExclusionStaysInItsSentence(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []wordingHit
	}{
		{
			name: "condition in the next sentence does not help",
			text: "Уполномоченный орган вправе отказать. В случае, предусмотренном пунктом 5, срок продлевается.",
			want: []wordingHit{{"3.2", "вправе"}},
		},
		{
			name: "condition after a semicolon belongs to another clause",
			text: "Комиссия вправе отказать; в случае, предусмотренном пунктом 5, срок продлевается.",
			want: []wordingHit{{"3.2", "вправе"}},
		},
		{
			name: "wrapped line continues the sentence",
			text: "Комиссия вправе продлить срок\nв случае, предусмотренном пунктом 5.",
			want: nil,
		},
		{
			name: "list items are sentences of their own",
			text: "Заявитель представляет:\n1) паспорт;\n2) иные документы.\nКомиссия вправе в случае, предусмотренном пунктом 5, отказать.",
			want: []wordingHit{{"4.1", "иные документы"}},
		},
		{
			name: "date with г. does not end the sentence early",
			text: "Решение от 26.02.2010 г. принимается в течение 5 дней.",
			want: nil,
		},
	}
	rules := DefaultWordingRules()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			findings := CheckWording(tt.text, rules)
			if got := wordingHits(findings); !slices.Equal(got, tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
			wordingCheckOffsets(t, tt.text, findings)
		})
	}
}

func TestWordingSentences(t *testing.T) {
	text := "Пункт 1.2 см. в ст. 5. Решение от 01.02.2019 г. Далее\nперенос строки; пункт.\n\n2) Пункт списка"
	var got []string
	for _, s := range wordingSentences(wordingNormalize(text)) {
		got = append(got, strings.TrimSpace(text[s[0]:s[1]]))
	}
	want := []string{
		"Пункт 1.2 см. в ст. 5.",
		"Решение от 01.02.2019 г.",
		"Далее\nперенос строки;",
		"пункт.",
		"2) Пункт списка",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestWordingOffsetsAreCharacters(t *testing.T) {
	// Cyrillic letters take two bytes, «ё» two, a non-breaking space two, an
	// emoji four, and an invalid byte counts as one character.
	text := "Ёлки 🌲 и\u00a0ёжики: \xff уполномоченный орган вправе отказать.\nДокументы — в\u00a0разумный\u00a0срок."
	findings := CheckWording(text, DefaultWordingRules())
	want := []wordingHit{{"3.2", "вправе"}, {"4.3", "в\u00a0разумный\u00a0срок"}}
	if got := wordingHits(findings); !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	wordingCheckOffsets(t, text, findings)
	if byteStart := strings.Index(text, "вправе"); findings[0].Start == byteStart {
		t.Errorf("Start %d is the byte offset, want the character offset", findings[0].Start)
	}
	if findings[0].Start != 39 || findings[0].End != 45 {
		t.Errorf("вправе at [%d, %d), want [39, 45)", findings[0].Start, findings[0].End)
	}
}

func TestWordingRulesWithoutPatternAreSkipped(t *testing.T) {
	rules := []WordingRule{{ID: "empty", Factor: "3.2"}}
	if got := CheckWording("Орган вправе отказать.", rules); got != nil {
		t.Errorf("got %v, want nil", got)
	}
	if got := CheckWording("Орган вправе отказать.", nil); got != nil {
		t.Errorf("got %v, want nil", got)
	}
}

const wordingSampleRules = `# Правила юридического отдела
# (комментарии и пустые строки не важны)

правило: vprave
фактор: 3.2
название: Определение компетенции
  по формуле «вправе»
шаблон: вправе
шаблон: на\s+своё\s+усмотрение
исключение: в\s+течение\s+\d+
исключение: заявитель\s+вправе
совет: Замените «вправе» обязанностью
  или назовите случаи.

правило: itd
фактор: 4.1
название: Открытый перечень
шаблон: и\s+т\.\s?д\.
совет: Перечень должен быть исчерпывающим.
`

func TestWordingParseRules(t *testing.T) {
	rules, err := ParseWordingRules(wordingSampleRules)
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 2 {
		t.Fatalf("got %d rules, want 2", len(rules))
	}
	r := rules[0]
	if r.ID != "vprave" || r.Factor != "3.2" || r.Name != "Определение компетенции по формуле «вправе»" ||
		r.Advice != "Замените «вправе» обязанностью или назовите случаи." {
		t.Errorf("rule 1 = %+v", r)
	}
	if r.Exclude == nil || rules[1].Exclude != nil {
		t.Errorf("exclusions: %v, %v", r.Exclude, rules[1].Exclude)
	}

	text := "Орган ВПРАВЕ отказать. Орган вправе отказать в течение 5 дней. Заявитель вправе отозвать. " +
		"Решение — на свое усмотрение, справки и т. д."
	findings := CheckWording(text, rules)
	want := []wordingHit{{"3.2", "ВПРАВЕ"}, {"3.2", "на свое усмотрение"}, {"4.1", "и т. д."}}
	if got := wordingHits(findings); !slices.Equal(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	wordingCheckOffsets(t, text, findings)
}

func TestWordingParseRulesErrors(t *testing.T) {
	const head = "правило: r\nфактор: 3.2\nназвание: Имя\n"
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"empty", "", "нет ни одного правила"},
		{"only comments", "# комментарий\n\n", "нет ни одного правила"},
		{"field before a rule", "фактор: 3.2\n", "строка 1: поле «фактор» вне правила"},
		{"no colon", "правило: r\nфактор 3.2\n", "строка 2: ожидалось «поле: значение»"},
		{"unknown field", head + "шаблн: вправе\n", "строка 4: неизвестное поле «шаблн»"},
		{"empty value", head + "совет:\n", "строка 4: пустое значение поля «совет»"},
		{"bad factor", "правило: r\nфактор: три\n", "строка 2: фактор «три»"},
		{"space in id", "правило: два слова\n", "строка 1: код правила"},
		{"duplicate field", "правило: r\nфактор: 3.2\nфактор: 4.1\n", "строка 3: поле «фактор» уже задано в строке 2"},
		{"bad regexp", head + "шаблон: вправе(\nсовет: с\n", "строка 4: ошибка в регулярном выражении"},
		{"bad exclusion", head + "шаблон: вправе\nисключение: [а-\nсовет: с\n", "строка 5: ошибка в регулярном выражении поля «исключение»"},
		{"pattern matches nothing at all", head + "шаблон: вправе\nшаблон: (?:а)?\nсовет: с\n", "строка 5: шаблон «(?:а)?» находит пустую строку"},
		{"exclusion matches empty", head + "шаблон: вправе\nисключение: x*\nсовет: с\n", "строка 5: исключение «x*» находит пустую строку"},
		{"continued pattern", head + "шаблон: вправе\n  |может\nсовет: с\n", "строка 5: продолжать на следующей строке можно только"},
		{"no pattern", head + "совет: с\n", "строка 1: в правиле «r» нет поля «шаблон»"},
		{"no advice", head + "шаблон: вправе\n", "строка 1: в правиле «r» нет поля «совет»"},
		{"no name", "правило: r\nфактор: 3.2\nшаблон: вправе\nсовет: с\n", "строка 1: в правиле «r» нет поля «название»"},
		{"duplicate id", head + "шаблон: а\nсовет: с\n\n" + head + "шаблон: б\nсовет: с\n", "строка 7: правило «r» уже есть в строке 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules, err := ParseWordingRules(tt.src)
			if err == nil {
				t.Fatalf("want error, got %d rules", len(rules))
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\ndoes not contain %q", err, tt.want)
			}
		})
	}

	// The regexp's own error is wrapped, for the log.
	_, err := ParseWordingRules(head + "шаблон: вправе(\nсовет: с\n")
	var syntaxErr *syntax.Error
	if !errors.As(err, &syntaxErr) {
		t.Errorf("error %v does not wrap *syntax.Error", err)
	}
}

func TestWordingDefaultRulesRoundTrip(t *testing.T) {
	defaults := DefaultWordingRules()
	text := FormatWordingRules(defaults)
	parsed, err := ParseWordingRules(text)
	if err != nil {
		t.Fatalf("ParseWordingRules(FormatWordingRules(defaults)): %v\n%s", err, text)
	}
	if len(parsed) != len(defaults) {
		t.Fatalf("got %d rules, want %d", len(parsed), len(defaults))
	}
	str := func(r WordingRule) string {
		ex := ""
		if r.Exclude != nil {
			ex = r.Exclude.String()
		}
		return fmt.Sprintf("%s|%s|%s|%s|%s|%s", r.ID, r.Factor, r.Name, r.Pattern, ex, r.Advice)
	}
	for i := range defaults {
		if a, b := str(defaults[i]), str(parsed[i]); a != b {
			t.Errorf("rule %d changed in the round trip:\n%s\n%s", i, a, b)
		}
	}
	// Each alternative is a line of its own, for the lawyers to edit.
	if !strings.Contains(text, "\nшаблон: вправе\n") || !strings.Contains(text, "\nисключение: не\\s+вправе\n") {
		t.Errorf("alternatives not split into lines:\n%s", text)
	}
}

func TestWordingDefaultRulesAreWellFormed(t *testing.T) {
	// Items of the Methodology (Decree No. 96) that have wording of their own.
	factors := []string{"3.1", "3.2", "3.3", "3.4", "3.7", "3.8", "4.1", "4.3"}
	seen := map[string]bool{}
	for _, r := range DefaultWordingRules() {
		if seen[r.ID] {
			t.Errorf("duplicate rule id %q", r.ID)
		}
		seen[r.ID] = true
		if !slices.Contains(factors, r.Factor) {
			t.Errorf("rule %s: factor %q is not one of %v", r.ID, r.Factor, factors)
		}
		if r.Name == "" || r.Advice == "" || r.Pattern == nil {
			t.Errorf("rule %s is incomplete: %+v", r.ID, r)
		}
		if r.Pattern.MatchString("") || (r.Exclude != nil && r.Exclude.MatchString("")) {
			t.Errorf("rule %s matches the empty string", r.ID)
		}
		if !strings.HasPrefix(r.ID, r.Factor+"-") {
			t.Errorf("rule %s: id should start with its factor %s", r.ID, r.Factor)
		}
	}
}
