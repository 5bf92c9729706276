package search

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStemFindsInflectedForms(t *testing.T) {
	// Each group must stem to one value: these are the forms a resident
	// types and the forms the documents use.
	for _, group := range [][]string{
		{"обращение", "обращения", "обращений", "обращениям", "обращениями", "ОБРАЩЕНИЕ"},
		{"акт", "акты", "актов", "актами"},
		{"публичные", "публичных", "публичным"},
		{"слушания", "слушаний", "слушаниях"},
		{"ёлка", "елка", "ёлки"},
		{"документ", "документы"},
		{"document", "documents"},
		{"обраще\u0301ние", "обращение"},
	} {
		want := stem(normalizeWord(group[0]))
		for _, w := range group[1:] {
			if got := stem(normalizeWord(w)); got != want {
				t.Errorf("stem(%q) = %q, stem(%q) = %q: want equal", w, got, group[0], want)
			}
		}
	}
	for _, stop := range []string{"и", "в", "на", "the", "and"} {
		if s := stem(stop); s != "" {
			t.Errorf("stop word %q kept as %q", stop, s)
		}
	}
	if s := stem("2018"); s != "2018" {
		t.Errorf("numbers are kept as they are: %q", s)
	}
	if s := stem(strings.Repeat("а", maxWordLen+1)); s != "" {
		t.Errorf("overlong token kept")
	}
}

func TestParseQuery(t *testing.T) {
	cases := []struct {
		in          string
		words, keys string
	}{
		{"публичных слушаний", "публичных слушаний", "публичный слушание"},
		{"  Обращение обращения ", "обращение", "обращение"},
		{`"обращения" AND (граждан*) title:акт`, "обращения граждан title акт", "обращение гражданин titl акт"},
		{"и в на", "", ""},
		{"№ 118-п от 07.03.2018", "118 п 07 03 2018", "118 п 07 03 2018"},
		{"", "", ""},
	}
	for _, c := range cases {
		p := parseQuery(c.in)
		if got := strings.Join(p.Words, " "); got != c.words {
			t.Errorf("parseQuery(%q).Words = %q, want %q", c.in, got, c.words)
		}
		if got := strings.Join(p.Keys, " "); got != c.keys {
			t.Errorf("parseQuery(%q).Keys = %q, want %q", c.in, got, c.keys)
		}
	}
	long := strings.Repeat("слово ", 40)
	for i := range 40 {
		long += fmt.Sprintf("слово%d ", i)
	}
	if p := parseQuery(long); len(p.Words) != maxQueryWords {
		t.Errorf("words kept from a long query: %d", len(p.Words))
	}
}

func TestFTSMatch(t *testing.T) {
	for _, c := range []struct {
		in   [][]string
		all  bool
		want string
		ts   string
	}{
		{[][]string{{"обращение"}}, true, `"обращение"`, `('обращение')`},
		{[][]string{{"публичный"}, {"слушание"}}, true, `"публичный" AND "слушание"`, `('публичный') & ('слушание')`},
		{[][]string{{"сталь", "стать"}, {"лист"}}, false, `("сталь" OR "стать") OR "лист"`, `('сталь' | 'стать') | ('лист')`},
		{[][]string{{`a"b'c`}}, true, `"a""b'c"`, `('a"b''c')`},
	} {
		if got := ftsMatch(c.in, c.all); got != c.want {
			t.Errorf("ftsMatch(%q) = %s, want %s", c.in, got, c.want)
		}
		if got := tsQuery(c.in, c.all); got != c.ts {
			t.Errorf("tsQuery(%q) = %s, want %s", c.in, got, c.ts)
		}
	}
}

func TestKeyText(t *testing.T) {
	if got := keyText("Публичные слушания — по проекту и бюджету!"); got != "публичный слушание проект бюджет" {
		t.Errorf("keyText = %q", got)
	}
}

func TestCleanText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"  текст\x00с\x07нулём  ", "текст с нулём"},
		{"плохой \xff байт", "плохой  байт"},
		{"строка\nвторая\tтаб", "строка\nвторая\tтаб"},
		{"\uE000метка\uE001", "метка"},
		{"обраще\u0301ние", "обращение"},
	} {
		if got := cleanText(c.in, 1000); got != c.want {
			t.Errorf("cleanText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	got := cleanText(strings.Repeat("я", 100), 51)
	if len(got) > 51 || !utf8.ValidString(got) {
		t.Errorf("cut text: %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
}

func TestMarkup(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a <b> & \"c\" 'd'", "a &lt;b&gt; &amp; &#34;c&#34; &#39;d&#39;"},
		{"\uE000слово\uE001 и \uE000ещё\uE001", "<mark>слово</mark> и <mark>ещё</mark>"},
		{"\uE000незакрытое", "<mark>незакрытое</mark>"},
		{"лишнее\uE001 закрытие", "лишнее закрытие"},
		{"много   пробелов\n\nи строк", "много пробелов и строк"},
		{"неразрывный\u00a0пробел,\u2003широкий и\u3000идеографический", "неразрывный пробел, широкий и идеографический"},
		{"  \uE000Ёлка\uE001 «ель» — Ÿ ſ ", "<mark>Ёлка</mark> «ель» — Ÿ ſ"},
		{"битый \xff байт", "битый \ufffd байт"},
	} {
		if got := string(markup(c.in)); got != c.want {
			t.Errorf("markup(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("Вводные слова без совпадений. ", 20)
	cases := []struct {
		name, text string
		stems      []string
		want       []string // substrings
		not        []string
	}{
		{"marks inflected forms", "Поступило 312 обращений граждан; обращения рассмотрены.", []string{"обращение"},
			[]string{"<mark>обращений</mark>", "<mark>обращения</mark>"}, nil},
		{"escapes the rest", "<b>Обращение</b> & <script>x</script>", []string{"обращение"},
			[]string{"&lt;b&gt;<mark>Обращение</mark>&lt;/b&gt; &amp;"}, []string{"<b>", "<script>"}},
		{"window around a late match", long + "Здесь важные публичные слушания.", []string{"публичный", "слушание"},
			[]string{"… ", "<mark>публичные</mark> <mark>слушания</mark>."}, nil},
		{"a window with every key after one with some", "Публичные обсуждения прошли. " + long + "Здесь важные публичные слушания.", []string{"публичный", "слушание"},
			[]string{"… ", "<mark>публичные</mark> <mark>слушания</mark>."}, []string{"<mark>Публичные</mark> обсуждения"}},
		{"the first window with every key wins", "Публичные слушания назначены. " + long + "Снова публичные слушания.", []string{"публичный", "слушание"},
			[]string{"<mark>Публичные</mark> <mark>слушания</mark> назначены."}, []string{"Снова", "… <mark>"}},
		{"no match gives the start", "Первое второе третье.", []string{"космос"},
			[]string{"Первое второе третье."}, []string{"<mark>", "…"}},
		{"long text is cut with an ellipsis", strings.Repeat("слово ", 100), []string{"слово"},
			[]string{"<mark>слово</mark>", " …"}, nil},
		{"prefix without the stem is not marked", "Актуальные акты.", []string{"акт"},
			[]string{"Актуальные <mark>акты</mark>."}, nil},
		{"fleeting vowel", "Пять площадок и три заявки.", []string{"площадка"},
			[]string{"Пять <mark>площадок</mark> и"}, nil},
		{"empty", "", []string{"акт"}, nil, []string{"<"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := string(snippet(c.text, c.stems))
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("snippet lacks %q:\n%s", w, got)
				}
			}
			for _, w := range c.not {
				if strings.Contains(got, w) {
					t.Errorf("snippet has %q:\n%s", w, got)
				}
			}
			if n := len(strings.Fields(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(got))); n > snippetWords+2 {
				t.Errorf("snippet has %d words", n)
			}
		})
	}
}

func TestLocalURL(t *testing.T) {
	for u, ok := range map[string]bool{
		"/acts/1": true, "https://vpyshma.ru/x": true, "http://a.ru": true,
		"//evil.ru": false, "javascript:alert(1)": false, "acts/1": false, "": false, "https://": false,
	} {
		if localURL(u) != ok {
			t.Errorf("localURL(%q) = %v", u, !ok)
		}
	}
}

// BenchmarkSnippet picks the snippet of a hit as the search page does for
// each of the twenty it shows: a long act (about 100 KB, the size of a
// budget decision or a municipal programme) whose first paragraph holds
// the query's words, a short act found by its title alone (its body has
// none of the words, so all of it is read), and a quarterly report of
// about 6 KB whose one match is near its end (the demo's two commonest
// kinds of hit).
func BenchmarkSnippet(b *testing.B) {
	act := "Распоряжение администрации от 10.04.2018 № 173. Действует.\nВ соответствии с Федеральным законом от 6 октября 2003 года № 131-ФЗ «Об общих принципах организации местного самоуправления в Российской Федерации», руководствуясь Уставом городского округа Верхняя Пышма,\n\nУтвердить план мероприятий (прилагается).\n\nРуководителям структурных подразделений администрации обеспечить выполнение плана в установленные сроки.\n\nОпубликовать настоящий акт на официальном интернет-портале правовой информации городского округа Верхняя Пышма."
	report := "Анализ обращений граждан за IV квартал 2025 года. Поступило обращений: 63. " +
		strings.Repeat("Письменное (почта, нарочно) — 24; В форме электронного документа — 21; Заявление — 33; Жалоба — 22; ", 55) +
		"0003.0009.0096.0697 Благоустройство территорий, детские площадки — 2; Иное — 1."
	for _, c := range []struct{ name, body, query string }{
		{"long act, words in its first paragraph", "Об утверждении муниципальной программы «Благоустройство территории городского округа». " +
			strings.Repeat("Мероприятия программы выполняются в сроки, установленные планом, за счёт средств местного бюджета. ", 1000), "благоустройство программа"},
		{"short act found by its title", act, "благоустройство"},
		{"report, one match near its end", report, "благоустройство"},
	} {
		keys := parseQuery(c.query).Keys
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			for b.Loop() {
				if snippet(c.body, keys) == "" {
					b.Fatal("empty snippet")
				}
			}
		})
	}
}
