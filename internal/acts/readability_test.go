package acts

import (
	"slices"
	"testing"
)

// Sentences from the decree of the Verkhnyaya Pyshma administration on
// subsidies to small business, and an explanation of it in plain words.
const (
	readabilityDecree = "В соответствии с Федеральным законом от 06.10.2003 № 131-ФЗ " +
		"«Об общих принципах организации местного самоуправления в Российской Федерации», " +
		"руководствуясь Уставом городского округа Верхняя Пышма, в целях обеспечения реализации " +
		"мероприятий муниципальной программы по повышению эффективности деятельности органов " +
		"местного самоуправления администрация городского округа Верхняя Пышма постановляет: " +
		"1. Субсидия предоставляется субъектам малого и среднего предпринимательства, " +
		"осуществляющим деятельность на территории городского округа Верхняя Пышма, в целях " +
		"возмещения части затрат, связанных с приобретением оборудования в целях создания и (или) " +
		"развития либо модернизации производства товаров (работ, услуг), при условии соответствия " +
		"получателя субсидии критериям, установленным настоящим Порядком."
	readabilityExplanation = "# Кому город вернёт деньги за оборудование\n\n" +
		"Город помогает малому бизнесу купить оборудование. Он вернёт часть денег.\n\n" +
		"- Подать заявку можно до 1 июня.\n" +
		"- Ответ придёт через десять дней.\n"
)

func TestReadabilityVerdicts(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		wantLevel string
		wantGrade string
		minScore  float64
		maxScore  float64
	}{
		{
			name:      "children's sentences are very easy",
			text:      "Мама мыла раму. Кот спит на окне. Мы идём гулять в парк.",
			wantLevel: "очень легко",
			wantGrade: "5 класс",
			minScore:  90,
			maxScore:  100,
		},
		{
			name:      "preamble of a municipal decree is very hard",
			text:      readabilityDecree,
			wantLevel: "очень трудно",
			wantGrade: "выпускник вуза, специалист",
			minScore:  0,
			maxScore:  30,
		},
		{
			name:     "plain explanation is readable at school",
			text:     readabilityExplanation,
			minScore: 50,
			maxScore: 100,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := MeasureReadability(tt.text)
			if r.Score < tt.minScore || r.Score > tt.maxScore {
				t.Errorf("Score = %v, want within [%v, %v] (%+v)", r.Score, tt.minScore, tt.maxScore, r)
			}
			if tt.wantLevel != "" && r.Level != tt.wantLevel {
				t.Errorf("Level = %q, want %q", r.Level, tt.wantLevel)
			}
			if tt.wantGrade != "" && r.Grade() != tt.wantGrade {
				t.Errorf("Grade() = %q, want %q", r.Grade(), tt.wantGrade)
			}
		})
	}
}

func TestReadabilityExplanationBeatsDecree(t *testing.T) {
	decree := MeasureReadability(readabilityDecree)
	plain := MeasureReadability(readabilityExplanation)
	if plain.Score <= decree.Score {
		t.Fatalf("explanation %v (%s) should read easier than the decree %v (%s)",
			plain.Score, plain.Level, decree.Score, decree.Level)
	}
	if plain.Score-decree.Score < 30 {
		t.Errorf("explanation %v is only slightly easier than the decree %v", plain.Score, decree.Score)
	}
}

func TestReadabilityEmptyText(t *testing.T) {
	for _, text := range []string{"", "   \n\n\t", "# \n- \n", "123. 45 — 67!", "```\nкод\n```"} {
		r := MeasureReadability(text)
		if r != (Readability{}) {
			t.Errorf("MeasureReadability(%q) = %+v, want zero value", text, r)
		}
		if r.Grade() != "" {
			t.Errorf("Grade() of %q = %q, want empty", text, r.Grade())
		}
	}
}

func TestReadabilityCounts(t *testing.T) {
	// Мама(2) мыла(2) раму(2). Кот(1) спит(1).
	r := MeasureReadability("Мама мыла раму. Кот спит.")
	want := Readability{Score: 100, Words: 5, Sentences: 2, Syllables: 8, Level: "очень легко"}
	if r != want {
		t.Errorf("got %+v, want %+v", r, want)
	}

	// За-яв-ку по-да-ют лич-но: 206.835 − 1.3 × 3 − 60.1 × 8/3 = 42.668 → 42.7
	r = MeasureReadability("Заявку подают лично.")
	want = Readability{Score: 42.7, Words: 3, Sentences: 1, Syllables: 8, Level: "трудно"}
	if r != want {
		t.Errorf("got %+v, want %+v", r, want)
	}
}

func TestReadabilitySentences(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{
			name: "plain full stops, exclamation and question",
			text: "Приходите. Вас ждут! Есть вопросы? Звоните…",
			want: []string{"Приходите.", "Вас ждут!", "Есть вопросы?", "Звоните…"},
		},
		{
			name: "abbreviations of articles and parts",
			text: "Согласно ст. 5 и п. 2 ч. 3 Порядка заявка подаётся лично. Срок не продлевается.",
			want: []string{"Согласно ст. 5 и п. 2 ч. 3 Порядка заявка подаётся лично.", "Срок не продлевается."},
		},
		{
			name: "т.е. and т. е. before a small letter",
			text: "Срок продлевается, т.е. заявитель ждёт. Далее т. е. иначе. Конец.",
			want: []string{"Срок продлевается, т.е. заявитель ждёт.", "Далее т. е. иначе.", "Конец."},
		},
		{
			name: "decimal numbers and dates",
			text: "Пункт 1.2 изменён постановлением от 26.02.2010 № 96. Остальное без изменений.",
			want: []string{"Пункт 1.2 изменён постановлением от 26.02.2010 № 96.", "Остальное без изменений."},
		},
		{
			name: "г. before a city name and after a year",
			text: "Администрация г. Верхняя Пышма утвердила план в 2018 г. План выполнен от 01.02.2019 г. Отчёт принят.",
			want: []string{"Администрация г. Верхняя Пышма утвердила план в 2018 г.", "План выполнен от 01.02.2019 г.", "Отчёт принят."},
		},
		{
			name: "initials",
			text: "Формулу предложила И. В. Оборнева в 2006 году. Она проста.",
			want: []string{"Формулу предложила И. В. Оборнева в 2006 году.", "Она проста."},
		},
		{
			name: "и т.д. closes a sentence before a capital",
			text: "Нужны паспорт, справка и т.д. Копии не нужны.",
			want: []string{"Нужны паспорт, справка и т.д.", "Копии не нужны."},
		},
		{
			name: "quotes after the full stop",
			text: "Он сказал: «Приходите завтра.» Мы пришли.",
			want: []string{"Он сказал: «Приходите завтра.»", "Мы пришли."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readabilitySentences(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestReadabilityStripsMarkdown(t *testing.T) {
	src := "## Что **важно** знать\n\n" +
		"Подробности на [сайте администрации](https://example.ru/a?b=1) и <https://example.ru>.\n" +
		"> Цитата _без_ точки\n\n" +
		"* первый пункт\n" +
		"  продолжение пункта\n" +
		"2. второй `пункт`\n\n" +
		"---\n" +
		"| Срок | Кто |\n" +
		"|------|-----|\n" +
		"| 10 дней | комиссия |\n" +
		"![схема приёма](img.png)\n"
	want := []string{
		"Что важно знать",
		"Подробности на сайте администрации и .",
		"Цитата без точки",
		"первый пункт продолжение пункта",
		"второй пункт",
		"Срок", "Кто", "10 дней", "комиссия",
		"схема приёма",
	}
	if got := readabilityBlocks(src); !slices.Equal(got, want) {
		t.Errorf("blocks\n got %q\nwant %q", got, want)
	}
	// Headings and list items are sentences even without a full stop.
	r := MeasureReadability("# Заголовок\n\n- один\n- два")
	if r.Sentences != 3 || r.Words != 3 {
		t.Errorf("got %+v, want 3 sentences of 3 words", r)
	}
}

func TestReadabilityWords(t *testing.T) {
	got := readabilityWords("Из-за 131-ФЗ, № 5 и что-либо — «ок».")
	want := []string{"Из-за", "131-ФЗ", "и", "что-либо", "ок"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if n := readabilitySyllables("Объявлённые"); n != 5 {
		t.Errorf("syllables of «Объявлённые» = %d, want 5", n)
	}
}
